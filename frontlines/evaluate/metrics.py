"""Figures shared by the evaluations: a rounded ratio and the F1 of two ratios."""

from __future__ import annotations

from typing import TypeVar

Empty = TypeVar("Empty", float, None)


def ratio(part: int, whole: int, empty: Empty, digits: int = 4) -> float | Empty:
    """``part / whole`` rounded; ``empty`` when there is nothing to divide by (callers say
    whether an empty set scores 0, 1 or no figure at all)."""
    return round(part / whole, digits) if whole else empty


def f1(precision: float | None, recall: float | None, digits: int = 4) -> float | None:
    """Harmonic mean; no figure when either side has none, 0 when both are 0."""
    if precision is None or recall is None:
        return None
    total = precision + recall
    return round(2 * precision * recall / total, digits) if total else 0.0
