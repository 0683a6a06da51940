"""re3d (Dstl's Relationship and Entity Extraction Evaluation Dataset) as gold for the
annotate and link stages, and for actor pairs in extracted events.

re3d's Organisation spans are scored against frontlines' actor mentions and its Location
spans against place mentions: precision, recall and F1 with overlapping spans and with
exact spans, and the share of gold spans that are both found and resolved (the mention
names a registry actor or a gazetteer place). The spaCy model frontlines starts from is
scored side by side on the same parse (ORG/NORP → Organisation, GPE/LOC/FAC → Location).

Relations: a FightingAgainst pair is recovered when an extracted event of the document
has the two ends as actor1 and actor2 (a force counts for the government it belongs to);
an AlliesOf pair when the registry says the two ends are one force or allied or backing
each other. re3d documents carry no date, so alliances count at any date.

Corpus format: one folder per sub-corpus with ``documents.json``, ``entities.json`` and
``relations.json`` in JSON Lines (../shared/data/README.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontlines.annotate import Annotated, annotate
from frontlines.errors import FrontlinesError
from frontlines.evaluate import metrics
from frontlines.extract import extract
from frontlines.models import Document, Event, Mention, Segment, content_id
from frontlines.pipeline import Resources
from frontlines.registry import Registry

TYPES = ("Organisation", "Location")
MENTION_TYPE = {"actor": "Organisation", "place": "Location"}
BASELINE_TYPE = {
    "ORG": "Organisation",
    "NORP": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
}
FILES = ("documents.json", "entities.json", "relations.json")


class Re3dError(FrontlinesError):
    """A folder that is not an re3d sub-corpus, or a malformed line in one."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    ref: str | None = None

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Relation:
    type: str
    source: Span
    target: Span
    source_text: str
    target_text: str


@dataclass(frozen=True)
class GoldDoc:
    id: str
    corpus: str
    title: str
    text: str
    entities: tuple[Span, ...]
    relations: tuple[Relation, ...]


@dataclass
class Counts:
    """Counts for one entity type; figures are derived from them."""

    gold: int = 0
    predicted: int = 0
    predicted_overlap: int = 0
    gold_overlap: int = 0
    predicted_exact: int = 0
    gold_exact: int = 0
    gold_resolved: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float | int]:
        p, r = ratio(self.predicted_overlap, self.predicted), ratio(self.gold_overlap, self.gold)
        pe, re_ = ratio(self.predicted_exact, self.predicted), ratio(self.gold_exact, self.gold)
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": p,
            "recall": r,
            "f1": f1(p, r),
            "exact_precision": pe,
            "exact_recall": re_,
            "exact_f1": f1(pe, re_),
            "resolved": ratio(self.gold_resolved, self.gold),
            "resolved_of_found": ratio(self.gold_resolved, self.gold_overlap),
        }


@dataclass
class RelationCounts:
    gold: int = 0
    linked: int = 0
    recovered: int = 0

    def add(self, other: RelationCounts) -> None:
        self.gold += other.gold
        self.linked += other.linked
        self.recovered += other.recovered

    def figures(self) -> dict[str, float | int]:
        return {
            "gold": self.gold,
            "both_ends_linked": self.linked,
            "recovered": self.recovered,
            "recall": ratio(self.recovered, self.gold),
            "recall_of_linked": ratio(self.recovered, self.linked),
        }


@dataclass
class Scores:
    """frontlines and the spaCy baseline on one set of documents."""

    documents: int = 0
    frontlines: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    baseline: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    fighting: RelationCounts = field(default_factory=RelationCounts)
    allies: RelationCounts = field(default_factory=RelationCounts)

    def add(self, other: Scores) -> None:
        self.documents += other.documents
        for t in TYPES:
            self.frontlines[t].add(other.frontlines[t])
            self.baseline[t].add(other.baseline[t])
        self.fighting.add(other.fighting)
        self.allies.add(other.allies)

    def figures(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "frontlines": {t: c.figures() for t, c in self.frontlines.items()},
            "spacy_baseline": {t: c.figures() for t, c in self.baseline.items()},
            "relations": {
                "FightingAgainst": self.fighting.figures(),
                "AlliesOf": {**self.allies.figures(), "alliances_valid_at": "any date"},
            },
        }


def ratio(a: int, b: int) -> float:
    return metrics.ratio(a, b, empty=0.0)


def f1(p: float, r: float) -> float:
    return metrics.f1(p, r) or 0.0


# loading ------------------------------------------------------------------------------


def read_lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise Re3dError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise Re3dError(f"{path}:{number}: not a JSON object ({exc})") from exc
        if not isinstance(row, dict):
            raise Re3dError(f"{path}:{number}: not a JSON object")
        yield row


def load_corpus(folder: str | Path) -> list[GoldDoc]:
    """The documents of one re3d sub-corpus with their entity and relation gold."""
    path = Path(folder)
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        raise Re3dError(f"{path} is not an re3d sub-corpus: {', '.join(missing)} missing")
    entities: dict[str, set[Span]] = {}
    relations: dict[str, dict[tuple[Any, ...], Relation]] = {}
    try:
        for row in read_lines(path / "entities.json"):
            if row["type"] in TYPES:
                span = Span(int(row["begin"]), int(row["end"]), str(row["type"]))
                entities.setdefault(str(row["documentId"]), set()).add(span)
        for row in read_lines(path / "relations.json"):
            rel = Relation(
                str(row["type"]),
                Span(int(row["sourceBegin"]), int(row["sourceEnd"]), "source"),
                Span(int(row["targetBegin"]), int(row["targetEnd"]), "target"),
                str(row["source"]),
                str(row["target"]),
            )
            ident = (rel.type, rel.source, rel.target)
            relations.setdefault(str(row["documentId"]), {})[ident] = rel
        docs = [
            GoldDoc(
                id=str(row["_id"]),
                corpus=path.name,
                title=str(row.get("title") or ""),
                text=str(row["text"]),
                entities=tuple(sorted(entities.get(str(row["_id"]), ()), key=span_order)),
                relations=tuple(relations.get(str(row["_id"]), {}).values()),
            )
            for row in read_lines(path / "documents.json")
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise Re3dError(f"{path}: a line lacks a field or has a bad value ({exc!r})") from exc
    return docs


def span_order(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.type


def as_document(gold: GoldDoc) -> Document:
    """The whole text as one body segment, undated (re3d gives no publication date)."""
    return Document(
        id=content_id(gold.text),
        origin=f"re3d:{gold.corpus}/{gold.id}",
        source=gold.corpus,
        url=None,
        title=gold.title or None,
        published=None,
        published_precision="unknown",
        language="en",
        text=gold.text,
        segments=(Segment("body", 0, len(gold.text)),),
    )


# scoring ------------------------------------------------------------------------------


def predicted_spans(mentions: Iterable[Mention]) -> list[Span]:
    """Actor and place mentions as re3d types; a nationality word (label ``demonym``) is
    re3d's Nationality, which is not scored."""
    return [
        Span(
            m.start, m.end, "Nationality" if m.label == "demonym" else MENTION_TYPE[m.kind], m.ref
        )  # fmt: skip
        for m in mentions
        if m.kind in MENTION_TYPE and m.segment == "body"
    ]


def baseline_spans(annotated: Annotated) -> list[Span]:
    """spaCy's own entities, typed as re3d types; everything counts as resolved: none."""
    out = []
    for part in annotated.parts:
        for ent in part.doc.ents:
            if ent.label_ in BASELINE_TYPE:
                start = part.offset + ent.start_char
                out.append(Span(start, part.offset + ent.end_char, BASELINE_TYPE[ent.label_]))
    return out


def count_spans(gold: Sequence[Span], predicted: Sequence[Span], kind: str) -> Counts:
    gold_t = [g for g in gold if g.type == kind]
    pred_t = [p for p in predicted if p.type == kind]
    exact = {(g.start, g.end) for g in gold_t}
    pred_exact = {(p.start, p.end) for p in pred_t}
    return Counts(
        gold=len(gold_t),
        predicted=len(pred_t),
        predicted_overlap=sum(1 for p in pred_t if any(p.overlaps(g) for g in gold_t)),
        gold_overlap=sum(1 for g in gold_t if any(g.overlaps(p) for p in pred_t)),
        predicted_exact=sum(1 for p in pred_t if (p.start, p.end) in exact),
        gold_exact=sum(1 for g in gold_t if (g.start, g.end) in pred_exact),
        gold_resolved=sum(1 for g in gold_t if any(g.overlaps(p) and p.ref for p in pred_t)),
    )


def actors_at(span: Span, mentions: Sequence[Mention]) -> set[str]:
    return {
        m.ref
        for m in mentions
        if m.kind == "actor" and m.ref and m.start < span.end and span.start < m.end
    }


def same_force(registry: Registry, a: str, b: str) -> bool:
    """One actor, one within the other, or a state's government and its forces."""
    if a == b or a in registry.lineage(b) or b in registry.lineage(a):
        return True
    actor_a, actor_b = registry.get(a), registry.get(b)
    return bool(
        actor_a
        and actor_b
        and actor_a.country
        and actor_a.country == actor_b.country
        and {actor_a.kind, actor_b.kind} <= {"government", "state_force"}
    )


def count_recovered(
    rels: Iterable[Relation],
    mentions: Sequence[Mention],
    recovered: Callable[[set[str], set[str]], bool],
) -> RelationCounts:
    """Count gold relations, those whose two ends are linked to actors, and those that
    ``recovered(source_actors, target_actors)`` says frontlines also found."""
    counts = RelationCounts()
    for rel in rels:
        counts.gold += 1
        sources, targets = actors_at(rel.source, mentions), actors_at(rel.target, mentions)
        if not sources or not targets:
            continue
        counts.linked += 1
        counts.recovered += recovered(sources, targets)
    return counts


def count_fighting(
    registry: Registry,
    rels: Iterable[Relation],
    mentions: Sequence[Mention],
    events: Sequence[Event],
) -> RelationCounts:
    """FightingAgainst: an extracted event has the two ends as actor1 and actor2."""

    def fought(sources: set[str], targets: set[str]) -> bool:
        return any(
            e.actor1
            and e.actor2
            and any(same_force(registry, e.actor1, s) for s in sources)
            and any(same_force(registry, e.actor2, t) for t in targets)
            for e in events
        )

    return count_recovered(rels, mentions, fought)


def count_allies(
    registry: Registry, rels: Iterable[Relation], mentions: Sequence[Mention]
) -> RelationCounts:
    """AlliesOf: the registry relates the two ends (same force, ally or backer, any date)."""

    def allied(sources: set[str], targets: set[str]) -> bool:
        return any(
            same_force(registry, s, t) or registry.related(s, t, None)
            for s in sources
            for t in targets
        )

    return count_recovered(rels, mentions, allied)


def score_document(
    gold: GoldDoc,
    annotated: Annotated,
    mentions: Sequence[Mention],
    events: Sequence[Event],
    registry: Registry,
) -> Scores:
    scores = Scores(documents=1)
    ours, theirs = predicted_spans(mentions), baseline_spans(annotated)
    for kind in TYPES:
        scores.frontlines[kind] = count_spans(gold.entities, ours, kind)
        scores.baseline[kind] = count_spans(gold.entities, theirs, kind)
    by_type: dict[str, list[Relation]] = {}
    for rel in gold.relations:
        by_type.setdefault(rel.type, []).append(rel)
    scores.fighting = count_fighting(registry, by_type.get("FightingAgainst", []), mentions, events)
    scores.allies = count_allies(registry, by_type.get("AlliesOf", []), mentions)
    return scores


@dataclass(frozen=True)
class DocResult:
    gold: GoldDoc
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    scores: Scores


def run(docs: Sequence[GoldDoc], res: Resources) -> Iterator[DocResult]:
    """annotate → link → extract over gold documents, scored one by one."""
    annotated = annotate([as_document(d) for d in docs], res.nlp)
    linked = res.linker.link(annotated)
    results = extract(linked, res.registry, res.gazetteer, res.lexicon)
    for gold, (item, events) in zip(docs, results, strict=True):
        scores = score_document(gold, item.annotated, item.mentions, events, res.registry)
        yield DocResult(gold, item.mentions, events, scores)


def evaluate(folders: Sequence[str | Path], res: Resources | None = None) -> dict[str, Any]:
    """Figures per sub-corpus and over all of them ("all")."""
    res = res or Resources()
    corpora = {str(Path(f).name): load_corpus(f) for f in folders}
    total = Scores()
    per: dict[str, Any] = {}
    for name, docs in corpora.items():
        scores = Scores()
        for result in run(docs, res):
            scores.add(result.scores)
        total.add(scores)
        per[name] = scores.figures()
    return {"corpora": per, "all": total.figures()}


def report_lines(figures: dict[str, Any]) -> Iterator[str]:
    """A plain-text table: one block per corpus, frontlines and baseline side by side."""
    blocks = [*figures["corpora"].items()]
    if len(blocks) > 1:
        blocks.append(("all", figures["all"]))
    for name, fig in blocks:
        yield f"{name} ({fig['documents']} documents)"
        yield (
            f"  {'':13s} {'':10s} {'gold':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}"
            f" {'exP':>6s} {'exR':>6s} {'exF1':>6s} {'resolved':>8s}"
        )
        for kind in TYPES:
            for who in ("frontlines", "spacy_baseline"):
                c = fig[who][kind]
                resolved = f"{c['resolved']:8.3f}" if who == "frontlines" else f"{'-':>8s}"
                yield (
                    f"  {kind:13s} {who.replace('_baseline', ''):10s} {c['gold']:5d}"
                    f" {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f}"
                    f" {c['exact_precision']:6.3f} {c['exact_recall']:6.3f}"
                    f" {c['exact_f1']:6.3f} {resolved}"
                )
        for rel, c in fig["relations"].items():
            yield (
                f"  {rel}: {c['recovered']}/{c['gold']} recovered"
                f" ({c['both_ends_linked']} with both ends linked to actors)"
            )
