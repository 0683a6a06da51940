"""fuse: across documents — same-event clusters, corroboration, contradictions, control.

Two events can share a cluster when their types are compatible, their actors agree
(through the registry: the same force, a parent, an ally; either way round for events
that are not about territory), their places lie within a distance that grows with
geo_precision, and their date ranges overlap once widened by their time precision.
Clusters are grown with complete linkage — an event joins a cluster only if it is
compatible with every member — so unrelated events never chain together. Clustering is
incremental: given the clusters already stored, only events that are in none of them are
placed, each in the closest cluster that accepts it or in a new one, and a cluster keeps
its id (the hash of its founding event) as it grows.

Reader comments never corroborate; a publisher counts once, and so does a syndicated
copy (``duplicate_of``): it counts as its original's publisher.

Contradictions are pairs of claims that cannot both hold, each with a reason of the form
``"<kind>: <what each source says>"``; the kinds are listed in ``KINDS``.

Control over time comes only from affirmed territory changes that leave an armed or state
actor holding a town, site or area of the theatre (``control_claim``, ``holder``).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from frontlines.dates import parse_iso
from frontlines.gazetteer import distance_km
from frontlines.models import Cluster, Contradiction, Control, Document, Event
from frontlines.registry import Registry

RADIUS_KM = {1: 15.0, 2: 40.0, 3: 150.0}
SLACK_DAYS = {"day": 1, "week": 4, "month": 15, "year": 183, "unknown": 3650}
TERRITORY = ("government_regains_territory", "non_state_actor_overtakes_territory",
             "non_violent_transfer_of_territory")  # fmt: skip
AFFIRMED = ("asserted", "reported")
# who can hold ground: armed forces, armed groups and governments; never civilians, media,
# political parties or international bodies
HOLDER_KINDS = frozenset({"state_force", "government", "militia", "rebel_group",
                          "terrorist_group", "coalition", "private_military"})  # fmt: skip
THEATRE = frozenset({"SY", "IQ"})  # countries whose places can change hands
QUOTE = 120  # characters of evidence quoted in a contradiction's reason

DENIAL = "asserted vs denied"
CONTROL = "control conflict"
BANK = "river bank"
CASUALTIES = "casualty figures"
KINDS = (DENIAL, CONTROL, BANK, CASUALTIES)

_UNOPPOSED = re.compile(r"\bwithout (?:a fight|fighting|a shot|resistance)\b", re.IGNORECASE)
_EAST = re.compile(r"\beast(?:ern)?\s+(?:bank|side)\b|\beast of the (?:river|euphrates|tigris)\b",
                   re.IGNORECASE)  # fmt: skip
_WEST = re.compile(r"\bwest(?:ern)?\s+(?:bank|side)\b|\bwest of the (?:river|euphrates|tigris)\b",
                   re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Fusion:
    clusters: tuple[Cluster, ...]
    contradictions: tuple[Contradiction, ...]
    control: tuple[Control, ...]


@dataclass
class Group:
    """A cluster being built: its stable id and its member events."""

    id: str
    family: str
    members: list[Event] = field(default_factory=list)


def window(event: Event) -> tuple[date, date] | None:
    """The days the event may have happened on, widened by its time precision."""
    start, end = parse_iso(event.date_start), parse_iso(event.date_end or event.date_start)
    if start is None or end is None:
        return None
    slack = timedelta(days=SLACK_DAYS.get(event.time_precision, 3))
    return start - slack, end + slack


def windows_overlap(a: Event, b: Event) -> bool:
    wa, wb = window(a), window(b)
    return not (wa and wb and (wa[1] < wb[0] or wb[1] < wa[0]))


def family(event: Event) -> str:
    """The block an event is clustered in: territory changes of any type, else its type."""
    return "territory" if event.sub_type in TERRITORY else event.type


def compatible(a: Event, b: Event, registry: Registry) -> bool:
    """Could a and b describe the same happening?"""
    if a.doc_id == b.doc_id:
        # one article tells one happening twice (headline and lead) at the same place;
        # two places in one article are two happenings
        same_place = a.place is not None and b.place is not None and a.place.id == b.place.id
        if a.same_happening(b):
            return True
        if not same_place:
            return False
    if not types_compatible(a, b) or not places_compatible(a, b) or not windows_overlap(a, b):
        return False
    if window(a) is None or window(b) is None:
        # an undated claim joins only a claim about the very same place by named actors
        if a.place is None or b.place is None or a.place.id != b.place.id:
            return False
        if not (a.actor1 and b.actor1):
            return False
    return sides_agree(a, b, registry)


def dated(events: Iterable[Event], docs: dict[str, Document]) -> list[Event]:
    """Events without a date get the week up to their article's day of publication (the
    extractor's own rule), so that they can be compared in time."""
    out = []
    for event in events:
        doc = docs.get(event.doc_id)
        day = parse_iso(doc.published) if doc and doc.published_precision == "day" else None
        if event.date_start is None and day is not None:
            event = replace(
                event,
                date_start=(day - timedelta(days=6)).isoformat(),
                date_end=day.isoformat(),
                time_precision="week",
            )
        out.append(event)
    return out


def sides_agree(a: Event, b: Event, registry: Registry) -> bool:
    """Whether the actors of a and b can be the same two sides.

    The first actors must agree (through the registry); second actors that both sources
    name must agree too, unless the first actors are named on both sides and agree (the
    target is what copy gets wrong most). Outside territory changes the two sides may be
    named the other way round ("the coalition struck pro-regime forces", "pro-regime
    forces came under coalition fire"); and a denial's first actor is often the one who
    denies, so its second actor may stand for the first actor of the claim it denies.
    """
    day = a.date_start or b.date_start
    first = actors_compatible(a.actor1, b.actor1, registry, day)
    if first and (actors_compatible(a.actor2, b.actor2, registry, day) or (a.actor1 and b.actor1)):
        return True
    territory = family(a) == "territory"
    if (
        not territory
        and actors_compatible(a.actor1, b.actor2, registry, day)
        and (actors_compatible(a.actor2, b.actor1, registry, day))
    ):
        return True
    for denial, claim in ((a, b), (b, a)):
        if (
            denial.certainty == "denied"
            and claim.certainty != "denied"
            and denial.actor2
            and claim.actor1
            and registry.related(denial.actor2, claim.actor1, day)
        ):
            return True
    return False


def types_compatible(a: Event, b: Event) -> bool:
    if a.sub_type == b.sub_type:
        return True
    if a.sub_type in TERRITORY and b.sub_type in TERRITORY:
        return True
    if a.type == b.type == "strategic_development" and "other" in (a.sub_type, b.sub_type):
        return True  # "other" is the catch-all of its type: deployments, crossings, ...
    pair = {a.sub_type, b.sub_type}
    # a strike seen from the ground is often called shelling, and a battle a clash
    return pair <= {"air_drone_strike", "shelling_artillery_missile"} or (
        a.type == b.type == "battle" and family(a) == family(b)
    )


def places_compatible(a: Event, b: Event) -> bool:
    if a.place is None or b.place is None:
        return a.place is None and b.place is None
    if a.place.id == b.place.id:
        return True
    limit = max(RADIUS_KM[a.place.geo_precision], RADIUS_KM[b.place.geo_precision])
    return place_distance(a, b) <= limit


def place_distance(a: Event, b: Event) -> float:
    if a.place is None or b.place is None:
        return 0.0
    return distance_km((a.place.lat, a.place.lon), (b.place.lat, b.place.lon))


def actors_compatible(x: str | None, y: str | None, registry: Registry, day: str | None) -> bool:
    if x is None or y is None or x == y:
        return True
    return registry.related(x, y, day)


def affinity(a: Event, b: Event) -> float:
    """How close two compatible events are, 0 (barely) to 1 (same place, same day)."""
    score = 1.0
    if a.place and b.place:
        limit = max(RADIUS_KM[a.place.geo_precision], RADIUS_KM[b.place.geo_precision])
        score -= 0.5 * min(1.0, place_distance(a, b) / limit)
    da, db = parse_iso(a.date_start), parse_iso(b.date_start)
    if da and db:
        slack = max(SLACK_DAYS.get(a.time_precision, 3), SLACK_DAYS.get(b.time_precision, 3))
        score -= 0.3 * min(1.0, abs((da - db).days) / (2 * slack + 1))
    if a.actor1 and a.actor1 == b.actor1:
        score += 0.1
    if a.sub_type == b.sub_type:
        score += 0.1
    return score


def group_id(founder: Event) -> str:
    return "c" + hashlib.sha256(founder.id.encode()).hexdigest()[:12]


def placing_order(event: Event) -> tuple[int, str, int, str]:
    """Events told to the day are placed first, then those told to the week, month, ...;
    within each, by date, and on one day the leads of articles before what they tell
    further down (background, asides): what the clear reports found, the vaguer join."""
    slack = SLACK_DAYS.get(event.time_precision, SLACK_DAYS["unknown"])
    return slack, event.date_start or "9999", event.evidence.start, event.id


def cluster_events(
    events: Sequence[Event], registry: Registry, previous: Sequence[Cluster] = ()
) -> list[Group]:
    """Complete-linkage grouping, blocked by event family.

    Events already in one of ``previous`` stay there (under that cluster's id); the
    others are placed (``placing_order``) each in the compatible group it is closest to on
    average, or else in a new group.
    """
    by_id = {e.id: e for e in events}
    groups: list[Group] = []
    blocks: dict[str, list[Group]] = defaultdict(list)
    placed: set[str] = set()
    for cluster in previous:
        members = [by_id[i] for i in cluster.event_ids if i in by_id and i not in placed]
        if not members:
            continue
        group = Group(cluster.id, family(members[0]), members)
        placed.update(e.id for e in members)
        groups.append(group)
        blocks[group.family].append(group)
    fresh = sorted((e for e in events if e.id not in placed), key=placing_order)
    for event in fresh:
        best: Group | None = None
        best_score = -1.0
        for group in blocks[family(event)]:
            if not all(compatible(event, other, registry) for other in group.members):
                continue
            score = sum(affinity(event, other) for other in group.members) / len(group.members)
            if score > best_score:
                best, best_score = group, score
        if best is None:
            best = Group(group_id(event), family(event))
            groups.append(best)
            blocks[best.family].append(best)
        best.members.append(event)
    return groups


def fuse(
    events: Iterable[Event],
    documents: Iterable[Document],
    registry: Registry,
    previous: Sequence[Cluster] = (),
) -> Fusion:
    """Clusters (grown from ``previous`` when given), contradictions and control."""
    docs = {d.id: d for d in documents}
    article_events = dated((e for e in events if not e.from_comment), docs)
    groups = cluster_events(article_events, registry, previous)
    clusters = [make_cluster(g, docs) for g in groups]
    contradictions = find_contradictions(groups, docs, registry)
    control = control_over_time(article_events, registry)
    return Fusion(tuple(clusters), tuple(contradictions), tuple(control))


def publisher(doc: Document, docs: dict[str, Document]) -> str:
    """Who the text comes from: the original's publisher for a syndicated copy."""
    seen: set[str] = set()
    while doc.duplicate_of and doc.duplicate_of in docs and doc.id not in seen:
        seen.add(doc.id)
        doc = docs[doc.duplicate_of]
    return doc.source or doc.origin


def make_cluster(group: Group, docs: dict[str, Document]) -> Cluster:
    members = group.members
    sources: list[str] = []
    independent: set[str] = set()
    for event in members:
        doc = docs.get(event.doc_id)
        if doc is None:
            continue
        own = doc.source or doc.origin
        if own not in sources:
            sources.append(own)
        if event.certainty == "denied":  # a denial is a source against it, not for it
            continue
        independent.add(publisher(doc, docs))
    first = members[0]
    summary: dict[str, object] = {
        "type": first.type,
        "sub_type": first.sub_type,
        "actors": sorted({a for e in members for a in (e.actor1, e.actor2) if a}),
        "place": first.place.name if first.place else None,
        "date_start": min((e.date_start for e in members if e.date_start), default=None),
        "date_end": max((e.date_end for e in members if e.date_end), default=None),
        "certainty": sorted({e.certainty for e in members}),
    }
    return Cluster(
        id=group.id,
        event_ids=tuple(sorted(e.id for e in members)),
        sources=tuple(sources),
        corroboration=len(independent),
        summary=summary,
    )


def find_contradictions(
    groups: Sequence[Group], docs: dict[str, Document], registry: Registry
) -> list[Contradiction]:
    """Within each cluster: asserted vs denied, opposite river banks, casualty figures;
    across clusters: different actors taking or holding one place at the same time."""
    out: list[Contradiction] = []
    for group in groups:
        # each document's earliest sentence first: the lead speaks for the document
        members = sorted(group.members, key=lambda e: (e.doc_id, e.evidence.start))
        seen: set[tuple[str, str, str]] = set()  # one of each kind per pair of documents
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.doc_id == b.doc_id:
                    continue
                for found in clashes(a, b, docs):
                    kind = found.reason.split(":", 1)[0]
                    key = (min(a.doc_id, b.doc_id), max(a.doc_id, b.doc_id), kind)
                    if key not in seen:
                        seen.add(key)
                        out.append(found)
    out.extend(control_conflicts([e for g in groups for e in g.members], docs, registry))
    return out


def clashes(a: Event, b: Event, docs: dict[str, Document]) -> list[Contradiction]:
    """Every reason two events of one cluster cannot both hold."""
    out: list[Contradiction] = []
    who_a, who_b = source_of(a, docs), source_of(b, docs)
    if {a.certainty, b.certainty} & {"denied"} and (a.certainty in AFFIRMED
                                                    or b.certainty in AFFIRMED):  # fmt: skip
        claim, denial = (a, b) if b.certainty == "denied" else (b, a)
        reason = (f"{DENIAL}: {source_of(claim, docs)} reports {describe(claim)}; "
                  f"{source_of(denial, docs)} denies it ({quote(denial)})")  # fmt: skip
        out.append(contradiction(claim, denial, reason))
    side_a, side_b = bank(a), bank(b)
    if side_a and side_b and side_a != side_b:
        reason = (f"{BANK}: {who_a} places it on the {side_a} side of the river, "
                  f"{who_b} on the {side_b} side")  # fmt: skip
        out.append(contradiction(a, b, reason))
    if a.certainty in AFFIRMED and b.certainty in AFFIRMED and a.fatalities and b.fatalities:
        lo, hi = sorted((a.fatalities, b.fatalities))
        if hi > 2 * lo + 5:
            low, high = (a, b) if a.fatalities == lo else (b, a)
            reason = (f"{CASUALTIES}: {source_of(low, docs)} reports {lo} killed, "
                      f"{source_of(high, docs)} {hi}")  # fmt: skip
            out.append(contradiction(low, high, reason))
    return out


def bank(event: Event) -> str | None:
    """Which side of a river the evidence puts the event on, when it says so."""
    east, west = _EAST.search(event.evidence.text), _WEST.search(event.evidence.text)
    if east and not west:
        return "east"
    if west and not east:
        return "west"
    return None


def control_conflicts(
    events: Sequence[Event], docs: dict[str, Document], registry: Registry
) -> list[Contradiction]:
    """Two unrelated actors said to take or hold the same place at the same time."""
    claims = [e for e in events if control_claim(e, registry)]
    by_place: dict[str, list[Event]] = defaultdict(list)
    for event in claims:
        if event.place:
            by_place[event.place.id].append(event)
    out: list[Contradiction] = []
    for seq in by_place.values():
        seq.sort(key=lambda e: (e.date_start or "", e.id))
        reported: set[tuple[str, str, str, str]] = set()
        for i, a in enumerate(seq):
            for b in seq[i + 1 :]:
                x, y = holder(a, registry) or "", holder(b, registry) or ""
                if a.doc_id == b.doc_id or registry.related(x, y, a.date_start):
                    continue
                if not windows_overlap(a, b):
                    continue
                pair = (a.doc_id, b.doc_id, min(x, y), max(x, y))
                if pair in reported:
                    continue
                reported.add(pair)
                place = a.place.name if a.place else "the place"
                reason = (f"{CONTROL}: {source_of(a, docs)} says {registry.name(x) or x} held "
                          f"{place} {on_day(a)}; {source_of(b, docs)} says "
                          f"{registry.name(y) or y} held it {on_day(b)}")  # fmt: skip
                out.append(contradiction(a, b, reason))
    return out


def on_day(event: Event) -> str:
    if event.date_start is None:
        return "(undated)"
    if event.date_end and event.date_end != event.date_start:
        return f"between {event.date_start} and {event.date_end}"
    return f"on {event.date_start}"


def source_of(event: Event, docs: dict[str, Document]) -> str:
    doc = docs.get(event.doc_id)
    return (doc.source or doc.origin) if doc else event.doc_id


def describe(event: Event) -> str:
    """A short readable account of an event with the words it comes from."""
    what = (event.type if event.sub_type == "other" else event.sub_type).replace("_", " ")
    where = f" in {event.place.name}" if event.place else ""
    return f"{what}{where} {on_day(event)} ({quote(event)})"


def quote(event: Event) -> str:
    words = " ".join(event.evidence.text.split())
    return '"' + (words if len(words) <= QUOTE else words[: QUOTE - 1].rstrip() + "…") + '"'


def contradiction(a: Event, b: Event, reason: str) -> Contradiction:
    kind = reason.split(":", 1)[0]
    key = "|".join(sorted((a.id, b.id))) + kind
    return Contradiction("x" + hashlib.sha256(key.encode()).hexdigest()[:12], a.id, b.id, reason)


def contradiction_kind(item: Contradiction) -> str | None:
    """The kind of a contradiction (one of ``KINDS``), read from its reason."""
    kind = item.reason.split(":", 1)[0]
    return kind if kind in KINDS else None


def control_claim(event: Event, registry: Registry) -> bool:
    """Whether an event says who holds a place: an affirmed change of territory that leaves
    an armed or state actor (``holder``) holding a place in the theatre that can be held, a
    town, site or area (geo_precision 1 or 2), never a province or a country, which in copy
    mostly stand for a government ("took control of Russia's share")."""
    if event.sub_type not in TERRITORY or event.certainty not in AFFIRMED:
        return False
    if event.place is None or event.place.geo_precision > 2:
        return False
    if event.place.country is not None and event.place.country not in THEATRE:
        return False
    return holder(event, registry) is not None


def holder(event: Event, registry: Registry) -> str | None:
    """Who holds the place after a territory event, when an armed or state actor
    (``HOLDER_KINDS``) does: the taker (actor1) of a capture or of an unopposed entry; for
    a withdrawal, hand-over or surrender the other side (actor2), never the one leaving."""
    actor = event.actor1
    if event.sub_type == "non_violent_transfer_of_territory" and not _UNOPPOSED.search(
        event.evidence.text
    ):
        actor = event.actor2
    found = registry.get(actor) if actor else None
    return actor if found is not None and found.kind in HOLDER_KINDS else None


def control_over_time(events: Sequence[Event], registry: Registry) -> list[Control]:
    """Who holds a place from when, from territory-changing events with a place.

    A claim by an actor related to the current holder is more evidence for the same
    spell; an unrelated actor starts a new spell (and, when the two claims overlap in
    time, ``control_conflicts`` reports them).
    """
    taken = sorted((e for e in events if control_claim(e, registry) and e.date_start),
                   key=lambda e: (e.date_start or "", e.id))  # fmt: skip
    by_place: dict[str, list[Event]] = defaultdict(list)
    for event in taken:
        if event.place:
            by_place[event.place.id].append(event)
    out: list[Control] = []
    for place_id, seq in by_place.items():
        spells: list[tuple[str, str | None, list[str]]] = []
        for event in seq:
            actor = holder(event, registry) or ""
            held_by = spells[-1][0] if spells else None
            if held_by is not None and registry.related(held_by, actor, event.date_start):
                spells[-1][2].append(event.id)
                continue
            spells.append((actor, event.date_start, [event.id]))
        for i, (actor, since, evidence) in enumerate(spells):
            until = spells[i + 1][1] if i + 1 < len(spells) else None
            out.append(Control(place_id, actor, since, until, tuple(evidence)))
    return out
