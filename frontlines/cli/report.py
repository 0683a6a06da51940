"""`frontlines report`: a situation report with citations, as Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from frontlines.cli.common import readonly_db_option
from frontlines.report import FORMATS, build_report, parse_scope, stored_place, write_report
from frontlines.store import Store


@click.command("report")
@readonly_db_option("to report on")
@click.option("--since", default=None, metavar="DATE", help="First day covered (YYYY-MM-DD).")
@click.option("--until", default=None, metavar="DATE", help="Last day covered (YYYY-MM-DD).")
@click.option("--place", default=None, metavar="NAME", help="Only events within 30 km of it.")
@click.option("--bbox", default=None, metavar="W,S,E,N", help="Only events inside this box.")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
    help="Markdown (images written beside it) or self-contained HTML.",
)  # fmt: skip
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write."
)
def report_cli(
    db: str,
    since: str | None,
    until: str | None,
    place: str | None,
    bbox: str | None,
    fmt: str,
    output: str,
) -> None:
    """Write a situation report: headline developments, a section per area, control
    changes, contested claims with both sides, a map and an events-per-day chart; every
    statement cites its documents in brackets."""
    if not Path(db).is_file():
        raise click.ClickException(f"no database at {db}: run `frontlines ingest` first")
    from frontlines.pipeline import Resources

    res = Resources()
    with Store(db, readonly=True) as store:

        def resolve(name: str) -> tuple[str, float, float] | None:
            found = stored_place(store, name)
            if found is not None:
                return found
            places = res.gazetteer.lookup(name)
            if not places:
                return None
            best = max(places, key=lambda p: p.population)
            return best.name, best.lat, best.lon

        scope = parse_scope(since, until, place, bbox, resolve)
        report = build_report(store, res.registry, scope)
    written = write_report(report, Path(output), fmt)
    click.echo(
        f"wrote {', '.join(map(str, written))}: {len(report.events)} events, "
        f"{len(report.sources())} sources cited",
        err=True,
    )
