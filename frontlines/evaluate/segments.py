"""Segmentation measured on per-line gold (gold/segments): line accuracy, the error in
lines of the predicted comment start, and boilerplate precision and recall — on the
gold the model was trained on, and under k-fold cross-validation (trained without the
documents it is scored on), which is the honest figure."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from frontlines.segment import LineModel
from frontlines.train import GoldDoc, read_segment_gold, train_line_model


@dataclass(frozen=True)
class SegmentScores:
    documents: int
    lines: int
    line_accuracy: float
    comment_start_error: float  # mean |predicted - gold| first comment line, threads only
    comment_start_exact: float
    boilerplate_precision: float
    boilerplate_recall: float
    comment_precision: float
    comment_recall: float


def first_comment(labels: list[str] | tuple[str, ...]) -> int | None:
    return next((i for i, lab in enumerate(labels) if lab == "C"), None)


def score(docs: list[GoldDoc], model: LineModel) -> SegmentScores:
    return score_pairs([(d, model) for d in docs])


def score_pairs(pairs: list[tuple[GoldDoc, LineModel]]) -> SegmentScores:
    """Scores over documents, each decoded by its own model (for cross-validation)."""
    docs = [d for d, _ in pairs]
    right = total = 0
    errors: list[int] = []
    tp = {"X": 0, "C": 0}
    pred_n = {"X": 0, "C": 0}
    gold_n = {"X": 0, "C": 0}
    for doc, model in pairs:
        predicted = model.decode(doc.lines)
        for p, g, line in zip(predicted, doc.labels, doc.lines, strict=True):
            if not line.strip():
                continue
            total += 1
            right += p == g
            for lab in ("X", "C"):
                pred_n[lab] += p == lab
                gold_n[lab] += g == lab
                tp[lab] += p == g == lab
        gold_start = first_comment(doc.labels)
        if gold_start is not None:
            guess = first_comment(predicted)
            errors.append(abs((guess if guess is not None else len(doc.lines)) - gold_start))

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 1.0

    return SegmentScores(
        documents=len(docs),
        lines=total,
        line_accuracy=ratio(right, total),
        comment_start_error=round(sum(errors) / len(errors), 2) if errors else 0.0,
        comment_start_exact=ratio(sum(1 for e in errors if e == 0), len(errors)),
        boilerplate_precision=ratio(tp["X"], pred_n["X"]),
        boilerplate_recall=ratio(tp["X"], gold_n["X"]),
        comment_precision=ratio(tp["C"], pred_n["C"]),
        comment_recall=ratio(tp["C"], gold_n["C"]),
    )


def evaluate(gold: str | Path, model_path: str | Path | None = None) -> SegmentScores:
    return score(read_segment_gold(gold), LineModel.load(model_path))


def cross_validate(gold: str | Path, folds: int = 4) -> SegmentScores:
    """Train on k-1 folds, score the held-out fold; pooled over all folds."""
    docs = read_segment_gold(gold)
    results: list[tuple[GoldDoc, LineModel]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            train = [d for i, d in enumerate(docs) if i % folds != k]
            path = Path(tmp) / f"fold{k}.json"
            train_line_model(train, path)
            model = LineModel.load(path)
            results.extend((d, model) for i, d in enumerate(docs) if i % folds == k)
    return score_pairs(results)
