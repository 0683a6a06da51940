"""`frontlines eval places GOLD` and `frontlines eval actors GOLD`: linking accuracy on
mention-level gold, the linker beside spaCy's NER alone."""

from __future__ import annotations

import json

import click

from frontlines.evaluate.linking import Kind, Scores, evaluate_linking
from frontlines.pipeline import Resources


def run(gold: str, kind: Kind, as_json: bool, worst: int) -> None:
    res = Resources()
    scores = evaluate_linking(gold, kind, res.linker, res.nlp, worst=worst)
    if as_json:
        click.echo(json.dumps({s.system: s.as_dict() for s in scores}))
        return
    for s in scores:
        click.echo(render(s))


def render(s: Scores) -> str:
    lines = [f"{s.system}: {s.correct}/{s.mentions} {s.kind} mentions right "
             f"(accuracy {s.accuracy:.3f})"]  # fmt: skip
    if s.kind == "place":
        lines.append(f"  within 25 km: {s.within_km}/{s.mentions} (accuracy {s.accuracy_km:.3f})")
    if s.confusions:
        lines.append("  worst confusions (gold -> predicted, count):")
        lines += [f"    {g} -> {p}  x{n}" for g, p, n in s.confusions]
    return "\n".join(lines)


GOLD = click.argument("gold", type=click.Path(exists=True))
JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
WORST = click.option("--worst", default=10, show_default=True, help="Confusions to list.")


@click.command("places")
@GOLD
@JSON
@WORST
def eval_places_cli(gold: str, as_json: bool, worst: int) -> None:
    """Place linking on mention gold (gold/mentions): accuracy (same place id),
    accuracy within 25 km of the gold coordinates and the worst confusions, for the
    linker and for spaCy's NER alone."""
    run(gold, "place", as_json, worst)


@click.command("actors")
@GOLD
@JSON
@WORST
def eval_actors_cli(gold: str, as_json: bool, worst: int) -> None:
    """Actor linking on mention gold (gold/mentions): accuracy (same registry id) and the
    worst confusions, for the linker and for spaCy's NER alone."""
    run(gold, "actor", as_json, worst)
