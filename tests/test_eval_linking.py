"""Linking measured on mention-level gold: the gold format, the scoring, the floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.errors import DataFileError
from frontlines.evaluate.linking import (
    GoldMention,
    Predicted,
    evaluate_linking,
    judge,
    load_gold,
    load_gold_file,
    summarize,
)
from frontlines.pipeline import Resources

GOLD = Path(__file__).resolve().parents[1] / "gold" / "mentions"

PAGE = [
    ("X", "Home | Syria | Iraq | Deir ez-Zor"),
    ("B", "SDF pushes into Hajin as ISIS fighters flee toward al-Baghuz"),
    ("B", "DEIR EZ-ZOR (Test Wire) - The Syrian Democratic Forces entered Hajin on"),
    ("B", "Friday, the SDF said, while ISIS fighters withdrew south along the river in"),
    ("B", "Deir ez-Zor province. Damascus said the SDF had no right to the town."),
    ("C+@Abu Khalid", "hajin is free, thank you SDF"),
    ("X", "Related: Deir ez-Zor after the siege"),
]
ENTRIES = """
document: page.txt
places:
  - {text: Hajin, id: "174506", lat: 34.695, lon: 40.831}
  - {text: hajin, id: "174506", lat: 34.695, lon: 40.831}
  - {text: Deir ez-Zor province, id: "fl:gov-sy-deir-ez-zor", lat: 35.0, lon: 40.2}
actors:
  - {text: SDF, id: sdf, skip: [3]}
  - {text: Syrian Democratic Forces, id: sdf}
  - {text: ISIS, id: isis, only: [2]}
  - {text: Damascus, id: syrian_government}
"""


def write_gold(folder: Path, entries: str = ENTRIES) -> Path:
    (folder / "page.txt").write_text("".join(f"{a}\t{b}\n" for a, b in PAGE), encoding="utf-8")
    path = folder / "page.yaml"
    path.write_text(entries, encoding="utf-8")
    return path


def test_eval_linking_gold_counts_body_and_comment_occurrences(tmp_path: Path) -> None:
    gold = load_gold_file(write_gold(tmp_path))
    found = [(m.kind, gold.document.text[m.start : m.end], m.ref) for m in gold.mentions]
    places = [f for f in found if f[0] == "place"]
    assert places == [
        ("place", "Hajin", "174506"),
        ("place", "Hajin", "174506"),
        ("place", "Deir ez-Zor province", "fl:gov-sy-deir-ez-zor"),
        ("place", "hajin", "174506"),
    ]  # the boilerplate lines are not counted; the menu's "Deir ez-Zor" is not listed
    actors = [f[1] for f in found if f[0] == "actor"]
    # SDF: 1 headline, 2 "the SDF said", 3 "the SDF had no right" (skipped), 4 comment
    assert actors == ["SDF", "Syrian Democratic Forces", "SDF", "ISIS", "Damascus", "SDF"]
    segments = {s.kind for s in gold.document.segments}
    assert segments == {"body", "comment", "boilerplate"}
    assert gold.document.segments[-2].author == "Abu Khalid"


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ("document: page.txt\nplaces:\n  - {text: Raqqa, id: '1', lat: 1, lon: 1}\n",
         "does not occur"),
        ("document: page.txt\nplaces:\n  - {text: Hajin, id: '1'}\n", "lat and lon"),
        ("document: page.txt\nactors:\n  - {text: SDF, id: sdf, only: [9]}\n", "occurs only"),
        ("document: page.txt\nactors:\n  - {text: SDF, ref: sdf}\n", "unknown field"),
        ("document: missing.txt\n", "not found"),
        ("document: page.txt\nactors:\n  - {text: SDF, id: sdf}\n  - {text: SDF, id: isis}\n",
         "listed twice"),
    ],
)  # fmt: skip
def test_eval_linking_gold_schema_errors(tmp_path: Path, entries: str, problem: str) -> None:
    with pytest.raises(DataFileError, match=problem):
        load_gold_file(write_gold(tmp_path, entries))


def test_eval_linking_judge_kind_id_and_distance(res: Resources) -> None:
    gold = GoldMention(10, 15, "Hajin", "place", "174506", 34.695, 40.831)
    right = judge("d", gold, [Predicted(10, 15, "place", "174506")], res.gazetteer)
    assert right.correct and right.within_km
    # al-Susah is a different place 20 km from Hajin's gold point: wrong id, within 25 km
    near = judge("d", gold, [Predicted(8, 15, "place", "172415")], res.gazetteer)
    assert not near.correct and near.within_km
    far = judge("d", gold, [Predicted(10, 15, "place", "170794")], res.gazetteer)
    assert not far.correct and not far.within_km
    as_actor = judge("d", gold, [Predicted(10, 15, "actor", "sdf")], res.gazetteer)
    assert not as_actor.correct and not as_actor.within_km
    # a resolved mention is preferred over a longer unresolved one overlapping the gold
    both = [Predicted(8, 20, "place", None), Predicted(12, 15, "place", "174506")]
    assert judge("d", gold, both, res.gazetteer).correct
    scores = summarize("linker", "place", [right, near, far, as_actor])
    assert (scores.mentions, scores.correct, scores.within_km) == (4, 1, 2)
    assert scores.accuracy == 0.25 and scores.accuracy_km == 0.5
    assert ("Hajin = 174506", "actor:sdf", 1) in scores.confusions


@pytest.fixture(scope="module")
def dev_scores(res: Resources) -> dict[str, dict[str, float]]:
    out = {}
    for name, folder in (("dev", GOLD), ("heldout", GOLD / "heldout")):
        for kind in ("place", "actor"):
            for s in evaluate_linking(folder, kind, res.linker, res.nlp):
                key = f"{s.system}/{kind}" + ("" if name == "dev" else "/heldout")
                out[key] = {"n": s.mentions, "acc": s.accuracy, "km": s.accuracy_km}
    return out


def test_eval_linking_dev_gold_is_large_enough() -> None:
    docs = load_gold(GOLD)
    assert sum(m.kind == "place" for d in docs for m in d.mentions) >= 300
    assert sum(m.kind == "actor" for d in docs for m in d.mentions) >= 300


def test_eval_linking_accuracy_floors(dev_scores: dict[str, dict[str, float]]) -> None:
    # Floors a little below the measured figures (README); they only go up.
    assert dev_scores["linker/place"]["acc"] >= 0.95
    assert dev_scores["linker/place"]["km"] >= 0.96
    assert dev_scores["linker/actor"]["acc"] >= 0.95
    # the linker must beat spaCy's NER alone by a wide margin
    assert dev_scores["linker/place"]["acc"] >= dev_scores["spacy-ner/place"]["acc"] + 0.3
    assert dev_scores["linker/actor"]["acc"] >= dev_scores["spacy-ner/actor"]["acc"] + 0.3
    # held-out gold, written after the linker was tuned on the dev gold and never tuned on
    assert dev_scores["linker/place/heldout"]["acc"] >= 0.92
    assert dev_scores["linker/place/heldout"]["km"] >= 0.93
    assert dev_scores["linker/actor/heldout"]["acc"] >= 0.89


def test_cli_eval_places_and_actors(tmp_path: Path) -> None:
    gold = write_gold(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "places", str(gold)])
    assert result.exit_code == 0, result.output
    assert "linker: " in result.output and "within 25 km" in result.output
    assert "spacy-ner: " in result.output
    result = runner.invoke(cli, ["eval", "actors", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["linker"]["mentions"] == 6
    assert set(figures) == {"linker", "spacy-ner"}
