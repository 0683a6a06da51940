"""The speed benchmark: a short run whose only timing assert is pipeline ≥ bare spaCy."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from frontlines.annotate import LemmaCache, load_nlp
from frontlines.bench import bench, generated
from frontlines.cli import cli
from frontlines.pipeline import Resources, ingest_raw
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
