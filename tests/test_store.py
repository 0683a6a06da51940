from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontlines import store as store_module
from frontlines.errors import StoreError, UsageError
from frontlines.models import (
    CERTAINTIES,
    Cluster,
    Contradiction,
    Control,
    Document,
    Event,
    EventPlace,
    Evidence,
    Mention,
    MentionKind,
    Rejected,
    Segment,
    SegmentKind,
    content_id,
    event_id,
)
from frontlines.store import MIGRATIONS, SCHEMA_VERSION, Store

PAGE = (
    "Coalition strikes pound Hajin as SDF pushes into last IS pocket\n"
    "DEIR EZ-ZOR, Syria (Reuters) - U.S.-led coalition aircraft struck Islamic State "
    "positions in Hajin on Monday, killing at least 12 militants, a coalition spokesman "
    "said. The Syrian Democratic Forces clashed with the jihadists near al-Susah, "
    "according to reports that could not be independently verified.\n"
    "Share this article | Follow us on Twitter\n"
    "abu_omar: The regime is shelling al-Bukamal again, nobody reports it.\n"
)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def make_document(text: str = PAGE, origin: str = "corpus/reuters-hajin.html") -> Document:
    body_end = text.index("Share this")
    comment_start = text.index("abu_omar")
    return Document(
        id=content_id(text),
        origin=origin,
        source="Reuters",
        url="https://www.reuters.com/article/hajin-strikes",
        title="Coalition strikes pound Hajin as SDF pushes into last IS pocket",
        published="2018-12-03",
        published_precision="day",
        language="en",
        text=text,
        segments=(
            Segment("body", 0, body_end),
            Segment("boilerplate", body_end, comment_start),
            Segment("comment", comment_start, len(text), author="abu_omar"),
        ),
    )


HAJIN = EventPlace("170017", "Hajin", 34.6947, 40.8311, 1, "SY", "Deir ez-Zor")


def make_mentions(doc: Document) -> list[Mention]:
    found: list[tuple[str, MentionKind, str, SegmentKind]] = [
        ("Hajin", "place", "170017", "body"),
        ("Syrian Democratic Forces", "actor", "sdf", "body"),
        ("al-Bukamal", "place", "172515", "comment"),
        ("12", "quantity", "12", "body"),
    ]
    mentions = []
    for needle, kind, ref, segment in found:
        start, end = _span(doc.text, needle)
        mentions.append(Mention(doc.id, start, end, needle, kind, ref, segment, 0.9, "registry"))
    return mentions


def make_events(doc: Document) -> list[Event]:
    strike_start, strike_end = _span(doc.text, "U.S.-led coalition aircraft struck")
    clash_start, clash_end = _span(doc.text, "The Syrian Democratic Forces clashed")
    strike = Event(
        id=event_id(doc.id, strike_start, "air_drone_strike"),
        doc_id=doc.id,
        evidence=Evidence(strike_start, strike_end, doc.text[strike_start:strike_end]),
        type="remote_violence",
        sub_type="air_drone_strike",
        actor1="us_led_coalition",
        actor2="isis",
        place=HAJIN,
        date_start="2018-12-03",
        date_end="2018-12-03",
        time_precision="day",
        fatalities=12,
        certainty="reported",
        attributed_to="a coalition spokesman",
        from_comment=False,
    )
    clash = Event(
        id=event_id(doc.id, clash_start, "armed_clash"),
        doc_id=doc.id,
        evidence=Evidence(clash_start, clash_end, doc.text[clash_start:clash_end]),
        type="battle",
        sub_type="armed_clash",
        actor1="sdf",
        actor2=None,
        place=None,
        date_start=None,
        date_end=None,
        time_precision="week",
        fatalities=None,
        certainty="unconfirmed",
        attributed_to=None,
        from_comment=False,
        notes="near al-Susah, not in the gazetteer",
    )
    return [strike, clash]


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as opened:
        yield opened


def test_store_round_trips_every_record_type(store: Store) -> None:
    doc = make_document()
    mentions = make_mentions(doc)
    events = make_events(doc)
    cluster = Cluster(
        id="c1",
        event_ids=(events[0].id,),
        sources=("Reuters", "SANA"),
        corroboration=2,
        summary={"type": "remote_violence", "actors": ["us_led_coalition"], "days": 1},
    )
    contradiction = Contradiction("x1", events[0].id, events[1].id, "fatalities 12 vs 0")
    control = Control("170017", "isis", "2017-10-01", None, (events[0].id, events[1].id))
    rejected = Rejected("corpus/broken.warc", "read", "not a WARC file")

    assert store.save_document(doc, mentions, events) is True
    store.replace_fusion([cluster], [contradiction], [control])
    store.save_rejected(rejected)

    assert list(store.documents()) == [doc]
    assert store.document(doc.id) == doc
    assert store.document("missing") is None
    assert list(store.mentions(doc.id)) == sorted(mentions, key=lambda m: (m.start, m.end))
    stored_events = list(store.events())
    assert stored_events == [replace(events[0], cluster_id="c1"), events[1]]
    assert list(store.clusters()) == [cluster]
    assert list(store.contradictions()) == [contradiction]
    assert list(store.control()) == [control]
    assert list(store.rejects()) == [rejected]
    assert store.processed_origins() == {doc.origin, rejected.origin}
    assert store.counts() == {
        "documents": 1,
        "mentions": 4,
        "events": 2,
        "clusters": 1,
        "contradictions": 1,
        "control": 1,
        "rejects": 1,
    }


def test_store_save_document_is_idempotent(store: Store) -> None:
    doc = make_document()
    assert store.save_document(doc, make_mentions(doc), make_events(doc)) is True
    changed = replace(doc, title="a different title")
    assert store.save_document(changed, [], []) is False
    assert store.document(doc.id) == doc
    assert store.counts()["mentions"] == 4
    assert store.counts()["events"] == 2


def test_store_save_rejected_keeps_each_rejection_once(store: Store) -> None:
    rejected = Rejected("corpus/empty.html", "read", "no readable text")
    store.save_rejected(rejected)
    store.save_rejected(rejected)
    store.save_rejected(Rejected("corpus/empty.html", "segment", "no readable text"))
    assert [r.stage for r in store.rejects()] == ["read", "segment"]


def test_store_transaction_rolls_back_on_failure(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = make_document()

    def fail(event: Event) -> dict[str, object]:
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as patch:
        patch.setattr(store_module, "_event_row", fail)
        with pytest.raises(RuntimeError, match="disk on fire"):
            store.save_document(doc, make_mentions(doc), make_events(doc))
    assert not store.has_document(doc.id)
    assert set(store.counts().values()) == {0}

    events = make_events(doc)
    with pytest.raises(StoreError, match="nothing of it was kept"):
        store.save_document(doc, make_mentions(doc), [events[0], events[0]])
    assert set(store.counts().values()) == {0}

    assert store.save_document(doc, make_mentions(doc), events) is True
    assert store.counts()["events"] == 2


def test_store_refuses_records_of_another_document(store: Store) -> None:
    doc = make_document()
    other = make_document(PAGE + "Updated 14:00 GMT\n")
    with pytest.raises(UsageError, match=other.id):
        store.save_document(doc, make_mentions(other), [])
    assert not store.has_document(doc.id)


def test_store_refuses_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "frontlines.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    conn.close()
    with pytest.raises(StoreError, match="newer frontlines"):
        Store(path)


def test_store_migrates_an_older_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION
    path = tmp_path / "frontlines.db"
    with Store(path) as old:
        doc = make_document()
        old.save_document(doc, [], [])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(
        store_module, "MIGRATIONS", [*MIGRATIONS, "CREATE TABLE sightings (id TEXT);\n"]
    )
    with Store(path) as migrated:
        assert migrated.document(doc.id) == doc
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert version == (str(SCHEMA_VERSION + 1),)
    assert "sightings" in tables


def test_store_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Hajin fell on 14 December 2018.\n" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        Store(path)


def test_store_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "frontlines.db"
    with Store(path) as store:
        doc = make_document()
        store.save_document(doc, make_mentions(doc), make_events(doc))
        assert Path(f"{path}-wal").exists()
        with sqlite3.connect(path) as reader:
            mode = reader.execute("PRAGMA journal_mode").fetchone()[0]
            foreign_keys = reader.execute("PRAGMA foreign_key_list(events)").fetchall()
        reader.close()
    assert mode == "wal"
    assert [row[2] for row in foreign_keys] == ["documents"]


def test_store_replace_fusion_sets_cluster_ids(store: Store) -> None:
    doc = make_document()
    strike, clash = make_events(doc)
    store.save_document(doc, [], [strike, clash])

    store.replace_fusion([Cluster("c1", (strike.id, clash.id), ("Reuters",), 1)], [], [])
    assert {e.id: e.cluster_id for e in store.events()} == {strike.id: "c1", clash.id: "c1"}

    store.replace_fusion([Cluster("c2", (clash.id,), ("Reuters",), 1)], [], [])
    assert {e.id: e.cluster_id for e in store.events()} == {strike.id: None, clash.id: "c2"}
    assert [c.id for c in store.clusters()] == ["c2"]

    with pytest.raises(UsageError, match=clash.id):
        store.replace_fusion(
            [Cluster("c3", (clash.id,), (), 1), Cluster("c4", (clash.id,), (), 1)], [], []
        )
    assert [c.id for c in store.clusters()] == ["c2"]


# -- property test: any Event survives a round trip ----------------------------------

_texts = st.text(max_size=12)
_optional_texts = st.none() | _texts
_places = st.builds(
    EventPlace,
    id=_texts,
    name=_texts,
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
    geo_precision=st.integers(1, 3),
    country=_optional_texts,
    admin1=_optional_texts,
)
_events = st.builds(
    Event,
    id=_texts,
    doc_id=st.just("doc"),
    evidence=st.builds(Evidence, st.integers(0, 10**6), st.integers(0, 10**6), _texts),
    type=_texts,
    sub_type=_texts,
    actor1=_optional_texts,
    actor2=_optional_texts,
    place=st.none() | _places,
    date_start=_optional_texts,
    date_end=_optional_texts,
    time_precision=st.sampled_from(["day", "week", "month", "year", "unknown"]),
    fatalities=st.none() | st.integers(-(2**63), 2**63 - 1),
    certainty=st.sampled_from(CERTAINTIES),
    attributed_to=_optional_texts,
    from_comment=st.booleans(),
    cluster_id=_optional_texts,
    notes=_optional_texts,
)


@settings(database=None)
@given(st.lists(_events, max_size=5, unique_by=lambda event: event.id))
def test_store_round_trips_any_event(events: list[Event]) -> None:
    doc = Document("doc", "origin", None, None, None, None, "unknown", None, "")
    with Store(":memory:") as store:
        store.save_document(doc, [], events)
        stored = list(store.events())
    assert stored == sorted(events, key=lambda e: (e.evidence.start, e.evidence.end, e.id))
    for event in stored:
        assert type(event.from_comment) is bool
