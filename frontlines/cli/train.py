"""`frontlines train`: learn model weights from the dev gold."""

from __future__ import annotations

import click

from frontlines.segment import default_model_path
from frontlines.train import read_segment_gold, train_line_model


@click.group("train")
def train_cli() -> None:
    """Learn model weights from labelled dev gold."""


@train_cli.command("segments")
@click.argument("gold", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write the model (default: the packaged model).")  # fmt: skip
def train_segments_cli(gold: str, output: str | None) -> None:
    """Train the line model of the segment stage on gold/segments-style files."""
    docs = read_segment_gold(gold)
    path = output or str(default_model_path())
    stats = train_line_model(docs, path)
    click.echo(f"trained on {stats['documents']} documents, {stats['lines']} lines; "
               f"training accuracy {stats['accuracy']:.3f}; wrote {path}")  # fmt: skip
