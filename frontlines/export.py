"""Export stored records as JSON Lines, CSV or GeoJSON.

JSON Lines keeps the record shapes of DESIGN.md, with actor and place references as
small objects so that a reader needs no join. CSV is flat, with ACLED's column names
for events. GeoJSON (events and places) is an RFC 7946 FeatureCollection of points,
written as it is read, whose properties are the CSV columns.

The output stream should be opened with ``encoding="utf-8"`` (and ``newline=""``).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from frontlines.errors import UsageError
from frontlines.models import (
    Actor,
    Cluster,
    Contradiction,
    Document,
    Event,
    EventPlace,
    Mention,
    Place,
    Rejected,
)
from frontlines.store import Store

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

TABLES = (
    "documents",
    "mentions",
    "actors",
    "places",
    "events",
    "clusters",
    "contradictions",
    "rejects",
    "control",
)
FORMATS = ("jsonl", "csv", "geojson")

EVENT_TYPE_LABELS: dict[str, str] = {
    "battle": "Battles",
    "remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protest": "Protests",
    "riot": "Riots",
    "strategic_development": "Strategic developments",
}
SUB_EVENT_TYPE_LABELS: dict[str, str] = {
    "armed_clash": "Armed clash",
    "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "air_drone_strike": "Air/drone strike",
    "shelling_artillery_missile": "Shelling/artillery/missile attack",
    "remote_explosive_ied": "Remote explosive/landmine/IED",
    "suicide_bomb": "Suicide bomb",
    "chemical_weapon": "Chemical weapon",
    "grenade": "Grenade",
    "attack": "Attack",
    "abduction": "Abduction/forced disappearance",
    "sexual_violence": "Sexual violence",
    "peaceful_protest": "Peaceful protest",
    "protest_with_intervention": "Protest with intervention",
    "violent_demonstration": "Violent demonstration",
    "mob_violence": "Mob violence",
    "agreement": "Agreement",
    "arrest": "Arrest",
    "change_to_group_activity": "Change to group/activity",
    "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
    "non_violent_transfer_of_territory": "Non-violent transfer of territory",
    "other": "Other",
}

EVENT_CSV_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "date_end",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor1_id",
    "actor2",
    "actor2_id",
    "location",
    "location_id",
    "latitude",
    "longitude",
    "geo_precision",
    "admin1",
    "country",
    "fatalities",
    "certainty",
    "attributed_to",
    "from_comment",
    "source",
    "source_url",
    "doc_id",
    "cluster_id",
    "notes",
)
CONTROL_CSV_COLUMNS = (
    "place_id",
    "place_name",
    "latitude",
    "longitude",
    "country",
    "actor_id",
    "actor",
    "since",
    "until",
    "evidence",
)

_LOCATION_COLUMNS = (
    "location",
    "location_id",
    "latitude",
    "longitude",
    "geo_precision",
    "admin1",
    "country",
)

Row = dict[str, Any]
Cell = str | int | float | bool | None
FlatRow = dict[str, Cell]

_GEOJSON_HEADER = '{"type": "FeatureCollection", "features": [\n'
_GEOJSON_FOOTER = "\n]}\n"


class ActorLookup(Protocol):
    def get(self, actor_id: str) -> Actor | None: ...

    def all(self) -> Iterable[Actor]: ...


class PlaceLookup(Protocol):
    def get(self, place_id: str) -> Place | None: ...


def export(
    store: Store,
    table: str,
    fmt: str,
    out: TextIO,
    actors: ActorLookup,
    places: PlaceLookup,
) -> int:
    """Write one table to ``out`` in ``fmt``; return the number of rows (features) written."""
    spec = _table_spec(table, fmt)
    sources = _Sources(store, actors, places)
    if fmt == "jsonl":
        return _write_jsonl(spec.records(sources), out)
    if fmt == "csv":
        return _write_csv(spec.columns, spec.rows(sources), out)
    if spec.point is None:
        raise UsageError(f"geojson export is for events and places only; export {table} as jsonl")
    return _write_geojson(spec.rows(sources), spec.point, out)


# -- writers --------------------------------------------------------------------------


def _write_jsonl(records: Iterable[Row], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(columns: tuple[str, ...], rows: Iterable[FlatRow], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({name: _csv_cell(value) for name, value in row.items()})
        count += 1
    return count


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_geojson(rows: Iterable[FlatRow], point: tuple[str, str], out: TextIO) -> int:
    """Stream a FeatureCollection; rows without finite coordinates are skipped."""
    out.write(_GEOJSON_HEADER)
    count = 0
    for row in rows:
        feature = _feature(row, *point)
        if feature is None:
            continue
        if count:
            out.write(",\n")
        out.write(json.dumps(feature, ensure_ascii=False, allow_nan=False))
        count += 1
    out.write(_GEOJSON_FOOTER)
    return count


def _feature(row: FlatRow, lon_column: str, lat_column: str) -> Row | None:
    lon, lat = row[lon_column], row[lat_column]
    if not (_is_coordinate(lon) and _is_coordinate(lat)):
        return None
    geometry = {"type": "Point", "coordinates": [lon, lat]}  # RFC 7946: longitude first
    return {"type": "Feature", "geometry": geometry, "properties": row}


def _is_coordinate(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# -- what the tables read -------------------------------------------------------------


class _Sources:
    """The store and the registries, with the look-ups every table needs."""

    def __init__(self, store: Store, actors: ActorLookup, places: PlaceLookup) -> None:
        self.store = store
        self.actors = actors
        self.places = places
        self._publishers: dict[str, tuple[str | None, str | None]] = {}

    def actor_name(self, actor_id: str | None) -> str | None:
        actor = None if actor_id is None else self.actors.get(actor_id)
        return None if actor is None else actor.name

    def actor_ref(self, actor_id: str | None) -> Row | None:
        if actor_id is None:
            return None
        return {"id": actor_id, "name": self.actor_name(actor_id)}

    def place_ref(self, place_id: str) -> Row:
        place = self.places.get(place_id)
        if place is None:
            return {"id": place_id, "name": None, "lat": None, "lon": None, "country": None}
        return {
            "id": place_id,
            "name": place.name,
            "lat": place.lat,
            "lon": place.lon,
            "country": place.country,
        }

    def publisher(self, doc_id: str) -> tuple[str | None, str | None]:
        """(source, url) of a document, read once per document."""
        if doc_id not in self._publishers:
            doc = self.store.document(doc_id)
            self._publishers[doc_id] = (None, None) if doc is None else (doc.source, doc.url)
        return self._publishers[doc_id]


@dataclass(frozen=True)
class _Table:
    columns: tuple[str, ...]  # CSV header
    records: Callable[[_Sources], Iterator[Row]]  # JSON Lines objects
    rows: Callable[[_Sources], Iterator[FlatRow]]  # CSV and GeoJSON rows
    point: tuple[str, str] | None = None  # (longitude, latitude) columns, for GeoJSON


def _table_spec(table: str, fmt: str) -> _Table:
    if table not in _TABLES:
        raise UsageError(f"unknown table {table!r}; choose one of: {', '.join(TABLES)}")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return _TABLES[table]


def _record_table(
    cls: type[DataclassInstance],
    read: Callable[[_Sources], Iterable[DataclassInstance]],
    point: tuple[str, str] | None = None,
) -> _Table:
    """A table whose JSON objects are the records and whose columns are their fields."""
    return _Table(
        columns=tuple(field.name for field in fields(cls)),
        records=lambda sources: (asdict(record) for record in read(sources)),
        rows=lambda sources: (_flatten(record) for record in read(sources)),
        point=point,
    )


def _flatten(record: DataclassInstance) -> FlatRow:
    return {field.name: _cell(getattr(record, field.name)) for field in fields(record)}


def _cell(value: object) -> Cell:
    """A scalar as is; anything nested as JSON text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"cannot export a {type(value).__name__} as JSON")


def _referenced_places(sources: _Sources) -> Iterator[Place]:
    """Each place a stored mention or event refers to, once; unknown ids are skipped."""
    seen: set[str] = set()
    for place_id in _referenced_place_ids(sources.store):
        if place_id in seen:
            continue
        seen.add(place_id)
        place = sources.places.get(place_id)
        if place is not None:
            yield place


def _referenced_place_ids(store: Store) -> Iterator[str]:
    for mention in store.mentions():
        if mention.kind == "place" and mention.ref is not None:
            yield mention.ref
    for event in store.events():
        if event.place is not None:
            yield event.place.id


def _event_records(sources: _Sources) -> Iterator[Row]:
    for event in sources.store.events():
        record = asdict(event)  # place and evidence become objects here
        record["actor1"] = sources.actor_ref(event.actor1)
        record["actor2"] = sources.actor_ref(event.actor2)
        yield record


def _event_rows(sources: _Sources) -> Iterator[FlatRow]:
    for event in sources.store.events():
        yield _acled_row(event, sources)


def _acled_row(event: Event, sources: _Sources) -> FlatRow:
    source, url = sources.publisher(event.doc_id)
    return {
        "event_id_cnty": event.id,
        "event_date": event.date_start,
        "date_end": event.date_end,
        "time_precision": event.time_precision,
        "event_type": EVENT_TYPE_LABELS.get(event.type, event.type),
        "sub_event_type": SUB_EVENT_TYPE_LABELS.get(event.sub_type, event.sub_type),
        "actor1": sources.actor_name(event.actor1),
        "actor1_id": event.actor1,
        "actor2": sources.actor_name(event.actor2),
        "actor2_id": event.actor2,
        **_acled_location(event.place),
        "fatalities": event.fatalities,
        "certainty": event.certainty,
        "attributed_to": event.attributed_to,
        "from_comment": event.from_comment,
        "source": source,
        "source_url": url,
        "doc_id": event.doc_id,
        "cluster_id": event.cluster_id,
        "notes": event.evidence.text,
    }


def _acled_location(place: EventPlace | None) -> FlatRow:
    if place is None:
        return dict.fromkeys(_LOCATION_COLUMNS)
    return {
        "location": place.name,
        "location_id": place.id,
        "latitude": place.lat,
        "longitude": place.lon,
        "geo_precision": place.geo_precision,
        "admin1": place.admin1,
        "country": place.country,
    }


def _control_records(sources: _Sources) -> Iterator[Row]:
    for control in sources.store.control():
        yield {
            "place": sources.place_ref(control.place_id),
            "actor": sources.actor_ref(control.actor),
            "since": control.since,
            "until": control.until,
            "evidence": list(control.evidence),
        }


def _control_rows(sources: _Sources) -> Iterator[FlatRow]:
    for control in sources.store.control():
        place = sources.place_ref(control.place_id)
        yield {
            "place_id": control.place_id,
            "place_name": place["name"],
            "latitude": place["lat"],
            "longitude": place["lon"],
            "country": place["country"],
            "actor_id": control.actor,
            "actor": sources.actor_name(control.actor),
            "since": control.since,
            "until": control.until,
            "evidence": json.dumps(control.evidence, ensure_ascii=False),
        }


_TABLES: dict[str, _Table] = {
    "documents": _record_table(Document, lambda sources: sources.store.documents()),
    "mentions": _record_table(Mention, lambda sources: sources.store.mentions()),
    "actors": _record_table(Actor, lambda sources: sources.actors.all()),
    "places": _record_table(Place, _referenced_places, point=("lon", "lat")),
    "events": _Table(EVENT_CSV_COLUMNS, _event_records, _event_rows, ("longitude", "latitude")),
    "clusters": _record_table(Cluster, lambda sources: sources.store.clusters()),
    "contradictions": _record_table(Contradiction, lambda sources: sources.store.contradictions()),
    "rejects": _record_table(Rejected, lambda sources: sources.store.rejects()),
    "control": _Table(CONTROL_CSV_COLUMNS, _control_records, _control_rows),
}
