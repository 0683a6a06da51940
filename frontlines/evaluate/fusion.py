"""Fusion against the multi-source dev gold (gold/fusion, format in docs/data-formats.md).

The gold documents are ingested into a scratch store by the real pipeline. Each gold
event (a quote in one document, labelled with its gold cluster) is matched to the system
event of that document whose evidence overlaps the quote most, so the scores hold
whatever the extractor does elsewhere in the text. Then:

- pairwise clustering precision and recall over pairs of matched gold events (same gold
  label vs same system cluster), with the share of gold events matched reported apart;
- contradiction recall (gold contradictions with at least one system contradiction of the
  same kind between the right events) and precision (system contradictions that hit a
  gold one, over all system contradictions);
- corroboration: for each gold cluster, the system cluster holding most of its matched
  events against the number of independent publishers the gold implies.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import DataFileError
from frontlines.evaluate import metrics
from frontlines.fuse import BANK, CASUALTIES, CONTROL, DENIAL, contradiction_kind
from frontlines.models import Contradiction, Document, Event
from frontlines.pipeline import Resources, ingest
from frontlines.store import Store

KIND_NAMES = {"denial": DENIAL, "control": CONTROL, "bank": BANK, "casualties": CASUALTIES}
AFFIRMING = ("asserted", "reported", "unconfirmed", "possible")


@dataclass(frozen=True)
class GoldEvent:
    file: str
    label: str
    quote: str
    type: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.file}#{self.label}"


@dataclass(frozen=True)
class GoldDocument:
    file: str
    publisher: str
    copy_of: str | None
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True)
class GoldContradiction:
    kind: str
    claim: str  # a gold label, or FILE#label
    against: str  # FILE#label


@dataclass(frozen=True)
class FusionGold:
    folder: Path
    documents: tuple[GoldDocument, ...]
    contradictions: tuple[GoldContradiction, ...]

    def events(self) -> list[GoldEvent]:
        return [e for d in self.documents for e in d.events]

    def corroboration(self) -> dict[str, int]:
        """Independent publishers per gold label: copies count as their original."""
        by_file = {d.file: d for d in self.documents}
        publishers: dict[str, set[str]] = {}
        for doc in self.documents:
            root = by_file.get(doc.copy_of, doc) if doc.copy_of else doc
            for event in doc.events:
                publishers.setdefault(event.label, set())
                if not is_denial(event):
                    publishers[event.label].add(root.publisher)
        return {label: len(found) for label, found in publishers.items()}


def is_denial(event: GoldEvent) -> bool:
    return "denied" in event.quote or "denies" in event.quote


@dataclass
class FusionScores:
    gold_events: int = 0
    matched_events: int = 0
    pairs_gold_same: int = 0
    pairs_system_same: int = 0
    pairs_both_same: int = 0
    contradictions_gold: int = 0
    contradictions_found: int = 0
    contradictions_system: int = 0
    contradictions_correct: int = 0
    corroboration_clusters: int = 0
    corroboration_exact: int = 0
    unmatched: list[str] = field(default_factory=list)
    missed_contradictions: list[str] = field(default_factory=list)
    wrong_corroboration: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return ratio(self.matched_events, self.gold_events)

    @property
    def precision(self) -> float:
        return ratio(self.pairs_both_same, self.pairs_system_same)

    @property
    def recall(self) -> float:
        return ratio(self.pairs_both_same, self.pairs_gold_same)

    @property
    def contradiction_recall(self) -> float:
        return ratio(self.contradictions_found, self.contradictions_gold)

    @property
    def contradiction_precision(self) -> float:
        return ratio(self.contradictions_correct, self.contradictions_system)

    @property
    def corroboration_accuracy(self) -> float:
        return ratio(self.corroboration_exact, self.corroboration_clusters)

    def figures(self) -> dict[str, object]:
        return {
            "gold_events": self.gold_events,
            "matched_events": self.matched_events,
            "coverage": self.coverage,
            "pairwise_precision": self.precision,
            "pairwise_recall": self.recall,
            "contradiction_recall": self.contradiction_recall,
            "contradiction_precision": self.contradiction_precision,
            "contradictions": f"{self.contradictions_found}/{self.contradictions_gold}",
            "corroboration_accuracy": self.corroboration_accuracy,
            "unmatched": self.unmatched,
            "missed_contradictions": self.missed_contradictions,
            "wrong_corroboration": self.wrong_corroboration,
        }


def ratio(a: int, b: int) -> float:
    return metrics.ratio(a, b, empty=1.0)


def load_gold(folder: str | Path) -> FusionGold:
    """Read and check gold.yaml; every quote must occur in its document."""
    root = Path(folder)
    path = root / "gold.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(path), f"cannot read fusion gold: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        raise DataFileError(str(path), "expected a mapping with a 'documents' list")
    types = raw.get("types") or {}
    if not isinstance(types, dict):
        raise DataFileError(str(path), "types must map gold labels to event types")
    documents = tuple(parse_document(str(path), root, entry, types) for entry in raw["documents"])
    refs = {e.ref for d in documents for e in d.events}
    labels = {e.label for d in documents for e in d.events}
    contradictions = []
    for entry in raw.get("contradictions") or []:
        if not isinstance(entry, dict) or entry.get("kind") not in KIND_NAMES:
            raise DataFileError(str(path), f"contradiction {entry!r}: kind must be one of "
                                           f"{sorted(KIND_NAMES)}")  # fmt: skip
        claim, against = str(entry.get("claim")), str(entry.get("against"))
        if claim not in refs and claim not in labels or against not in refs:
            raise DataFileError(str(path), f"contradiction {entry!r} names an unknown event")
        contradictions.append(GoldContradiction(entry["kind"], claim, against))
    return FusionGold(root, documents, tuple(contradictions))


def parse_document(path: str, root: Path, entry: Any, types: dict[str, str]) -> GoldDocument:
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        raise DataFileError(path, f"document {entry!r}: needs a file")
    name = entry["file"]
    try:
        text = (root / "docs" / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, f"document {name}: {exc}") from exc
    events = entry.get("events")
    if not isinstance(events, dict) or not events:
        raise DataFileError(path, f"document {name}: events must map labels to quotes")
    parsed = []
    for label, quote in events.items():
        if not isinstance(quote, str) or quote not in text:
            raise DataFileError(path, f"document {name}: quote {quote!r} is not in the text")
        parsed.append(GoldEvent(name, str(label), quote, types.get(str(label))))
    publisher = entry.get("publisher")
    if not isinstance(publisher, str) or not publisher:
        raise DataFileError(path, f"document {name}: publisher is required")
    copy_of = entry.get("copy_of")
    return GoldDocument(name, publisher, str(copy_of) if copy_of else None, tuple(parsed))


def evaluate_fusion(folder: str | Path, res: Resources | None = None) -> FusionScores:
    """Ingest the gold documents into a scratch store and score its fusion."""
    gold = load_gold(folder)
    res = res or Resources()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "fusion.db") as store:
        files = [gold.folder / "docs" / d.file for d in gold.documents]
        ingest(files, store, res)
        documents = list(store.documents())
        events = list(store.events())
        contradictions = list(store.contradictions())
        corroboration = {c.id: c.corroboration for c in store.clusters()}
    return score(gold, documents, events, contradictions, corroboration)


def score(
    gold: FusionGold,
    documents: list[Document],
    events: list[Event],
    contradictions: list[Contradiction],
    corroboration: dict[str, int],
) -> FusionScores:
    """Scores of a fused store's contents against the gold (pure; for tests)."""
    out = FusionScores()
    matched = match_events(gold, documents, events)
    gold_events = gold.events()
    out.gold_events = len(gold_events)
    out.matched_events = len(matched)
    out.unmatched = [g.ref for g in gold_events if g.ref not in matched]
    for x, y in combinations([g for g in gold_events if g.ref in matched], 2):
        same_gold = x.label == y.label
        a, b = matched[x.ref], matched[y.ref]
        same_system = a.cluster_id is not None and a.cluster_id == b.cluster_id
        out.pairs_gold_same += same_gold
        out.pairs_system_same += same_system
        out.pairs_both_same += same_gold and same_system
    score_contradictions(out, gold, matched, contradictions)
    score_corroboration(out, gold, matched, corroboration)
    return out


def match_events(
    gold: FusionGold, documents: list[Document], events: list[Event]
) -> dict[str, Event]:
    """Gold event ref -> the system event whose evidence overlaps its quote; when several
    do, one of the gold sub-type, else of the gold type, else the one that overlaps most."""
    by_file = {Path(d.origin).name: d for d in documents}
    by_doc: dict[str, list[Event]] = {}
    for event in events:
        by_doc.setdefault(event.doc_id, []).append(event)
    found: dict[str, Event] = {}
    for item in gold.events():
        doc = by_file.get(item.file)
        if doc is None:
            continue
        start = doc.text.find(item.quote)
        if start < 0:
            continue
        end = start + len(item.quote)
        best, best_key = None, (0, 0)
        for event in by_doc.get(doc.id, []):
            overlap = min(end, event.evidence.end) - max(start, event.evidence.start)
            rank = 2 if event.sub_type == item.type else int(event.type == item.type)
            key = (rank, overlap)
            if overlap > 0 and key > best_key and not event.from_comment:
                best, best_key = event, key
        if best is not None:
            found[item.ref] = best
    return found


def score_contradictions(
    out: FusionScores,
    gold: FusionGold,
    matched: dict[str, Event],
    contradictions: list[Contradiction],
) -> None:
    labels: dict[str, list[str]] = {}
    for item in gold.events():
        if not is_denial(item):
            labels.setdefault(item.label, []).append(item.ref)
    hits: set[int] = set()
    out.contradictions_gold = len(gold.contradictions)
    out.contradictions_system = len(contradictions)
    for expected in gold.contradictions:
        claims = labels.get(expected.claim, [expected.claim])
        claim_ids = {matched[r].id for r in claims if r in matched}
        against = matched.get(expected.against)
        hit = False
        for i, system in enumerate(contradictions):
            if against is None or contradiction_kind(system) != KIND_NAMES[expected.kind]:
                continue
            pair = {system.a, system.b}
            if against.id in pair and pair - {against.id} <= claim_ids and len(pair) == 2:
                hits.add(i)
                hit = True
        if hit:
            out.contradictions_found += 1
        else:
            out.missed_contradictions.append(f"{expected.kind}: {expected.claim} vs "
                                             f"{expected.against}")  # fmt: skip
    out.contradictions_correct = len(hits)


def score_corroboration(
    out: FusionScores, gold: FusionGold, matched: dict[str, Event], corroboration: dict[str, int]
) -> None:
    expected = gold.corroboration()
    members: dict[str, list[str]] = {}
    for item in gold.events():
        event = matched.get(item.ref)
        if event is not None and event.cluster_id and not is_denial(item):
            members.setdefault(item.label, []).append(event.cluster_id)
    for label, clusters in sorted(members.items()):
        cluster_id, _ = Counter(clusters).most_common(1)[0]
        got = corroboration.get(cluster_id, 0)
        out.corroboration_clusters += 1
        if got == expected[label]:
            out.corroboration_exact += 1
        else:
            out.wrong_corroboration.append(f"{label}: {got} (gold {expected[label]})")
