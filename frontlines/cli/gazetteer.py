"""`frontlines gazetteer import FILE`: extend the offline gazetteer with a GeoNames dump."""

from __future__ import annotations

import click

from frontlines.gazetteer import IMPORT_CLASSES, default_index_path, import_geonames


@click.group("gazetteer")
def gazetteer_cli() -> None:
    """Manage the offline gazetteer (the GeoNames index built from cities500)."""


@gazetteer_cli.command("import")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="Import only places of this ISO-2 country (repeatable); default: all in the file.",
)
@click.option(
    "--classes",
    default="".join(sorted(IMPORT_CLASSES)),
    show_default=True,
    help="GeoNames feature classes to import (P places, A admin areas, H water, "
    "L areas, S spots, T terrain, ...).",
)
@click.option(
    "--index",
    type=click.Path(dir_okay=False),
    default=None,
    help="Gazetteer index to extend (default: the one frontlines uses, "
    "$FRONTLINES_GAZETTEER or ~/.cache/frontlines).",
)
def gazetteer_import_cli(
    dump: str, countries: tuple[str, ...], classes: str, index: str | None
) -> None:
    """Load a standard GeoNames dump (SY.txt, IQ.txt, allCountries.txt, tab-separated,
    19 columns, or the .zip holding one) into the gazetteer index, so villages, wells,
    crossings and bases that cities500 lacks can be linked. Re-importing updates the
    same GeoNames ids; a malformed file changes nothing."""
    count = import_geonames(dump, index, countries or None, classes)
    click.echo(f"imported {count} places into {index or default_index_path()}")
