"""End to end: the bundled sample corpus through every stage into the store."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from frontlines import pipeline
from frontlines.evaluate.sample import doc_id_for as sample_doc_id
from frontlines.evaluate.sample import load_expected, score_sample
from frontlines.gazetteer import distance_km
from frontlines.paths import data_file
from frontlines.pipeline import IngestReport, Resources, ingest
from frontlines.store import Store

EXPECTED = load_expected()


def doc_id_for(store: Store, name: str, line: int | None) -> str:
    found = sample_doc_id(store, name, line)
    assert found is not None, f"{name} was not stored"
    return found


def test_pipeline_stores_every_sample_document(sample_ingest: tuple[Store, IngestReport]) -> None:
    store, report = sample_ingest
    assert report.rejected == []
    files = [p for p in data_file("sample").iterdir() if p.suffix in (".txt", ".html")]
    wire = data_file("sample/wire.jsonl").read_text(encoding="utf-8").strip().splitlines()
    assert store.counts()["documents"] == len(files) + len(wire)


def test_pipeline_finds_expected_sample_events(sample_ingest: tuple[Store, IngestReport]) -> None:
    store, _ = sample_ingest
    scores = score_sample(store)
    # floor from the first end-to-end run; it only goes up
    assert scores.recall >= 0.68, scores.missed


def test_pipeline_finds_named_key_events(sample_ingest: tuple[Store, IngestReport]) -> None:
    store, _ = sample_ingest
    events = [e for e in store.events() if not e.from_comment]

    def seen(type_: str, actor: str, lat: float, lon: float) -> bool:
        return any(
            e.type == type_
            and actor in (e.actor1, e.actor2)
            and e.place is not None
            and distance_km((e.place.lat, e.place.lon), (lat, lon)) <= 25
            for e in events
        )

    assert seen("battle", "sdf", 34.7236, 40.7843)  # Hajin
    assert seen("battle", "saa", 35.0201, 40.4528)  # al-Mayadin
    assert seen("battle", "isis", 34.4523, 40.9185)  # Abu Kamal


def test_pipeline_never_makes_comment_rumours_article_events(
    sample_ingest: tuple[Store, IngestReport],
) -> None:
    store, _ = sample_ingest
    assert EXPECTED["comment_rumours"]
    for rumour in EXPECTED["comment_rumours"]:
        doc_id = doc_id_for(store, rumour["doc"], rumour.get("line"))
        doc = store.document(doc_id)
        assert doc is not None
        start = doc.text.index(rumour["text"])
        segment = doc.segment_at(start)
        assert segment is not None and segment.kind != "body", rumour["text"]
        for event in store.events(doc_id):
            if event.evidence.start <= start < event.evidence.end:
                assert event.from_comment, event


def test_pipeline_reingest_changes_nothing(res: Resources, tmp_path: Path) -> None:
    sample = data_file("sample")
    files = sorted(sample.glob("*.txt"))[:3]
    with Store(tmp_path / "x.db") as store:
        first = ingest(files, store, res)
        counts = store.counts()
        second = ingest(files, store, res)
        assert (first.stored, second.stored, second.unchanged) == (3, 0, 3)
        assert store.counts() == counts


def test_pipeline_rejects_bad_inputs_and_keeps_going(res: Resources, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    good = sorted(data_file("sample").glob("*.txt"))[0]
    (tmp_path / "good.txt").write_bytes(good.read_bytes())
    (tmp_path / "bad.bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "lines.jsonl").write_text('{"text": "Iraqi forces retook Rawa."}\nnot json\n')
    with Store(db) as store:
        report = ingest([tmp_path], store, res)
        assert report.stored == 2
        assert len(report.rejected) == 2
        assert {r.stage for r in store.rejects()} == {"read"}


def sample_files(count: int) -> list[Path]:
    return sorted(data_file("sample").glob("*.txt"))[:count]


def test_pipeline_resumes_an_interrupted_ingest_without_duplicates(
    res: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sample_files(6)
    (tmp_path / "in").mkdir()
    for f in files:
        (tmp_path / "in" / f.name).write_bytes(f.read_bytes())
    (tmp_path / "in" / "empty.txt").write_text("")  # rejected, and skipped on resume
    with Store(tmp_path / "clean.db") as clean:
        ingest([tmp_path / "in"], clean, res)
        expected = clean.counts()

    with Store(tmp_path / "cut.db") as store:
        real_save = store.save_document
        saved: list[str] = []

        def save_then_fail(*args: Any, **kwargs: Any) -> bool:
            if len(saved) == 3:  # the fourth document of the batch: the run dies here
                raise KeyboardInterrupt
            saved.append(args[0].origin)
            return real_save(*args, **kwargs)

        monkeypatch.setattr(store, "save_document", save_then_fail)
        with pytest.raises(KeyboardInterrupt):
            ingest([tmp_path / "in"], store, res)
        monkeypatch.undo()
        assert store.counts()["documents"] == 3

        report = ingest([tmp_path / "in"], store, res, resume=True)
        assert report.resumed == 4  # three stored documents and the rejected empty file
        assert (report.stored, report.unchanged, len(report.rejected)) == (3, 0, 0)
        assert store.counts() == expected
        origins = [d.origin for d in store.documents()]
        assert len(origins) == len(set(origins)) == 6


def test_pipeline_with_two_workers_stores_the_same_as_one(res: Resources, tmp_path: Path) -> None:
    files = sample_files(8)
    stored = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            report = ingest(files, store, res, workers=workers)
            assert report.stored == len(files)
            stored.append(
                (
                    [asdict(d) for d in store.documents()],
                    [asdict(e) for e in store.events()],
                    store.counts(),
                )
            )
    assert stored[0] == stored[1]


@pytest.mark.parametrize("count", [1, 3])
def test_pipeline_records_a_document_that_fails_in_extract(
    res: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    files = sample_files(count)
    poisoned = files[0].name
    real_extract = pipeline.extract

    def extract_or_fail(linked: Any, *args: Any) -> Any:
        for item, events in real_extract(linked, *args):
            if item.annotated.document.origin.endswith(poisoned):
                raise RuntimeError("extractor bug")
            yield item, events

    monkeypatch.setattr(pipeline, "extract", extract_or_fail)
    with Store(tmp_path / "t.db") as store:
        report = ingest(files, store, res)  # a batch of one must not crash the run either
        assert [(r.stage, r.reason) for r in report.rejected] == [
            ("extract", "RuntimeError: extractor bug")
        ]
        assert report.stored == count - 1
        assert not any(d.origin.endswith(poisoned) for d in store.documents())
