"""`frontlines eval events GOLD`: event extraction against the hand-written dev gold."""

from __future__ import annotations

import json

import click

from frontlines.evaluate.events import compare_classifier, evaluate_events


@click.command("events")
@click.argument("gold", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--worst", default=15, show_default=True, help="How many misses to list.")
@click.option(
    "--compare",
    "folds",
    type=click.IntRange(min=0),
    default=0,
    help="Also compare with a sentence classifier trained on the gold, k-fold by document.",
)
def eval_events_cli(gold: str, as_json: bool, worst: int, folds: int) -> None:
    """Detection precision, recall and F1 (same document, overlapping evidence, same
    type), type accuracy, and per-field accuracy on matched events, against per-document
    event gold (gold/events)."""
    if folds > 1:
        comparison = compare_classifier(gold, folds).as_dict()
        if as_json:
            click.echo(json.dumps(comparison))
            return
        for name, scores in comparison.items():
            line = "  ".join(f"{k} {v}" for k, v in scores.items())
            click.echo(f"{name}: {line}")
        return
    figures = evaluate_events(gold).as_dict(worst)
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"gold events {figures['gold_events']}, system events {figures['system_events']}, "
               f"matched {figures['matched']}")  # fmt: skip
    click.echo(f"detection  P {figures['precision']:.3f}  R {figures['recall']:.3f}  "
               f"F1 {figures['f1']:.3f}")  # fmt: skip
    click.echo(f"type accuracy {figures['type_accuracy']:.3f}")
    click.echo("field accuracy on matched events:")
    for name, value in figures["field_accuracy"].items():
        click.echo(f"  {name:14s} {value:.3f}")
    for title in ("missed", "spurious", "field_errors"):
        if figures[title]:
            click.echo(f"worst {title.replace('_', ' ')}:")
            for line in figures[title]:
                click.echo(f"  {line}")
