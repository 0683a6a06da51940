"""Read-only questions the map page and the JSON API ask of a store.

Every function takes an open (read-only) ``Store`` and returns plain JSON-ready dicts:
events with their actors as ``{id, name}`` objects (the export format), and with the
publisher and title of their document so that a reader needs no join. Filters become
an SQL condition on the events table with ``?`` parameters; nothing from a request is
ever pasted into SQL text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from frontlines.errors import UsageError
from frontlines.models import Cluster, Document, Event
from frontlines.registry import Registry
from frontlines.store import Store

Json = dict[str, Any]

EventType = Literal[
    "battle",
    "remote_violence",
    "violence_against_civilians",
    "protest",
    "riot",
    "strategic_development",
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
SNIPPET = 80
"""Characters of context either side of a search hit."""


@dataclass(frozen=True)
class EventFilter:
    """Which events to return. Dates are ISO days; an event matches a date range when
    its own span overlaps it; ``bbox`` is (west, south, east, north) in degrees."""

    since: str | None = None
    until: str | None = None
    types: tuple[str, ...] = ()
    actor: str | None = None
    certainties: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    comments: bool = False
    located: bool = False
    text: str | None = None
    cluster: str | None = None
    ids: tuple[str, ...] = field(default=())

    def sql(self) -> tuple[str, list[object]]:
        """The filter as an SQL condition on ``events`` and its parameters."""
        terms: list[str] = []
        params: list[object] = []
        if self.since:
            terms.append("coalesce(date_end, date_start) >= ?")
            params.append(self.since)
        if self.until:
            terms.append("date_start <= ?")
            params.append(self.until)
        for column, values in (("type", self.types), ("certainty", self.certainties)):
            if values:
                terms.append(f"{column} IN ({_marks(values)})")
                params.extend(values)
        if self.ids:
            terms.append(f"id IN ({_marks(self.ids)})")
            params.extend(self.ids)
        if self.actor:
            terms.append("(actor1 = ? OR actor2 = ?)")
            params.extend((self.actor, self.actor))
        if self.bbox is not None:
            west, south, east, north = self.bbox
            terms.append("place_lon BETWEEN ? AND ? AND place_lat BETWEEN ? AND ?")
            params.extend((west, east, south, north))
        if not self.comments:
            terms.append("from_comment = 0")
        if self.located:
            terms.append("place_lat IS NOT NULL")
        if self.text:
            terms.append("evidence_text LIKE ? ESCAPE '\\'")
            params.append(like_pattern(self.text))
        if self.cluster:
            terms.append("cluster_id = ?")
            params.append(self.cluster)
        return (" AND ".join(terms) or "1"), params


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``W,S,E,N`` in degrees, checked."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise UsageError(f"bbox must be four numbers W,S,E,N, not {text!r}") from exc
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise UsageError(f"bbox {text!r} is not W,S,E,N with W <= E and S <= N in degrees")
    return west, south, east, north


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


class Catalog:
    """A store and the actor registry, with the look-ups every answer needs."""

    def __init__(self, store: Store, registry: Registry) -> None:
        self.store = store
        self.registry = registry
        self._docs: dict[str, Document | None] = {}

    # -- look-ups ---------------------------------------------------------------------

    def actor_ref(self, actor_id: str | None) -> Json | None:
        if actor_id is None:
            return None
        return {"id": actor_id, "name": self.registry.name(actor_id) or actor_id}

    def documents_of(self, doc_ids: Iterable[str]) -> dict[str, Document | None]:
        """Documents by id, each read from the store once per catalog."""
        missing = sorted({d for d in doc_ids if d not in self._docs})
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            self._docs.update(dict.fromkeys(chunk))
            for doc in self.store.query_documents(f"id IN ({_marks(chunk)})", chunk):
                self._docs[doc.id] = doc
        return self._docs

    def event_record(self, event: Event) -> Json:
        record = asdict(event)
        record["actor1"] = self.actor_ref(event.actor1)
        record["actor2"] = self.actor_ref(event.actor2)
        doc = self.documents_of([event.doc_id]).get(event.doc_id)
        record["source"] = None if doc is None else doc.source or doc.origin
        record["title"] = None if doc is None else doc.title
        record["published"] = None if doc is None else doc.published
        return record

    def event_brief(self, event: Event) -> Json:
        """An event in a line: what a cluster or contradiction lists."""
        doc = self.documents_of([event.doc_id]).get(event.doc_id)
        return {
            "id": event.id,
            "doc_id": event.doc_id,
            "source": None if doc is None else doc.source or doc.origin,
            "title": None if doc is None else doc.title,
            "published": None if doc is None else doc.published,
            "url": None if doc is None else doc.url,
            "type": event.type,
            "sub_type": event.sub_type,
            "certainty": event.certainty,
            "attributed_to": event.attributed_to,
            "date_start": event.date_start,
            "date_end": event.date_end,
            "place": None if event.place is None else event.place.name,
            "fatalities": event.fatalities,
            "evidence": event.evidence.text,
        }

    def events_by_id(self, ids: Iterable[str]) -> dict[str, Event]:
        wanted = tuple(sorted(set(ids)))
        found: dict[str, Event] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            where, params = EventFilter(ids=chunk, comments=True).sql()
            found.update((e.id, e) for e in self.store.query_events(where, params))
        return found

    # -- answers ----------------------------------------------------------------------

    def events(self, flt: EventFilter, limit: int, offset: int) -> Json:
        where, params = flt.sql()
        total = self.store.count_where("events", where, params)
        events = list(self.store.query_events(where, params, limit=limit, offset=offset))
        self.documents_of(e.doc_id for e in events)
        items = [self.event_record(e) for e in events]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def event_detail(self, event_id: str) -> Json | None:
        event = self.events_by_id([event_id]).get(event_id)
        if event is None:
            return None
        record = self.event_record(event)
        doc = self.documents_of([event.doc_id]).get(event.doc_id)
        record["document"] = None if doc is None else document_record(doc, with_text=True)
        record["cluster"] = None
        if event.cluster_id:
            cluster = self.cluster(event.cluster_id)
            if cluster is not None:
                record["cluster"] = cluster
        record["contradictions"] = self.contradictions_of(event.id)
        return record

    def clusters(self, flt: EventFilter, min_sources: int, limit: int, offset: int) -> Json:
        """Clusters with at least one member matching the filter, largest first."""
        where, params = flt.sql()
        wanted = {
            e.cluster_id for e in self.store.query_events(where, params) if e.cluster_id
        }  # fmt: skip
        chosen = [
            c for c in self.store.clusters() if c.id in wanted and c.corroboration >= min_sources
        ]
        chosen.sort(key=lambda c: (-c.corroboration, -len(c.event_ids), c.id))
        page = chosen[offset : offset + limit] if limit >= 0 else chosen[offset:]
        items = [self.cluster_record(c) for c in page]
        return {"total": len(chosen), "limit": limit, "offset": offset, "items": items}

    def cluster(self, cluster_id: str) -> Json | None:
        for cluster in self.store.clusters():
            if cluster.id == cluster_id:
                return self.cluster_record(cluster)
        return None

    def cluster_record(self, cluster: Cluster) -> Json:
        members = self.events_by_id(cluster.event_ids)
        self.documents_of(e.doc_id for e in members.values())
        summary = dict(cluster.summary)
        actors = summary.get("actors")
        if isinstance(actors, list):
            summary["actors"] = [self.actor_ref(str(a)) for a in actors]
        return {
            "id": cluster.id,
            "event_ids": list(cluster.event_ids),
            "sources": list(cluster.sources),
            "corroboration": cluster.corroboration,
            "summary": summary,
            "members": [self.event_brief(members[i]) for i in cluster.event_ids if i in members],
        }

    def contradictions(self, limit: int, offset: int) -> Json:
        every = list(self.store.contradictions())
        page = every[offset : offset + limit]
        events = self.events_by_id(i for c in page for i in (c.a, c.b))
        items = []
        for c in page:
            a, b = events.get(c.a), events.get(c.b)
            items.append(
                {
                    "id": c.id,
                    "reason": c.reason,
                    "a": None if a is None else self.event_brief(a),
                    "b": None if b is None else self.event_brief(b),
                }
            )
        return {"total": len(every), "limit": limit, "offset": offset, "items": items}

    def contradictions_of(self, event_id: str) -> list[Json]:
        mine = [c for c in self.store.contradictions() if event_id in (c.a, c.b)]
        others = self.events_by_id(c.b if c.a == event_id else c.a for c in mine)
        out = []
        for c in mine:
            other = others.get(c.b if c.a == event_id else c.a)
            out.append(
                {
                    "id": c.id,
                    "reason": c.reason,
                    "other": None if other is None else self.event_brief(other),
                }
            )
        return out

    def control(self, place: str | None, actor: str | None) -> Json:
        """Who holds which place from when, with each place's name and coordinates."""
        spells = [
            c
            for c in self.store.control()
            if (place is None or c.place_id == place) and (actor is None or c.actor == actor)
        ]
        places = self.place_refs(c.place_id for c in spells)
        items = [
            {
                "place": places.get(c.place_id, {"id": c.place_id, "name": None}),
                "actor": self.actor_ref(c.actor),
                "since": c.since,
                "until": c.until,
                "evidence": list(c.evidence),
            }
            for c in spells
        ]
        return {"total": len(items), "items": items}

    def place_refs(self, place_ids: Iterable[str]) -> dict[str, Json]:
        """Name and coordinates of places, as the stored events give them."""
        wanted = sorted(set(place_ids))
        out: dict[str, Json] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            where = f"place_id IN ({_marks(chunk)})"
            for event in self.store.query_events(where, chunk):
                if event.place is not None and event.place.id not in out:
                    p = event.place
                    out[p.id] = {
                        "id": p.id,
                        "name": p.name,
                        "lat": p.lat,
                        "lon": p.lon,
                        "country": p.country,
                    }
        return out

    def documents(self, text: str | None, limit: int, offset: int) -> Json:
        where, params = _document_condition(text)
        total = self.store.count_where("documents", where, params)
        docs = self.store.query_documents(where, params, limit=limit, offset=offset)
        items = [document_record(d, with_text=False) for d in docs]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def document(self, doc_id: str) -> Json | None:
        doc = self.documents_of([doc_id]).get(doc_id)
        if doc is None:
            return None
        record = document_record(doc, with_text=True)
        record["events"] = [self.event_brief(e) for e in self.store.events(doc_id)]
        return record

    def search(self, text: str, limit: int) -> Json:
        """Documents whose title or text contains ``text``, and events whose evidence
        sentence does (case-insensitive for ASCII letters)."""
        where, params = _document_condition(text)
        docs = list(self.store.query_documents(where, params, limit=limit))
        needle = text.casefold()
        doc_hits = []
        for doc in docs:
            record = document_record(doc, with_text=False)
            at = doc.text.casefold().find(needle)
            record["snippet"] = None if at < 0 else snippet(doc.text, at, at + len(text))
            doc_hits.append(record)
        flt = EventFilter(text=text, comments=True)
        found = self.events(flt, limit, 0)
        return {
            "query": text,
            "documents": doc_hits,
            "documents_total": self.store.count_where("documents", where, params),
            "events": found["items"],
            "events_total": found["total"],
        }

    def meta(self) -> Json:
        """What the page needs to build its controls: date range, types, actors."""
        events = list(self.store.query_events("from_comment = 0"))
        days = sorted(d for e in events for d in (e.date_start, e.date_end) if d)
        types = Counter(e.type for e in events)
        actors = Counter(a for e in events for a in (e.actor1, e.actor2) if a)
        return {
            "counts": self.store.counts(),
            "date_min": days[0] if days else None,
            "date_max": days[-1] if days else None,
            "types": [{"type": t, "count": types.get(t, 0)} for t in EVENT_TYPES],
            "actors": [{**(self.actor_ref(a) or {}), "count": n} for a, n in actors.most_common()],
        }


def document_record(doc: Document, *, with_text: bool) -> Json:
    record = asdict(doc)
    if not with_text:
        del record["text"], record["segments"]
    return record


def snippet(text: str, start: int, end: int) -> Json:
    """Context around a hit, with the hit's offsets inside the snippet."""
    left = max(0, start - SNIPPET)
    right = min(len(text), end + SNIPPET)
    return {"text": text[left:right], "start": start - left, "end": end - left, "offset": left}


def _document_condition(text: str | None) -> tuple[str, list[object]]:
    if not text:
        return "1", []
    pattern = like_pattern(text)
    return "(title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\')", [pattern, pattern]
