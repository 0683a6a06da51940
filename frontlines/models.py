"""Records passed between stages and exported to users.

Field names are the export format described in DESIGN.md; changing one is a schema
migration. Records are frozen: a stage returns new records, it never edits old ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

SegmentKind = Literal["body", "comment", "boilerplate"]
MentionKind = Literal["actor", "place", "date", "quantity"]
Precision = Literal["day", "week", "month", "year", "unknown"]
Certainty = Literal["asserted", "reported", "unconfirmed", "possible", "denied"]

CERTAINTIES: tuple[Certainty, ...] = ("asserted", "reported", "unconfirmed", "possible", "denied")


def content_id(text: str) -> str:
    """The identity of a document: a hash of its readable content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Segment:
    """A stretch of a document's text that is article body, reader comment or clutter."""

    kind: SegmentKind
    start: int
    end: int
    author: str | None = None


@dataclass(frozen=True)
class Document:
    """One input document after reading and segmentation.

    ``text`` is the readable text every offset refers to (for HTML, the text extracted
    from the page, comments included); ``segments`` say which parts are body.
    """

    id: str
    origin: str
    source: str | None
    url: str | None
    title: str | None
    published: str | None
    published_precision: Precision
    language: str | None
    text: str
    segments: tuple[Segment, ...] = ()
    duplicate_of: str | None = None

    def segment_at(self, offset: int) -> Segment | None:
        """The segment that contains a character offset, if any."""
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg
        return None

    @property
    def body(self) -> str:
        return "\n".join(self.text[s.start : s.end] for s in self.segments if s.kind == "body")


@dataclass(frozen=True)
class Mention:
    """A span of a document that names an actor, a place, a date or a quantity."""

    doc_id: str
    start: int
    end: int
    text: str
    kind: MentionKind
    ref: str | None
    segment: SegmentKind
    score: float
    label: str | None = None  # how it was found: registry, gazetteer, ner:GPE, coref, ...


@dataclass(frozen=True)
class Alliance:
    """A dated backer or ally relation between two actors."""

    id: str
    since: str | None = None
    until: str | None = None

    def valid_on(self, day: str | None) -> bool:
        if day is None:
            return True
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str | None = None
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    backers: tuple[Alliance, ...] = ()
    allies: tuple[Alliance, ...] = ()
    generic: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    feature: str
    alt_names: tuple[str, ...] = ()
    population: int = 0


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EventPlace:
    id: str
    name: str
    lat: float
    lon: float
    geo_precision: int  # 1 exact town, 2 near / part of a region, 3 province or wider
    country: str | None = None
    admin1: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    doc_id: str
    evidence: Evidence
    type: str
    sub_type: str
    actor1: str | None
    actor2: str | None
    place: EventPlace | None
    date_start: str | None
    date_end: str | None
    time_precision: Precision
    fatalities: int | None
    certainty: Certainty
    attributed_to: str | None
    from_comment: bool
    cluster_id: str | None = None
    notes: str | None = None

    def same_happening(self, other: Event) -> bool:
        """Whether two events of one document tell the same happening (a headline and
        the lead that repeats it): same type, source kind and certainty, and no field
        that both fill in differently."""
        if (self.type, self.sub_type, self.from_comment, self.certainty) != (
            other.type, other.sub_type, other.from_comment, other.certainty
        ):  # fmt: skip
            return False
        if self.actor1 and other.actor1 and self.actor1 != other.actor1:
            return False
        if self.place and other.place and self.place.id != other.place.id:
            return False
        both_days = self.time_precision == other.time_precision == "day"
        return not (both_days and self.date_start != other.date_start)


def event_id(doc_id: str, start: int, sub_type: str, ordinal: int = 0) -> str:
    raw = f"{doc_id}:{start}:{sub_type}:{ordinal}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Cluster:
    id: str
    event_ids: tuple[str, ...]
    sources: tuple[str, ...]
    corroboration: int
    summary: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Contradiction:
    id: str
    a: str
    b: str
    reason: str


@dataclass(frozen=True)
class Rejected:
    origin: str
    stage: str
    reason: str


@dataclass(frozen=True)
class Control:
    place_id: str
    actor: str
    since: str | None
    until: str | None
    evidence: tuple[str, ...]
