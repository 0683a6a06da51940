"""`frontlines demo`: ingest the bundled sample corpus and summarize it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from frontlines.cli.serve import serve
from frontlines.paths import data_file
from frontlines.pipeline import Resources, ingest
from frontlines.store import Store


def sample_dir() -> Path:
    return data_file("sample")


@click.command("demo")
@click.option(
    "--db",
    default="frontlines-demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Database to fill with the sample.",
)
@click.option(
    "--serve",
    "then_serve",
    is_flag=True,
    help="Then serve the database's map page and API (as `frontlines serve`) until Ctrl-C.",
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="For --serve."
)
def demo_cli(db: str, then_serve: bool, port: int) -> None:
    """Ingest the bundled sample corpus and print what came out of it."""
    res = Resources()
    with Store(db) as store:
        report = ingest([sample_dir()], store, res)
        click.echo(summary(store, res))
    click.echo(
        f"\n{report.stored} new document(s), {report.unchanged} already stored, "
        f"{len(report.rejected)} rejected.\n\nNext:\n"
        f"  frontlines export events --db {db} --format csv -o events.csv\n"
        f"  frontlines export events --db {db} --format geojson -o events.geojson\n"
        f"  frontlines export clusters --db {db}\n"
        f"  frontlines report --db {db} --format html -o report.html\n"
        f"  frontlines serve --db {db}\n"
        f"  frontlines ingest YOUR_FOLDER --db {db}"
    )
    if then_serve:
        click.echo("")
        serve(db, "127.0.0.1", port)


def summary(store: Store, res: Resources) -> str:
    events = list(store.events())
    article = [e for e in events if not e.from_comment]
    counts = store.counts()
    types = Counter(f"{e.type}/{e.sub_type}" for e in article)
    actors = Counter(a for e in article for a in (e.actor1, e.actor2) if a)
    places = Counter(e.place.name for e in article if e.place)
    lines = [
        f"documents: {counts['documents']}   events: {len(article)} from articles, "
        f"{len(events) - len(article)} from reader comments   clusters: {counts['clusters']}",
        "",
        "events by type:",
        *(f"  {n:4d}  {t}" for t, n in types.most_common()),
        "",
        "top actors:",
        *(f"  {n:4d}  {res.registry.name(a) or a}" for a, n in actors.most_common(8)),
        "",
        "top places:",
        *(f"  {n:4d}  {p}" for p, n in places.most_common(8)),
    ]
    return "\n".join(lines)
