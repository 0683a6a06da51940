"""`frontlines eval`: accuracy against gold data, figures for the README."""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path

import click

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
    """Line accuracy, comment-start error and boilerplate precision/recall of the
    segment stage on per-line gold (gold/segments), with the packaged model and under
    k-fold cross-validation."""
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
