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


def test_extract_counts_a_total_once_not_its_parts(res: Resources) -> None:
    events = parse(res, "A raid on Idlib on Saturday killed 14 villagers including three "
                   "children and a woman.")  # fmt: skip
    assert [e.fatalities for e in events if e.type == "remote_violence"] == [14]
    events = parse(res, "The rocket attack on Aleppo resulted in the killing of one man and the "
                   "injury of 27 others on Sunday.")  # fmt: skip
    assert all(e.fatalities in (1, None) for e in events)


def test_extract_lead_without_date_phrase_is_the_news_of_the_day(res: Resources) -> None:
    text = ("Sat 14 Oct 2017 Suicide bomber kills four in Qamishli. The blast hit a checkpoint. "
            "Residents said an air strike hit Hajin in the past.")  # fmt: skip
    events = parse(res, text)
    lead = [e for e in events if e.sub_type == "suicide_bomb"]
    assert lead and (lead[0].date_start, lead[0].date_end) == ("2017-10-13", "2017-10-14")
    assert lead[0].time_precision == "day"


def test_extract_civilians_killed_in_regime_strikes_blame_the_regime(res: Resources) -> None:
    events = parse(res, "At least 25 civilians died in regime airstrikes on the town of "
                   "Latamneh on Thursday, activists said.")  # fmt: skip
    (event,) = [e for e in events if e.type == "remote_violence"]
    assert event.actor1 == "syrian_air_force"


def test_extract_bomb_noun_is_an_explosive_and_a_killing_strike_is_air(res: Resources) -> None:
    (bomb,) = [e for e in parse(res, "A bomb killed 18 shoppers in Jableh on Friday.")
               if e.type == "remote_violence"]  # fmt: skip
    assert bomb.sub_type == "remote_explosive_ied"
    strikes = parse(res, "Strike kills 15 in Idlib on Friday.")
    assert any(e.sub_type == "air_drone_strike" for e in strikes)


def test_extract_country_wide_event_takes_the_town_named_next(res: Resources) -> None:
    events = parse(res, "Air strikes killed 12 people in northwest Syria on Tuesday. The raids "
                   "hit a market in the town of Maarat al-Numan.")  # fmt: skip
    first = min(events, key=lambda e: e.evidence.start)
    assert first.place is not None and first.place.admin1 == "Idlib"
    assert first.place.geo_precision == 2


def test_extract_one_event_per_clause_and_toll_of_previous_strike(res: Resources) -> None:
    (capture,) = parse(res, "SDF units captured the National Hospital in Raqqa after heavy "
                            "fighting on Monday.")  # fmt: skip
    assert (capture.type, capture.actor1) == ("battle", "sdf")
    events = parse(
        res,
        "Coalition aircraft struck a convoy of pro-government forces near al-Tanf on "
        "Thursday. More than 100 fighters were killed.",
    )
    assert [(e.sub_type, e.fatalities) for e in events] == [("air_drone_strike", 100)]


def test_extract_denial_does_not_spill_into_a_coordinated_claim(res: Resources) -> None:
    events = parse(
        res,
        "The Syrian government denied that it had used chemical weapons in Khan Sheikhoun "
        "and said an air strike had hit a rebel depot.",
    )
    certainty = {e.sub_type: e.certainty for e in events}
    assert certainty == {"chemical_weapon": "denied", "air_drone_strike": "asserted"}


def test_extract_target_in_the_subject_and_a_state_fights_with_its_forces(res: Resources) -> None:
    events = parse(
        res,
        "An air strike on positions of the Popular Mobilisation Forces near al-Qaim killed "
        "22 fighters on Sunday. The United States fired 59 cruise missiles at the Shayrat "
        "air base on Friday.",
    )
    strike = next(e for e in events if "Popular" in e.evidence.text)
    assert strike.actor2 == "pmf" and strike.actor1 != "pmf"
    missiles = next(e for e in events if "59" in e.evidence.text)
    assert missiles.actor1 == "us_military"


def test_extract_a_source_or_an_ally_is_not_the_target(res: Resources) -> None:
    events = parse(
        res,
        "Army units and the Popular Mobilisation Forces attacked Islamic State positions near "
        "Rawa on Thursday, the Syrian Observatory for Human Rights said.",
    )
    (event,) = [e for e in events if e.type == "battle"]
    assert event.actor2 not in ("sohr", "pmf", "iraqi_army")


def test_extract_story_day_future_denial_river_bank_and_since(res: Resources) -> None:
    events = parse(
        res,
        "Iraqi troops recaptured Rawa from Islamic State on Thursday. Iraqi warplanes bombed "
        "militant positions on the northern bank of the Euphrates on Wednesday. State media "
        "said the air strike hit a weapons depot. The coalition said it had no plans to send "
        "ground troops to the area. At least 40 people have been killed in Hajin since "
        "Tuesday, a monitor said.",
    )
    strikes = [e for e in events if e.type == "remote_violence"]
    bombed = next(e for e in strikes if "Euphrates" in e.evidence.text)
    assert bombed.place is not None and bombed.place.name == "Rawa"  # not the river's middle
    told_again = next(e for e in strikes if e.evidence.text.startswith("State media"))
    assert (told_again.date_start, told_again.time_precision) == ("2017-10-11", "day")
    denial = next(e for e in events if e.certainty == "denied")
    assert denial.date_start is None
    toll = next(e for e in events if "since" in e.evidence.text)
    assert (toll.date_start, toll.date_end) == ("2017-10-10", "2017-10-14")


def test_extract_pair_after_between_and_doer_of_a_with_phrase(res: Resources) -> None:
    events = parse(
        res,
        "Clashes broke out between Iraqi troops and Peshmerga fighters near Kirkuk on Monday. "
        "SDF fighters and coalition aircraft pounded the camp in Baghuz with artillery and "
        "air strikes on Sunday.",
    )
    clash = next(e for e in events if e.evidence.text.startswith("Clashes"))
    assert (clash.actor1, clash.actor2) == ("isf", "peshmerga")
    pounded = next(e for e in events if e.evidence.text.startswith("SDF"))
    assert pounded.actor1 == "sdf"
