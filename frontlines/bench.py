"""bench: throughput of the whole pipeline against a bare spaCy pass over the same texts.

Both run in one process, one after the other, over the same documents: the bare pass is
``nlp.pipe`` of the model annotate uses, as spaCy loads it (every pipe on, thinc's blis
matrix products); the pipeline is a full ingest (read, segment, annotate, link, extract,
store, fuse) into a scratch database. With workers, one pool of warm workers serves every
run, as one process serves every run of the bare pass and of a 1-worker pipeline.
A third pass is the same bare ``nlp.pipe`` with the matrix products the pipeline uses
(``annotate.fast_matrices``): the ratio against it says how much of the gain is the
pipeline's own and how much the faster kernels. A second, sequential run times each
stage on its own. The streaming benchmark ingests
generated documents in fresh processes and reports their peak resident memory.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontlines.annotate import MODEL, annotate, fast_matrices
from frontlines.errors import UsageError
from frontlines.extract import extract
from frontlines.models import Document
from frontlines.paths import data_file
from frontlines.pipeline import Resources, ingest_raw, refuse, segment_all, worker_pool
from frontlines.read import RawInput, read_paths
from frontlines.store import Store

DEFAULT_WORKERS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class BenchResult:
    documents: int
    tokens: int
    characters: int
    repeat: int
    workers: int
    bare_seconds: float
    pipeline_seconds: float
    bare_cpu_seconds: float = 0.0
    pipeline_cpu_seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    worker_peak_rss_mb: float = 0.0
    same_kernels_seconds: float = 0.0
    """The bare pass again, with the pipeline's matrix products (numpy's BLAS)."""

    @property
    def ratio(self) -> float:
        """Pipeline throughput over bare spaCy throughput (above 1: the pipeline is faster)."""
        return self.bare_seconds / self.pipeline_seconds if self.pipeline_seconds else 0.0

    @property
    def ratio_same_kernels(self) -> float:
        """Pipeline throughput over a bare pass that multiplies matrices as it does."""
        seconds = self.same_kernels_seconds
        return seconds / self.pipeline_seconds if self.pipeline_seconds else 0.0

    def figures(self) -> dict[str, Any]:
        per = {
            "bare_spacy": self.bare_seconds,
            "bare_spacy_same_kernels": self.same_kernels_seconds,
            "pipeline": self.pipeline_seconds,
        }
        rates = {
            f"{name}_{unit}_per_s": round(count / seconds, 1) if seconds else None
            for name, seconds in per.items()
            for unit, count in (("docs", self.documents), ("tokens", self.tokens))
        }
        return {
            "documents": self.documents,
            "tokens": self.tokens,
            "characters": self.characters,
            "repeat": self.repeat,
            "workers": self.workers,
            "bare_spacy_seconds": round(self.bare_seconds, 3),
            "pipeline_seconds": round(self.pipeline_seconds, 3),
            **rates,
            "ratio": round(self.ratio, 3),
            "bare_spacy_same_kernels_seconds": round(self.same_kernels_seconds, 3),
            "ratio_same_kernels": round(self.ratio_same_kernels, 3),
            # CPU seconds (this process and its workers): what a busy machine does not blur
            "bare_spacy_cpu_seconds": round(self.bare_cpu_seconds, 3),
            "pipeline_cpu_seconds": round(self.pipeline_cpu_seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in self.stages.items()},
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "worker_peak_rss_mb": round(self.worker_peak_rss_mb, 1),
        }


def read_inputs(path: str | Path | None) -> list[RawInput]:
    """The readable documents under ``path`` (the bundled sample when None)."""
    raws = [r for r in read_paths([path or data_file("sample")]) if isinstance(r, RawInput)]
    if not raws:
        raise UsageError(f"no readable documents under {path}")
    return raws


def bench(
    path: str | Path | None = None,
    repeat: int = 1,
    workers: int = DEFAULT_WORKERS,
    stages: bool = True,
) -> BenchResult:
    """Time a bare ``nlp.pipe`` and a full ingest over the same documents, best of
    ``repeat`` runs each (models are loaded and warmed before timing)."""
    import spacy

    source = path or data_file("sample")
    raws = read_inputs(source)
    documents = [d for d in segment_all(raws, None, None) if isinstance(d, Document)]
    texts = [d.text for d in documents]
    res = Resources()
    bare = spacy.load(MODEL)
    warm(res, bare, raws[:2])
    same_kernels = spacy.load(MODEL)
    fast_matrices(same_kernels)
    list(same_kernels.pipe(texts[:2]))

    bare_times, bare_cpu, tokens = [], [], 0
    same_times = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        tokens = sum(len(doc) for doc in bare.pipe(texts))
        bare_times.append(time.perf_counter() - start)
        bare_cpu.append(cpu_seconds() - cpu)
        start = time.perf_counter()
        list(same_kernels.pipe(texts))
        same_times.append(time.perf_counter() - start)

    pipeline_times, pipeline_cpu = [], []
    # the workers outlive each run, as the 1-worker run's process and the bare pass's do
    pool = worker_pool(res, workers) if workers > 1 else None
    try:
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
                start, cpu = time.perf_counter(), cpu_seconds()
                ingest_raw(read_paths([source]), store, res, workers=workers, pool=pool)
                pipeline_times.append(time.perf_counter() - start)
                pipeline_cpu.append(cpu_seconds() - cpu)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)

    return BenchResult(
        documents=len(documents),
        tokens=tokens,
        characters=sum(len(t) for t in texts),
        repeat=repeat,
        workers=workers,
        bare_seconds=min(bare_times),
        same_kernels_seconds=min(same_times),
        pipeline_seconds=min(pipeline_times),
        bare_cpu_seconds=min(bare_cpu),
        pipeline_cpu_seconds=min(pipeline_cpu),
        stages=stage_times(source, res) if stages else {},
        peak_rss_mb=peak_rss_mb(resource.RUSAGE_SELF),
        worker_peak_rss_mb=peak_rss_mb(resource.RUSAGE_CHILDREN),
    )


def warm(res: Resources, bare: Any, raws: list[RawInput]) -> None:
    """Load every resource and run each path once, so no timing includes a load."""
    documents = [d for d in segment_all(raws, None, None) if isinstance(d, Document)]
    list(bare.pipe(d.text for d in documents))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "warm.db") as store:
        ingest_raw(raws, store, res)


def stage_times(source: str | Path, res: Resources) -> dict[str, float]:
    """Seconds per stage of one sequential run, each stage over every document."""
    times: dict[str, float] = {}

    def timed(name: str, run: Any) -> Any:
        start = time.perf_counter()
        out = run()
        times[name] = times.get(name, 0.0) + time.perf_counter() - start
        return out

    raws = timed("read", lambda: list(read_paths([source])))
    documents = timed("segment", lambda: [
        d for d in segment_all(raws, None, None) if isinstance(d, Document)
    ])  # fmt: skip
    annotated = timed("annotate", lambda: list(annotate(documents, res.nlp)))
    linked = timed("link", lambda: list(res.linker.link(annotated)))
    extracted = timed(
        "extract", lambda: list(extract(linked, res.registry, res.gazetteer, res.lexicon))
    )
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "stages.db") as store:
        timed("store", lambda: [
            store.save_document(item.annotated.document, item.mentions, events)
            for item, events in extracted
        ])  # fmt: skip
        timed("fuse", lambda: refuse(store, res))
    return times


def cpu_seconds() -> float:
    """User + system CPU time of this process, of its finished children and of its live
    children such as pool workers (read from /proc; 0 where there is none)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    live = sum(process_cpu_seconds(pid) for pid in child_pids())
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime + live


def child_pids() -> list[int]:
    """The running children of this process (Linux /proc; none elsewhere)."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == me:
            found.append(int(entry.name))
    return found


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc), else 0."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(who: int) -> float:
    """Peak resident memory (of this process, or of its largest finished child), in MB."""
    kilobytes = resource.getrusage(who).ru_maxrss
    return kilobytes / 1024 if sys.platform != "darwin" else kilobytes / 1024 / 1024


# streaming ----------------------------------------------------------------------------

TOWNS = """Hajin al-Mayadin Abu Kamal al-Qaim Deir ez-Zor Raqqa Mosul Tal Afar Baghuz Hasakah
Shaddadi Sinjar Ramadi Fallujah Rutba Palmyra Tabqa Manbij Kobani Tikrit""".split()
ACTORS = [
    "the Syrian Democratic Forces", "Syrian government troops", "Iraqi forces",
    "the US-led coalition", "Islamic State fighters", "Popular Mobilization Forces",
]  # fmt: skip
SENTENCES = [
    "{a} said on {day} they had taken control of {t} after heavy fighting with {b}.",
    "Coalition aircraft struck positions held by {b} near {t}, killing {n} fighters.",
    "{a} shelled villages south of {t} overnight, residents told the paper.",
    "Officials in {t} said {n} civilians had fled toward {u} since the start of the week.",
    "A car bomb exploded at a checkpoint outside {t}, killing {n} members of {a}.",
    "Aid groups warned that roads between {t} and {u} remained closed.",
]


def generated(count: int, seed: int = 7) -> Iterator[RawInput]:
    """``count`` short news items made up on the fly (never held in memory together)."""
    days = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        lines = [
            rng.choice(SENTENCES).format(
                a=rng.choice(ACTORS),
                b=rng.choice(ACTORS),
                t=rng.choice(TOWNS),
                u=rng.choice(TOWNS),
                n=rng.randint(2, 60),
                day=rng.choice(days),
            )  # fmt: skip
            for _ in range(4)
        ]
        text = f"Report {i}\n\n" + " ".join(lines) + "\n"
        yield RawInput(origin=f"generated:{seed}:{i}", content=text, format="text")


def stream_ingest(count: int, workers: int, queue: Any) -> None:
    """Ingest ``count`` generated documents into a scratch store (without the fusion pass);
    report the peak RSS."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "stream.db") as store:
        start = time.perf_counter()
        # fusion is a separate pass over the whole store (it holds every event): left out
        report = ingest_raw(generated(count), store, Resources(), workers=workers, fuse_after=False)
        seconds = time.perf_counter() - start
    queue.put({
        "documents": count,
        "stored": report.stored,
        "seconds": round(seconds, 1),
        "docs_per_s": round(count / seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(resource.RUSAGE_SELF), 1),
        "worker_peak_rss_mb": round(peak_rss_mb(resource.RUSAGE_CHILDREN), 1),
    })  # fmt: skip


def streaming(counts: Iterable[int] = (1_000, 10_000), workers: int = 1) -> list[dict[str, Any]]:
    """Peak memory of ingests of generated corpora of growing size, each in a fresh process."""
    context = multiprocessing.get_context("spawn")
    out = []
    for count in counts:
        queue = context.Queue()
        proc = context.Process(target=stream_ingest, args=(count, workers, queue))
        proc.start()
        out.append(queue.get())
        proc.join()
    return out
