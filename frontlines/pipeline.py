"""The flow of a document: read → segment → annotate → link → extract → store, then fuse.

Per-document stages are pure and batch-friendly; only ``store`` and ``fuse`` touch the
database. A document that fails at any stage is recorded as rejected with the stage
and the reason, and the batch goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any

from frontlines.annotate import annotate, load_nlp
from frontlines.extract import Lexicon, extract
from frontlines.fuse import Fusion, fuse
from frontlines.gazetteer import Gazetteer
from frontlines.link import Linker
from frontlines.models import Document, Event, Mention, Rejected
from frontlines.read import RawInput, read_paths
from frontlines.registry import Registry
from frontlines.segment import to_document
from frontlines.store import Store

BATCH = 32


@dataclass
class Resources:
    """Registry, gazetteer, lexicon and spaCy model, each loaded on first use."""

    registry_path: str | None = None
    places_path: str | None = None

    @cached_property
    def registry(self) -> Registry:
        return Registry.load(self.registry_path)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return Gazetteer.load(self.places_path)

    @cached_property
    def linker(self) -> Linker:
        return Linker(self.registry, self.gazetteer)

    @cached_property
    def lexicon(self) -> Lexicon:
        return Lexicon.load()

    @cached_property
    def nlp(self) -> Any:
        return load_nlp()


@dataclass(frozen=True)
class Processed:
    document: Document
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]


@dataclass
class IngestReport:
    stored: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    events: int = 0


def process(documents: list[Document], res: Resources) -> Iterator[Processed]:
    """annotate → link → extract for a batch of segmented documents."""
    annotated = annotate(documents, res.nlp)
    linked = res.linker.link(annotated)
    for item, events in extract(linked, res.registry, res.gazetteer, res.lexicon):
        yield Processed(item.annotated.document, item.mentions, events)


def process_safely(documents: list[Document], res: Resources) -> Iterator[Processed | Rejected]:
    """Process a batch; if it fails, process its documents one by one to find the bad one."""
    try:
        yield from list(process(documents, res))
        return
    except Exception:  # noqa: BLE001 - isolate the failing document below
        if len(documents) == 1:
            raise
    for document in documents:
        try:
            yield from list(process([document], res))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
            yield Rejected(document.origin, "extract", f"{type(exc).__name__}: {exc}")


def segment_all(
    raws: Iterable[RawInput | Rejected], source: str | None, published: str | None
) -> Iterator[Document | Rejected]:
    for raw in raws:
        if isinstance(raw, Rejected):
            yield raw
            continue
        try:
            document = to_document(raw, source=source, published=published)
        except Exception as exc:  # noqa: BLE001 - recorded, the batch goes on
            yield Rejected(raw.origin, "segment", f"{type(exc).__name__}: {exc}")
            continue
        if not document.text.strip():
            yield Rejected(raw.origin, "segment", "no readable text in the document")
            continue
        yield document


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    res: Resources,
    source: str | None = None,
    published: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Read, process and store every document under ``paths``; then fuse."""
    report = IngestReport()
    stream = segment_all(read_paths(paths), source, published)
    while True:
        batch = list(islice(stream, BATCH))
        if not batch:
            break
        fresh: list[Document] = []
        for item in batch:
            if isinstance(item, Rejected):
                report.rejected.append(item)
                store.save_rejected(item)
            elif store.has_document(item.id) or any(d.id == item.id for d in fresh):
                report.unchanged += 1
            else:
                fresh.append(item)
        for result in process_safely(fresh, res) if fresh else ():
            if isinstance(result, Rejected):
                report.rejected.append(result)
                store.save_rejected(result)
            elif store.save_document(result.document, result.mentions, result.events):
                report.stored += 1
                report.events += len(result.events)
        if progress:
            progress(len(batch))
    if report.stored:
        refuse(store, res)
    return report


def refuse(store: Store, res: Resources) -> Fusion:
    """Recompute clusters, contradictions and control over everything stored."""
    fusion = fuse(list(store.events()), list(store.documents()), res.registry)
    store.replace_fusion(fusion.clusters, fusion.contradictions, fusion.control)
    return fusion
