"""`frontlines eval fusion GOLD`: clusters, contradictions and corroboration against the
multi-source dev gold (gold/fusion)."""

from __future__ import annotations

import json

import click

from frontlines.errors import DataFileError
from frontlines.evaluate.fusion import evaluate_fusion


@click.command("fusion")
@click.argument("gold", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_fusion_cli(gold: str, as_json: bool) -> None:
    """Ingest the gold documents into a scratch store; report pairwise clustering
    precision and recall over gold events matched to system events, contradiction
    recall and precision, and corroboration counts against gold (gold/fusion)."""
    try:
        figures = evaluate_fusion(gold).figures()
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"gold events matched {figures['matched_events']}/{figures['gold_events']} "
               f"(coverage {figures['coverage']:.3f})")  # fmt: skip
    click.echo(f"pairwise clustering  P {figures['pairwise_precision']:.3f}  "
               f"R {figures['pairwise_recall']:.3f}")  # fmt: skip
    click.echo(f"contradictions found {figures['contradictions']}  "
               f"recall {figures['contradiction_recall']:.3f}  "
               f"precision {figures['contradiction_precision']:.3f}")  # fmt: skip
    click.echo(f"corroboration exact {figures['corroboration_accuracy']:.3f}")
    for title in ("unmatched", "missed_contradictions", "wrong_corroboration"):
        lines = figures[title]
        if isinstance(lines, list) and lines:
            click.echo(f"{title.replace('_', ' ')}:")
            for line in lines:
                click.echo(f"  {line}")
