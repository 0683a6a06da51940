"""The JSON API over the sample database: filters, paging, details, refusals, and that
nothing is written or fetched from elsewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from frontlines.errors import StoreError
from frontlines.models import Rejected
from frontlines.pipeline import IngestReport
from frontlines.serve.app import VENDOR_DIR, create_app
from frontlines.serve.basemap import COUNTRIES, RIVERS, topo_lines
from frontlines.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(sample_ingest: tuple[Store, IngestReport]) -> Store:
    return sample_ingest[0]


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store.path)) as test_client:
        yield test_client


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def every_page(client: TestClient, path: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = get(client, path, limit=limit, offset=len(items), **params)
        items += page["items"]
        if len(items) >= page["total"] or not page["items"]:
            return items


def test_serve_events_filter_by_type_and_page_through_all(client: TestClient, store: Store) -> None:
    article = [e for e in store.events() if not e.from_comment]
    battles = [e for e in article if e.type == "battle"]
    page = get(client, "/api/events", type="battle", limit=7)
    assert page["total"] == len(battles) and len(page["items"]) == 7
    assert {item["type"] for item in page["items"]} == {"battle"}
    paged = every_page(client, "/api/events", 7, type="battle")
    assert sorted(item["id"] for item in paged) == sorted(e.id for e in battles)
    assert len({item["id"] for item in paged}) == len(paged)  # no page repeats another
    first = paged[0]
    assert set(first["actor1"] or {"id": 1, "name": 2}) == {"id", "name"}
    assert first["source"] and "text" not in first


def test_serve_events_by_date_range_certainty_actor_and_bbox(
    client: TestClient, store: Store
) -> None:
    since, until = "2017-10-01", "2017-12-31"
    items = every_page(client, "/api/events", 100, since=since, until=until)
    assert items
    for item in items:
        assert item["date_start"] <= until and (item["date_end"] or item["date_start"]) >= since
    expected = [
        e
        for e in store.events()
        if not e.from_comment
        and e.date_start
        and e.date_start <= until
        and (e.date_end or e.date_start) >= since
    ]
    assert len(items) == len(expected)

    denied = every_page(client, "/api/events", 100, certainty=["denied", "possible"])
    assert denied and {i["certainty"] for i in denied} <= {"denied", "possible"}

    sdf = every_page(client, "/api/events", 100, actor="sdf")
    assert sdf and all("sdf" in {(i["actor1"] or {}).get("id"), (i["actor2"] or {}).get("id")}
                       for i in sdf)  # fmt: skip

    box = (40.0, 34.0, 41.5, 35.5)  # the middle Euphrates valley
    inside = every_page(client, "/api/events", 100, bbox=",".join(map(str, box)))
    assert inside
    for item in inside:
        assert box[0] <= item["place"]["lon"] <= box[2] and box[1] <= item["place"]["lat"] <= box[3]


def test_serve_reader_comments_only_when_asked(client: TestClient, store: Store) -> None:
    from_comments = [e for e in store.events() if e.from_comment]
    assert from_comments, "the sample has reader-comment events"
    default = every_page(client, "/api/events", 1000)
    assert not any(item["from_comment"] for item in default)
    with_comments = get(client, "/api/events", comments="true", limit=1)
    assert with_comments["total"] == len(default) + len(from_comments)


@pytest.mark.parametrize(
    "params",
    [
        {"bogus": "1"},
        {"bbox": "40,34,41"},
        {"bbox": "41,34,40,35"},
        {"limit": "5000"},
        {"offset": "-1"},
        {"since": "yesterday"},
        {"type": "picnic"},
        {"certainty": "certain"},
    ],
)
def test_serve_refuses_malformed_queries(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, response.text


def test_serve_event_detail_has_evidence_in_document_cluster_and_contradiction(
    client: TestClient, store: Store
) -> None:
    clash = next(iter(store.contradictions()))
    detail = get(client, f"/api/events/{clash.a}")
    text = detail["document"]["text"]
    evidence = detail["evidence"]
    assert text[evidence["start"] : evidence["end"]].strip() == evidence["text"].strip()
    others = {c["other"]["id"] for c in detail["contradictions"]}
    assert clash.b in others
    assert any(c["reason"] == clash.reason for c in detail["contradictions"])
    clustered = next(e for e in store.events() if e.cluster_id)
    detail = get(client, f"/api/events/{clustered.id}")
    members = {m["id"] for m in detail["cluster"]["members"]}
    assert clustered.id in members
    assert client.get("/api/events/nope").status_code == 404


def test_serve_clusters_most_sources_first(client: TestClient, store: Store) -> None:
    clusters = every_page(client, "/api/clusters", 50)
    assert len(clusters) == len(list(store.clusters()))
    ranks = [c["corroboration"] for c in clusters]
    assert ranks == sorted(ranks, reverse=True)
    strong = get(client, "/api/clusters", min_sources=2, limit=1000)["items"]
    assert strong and all(c["corroboration"] >= 2 for c in strong)
    assert len(strong) == sum(1 for c in store.clusters() if c.corroboration >= 2)
    one = get(client, f"/api/clusters/{strong[0]['id']}")
    assert {m["id"] for m in one["members"]} == set(strong[0]["event_ids"])


def test_serve_contradictions_and_control(client: TestClient, store: Store) -> None:
    clashes = get(client, "/api/contradictions")
    assert clashes["total"] == len(list(store.contradictions())) > 0
    for item in clashes["items"]:
        assert item["a"]["evidence"] and item["b"]["evidence"]
    control = get(client, "/api/control")
    assert control["total"] == len(list(store.control())) > 0
    spell = control["items"][0]
    assert isinstance(spell["place"]["lat"], float) and spell["actor"]["name"]
    one_place = get(client, "/api/control", place=spell["place"]["id"])
    assert one_place["items"] and {s["place"]["id"] for s in one_place["items"]} == {
        spell["place"]["id"]
    }


def test_serve_documents_and_search(client: TestClient, store: Store) -> None:
    listed = every_page(client, "/api/documents", 10)
    assert len(listed) == store.counts()["documents"]
    assert all("text" not in d for d in listed)
    doc = get(client, f"/api/documents/{listed[0]['id']}")
    stored = store.document(listed[0]["id"])
    assert stored is not None and doc["text"] == stored.text
    assert {e["id"] for e in doc["events"]} == {e.id for e in store.events(stored.id)}

    found = get(client, "/api/search", q="hajin")
    with_hajin = [d for d in store.documents() if "hajin" in (d.text + (d.title or "")).lower()]
    assert found["documents_total"] == len(with_hajin) > 0
    for hit in found["documents"]:
        snip = hit["snippet"]
        assert snip["text"][snip["start"] : snip["end"]].lower() == "hajin"
    assert found["events"] and all(
        "hajin" in e["evidence"]["text"].lower() for e in found["events"]
    )
    assert client.get("/api/search", params={"q": "h"}).status_code == 422
    assert client.get("/api/documents/nope").status_code == 404


def test_serve_is_read_only_and_offline(client: TestClient, store: Store, tmp_path: Path) -> None:
    before = store.counts()
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/api/events").status_code == 405
    assert store.counts() == before
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/static/") for s in sources)
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/leaflet.js").status_code == 200
    assert "/api/events" in client.get("/openapi.json").json()["paths"]

    with pytest.raises(StoreError):
        create_app(tmp_path / "missing.db")
    with Store(store.path, readonly=True) as reader, pytest.raises(StoreError):
        reader.save_rejected(Rejected("x", "read", "test"))


def test_serve_tiles_setting_widens_only_images(store: Store) -> None:
    app = create_app(store.path, tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    with TestClient(app) as tiles:
        policy = tiles.get("/").headers["content-security-policy"]
        assert "img-src 'self' data: https://*.tile.example.org" in policy
        assert "script-src 'self';" in policy
        assert get(tiles, "/api/meta")["tile_url"].startswith("https://{s}.tile")


def test_serve_meta_and_basemap_files(client: TestClient) -> None:
    meta = get(client, "/api/meta")
    assert date.fromisoformat(meta["date_min"]) <= date.fromisoformat(meta["date_max"])
    assert sum(t["count"] for t in meta["types"]) > 0
    assert meta["basemap"]["countries"] == "/static/vendor/countries-50m.json"
    assert VENDOR_DIR.is_dir()
    borders = topo_lines(COUNTRIES, "countries")
    rivers = topo_lines(RIVERS, "rivers")
    # The Euphrates passes Deir ez-Zor (40.14 E, 35.33 N): some river point lies near it.
    assert any(abs(x - 40.14) < 0.3 and abs(y - 35.33) < 0.3 for line in rivers for x, y in line)
    assert len(borders) > 200
    assert all(-180.5 <= x <= 180.5 and -90.5 <= y <= 90.5 for x, y in borders[0])
