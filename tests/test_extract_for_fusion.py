"""Extraction faults that split or falsely oppose fused events: doers, types, places,
tolls told apart from their strike, and evidence spans."""

from __future__ import annotations

from conftest import article, parse

from frontlines.pipeline import Resources, process


def test_evidence_spans_are_tight_and_match_the_document(res: Resources) -> None:
    text = (
        "Islamic State fighters attacked an army checkpoint near Mayadin on Monday.  \n\n"
        "  The army said it repelled the attack.   \n\n"
        "Coalition aircraft struck Islamic State positions near Hajin on Tuesday.\t\n"
    )
    document = article(text)
    (processed,) = list(process([document], res))
    assert len(processed.events) >= 2
    for event in processed.events:
        span = document.text[event.evidence.start : event.evidence.end]
        assert span == event.evidence.text == span.strip() != ""


def test_aircraft_that_attack_make_an_air_strike_told_once(res: Resources) -> None:
    events = parse(
        res,
        "Coalition attacks army post near al-Tanf\n"
        "US-led coalition aircraft attacked a position of the Syrian Arab Army near al-Tanf "
        "on Thursday, a military source said.",
    )
    assert [(e.sub_type, e.actor1, e.actor2) for e in events] == [
        ("air_drone_strike", "us_led_coalition", "saa")
    ]


def test_they_in_a_reported_clause_is_the_group_that_reports(res: Resources) -> None:
    events = parse(
        res,
        "SDF announces end of ISIS rule in Hajin\n"
        "The Syrian Democratic Forces said on Sunday that they had captured Hajin, the last "
        "town held by ISIS.",
    )
    (capture,) = [e for e in events if e.type == "battle"]
    assert (capture.actor1, capture.actor2) == ("sdf", "isis")


def test_a_clause_without_subject_borrows_the_doer_of_the_clause_above(res: Resources) -> None:
    (event,) = parse(
        res,
        "Iraqi troops drove Islamic State out of Rawa on Friday, completing the recapture of "
        "the Euphrates valley towns.",
    )
    assert event.sub_type == "government_regains_territory"
    assert (event.actor1, event.actor2) == ("isf", "isis")
    assert event.place is not None and event.place.name == "Rawa"


def test_an_agentless_passive_yields_to_the_clause_that_names_the_doer(res: Resources) -> None:
    (event,) = parse(
        res,
        "The prime minister announced on Friday that Anbar had been liberated after Iraqi "
        "forces recaptured Rawa from Islamic State.",
    )
    assert (event.sub_type, event.actor1, event.actor2) == (
        "government_regains_territory", "isf", "isis"
    )  # fmt: skip


def test_a_toll_told_again_further_down_goes_to_its_strike(res: Resources) -> None:
    events = parse(
        res,
        "Coalition aircraft struck Islamic State positions near Hajin on Tuesday.\n\n"
        "About 40 militants were killed in the strikes, a spokesman said.",
    )
    assert [(e.sub_type, e.fatalities) for e in events] == [("air_drone_strike", 40)]


def test_a_river_bank_gives_way_to_the_town_the_sentence_names(res: Resources) -> None:
    (event,) = parse(
        res,
        "Coalition jets struck militia fighters who had attacked an outpost of the Syrian "
        "Democratic Forces near Khasham, east of the Euphrates, late on Wednesday.",
    )
    assert event.place is not None and event.place.name == "Khasham"
    assert event.place.geo_precision == 2


def test_support_named_with_the_doer_is_not_the_event(res: Resources) -> None:
    (event,) = parse(
        res,
        "Syrian troops backed by Russian air strikes broke through to Deir ez-Zor on Tuesday, "
        "ending the siege of the city.",
    )
    assert (event.type, event.actor1) == ("battle", "saa")
