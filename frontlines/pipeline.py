"""The flow of a document: read → segment → annotate → link → extract → store, then fuse.

Per-document stages are pure and batch-friendly; only ``store`` and ``fuse`` touch the
database. A document that fails at any stage is recorded as rejected with the stage
and the reason, and the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from multiprocessing.context import BaseContext
from typing import Any

from frontlines.annotate import annotate, load_nlp
from frontlines.dedup import DuplicateIndex, mark_duplicates
from frontlines.extract import extract
from frontlines.fuse import Fusion, fuse
from frontlines.gazetteer import Gazetteer
from frontlines.lexicon import Lexicon
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
    resumed: int = 0  # inputs skipped because an earlier run stored or rejected them


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
    except Exception as exc:  # noqa: BLE001 - isolate the failing document below
        if len(documents) == 1:
            yield Rejected(documents[0].origin, "extract", f"{type(exc).__name__}: {exc}")
            return
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
    *,
    resume: bool = False,
    workers: int = 1,
    fuse_after: bool = True,
) -> IngestReport:
    """Read, process and store every document under ``paths``; then fuse."""
    return ingest_raw(
        read_paths(paths), store, res, source, published, progress,
        resume=resume, workers=workers, fuse_after=fuse_after,
    )  # fmt: skip


def ingest_raw(
    raws: Iterable[RawInput | Rejected],
    store: Store,
    res: Resources,
    source: str | None = None,
    published: str | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    resume: bool = False,
    workers: int = 1,
    fuse_after: bool = True,
    pool: ProcessPoolExecutor | None = None,
) -> IngestReport:
    """Process and store a stream of read documents, a batch at a time, so memory does not
    grow with the corpus; then fuse.

    Every document is committed on its own, so an ingest stopped half-way keeps what it
    stored; with ``resume`` the next run skips the origins already stored or rejected.
    With ``workers`` > 1 annotate → link → extract runs in that many processes while this
    one reads, segments and stores; results are stored in input order either way. A
    ``pool`` from ``worker_pool`` (``workers`` processes) is used instead of starting one,
    so ingests one after the other keep their warm workers.
    """
    report = IngestReport()
    if resume:
        raws = skip_processed(raws, store, report)
    duplicates = DuplicateIndex.from_store(store)
    stream = mark_duplicates(segment_all(raws, source, published), duplicates)
    # with workers, smaller batches keep every worker busy on a small corpus too
    size = BATCH if workers <= 1 else max(4, BATCH // (4 * workers))
    batches = fresh_batches(stream, store, report, size)
    for consumed, results in processed_batches(batches, res, workers, pool):
        for result in results:
            if isinstance(result, Rejected):
                report.rejected.append(result)
                store.save_rejected(result)
            elif store.save_document(result.document, result.mentions, result.events):
                duplicates.keep(result.document.id)
                report.stored += 1
                report.events += len(result.events)
            else:  # the same content came twice within the batches in flight
                report.unchanged += 1
        if progress:
            progress(consumed)
    if report.stored and fuse_after:
        refuse(store, res)
    return report


def skip_processed(
    raws: Iterable[RawInput | Rejected], store: Store, report: IngestReport
) -> Iterator[RawInput | Rejected]:
    """The inputs an earlier run neither stored nor rejected (looked up one at a time, so
    a resumed ingest holds no list of what is done)."""
    for raw in raws:
        if store.is_processed(raw.origin):
            report.resumed += 1
        else:
            yield raw


def fresh_batches(
    stream: Iterable[Document | Rejected], store: Store, report: IngestReport, size: int = BATCH
) -> Iterator[tuple[int, list[Document]]]:
    """Batches of documents not stored yet, each with the number of inputs it consumed;
    rejections are saved on the way."""
    items = iter(stream)
    while batch := list(islice(items, size)):
        fresh: list[Document] = []
        for item in batch:
            if isinstance(item, Rejected):
                report.rejected.append(item)
                store.save_rejected(item)
            elif store.has_document(item.id) or any(d.id == item.id for d in fresh):
                report.unchanged += 1
            else:
                fresh.append(item)
        yield len(batch), fresh


def processed_batches(
    batches: Iterable[tuple[int, list[Document]]],
    res: Resources,
    workers: int,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[tuple[int, list[Processed | Rejected]]]:
    """Each batch processed, in order; in ``workers`` processes when more than one."""
    if workers <= 1 and pool is None:
        for consumed, documents in batches:
            yield consumed, list(process_safely(documents, res)) if documents else []
        return
    own = pool is None
    executor = pool or worker_pool(res, workers)
    pending: deque[tuple[int, Future[list[Processed | Rejected]] | None]] = deque()
    try:
        for consumed, documents in batches:
            pending.append((consumed, executor.submit(work, documents) if documents else None))
            while len(pending) > 2 * workers:  # a bounded read-ahead keeps memory flat
                done, future = pending.popleft()
                yield done, future.result() if future else []
        while pending:
            done, future = pending.popleft()
            yield done, future.result() if future else []
    finally:
        if own:
            executor.shutdown(wait=True, cancel_futures=True)


def worker_pool(res: Resources, workers: int) -> ProcessPoolExecutor:
    """``workers`` processes for annotate → link → extract. Where processes fork, this
    one first loads every resource and runs a short warm-up document through them, so
    each worker starts with the model, registry, gazetteer index and matchers in
    copy-on-write memory instead of loading or initializing them itself."""
    context: BaseContext
    if "fork" in multiprocessing.get_all_start_methods():
        res.linker.matchers(res.nlp.vocab)
        warm_up(res)
        context, initargs = multiprocessing.get_context("fork"), (res,)
    else:
        context = multiprocessing.get_context("spawn")
        initargs = (Resources(res.registry_path, res.places_path),)
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=initargs
    )


WARM_UP_TEXT = (
    "Iraqi forces said on Tuesday they had retaken two villages south of Mosul after "
    "clashes with Islamic State fighters.\nCoalition aircraft struck a bridge near the town."
)


def warm_up(res: Resources) -> None:
    """Run one short made-up report through annotate → link → extract, so that whatever
    the model and the linker set up on first use is set up in this process."""
    raw = RawInput(origin="frontlines:warm-up", content=WARM_UP_TEXT, format="text")
    list(process([to_document(raw)], res))


_WORKER: list[Resources] = []
"""The resources of a worker process (set once by its initializer)."""


def start_worker(res: Resources) -> None:
    if "gazetteer" in res.__dict__:  # loaded before the fork: its connection is the parent's
        res.gazetteer.reopen()
    _WORKER.append(res)


def work(documents: list[Document]) -> list[Processed | Rejected]:
    return list(process_safely(documents, _WORKER[0]))


def refuse(store: Store, res: Resources) -> Fusion:
    """Update clusters incrementally (new events join stored clusters, whose ids stay);
    recompute contradictions and control over everything stored."""
    previous = list(store.clusters())
    fusion = fuse(list(store.events()), list(store.documents()), res.registry, previous)
    store.replace_fusion(fusion.clusters, fusion.contradictions, fusion.control)
    return fusion
