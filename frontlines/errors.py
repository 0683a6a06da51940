"""The one exception hierarchy of frontlines.

Every error says what went wrong and, where it can, what to do about it. A
``DocumentError`` concerns one input and never stops a batch: the pipeline records
it as a rejection (``frontlines export rejects``).
"""

from __future__ import annotations


class FrontlinesError(Exception):
    """Base class of every error frontlines raises on purpose."""


class DataFileError(FrontlinesError):
    """A data file (actor registry, gazetteer, lexicon) does not match its schema."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem} (see docs/data-formats.md)")
        self.path = path
        self.problem = problem


class StoreError(FrontlinesError):
    """The database cannot be opened, or was written by a newer frontlines."""


class DocumentError(FrontlinesError):
    """One input document could not be read or processed."""

    def __init__(self, origin: str, stage: str, reason: str) -> None:
        super().__init__(f"{origin}: {stage}: {reason}")
        self.origin = origin
        self.stage = stage
        self.reason = reason


class UsageError(FrontlinesError):
    """The caller asked for something that cannot be done as asked."""
