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
    from frontlines.fuse import distance_km

    found = res.linker.resolve(name, {"SY"})
    assert found is not None, name
    assert distance_km((found[0].lat, found[0].lon), (lat, lon)) < 30


def mentions(res: Resources, text: str) -> list[tuple[str, str, str | None]]:
    result = next(process([article(text, "2017-11-09")], res))
    return [(m.kind, m.text, m.ref) for m in result.mentions if m.kind in ("actor", "place")]


def test_link_metonym_capital_is_an_actor_not_a_place(res: Resources) -> None:
    found = mentions(
        res,
        "Ankara warned on Tuesday that it would not accept a Kurdish corridor "
        "along its border, while Damascus said the SDF had no right to Raqqa.",
    )
    kinds = {text: kind for kind, text, _ in found}
    assert kinds.get("Ankara") == "actor"
    assert kinds.get("Damascus") == "actor"
    assert kinds.get("Raqqa") == "place"


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
