"""Place and actor linking measured on mention-level gold (gold/mentions).

A gold file names a document written in the segment-gold format (one ``LABEL<TAB>line``
per line, so its body and comment lines are known without running the segmenter) and
lists surface forms with the place or actor each stands for (format in
docs/data-formats.md). Every whole-word, case-sensitive occurrence of a surface form on
a body or comment line is a gold mention, unless ``only``/``skip`` pick occurrences or a
longer gold form covers it ("Deir ez-Zor province" over "Deir ez-Zor").

Two systems are scored on the same mentions: the linker, and spaCy's NER alone (its
GPE/LOC/FAC entities resolved to the most populous exact gazetteer match, its
ORG/NORP/PERSON entities looked up in the registry as written). A gold mention is right
when the predicted mention that overlaps it most has the same kind and id; places are
also scored by distance (within 25 km of the gold coordinates).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from frontlines.errors import DataFileError
from frontlines.gazetteer import Gazetteer, distance_km
from frontlines.link import Linker, strip_det
from frontlines.models import Document, Segment, content_id
from frontlines.registry import Registry
from frontlines.train import GoldDoc, parse_gold

Kind = Literal["place", "actor"]
System = Literal["linker", "spacy-ner"]
PLACE_KM = 25.0
NER_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NER_ACTOR_LABELS = frozenset({"ORG", "NORP", "PERSON"})
_ENTRY_FIELDS = frozenset({"text", "id", "lat", "lon", "only", "skip", "note"})


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    kind: Kind
    ref: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class GoldDocument:
    name: str
    document: Document
    mentions: tuple[GoldMention, ...]


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    kind: str
    ref: str | None


@dataclass(frozen=True)
class Outcome:
    doc: str
    gold: GoldMention
    predicted: Predicted | None
    correct: bool
    within_km: bool


@dataclass(frozen=True)
class Scores:
    system: str
    kind: str
    mentions: int
    correct: int
    within_km: int
    confusions: tuple[tuple[str, str, int], ...]

    @property
    def accuracy(self) -> float:
        return round(self.correct / self.mentions, 4) if self.mentions else 0.0

    @property
    def accuracy_km(self) -> float:
        return round(self.within_km / self.mentions, 4) if self.mentions else 0.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "system": self.system,
            "kind": self.kind,
            "mentions": self.mentions,
            "correct": self.correct,
            "accuracy": self.accuracy,
        }
        if self.kind == "place":
            out["accuracy_25km"] = self.accuracy_km
        out["confusions"] = [{"gold": g, "predicted": p, "count": n} for g, p, n in self.confusions]
        return out


# gold ----------------------------------------------------------------------------------


def gold_files(path: str | Path) -> list[Path]:
    root = Path(path)
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    if not files:
        raise DataFileError(str(root), "no *.yaml mention gold files")
    return files


def load_gold(path: str | Path, kind: Kind | None = None) -> list[GoldDocument]:
    """Every gold document under ``path`` (a folder of YAML files, or one file)."""
    return [load_gold_file(file, kind) for file in gold_files(path)]


def load_gold_file(path: Path, kind: Kind | None = None) -> GoldDocument:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(path), f"cannot load mention gold: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("document"), str):
        raise DataFileError(str(path), "expected a mapping with a `document` path")
    unknown = set(raw) - {"document", "places", "actors"}
    if unknown:
        raise DataFileError(str(path), f"unknown field(s) {sorted(unknown)}")
    source = (path.parent / raw["document"]).resolve()
    if not source.is_file():
        raise DataFileError(str(path), f"document {raw['document']!r} not found")
    gold = parse_gold(source)
    document = gold_document(gold, str(source))
    entries: list[tuple[Kind, dict[str, Any]]] = []
    sections: tuple[tuple[str, Kind], ...] = (("places", "place"), ("actors", "actor"))
    for section, section_kind in sections:
        items = raw.get(section) or []
        if not isinstance(items, list):
            raise DataFileError(str(path), f"{section} must be a list")
        entries += [(section_kind, check_entry(str(path), section_kind, e)) for e in items]
    mentions = resolve_mentions(str(path), gold, entries)
    if kind is not None:
        mentions = [m for m in mentions if m.kind == kind]
    return GoldDocument(path.stem, document, tuple(mentions))


def check_entry(path: str, kind: Kind, entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise DataFileError(path, f"each {kind} entry must be a mapping")
    unknown = set(entry) - _ENTRY_FIELDS
    where = f"{kind} {entry.get('text')!r}"
    if unknown:
        raise DataFileError(path, f"{where}: unknown field(s) {sorted(unknown)}")
    if not isinstance(entry.get("text"), str) or not entry["text"].strip():
        raise DataFileError(path, f"{kind} entry: text is required")
    if not isinstance(entry.get("id"), str | int):
        raise DataFileError(path, f"{where}: id is required")
    if kind == "place" and not all(isinstance(entry.get(k), int | float) for k in ("lat", "lon")):
        raise DataFileError(path, f"{where}: lat and lon are required for places")
    for pick in ("only", "skip"):
        value = entry.get(pick)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(n, int) and n > 0 for n in value)
        ):
            raise DataFileError(path, f"{where}: {pick} must be a list of occurrence numbers")
    return entry


def gold_document(gold: GoldDoc, origin: str) -> Document:
    """The document with its gold segmentation (B body, C comment, X boilerplate)."""
    segments: list[Segment] = []
    offset = 0
    starts = set(gold.comment_starts)
    authors = dict(gold.authors)
    for number, (line, label) in enumerate(zip(gold.lines, gold.labels, strict=True)):
        kind: Any = {"B": "body", "C": "comment", "X": "boilerplate"}[label]
        end = offset + len(line) + (1 if number + 1 < len(gold.lines) else 0)
        last = segments[-1] if segments else None
        if last and last.kind == kind and number not in starts:
            segments[-1] = Segment(kind, last.start, end, last.author)
        else:
            segments.append(Segment(kind, offset, end, authors.get(number)))
        offset = end
    text = gold.text
    return Document(
        content_id(text), origin, None, None, None, None, "unknown", "en", text, tuple(segments)
    )


def readable_spans(gold: GoldDoc) -> list[tuple[int, int]]:
    """Character ranges of the body and comment lines."""
    spans = []
    offset = 0
    for line, label in zip(gold.lines, gold.labels, strict=True):
        if label != "X":
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def occurrences(text: str, form: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<![\w])" + re.escape(form) + r"(?![\w])")
    return [
        (m.start(), m.end()) for start, end in spans for m in pattern.finditer(text, start, end)
    ]


def resolve_mentions(
    path: str, gold: GoldDoc, entries: list[tuple[Kind, dict[str, Any]]]
) -> list[GoldMention]:
    text = gold.text
    spans = readable_spans(gold)
    found: list[GoldMention] = []
    for kind, entry in entries:
        form = entry["text"]
        hits = occurrences(text, form, spans)
        if not hits:
            raise DataFileError(path, f"{kind} {form!r} does not occur in the document")
        picked = set(entry.get("only") or range(1, len(hits) + 1)) - set(entry.get("skip") or ())
        if max(picked, default=0) > len(hits):
            raise DataFileError(path, f"{kind} {form!r} occurs only {len(hits)} times")
        for number, (start, end) in enumerate(hits, start=1):
            if number in picked:
                lat, lon = entry.get("lat"), entry.get("lon")
                found.append(
                    GoldMention(
                        start,
                        end,
                        form,
                        kind,
                        str(entry["id"]),
                        float(lat) if lat is not None else None,
                        float(lon) if lon is not None else None,
                    )
                )
    kept = [
        m
        for m in found
        if not any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and o.end - o.start > m.end - m.start
            for o in found
        )
    ]
    seen: dict[tuple[int, int], GoldMention] = {}
    for m in kept:
        other = seen.get((m.start, m.end))
        if other is not None:
            raise DataFileError(path, f"{m.text!r} at {m.start} is listed twice")
        seen[(m.start, m.end)] = m
    return sorted(kept, key=lambda m: m.start)


# systems -------------------------------------------------------------------------------


def linker_predictions(linker: Linker, annotated: Any) -> list[Predicted]:
    return [
        Predicted(m.start, m.end, m.kind, m.ref)
        for m in linker.link_one(annotated)
        if m.kind in ("place", "actor")
    ]


def ner_predictions(registry: Registry, gazetteer: Gazetteer, annotated: Any) -> list[Predicted]:
    """spaCy NER alone: its labels decide the kind; names resolved as written."""
    out = []
    for part in annotated.parts:
        for ent in part.doc.ents:
            start, end = part.offset + ent.start_char, part.offset + ent.end_char
            name = strip_det(ent.text)
            if ent.label_ in NER_PLACE_LABELS:
                places = sorted(gazetteer.lookup(name), key=lambda p: -p.population)
                out.append(Predicted(start, end, "place", places[0].id if places else None))
            elif ent.label_ in NER_ACTOR_LABELS:
                ids = registry.lookup(name)
                out.append(Predicted(start, end, "actor", ids[0] if ids else None))
    return out


def best_overlap(gold: GoldMention, predicted: Iterable[Predicted]) -> Predicted | None:
    """The prediction that answers for a gold mention: a resolved one before one without
    a ref ("Nineveh" before a bare "province"), then the largest overlap, then one of the
    gold's kind (a span linked both as actor and as place)."""
    best: tuple[int, int, int, Predicted] | None = None
    for p in predicted:
        overlap = min(gold.end, p.end) - max(gold.start, p.start)
        if overlap <= 0:
            continue
        rank = (int(p.ref is not None), overlap, int(p.kind == gold.kind), p)
        if best is None or rank[:3] > best[:3]:
            best = rank
    return best[3] if best else None


def judge(doc: str, gold: GoldMention, predicted: list[Predicted], gazetteer: Gazetteer) -> Outcome:
    hit = best_overlap(gold, predicted)
    correct = hit is not None and hit.kind == gold.kind and hit.ref == gold.ref
    near = correct
    if gold.kind == "place" and hit and hit.kind == "place" and hit.ref and not correct:
        place = gazetteer.get(hit.ref)
        if place is not None and gold.lat is not None and gold.lon is not None:
            near = distance_km((place.lat, place.lon), (gold.lat, gold.lon)) <= PLACE_KM
    return Outcome(doc, gold, hit, correct, near)


def outcomes(
    gold_docs: list[GoldDocument],
    linker: Linker,
    nlp: Any,
    system: System = "linker",
) -> Iterator[Outcome]:
    from frontlines.annotate import annotate

    documents = [g.document for g in gold_docs]
    for gold_doc, annotated in zip(gold_docs, annotate(documents, nlp), strict=True):
        if system == "linker":
            predicted = linker_predictions(linker, annotated)
        else:
            predicted = ner_predictions(linker.registry, linker.gazetteer, annotated)
        for mention in gold_doc.mentions:
            yield judge(gold_doc.name, mention, predicted, linker.gazetteer)


def describe(prediction: Predicted | None, kind: str) -> str:
    if prediction is None:
        return "(not found)"
    if prediction.ref is None:
        return f"({prediction.kind}, unresolved)"
    return prediction.ref if prediction.kind == kind else f"{prediction.kind}:{prediction.ref}"


def summarize(system: str, kind: str, results: list[Outcome], worst: int = 10) -> Scores:
    confusions = Counter(
        (f"{o.gold.text} = {o.gold.ref}", describe(o.predicted, kind))
        for o in results
        if not o.correct
    )
    ranked = sorted(confusions.items(), key=lambda item: (-item[1], item[0]))[:worst]
    return Scores(
        system=system,
        kind=kind,
        mentions=len(results),
        correct=sum(o.correct for o in results),
        within_km=sum(o.within_km for o in results),
        confusions=tuple((g, p, n) for (g, p), n in ranked),
    )


def evaluate_linking(
    gold: str | Path,
    kind: Kind,
    linker: Linker,
    nlp: Any,
    systems: tuple[System, ...] = ("linker", "spacy-ner"),
    worst: int = 10,
) -> list[Scores]:
    """Scores of each system on the gold mentions of one kind."""
    gold_docs = load_gold(gold, kind)
    return [
        summarize(system, kind, list(outcomes(gold_docs, linker, nlp, system)), worst)
        for system in systems
    ]
