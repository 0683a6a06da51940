"""Events from sentences: types, roles, certainty, fatalities, dates."""

from __future__ import annotations

from datetime import date

from conftest import parse

from frontlines.dates import resolve
from frontlines.pipeline import Resources

PUB = date(2017, 10, 14)  # a Saturday


def test_dates_resolve_relative_phrases() -> None:
    assert resolve("on Tuesday", PUB).iso == ("2017-10-10", "2017-10-10")  # type: ignore[union-attr]
    assert resolve("two days ago", PUB).iso == ("2017-10-12", "2017-10-12")  # type: ignore[union-attr]
    last = resolve("last month", PUB)
    assert last is not None and last.iso == ("2017-09-01", "2017-09-30")
    assert last.precision == "month"
    assert resolve("On March 3", PUB).iso == ("2017-03-03", "2017-03-03")  # type: ignore[union-attr]
    span = resolve("In May and June", PUB)
    assert span is not None and span.iso == ("2017-05-01", "2017-06-30")
    assert resolve("on Tuesday", None) is None


def test_annotate_line_break_ends_a_sentence(res: Resources) -> None:
    doc = res.nlp("Syrian troops take al-Mayadin\nDEIR EZ-ZOR, Syria - The army entered the town.")
    firsts = [s.text.split()[0] for s in doc.sents]
    assert firsts[:2] == ["Syrian", "DEIR"]


def test_extract_capture_with_roles_place_and_date(res: Resources) -> None:
    events = parse(
        res,
        "Syrian army units recaptured al-Mayadin from Islamic State "
        "militants on Saturday, state media said, citing a military source.",
    )
    (event,) = [e for e in events if e.type == "battle"]
    assert event.sub_type == "government_regains_territory"
    assert (event.actor1, event.actor2) == ("saa", "isis")
    assert event.place is not None and event.place.id == "173480"  # al-Mayadin
    assert event.date_start == "2017-10-14"
    assert event.certainty == "reported"
    assert event.attributed_to is not None and "state media" in event.attributed_to


def test_extract_passive_voice_and_fatalities(res: Resources) -> None:
    events = parse(
        res,
        "A checkpoint near Hajin was shelled by Islamic State fighters on "
        "Thursday, killing 7 policemen and 3 civilians.",
    )
    (event,) = [e for e in events if e.type == "remote_violence"]
    assert event.sub_type == "shelling_artillery_missile"
    assert event.actor1 == "isis"
    assert event.fatalities == 10


def test_extract_certainty_denied_possible_unconfirmed(res: Resources) -> None:
    denied = parse(
        res,
        "The US-led coalition denied that its aircraft struck Iraqi "
        "paramilitary positions near al-Qaim.",
    )
    assert denied and all(e.certainty == "denied" for e in denied)
    possible = parse(
        res, "Iraqi forces could begin an offensive on al-Qaim within days, a commander said."
    )
    assert possible and possible[0].certainty == "possible"
    hedged = parse(
        res,
        "Activists said Russian warplanes bombed Mayadin, killing 12 people, "
        "a report that could not be independently verified.",
    )
    assert hedged and hedged[0].certainty == "unconfirmed"
    assert hedged[0].fatalities == 12
