"""`frontlines eval events`: the dev gold, the scorer, and the floors it must keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontlines.errors import DataFileError
from frontlines.evaluate.events import (
    EventScores,
    GoldDocument,
    GoldEvent,
    SentenceClassifier,
    attribution_ok,
    date_ok,
    evaluate_events,
    load_gold,
    retype,
    score_document,
)
from frontlines.models import Document, Event, EventPlace, Evidence, Segment

GOLD = Path(__file__).resolve().parents[1] / "gold" / "events"
TEXT = (
    "Syrian troops retook Palmyra on Thursday, the army said. "
    "Russian jets bombed the hills west of the town."
)


def gold_event(quote: str, kind: str = "battle/government_regains_territory") -> GoldEvent:
    main, _, sub = kind.partition("/")
    return GoldEvent("t.yaml", "docs/t.txt", None, quote, main, sub, "saa", "isis",
                     ("Palmyra", 34.562, 38.284), ("2017-03-02", "2017-03-02", "day"), None,
                     "reported", "the army", False)  # fmt: skip


def system_event(start: int, end: int, kind: str, actor1: str = "saa") -> Event:
    main, _, sub = kind.partition("/")
    place = EventPlace("163808", "Palmyra", 34.56, 38.27, 1)
    when = ("2017-03-02", "2017-03-02", "day")
    return Event("e", "d", Evidence(start, end, TEXT[start:end]), main, sub, actor1, "isis",
                 place, *when, None, "reported", "the army", False)  # fmt: skip


def document() -> Document:
    return Document("d", "t.txt", None, None, None, "2017-03-02", "day", "en", TEXT,
                    (Segment("body", 0, len(TEXT)),))  # fmt: skip


def test_gold_has_150_complete_events() -> None:
    docs = load_gold(GOLD)
    events = [e for d in docs for e in d.events]
    assert len(events) >= 150
    assert len({d.path for d in docs}) >= 25
    assert sum(e.from_comment for e in events) >= 10
    assert {e.certainty for e in events} == {"asserted", "reported", "unconfirmed", "possible",
                                             "denied"}  # fmt: skip
    for event in events:
        assert event.quote in Path(next(d.path for d in docs if event in d.events)).read_text(
            encoding="utf-8"
        ), event.quote


def test_scorer_matches_by_overlap_and_type_and_scores_fields() -> None:
    strike = gold_event("Russian jets bombed the hills", "remote_violence/air_drone_strike")
    golds = (gold_event("retook Palmyra on Thursday"), strike)
    gdoc = GoldDocument("t.yaml", Path("t.txt"), None, golds)
    second = TEXT.index("Russian")
    system = [
        system_event(0, second - 1, "battle/government_regains_territory", actor1="isis"),
        system_event(second, len(TEXT), "battle/armed_clash"),  # overlaps, wrong type
        system_event(second, len(TEXT), "protest/peaceful_protest"),  # a second, spurious one
    ]
    scores = EventScores()
    score_document(scores, gdoc, document(), system)
    assert (scores.gold, scores.system, scores.matched) == (2, 3, 1)
    assert scores.precision == pytest.approx(1 / 3, abs=1e-3)
    assert scores.recall == 0.5
    assert scores.type_pairs == 2 and scores.type_accuracy == 0.5
    accuracy = scores.field_accuracy()
    assert accuracy["actor1"] == 0.0 and accuracy["place"] == 1.0 and accuracy["date"] == 1.0
    assert "typed battle/armed_clash" in scores.missed[0]


def test_date_and_attribution_tolerance() -> None:
    gold = gold_event("x")
    week = GoldEvent(**{**gold.__dict__, "date": ("2017-02-24", "2017-03-02", "week")})
    near = system_event(0, 5, "battle/armed_clash")
    assert date_ok(gold, near)
    assert not date_ok(gold, Event(**{**near.__dict__, "date_start": "2017-03-01"}))
    assert date_ok(week, Event(**{**near.__dict__, "date_start": "2017-02-26",
                                  "date_end": "2017-03-01"}))  # fmt: skip
    assert attribution_ok("state media, citing a military source", "state media citing a source")
    assert not attribution_ok("the army", None)
    assert not attribution_ok("a coalition spokesman", "the Syrian army")


def test_malformed_gold_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        "doc: docs/a.txt\nevents:\n- quote: retook\n  type: battle\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="missing fields"):
        load_gold(tmp_path)
    with pytest.raises(DataFileError, match="no \\*.yaml"):
        load_gold(tmp_path / "docs")


def test_event_extraction_floors_on_dev_gold() -> None:
    scores = evaluate_events(GOLD)
    assert scores.gold >= 150
    assert scores.f1 >= 0.74, scores.as_dict()
    assert scores.type_accuracy >= 0.87, scores.as_dict()
    fields = scores.field_accuracy()
    floors = {
        "sub_type": 0.90, "actor1": 0.76, "actor2": 0.68, "place": 0.83, "date": 0.75,
        "fatalities": 0.95, "certainty": 0.87, "attributed_to": 0.83, "from_comment": 0.99,
    }  # fmt: skip
    assert all(fields[f] >= floor for f, floor in floors.items()), fields


def test_sentence_classifier_learns_and_retypes() -> None:
    examples = [
        (["jets", "bombed", "positions"], "remote_violence/air_drone_strike"),
        (["warplanes", "bombed", "a", "convoy"], "remote_violence/air_drone_strike"),
        (["troops", "recaptured", "the", "town"], "battle/government_regains_territory"),
        (["army", "recaptured", "village"], "battle/government_regains_territory"),
        (["spokesman", "welcomed", "the", "advance"], "none"),
        (["minister", "welcomed", "talks"], "none"),
    ]
    model = SentenceClassifier.train(examples, dims=512, epochs=200)
    assert model.predict(["jets", "bombed", "a", "bridge"]) == "remote_violence/air_drone_strike"
    assert model.predict(["officials", "welcomed", "the", "advance"]) == "none"
    start = TEXT.index("Russian")
    kept = retype(model, [system_event(0, start - 1, "battle/armed_clash")])
    assert [(e.type, e.sub_type) for e in kept] == [("battle", "government_regains_territory")]


HELDOUT = GOLD / "heldout"


def test_heldout_gold_is_separate_and_complete() -> None:
    docs = load_gold(HELDOUT)
    events = [e for d in docs for e in d.events]
    assert len(events) >= 50 and len(docs) >= 10
    assert {e.certainty for e in events} == {"asserted", "reported", "unconfirmed", "possible",
                                             "denied"}  # fmt: skip
    assert any(e.from_comment for e in events)
    dev_texts = {d.path.name for d in load_gold(GOLD)}
    assert not dev_texts & {d.path.name for d in docs}
    for doc in docs:
        text = doc.path.read_text(encoding="utf-8")
        assert all(e.quote in text for e in doc.events)


def test_event_extraction_floors_on_heldout_gold() -> None:
    """The rules were never tuned on gold/events/heldout: these floors sit just under what
    was measured there at the end of the round, so they show how far the dev figures carry."""
    scores = evaluate_events(HELDOUT)
    assert scores.f1 >= 0.74, scores.as_dict()
    assert scores.type_accuracy >= 0.88, scores.as_dict()
    fields = scores.field_accuracy()
    floors = {"actor1": 0.66, "actor2": 0.63, "place": 0.74, "date": 0.84, "certainty": 0.89}
    assert all(fields[f] >= floor for f, floor in floors.items()), fields
