"""Geoparsing against the public corpora: GeoWebNews, LGL and GeoVirus.

Each article's text goes through annotate → link as one body segment; the place
mentions are scored against the gold toponyms the way the field scores them (Gritta,
Pilehvar and Collier, "A Pragmatic Guide to Geoparsing Evaluation", 2019):

- recognition precision / recall / F1, with exact spans and with overlapping spans;
- resolution over the gold toponyms that have coordinates and were recognized
  (overlapping span): accuracy within 161 km, mean and median error in km, and the area
  under the curve of sorted log errors (AUC, 0 best, 1 worst).

A baseline runs in the same pass over the same parse: spaCy's GPE/LOC/FAC entities,
each resolved to the most populous gazetteer candidate.

Resolution is also scored given the gold place names, the way systems that only resolve
report it (Mordecai 3's published table): every gold toponym with coordinates gets the
place the linker chose for the span that overlaps it, or, where the linker found no such
span, the place ``Linker.resolve`` picks for the gold name with the countries the text
names; the baseline takes the name's most populous candidate. A name with no candidate
counts as the largest possible error.
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from frontlines.errors import DataFileError
from frontlines.evaluate import metrics
from frontlines.gazetteer import distance_km
from frontlines.models import Document, Mention, Segment, content_id

if TYPE_CHECKING:
    from frontlines.annotate import Annotated
    from frontlines.gazetteer import Gazetteer
    from frontlines.link import Linker
    from frontlines.pipeline import Resources

ACCURACY_KM = 161.0
"""100 miles, the field's threshold for a correct resolution."""
MAX_ERROR_KM = 20039.0
"""Half the Earth's circumference: the largest possible error, which scales the AUC."""
GEOWEBNEWS_TOPONYMS = frozenset(
    """
    Literal Literal_Modifier Metonymic Non_Literal_Modifier Mixed Coercion
    Embedded_Literal Embedded_Non_Lit Homonym
    """.split()
)
"""GeoWebNews types that name a place. Demonyms, languages, non-toponyms and the long
``*_Expression`` spans (a phrase around a toponym) are not toponyms to recognize."""
BASELINE_LABELS = frozenset({"GPE", "LOC", "FAC"})
RECOGNITION_FIGURES = (
    "predicted", "gold", "precision_exact", "recall_exact", "f1_exact",
    "precision_overlap", "recall_overlap", "f1_overlap",
)  # fmt: skip


@dataclass(frozen=True)
class Toponym:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.lat is None or self.lon is None else (self.lat, self.lon)


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    toponyms: tuple[Toponym, ...]
    modifiers: bool = True
    """Whether the corpus annotates nationality adjectives as toponyms ("Russian" in
    "Russian officials"): GeoWebNews (as modifiers) and LGL do, GeoVirus does not."""


@dataclass
class Scores:
    """Recognition and resolution figures of one system on one corpus."""

    predicted: int = 0
    gold: int = 0
    exact_tp: int = 0
    overlap_tp_pred: int = 0
    overlap_tp_gold: int = 0
    errors_km: list[float] = field(default_factory=list)
    gold_with_coords: int = 0
    recognizes: bool = True
    """False for resolution given the gold names: no recognition figures then."""

    def figures(self) -> dict[str, float | int | None]:
        if not self.recognizes:
            return {key: None for key in RECOGNITION_FIGURES} | self.resolution()
        p_exact = ratio(self.exact_tp, self.predicted)
        r_exact = ratio(self.exact_tp, self.gold)
        p_over = ratio(self.overlap_tp_pred, self.predicted)
        r_over = ratio(self.overlap_tp_gold, self.gold)
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "precision_exact": p_exact,
            "recall_exact": r_exact,
            "f1_exact": f1(p_exact, r_exact),
            "precision_overlap": p_over,
            "recall_overlap": r_over,
            "f1_overlap": f1(p_over, r_over),
        } | self.resolution()

    def resolution(self) -> dict[str, float | int | None]:
        errors = self.errors_km
        within = sum(1 for e in errors if e <= ACCURACY_KM)
        return {
            "resolved": len(errors),
            "gold_with_coords": self.gold_with_coords,
            "accuracy_161km": ratio(within, len(errors)),
            "accuracy_161km_all_gold": ratio(within, self.gold_with_coords),
            "mean_error_km": round(statistics.fmean(errors), 1) if errors else None,
            "median_error_km": round(statistics.median(errors), 1) if errors else None,
            "auc": auc(errors),
            "no_place": sum(1 for e in errors if e >= MAX_ERROR_KM),
        }


def ratio(a: int, b: int) -> float | None:
    return metrics.ratio(a, b, empty=None, digits=3)


def f1(p: float | None, r: float | None) -> float | None:
    return metrics.f1(p, r, digits=3)


def auc(errors_km: Iterable[float]) -> float | None:
    """Area under the curve of sorted log(1 + error), scaled by the largest possible
    error so that 0 is perfect and 1 is every toponym on the far side of the Earth."""
    logs = sorted(math.log(1.0 + e) for e in errors_km)
    if len(logs) < 2:
        return None
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
    return round(area / ((len(logs) - 1) * math.log(MAX_ERROR_KM)), 3)


# reading -----------------------------------------------------------------------------


def read_corpus(path: str | Path) -> list[Article]:
    """Articles of a GeoWebNews, LGL or GeoVirus file (the format read from its content)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise DataFileError(str(path), f"cannot read as XML: {exc}") from exc
    articles = [a for a in (read_article(el, n) for n, el in enumerate(root.iter("article"))) if a]
    if not articles:
        raise DataFileError(
            str(path), "no articles with text and toponyms (expected GeoWebNews, LGL or GeoVirus)"
        )
    return articles


def read_article(el: ET.Element, number: int) -> Article | None:
    text = el.findtext("text")
    if text is None:
        return None
    ident = el.get("docid") or el.get("file") or str(number)
    modifiers = el.find("locations") is None
    if not modifiers:
        toponyms = list(geovirus_toponyms(el))
    elif el.find("toponyms/toponym/gaztag") is not None or el.find("toponyms/toponym/phrase"):
        toponyms = list(lgl_toponyms(el))
    elif el.find("toponyms") is not None:
        toponyms = list(geowebnews_toponyms(el))
    else:
        return None
    aligned = (align(text, t) for t in toponyms)
    return Article(ident, text, tuple(t for t in aligned if t is not None), modifiers)


def align(text: str, toponym: Toponym, slack: int = 20) -> Toponym | None:
    """The toponym with offsets that point at its name: GeoVirus' offsets are shifted by a
    character or two, so the nearest occurrence of the name within ``slack`` is taken."""
    if not toponym.name or text[toponym.start : toponym.end] == toponym.name:
        return toponym if 0 <= toponym.start < toponym.end <= len(text) else None
    lo = max(0, toponym.start - slack)
    hits = []
    at = text.find(toponym.name, lo)
    while 0 <= at <= toponym.start + slack:
        hits.append(at)
        at = text.find(toponym.name, at + 1)
    if not hits:
        return None
    start = min(hits, key=lambda h: abs(h - toponym.start))
    return replace(toponym, start=start, end=start + len(toponym.name))


def number(el: ET.Element, path: str) -> float | None:
    value = (el.findtext(path) or "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        return None


def span(el: ET.Element) -> tuple[int, int] | None:
    start, end = number(el, "start"), number(el, "end")
    return None if start is None or end is None else (int(start), int(end))


def geowebnews_toponyms(el: ET.Element) -> Iterator[Toponym]:
    for top in el.iterfind("toponyms/toponym"):
        where = span(top)
        if where is None or (top.findtext("type") or "").strip() not in GEOWEBNEWS_TOPONYMS:
            continue
        name = top.findtext("extractedName") or ""
        yield Toponym(*where, name, number(top, "latitude"), number(top, "longitude"))


def lgl_toponyms(el: ET.Element) -> Iterator[Toponym]:
    for top in el.iterfind("toponyms/toponym"):
        where = span(top)
        if where is None:
            continue
        gaz = top.find("gaztag")
        lat = number(gaz, "lat") if gaz is not None else None
        lon = number(gaz, "lon") if gaz is not None else None
        yield Toponym(*where, top.findtext("phrase") or "", lat, lon)


def geovirus_toponyms(el: ET.Element) -> Iterator[Toponym]:
    for loc in el.iterfind("locations/location"):
        where = span(loc)
        if where is not None:
            yield Toponym(
                *where, loc.findtext("name") or "", number(loc, "lat"), number(loc, "lon")
            )


# running -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    start: int
    end: int
    point: tuple[float, float] | None


def as_document(article: Article) -> Document:
    text = article.text
    return Document(
        content_id(text), article.id, None, None, None, None, "unknown", "en", text,
        (Segment("body", 0, len(text)),),
    )  # fmt: skip


def evaluate_corpus(
    articles: list[Article], resources: Resources, batch_size: int = 32
) -> dict[str, dict[str, float | int | None]]:
    """Figures for frontlines and for the spaCy + most-populous baseline, side by side
    (the gazetteer of ``resources`` decides which GeoNames index is used)."""
    from frontlines.annotate import annotate

    gazetteer, linker = resources.gazetteer, resources.linker
    systems = {
        "frontlines": Scores(),
        "baseline_spacy_population": Scores(),
        "frontlines_given_gold_names": Scores(recognizes=False),
        "population_given_gold_names": Scores(recognizes=False),
    }
    documents = [as_document(a) for a in articles]
    annotated = annotate(documents, resources.nlp, batch_size=batch_size)
    for article, linked in zip(articles, linker.link(annotated), strict=True):
        ours = [
            Prediction(m.start, m.end, place_point(gazetteer, m.ref))
            for m in linked.mentions
            if is_toponym(m, article.modifiers)
        ]
        base = list(baseline(linked.annotated, gazetteer))
        score(systems["frontlines"], article, ours)
        score(systems["baseline_spacy_population"], article, base)
        countries = linker.mentioned_countries(linked.annotated)
        for gold in article.toponyms:
            if gold.point is None:
                continue
            match = best_overlap(gold, [p for p in ours if p.point is not None])
            point = match.point if match else name_point(linker, gold.name, countries)
            add_error(systems["frontlines_given_gold_names"], gold.point, point)
            add_error(systems["population_given_gold_names"], gold.point,
                      most_populous(gazetteer, gold.name))  # fmt: skip
    return {name: scores.figures() for name, scores in systems.items()}


def add_error(
    scores: Scores, gold: tuple[float, float], predicted: tuple[float, float] | None
) -> None:
    scores.gold_with_coords += 1
    scores.errors_km.append(distance_km(gold, predicted) if predicted else MAX_ERROR_KM)


def name_point(linker: Linker, name: str, countries: set[str]) -> tuple[float, float] | None:
    """Where the linker puts a place name out of its sentence: its best candidate given the
    countries the text names, or the country of a nationality word."""
    found = linker.resolve(name, countries)
    place = found[0] if found else linker.gazetteer.demonym(name)
    return (place.lat, place.lon) if place is not None else None


def most_populous(gazetteer: Gazetteer, name: str) -> tuple[float, float] | None:
    name = name[4:] if name.lower().startswith("the ") else name
    best = max(gazetteer.lookup(name), key=lambda p: p.population, default=None)
    return (best.lat, best.lon) if best is not None else None


def is_toponym(mention: Mention, modifiers: bool = True) -> bool:
    """A place mention that names a place: the field's corpora annotate toponyms only, so
    a place named by a common noun ("the city", label ``nominal``) is no prediction here,
    nor is a nationality adjective (label ``demonym``) on a corpus that does not annotate
    those (``modifiers`` false: GeoVirus)."""
    if mention.kind != "place" or mention.label == "nominal":
        return False
    return modifiers or mention.label != "demonym"


def place_point(gazetteer: Gazetteer, place_id: str | None) -> tuple[float, float] | None:
    place = gazetteer.get(place_id) if place_id else None
    return (place.lat, place.lon) if place is not None else None


def baseline(annotated: Annotated, gazetteer: Gazetteer) -> Iterator[Prediction]:
    """spaCy GPE/LOC/FAC entities, each placed at its most populous gazetteer candidate."""
    for part in annotated.parts:
        for ent in part.doc.ents:
            if ent.label_ not in BASELINE_LABELS:
                continue
            point = most_populous(gazetteer, ent.text)
            yield Prediction(part.offset + ent.start_char, part.offset + ent.end_char, point)


def score(scores: Scores, article: Article, predicted: list[Prediction]) -> None:
    gold = article.toponyms
    scores.predicted += len(predicted)
    scores.gold += len(gold)
    scores.gold_with_coords += sum(1 for g in gold if g.point is not None)
    exact = {(g.start, g.end) for g in gold}
    scores.exact_tp += sum(1 for p in predicted if (p.start, p.end) in exact)
    scores.overlap_tp_pred += sum(
        1 for p in predicted if any(p.start < g.end and g.start < p.end for g in gold)
    )
    for g in gold:
        match = best_overlap(g, predicted)
        if match is None:
            continue
        scores.overlap_tp_gold += 1
        if g.point is not None:
            # a recognized toponym left unresolved counts as the largest possible error
            error = distance_km(g.point, match.point) if match.point else MAX_ERROR_KM
            scores.errors_km.append(error)


def best_overlap(gold: Toponym, predicted: list[Prediction]) -> Prediction | None:
    """The predicted span that shares the most characters with a gold span."""
    best: Prediction | None = None
    best_shared = 0
    for p in predicted:
        shared = min(p.end, gold.end) - max(p.start, gold.start)
        if shared > best_shared:
            best, best_shared = p, shared
    return best
