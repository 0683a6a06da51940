"""The map page in a real Chromium (Debian's package) driven by Playwright: filter by
type, move the time slider, open an event and see its evidence in its document.

Needs /usr/bin/chromium and the vendor files `make install` copies; skipped without
Chromium. Screenshots are saved to $FRONTLINES_ARTIFACTS (or the test's tmp dir).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from frontlines.pipeline import IngestReport
from frontlines.serve.app import VENDOR_DIR, create_app
from frontlines.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

pytestmark = [
    pytest.mark.slow,
    # CI installs chromium (.ci/run), so there a missing browser is a failure, not a skip.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs Debian's chromium at /usr/bin",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(sample_ingest: tuple[Store, IngestReport]) -> Iterator[str]:
    import uvicorn

    if not (VENDOR_DIR / "leaflet.js").is_file():
        pytest.fail(f"{VENDOR_DIR} lacks the JavaScript files: run `make install`")
    store, _ = sample_ingest
    port = free_port()
    config = uvicorn.Config(
        create_app(store.path), host="127.0.0.1", port=port, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        tab = context.new_page()
        requested: list[str] = []
        tab.on("request", lambda request: requested.append(request.url))
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto(server + "/")
        tab.wait_for_selector("body[data-ready='true']", timeout=15_000)
        tab.requested = requested  # type: ignore[attr-defined]
        tab.errors = errors  # type: ignore[attr-defined]
        yield tab
        browser.close()


def artifact_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FRONTLINES_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def visible(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("window.frontlines.visible()"))


def test_browser_map_page_filters_slides_and_shows_evidence(
    page: Any, server: str, tmp_path: Path
) -> None:
    # Everything came from this server: no CDN, no tiles.
    assert page.requested and all(url.startswith(server) for url in page.requested)
    assert page.errors == []
    everything = visible(page)
    types = {e["type"] for e in everything}
    assert {"battle", "remote_violence"} <= types
    assert page.locator(".leaflet-basemap-pane path").count() > 50

    # Filter by type: only battles stay, on the map and in the list.
    for other in sorted(types - {"battle"}):
        page.uncheck(f"#filter-type-{other}")
    battles = visible(page)
    assert battles and {e["type"] for e in battles} == {"battle"}
    assert len(battles) < len(everything)
    list_types = page.eval_on_selector_all(
        "#event-list li[data-id]", "n => n.map(x => x.dataset.type)"
    )
    assert set(list_types) == {"battle"}

    # Move the time slider back: later events disappear, and none shown is later.
    dated = sorted(e["date_start"] for e in battles if e["date_start"])
    middle = dated[len(dated) // 2]
    slider = page.locator("#time-slider")
    first_day = page.evaluate("window.frontlines.state.firstDay")
    target = page.evaluate(f"Math.floor(Date.parse('{middle}T00:00:00Z') / 86400000)")
    slider.fill(str(target - first_day))
    assert page.text_content("#time-label") == middle
    earlier = visible(page)
    assert 0 < len(earlier) < len(battles)
    assert all(e["date_start"] and e["date_start"] <= middle for e in earlier)

    # Click an event in the list: the panel shows its evidence highlighted in its text.
    item = page.locator("#event-list li[data-id]").first
    event_id = item.get_attribute("data-id")
    item.click()
    page.wait_for_selector(f"#details[data-id='{event_id}'] mark#evidence")
    detail = page.evaluate(f"fetch('/api/events/{event_id}').then(r => r.json())")
    assert page.text_content("#evidence") == detail["evidence"]["text"]
    assert page.text_content("#doc-text") == detail["document"]["text"]
    assert detail["certainty"] in page.text_content("#details")

    folder = artifact_dir(tmp_path)
    page.screenshot(path=str(folder / "map-page.png"))

    # And a marker on the map opens its event too (zoomed in, clusters come apart).
    first = earlier[0]["id"]
    page.evaluate(
        """id => {
            const ev = window.frontlines.state.events.find(e => e.id === id);
            window.frontlines.map.setView([ev.place.lat, ev.place.lon], 12, {animate: false});
        }""",
        first,
    )
    marker = page.locator(".fl-marker[data-id]").first
    marker.wait_for(state="attached")
    clicked = marker.get_attribute("data-id")
    marker.dispatch_event("click")
    page.wait_for_selector(f"#details[data-id='{clicked}'] mark#evidence")
    page.screenshot(path=str(folder / "map-page-zoomed.png"))
    assert (folder / "map-page.png").stat().st_size > 10_000
    assert page.errors == []


def test_browser_document_text_is_rendered_as_text(page: Any) -> None:
    """A document whose text is markup shows as that markup, and nothing of it runs."""
    hostile = 'Intro. <img src=x onerror="window.__pwned = 1"><b>Bold claim</b> end.'
    start = hostile.index("<img")
    event_id = visible(page)[0]["id"]
    real = page.evaluate(f"fetch('/api/events/{event_id}').then(r => r.json())")
    real["document"]["text"] = hostile
    real["evidence"] = {"start": start, "end": len(hostile) - 5, "text": hostile[start:-5]}
    real["title"] = "<script>window.__pwned = 2</script>"

    def fake(route: Any) -> None:
        route.fulfill(json=real)

    page.route(f"**/api/events/{event_id}", fake)
    try:
        page.evaluate(f"window.frontlines.openEvent('{event_id}')")
        page.wait_for_selector(f"#details[data-id='{event_id}'] mark#evidence")
        assert page.text_content("#evidence") == hostile[start:-5]
        assert page.text_content("#doc-text") == hostile
        assert page.locator("#details img, #details b, #details script").count() == 0
        assert real["title"] in page.text_content("#details")
        assert page.evaluate("window.__pwned === undefined")
    finally:
        page.unroute(f"**/api/events/{event_id}")
