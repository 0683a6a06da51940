"""Shared fixtures: the packaged resources (loaded once) and the sample database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from frontlines.models import Document
from frontlines.paths import data_file
from frontlines.pipeline import IngestReport, Resources, ingest
from frontlines.store import Store

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def res() -> Resources:
    return Resources()


@pytest.fixture(scope="session")
def sample_ingest(
    res: Resources, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, IngestReport]]:
    db = tmp_path_factory.mktemp("sample") / "sample.db"
    with Store(db) as store:
        report = ingest([data_file("sample")], store, res)
        yield store, report


def parse(res: Resources, text: str, published: str | None = "2017-10-14") -> list:  # type: ignore[type-arg]
    """Run one plain-text article through segment → extract; returns its events."""
    from frontlines.pipeline import process

    return list(next(process([article(text, published)], res)).events)


def article(text: str, published: str | None = "2017-10-14") -> Document:
    """A one-paragraph article: the text as body, as when pasted from a wire story."""
    from frontlines.models import Segment, content_id

    return Document(
        content_id(text),
        "test.txt",
        "Test Wire",
        None,
        None,
        published,
        "day" if published else "unknown",
        "en",
        text,
        (Segment("body", 0, len(text)),),
    )
