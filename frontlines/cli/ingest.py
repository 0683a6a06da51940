"""`frontlines ingest`: read documents into the store."""

from __future__ import annotations

import sys

import click

from frontlines.cli.common import db_option
from frontlines.metadata import parse_date
from frontlines.pipeline import IngestReport, Resources, ingest
from frontlines.read import JSONL_SUFFIXES, WARC_SUFFIXES, iter_files, suffix_of
from frontlines.store import Store

EXIT_REJECTED = 3


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--source", help="Publisher to record for every document (overrides pages).")
@click.option("--published", help="Publication date (YYYY-MM-DD) for documents that lack one.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a tty).")
@click.option("--resume", is_flag=True,
              help="Skip inputs (files, JSON lines, WARC records) an earlier run stored or "
                   "rejected: continue an ingest that was interrupted.")  # fmt: skip
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Processes that parse, link and extract (2: both cores).")  # fmt: skip
def ingest_cli(
    paths: tuple[str, ...], db: str, source: str | None, published: str | None,
    progress: bool | None, resume: bool, workers: int,
) -> None:  # fmt: skip
    """Read .txt, .html, .jsonl and .warc(.gz) files (folders recursively) into the store.

    Re-ingesting the same content changes nothing. Inputs that cannot be read are
    recorded (see `frontlines export rejects`) and the exit status is 3. Every document
    is committed as it is stored, so an interrupted ingest loses nothing it stored;
    run it again with --resume to go on from where it stopped.
    """
    if published and parse_date(published) is None:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--published")
    report = run_ingest(paths, db, source, published, progress, resume, workers)
    click.echo(
        f"stored {report.stored} document(s), {report.events} event(s); "
        f"{report.unchanged} already stored; {len(report.rejected)} rejected"
        + (f"; {report.resumed} skipped as done by an earlier run" if resume else "")
    )
    for rej in report.rejected[:10]:
        click.echo(f"  rejected {rej.origin} ({rej.stage}): {rej.reason}", err=True)
    if report.rejected:
        sys.exit(EXIT_REJECTED)


def run_ingest(
    paths: tuple[str, ...], db: str, source: str | None, published: str | None,
    progress: bool | None, resume: bool = False, workers: int = 1,
) -> IngestReport:  # fmt: skip
    show = sys.stderr.isatty() if progress is None else progress
    with Store(db) as store:
        if not show:
            return ingest(paths, store, Resources(), source, published,
                          resume=resume, workers=workers)  # fmt: skip
        from tqdm import tqdm

        with tqdm(total=count_inputs(paths), unit="doc", desc="ingest", file=sys.stderr,
                  smoothing=0.1) as bar:  # fmt: skip
            return ingest(paths, store, Resources(), source, published, progress=bar.update,
                          resume=resume, workers=workers)  # fmt: skip


def count_inputs(paths: tuple[str, ...]) -> int | None:
    """Documents to expect: one a file, unknown (None) once a file can hold many."""
    total = 0
    for path in iter_files(paths):
        if suffix_of(path) in JSONL_SUFFIXES or suffix_of(path) in WARC_SUFFIXES:
            return None
        total += 1
    return total
