"""`frontlines eval`: accuracy against gold data, figures for the README."""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path

import click

from frontlines.cli.eval_events import eval_events_cli
from frontlines.cli.eval_fakes import eval_fakes_cli
from frontlines.cli.eval_fusion import eval_fusion_cli
from frontlines.cli.eval_geoparse import eval_geoparse_cli
from frontlines.cli.eval_linking import eval_actors_cli, eval_places_cli
from frontlines.cli.eval_re3d import eval_re3d_cli
from frontlines.evaluate.sample import score_sample
from frontlines.evaluate.segments import cross_validate, evaluate
from frontlines.paths import data_file
from frontlines.pipeline import Resources, ingest
from frontlines.store import Store


@click.group("eval")
def eval_cli() -> None:
    """Measure frontlines against gold data."""


@eval_cli.command("segments")
@click.argument("gold", type=click.Path(exists=True, file_okay=False))
@click.option("--folds", default=4, show_default=True, help="Cross-validation folds (0: none).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_segments_cli(gold: str, folds: int, as_json: bool) -> None:
    """Line accuracy, comment-start error, boilerplate and comment precision/recall,
    comment boundaries and authors of the segment stage on per-line gold (gold/segments:
    plain text and HTML pages), with the packaged model and under k-fold
    cross-validation."""
    figures = {"packaged_model": asdict(evaluate(gold))}
    if folds > 1:
        figures[f"cross_validated_{folds}_fold"] = asdict(cross_validate(gold, folds))
    if as_json:
        click.echo(json.dumps(figures))
        return
    for name, scores in figures.items():
        click.echo(f"{name}:")
        for field, value in scores.items():
            click.echo(f"  {field:24s} {value}")


@eval_cli.command("sample")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_sample_cli(as_json: bool) -> None:
    """Ingest the bundled sample into a scratch database and report the recall of its
    expected events (data/sample-expected.yaml)."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
        ingest([data_file("sample")], store, Resources())
        scores = score_sample(store)
    if as_json:
        click.echo(json.dumps({**asdict(scores), "recall": scores.recall}))
        return
    click.echo(f"expected events found: {scores.found}/{scores.expected} "
               f"(recall {scores.recall:.2f})")  # fmt: skip
    for miss in scores.missed:
        click.echo(f"  missed {miss}")


eval_cli.add_command(eval_re3d_cli)
eval_cli.add_command(eval_events_cli)
eval_cli.add_command(eval_fakes_cli)
eval_cli.add_command(eval_fusion_cli)
eval_cli.add_command(eval_geoparse_cli)


eval_cli.add_command(eval_places_cli)
eval_cli.add_command(eval_actors_cli)
