"""Learning the segment stage's line model from labelled gold.

A softmax regression over the line features (numpy, L2-regularized, full-batch
gradient descent) gives per-line label scores; label-to-label transition and start
log-probabilities are counted from the gold with add-one smoothing. Deterministic:
the same gold gives the same model.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from frontlines.errors import DataFileError
from frontlines.segment import FEATURES, LABELS, line_features


@dataclass(frozen=True)
class GoldDoc:
    name: str
    lines: tuple[str, ...]
    labels: tuple[str, ...]  # B, C, X per line
    comment_starts: tuple[int, ...]
    authors: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_segment_gold(folder: str | Path) -> list[GoldDoc]:
    docs = []
    for path in sorted(Path(folder).glob("*.txt")):
        docs.append(parse_gold(path))
    if not docs:
        raise DataFileError(str(folder), "no *.txt gold files")
    return docs


def parse_gold(path: Path) -> GoldDoc:
    lines, labels, starts, authors = [], [], [], []
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    for number, raw in enumerate(raw_lines):
        label, sep, text = raw.partition("\t")
        if not sep or not (label in ("B", "C", "X") or label.startswith("C+")):
            raise DataFileError(str(path), f"line {number + 1}: expected LABEL<TAB>text")
        if label.startswith("C+"):
            starts.append(number)
            if label.startswith("C+@"):
                authors.append((number, label[3:]))
            label = "C"
        lines.append(text)
        labels.append(label)
    return GoldDoc(path.name, tuple(lines), tuple(labels), tuple(starts), tuple(authors))


def train_line_model(
    docs: list[GoldDoc], output: str | Path, l2: float = 1e-3, steps: int = 3000
) -> dict[str, float]:
    feats = [line_features(d.lines) for d in docs]
    x = np.array([v for doc in feats for v in doc], dtype=float)
    y = np.array([LABELS.index(lab) for d in docs for lab in d.labels])
    weights = fit_softmax(x, y, l2, steps)
    transitions, start = count_transitions(docs)
    model = {
        "features": list(FEATURES),
        "weights": {
            lab: [round(float(w), 5) for w in weights[:, i]] for i, lab in enumerate(LABELS)
        },
        "transitions": transitions,
        "start": start,
    }
    Path(output).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    predicted = np.argmax(x @ weights, axis=1)
    return {"documents": len(docs), "lines": len(y), "accuracy": float(np.mean(predicted == y))}


def fit_softmax(x: np.ndarray, y: np.ndarray, l2: float, steps: int) -> np.ndarray:
    n, d = x.shape
    k = len(LABELS)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    # class-balanced weights so the rare comment and clutter lines are not drowned out
    counts = np.bincount(y, minlength=k).astype(float)
    sample_w = (n / (k * np.maximum(counts, 1.0)))[y][:, None]
    w = np.zeros((d, k))
    rate = 0.5
    for _ in range(steps):
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        grad = x.T @ ((prob - onehot) * sample_w) / n + l2 * w
        w -= rate * grad
    return w


def count_transitions(docs: list[GoldDoc]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    trans = {a: {b: 1.0 for b in LABELS} for a in LABELS}
    start = {a: 1.0 for a in LABELS}
    for doc in docs:
        if doc.labels:
            start[doc.labels[0]] += 1
        for a, b in zip(doc.labels, doc.labels[1:], strict=False):
            trans[a][b] += 1
    log_trans = {
        a: {b: round(math.log(c / sum(row.values())), 5) for b, c in row.items()}
        for a, row in trans.items()
    }
    total = sum(start.values())
    return log_trans, {a: round(math.log(c / total), 5) for a, c in start.items()}
