"""`frontlines export`: tables of the store as JSON Lines, CSV or GeoJSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from frontlines.cli.common import db_option
from frontlines.export import TABLES, export
from frontlines.pipeline import Resources
from frontlines.store import Store


@click.command("export")
@click.argument("table", type=click.Choice(TABLES))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl",
              show_default=True)  # fmt: skip
@db_option
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout)."
)
def export_cli(table: str, fmt: str, db: str, output: str | None) -> None:
    """Export a table: documents, mentions, actors, places, events, clusters,
    contradictions, rejects or control."""
    if not Path(db).exists():
        raise click.ClickException(f"no database at {db}: run `frontlines ingest` first")
    res = Resources()
    with Store(db) as store:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = export(store, table, fmt, out, res.registry, res.gazetteer)
            click.echo(f"wrote {count} {table} to {output}", err=True)
        else:
            export(store, table, fmt, sys.stdout, res.registry, res.gazetteer)
