"""Fusion: same-event clusters without chaining; corroboration; contradictions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from frontlines.fuse import BANK, CASUALTIES, CONTROL, DENIAL, contradiction_kind, fuse
from frontlines.models import Document, Event, EventPlace, Evidence
from frontlines.pipeline import Resources, ingest
from frontlines.store import Store

HAJIN = EventPlace("174506", "Hajin", 34.7236, 40.7843, 1, "SY", "Deir ez-Zor")
BAGHUZ = EventPlace("fl:baghuz", "Baghuz", 34.47, 40.95, 1, "SY", "Deir ez-Zor")


def event(i: str, doc: str, place: EventPlace, day: str | None, **kw: object) -> Event:
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


def test_fuse_grows_stored_clusters_incrementally_with_stable_ids(res: Resources) -> None:
    first = [event("a", "d1", HAJIN, "2018-12-14"), event("d", "d4", BAGHUZ, "2019-03-23")]
    docs = [doc("d1", "Levant Wire"), doc("d2", "Kurdistan Voice"), doc("d4", "Levant Wire")]
    before = fuse(first, docs, res.registry).clusters
    later = [*first, event("b", "d2", HAJIN, "2018-12-15"), event("z", "d2", BAGHUZ, "2017-01-01")]
    after = fuse(later, docs, res.registry, previous=before).clusters
    ids_before = {c.event_ids[0]: c.id for c in before}
    by_id = {c.id: c for c in after}
    hajin = by_id[ids_before["a"]]
    assert hajin.event_ids == ("a", "b") and hajin.corroboration == 2
    assert by_id[ids_before["d"]].event_ids == ("d",)
    assert len(after) == 3  # the 2017 Baghuz event is another happening


def test_fuse_keeps_previous_clusters_even_when_a_new_event_fits_elsewhere(
    res: Resources,
) -> None:
    events = [event("a", "d1", HAJIN, "2018-12-14"), event("b", "d2", HAJIN, "2018-12-14")]
    docs = [doc("d1", "A"), doc("d2", "B")]
    separate = fuse(events[:1], docs, res.registry).clusters
    grown = fuse(events, docs, res.registry, previous=separate).clusters
    assert [c.id for c in grown] == [separate[0].id]
    assert grown[0].event_ids == ("a", "b")


def test_fuse_reports_two_actors_holding_one_place_at_once(res: Resources) -> None:
    events = [
        event("a", "d1", HAJIN, "2018-12-14"),
        event("b", "d2", HAJIN, "2018-12-15", actor1="isis", actor2=None),
        event("c", "d3", HAJIN, "2019-02-20", actor1="isis", actor2=None),
    ]
    docs = [doc("d1", "Kurdistan Voice"), doc("d2", "Amaq relay"), doc("d3", "Levant Wire")]
    fusion = fuse(events, docs, res.registry)
    conflicts = [c for c in fusion.contradictions if c.reason.startswith(CONTROL)]
    assert [{c.a, c.b} for c in conflicts] == [{"a", "b"}]
    assert "Kurdistan Voice" in conflicts[0].reason and "Amaq relay" in conflicts[0].reason
    assert [(c.actor, c.since, c.until) for c in fusion.control] == [
        ("sdf", "2018-12-14", "2018-12-15"),
        ("isis", "2018-12-15", None),
    ]
    assert fusion.control[1].evidence == ("b", "c")


def test_fuse_reports_opposite_river_banks_and_far_apart_tolls(res: Resources) -> None:
    east = Evidence(0, 40, "Fighters crossed to the eastern bank of the Euphrates on Monday.")
    west = Evidence(0, 40, "The army stayed on the western bank, officials said.")
    strike = {"type": "remote_violence", "sub_type": "air_drone_strike",
              "actor1": "us_led_coalition", "actor2": "saa"}  # fmt: skip
    events = [
        event("a", "d1", HAJIN, "2018-02-07", evidence=east, **strike),
        event("b", "d2", HAJIN, "2018-02-07", evidence=west, fatalities=100, **strike),
        event("c", "d3", HAJIN, "2018-02-08", fatalities=215, **strike),
        event("d", "d4", HAJIN, "2018-02-08", fatalities=110, **strike),
    ]
    docs = [doc("d1", "A"), doc("d2", "B"), doc("d3", "C"), doc("d4", "D")]
    fusion = fuse(events, docs, res.registry)
    assert len(fusion.clusters) == 1
    kinds = {(contradiction_kind(c), frozenset((c.a, c.b))) for c in fusion.contradictions}
    assert kinds == {
        (BANK, frozenset("ab")),
        (CASUALTIES, frozenset("bc")),  # 100 vs 215; 100 vs 110 and 110 vs 215 can both hold
    }
    bank = next(c for c in fusion.contradictions if c.reason.startswith(BANK))
    assert "east" in bank.reason and "west" in bank.reason


def test_fuse_denial_reason_quotes_both_sources(res: Resources) -> None:
    claim = Evidence(0, 30, "Russian jets struck SDF positions near the Conoco field.")
    events = [
        event("a", "d1", HAJIN, "2017-09-16", evidence=claim),
        event("b", "d2", HAJIN, "2017-09-17", certainty="denied", actor1=None),
    ]
    fusion = fuse(events, [doc("d1", "Kurdistan Voice"), doc("d2", "Moscow Herald")], res.registry)
    (found,) = fusion.contradictions
    assert contradiction_kind(found) == DENIAL
    assert "Kurdistan Voice" in found.reason and "Moscow Herald denies" in found.reason
    assert "Conoco" in found.reason
    assert fusion.clusters[0].corroboration == 1  # the denial does not corroborate


def test_fuse_undated_events_join_only_the_same_place(res: Resources) -> None:
    near_hajin = EventPlace("fl:near", "Near Hajin", 34.75, 40.80, 1)
    events = [
        event("a", "d1", HAJIN, "2018-12-14"),
        event("b", "d2", near_hajin, None, date_end=None, time_precision="unknown"),
        event("c", "d3", HAJIN, None, date_end=None, time_precision="unknown"),
    ]
    docs = [doc("d1", "A"), doc("d2", "B"), doc("d3", "C")]
    groups = {c.event_ids for c in fuse(events, docs, res.registry).clusters}
    assert groups == {("a", "c"), ("b",)}


def test_fuse_matches_sides_named_the_other_way_round_but_not_for_territory(
    res: Resources,
) -> None:
    strike = {"type": "remote_violence", "sub_type": "air_drone_strike"}
    events = [
        event("a", "d1", HAJIN, "2018-02-07", actor1="us_led_coalition", actor2="saa", **strike),
        event("b", "d2", HAJIN, "2018-02-07", actor1="saa", actor2="us_led_coalition", **strike),
        event("c", "d1", BAGHUZ, "2018-02-07", actor1="sdf", actor2="isis"),
        event("d", "d2", BAGHUZ, "2018-02-07", actor1="isis", actor2="sdf"),
    ]
    groups = {c.event_ids for c in fuse(events, [doc("d1", "A"), doc("d2", "B")],
                                        res.registry).clusters}  # fmt: skip
    assert groups == {("a", "b"), ("c",), ("d",)}


def test_fuse_counts_a_syndicated_copy_as_its_original_publisher(res: Resources) -> None:
    events = [event("a", "d2", HAJIN, "2018-12-14"), event("b", "d3", HAJIN, "2018-12-14")]
    docs = [
        doc("d1", "Levant Wire"),
        doc("d2", "Al-Sharq Tribune", duplicate_of="d1"),
        doc("d3", "Levant Wire"),
    ]
    (cluster,) = fuse(events, docs, res.registry).clusters
    assert cluster.corroboration == 1
    assert cluster.sources == ("Al-Sharq Tribune", "Levant Wire")


def test_ingest_keeps_cluster_ids_when_later_reports_join(res: Resources, tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parents[1] / "gold" / "fusion" / "docs"
    with Store(tmp_path / "f.db") as store:
        ingest([folder / "121-raqqa-kurdistan-voice.txt"], store, res)
        before = {c.id: set(c.event_ids) for c in store.clusters()}
        ingest([folder / "122-raqqa-levant-wire.txt", folder / "123-raqqa-euphrates-monitor.txt"],
               store, res)  # fmt: skip
        after = {c.id: set(c.event_ids) for c in store.clusters()}
        events = {e.id: e.cluster_id for e in store.events()}
    assert before and all(after[i] >= members for i, members in before.items())
    assert any(len(after[i]) > len(members) for i, members in before.items())
    assert all(events[e] == i for i, members in after.items() for e in members)


def test_control_is_held_only_by_armed_or_state_actors_over_places_in_the_theatre(
    res: Resources,
) -> None:
    russia = EventPlace("2017370", "Russia", 60.0, 100.0, 3, "RU")
    deir = EventPlace("170794", "Deir ez-Zor Governorate", 35.3, 40.1, 3, "SY")
    events = [
        event("a", "d1", HAJIN, "2018-12-14"),  # the SDF takes Hajin: a control row
        event("b", "d2", HAJIN, "2018-12-14", actor1="civilians", actor2=None),
        event("c", "d3", russia, "2018-12-14"),  # a country abroad stands for a government
        event("d", "d4", deir, "2018-12-14", actor1="isis", actor2="sdf"),  # a province
        event("e", "d5", HAJIN, "2018-12-14", actor1="sana", actor2=None),  # a news agency
    ]
    docs = [doc(f"d{i}", f"S{i}") for i in range(1, 6)]
    fusion = fuse(events, docs, res.registry)
    assert [(c.place_id, c.actor, c.evidence) for c in fusion.control] == [
        ("174506", "sdf", ("a",))
    ]
    assert not [c for c in fusion.contradictions if contradiction_kind(c) == CONTROL]


def test_fuse_places_day_precise_leads_before_vaguer_background(res: Resources) -> None:
    # d2 tells the capture in its lead and, further down, a week-dated aside at Baghuz
    # (12 km away); placed first, the aside would take the cluster that d1 and d3 join
    # and keep d2's lead out of it (one article's two places are two happenings)
    near = EventPlace("fl:near", "Near Hajin", 34.70, 40.90, 1, "SY")
    events = [
        event("lead1", "d1", HAJIN, "2018-12-14"),
        replace(event("lead2", "d2", HAJIN, "2018-12-14"), evidence=Evidence(80, 160, "y")),
        replace(
            event("aside", "d2", near, "2018-12-08", date_end="2018-12-14", time_precision="week"),
            evidence=Evidence(400, 480, "z"),
        ),  # fmt: skip
        event("lead3", "d3", HAJIN, "2018-12-14"),
    ]
    fusion = fuse(events, [doc("d1", "A"), doc("d2", "B"), doc("d3", "C")], res.registry)
    groups = {c.event_ids for c in fusion.clusters}
    assert ("lead1", "lead2", "lead3") in groups
    assert ("aside",) in groups


def test_a_withdrawal_leaves_the_place_to_the_other_side_not_to_the_one_leaving(
    res: Resources,
) -> None:
    transfer = {"type": "strategic_development", "sub_type": "non_violent_transfer_of_territory"}
    events = [
        event("out", "d1", HAJIN, "2018-12-10", actor1="isis", actor2="sdf", **transfer),
        event("gone", "d2", BAGHUZ, "2018-12-10", actor1="isis", actor2=None, **transfer),
        replace(
            event("walk", "d3", BAGHUZ, "2019-03-23", actor1="sdf", actor2=None, **transfer),
            evidence=Evidence(0, 40, "The SDF entered Baghuz without a fight."),
        ),
    ]
    fusion = fuse(events, [doc("d1", "A"), doc("d2", "B"), doc("d3", "C")], res.registry)
    assert sorted((c.place_id, c.actor, c.evidence) for c in fusion.control) == [
        ("174506", "sdf", ("out",)),
        ("fl:baghuz", "sdf", ("walk",)),
    ]
