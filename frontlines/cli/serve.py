"""`frontlines serve`: the map page and JSON API over a database, read-only."""

from __future__ import annotations

from pathlib import Path

import click

from frontlines.cli.common import readonly_db_option


@click.command("serve")
@readonly_db_option("to show")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--tiles",
    "tile_url",
    default=None,
    help="Optional online tile URL template ({z}/{x}/{y}) drawn under the offline basemap.",
)
@click.option("--tiles-attribution", default=None, help="Attribution text for --tiles.")
def serve_cli(
    db: str, host: str, port: int, tile_url: str | None, tiles_attribution: str | None
) -> None:
    """Serve a map and timeline page of the events in a database, with a JSON API
    (/api/events, /api/clusters, /api/contradictions, /api/control, /api/documents,
    /api/search) and its OpenAPI page at /docs. Binds to localhost unless --host says
    otherwise; nothing is ever written to the database."""
    serve(db, host, port, tile_url=tile_url, tile_attribution=tiles_attribution)


def serve(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    tile_url: str | None = None,
    tile_attribution: str | None = None,
) -> None:
    """Run the app until interrupted, after printing its URL."""
    import uvicorn

    from frontlines.serve.app import VENDOR_DIR, create_app

    if not Path(db).is_file():
        raise click.ClickException(f"no database at {db}: run `frontlines ingest` first")
    app = create_app(db, tile_url=tile_url, tile_attribution=tile_attribution)
    if not (VENDOR_DIR / "leaflet.js").is_file():
        click.echo(
            f"warning: {VENDOR_DIR} lacks the map's JavaScript: run `make install`; "
            "the API works without it",
            err=True,
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}, reachable from other machines", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"frontlines: serving {db} read-only at http://{shown}:{port}/ (Ctrl-C stops)")
    click.echo(f"  API docs: http://{shown}:{port}/docs")
    uvicorn.run(app, host=host, port=port, log_level="warning")
