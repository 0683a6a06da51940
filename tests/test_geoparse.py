"""Geoparsing on the public corpora: the reader, the metrics, and floors on fixed subsets."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.errors import DataFileError
from frontlines.evaluate.geoparse import (
    MAX_ERROR_KM,
    Article,
    Prediction,
    Scores,
    Toponym,
    auc,
    evaluate_corpus,
    is_toponym,
    read_corpus,
    score,
)
from frontlines.gazetteer import country_point, distance_km
from frontlines.pipeline import Resources

GEOPARSING = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparsing"
SUBSET = 30

GEOWEBNEWS = """<?xml version="1.0" ?>
<articles><article file="7"><title>t</title><link>l</link>
<text>Floods hit Mosul and the Baghdad government sent aid.</text>
<toponyms>
<toponym><extractedName>Mosul</extractedName><type>Literal</type><start>11</start><end>16</end>
<geonamesID/><latitude>36.335</latitude><longitude>43.119</longitude></toponym>
<toponym><extractedName>Baghdad</extractedName><type>Metonymic</type><start>25</start>
<end>32</end><geonamesID/><latitude>33.34</latitude><longitude>44.40</longitude></toponym>
<toponym><extractedName>the Baghdad government</extractedName><type>Non_Lit_Expression</type>
<start>21</start><end>43</end><geonamesID/><latitude/><longitude/></toponym>
</toponyms></article></articles>"""
LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="11"><title>t</title><url>u</url>
<text><![CDATA[A fire in Alexandria closed roads.]]></text>
<toponyms count="1"><toponym><start>10</start><end>20</end><phrase>Alexandria</phrase>
<gaztag geonameid="4314550"><name>Alexandria</name><lat>31.3113</lat><lon>-92.4451</lon>
</gaztag></toponym></toponyms></article></articles>"""
GEOVIRUS = """<articles><article><source>s</source>
<text>Cases rose in Pandi, Bulacan this week.</text>
<locations><location><name>Pandi</name><start>15</start><end>20</end><lat>14.87</lat>
<lon>120.95</lon><page>p</page></location></locations></article></articles>"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corpus.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_geoparse_reads_geowebnews_toponym_types_only(tmp_path: Path) -> None:
    (article,) = read_corpus(write(tmp_path, GEOWEBNEWS))
    assert article.id == "7"
    assert [(t.name, t.point) for t in article.toponyms] == [
        ("Mosul", (36.335, 43.119)),
        ("Baghdad", (33.34, 44.4)),
    ]


def test_geoparse_reads_lgl(tmp_path: Path) -> None:
    (article,) = read_corpus(write(tmp_path, LGL))
    (toponym,) = article.toponyms
    assert (article.id, toponym.start, toponym.end, toponym.point) == (
        "11", 10, 20, (31.3113, -92.4451)
    )  # fmt: skip


def test_geoparse_realigns_shifted_geovirus_offsets(tmp_path: Path) -> None:
    (article,) = read_corpus(write(tmp_path, GEOVIRUS))
    (toponym,) = article.toponyms
    assert article.text[toponym.start : toponym.end] == "Pandi"
    assert toponym.start == 14


def test_geoparse_rejects_a_file_in_no_known_format(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        read_corpus(write(tmp_path, "<articles><article><body>x</body></article></articles>"))
    with pytest.raises(DataFileError):
        read_corpus(write(tmp_path, "not xml at all"))


def test_geoparse_auc_is_zero_when_perfect_and_one_at_the_antipode() -> None:
    assert auc([0.0, 0.0, 0.0]) == 0.0
    assert auc([MAX_ERROR_KM - 1] * 4) == 1.0
    assert 0.0 < auc([0.0, 100.0, 1000.0]) < 0.5  # type: ignore[operator]


def test_geoparse_scores_exact_and_overlapping_spans() -> None:
    gold = (
        Toponym(0, 5, "Mosul", 36.335, 43.119),
        Toponym(10, 17, "Baghdad", 33.34, 44.40),
        Toponym(30, 35, "Tikri", None, None),
    )
    article = Article("a", "x" * 40, gold)
    predicted = [
        Prediction(0, 5, (36.34, 43.12)),  # exact, right place
        Prediction(10, 25, (40.0, 44.4)),  # overlapping, ~740 km off
        Prediction(36, 39, None),  # a false positive
    ]
    scores = Scores()
    score(scores, article, predicted)
    figures = scores.figures()
    assert (figures["precision_exact"], figures["recall_exact"]) == (0.333, 0.333)
    assert (figures["precision_overlap"], figures["recall_overlap"]) == (0.667, 0.667)
    assert (figures["resolved"], figures["gold_with_coords"]) == (2, 2)
    assert figures["accuracy_161km"] == 0.5
    assert 350 < figures["mean_error_km"] < 400  # type: ignore[operator]


@pytest.fixture(scope="module")
def subset_figures(res: Resources) -> dict[str, dict[str, dict[str, float | int | None]]]:
    if not GEOPARSING.is_dir():
        pytest.skip("../shared/data/geoparsing is not available")
    return {
        name: evaluate_corpus(read_corpus(GEOPARSING / f"{name}.xml")[:SUBSET], res)
        for name in ("GeoWebNews", "LGL", "GeoVirus")
    }


# floors a little under the figures measured on the first 30 articles of each corpus
# (US states, continents, whole first-level sets of ten countries and nationality words in
# the gazetteer: GeoWebNews 0.762 / 0.669 / 0.367, LGL 0.761 / 0.841 / 0.364, GeoVirus
# 0.863 / 0.682 / 0.396); they only go up
FLOORS = {
    "GeoWebNews": {"f1_overlap": 0.74, "accuracy_161km": 0.64, "auc_max": 0.39},
    "LGL": {"f1_overlap": 0.75, "accuracy_161km": 0.83, "auc_max": 0.38},
    "GeoVirus": {"f1_overlap": 0.84, "accuracy_161km": 0.65, "auc_max": 0.42},
}


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_geoparse_subset_meets_floors(
    subset_figures: dict[str, dict[str, dict[str, float | int | None]]], corpus: str
) -> None:
    ours = subset_figures[corpus]["frontlines"]
    floor = FLOORS[corpus]
    assert ours["f1_overlap"] is not None and ours["f1_overlap"] >= floor["f1_overlap"], ours
    assert ours["accuracy_161km"] is not None
    assert ours["accuracy_161km"] >= floor["accuracy_161km"], ours
    assert ours["auc"] is not None and ours["auc"] <= floor["auc_max"], ours


# resolution given the gold names, first 30 articles (measured 0.550 / 0.708 / 0.639)
GOLD_NAME_FLOORS = {"GeoWebNews": 0.53, "LGL": 0.69, "GeoVirus": 0.62}


@pytest.mark.parametrize("corpus", sorted(GOLD_NAME_FLOORS))
def test_geoparse_resolution_given_gold_names_meets_floors(
    subset_figures: dict[str, dict[str, dict[str, float | int | None]]], corpus: str
) -> None:
    given = subset_figures[corpus]["frontlines_given_gold_names"]
    assert given["f1_overlap"] is None  # no recognition figures for a resolver-only run
    assert given["resolved"] == given["gold_with_coords"]
    accuracy = given["accuracy_161km"]
    assert accuracy is not None and accuracy >= GOLD_NAME_FLOORS[corpus], given


def test_geoparse_given_gold_names_resolves_what_recognition_missed(res: Resources) -> None:
    text = "Mortars fell near mayadeen overnight and on Hajin at dawn."
    mayadeen, hajin = text.index("mayadeen"), text.index("Hajin")
    article = Article("1", text, (
        Toponym(mayadeen, mayadeen + 8, "mayadeen", 35.02, 40.45),
        Toponym(hajin, hajin + 5, "Hajin", 34.69, 40.83),
    ))  # fmt: skip
    figures = evaluate_corpus([article], res)
    # the lower-case town is no recognized toponym, but given its name it is placed
    assert figures["frontlines"]["recall_overlap"] == 0.5
    given = figures["frontlines_given_gold_names"]
    assert (given["resolved"], given["accuracy_161km"], given["no_place"]) == (2, 1.0, 0)


def test_geoparse_frontlines_resolves_better_than_population_baseline(
    subset_figures: dict[str, dict[str, dict[str, float | int | None]]],
) -> None:
    for corpus, figures in subset_figures.items():
        ours, base = figures["frontlines"], figures["baseline_spacy_population"]
        assert ours["accuracy_161km"] > base["accuracy_161km"], corpus  # type: ignore[operator]


def test_geoparse_cli_prints_both_systems(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["eval", "geoparse", str(write(tmp_path, GEOWEBNEWS)), "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["articles"] == 1
    assert figures["frontlines"]["gold"] == 2
    # Mosul is found and placed; "the Baghdad government" is an actor to frontlines
    assert figures["frontlines"]["recall_overlap"] >= 0.5
    assert figures["frontlines"]["accuracy_161km"] == 1.0


def test_geoparse_country_point_is_the_middle_of_its_towns_extent() -> None:
    towns = [(30.0 + i / 10, 10.0 + i / 5) for i in range(101)]  # 30–40 N, 10–30 E
    towns += [(60.0, 80.0)]  # one far-off outpost moves nothing
    lat, lon = country_point(towns)
    assert abs(lat - 35.0) < 0.5 and abs(lon - 20.0) < 0.5
    # islands on both sides of the antimeridian: the middle is near 180°, not near 0°
    fiji = [(-17.0 - i / 50, 177.0 + i / 50) for i in range(50)]
    fiji += [(-16.5, -179.9 + i / 100) for i in range(10)]
    lat, lon = country_point(fiji)
    assert abs(abs(lon) - 180.0) < 2.5 and -18.5 < lat < -16.0


def test_geoparse_large_countries_sit_near_their_geographic_middle(res: Resources) -> None:
    # points gazetteers give these countries (GeoNames: US 39.8 N 98.5 W, Russia 60 N
    # 100 E, China 35 N 105 E); a population-weighted centre missed them by 600-2,700 km
    expected = {
        "US": ((39.76, -98.5), 500),
        "RU": ((60.0, 100.0), 1_200),
        "CN": ((35.0, 105.0), 400),
    }
    for code, (point, within_km) in expected.items():
        place = res.gazetteer.country(code)
        assert place is not None and place.lat is not None and place.lon is not None
        assert distance_km((place.lat, place.lon), point) < within_km, (code, place)


def test_geoparse_toponyms_follow_each_corpus_annotation(tmp_path: Path) -> None:
    """A common noun is never a toponym; a nationality adjective is one where the corpus
    annotates modifiers (GeoWebNews, LGL) and not in GeoVirus."""
    from frontlines.models import Mention

    def mention(label: str) -> Mention:
        return Mention("d", 0, 7, "Russian", "place", "2017370", "body", 0.7, label)

    geovirus = read_corpus(write(tmp_path, GEOVIRUS))[0]
    geowebnews = read_corpus(write(tmp_path, GEOWEBNEWS))[0]
    assert geowebnews.modifiers and not geovirus.modifiers
    assert is_toponym(mention("demonym"), geowebnews.modifiers)
    assert not is_toponym(mention("demonym"), geovirus.modifiers)
    assert is_toponym(mention("gazetteer:metonym"), geovirus.modifiers)
    assert not is_toponym(mention("nominal"), geowebnews.modifiers)
    assert not is_toponym(replace(mention("gazetteer"), kind="actor"))


ORANGE_COUNTY = (
    "5379524\tOrange County\tOrange County\tOrange Co.\t33.67691\t-117.77617\tA\tADM2\tUS\t\t"
    "CA\t059\t\t\t3010232\t\t36\tAmerica/Los_Angeles\t2019-01-01\n"
)
COUNTY_ARTICLE = """<?xml version="1.0" ?>
<articles><article file="1"><title>t</title><link>l</link>
<text>Wildfires spread across Orange County on Monday, officials said.</text>
<toponyms><toponym><extractedName>Orange County</extractedName><type>Literal</type>
<start>25</start><end>38</end><geonamesID/><latitude>33.67691</latitude>
<longitude>-117.77617</longitude></toponym></toponyms></article></articles>"""


def test_geoparse_runs_with_a_gazetteer_extended_by_a_geonames_dump(
    res: Resources, tmp_path: Path
) -> None:
    import shutil

    from frontlines.gazetteer import default_index_path

    res.gazetteer.get("163843")  # the shipped index is built
    index = tmp_path / "extended.sqlite"
    shutil.copy(default_index_path(), index)
    dump = tmp_path / "US.txt"
    dump.write_text(ORANGE_COUNTY, encoding="utf-8")
    corpus = write(tmp_path, COUNTY_ARTICLE)
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["gazetteer", "import", str(dump), "--index", str(index)]).exit_code == 0
    )

    def figures(*extra: str) -> dict[str, dict[str, float | int | None]]:
        result = runner.invoke(cli, ["eval", "geoparse", str(corpus), "--json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)  # type: ignore[no-any-return]

    shipped, extended = figures(), figures("--gazetteer", str(index))
    # cities500 has no counties: the name alone finds no place until the dump adds it
    assert shipped["population_given_gold_names"]["no_place"] == 1
    assert extended["population_given_gold_names"]["accuracy_161km"] == 1.0
    assert extended["frontlines_given_gold_names"]["accuracy_161km"] == 1.0
