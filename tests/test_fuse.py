"""Fusion: same-event clusters without chaining; corroboration; contradictions."""

from __future__ import annotations

from dataclasses import replace

from frontlines.fuse import fuse
from frontlines.models import Document, Event, EventPlace, Evidence
from frontlines.pipeline import Resources

HAJIN = EventPlace("174506", "Hajin", 34.7236, 40.7843, 1, "SY", "Deir ez-Zor")
BAGHUZ = EventPlace("fl:baghuz", "Baghuz", 34.47, 40.95, 1, "SY", "Deir ez-Zor")


def event(i: str, doc: str, place: EventPlace, day: str, **kw: object) -> Event:
    base = Event(
        id=i,
        doc_id=doc,
        evidence=Evidence(0, 10, "x"),
        type="battle",
        sub_type="non_state_actor_overtakes_territory",
        actor1="sdf",
        actor2="isis",
        place=place,
        date_start=day,
        date_end=day,
        time_precision="day",
        fatalities=None,
        certainty="asserted",
        attributed_to=None,
        from_comment=False,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def doc(i: str, source: str, duplicate_of: str | None = None) -> Document:
    return Document(
        i, f"{i}.txt", source, None, None, None, "unknown", "en", "x", duplicate_of=duplicate_of
    )


def test_fuse_clusters_same_event_and_counts_independent_sources(res: Resources) -> None:
    events = [
        event("a", "d1", HAJIN, "2018-12-14"),
        event("b", "d2", HAJIN, "2018-12-14", actor1="ypg"),
        event("c", "d3", HAJIN, "2018-12-15"),
        event("d", "d4", BAGHUZ, "2019-03-23"),
        event("e", "d5", HAJIN, "2018-12-14", from_comment=True),
    ]
    docs = [
        doc("d1", "Levant Wire"),
        doc("d2", "Kurdistan Voice"),
        doc("d3", "Levant Wire copy", duplicate_of="d1"),
        doc("d4", "Levant Wire"),
        doc("d5", "Levant Wire"),
    ]
    fusion = fuse(events, docs, res.registry)
    groups = {c.event_ids: c for c in fusion.clusters}
    hajin = groups[("a", "b", "c")]
    assert hajin.corroboration == 2  # the syndicated copy does not count
    assert ("d",) in groups
    assert all("e" not in c.event_ids for c in fusion.clusters)


def test_fuse_does_not_chain_through_intermediate_events(res: Resources) -> None:
    a = EventPlace("1", "A", 35.0, 40.0, 1)
    b = EventPlace("2", "B", 35.0, 40.14, 1)  # 12.7 km from A
    c = EventPlace("3", "C", 35.0, 40.28, 1)  # 12.7 km from B, 25 km from A
    events = [
        event("x", "d1", a, "2018-01-01"),
        event("y", "d2", b, "2018-01-01"),
        event("z", "d3", c, "2018-01-01"),
    ]
    fusion = fuse(events, [doc("d1", "A"), doc("d2", "B"), doc("d3", "C")], res.registry)
    assert not any(set(cl.event_ids) == {"x", "y", "z"} for cl in fusion.clusters)


def test_fuse_flags_denial_and_builds_control(res: Resources) -> None:
    events = [
        event("a", "d1", HAJIN, "2018-12-14"),
        event("b", "d2", HAJIN, "2018-12-14", certainty="denied", actor1="sdf"),
    ]
    fusion = fuse(events, [doc("d1", "A"), doc("d2", "B")], res.registry)
    assert any("denies" in c.reason for c in fusion.contradictions)
    assert [(c.place_id, c.actor) for c in fusion.control] == [("174506", "sdf")]
