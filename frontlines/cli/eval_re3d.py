"""`frontlines eval re3d`: actor and place recognition against Dstl's re3d gold."""

from __future__ import annotations

import json

import click

from frontlines.evaluate.re3d import Re3dError, evaluate, report_lines


@click.command("re3d")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_re3d_cli(folders: tuple[str, ...], as_json: bool) -> None:
    """Score actor mentions against re3d Organisation spans and place mentions against
    Location spans (precision, recall, F1 with overlapping and exact spans; share of gold
    spans found and resolved), beside the bare spaCy model, and count the FightingAgainst
    and AlliesOf pairs recovered. FOLDERS are re3d sub-corpus folders
    (documents.json, entities.json, relations.json)."""
    try:
        figures = evaluate(folders)
    except Re3dError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(figures))
        return
    for line in report_lines(figures):
        click.echo(line)
