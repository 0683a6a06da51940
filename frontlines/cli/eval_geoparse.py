"""`frontlines eval geoparse`: toponym recognition and resolution on a public corpus."""

from __future__ import annotations

import json

import click

from frontlines.evaluate.geoparse import evaluate_corpus, read_corpus
from frontlines.gazetteer import Gazetteer
from frontlines.pipeline import Resources


@click.command("geoparse")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N articles.")
@click.option(
    "--gazetteer",
    "index",
    type=click.Path(exists=True, dir_okay=False),
    help="Another GeoNames index (SQLite), e.g. one extended with a full GeoNames dump.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_geoparse_cli(corpus: str, limit: int | None, index: str | None, as_json: bool) -> None:
    """Toponym recognition P/R/F1 (exact and overlapping spans) and resolution (accuracy
    within 161 km, mean and median error, AUC) on a GeoWebNews, LGL or GeoVirus file,
    for frontlines and for a spaCy NER + most-populous-candidate baseline; then resolution
    alone, given the gold place names, for both."""
    articles = read_corpus(corpus)[:limit]
    res = Resources()
    if index:
        res.gazetteer = Gazetteer.load(index=index)
    figures = evaluate_corpus(articles, res)
    if as_json:
        click.echo(json.dumps({"articles": len(articles), **figures}))
        return
    names = list(figures)
    click.echo(f"{len(articles)} articles")
    click.echo(f"{'':26s}" + "".join(f"{n:>28s}" for n in names))
    for field in figures[names[0]]:
        values = "".join(f"{'-' if v is None else v!s:>28s}" for v in
                         (figures[n][field] for n in names))  # fmt: skip
        click.echo(f"{field:26s}{values}")
