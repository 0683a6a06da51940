"""The JSON API and the map page over one frontlines database, read-only.

``create_app(db)`` builds a FastAPI application: ``/api/...`` answers questions about
events, clusters, contradictions, control, documents and search, with filters and
paging (query parameters are checked by strict pydantic models, unknown ones refused);
``/`` is the map page, whose JavaScript and map data are served from the package's
static folder, never from a CDN; ``/docs`` is the OpenAPI page, its Swagger UI also
served locally. Each request opens the database with SQLite's read-only mode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, field_validator

from frontlines.errors import StoreError, UsageError
from frontlines.models import Certainty
from frontlines.registry import Registry
from frontlines.serve.queries import Catalog, EventFilter, EventType, Json, parse_bbox
from frontlines.store import Store

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"


class Page(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(100, ge=1, le=1000, description="Items per page (at most 1000).")
    offset: int = Field(0, ge=0, description="Items to skip.")


class EventQuery(Page):
    since: dt.date | None = Field(None, description="Events whose span ends on or after.")
    until: dt.date | None = Field(None, description="Events whose span starts on or before.")
    type: list[EventType] = Field(default_factory=list, description="Event types (repeatable).")
    actor: str | None = Field(None, max_length=100, description="Actor id, as actor1 or 2.")
    certainty: list[Certainty] = Field(default_factory=list, description="Repeatable.")
    bbox: str | None = Field(None, description="W,S,E,N in degrees.")
    comments: bool = Field(False, description="Include events found in reader comments.")
    located: bool = Field(False, description="Only events with a place on the map.")
    cluster: str | None = Field(None, max_length=64, description="Members of one cluster.")

    @field_validator("bbox")
    @classmethod
    def _check_bbox(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_bbox(value)
            except UsageError as exc:
                raise ValueError(str(exc)) from exc
        return value

    def to_filter(self) -> EventFilter:
        return EventFilter(
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            types=tuple(self.type),
            actor=self.actor,
            certainties=tuple(self.certainty),
            bbox=parse_bbox(self.bbox) if self.bbox else None,
            comments=self.comments,
            located=self.located,
            cluster=self.cluster,
        )


class ClusterQuery(EventQuery):
    min_sources: int = Field(0, ge=0, description="Least number of independent sources.")


class DocumentQuery(Page):
    q: str | None = Field(None, min_length=2, max_length=200, description="Text to look for.")


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=2, max_length=200, description="Text to look for.")
    limit: int = Field(20, ge=1, le=200)


class ControlQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place: str | None = Field(None, max_length=64, description="Place id.")
    actor: str | None = Field(None, max_length=100, description="Actor id.")


def catalog(request: Request) -> Iterator[Catalog]:
    """A catalog over a read-only connection that lives as long as the request."""
    try:
        store = Store(request.app.state.db_path, readonly=True)
    except StoreError as exc:
        raise HTTPException(503, f"database unavailable: {exc}") from exc
    with store:
        yield Catalog(store, request.app.state.registry)


Cat = Annotated[Catalog, Depends(catalog)]


def create_app(
    db: str | Path,
    *,
    registry: Registry | None = None,
    tile_url: str | None = None,
    tile_attribution: str | None = None,
) -> FastAPI:
    """The API and map page over the database at ``db``, which must exist.

    ``tile_url`` (a Leaflet URL template such as ``https://tile.example/{z}/{x}/{y}.png``)
    adds an online basemap under the offline one; without it the page loads nothing
    from elsewhere.
    """
    db_path = Path(db)
    Store(db_path, readonly=True).close()  # fail now, not at the first request
    actors = registry or Registry.load()
    if tile_url is not None and urlsplit(tile_url).scheme not in ("http", "https"):
        raise UsageError(f"tile URL must be http(s), not {tile_url!r}")

    app = FastAPI(
        title="frontlines",
        summary="Events, clusters, contradictions and control from news reports, read-only.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.db_path = db_path
    app.state.registry = actors
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.url.path.startswith("/docs"):
            response.headers["Content-Security-Policy"] = _csp(tile_url)
        return response

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="frontlines API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.get("/api/meta", summary="Counts, date range, event types and actors present")
    def meta(cat: Cat) -> Json:
        info = cat.meta()
        info["tile_url"] = tile_url
        info["tile_attribution"] = tile_attribution
        info["basemap"] = _basemap_files()
        return info

    @app.get("/api/events", summary="Events matching filters, by date, paged")
    def events(cat: Cat, query: Annotated[EventQuery, Query()]) -> Json:
        return cat.events(query.to_filter(), query.limit, query.offset)

    @app.get(
        "/api/events/{event_id}",
        summary="One event with its document, cluster and any contradiction",
    )
    def event(cat: Cat, event_id: str) -> Json:
        return _found(cat.event_detail(event_id), "event", event_id)

    @app.get("/api/clusters", summary="Clusters of the same happening, most sources first")
    def clusters(cat: Cat, query: Annotated[ClusterQuery, Query()]) -> Json:
        return cat.clusters(query.to_filter(), query.min_sources, query.limit, query.offset)

    @app.get("/api/clusters/{cluster_id}", summary="One cluster with its member events")
    def cluster(cat: Cat, cluster_id: str) -> Json:
        return _found(cat.cluster(cluster_id), "cluster", cluster_id)

    @app.get("/api/contradictions", summary="Pairs of events whose sources disagree")
    def contradictions(cat: Cat, query: Annotated[Page, Query()]) -> Json:
        return cat.contradictions(query.limit, query.offset)

    @app.get("/api/control", summary="Who holds which place, from when to when")
    def control(cat: Cat, query: Annotated[ControlQuery, Query()]) -> Json:
        return cat.control(query.place, query.actor)

    @app.get("/api/documents", summary="Documents (without text), by publication date")
    def documents(cat: Cat, query: Annotated[DocumentQuery, Query()]) -> Json:
        return cat.documents(query.q, query.limit, query.offset)

    @app.get("/api/documents/{doc_id}", summary="One document with its text and events")
    def document(cat: Cat, doc_id: str) -> Json:
        return _found(cat.document(doc_id), "document", doc_id)

    @app.get("/api/search", summary="Documents and event evidence containing a text")
    def search(cat: Cat, query: Annotated[SearchQuery, Query()]) -> Json:
        return cat.search(query.q, query.limit)

    return app


def _found(value: Json | None, what: str, ident: str) -> Json:
    if value is None:
        raise HTTPException(404, f"no {what} {ident!r}")
    return value


def _basemap_files() -> dict[str, str | None]:
    """The offline basemap files the install step copied, or None where missing."""
    names = {"countries": "countries-50m.json", "rivers": "rivers-asia-50m.json"}
    return {
        kind: f"/static/vendor/{name}" if (VENDOR_DIR / name).is_file() else None
        for kind, name in names.items()
    }


def _csp(tile_url: str | None) -> str:
    images = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc
        if "{s}." in tile_url:
            host = "*." + host.split(".", 1)[1]
        images += f" {parts.scheme}://{host}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
