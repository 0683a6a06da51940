"""Learning the segment stage's line model from labelled gold.

A linear-chain CRF over the non-blank lines of each document: per-label weights on the
line features (own line, the lines before and after, document context) and label-to-label
transition scores are fitted together by maximum likelihood (numpy,
forward-backward, L2-regularized, full-batch Adam from zero). Fitting them jointly keeps
the line scores and the "comments rarely give way to the article" transition costs on
one scale. Deterministic: the same gold gives the same model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from frontlines.errors import DataFileError
from frontlines.metadata import flatten_html
from frontlines.segment import FEATURES, LABELS, LineModel, line_features, units


@dataclass(frozen=True)
class GoldDoc:
    name: str
    lines: tuple[str, ...]
    labels: tuple[str, ...]  # B, C, X per line
    comment_starts: tuple[int, ...]
    authors: tuple[tuple[int, str], ...]
    html: str | None = None  # the page, for HTML gold (the lines are its flattened text)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_segment_gold(folder: str | Path) -> list[GoldDoc]:
    """Plain-text gold (``NAME.txt``) and HTML gold (``NAME.html`` with ``NAME.labels``,
    one label per line of the page as ``flatten_html`` renders it), ordered by name."""
    paths = sorted([*Path(folder).glob("*.txt"), *Path(folder).glob("*.labels")])
    docs = [parse_gold(path) if path.suffix == ".txt" else parse_html_gold(path) for path in paths]
    if not docs:
        raise DataFileError(str(folder), "no *.txt or *.labels gold files")
    return docs


def parse_html_gold(path: Path) -> GoldDoc:
    page = path.with_suffix(".html")
    try:
        html = page.read_text(encoding="utf-8")
    except OSError as exc:
        message = f"cannot read the page labelled by {path.name}: {exc}"
        raise DataFileError(str(page), message) from exc
    gold = parse_gold(path)
    flat = flatten_html(html)
    if flat.lines != gold.lines:
        where = next(
            (i for i, (a, b) in enumerate(zip(flat.lines, gold.lines, strict=False)) if a != b),
            min(len(flat.lines), len(gold.lines)),
        )
        raise DataFileError(
            str(path), f"line {where + 1} is not the page's flattened line {where + 1}: "
            "the labels must follow flatten_html's lines (relabel if flattening changed)"
        )  # fmt: skip
    return replace(gold, html=html)


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
    docs: list[GoldDoc], output: str | Path, l2: float = 1.0, steps: int = 400
) -> dict[str, float]:
    """Fit the CRF on the gold documents and write the model as JSON."""
    batch = Batch.build(docs)
    params = fit_crf(batch, l2, steps)
    weights, trans, start, end = params.unpack(batch.dim)
    model = {
        "features": list(FEATURES),
        "weights": {
            lab: [round(float(w), 5) for w in weights[:, i]] for i, lab in enumerate(LABELS)
        },
        "transitions": {
            a: {b: round(float(trans[i, j]), 5) for j, b in enumerate(LABELS)}
            for i, a in enumerate(LABELS)
        },
        "start": {a: round(float(start[i]), 5) for i, a in enumerate(LABELS)},
        "end": {a: round(float(end[i]), 5) for i, a in enumerate(LABELS)},
    }
    Path(output).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    decoder = LineModel.load(output)
    right = total = 0
    for doc in docs:
        for got, want, line in zip(decoder.decode(doc.lines), doc.labels, doc.lines, strict=True):
            if line.strip():
                total += 1
                right += got == want
    return {"documents": len(docs), "lines": total, "accuracy": right / max(total, 1)}


@dataclass(frozen=True)
class Batch:
    """Gold documents as padded arrays over their non-blank lines."""

    x: np.ndarray  # [docs, units, features]
    y: np.ndarray  # [docs, units] label indices
    mask: np.ndarray  # [docs, units] True where a unit exists
    lengths: np.ndarray  # [docs]

    @property
    def dim(self) -> int:
        return int(self.x.shape[2])

    @classmethod
    def build(cls, docs: list[GoldDoc]) -> Batch:
        feats = [line_features(d.lines) for d in docs]
        labels = [[d.labels[i] for i in units(d.lines)] for d in docs]
        width = max(max((len(f) for f in feats), default=1), 1)
        x = np.zeros((len(docs), width, len(FEATURES)))
        y = np.zeros((len(docs), width), dtype=int)
        mask = np.zeros((len(docs), width), dtype=bool)
        for d, (vecs, labs) in enumerate(zip(feats, labels, strict=True)):
            if vecs:
                x[d, : len(vecs)] = np.array(vecs)
            y[d, : len(labs)] = [LABELS.index(lab) for lab in labs]
            mask[d, : len(labs)] = True
        return cls(x, y, mask, mask.sum(axis=1))


@dataclass(frozen=True)
class Params:
    flat: np.ndarray

    def unpack(self, dim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        k = len(LABELS)
        w = self.flat[: dim * k].reshape(dim, k)
        rest = self.flat[dim * k :]
        return w, rest[: k * k].reshape(k, k), rest[k * k : k * k + k], rest[k * k + k :]


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    top = a.max(axis=axis, keepdims=True)
    total: np.ndarray = np.squeeze(top, axis=axis) + np.log(np.exp(a - top).sum(axis=axis))
    return total


def crf_loss(flat: np.ndarray, batch: Batch, l2: float) -> tuple[float, np.ndarray]:
    """Negative log-likelihood of the gold label sequences plus an L2 penalty on the
    feature weights, and its gradient (forward-backward, batched over documents)."""
    w, trans, start, end = Params(flat).unpack(batch.dim)
    ndoc, width, _ = batch.x.shape
    k = len(LABELS)
    em = np.einsum("dlf,fk->dlk", batch.x, w)
    mask = batch.mask
    alpha = np.zeros((ndoc, width, k))
    alpha[:, 0] = start + em[:, 0]
    for t in range(1, width):
        step = _logsumexp(alpha[:, t - 1, :, None] + trans[None], axis=1) + em[:, t]
        alpha[:, t] = np.where(mask[:, t, None], step, alpha[:, t - 1])
    beta = np.zeros((ndoc, width, k))
    beta[:, width - 1] = end
    for t in range(width - 2, -1, -1):
        step = _logsumexp(trans[None] + (em[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
        beta[:, t] = np.where(mask[:, t + 1, None], step, end)
    last = batch.lengths - 1
    rows = np.arange(ndoc)
    log_z = _logsumexp(alpha[rows, last] + end, axis=1)
    onehot = np.eye(k)[batch.y] * mask[..., None]
    gold = (em * onehot).sum()
    pairs = np.einsum("dta,dtb->ab", onehot[:, :-1], onehot[:, 1:])
    gold += (pairs * trans).sum() + (onehot[:, 0] @ start).sum()
    gold += (onehot[rows, last] @ end).sum()
    marg = np.exp(alpha + beta - log_z[:, None, None]) * mask[..., None]
    pair_marg = np.exp(
        alpha[:, :-1, :, None] + trans[None, None] + (em[:, 1:] + beta[:, 1:])[:, :, None, :]
        - log_z[:, None, None, None]
    ) * mask[:, 1:, None, None]  # fmt: skip
    g_w = np.einsum("dlf,dlk->fk", batch.x, marg - onehot) + l2 * w
    g_trans = pair_marg.sum(axis=(0, 1)) - pairs
    g_start = marg[:, 0].sum(axis=0) - onehot[:, 0].sum(axis=0)
    g_end = marg[rows, last].sum(axis=0) - onehot[rows, last].sum(axis=0)
    loss = float(log_z.sum() - gold + 0.5 * l2 * (w * w).sum())
    return loss, np.concatenate([g_w.ravel(), g_trans.ravel(), g_start, g_end])


def fit_crf(batch: Batch, l2: float, steps: int) -> Params:
    """Adam on the full batch from zero weights: deterministic."""
    k = len(LABELS)
    size = batch.dim * k + k * k + 2 * k
    flat = np.zeros(size)
    m = np.zeros(size)
    v = np.zeros(size)
    rate, b1, b2 = 0.05, 0.9, 0.999
    edges = slice(batch.dim * k + k * k, size)
    for step in range(1, steps + 1):
        _, grad = crf_loss(flat, batch, l2)
        # No free start and end scores: almost every gold page ends in a footer, and an
        # unpenalised end score learnt that so well that a comment thread closing a
        # page was called clutter; the regularised first/last-line features carry what
        # the position says (cross-validated line accuracy 0.976 -> 0.979).
        grad[edges] = 0.0
        grad /= max(int(batch.mask.sum()), 1) / 100.0
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        flat = flat - rate * (m / (1 - b1**step)) / (np.sqrt(v / (1 - b2**step)) + 1e-8)
    return Params(flat)
