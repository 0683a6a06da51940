"""Where an event happened: a state that speaks is never the place, and an event placed
only at a country takes the place the story tells it at later (extract.narrow_place and
extract.placed_by_story)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from conftest import article, parse

from frontlines.extract import Context, caption_spans, placed_by_story, province_abroad
from frontlines.lexicon import default_lexicon
from frontlines.models import Event, EventPlace, Evidence, Place
from frontlines.pipeline import Resources

SYRIA = EventPlace("163843", "Syria", 35.0, 38.0, 3, "SY", None)
IRAQ = EventPlace("99237", "Iraq", 33.0, 44.0, 3, "IQ", None)
SARAQIB = EventPlace("fl:saraqib", "Saraqib", 35.86, 36.8, 1, "SY", "Idlib")
MOSUL = EventPlace("fl:mosul", "Mosul", 36.34, 43.13, 1, "IQ", "Nineveh")


def test_a_capital_that_speaks_is_not_where_the_strike_fell(res: Resources) -> None:
    (strike,) = parse(res, "Jets bombed a bakery in eastern Syria on Sunday, killing nine "
                           "people. Damascus blamed the raid on the coalition.")  # fmt: skip
    assert strike.place is not None and strike.place.name == "Syria"
    assert strike.place.admin1 is None  # not Damascus: the government said something there
    (shelled,) = parse(res, "Rockets slammed into a crowded street in northern Syria overnight, "
                            "killing six civilians. Ankara denied any role, while Damascus "
                            "accused the rebels.")  # fmt: skip
    assert shelled.place is not None and shelled.place.admin1 is None


def test_a_town_named_after_a_country_wide_event_still_places_it(res: Resources) -> None:
    text = ("Warplanes hit a field hospital in northwest Syria on Monday, killing four medics. "
            "Residents of Saraqeb said the building was levelled.")  # fmt: skip
    events = parse(res, text)
    assert events[0].place is not None and events[0].place.admin1 == "Idlib"


def ctx_for(res: Resources) -> Context:
    return Context(article("x"), (), res.registry, res.gazetteer, default_lexicon(),
                   date(2016, 7, 14))  # fmt: skip


def violent(start: int, place: EventPlace | None, actor1: str | None = None,
            day: str | None = "2016-07-12", **kw: object) -> Event:  # fmt: skip
    fields: dict[str, object] = {
        "id": f"e{start}", "doc_id": "d", "evidence": Evidence(start, start + 20, "x"),
        "type": "remote_violence", "sub_type": "air_drone_strike", "actor1": actor1,
        "actor2": None, "place": place, "date_start": day, "date_end": day,
        "time_precision": "day" if day else "unknown", "fatalities": None,
        "certainty": "asserted", "attributed_to": None, "from_comment": False,
    }  # fmt: skip
    fields.update(kw)
    return Event(**fields)  # type: ignore[arg-type]


def test_country_wide_event_takes_the_place_the_story_tells_later(res: Resources) -> None:
    ctx = ctx_for(res)
    wide, town = violent(0, SYRIA, "syrian_air_force"), violent(900, SARAQIB, "saa")
    first, second = placed_by_story(ctx, [wide, town])
    assert first.place is not None and first.place.admin1 == "Idlib"
    assert first.place.geo_precision == 2  # told near there, not in that sentence
    assert second == town
    russia = EventPlace("2017370", "Russia", 60.0, 100.0, 3, "RU", None)
    misread = placed_by_story(ctx, [violent(0, russia, "saa"), town])[0]  # "Russian support"
    assert misread.place is not None and misread.place.admin1 == "Idlib"
    unplaced = violent(0, None)
    assert placed_by_story(ctx, [unplaced, town])[0].place == replace(SARAQIB, geo_precision=2)


def test_a_later_event_that_contradicts_lends_no_place(res: Resources) -> None:
    ctx = ctx_for(res)
    wide = violent(0, SYRIA, "syrian_air_force")
    other_doer = violent(900, SARAQIB, "isis")
    assert placed_by_story(ctx, [wide, other_doer])[0] == wide
    other_day = violent(900, SARAQIB, day="2016-06-01")
    assert placed_by_story(ctx, [wide, other_day])[0] == wide
    # a contradicting one is passed over for the next that fits
    iraqi = violent(1400, MOSUL)
    assert placed_by_story(ctx, [wide, other_doer, violent(1200, SARAQIB)])[0].place == (
        replace(SARAQIB, geo_precision=2)
    )
    # another country is another happening; so is anything told before, or in a comment
    assert placed_by_story(ctx, [wide, iraqi])[0] == wide
    assert placed_by_story(ctx, [violent(900, SARAQIB), violent(1200, IRAQ)])[1].place == IRAQ
    comment = violent(900, SARAQIB, from_comment=True)
    assert placed_by_story(ctx, [wide, comment])[0] == wide
    talk = violent(900, SARAQIB, type="strategic_development", sub_type="agreement")
    assert placed_by_story(ctx, [wide, talk])[0] == wide


def test_a_province_or_town_is_kept_as_told(res: Resources) -> None:
    ctx = ctx_for(res)
    idlib = EventPlace("fl:idlib-gov", "Idlib Governorate", 35.8, 36.6, 3, "SY", "Idlib")
    placed = violent(0, idlib)
    assert placed_by_story(ctx, [placed, violent(900, SARAQIB)])[0] == placed


def test_a_province_abroad_is_region_precision() -> None:
    """A first-level division outside the theatre (filed as a region) is ACLED precision 3."""
    assert province_abroad(Place("gl:x", "Punjab", 31.0, 73.0, "PK", None, "region"))
    assert not province_abroad(Place("fl:x", "Jazira", 36.0, 40.0, "SY", None, "region"))
    assert not province_abroad(Place("1", "Lahore", 31.5, 74.3, "PK", None, "populated_place"))


def test_a_photo_caption_run_into_the_copy_does_not_place_the_story(res: Resources) -> None:
    (raid,) = parse(res, "A soldier runs past ruined shops in the city of Hasakeh on Sunday "
                         "(AFP photo) BEIRUT Jets killed nine civilians on Tuesday across the "
                         "northern province of Aleppo, a monitor said.")  # fmt: skip
    assert raid.place is not None and raid.place.admin1 == "Aleppo"
    events = parse(res, "Rescuers carry a wounded man after jets struck a street in Aleppo "
                        "(AP photo) BEIRUT Warplanes struck a crowded market in Saraqeb on "
                        "Friday, killing eleven civilians.")  # fmt: skip
    assert events and all(e.place is not None and e.place.admin1 == "Idlib" for e in events)


def test_caption_spans_take_only_the_words_a_photo_credit_closes() -> None:
    text = ("Shops reopened. Fighters rest near Manbij on Monday (Reuters Photo) Troops "
            "advanced. ALEPPO (Reuters) - Shelling went on. "
            "A crowd gathers. (File photo) End.")  # fmt: skip
    (span,) = caption_spans(text)  # not the wire credit; not after a full stop
    assert text[span[0] : span[1]].strip() == "Fighters rest near Manbij on Monday (Reuters Photo)"
