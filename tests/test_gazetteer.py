"""The gazetteer: GeoNames dumps imported into the index, curated-file schema checks."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.errors import DataFileError
from frontlines.gazetteer import INDEXES, SCHEMA, Gazetteer, import_geonames, load_curated

# Four records in the GeoNames dump layout (19 tab-separated columns), written for the
# test: a village and a dam in Syria, a border post in Iraq, a town in Turkey.
DUMP_ROWS = [
    [
        "9100001", "Al Baghuz Fawqani", "Al Baghuz Fawqani",
        "Baghouz,Baghuz,al-Baghuz Fawqani,الباغوز فوقاني", "34.4517", "40.9412", "P", "PPL",
        "SY", "", "07", "", "", "", "1200", "", "173", "Asia/Damascus", "2019-03-24",
    ],
    [
        "9100002", "Sadd al Ba'th", "Sadd al Ba`th", "Baath Dam,Ba'ath dam,Mansoura Dam",
        "35.8561", "38.6833", "S", "DAM", "SY", "", "04", "", "", "", "0", "", "260",
        "Asia/Damascus", "2018-01-01",
    ],
    [
        "9100003", "Husaybah Border Post", "Husaybah Border Post", "Qaim crossing,Al Qaim BCP",
        "34.4290", "41.0080", "S", "PSTB", "IQ", "", "01", "", "", "", "0", "", "170",
        "Asia/Baghdad", "2019-10-01",
    ],
    [
        "9100004", "Akcakale Kasabasi", "Akcakale Kasabasi", "", "36.7110", "38.9470", "P",
        "PPL", "TR", "", "63", "", "", "", "30000", "", "400", "Europe/Istanbul", "2020-01-01",
    ],
]  # fmt: skip


def write_dump(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def empty_index(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA + INDEXES)
    db.close()
    return path


def test_gazetteer_import_adds_villages_dams_and_crossings(tmp_path: Path) -> None:
    index = empty_index(tmp_path / "g.sqlite")
    dump = write_dump(tmp_path / "SY.txt", DUMP_ROWS)
    assert import_geonames(dump, index, countries=["sy", "IQ"]) == 3
    gaz = Gazetteer(index)
    village = gaz.lookup("al-Baghuz Fawqani")
    assert [p.id for p in village] == ["9100001"]
    assert village[0].feature == "populated_place" and village[0].population == 1200
    assert [p.feature for p in gaz.lookup("Baath Dam")] == ["dam"]
    assert [p.feature for p in gaz.lookup("Qaim crossing")] == ["crossing"]
    assert gaz.lookup("Akcakale Kasabasi") == ()  # filtered out by country
    assert [p.id for p in gaz.fuzzy("al-Baghoz")] == ["9100001"]  # theatre: skeleton lookup
    gaz.close()


def test_gazetteer_reimport_updates_without_duplicating_names(tmp_path: Path) -> None:
    index = empty_index(tmp_path / "g.sqlite")
    dump = write_dump(tmp_path / "IQ.txt", DUMP_ROWS[:1])
    import_geonames(dump, index)
    moved = [list(DUMP_ROWS[0])]
    moved[0][14] = "2500"
    import_geonames(write_dump(tmp_path / "IQ.txt", moved), index)
    gaz = Gazetteer(index)
    found = gaz.lookup("Baghouz")
    assert len(found) == 1 and found[0].population == 2500
    rows = sqlite3.connect(index).execute("SELECT count(*) FROM names").fetchone()[0]
    assert rows == 3  # keys: "baghuz fawqani" (three spellings), "baghouz", "baghuz"
    gaz.close()


def test_gazetteer_import_classes_filter(tmp_path: Path) -> None:
    index = empty_index(tmp_path / "g.sqlite")
    dump = write_dump(tmp_path / "allCountries.txt", DUMP_ROWS)
    assert import_geonames(dump, index, classes="P") == 2


def test_gazetteer_import_rejects_a_malformed_dump_and_changes_nothing(tmp_path: Path) -> None:
    index = empty_index(tmp_path / "g.sqlite")
    bad = [DUMP_ROWS[0], DUMP_ROWS[1][:18]]
    with pytest.raises(DataFileError, match="line 2: 18 tab-separated columns"):
        import_geonames(write_dump(tmp_path / "SY.txt", bad), index)
    assert sqlite3.connect(index).execute("SELECT count(*) FROM places").fetchone()[0] == 0
    csv_like = tmp_path / "places.csv"
    csv_like.write_text("id,name,lat,lon\n1,Hajin,34.69,40.83\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="GeoNames dump"):
        import_geonames(csv_like, index)


def test_gazetteer_import_reads_the_zip_geonames_publishes(tmp_path: Path) -> None:
    index = empty_index(tmp_path / "g.sqlite")
    dump = write_dump(tmp_path / "SY.txt", DUMP_ROWS[:2])
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(dump, "SY.txt")
        zf.writestr("readme.txt", "GeoNames readme\n")
    assert import_geonames(archive, index) == 2


def test_cli_gazetteer_import(tmp_path: Path) -> None:
    index = empty_index(tmp_path / "g.sqlite")
    dump = write_dump(tmp_path / "SY.txt", DUMP_ROWS)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["gazetteer", "import", str(dump), "--index", str(index), "--country", "SY"]
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 places" in result.output
    broken = write_dump(tmp_path / "broken.txt", [DUMP_ROWS[0][:5]])
    result = runner.invoke(cli, ["gazetteer", "import", str(broken), "--index", str(index)])
    assert isinstance(result.exception, DataFileError)


def test_gazetteer_curated_file_schema_errors(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text('- {id: "fl:x", name: X, lat: 34, lon: 40, feature: castle}\n')
    with pytest.raises(DataFileError, match="feature 'castle'"):
        list(load_curated(path))
    path.write_text('- {id: "fl:x", name: X, lat: north, lon: 40, feature: dam}\n')
    with pytest.raises(DataFileError, match="lat and lon"):
        list(load_curated(path))
    path.write_text(
        '- {id: "fl:x", name: X, lat: 34, lon: 40, feature: dam}\n'
        '- {id: "fl:x", name: Y, lat: 35, lon: 41, feature: dam}\n'
    )
    with pytest.raises(DataFileError, match="duplicate id"):
        list(load_curated(path))


def test_gazetteer_packaged_theatre_file_covers_the_theatre() -> None:
    from frontlines.paths import data_file

    places = list(load_curated(data_file("places.yaml")))
    governorates = {p.country for p in places if p.feature == "governorate"}
    assert governorates == {"SY", "IQ"}
    counts = {c: sum(p.country == c and p.feature == "governorate" for p in places)
              for c in ("SY", "IQ")}  # fmt: skip
    assert counts["SY"] == 14 and counts["IQ"] >= 18  # 18 federal, and Halabja
    sites = [p for p in places if p.feature not in ("governorate", "populated_place")]
    assert len(sites) >= 40
    assert {"Euphrates", "Tigris"} <= {p.name for p in places if p.feature == "river"}


# First-level divisions of each country the "gl:" block covers (2014-2019), less those
# that are one city already in GeoNames (Beijing, Shanghai, Tianjin, Chongqing; Jakarta;
# Delhi, Chandigarh, Puducherry). A country is listed whole or not at all.
FIRST_LEVEL = {"AU": 8, "CA": 13, "CN": 27, "GB": 4, "ID": 33, "IN": 33, "NG": 37, "PH": 17,
               "PK": 8, "ZA": 9}  # fmt: skip


def test_gazetteer_abroad_lists_whole_first_level_sets_or_none() -> None:
    from frontlines.paths import data_file

    abroad = [p for p in load_curated(data_file("places.yaml")) if p.id.startswith("gl:")]
    assert {p.feature for p in abroad} == {"region"}  # governorate is Syria's and Iraq's
    divisions: dict[str, set[str]] = {}
    for p in abroad:
        if p.country and p.population > 0:  # islands, seas, world regions: no population
            divisions.setdefault(p.country, set()).add(p.name)
    assert {c: len(names) for c, names in divisions.items()} == FIRST_LEVEL
    assert {"Borno", "Zamfara", "Delta State"} <= divisions["NG"]
    assert "Delta" not in divisions["NG"]  # common words only with "State"


def test_gazetteer_us_states_are_regions_not_governorates() -> None:
    gazetteer = Gazetteer.load()
    try:
        texas = [p for p in gazetteer.lookup("Texas") if p.country == "US" and p.admin1]
        assert [p.feature for p in texas if p.name == "Texas"] == ["region"]
        assert any(p.feature == "region" for p in gazetteer.lookup("W.Va."))
    finally:
        gazetteer.close()
