"""dates: phrases resolved against the publication date, and how events get their dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from conftest import parse

from frontlines.dates import credit_spans, resolve, stretch, whole_date
from frontlines.metadata import dateline_date, full_dates
from frontlines.pipeline import Resources

THURSDAY = date(2016, 3, 10)


def span(phrase: str, published: date = THURSDAY) -> tuple[str, str, str]:
    found = resolve(phrase, published)
    assert found is not None, phrase
    return found.start.isoformat(), found.end.isoformat(), found.precision


def test_weekdays_are_the_last_one_on_or_before_publication() -> None:
    assert span("on Tuesday") == ("2016-03-08", "2016-03-08", "day")
    assert span("on Thursday") == ("2016-03-10", "2016-03-10", "day")
    assert span("last Thursday") == ("2016-03-03", "2016-03-03", "day")
    assert span("on the night of Friday") == ("2016-03-04", "2016-03-04", "day")


def test_relative_days_and_calendar_weeks() -> None:
    assert span("yesterday") == ("2016-03-09", "2016-03-09", "day")
    assert span("overnight") == ("2016-03-09", "2016-03-10", "day")
    assert span("two days ago") == ("2016-03-08", "2016-03-08", "day")
    assert span("last week") == ("2016-02-29", "2016-03-06", "week")
    assert span("earlier this month") == ("2016-03-01", "2016-03-10", "month")
    assert span("last month") == ("2016-02-01", "2016-02-29", "month")


def test_stretches_back_from_publication() -> None:
    assert span("over the past 24 hours") == ("2016-03-09", "2016-03-10", "day")
    assert span("in the last 48 hours") == ("2016-03-08", "2016-03-10", "week")
    assert span("over the past week") == ("2016-03-03", "2016-03-10", "week")
    assert span("the past two weeks") == ("2016-02-25", "2016-03-10", "month")
    assert span("in the past few days") == ("2016-03-03", "2016-03-10", "week")
    assert stretch("last week") is None  # the calendar week before, not seven days back
    assert stretch("the past days") is None


def test_partial_dates_take_the_year_of_the_dateline_or_the_year_before() -> None:
    assert span("on March 5") == ("2016-03-05", "2016-03-05", "day")
    assert span("on Dec. 28") == ("2015-12-28", "2015-12-28", "day")  # after March: last year's
    assert span("between 3 and 5 March") == ("2016-03-03", "2016-03-05", "day")
    assert span("in May and June") == ("2015-05-01", "2015-06-30", "month")
    assert span("late February") == ("2016-02-20", "2016-02-29", "month")
    assert span("in 2014") == ("2014-01-01", "2014-12-31", "year")
    assert resolve("on Tuesday", None) is None


def test_agency_credit_is_the_copy_date_only_when_it_is_the_dateline() -> None:
    text = "Nine killed in Homs car bomb Monitor AFP Tuesday 3 Mar 2015 At least nine people"
    ((a, b),) = credit_spans(text, date(2015, 3, 3))
    assert text[a:b] == "Tuesday 3 Mar 2015"
    assert credit_spans("Mon Aug 8 2016 Twelve dead in Idlib", date(2016, 8, 8)) == [(0, 14)]
    assert credit_spans(text, date(2015, 3, 4)) == []  # another day: an event's date
    assert credit_spans(text, None) == []


def test_a_tagged_fragment_is_read_as_the_whole_written_date() -> None:
    text = "mortar fire on Homs and Hama 14 October 2016 the agency's correspondent reported"
    at = text.index("October")
    assert whole_date(text, at, at + len("October 2016")) == "14 October 2016"
    text = "In October 2016 the army advanced"
    at = text.index("October")
    assert whole_date(text, at, at + len("October 2016")) is None


def test_dates_glued_to_the_next_word_are_read() -> None:
    assert full_dates("03.11.2017Share this story 215 Four soldiers") == [date(2017, 11, 3)]
    assert full_dates("Politics 0915 12.05.2017Share this") == [date(2017, 5, 12)]
    assert full_dates("code 1.2.20171 is no date") == []
    assert dateline_date("09.02.2016(edited 1310 09.02.2016) Share link") == date(2016, 2, 9)


def test_an_agency_credit_after_the_headline_does_not_date_the_event(res: Resources) -> None:
    text = ("Nine dead in Homs car bomb blast Monitor AFP Tuesday 3 Mar 2015 Nine people "
            "died when a car bomb went off beside a market in Homs on Monday.")  # fmt: skip
    (ev,) = parse(res, text, "2015-03-03")
    assert (ev.date_start, ev.date_end, ev.time_precision) == ("2015-03-02", "2015-03-02", "day")


def test_a_dateline_after_the_headline_dates_the_lead_to_its_day(res: Resources) -> None:
    text = ("Eight civilians die as terrorists shell Homs 14 October 2016 The agency's "
            "correspondent in Homs said 5 civilians were killed by mortar rounds.")  # fmt: skip
    events = parse(res, text, "2016-10-14")
    assert events
    for ev in events:
        assert (ev.date_start, ev.date_end, ev.time_precision) != ("2016-10-01", "2016-10-31",
                                                                    "month")  # fmt: skip
        assert ev.date_start is not None and ev.date_start >= "2016-10-13"


def test_scraps_before_the_lead_leave_it_the_lead(res: Resources) -> None:
    text = ("09.02.2016(edited 1310 09.02.2016) Share link 0 12 Rocket fire on the eastern "
            "districts of Aleppo left four people dead and about 15 injured.")  # fmt: skip
    (ev,) = parse(res, text, "2016-02-09")
    assert (ev.date_start, ev.date_end, ev.time_precision) == ("2016-02-08", "2016-02-09", "day")


def test_a_retold_toll_keeps_the_day_the_lead_gave_it(res: Resources) -> None:
    text = ("Rebel rockets killed 19 people in the town of Jaramana on Sunday. The town had "
            "seen little fighting since spring, residents said. A medic in the town said no "
            "fewer than 19 people were killed including three children.")  # fmt: skip
    # the medic retells the toll of Sunday's rockets: one event on Sunday, counted once
    (ev,) = [e for e in parse(res, text, "2016-07-04") if e.fatalities is not None]
    assert (ev.fatalities, ev.sub_type) == (19, "shelling_artillery_missile")
    assert (ev.date_start, ev.date_end, ev.time_precision) == ("2016-07-03", "2016-07-03", "day")


def test_the_same_count_of_other_dead_keeps_its_own_date(res: Resources) -> None:
    text = ("Syrian government jets struck a market in Maarat al-Numan on Monday, killing 3 "
            "civilians. The town had been calm for weeks, residents said. Elsewhere, fighting "
            "between rebels and Islamic State near al-Rai left 3 fighters dead, a monitor "
            "said.")  # fmt: skip
    events = parse(res, text, "2016-07-14")
    (strike,) = [e for e in events if e.sub_type == "air_drone_strike"]
    (clash,) = [e for e in events if e.sub_type == "armed_clash" and e.fatalities == 3]
    assert (strike.date_start, strike.date_end) == ("2016-07-11", "2016-07-11")
    # another kind of violence and other victims: not the strike's toll, so not its day
    assert (clash.date_start, clash.date_end, clash.time_precision) == (
        "2016-07-08",
        "2016-07-14",
        "week",
    )


def test_the_day_of_a_saying_gives_way_to_the_day_of_the_deed(res: Resources) -> None:
    text = ("An activist network reported on Thursday that regime helicopters hit the village "
            "of Kafr Zita on Tuesday, killing four civilians.")  # fmt: skip
    (ev,) = parse(res, text, "2016-08-05")
    assert (ev.date_start, ev.date_end) == ("2016-08-02", "2016-08-02")
    only = "Regime helicopters killed four civilians in Kafr Zita, activists said on Thursday."
    (said,) = parse(res, only, "2016-08-05")
    assert (said.date_start, said.date_end) == ("2016-08-04", "2016-08-04")


def titled(res: Resources, text: str, published: str, title: str) -> list:  # type: ignore[type-arg]
    """The events of an article whose copy opens with its title, as web copy does."""
    from conftest import article

    from frontlines.pipeline import process

    doc = replace(article(text, published), title=title)
    return list(next(process([doc], res)).events)


def test_a_dated_headline_is_not_retold_by_another_days_strike(res: Resources) -> None:
    title = "Warplanes pound Saraqib market on Wednesday killing 12"
    text = (f"{title}\nThe town council said the raid levelled a row of shops. On Monday a "
            "drone strike on a car near Binnish killed two men, a monitor said.")  # fmt: skip
    events = titled(res, text, "2016-06-09", title)
    # Monday's drone strike is another happening: Wednesday's raid keeps its event
    days = sorted((e.date_start, e.fatalities) for e in events)
    assert days == [("2016-06-06", 2), ("2016-06-08", 12)]


def test_a_title_the_parser_cut_in_two_leaves_the_next_sentence_the_lead(
    res: Resources,
) -> None:
    title = "Relief Group: Russia Leaves Idlib Families No Choice but Flight"
    text = (f"Friday 10 June 2016 09:05 {title}. The group's director said that Russian jets "
            "bombed hospitals and bakeries across Idlib province.")  # fmt: skip
    (ev,) = titled(res, text, "2016-06-10", title)
    # the lead tells the news of the day, not something of the week before
    assert (ev.date_start, ev.date_end, ev.time_precision) == ("2016-06-09", "2016-06-10", "day")


def test_a_toll_retold_with_its_day_dates_the_lead_that_had_none(res: Resources) -> None:
    title = "Rights group blames army for nerve gas attack on farming village"
    text = (f"{title}\nA rights group said on Tuesday that a nerve gas attack on a farming "
            "village killed 120 people. The group interviewed survivors and doctors in the "
            "area. The chemical attack on the village on March 3 killed 120 people, most of "
            "them farmers.")  # fmt: skip
    events = titled(res, text, "2015-03-20", title)
    gas = [e for e in events if e.sub_type == "chemical_weapon"]
    assert gas
    # the headline, the lead (dated only by the saying) and the retelling: all March 3
    assert {(e.date_start, e.date_end) for e in gas} == {("2015-03-03", "2015-03-03")}


def test_a_dated_headline_is_not_retold_by_its_sides_undated_fighting(res: Resources) -> None:
    title = "Russian jets strike Saraqib on Wednesday killing 12"
    text = (f"{title}\nThe raid levelled a row of shops, residents said. Russian special forces "
            "are fighting alongside government troops in the desert east of Homs.")  # fmt: skip
    events = titled(res, text, "2016-06-09", title)
    # the same side's ground fighting, told without a day, is not the headline's air raid
    (strike,) = [e for e in events if e.sub_type == "air_drone_strike"]
    assert (strike.date_start, strike.date_end, strike.fatalities) == (
        "2016-06-08",
        "2016-06-08",
        12,
    )


def test_the_attack_told_undated_takes_the_day_of_the_sentence_before(res: Resources) -> None:
    text = ("Doctors in Saraqib counted the victims on Thursday. They said the atrocity took "
            "place before sunrise on Tuesday. Chlorine gas was used in the raid, which left 23 "
            "people dead, the doctors said.")  # fmt: skip
    (ev,) = parse(res, text, "2017-05-11")
    assert (ev.date_start, ev.date_end, ev.time_precision) == ("2017-05-09", "2017-05-09", "day")
    # a day the sentence before gives to no deed (a meeting) dates nothing
    for before in ("Its envoy met the mediator in Geneva late on Tuesday.",
                   "Ministers met on Tuesday to talk about the atrocity."):  # fmt: skip
        text = (f"The opposition council wrote to the Security Council on Thursday. {before} "
                "Chlorine gas was used in the raid, which left 23 people dead, the doctors "
                "said.")  # fmt: skip
        (ev,) = parse(res, text, "2017-05-11")
        assert ev.date_start != "2017-05-09"
