"""Names, registry, gazetteer and linking on real-shaped text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article

from frontlines.errors import DataFileError
from frontlines.normalize import key, skeleton
from frontlines.pipeline import Resources, process
from frontlines.registry import Registry


@pytest.mark.parametrize(
    "variants",
    [
        ("Mayadin", "al-Mayadeen", "Meyadin", "Al Mayādīn"),
        ("Deir ez-Zor", "Dayr az Zawr", "Deyr-ez-Zor", "Deir al-Zour"),
        ("Abu Kamal", "al-Bukamal", "Abu-Kemal"),
        ("Hajin", "Khadzhin"),
    ],
)
def test_normalize_skeleton_unifies_transliterations(variants: tuple[str, ...]) -> None:
    assert len({skeleton(v) for v in variants}) == 1


def test_normalize_key_drops_article_and_marks() -> None:
    assert key("ar-Raqqah") == key("Ar Raqqah") == "raqqah"
    assert key("Hashd al-Sha'bi") == key("al-Hashd ash-Sha’bi") == "hashd shabi"
    assert key("Al Mayādīn") == key("el-Mayadin") == "mayadin"


def test_registry_rejects_bad_schema(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- {id: x, name: X, kind: warlord}\n")
    with pytest.raises(DataFileError, match="kind"):
        Registry.load(path)
    path.write_text("- {id: x, name: X, kind: militia, parent: nobody}\n")
    with pytest.raises(DataFileError, match="unknown actor"):
        Registry.load(path)


def test_registry_lineage_and_dated_alliances(res: Resources) -> None:
    reg = res.registry
    assert "saa" in list(reg.lineage("tiger_forces"))
    assert "pmf" in list(reg.lineage("kataib_hezbollah"))
    assert reg.related("sdf", "us_led_coalition", "2018-06-01")
    assert not reg.related("sdf", "isis", "2018-06-01")
    assert reg.lookup("Daesh") == ["isis"] and reg.lookup("IS") == ["isis"]
    assert reg.lookup("is") == []


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Meyadin", 35.02, 40.45),
        ("Rakka", 35.95, 39.01),
        ("Albukamal", 34.45, 40.92),
        ("Deir Ezzor", 35.34, 40.14),
        ("al-Tanf", 33.5, 38.6),
    ],
)
def test_gazetteer_resolves_theatre_spellings(
    res: Resources, name: str, lat: float, lon: float
) -> None:
    from frontlines.gazetteer import distance_km

    found = res.linker.resolve(name, {"SY"})
    assert found is not None, name
    assert distance_km((found[0].lat, found[0].lon), (lat, lon)) < 30


def mentions(res: Resources, text: str) -> list[tuple[str, str, str | None]]:
    result = next(process([article(text, "2017-11-09")], res))
    return [(m.kind, m.text, m.ref) for m in result.mentions if m.kind in ("actor", "place")]


def labelled(res: Resources, text: str) -> dict[str, set[tuple[str, str | None, str | None]]]:
    """Each mention text with the (kind, ref, label) of every mention on it."""
    result = next(process([article(text, "2017-11-09")], res))
    out: dict[str, set[tuple[str, str | None, str | None]]] = {}
    for m in result.mentions:
        if m.kind in ("actor", "place"):
            out.setdefault(m.text, set()).add((m.kind, m.ref, m.label))
    return out


def test_link_metonym_capital_is_an_actor_and_a_toponym_but_no_event_place(
    res: Resources,
) -> None:
    from frontlines.link import is_where
    from frontlines.models import Mention

    found = labelled(
        res,
        "Ankara warned on Tuesday that it would not accept a Kurdish corridor "
        "along its border, while Damascus said the SDF had no right to Raqqa.",
    )
    assert ("actor", "turkish_government", "metonym") in found["Ankara"]
    assert ("actor", "syrian_government", "metonym") in found["Damascus"]
    assert ("place", "170654", "gazetteer:metonym") in found["Damascus"]
    assert any(kind == "place" and label == "gazetteer:metonym" for kind, _, label in
               found["Ankara"])  # fmt: skip
    raqqa = [(kind, ref, label) for kind, ref, label in found["Raqqa"]]
    assert [kind for kind, _, _ in raqqa] == ["place"]

    def where(label: str | None) -> bool:
        return is_where(Mention("d", 0, 1, "x", "place", "170654", "body", 1.0, label))

    assert where("gazetteer") and not where("gazetteer:metonym")
    assert not where("demonym") and not where("nominal")


def test_link_nationality_words_name_their_country_unless_part_of_a_force(
    res: Resources,
) -> None:
    found = labelled(
        res,
        "Russian officials met Turkish diplomats in Sochi while the Russian VKS struck "
        "Idlib. Syrians fled toward the border.",
    )
    assert ("place", "2017370", "demonym") in found["Russian"]
    assert any(kind == "place" and label == "demonym" for kind, _, label in found["Turkish"])
    assert not any(kind == "place" for kind, _, _ in found.get("Syrians", set()))
    assert not any(label == "demonym" for text, items in found.items() if "VKS" in text
                   for _, _, label in items)  # fmt: skip


def test_link_definite_place_nouns_refer_back_and_common_words_are_no_towns(
    res: Resources,
) -> None:
    found = labelled(
        res,
        "Fighting reached Manbij on Monday. Police said the city was quiet by evening, "
        "and a hospital reopened. Energy supplies were cut in Ohio and Alberta.",
    )
    assert ("place", "167357", "nominal") in found["the city"]
    assert ("place", None, "nominal") in found["a hospital"]
    assert "Police" not in found and "Energy" not in found
    states = {text: ref for text, items in found.items() for kind, ref, _ in items
              if kind == "place"}  # fmt: skip
    assert states.get("Ohio") == "5165418"
    assert states.get("Alberta") == "gl:ca-alberta"


def test_link_finds_towns_spacy_mislabels_and_daesh(res: Resources) -> None:
    found = mentions(
        res,
        "Daesh militants attacked Iraqi troops near the border town of "
        "al-Qaim, while fighting continued in al-Bukamal.",
    )
    refs = {text: ref for _, text, ref in found}
    assert any("Daesh" in text and ref == "isis" for text, ref in refs.items())
    assert any(ref == "isf" for _, _, ref in found)
    places = {text for kind, text, _ in found if kind == "place"}
    assert {"al-Qaim", "al-Bukamal"} <= places


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("- {id: x, name: X, kind: militia, aliases: SDF}", "aliases must be a list"),
        ("- {id: x, name: X, kind: militia, backers: [{id: x, since: 2015}]}", "YYYY-MM-DD"),
        ("- {id: X-1, name: X, kind: militia}", "lowercase slug"),
        ("- {id: x, name: X, kind: militia, leader: Y}", "unknown field"),
        ("- {id: x, name: X, kind: militia}\n- {id: x, name: Y, kind: militia}", "duplicate id"),
        ("- {id: x, kind: militia}", "name is required"),
        ("id: x", "expected a list"),
        (
            "- {id: x, name: X, kind: government, metonyms: [Damascus]}\n"
            "- {id: y, name: Y, kind: government, metonyms: [damascus]}",
            "names both 'x' and 'y'",
        ),
    ],
)
def test_registry_schema_errors_say_what_is_wrong(tmp_path: Path, entry: str, problem: str) -> None:
    path = tmp_path / "actors.yaml"
    path.write_text(entry + "\n")
    with pytest.raises(DataFileError, match=problem):
        Registry.load(path)


def test_registry_packaged_file_covers_the_theatre(res: Resources) -> None:
    actors = list(res.registry.all())
    assert len(actors) >= 60
    assert {"state_force", "militia", "terrorist_group", "government"} <= {a.kind for a in actors}
    assert res.registry.get("sdf") is not None and res.registry.allied(
        "sdf", "us_led_coalition", "2017-06-01"
    )


def linked(res: Resources, body: str, comment: str = "") -> list[tuple[str, str, str | None]]:
    from frontlines.models import Document, Segment, content_id

    text = body + ("\n" + comment if comment else "")
    segments = [Segment("body", 0, len(body))]
    if comment:
        segments.append(Segment("comment", len(body) + 1, len(text), "reader"))
    doc = Document(content_id(text), "t.txt", "Wire", None, None, "2017-10-14", "day", "en",
                   text, tuple(segments))  # fmt: skip
    result = next(process([doc], res))
    return [(m.kind, m.text, m.ref) for m in result.mentions if m.kind in ("actor", "place")]


def test_link_sites_and_governorates_named_around_a_town(res: Resources) -> None:
    found = linked(
        res,
        "Islamic State fighters captured the Tabqa military airport, the last regime "
        "position in Raqqa province, and pushed into the eastern countryside of Deir ez-Zor "
        "and the Euphrates valley, while troops held the Great Mosque of al-Nuri.",
    )
    places = {text.removeprefix("the "): ref for kind, text, ref in found if kind == "place"}
    assert places.get("Tabqa military airport") == "fl:tabqa-airbase"
    assert places.get("Raqqa province") == "fl:gov-sy-raqqa"
    assert places.get("Deir ez-Zor") == "fl:gov-sy-deir-ez-zor"
    assert places.get("Euphrates valley") == "fl:middle-euphrates-river-valley"
    assert places.get("Great Mosque of al-Nuri") == "fl:nuri-mosque"


def test_link_metonyms_beyond_speech_verbs(res: Resources) -> None:
    found = linked(
        res,
        "The convoy included militia members backed by Iran. The ceasefire was brokered by "
        "Moscow and Washington. Relations between Baghdad and Ankara have been strained. "
        "Washington supports the SDF, the military source said, and the Pentagon warned "
        "Damascus. Refugees fled toward the Kurdistan Region.",
    )
    refs = {(text.removeprefix("the "), kind): ref for kind, text, ref in found}
    assert refs.get(("Iran", "actor")) == "iranian_government"
    assert refs.get(("Moscow", "actor")) == "russian_government"
    assert refs.get(("Baghdad", "actor")) == "iraqi_government"
    assert refs.get(("Ankara", "actor")) == "turkish_government"
    assert refs.get(("Damascus", "actor")) == "syrian_government"
    assert ("Kurdistan Region", "actor") not in refs  # a destination, not the KRG
    assert refs.get(("Kurdistan Region", "place")) == "fl:kurdistan-region"


def test_link_plain_case_names_in_comments_only_well_known(res: Resources) -> None:
    found = linked(
        res,
        "Residents returned to the town on Sunday.",
        "pray for the people of dier ezzor and hajin. shame on them, blood everywhere. "
        "my cousin in raqqa says the road is open",
    )
    places = {text: ref for kind, text, ref in found if kind == "place"}
    assert places.get("dier ezzor") == "170794"
    assert places.get("hajin") == "174506"
    assert places.get("raqqa") == "172955"
    assert not {"shame", "blood"} & set(places)


def test_link_statement_groups_pronouns_and_unknown_organisations(res: Resources) -> None:
    found = linked(
        res,
        "A Foreign Office spokesman said the Government of Iraq had asked for help. "
        '"We will keep working with our partners," he said, adding that the UK would send '
        "aid to students in Mosul. The attack on Camp Hurriya was claimed by the Syrian "
        "Computer Society. U.S. assistance reached the Iraqi people. Relatives in the UK "
        "and the US were told.",
    )
    assert ("actor", "We", "uk_government") in found  # the organisation speaking
    assert ("actor", "our partners", None) in found  # a group, named but not resolved
    assert ("actor", "students", "civilians") in found
    assert ("place", "Iraq", "99237") in found  # the place inside an actor's name
    assert ("actor", "UK", "uk_government") in found  # two capitals naming a country
    assert ("place", "Mosul", "99072") in found
    assert {("place", "UK", "2635167"), ("place", "US", "6252001")} <= set(found)
    assert ("actor", "U.S.", "us_government") in found  # "U.S. assistance"
    assert ("actor", "Iraqi people", "civilians_iraq") in found
    assert ("place", "Camp Hurriya", None) in found  # says it is a place
    assert ("actor", "the Syrian Computer Society", None) in found


def test_link_we_is_the_publisher_outside_quotations_only(res: Resources) -> None:
    from frontlines.link import quoted
    from frontlines.models import Document, Segment, content_id

    text = (
        "We strongly condemn the bombing of the market in Mosul on Sunday.\n"
        'Near Tal Afar, a militia commander spoke to reporters. "We will retake the '
        'town within days," the commander said.'
    )
    assert res.registry.lookup("US State Department")
    doc = Document(content_id(text), "s.txt", "US State Department", None, None,
                   "2017-10-14", "day", "en", text, (Segment("body", 0, len(text)),))  # fmt: skip
    result = next(process([doc], res))
    we = [(m.start, m.ref) for m in result.mentions if m.text == "We"]
    publisher = next(iter(res.registry.lookup("US State Department")))
    assert we == [(0, publisher), (text.index('"We') + 1, None)]
    assert quoted('he said "we will', 10) and not quoted('"we," he said, we', 13)
    assert quoted("“We ” and “we", 12) and not quoted("“We” and we", 10)


def test_link_possessives_that_lost_their_apostrophe(res: Resources) -> None:
    from frontlines.link import is_where

    text = (
        "Helicopters dropped barrel bombs on opposition districts of Syrias Aleppo on "
        "Friday, rescuers said. Russias defence ministry denied that its aircraft were "
        "involved, and Iraqs foreign ministry called for calm. Clashes continued in Homs."
    )
    result = next(process([article(text, "2017-11-09")], res))
    found = {(m.kind, m.text, m.ref, m.label) for m in result.mentions}
    assert all(text[m.start : m.end] == m.text for m in result.mentions)  # inside the token
    assert ("place", "Syria", "163843", "gazetteer") in found
    assert ("place", "Aleppo", "170063", "gazetteer") in found  # not a PERSON "Syrias Aleppo"
    assert ("actor", "Russia", "russian_government", "metonym") in found
    assert ("actor", "Iraq", "iraqi_government", "metonym") in found  # "Iraq" + title
    assert ("place", "Homs", "169577", "gazetteer") in found  # a name that ends in s
    where = {m.text for m in result.mentions if is_where(m)}
    assert "Russia" not in where and "Iraq" not in where and "Aleppo" in where
    assert not any(m.text.endswith("s") and m.text != "Homs" for m in result.mentions
                   if m.kind == "place")  # fmt: skip


def test_link_generic_forces_take_the_story_theatre(res: Resources) -> None:
    # no force named before them: the story's own country decides
    syria = mentions(res, "Government forces and Kurdish fighters shelled villages near "
                          "Manbij and Raqqa in northern Syria on Sunday.")  # fmt: skip
    assert ("actor", "Government forces", "saa") in syria
    assert ("actor", "Kurdish fighters", "ypg") in syria  # the unit within the SDF
    iraq = mentions(res, "Government forces and Kurdish fighters advanced on villages "
                         "between Mosul and Kirkuk in northern Iraq.")  # fmt: skip
    assert ("actor", "Government forces", "isf") in iraq
    assert ("actor", "Kurdish fighters", "peshmerga") in iraq
    definite = mentions(res, "The Kurdish forces pressed on towards Azaz in Aleppo province.")
    assert ("actor", "The Kurdish forces", "ypg") in definite
    # a group found anywhere (IS) stays open to a local one; a tie of theatres names none
    open_ = mentions(res, "Gunmen said to be the militants attacked a checkpoint in Idlib.")
    assert ("actor", "the militants", "hts") not in open_
    both = mentions(res, "Government forces were reinforced in Aleppo and in Mosul.")
    assert not any(m[1] == "Government forces" and m[2] for m in both)


def test_link_a_leader_is_his_state_only_when_forces_serve_him_or_blame_falls_on_him(
    res: Resources,
) -> None:
    served = mentions(res, "Rescuers said troops loyal to President Bashar al-Assad shelled "
                           "the town of Saraqib on Monday.")  # fmt: skip
    assert ("actor", "President Bashar al-Assad", "syrian_government") in served
    blamed = mentions(res, "The opposition coalition accused Bashar al Assad of ordering "
                           "the raid on Douma.")  # fmt: skip
    assert any(m[2] == "syrian_government" for m in blamed)  # the keyed form of the name
    spoken = mentions(res, "Assad said the army would take back every inch of Syria, and "
                           "Assad's government thanked Moscow.")  # fmt: skip
    assert not any(m[1] == "Assad" for m in spoken)
    kin = mentions(res, "The clinic in Latakia was opened by Bassel al-Assad, a brother "
                        "loyal to Maher al-Assad.")  # fmt: skip
    assert not any(m[2] == "syrian_government" for m in kin)
    assert res.registry.metonym("Bashar al Assad") == "syrian_government"
    assert res.registry.metonym("us") is None  # no keyed lookup for short names


def test_link_blamed_actors(res: Resources) -> None:
    from frontlines.annotate import annotate
    from frontlines.link import blamed_actors

    def blamed(text: str) -> list[str]:
        (ann,) = annotate([article(text, "2017-11-09")], res.nlp)
        found = res.linker.link_one(ann)
        return [a for part in ann.parts for _, a in blamed_actors(part, found)]

    assert blamed("Activists blamed regime forces for the barrel bomb attack.") == ["saa"]
    assert blamed("The monitor accused Russian jets of striking the clinic.") == [
        "russia_military"]  # fmt: skip
    assert blamed("The strike that Washington blames on Damascus killed 30.") == [
        "syrian_government"]  # fmt: skip
    assert blamed("Local officials said Islamic State was behind the bombing.") == ["isis"]
    assert blamed("The Nusra Front claimed responsibility for Sunday's car bomb.") == [
        "jabhat_al_nusra"]  # fmt: skip
    assert blamed("Assad's forces were accused of using chlorine in Hama.") == ["saa"]
    # a denial or a negation holds no one to blame
    assert blamed("The army denied it was behind the attack on the market.") == []
    assert blamed("Turkey said the YPG was not responsible for the blast.") == []


def test_link_a_quarter_in_a_city_is_no_namesake_elsewhere(res: Resources) -> None:
    places = {
        text: ref
        for kind, text, ref in mentions(res, "Rockets fell on the districts of al-Midan and "
                                             "al-Jamiliyeh in Aleppo city on Sunday, and shells "
                                             "hit the Salah Eddin neighbourhood in Aleppo.")
        if kind == "place"
    }  # fmt: skip
    # no Raqqa village for al-Midan, no Iraqi governorate for a quarter of Aleppo
    assert "al-Midan" not in places and places.get("Aleppo") == "170063"
    assert not any(ref and res.gazetteer.get(ref).admin1 != "Aleppo" for ref in places.values())
    assert mentions(res, "Jets bombed Palmyra in Homs province.")[0] == ("place", "Palmyra",
                                                                         "163808")  # fmt: skip
    # a suburb in the next governorate is no namesake: Douma and Harasta lie in Rif Dimashq
    for text in ("Shells hit Douma in Damascus countryside on Monday.",
                 "Jets struck Harasta in Damascus on Sunday.",
                 "Shells hit the Douma suburb of Damascus on Monday.",
                 "Jets hit Yabroud in Damascus province on Monday."):  # fmt: skip
        first = mentions(res, text)[0]
        assert first[1] in ("Douma", "Harasta", "Yabroud")
        assert res.gazetteer.get(first[2] or "").admin1 == "Rif Dimashq"
    # a namesake far from the province named after it is still no town there
    far = mentions(res, "Clashes hit the village of Qassiab in Hasakeh province on Thursday.")
    assert all(res.gazetteer.get(ref).admin1 == "Hasakah" for _, _, ref in far if ref)
