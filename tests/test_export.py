from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from frontlines.errors import UsageError
from frontlines.export import (
    EVENT_TYPE_LABELS,
    SUB_EVENT_TYPE_LABELS,
    TABLES,
    export,
)
from frontlines.models import (
    Actor,
    Alliance,
    Cluster,
    Contradiction,
    Control,
    Document,
    Event,
    EventPlace,
    Evidence,
    Mention,
    MentionKind,
    Place,
    Rejected,
    Segment,
    SegmentKind,
    content_id,
    event_id,
)
from frontlines.store import Store

PAGE = (
    "Coalition strikes pound Hajin as SDF pushes into last IS pocket\n"
    "DEIR EZ-ZOR, Syria (Reuters) - U.S.-led coalition aircraft struck Islamic State "
    "positions in Hajin on Monday, killing at least 12 militants, a coalition spokesman "
    "said. The Syrian Democratic Forces clashed with the jihadists near al-Susah, "
    "according to reports that could not be independently verified.\n"
    "Share this article | Follow us on Twitter\n"
    "abu_omar: The regime is shelling al-Bukamal again, nobody reports it.\n"
)

ACTORS = [
    Actor("us_led_coalition", "US-led coalition", "coalition"),
    Actor("isis", "Islamic State", "terrorist_group", aliases=("IS", "ISIS", "Daesh")),
    Actor(
        "sdf",
        "Syrian Democratic Forces",
        "rebel_group",
        country="SY",
        aliases=("SDF", "QSD"),
        backers=(Alliance("us_led_coalition", "2015-10-01", None),),
        allies=(Alliance("ypg", "2015-10-10"),),
    ),
]
PLACES = [
    Place("170017", "Hajin", 34.6947, 40.8311, "SY", "Deir ez-Zor", "populated_place"),
    Place(
        "172515",
        "Abu Kamal",
        34.4506,
        40.9171,
        "SY",
        "Deir ez-Zor",
        "populated_place",
        alt_names=("al-Bukamal", "Albu Kamal"),
        population=47000,
    ),
]
HAJIN = EventPlace("170017", "Hajin", 34.6947, 40.8311, 1, "SY", "Deir ez-Zor")


class FakeActors:
    def __init__(self, actors: Iterable[Actor]) -> None:
        self._by_id = {actor.id: actor for actor in actors}

    def get(self, actor_id: str) -> Actor | None:
        return self._by_id.get(actor_id)

    def all(self) -> Iterable[Actor]:
        return self._by_id.values()


class FakePlaces:
    def __init__(self, places: Iterable[Place]) -> None:
        self._by_id = {place.id: place for place in places}

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _document() -> Document:
    comments = PAGE.index("abu_omar")
    return Document(
        id=content_id(PAGE),
        origin="corpus/reuters-hajin.html",
        source="Reuters",
        url="https://www.reuters.com/article/hajin-strikes",
        title="Coalition strikes pound Hajin as SDF pushes into last IS pocket",
        published="2018-12-03",
        published_precision="day",
        language="en",
        text=PAGE,
        segments=(Segment("body", 0, comments), Segment("comment", comments, len(PAGE))),
    )


def _mention(doc: Document, needle: str, kind: MentionKind, ref: str | None) -> Mention:
    start, end = _span(doc.text, needle)
    segment: SegmentKind = "comment" if start >= doc.text.index("abu_omar") else "body"
    return Mention(doc.id, start, end, needle, kind, ref, segment, 0.9)


def _event(doc: Document, needle: str, sub_type: str, **changes: Any) -> Event:
    start, end = _span(doc.text, needle)
    bare = Event(
        id=event_id(doc.id, start, sub_type),
        doc_id=doc.id,
        evidence=Evidence(start, end, doc.text[start:end]),
        type="battle",
        sub_type=sub_type,
        actor1=None,
        actor2=None,
        place=None,
        date_start=None,
        date_end=None,
        time_precision="unknown",
        fatalities=None,
        certainty="asserted",
        attributed_to=None,
        from_comment=False,
    )
    return replace(bare, **changes)


@pytest.fixture
def store() -> Iterator[Store]:
    doc = _document()
    mentions = [
        _mention(doc, "Hajin", "place", "170017"),
        _mention(doc, "in Hajin", "place", "170017"),
        _mention(doc, "al-Susah", "place", None),
        _mention(doc, "al-Bukamal", "place", "172515"),
        _mention(doc, "DEIR EZ-ZOR", "place", "999999"),
        _mention(doc, "Syrian Democratic Forces", "actor", "sdf"),
    ]
    strike = _event(
        doc,
        "U.S.-led coalition aircraft struck",
        "air_drone_strike",
        type="remote_violence",
        actor1="us_led_coalition",
        actor2="isis",
        place=HAJIN,
        date_start="2018-12-03",
        date_end="2018-12-03",
        time_precision="day",
        fatalities=12,
        certainty="reported",
        attributed_to="a coalition spokesman",
    )
    clash = _event(
        doc,
        "The Syrian Democratic Forces clashed",
        "armed_clash",
        actor1="sdf",
        certainty="unconfirmed",
    )
    with Store(":memory:") as opened:
        opened.save_document(doc, mentions, [strike, clash])
        opened.replace_fusion(
            [Cluster("c1", (strike.id,), ("Reuters",), 1, {"type": "remote_violence"})],
            [Contradiction("x1", strike.id, clash.id, "one says Hajin, one says al-Susah")],
            [Control("170017", "isis", "2017-10-01", "2018-12-14", (strike.id,))],
        )
        opened.save_rejected(Rejected("corpus/broken.warc", "read", "not a WARC file"))
        yield opened


def _export(store: Store, table: str, fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    written = export(store, table, fmt, out, FakeActors(ACTORS), FakePlaces(PLACES))
    return written, out.getvalue()


def _jsonl(store: Store, table: str) -> list[dict[str, object]]:
    written, text = _export(store, table, "jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert written == len(records)
    return records


def test_export_events_jsonl_nests_actor_and_place_objects(store: Store) -> None:
    strike, clash = _jsonl(store, "events")
    assert strike["actor1"] == {"id": "us_led_coalition", "name": "US-led coalition"}
    assert strike["actor2"] == {"id": "isis", "name": "Islamic State"}
    assert strike["place"] == {
        "id": "170017",
        "name": "Hajin",
        "lat": 34.6947,
        "lon": 40.8311,
        "geo_precision": 1,
        "country": "SY",
        "admin1": "Deir ez-Zor",
    }
    assert strike["evidence"] == {
        "start": PAGE.index("U.S.-led"),
        "end": PAGE.index(" Islamic State positions"),
        "text": "U.S.-led coalition aircraft struck",
    }
    assert strike["cluster_id"] == "c1"
    assert strike["fatalities"] == 12
    assert clash["actor1"] == {"id": "sdf", "name": "Syrian Democratic Forces"}
    assert clash["actor2"] is None
    assert clash["place"] is None
    assert clash["cluster_id"] is None


def test_export_control_and_actors_jsonl_use_reference_objects(store: Store) -> None:
    [control] = _jsonl(store, "control")
    assert control == {
        "place": {"id": "170017", "name": "Hajin", "lat": 34.6947, "lon": 40.8311, "country": "SY"},
        "actor": {"id": "isis", "name": "Islamic State"},
        "since": "2017-10-01",
        "until": "2018-12-14",
        "evidence": [next(store.events()).id],
    }
    actors = {actor["id"]: actor for actor in _jsonl(store, "actors")}
    assert list(actors) == ["us_led_coalition", "isis", "sdf"]
    assert actors["sdf"]["backers"] == [
        {"id": "us_led_coalition", "since": "2015-10-01", "until": None}
    ]
    assert actors["sdf"]["allies"] == [{"id": "ypg", "since": "2015-10-10", "until": None}]
    assert actors["isis"]["aliases"] == ["IS", "ISIS", "Daesh"]


def test_export_events_csv_uses_acled_columns(store: Store) -> None:
    written, text = _export(store, "events", "csv")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert written == 2
    assert reader.fieldnames == [
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
    ]
    strike, clash = rows
    assert strike["event_type"] == "Explosions/Remote violence"
    assert strike["sub_event_type"] == "Air/drone strike"
    assert strike["event_date"] == "2018-12-03"
    assert (strike["actor1"], strike["actor1_id"]) == ("US-led coalition", "us_led_coalition")
    assert (strike["location"], strike["location_id"]) == ("Hajin", "170017")
    assert (float(strike["latitude"]), float(strike["longitude"])) == (34.6947, 40.8311)
    assert (strike["admin1"], strike["country"], strike["fatalities"]) == (
        "Deir ez-Zor",
        "SY",
        "12",
    )
    assert strike["source"] == "Reuters"
    assert strike["source_url"] == "https://www.reuters.com/article/hajin-strikes"
    assert strike["notes"] == "U.S.-led coalition aircraft struck"
    assert strike["from_comment"] == "false"
    assert strike["cluster_id"] == "c1"
    assert clash["event_type"] == "Battles"
    assert clash["sub_event_type"] == "Armed clash"
    assert (clash["actor2"], clash["location"], clash["latitude"], clash["fatalities"]) == (
        "",
        "",
        "",
        "",
    )


def test_export_labels_cover_every_acled_type() -> None:
    assert len(EVENT_TYPE_LABELS) == 6
    assert len(SUB_EVENT_TYPE_LABELS) == 23
    assert all(code == code.lower() and " " not in code for code in SUB_EVENT_TYPE_LABELS)
    assert SUB_EVENT_TYPE_LABELS["non_state_actor_overtakes_territory"] == (
        "Non-state actor overtakes territory"
    )


def test_export_geojson_is_valid_feature_collection(store: Store) -> None:
    written, text = _export(store, "events", "geojson")
    collection = json.loads(text)
    assert set(collection) == {"type", "features"}
    assert collection["type"] == "FeatureCollection"
    assert written == len(collection["features"]) == 1  # the clash has no place
    [feature] = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [40.8311, 34.6947]}
    assert all(isinstance(value, float) for value in feature["geometry"]["coordinates"])
    properties = feature["properties"]
    assert properties["location"] == "Hajin"
    assert properties["fatalities"] == 12
    assert properties["from_comment"] is False
    assert properties["event_type"] == "Explosions/Remote violence"

    written, text = _export(store, "places", "geojson")
    places = json.loads(text)["features"]
    assert written == 2
    assert [f["geometry"]["coordinates"] for f in places] == [
        [40.8311, 34.6947],
        [40.9171, 34.4506],
    ]
    assert json.loads(places[1]["properties"]["alt_names"]) == ["al-Bukamal", "Albu Kamal"]


def test_export_geojson_of_an_empty_store_is_valid() -> None:
    with Store(":memory:") as empty:
        written, text = _export(empty, "events", "geojson")
    assert written == 0
    assert json.loads(text) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("table", "fmt", "message"),
    [
        ("battles", "jsonl", "unknown table 'battles'"),
        ("events", "parquet", "unknown format 'parquet'"),
        ("actors", "geojson", "geojson export is for events and places only"),
        ("control", "geojson", "geojson export is for events and places only"),
    ],
)
def test_export_rejects_unknown_table_or_format(
    store: Store, table: str, fmt: str, message: str
) -> None:
    out = io.StringIO()
    with pytest.raises(UsageError, match=message):
        export(store, table, fmt, out, FakeActors(ACTORS), FakePlaces(PLACES))
    assert out.getvalue() == ""


def test_export_places_lists_each_referenced_place_once(store: Store) -> None:
    places = _jsonl(store, "places")
    assert [place["id"] for place in places] == ["170017", "172515"]
    assert places[1] == {
        "id": "172515",
        "name": "Abu Kamal",
        "lat": 34.4506,
        "lon": 40.9171,
        "country": "SY",
        "admin1": "Deir ez-Zor",
        "feature": "populated_place",
        "alt_names": ["al-Bukamal", "Albu Kamal"],
        "population": 47000,
    }


def test_export_writes_every_table_as_jsonl_and_csv(store: Store) -> None:
    expected = {
        "documents": 1,
        "mentions": 6,
        "actors": 3,
        "places": 2,
        "events": 2,
        "clusters": 1,
        "contradictions": 1,
        "rejects": 1,
        "control": 1,
    }
    assert set(TABLES) == set(expected)
    for table, count in expected.items():
        assert len(_jsonl(store, table)) == count
        written, text = _export(store, table, "csv")
        assert written == len(list(csv.DictReader(io.StringIO(text)))) == count
    [document] = csv.DictReader(io.StringIO(_export(store, "documents", "csv")[1]))
    assert document["text"] == PAGE
    assert json.loads(document["segments"])[1]["kind"] == "comment"
