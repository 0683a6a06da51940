"""fuse: across documents — same-event clusters, corroboration, contradictions, control.

Two events can share a cluster when their types are compatible, their actors agree
(through the registry: the same force, a parent, an ally), their places lie within a
distance that grows with geo_precision, and their date ranges overlap within their
precision. Clusters are grown with complete linkage — an event joins a cluster only if
it is compatible with every member — so unrelated events never chain together.
Reader comments never corroborate; a publisher counts once, and so does a syndicated
copy (``duplicate_of``).
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from frontlines.dates import parse_iso
from frontlines.models import Cluster, Contradiction, Control, Document, Event
from frontlines.registry import Registry

RADIUS_KM = {1: 15.0, 2: 40.0, 3: 150.0}
SLACK_DAYS = {"day": 1, "week": 4, "month": 15, "year": 183, "unknown": 3650}
TERRITORY = ("government_regains_territory", "non_state_actor_overtakes_territory",
             "non_violent_transfer_of_territory")  # fmt: skip


@dataclass(frozen=True)
class Fusion:
    clusters: tuple[Cluster, ...]
    contradictions: tuple[Contradiction, ...]
    control: tuple[Control, ...]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def window(event: Event) -> tuple[date, date] | None:
    start, end = parse_iso(event.date_start), parse_iso(event.date_end or event.date_start)
    if start is None or end is None:
        return None
    slack = timedelta(days=SLACK_DAYS.get(event.time_precision, 3))
    return start - slack, end + slack


def compatible(a: Event, b: Event, registry: Registry) -> bool:
    """Could a and b describe the same happening?"""
    if a.doc_id == b.doc_id or not types_compatible(a, b):
        return False
    if not places_compatible(a, b):
        return False
    wa, wb = window(a), window(b)
    if wa and wb and (wa[1] < wb[0] or wb[1] < wa[0]):
        return False
    day = a.date_start
    return actors_compatible(a.actor1, b.actor1, registry, day) and actors_compatible(
        a.actor2, b.actor2, registry, day
    )


def types_compatible(a: Event, b: Event) -> bool:
    if a.sub_type == b.sub_type:
        return True
    if a.sub_type in TERRITORY and b.sub_type in TERRITORY:
        return True
    pair = {a.sub_type, b.sub_type}
    # a strike seen from the ground is often called shelling, and a battle a clash
    return pair <= {"air_drone_strike", "shelling_artillery_missile"} or (
        a.type == b.type == "battle"
    )


def places_compatible(a: Event, b: Event) -> bool:
    if a.place is None or b.place is None:
        return a.place is None and b.place is None
    limit = max(RADIUS_KM[a.place.geo_precision], RADIUS_KM[b.place.geo_precision])
    return distance_km((a.place.lat, a.place.lon), (b.place.lat, b.place.lon)) <= limit


def actors_compatible(x: str | None, y: str | None, registry: Registry, day: str | None) -> bool:
    if x is None or y is None or x == y:
        return True
    return registry.related(x, y, day)


def cluster_events(events: Sequence[Event], registry: Registry) -> list[list[Event]]:
    """Complete-linkage grouping, in date order, blocked by event type."""
    groups: list[list[Event]] = []
    by_type: dict[str, list[list[Event]]] = defaultdict(list)
    ordered = sorted(events, key=lambda e: (e.date_start or "9999", e.id))
    for event in ordered:
        home = None
        for group in by_type[event.type]:
            if all(compatible(event, other, registry) for other in group):
                home = group
                break
        if home is None:
            home = []
            by_type[event.type].append(home)
            groups.append(home)
        home.append(event)
    return groups


def fuse(events: Iterable[Event], documents: Iterable[Document], registry: Registry) -> Fusion:
    docs = {d.id: d for d in documents}
    article_events = [e for e in events if not e.from_comment]
    clusters = []
    for group in cluster_events(article_events, registry):
        clusters.append(make_cluster(group, docs))
    contradictions = find_contradictions(clusters, article_events)
    control = control_over_time(article_events, registry)
    return Fusion(tuple(clusters), tuple(contradictions), tuple(control))


def make_cluster(group: list[Event], docs: dict[str, Document]) -> Cluster:
    ids = tuple(sorted(e.id for e in group))
    sources: list[str] = []
    independent: set[str] = set()
    for event in group:
        doc = docs.get(event.doc_id)
        if doc is None:
            continue
        publisher = doc.source or doc.origin
        if publisher not in sources:
            sources.append(publisher)
        if doc.duplicate_of is None:
            independent.add(publisher)
    first = group[0]
    summary: dict[str, object] = {
        "type": first.type,
        "sub_type": first.sub_type,
        "actors": sorted({a for e in group for a in (e.actor1, e.actor2) if a}),
        "place": first.place.name if first.place else None,
        "date_start": min((e.date_start for e in group if e.date_start), default=None),
        "date_end": max((e.date_end for e in group if e.date_end), default=None),
    }
    return Cluster(
        id="c" + hashlib.sha256("|".join(ids).encode()).hexdigest()[:12],
        event_ids=ids,
        sources=tuple(sources),
        corroboration=len(independent),
        summary=summary,
    )


def find_contradictions(
    clusters: Sequence[Cluster], events: Sequence[Event]
) -> list[Contradiction]:
    """Asserted vs denied claims in one cluster; incompatible casualty figures."""
    by_id = {e.id: e for e in events}
    out: list[Contradiction] = []
    for cluster in clusters:
        members = [by_id[i] for i in cluster.event_ids if i in by_id]
        denied = [e for e in members if e.certainty == "denied"]
        affirmed = [e for e in members if e.certainty in ("asserted", "reported")]
        for d in denied:
            for a in affirmed:
                if d.doc_id != a.doc_id:
                    out.append(contradiction(a, d, "one source reports it, another denies it"))
        counted = [e for e in affirmed if e.fatalities]
        for i, a in enumerate(counted):
            for b in counted[i + 1 :]:
                lo, hi = sorted((a.fatalities or 0, b.fatalities or 0))
                if a.doc_id != b.doc_id and hi > 2 * lo + 5:
                    out.append(contradiction(a, b, f"fatality figures differ: {lo} vs {hi}"))
    return out


def contradiction(a: Event, b: Event, reason: str) -> Contradiction:
    key = "|".join(sorted((a.id, b.id))) + reason
    return Contradiction("x" + hashlib.sha256(key.encode()).hexdigest()[:12], a.id, b.id, reason)


def control_over_time(events: Sequence[Event], registry: Registry) -> list[Control]:
    """Who holds a place from when, from territory-changing events with a place."""
    taken = sorted(
        (e for e in events if e.sub_type in TERRITORY and e.place and e.actor1
         and e.certainty in ("asserted", "reported") and e.date_start),
        key=lambda e: (e.date_start or "", e.id),
    )  # fmt: skip
    by_place: dict[str, list[Event]] = defaultdict(list)
    for event in taken:
        if event.place:
            by_place[event.place.id].append(event)
    out: list[Control] = []
    for place_id, seq in by_place.items():
        spells: list[tuple[str, str | None, list[str]]] = []
        for event in seq:
            actor = event.actor1 or ""
            held_by = spells[-1][0] if spells else None
            if held_by is not None and registry.related(held_by, actor, event.date_start):
                spells[-1][2].append(event.id)
                continue
            spells.append((actor, event.date_start, [event.id]))
        for i, (actor, since, evidence) in enumerate(spells):
            until = spells[i + 1][1] if i + 1 < len(spells) else None
            out.append(Control(place_id, actor, since, until, tuple(evidence)))
    return out
