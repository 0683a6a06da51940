"""Event extraction against hand-written dev gold (gold/events, format in
docs/data-formats.md): detection precision/recall/F1 and per-field accuracy.

A gold event and a system event match when they are in the same document, their
evidence spans overlap and they have the same type; matching is one-to-one, preferring
the same sub-type, then the closest start. Gold and system events that overlap but differ
in type are paired afterwards so that type accuracy can be measured. Fields are scored
on same-type matches only.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import DataFileError
from frontlines.evaluate import metrics
from frontlines.gazetteer import distance_km
from frontlines.models import CERTAINTIES, Document, Event
from frontlines.paths import data_file
from frontlines.store import Store

PLACE_KM = 25.0
DATE_SLACK_DAYS = {"day": 0, "week": 3, "month": 15, "year": 183, "unknown": 0}
FIELDS = ("sub_type", "actor1", "actor2", "place", "date", "fatalities", "certainty",
          "attributed_to", "from_comment")  # fmt: skip
REQUIRED = ("quote", "type", "actor1", "actor2", "place", "date", "fatalities", "certainty",
            "attributed_to", "from_comment")  # fmt: skip
SAMPLE_PREFIX = "sample/"


@dataclass(frozen=True)
class GoldEvent:
    file: str
    doc: str
    line: int | None
    quote: str
    type: str
    sub_type: str
    actor1: str | None
    actor2: str | None
    place: tuple[str, float, float] | None
    date: tuple[str, str, str] | None
    fatalities: int | None
    certainty: str
    attributed_to: str | None
    from_comment: bool


@dataclass(frozen=True)
class GoldDocument:
    file: str
    path: Path
    line: int | None
    events: tuple[GoldEvent, ...]

    @property
    def key(self) -> str:
        return f"{self.path}#L{self.line}" if self.line else str(self.path)


def load_gold(folder: str | Path) -> list[GoldDocument]:
    """Every ``*.yaml`` under ``folder``: one document and its complete list of events."""
    root = Path(folder)
    docs = [load_gold_file(root, f) for f in sorted(root.glob("*.yaml"))]
    if not docs:
        raise DataFileError(str(root), "no *.yaml event gold files in the folder")
    return docs


def load_gold_file(root: Path, file: Path) -> GoldDocument:
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(file), f"cannot read event gold: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("doc"), str):
        raise DataFileError(str(file), "event gold needs a `doc` path and an `events` list")
    name = raw["doc"]
    if name.startswith(SAMPLE_PREFIX):
        path = data_file("sample") / name[len(SAMPLE_PREFIX) :]
    else:
        path = root / name
    if not path.is_file():
        raise DataFileError(str(file), f"gold document {name} not found")
    line = raw.get("line")
    events = tuple(
        gold_event(file.name, name, line, i, e) for i, e in enumerate(raw.get("events") or [])
    )
    return GoldDocument(file.name, path, line, events)


def gold_event(file: str, doc: str, line: int | None, i: int, raw: Any) -> GoldEvent:
    where = f"{file}: event {i + 1}"
    if not isinstance(raw, dict):
        raise DataFileError(where, "an event is a mapping")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise DataFileError(where, f"missing fields: {', '.join(missing)}")
    kind, _, sub = str(raw["type"]).partition("/")
    if not sub:
        raise DataFileError(where, "type is written type/sub_type")
    if raw["certainty"] not in CERTAINTIES:
        raise DataFileError(where, f"unknown certainty {raw['certainty']!r}")
    place = raw["place"]
    if place is not None and (not isinstance(place, list) or len(place) != 3):
        raise DataFileError(where, "place is [name, lat, lon] or null")
    when = raw["date"]
    if when is not None:
        if not isinstance(when, list) or len(when) != 3 or when[2] not in DATE_SLACK_DAYS:
            raise DataFileError(where, "date is [start, end, precision] or null")
        when = (str(when[0]), str(when[1]), str(when[2]))
    return GoldEvent(
        file=file,
        doc=doc,
        line=line,
        quote=str(raw["quote"]),
        type=kind,
        sub_type=sub,
        actor1=raw["actor1"],
        actor2=raw["actor2"],
        place=(str(place[0]), float(place[1]), float(place[2])) if place else None,
        date=when,
        fatalities=raw["fatalities"],
        certainty=str(raw["certainty"]),
        attributed_to=raw["attributed_to"],
        from_comment=bool(raw["from_comment"]),
    )


@dataclass
class EventScores:
    gold: int = 0
    system: int = 0
    matched: int = 0
    type_pairs: int = 0
    type_correct: int = 0
    field_correct: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return round(self.matched / self.system, 4) if self.system else 0.0

    @property
    def recall(self) -> float:
        return round(self.matched / self.gold, 4) if self.gold else 0.0

    @property
    def f1(self) -> float:
        return metrics.f1(self.precision, self.recall) or 0.0

    @property
    def type_accuracy(self) -> float:
        return round(self.type_correct / self.type_pairs, 4) if self.type_pairs else 0.0

    def field_accuracy(self) -> dict[str, float]:
        return {
            f: round(self.field_correct[f] / self.matched, 4) if self.matched else 0.0
            for f in FIELDS
        }

    def as_dict(self, worst: int = 15) -> dict[str, Any]:
        return {
            "gold_events": self.gold,
            "system_events": self.system,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "type_accuracy": self.type_accuracy,
            "field_accuracy": self.field_accuracy(),
            "missed": self.missed[:worst],
            "spurious": self.spurious[:worst],
            "field_errors": sorted(self.field_errors, key=lambda s: -s.count(";"))[:worst],
        }


def quote_span(document: Document, gold: GoldEvent) -> tuple[int, int] | None:
    idx = document.text.find(gold.quote)
    return (idx, idx + len(gold.quote)) if idx >= 0 else None


def overlaps(event: Event, span: tuple[int, int]) -> bool:
    return event.evidence.start < span[1] and span[0] < event.evidence.end


def date_ok(gold: GoldEvent, event: Event) -> bool:
    if gold.date is None:
        return event.date_start is None
    if event.date_start is None or event.date_end is None:
        return False
    slack = DATE_SLACK_DAYS[gold.date[2]]
    try:
        g0, g1 = date.fromisoformat(gold.date[0]), date.fromisoformat(gold.date[1])
        s0, s1 = date.fromisoformat(event.date_start), date.fromisoformat(event.date_end)
    except ValueError:
        return False
    return abs((s0 - g0).days) <= slack and abs((s1 - g1).days) <= slack


def words(text: str) -> set[str]:
    stop = {"a", "an", "the", "of", "to", "in", "and", "for", "on", "its", "his", "their"}
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in stop}


def attribution_ok(gold: str | None, system: str | None) -> bool:
    if gold is None or system is None:
        return gold is None and system is None
    g, s = words(gold), words(system)
    return bool(g) and len(g & s) / len(g | s) >= 0.5 or g <= s


def field_checks(gold: GoldEvent, event: Event) -> dict[str, bool]:
    place_ok = (gold.place is None) == (event.place is None)
    if gold.place is not None and event.place is not None:
        here = (event.place.lat, event.place.lon)
        place_ok = distance_km(here, (gold.place[1], gold.place[2])) <= PLACE_KM
    return {
        "sub_type": gold.sub_type == event.sub_type,
        "actor1": gold.actor1 == event.actor1,
        "actor2": gold.actor2 == event.actor2,
        "place": place_ok,
        "date": date_ok(gold, event),
        "fatalities": gold.fatalities == event.fatalities,
        "certainty": gold.certainty == event.certainty,
        "attributed_to": attribution_ok(gold.attributed_to, event.attributed_to),
        "from_comment": gold.from_comment == event.from_comment,
    }


def pair(
    golds: Sequence[tuple[GoldEvent, tuple[int, int]]],
    system: Sequence[Event],
    same_type: bool,
) -> list[tuple[GoldEvent, Event]]:
    """One-to-one pairs of overlapping events, best candidates first."""
    candidates = []
    for gi, (gold, span) in enumerate(golds):
        for si, event in enumerate(system):
            if not overlaps(event, span) or (same_type and event.type != gold.type):
                continue
            rank = (event.type != gold.type, event.sub_type != gold.sub_type,
                    abs(event.evidence.start - span[0]))  # fmt: skip
            candidates.append((rank, gi, si))
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs = []
    for _, gi, si in sorted(candidates):
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((golds[gi][0], system[si]))
    return pairs


def score_document(
    scores: EventScores, gdoc: GoldDocument, document: Document, system: Sequence[Event]
) -> None:
    golds = []
    for gold in gdoc.events:
        span = quote_span(document, gold)
        if span is None:
            raise DataFileError(gdoc.file, f"quote not in the document text: {gold.quote!r}")
        golds.append((gold, span))
    scores.gold += len(golds)
    scores.system += len(system)
    matched = pair(golds, system, same_type=True)
    scores.matched += len(matched)
    for gold, event in matched:
        checks = field_checks(gold, event)
        scores.field_correct.update(f for f, ok in checks.items() if ok)
        wrong = [f"{f}: gold {gold_value(gold, f)!r} got {system_value(event, f)!r}"
                 for f, ok in checks.items() if not ok]  # fmt: skip
        if wrong:
            scores.field_errors.append(f"{gdoc.file} «{gold.quote[:60]}» " + "; ".join(wrong))
    done_g = {id(g) for g, _ in matched}
    done_s = {id(e) for _, e in matched}
    rest_g = [(g, s) for g, s in golds if id(g) not in done_g]
    rest_s = [e for e in system if id(e) not in done_s]
    retyped = pair(rest_g, rest_s, same_type=False)
    scores.type_pairs += len(matched) + len(retyped)
    scores.type_correct += len(matched)
    wrong_type = {id(g): e for g, e in retyped}
    for gold, _ in rest_g:
        got = wrong_type.get(id(gold))
        note = f" (typed {got.type}/{got.sub_type})" if got else ""
        scores.missed.append(f"{gdoc.file}: {gold.type}/{gold.sub_type} «{gold.quote}»{note}")
    for event in rest_s:
        scores.spurious.append(
            f"{gdoc.file}: {event.type}/{event.sub_type} «{event.evidence.text[:90]}»"
        )


def gold_value(gold: GoldEvent, name: str) -> Any:
    if name == "place":
        return gold.place[0] if gold.place else None
    if name == "date":
        return list(gold.date) if gold.date else None
    return getattr(gold, name)


def system_value(event: Event, name: str) -> Any:
    if name == "place":
        return event.place.name if event.place else None
    if name == "date":
        return (
            [event.date_start, event.date_end, event.time_precision] if event.date_start else None
        )
    return getattr(event, name)


Extractor = Callable[[Iterable[Path]], dict[str, tuple[Document, list[Event]]]]


def pipeline_extractor(paths: Iterable[Path]) -> dict[str, tuple[Document, list[Event]]]:
    """Ingest the gold documents into a scratch store with the packaged pipeline."""
    from frontlines.pipeline import Resources, ingest

    found: dict[str, tuple[Document, list[Event]]] = {}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "events.db") as store:
        report = ingest(sorted(set(paths)), store, Resources())
        if report.rejected:
            bad = report.rejected[0]
            raise DataFileError(bad.origin, f"gold document rejected at {bad.stage}: {bad.reason}")
        for document in store.documents():
            found[document.origin] = (document, list(store.events(document.id)))
    return found


def evaluate_events(folder: str | Path, extractor: Extractor = pipeline_extractor) -> EventScores:
    gold_docs = load_gold(folder)
    extracted = extractor(g.path for g in gold_docs)
    scores = EventScores()
    for gdoc in gold_docs:
        got = extracted.get(gdoc.key)
        if got is None:
            raise DataFileError(gdoc.file, f"{gdoc.key} was not stored by the pipeline")
        score_document(scores, gdoc, got[0], got[1])
    return scores


# --- The alternative measured against the lexicon-and-dependency baseline (issue item 8):
# a sentence classifier trained on the gold that re-types each extracted event or drops it
# ("none"), scored by k-fold cross-validation over documents so that no document is both
# trained and tested on.

NONE = "none"


def event_features(event: Event) -> list[str]:
    """Unigrams and bigrams of the evidence sentence, plus the baseline's own type."""
    tokens = re.findall(r"[a-z]+", event.evidence.text.lower())
    grams = tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    return [*grams, f"base={event.type}/{event.sub_type}", f"comment={event.from_comment}"]


def training_labels(
    gdoc: GoldDocument, document: Document, system: Sequence[Event]
) -> list[tuple[Event, str]]:
    """Each system event labelled with the type/sub_type of the gold event it overlaps
    (paired one to one, as in scoring), or "none"."""
    golds = [(g, s) for g in gdoc.events if (s := quote_span(document, g)) is not None]
    paired = {id(e): f"{g.type}/{g.sub_type}" for g, e in pair(golds, system, same_type=False)}
    return [(e, paired.get(id(e), NONE)) for e in system]


@dataclass
class SentenceClassifier:
    """Multinomial logistic regression over hashed n-gram features (numpy, L2)."""

    labels: list[str]
    weights: Any
    dims: int

    @staticmethod
    def vector(features: list[str], dims: int) -> Any:
        import numpy as np

        row = np.zeros(dims)
        for feature in features:
            row[zlib_hash(feature) % dims] += 1.0
        norm = np.linalg.norm(row)
        return row / norm if norm else row

    @classmethod
    def train(
        cls, examples: list[tuple[list[str], str]], dims: int = 4096, epochs: int = 300
    ) -> SentenceClassifier:
        import numpy as np

        labels = sorted({label for _, label in examples})
        x = np.stack([cls.vector(f, dims) for f, _ in examples])
        y = np.zeros((len(examples), len(labels)))
        for i, (_, label) in enumerate(examples):
            y[i, labels.index(label)] = 1.0
        w = np.zeros((dims, len(labels)))
        for _ in range(epochs):
            logits = x @ w
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            w -= 2.0 * (x.T @ (p - y) / len(examples) + 1e-3 * w)
        return cls(labels, w, dims)

    def predict(self, features: list[str]) -> str:
        scores = self.vector(features, self.dims) @ self.weights
        return str(self.labels[int(scores.argmax())])


def zlib_hash(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8"))


def retype(
    classifier: SentenceClassifier, events: Sequence[Event], filter_only: bool = False
) -> list[Event]:
    """Events re-typed by the classifier, those it calls "none" dropped; with
    ``filter_only`` the baseline's type is kept and the classifier only drops."""
    from dataclasses import replace

    out = []
    for event in events:
        label = classifier.predict(event_features(event))
        if label == NONE:
            continue
        if filter_only:
            out.append(event)
            continue
        kind, _, sub = label.partition("/")
        out.append(replace(event, type=kind, sub_type=sub))
    return out


@dataclass(frozen=True)
class Comparison:
    baseline: EventScores
    classifier: EventScores
    classifier_filter: EventScores
    folds: int

    def as_dict(self) -> dict[str, Any]:
        def brief(s: EventScores) -> dict[str, Any]:
            keys = ("system_events", "matched", "precision", "recall", "f1", "type_accuracy")
            full = s.as_dict()
            return {k: full[k] for k in keys} | {"sub_type": full["field_accuracy"]["sub_type"]}

        return {
            "baseline": brief(self.baseline),
            f"classifier_retype_{self.folds}_fold": brief(self.classifier),
            f"classifier_filter_{self.folds}_fold": brief(self.classifier_filter),
        }


def compare_classifier(
    folder: str | Path, folds: int = 5, extractor: Extractor = pipeline_extractor
) -> Comparison:
    """The baseline and the baseline re-typed by a sentence classifier, both scored on the
    same gold; the classifier's figures come from k-fold cross-validation by document."""
    gold_docs = load_gold(folder)
    extracted = extractor(g.path for g in gold_docs)
    items = [(g, *extracted[g.key]) for g in gold_docs if g.key in extracted]
    baseline, tested, filtered = EventScores(), EventScores(), EventScores()
    for gdoc, document, system in items:
        score_document(baseline, gdoc, document, system)
    for fold in range(folds):
        train = [it for i, it in enumerate(items) if i % folds != fold]
        examples = [
            (event_features(e), label) for g, d, s in train for e, label in training_labels(g, d, s)
        ]
        model = SentenceClassifier.train(examples)
        for i, (gdoc, document, system) in enumerate(items):
            if i % folds == fold:
                score_document(tested, gdoc, document, retype(model, system))
                score_document(filtered, gdoc, document, retype(model, system, True))
    return Comparison(baseline, tested, filtered, folds)
