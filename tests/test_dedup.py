"""Near-duplicates: syndicated and lightly edited copies, never distinct stories."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from frontlines.dedup import DuplicateIndex, from_bytes, signature, similarity, to_bytes
from frontlines.models import Document
from frontlines.paths import data_file
from frontlines.pipeline import Resources, ingest
from frontlines.read import RawInput
from frontlines.segment import to_document
from frontlines.store import Store

ORIGINAL = "mayadin-levant-wire.txt"
SYNDICATED = "mayadin-al-sharq-syndicated.txt"
EDITED = "mayadin-syria-direct-edited.txt"


def sample_document(name: str) -> Document:
    path = data_file(f"sample/{name}")
    fmt = "html" if path.suffix == ".html" else "text"
    return to_document(RawInput(str(path), path.read_text(encoding="utf-8"), fmt))


def sample_documents() -> list[Document]:
    names = sorted(p.name for p in data_file("sample").iterdir() if p.suffix in (".txt", ".html"))
    return [sample_document(name) for name in names]


def test_dedup_marks_syndicated_and_edited_copies_of_the_earlier_document() -> None:
    index = DuplicateIndex()
    original = index.mark(sample_document(ORIGINAL))
    syndicated = index.mark(sample_document(SYNDICATED))
    edited = index.mark(sample_document(EDITED))
    assert original.duplicate_of is None
    assert syndicated.duplicate_of == original.id
    assert edited.duplicate_of == original.id


def test_dedup_keeps_distinct_stories_on_the_same_event_apart() -> None:
    index = DuplicateIndex()
    marked = [index.mark(doc) for doc in sample_documents()]
    copies = {Path(d.origin).name for d in marked if d.duplicate_of}
    # several sample stories share an event (Khasham, Deir ez-Zor, Abu Kamal, al-Hari,
    # Hajin ...) from different outlets: only the two Mayadin copies are duplicates
    mayadin = {ORIGINAL, SYNDICATED, EDITED}
    first = min(mayadin)  # read first in this order, so it is the one the others copy
    assert copies == mayadin - {first}
    by_name = {Path(d.origin).name: d for d in marked}
    assert {by_name[name].duplicate_of for name in copies} == {by_name[first].id}


def test_dedup_similarity_separates_copies_from_other_stories() -> None:
    original = signature(sample_document(ORIGINAL).body)
    edited = signature(sample_document(EDITED).body)
    other = signature(sample_document("deir-ez-zor-siege-levant-wire.txt").body)
    assert original is not None and edited is not None and other is not None
    assert similarity(original, edited) >= 0.5
    assert similarity(original, other) <= 0.2
    assert similarity(from_bytes(to_bytes(original)), original) == 1.0


def test_dedup_is_stable_for_repeated_and_short_documents() -> None:
    index = DuplicateIndex()
    doc = sample_document(ORIGINAL)
    assert index.mark(doc).duplicate_of is None
    assert index.mark(doc).duplicate_of is None  # the same content again is not its own copy
    short = replace(doc, id="short", text="Clashes reported.", segments=())
    assert signature(short.body) is None
    assert index.mark(short).duplicate_of is None


def test_dedup_index_loads_and_backfills_signatures_from_the_store(tmp_path: Path) -> None:
    original = sample_document(ORIGINAL)
    with Store(tmp_path / "d.db") as store:
        store.save_document(original, [], [])  # stored without a signature
        index = DuplicateIndex.from_store(store)
        assert dict(store.signatures())[original.id] is not None  # hashed once, kept
        assert index.mark(sample_document(SYNDICATED)).duplicate_of == original.id
    with Store(tmp_path / "d.db") as store:
        again = DuplicateIndex.from_store(store)
        assert original.id in again
        assert again.mark(sample_document(EDITED)).duplicate_of == original.id


def test_dedup_ingest_stores_duplicate_of_for_copies(tmp_path: Path) -> None:
    paths = [data_file(f"sample/{name}") for name in (ORIGINAL, SYNDICATED, EDITED)]
    with Store(tmp_path / "i.db") as store:
        ingest(paths[:1], store, Resources(), fuse_after=False)
        ingest(paths[1:], store, Resources(), fuse_after=False)
        docs = {Path(d.origin).name: d for d in store.documents()}
        assert docs[SYNDICATED].duplicate_of == docs[ORIGINAL].id
        assert docs[EDITED].duplicate_of == docs[ORIGINAL].id
        assert docs[ORIGINAL].duplicate_of is None
        assert all(blob is not None for _, blob in store.signatures())


def test_dedup_index_on_a_store_holds_only_documents_not_yet_stored(tmp_path: Path) -> None:
    docs = sample_documents()
    with Store(tmp_path / "m.db") as store:
        index = DuplicateIndex.from_store(store)
        for doc in docs:
            marked = index.mark(doc)
            store.save_document(marked, [], [])
            index.keep(marked.id)
        assert index.held == 0  # everything it knows lives in the store
        stored = {Path(d.origin).name: d for d in store.documents()}
        first = min({ORIGINAL, SYNDICATED, EDITED})
        copies = {name for name, d in stored.items() if d.duplicate_of}
        assert copies == {ORIGINAL, SYNDICATED, EDITED} - {first}
        assert store.unbanded(10) == []
        # a later copy is found through the stored band keys alone
        again = replace(sample_document(EDITED), id="edited-again", duplicate_of=None)
        assert index.mark(again).duplicate_of == stored[first].id
        assert index.held == 1


def test_dedup_pending_documents_are_bounded(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        index = DuplicateIndex(store, pending_limit=2)
        for doc in sample_documents()[:5]:
            index.mark(doc)
        assert index.held == 2


def test_dedup_index_adds_band_keys_to_signatures_stored_without_them(tmp_path: Path) -> None:
    original = sample_document(ORIGINAL)
    with Store(tmp_path / "v2.db") as store:
        store.save_document(original, [], [])
        sig = signature(original.body)
        assert sig is not None
        store.save_signature(original.id, to_bytes(sig))  # as schema version 2 kept it
        assert store.unbanded(10) == [(original.id, to_bytes(sig))]
        index = DuplicateIndex.from_store(store)
        assert store.unbanded(10) == []
        assert index.mark(sample_document(SYNDICATED)).duplicate_of == original.id
