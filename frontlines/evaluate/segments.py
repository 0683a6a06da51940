"""Segmentation measured on per-line gold (gold/segments): line accuracy, the error in
lines of the predicted comment start, boilerplate and comment precision and recall, the
F1 of the lines that open a comment and the share of visible comment authors found — on the
gold the model was trained on, and under k-fold cross-validation (trained without the
documents it is scored on), which is the honest figure."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from frontlines.metadata import flatten_html
from frontlines.segment import LineModel, comment_starts, page_labels
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
    comment_boundary_f1: float  # predicted vs gold lines that open a comment
    author_accuracy: float  # gold comments with a visible author: name found exactly
    html_documents: int
    html_line_accuracy: float  # the HTML pages alone (flattened lines, markup overrides)


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
    starts_right = starts_pred = starts_gold = authors_right = 0
    authors_gold = 0
    html_right = html_total = 0
    for doc, model in pairs:
        predicted, found = predict(doc, model)
        if doc.html is not None:
            pairs_html = [
                (p, g) for p, g, line in zip(predicted, doc.labels, doc.lines, strict=True)
                if line.strip()
            ]  # fmt: skip
            html_total += len(pairs_html)
            html_right += sum(p == g for p, g in pairs_html)
        starts_pred += len(found)
        starts_gold += len(doc.comment_starts)
        starts_right += len(set(found) & set(doc.comment_starts))
        authors_gold += len(doc.authors)
        authors_right += sum(1 for i, name in doc.authors if found.get(i) == name)
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
        comment_boundary_f1=ratio(2 * starts_right, starts_pred + starts_gold),
        author_accuracy=ratio(authors_right, authors_gold),
        html_documents=sum(1 for d in docs if d.html is not None),
        html_line_accuracy=ratio(html_right, html_total),
    )


def predict(doc: GoldDoc, model: LineModel) -> tuple[list[str], dict[int, str | None]]:
    """Predicted line labels and comment starts (with authors), as the segment stage
    makes them for this kind of input."""
    if doc.html is not None:
        return page_labels(flatten_html(doc.html), model)
    labels = model.decode(doc.lines)
    return labels, dict(comment_starts(doc.lines, labels))


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
