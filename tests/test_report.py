"""Situation reports on the sample database: every statement cited, scope honoured,
both sides of contested claims, images, and untrusted text escaped."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.errors import UsageError
from frontlines.gazetteer import distance_km
from frontlines.pipeline import IngestReport, Resources
from frontlines.report import (
    PLACE_RADIUS_KM,
    Report,
    Scope,
    Section,
    Statement,
    build_report,
    draw_chart,
    parse_scope,
    render_html,
    render_markdown,
    stored_place,
)
from frontlines.store import Store

pytestmark = pytest.mark.slow
PNG = b"\x89PNG\r\n\x1a\n"
CITES = re.compile(r"(?:\[\d+\])+$")


@pytest.fixture(scope="module")
def store(sample_ingest: tuple[Store, IngestReport]) -> Store:
    return sample_ingest[0]


@pytest.fixture(scope="module")
def whole(store: Store, res: Resources) -> Report:
    return build_report(store, res.registry, Scope())


def no_place(name: str) -> None:
    return None


def test_report_every_statement_ends_with_citations_to_listed_sources(whole: Report) -> None:
    text = render_markdown(whole, "m.png", "c.png")
    body, sources = text.split("\n## Sources\n")
    bullets = [line for line in body.splitlines() if line.lstrip().startswith("- ")]
    assert len(bullets) > 30
    cited: set[int] = set()
    for line in bullets:
        found = CITES.search(line)
        assert found, f"statement without citation: {line}"
        cited |= {int(n) for n in re.findall(r"\[(\d+)\]", found.group())}
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", sources, flags=re.M)}
    assert cited == listed == set(range(1, len(listed) + 1))
    assert len(listed) == len(whole.sources())


def test_report_headlines_are_the_best_corroborated_clusters(whole: Report, store: Store) -> None:
    headlines = whole.sections[0]
    assert headlines.title == "Headline developments" and headlines.statements
    best = max(c.corroboration for c in store.clusters())
    assert f"({best} independent sources" in headlines.statements[0].text
    assert len(headlines.statements[0].doc_ids) >= best
    titles = [s.title for s in whole.sections]
    assert any(t.startswith("Area: ") for t in titles)
    assert titles[-2:] == ["Control changes", "Contested claims"]


def test_report_contested_claims_cite_both_sides(whole: Report, store: Store) -> None:
    contested = whole.sections[-1].statements
    by_id = {e.id: e for e in whole.events}
    clashes = [c for c in store.contradictions() if c.a in by_id and c.b in by_id]
    assert clashes
    heads = [s for s in contested if s.level == 0]
    sides = [s for s in contested if s.level == 1]
    assert len(heads) == len(clashes) and len(sides) == 2 * len(clashes)
    for clash, head in zip(clashes, heads, strict=True):
        assert head.doc_ids == (by_id[clash.a].doc_id, by_id[clash.b].doc_id)
        assert clash.reason in head.text
    for side in sides:
        assert "“" in side.text and len(side.doc_ids) == 1


def test_report_control_changes_are_cited(whole: Report, store: Store) -> None:
    control = whole.sections[-2].statements
    assert control and all(" took control of " in s.text and s.doc_ids for s in control)
    assert len(control) <= sum(1 for c in store.control() if c.since)


def test_report_scope_by_dates_and_place(store: Store, res: Resources) -> None:
    scope = parse_scope("2018-01-01", "2018-12-31", None, None, no_place)
    report = build_report(store, res.registry, scope)
    assert report.events
    for event in report.events:
        assert event.date_start and event.date_start <= "2018-12-31"
        assert (event.date_end or event.date_start) >= "2018-01-01"
        assert not event.from_comment
    hajin = parse_scope(None, None, "hajin", None, lambda n: stored_place(store, n))
    assert hajin.place is not None and hajin.place[0] == "Hajin"
    near = build_report(store, res.registry, hajin)
    assert near.events and len(near.events) < len(build_report(store, res.registry, Scope()).events)
    for event in near.events:
        assert event.place is not None
        centre = (hajin.place[1], hajin.place[2])
        assert distance_km(centre, (event.place.lat, event.place.lon)) <= PLACE_RADIUS_KM
    boxed = build_report(
        store, res.registry, parse_scope(None, None, None, "40,34,41,35", no_place)
    )
    assert boxed.events and all(
        e.place and 40 <= e.place.lon <= 41 and 34 <= e.place.lat <= 35 for e in boxed.events
    )


@pytest.mark.parametrize(
    ("since", "until", "place", "bbox"),
    [
        ("2018-13-01", None, None, None),
        ("2019-01-01", "2018-01-01", None, None),
        (None, None, "Atlantis", None),
        (None, None, "Hajin", "40,34,41,35"),
        (None, None, None, "40,34"),
    ],
)
def test_report_refuses_a_bad_scope(
    since: str | None, until: str | None, place: str | None, bbox: str | None
) -> None:
    with pytest.raises(UsageError):
        parse_scope(since, until, place, bbox, no_place)


def test_report_html_escapes_text_and_embeds_images(whole: Report) -> None:
    hostile = Statement('<script>alert("x")</script> & <b>claims</b>', ("d1",))
    report = Report(
        "Situation report",
        "scope",
        "summary",
        (Section("Contested claims", (hostile,)),),
        (),
        {},
    )
    page = render_html(report, PNG + b"map", PNG + b"chart")
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>" not in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert [base64.b64decode(i) for i in images] == [PNG + b"map", PNG + b"chart"]
    assert '<a class="cite" href="#src-1">[1]</a>' in page and 'id="src-1"' in page
    assert draw_chart(()).startswith(PNG)


def test_report_cli_writes_markdown_with_two_images(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "sitrep.md"
    result = CliRunner().invoke(
        cli,
        ["report", "--db", store.path, "--since", "2017-10-01", "--until", "2017-11-30",
         "--format", "md", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "![Map of events](sitrep-map.png)" in text and "## Contested claims" in text
    for image in ("sitrep-map.png", "sitrep-chart.png"):
        data = (tmp_path / image).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000
    missing = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "x.db"), "-o", str(out)])
    assert missing.exit_code != 0 and "no database" in missing.output
