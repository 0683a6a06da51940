"""`frontlines ingest`: read documents into the store."""

from __future__ import annotations

import sys

import click

from frontlines.cli.common import db_option
from frontlines.metadata import parse_date
from frontlines.pipeline import IngestReport, Resources, ingest
from frontlines.read import iter_files
from frontlines.store import Store

EXIT_REJECTED = 3


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--source", help="Publisher to record for every document (overrides pages).")
@click.option("--published", help="Publication date (YYYY-MM-DD) for documents that lack one.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a tty).")
def ingest_cli(
    paths: tuple[str, ...], db: str, source: str | None, published: str | None,
    progress: bool | None,
) -> None:  # fmt: skip
    """Read .txt, .html, .jsonl and .warc(.gz) files (folders recursively) into the store.

    Re-ingesting the same content changes nothing. Inputs that cannot be read are
    recorded (see `frontlines export rejects`) and the exit status is 3.
    """
    if published and parse_date(published) is None:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--published")
    report = run_ingest(paths, db, source, published, progress)
    click.echo(
        f"stored {report.stored} document(s), {report.events} event(s); "
        f"{report.unchanged} already stored; {len(report.rejected)} rejected"
    )
    for rej in report.rejected[:10]:
        click.echo(f"  rejected {rej.origin} ({rej.stage}): {rej.reason}", err=True)
    if report.rejected:
        sys.exit(EXIT_REJECTED)


def run_ingest(
    paths: tuple[str, ...], db: str, source: str | None, published: str | None,
    progress: bool | None,
) -> IngestReport:  # fmt: skip
    show = sys.stderr.isatty() if progress is None else progress
    with Store(db) as store:
        if not show:
            return ingest(paths, store, Resources(), source, published)
        from tqdm import tqdm

        total = sum(1 for _ in iter_files(paths))
        with tqdm(total=total, unit="doc", desc="ingest", file=sys.stderr) as bar:
            return ingest(paths, store, Resources(), source, published, progress=bar.update)
