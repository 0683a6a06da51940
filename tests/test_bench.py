"""The speed benchmark: a short run whose only timing assert is pipeline ≥ bare spaCy."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from frontlines.annotate import LemmaCache, RuleMatches, load_nlp, stretches
from frontlines.bench import bench, child_pids, cpu_seconds, generated, read_inputs
from frontlines.cli import cli
from frontlines.models import Document
from frontlines.pipeline import Resources, ingest_raw, segment_all, worker_pool
from frontlines.store import Store


def test_bench_pipeline_is_not_slower_than_bare_spacy() -> None:
    result = bench(repeat=2)
    figures = result.figures()
    assert result.documents >= 30 and result.tokens > 10_000
    assert set(figures["stage_seconds"]) == {
        "read", "segment", "annotate", "link", "extract", "store", "fuse"
    }  # fmt: skip
    assert figures["peak_rss_mb"] > 0
    # the only timing assert: the whole pipeline keeps up with a bare spaCy pass
    assert result.ratio >= 1.0, figures


def test_bench_generated_documents_are_stable_news_items(res: Resources, tmp_path: Path) -> None:
    first, again = list(generated(20)), list(generated(20))
    assert [r.content for r in first] == [r.content for r in again]
    assert len({r.origin for r in first}) == len({r.content for r in first}) == 20
    with Store(tmp_path / "g.db") as store:
        report = ingest_raw(iter(first), store, res, fuse_after=False)
        assert report.stored == 20
        assert report.events >= 20  # every item reports fighting, strikes or shelling
        assert store.counts()["clusters"] == 0  # fusion was left out


def test_bench_cli_rejects_bad_corpus_sizes() -> None:
    result = CliRunner().invoke(cli, ["bench", "--streaming", "--counts", "ten,20"])
    assert result.exit_code == 2
    assert "--counts" in result.output


def test_lemma_cache_returns_the_lemmatizers_own_lemmas() -> None:
    text = (
        "Iraqi forces retook the villages south of Mosul on Tuesday, officials said.\n"
        "The militants were driven out after days of fighting; two soldiers were killed "
        "and the bridges that the fighters had destroyed are being repaired."
    )
    nlp = load_nlp()
    assert isinstance(nlp.get_pipe("lemmatizer").lemmatize, LemmaCache)
    plain = load_nlp.__wrapped__()  # a fresh pipeline, its lemmatizer without the cache
    lemmatizer = plain.get_pipe("lemmatizer")
    lemmatizer.lemmatize = lemmatizer.lemmatize.lemmatize
    expected = [t.lemma_ for t in plain(text)]
    assert {"force", "village", "official", "kill", "bridge", "be"} <= set(expected)
    for _ in range(2):  # the second pass is answered from the cache
        assert [t.lemma_ for t in nlp(text)] == expected


def stock_pipeline() -> Any:
    """annotate's pipeline as spaCy ships it: blis matrix products, the ruler's own Matcher."""
    from thinc.api import NumpyOps

    nlp = load_nlp.__wrapped__()
    ops = NumpyOps()
    for _, component in nlp.pipeline:
        if getattr(component, "model", None) is not None:
            for node in component.model.walk():
                node.ops = ops
    ruler = nlp.get_pipe("attribute_ruler")
    del ruler.match  # back to the class's method
    assert not isinstance(ruler.match, RuleMatches)
    return nlp


def token_view(doc: Any) -> list[tuple[Any, ...]]:
    return [
        (t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.is_sent_start,
         str(t.morph))
        for t in doc
    ]  # fmt: skip


TRICKY = (
    "Y'all ain't gonna believe it: they got ta leave, let's go.  C'mon on!\n\n"
    "There were clashes, but it was over; I saw you and you saw me and it hit him.\n"
    "Did they? They did have a base there, which fell, and that was that."
)


def test_fast_pipeline_annotates_exactly_as_stock_spacy() -> None:
    nlp, stock = load_nlp(), stock_pipeline()
    assert nlp.get_pipe("ner").model.ops.use_blis is False
    assert isinstance(nlp.get_pipe("attribute_ruler").match, RuleMatches)
    docs = [d for d in segment_all(read_inputs(None)[:12], None, None) if isinstance(d, Document)]
    texts = [d.text[s:e] for d in docs for _, s, e, _ in stretches(d)] + [TRICKY]
    fast = [token_view(doc) for doc in nlp.pipe(texts)]
    expected = [token_view(doc) for doc in stock.pipe(texts)]
    assert sum(len(view) for view in expected) > 3_000
    assert fast == expected


def test_rule_matches_are_the_attribute_rulers_own() -> None:
    nlp = load_nlp()
    ruler = nlp.get_pipe("attribute_ruler")
    upto = nlp.pipe_names.index("attribute_ruler")
    doc = nlp.make_doc(TRICKY)
    for _, component in nlp.pipeline[:upto]:
        doc = component(doc)
    expected = type(ruler).match(ruler, doc)
    assert len(expected) > len(doc)  # nearly every token has a rule or two
    spanning = [m for m in expected if m[3] - m[2] > 1]
    assert spanning  # "gon na", "got ta", "let 's": rules over two tokens
    fresh = RuleMatches(ruler)  # an empty cache, then a full one
    assert fresh(doc) == expected
    assert fresh(doc) == expected


def test_warm_worker_pool_gives_what_one_process_gives(res: Resources, tmp_path: Path) -> None:
    items = list(generated(12, seed=3))
    with Store(tmp_path / "one.db") as store:
        ingest_raw(iter(items), store, res, fuse_after=False)
        expected = list(store.events())
    pool = worker_pool(res, 2)
    try:
        for run in range(2):  # the second run reuses the workers the first one started
            with Store(tmp_path / f"pool{run}.db") as store:
                before = cpu_seconds()
                report = ingest_raw(iter(items), store, res, workers=2, pool=pool, fuse_after=False)
                got = list(store.events())
            assert report.stored == 12 and len(expected) >= 12 and got == expected
            assert cpu_seconds() > before
        # the live workers are found as children, so their CPU time is counted
        assert pool.submit(os.getpid).result() in child_pids()
    finally:
        pool.shutdown()
