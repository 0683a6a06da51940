"""The bundled sample's expected events (data/sample-expected.yaml) against what the
pipeline extracts: recall of named article events (same document, overlapping
evidence, same type, same actor1 when given, place within 25 km when given)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from frontlines.gazetteer import distance_km
from frontlines.models import Event
from frontlines.paths import data_file
from frontlines.store import Store

PLACE_KM = 25.0


@dataclass(frozen=True)
class SampleScores:
    expected: int
    found: int
    missed: tuple[str, ...]

    @property
    def recall(self) -> float:
        return round(self.found / self.expected, 4) if self.expected else 1.0


def load_expected() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        data_file("sample-expected.yaml").read_text(encoding="utf-8")
    )
    return loaded


def doc_id_for(store: Store, name: str, line: int | None) -> str | None:
    suffix = f"{name}#L{line}" if line else name
    return next((d.id for d in store.documents() if d.origin.endswith(suffix)), None)


def matches(event: Event, want: dict[str, Any], start: int, end: int) -> bool:
    if event.from_comment or event.evidence.end < start or event.evidence.start > end:
        return False
    if event.type != want["type"]:
        return False
    if want.get("actor1") is not None and event.actor1 != want["actor1"]:
        return False
    if want.get("lat") is None:
        return True
    if event.place is None:
        return False
    here = (event.place.lat, event.place.lon)
    return distance_km(here, (float(want["lat"]), float(want["lon"]))) <= PLACE_KM


def score_sample(store: Store) -> SampleScores:
    wanted = load_expected()["events"]
    missed = []
    for want in wanted:
        doc_id = doc_id_for(store, want["doc"], want.get("line"))
        doc = store.document(doc_id) if doc_id else None
        if doc is None or want["sentence"] not in doc.text:
            missed.append(f"{want['doc']}: (document or sentence not stored)")
            continue
        start = doc.text.index(want["sentence"])
        end = start + len(want["sentence"])
        if not any(matches(e, want, start, end) for e in store.events(doc.id)):
            missed.append(f"{want['doc']}: {want['type']}/{want['sub_type']} {want['sentence']}")
    return SampleScores(len(wanted), len(wanted) - len(missed), tuple(missed))
