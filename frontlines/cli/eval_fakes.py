"""`frontlines eval fakes`: the FA-KES corpus of real Syrian-war news against its gold."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from frontlines.evaluate.fakes import FIELDS, MAIN_RULES, FakesReport, evaluate_fakes
from frontlines.pipeline import Resources
from frontlines.store import Store


@click.command("fakes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score only the first N articles.")  # fmt: skip
@click.option("--rule", type=click.Choice(sorted(MAIN_RULES)), default="lead", show_default=True,
              help="How each article's main event is chosen: the most specific violent "
              "event of the headline and lead (else most fatalities), or the one with "
              "most fatalities.")  # fmt: skip
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Keep the scratch store in this file (default: a temporary one).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_fakes_cli(file: str, limit: int | None, rule: str, db: str | None, as_json: bool) -> None:
    """Ingest a FA-KES CSV file (outlet as publisher, the opening dateline as publication
    date) and score each article's main event against the crowd gold: governorate, date
    within a day, actor, cause of death as ACLED sub-event type, and fatalities; plus the
    credibility AUC of frontlines' own signals."""
    with tempfile.TemporaryDirectory() as tmp, Store(db or Path(tmp) / "fakes.db") as store:
        report = evaluate_fakes(file, store, Resources(), limit=limit, rule=rule)
    if as_json:
        click.echo(json.dumps(report.as_dict()))
        return
    show(report)


def show(report: FakesReport) -> None:
    click.echo(f"articles: {report.articles}, with a main event: {report.with_event} "
               f"(rule: {report.rule})")  # fmt: skip
    click.echo("accuracy:")
    for name in FIELDS:
        click.echo(f"  {name:18s} {report.accuracy(name):.3f}  "
                   f"({report.correct.get(name, 0)}/{report.scored.get(name, 0)})")  # fmt: skip
    click.echo(f"  unknown actor left empty: {report.unknown_actor_left_empty:.3f}")
    click.echo("credibility AUC: " + ", ".join(
        f"{k} {v:.3f}" for k, v in report.credibility_auc.items()))  # fmt: skip
    for title, table in (("cause of death → predicted", report.type_confusion),
                         ("actor → predicted", report.actor_confusion)):  # fmt: skip
        click.echo(f"confusion, {title}:")
        for gold, row in table.items():
            cells = ", ".join(f"{k} {v}" for k, v in row.items())
            click.echo(f"  {gold[:40]:40s} {cells}")
    click.echo("worst cases:")
    for case in report.worst:
        click.echo(f"  {case['unit_id']} [{case['source']}] {case['title']}")
        click.echo(f"    wrong {', '.join(case['wrong'])}; gold {case['gold']}")
        click.echo(f"    got {case['predicted']}")
    for line in report.rejected:
        click.echo(f"rejected {line}")
