"""dedup: syndicated and lightly edited copies of a document already seen.

Each document's article body (its body segments: no comments, no page clutter, so the
same wire story under two different comment threads still matches) is cut into
overlapping three-word shingles and summarised by a MinHash signature; a MinHash LSH
index finds stored or same-batch documents whose estimated shingle Jaccard similarity
is at least ``THRESHOLD``. A match gets ``duplicate_of`` = the id of the earliest such
document (ingest order), so the answer is stable and deterministic; fusion then never
counts the copy as an independent source.

Signatures are kept in the store (``signatures`` table) so a new ingest does not
rehash the corpus; documents stored without one (before schema version 2, or cut off
by a crash) are hashed once when the index is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Protocol

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from frontlines.models import Document, Rejected

NUM_PERM = 128
SHINGLE = 3
THRESHOLD = 0.4  # sample: syndicated copy 0.90, edited copy 0.61, distinct stories <= 0.09
MIN_SHINGLES = 8  # a body shorter than this is never called a copy (too little evidence)
SEED = 1
SCHEME = "affine32"  # datasketch's hashing scheme, pinned: stored signatures depend on it
_WORD = re.compile(r"\w+", re.UNICODE)


class SignatureStore(Protocol):
    """What the index needs from a store (``frontlines.store.Store`` provides it)."""

    def signatures(self) -> Iterator[tuple[str, bytes | None]]: ...

    def document(self, doc_id: str) -> Document | None: ...

    def save_signature(self, doc_id: str, signature: bytes) -> None: ...


def shingles(text: str) -> set[bytes]:
    """Overlapping ``SHINGLE``-word windows of the lower-cased words of a text."""
    words = _WORD.findall(text.lower())
    return {
        " ".join(words[i : i + SHINGLE]).encode("utf-8")
        for i in range(max(len(words) - SHINGLE + 1, 0))
    }


def signature(text: str) -> LeanMinHash | None:
    """The MinHash of a text's shingles, or None when it has too few to judge."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    hashed = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    hashed.update_batch(sorted(grams))
    return LeanMinHash(hashed)


def to_bytes(sig: LeanMinHash) -> bytes:
    return np.asarray(sig.hashvalues, dtype="<u4").tobytes()


def from_bytes(blob: bytes) -> LeanMinHash:
    values = np.frombuffer(blob, dtype="<u4")
    if values.size != NUM_PERM:
        raise ValueError(f"a stored signature has {values.size} values, expected {NUM_PERM}")
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def similarity(a: LeanMinHash, b: LeanMinHash) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(np.asarray(a.hashvalues) == np.asarray(b.hashvalues)))


class DuplicateIndex:
    """Signatures of the documents seen so far, in the order they were seen."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._order: dict[str, int] = {}
        self._signatures: dict[str, LeanMinHash] = {}

    @classmethod
    def from_store(cls, store: SignatureStore, threshold: float = THRESHOLD) -> DuplicateIndex:
        """The index over every stored document (hashing, and saving, any that lacks a
        signature)."""
        index = cls(threshold)
        for doc_id, blob in store.signatures():
            if blob is not None:
                index.add(doc_id, from_bytes(blob))
                continue
            doc = store.document(doc_id)
            sig = signature(doc.body) if doc else None
            if sig is not None:
                store.save_signature(doc_id, to_bytes(sig))
            index.add(doc_id, sig)
        return index

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._order

    def __len__(self) -> int:
        return len(self._order)

    def add(self, doc_id: str, sig: LeanMinHash | None) -> None:
        if doc_id in self._order:
            return
        self._order[doc_id] = len(self._order)
        if sig is not None:
            self._signatures[doc_id] = sig
            self._lsh.insert(doc_id, sig)

    def signature_of(self, doc_id: str) -> LeanMinHash | None:
        return self._signatures.get(doc_id)

    def original_of(self, sig: LeanMinHash, exclude: str | None = None) -> str | None:
        """The earliest indexed document whose body is a near-copy of ``sig``'s."""
        found = [
            doc_id
            for doc_id in self._lsh.query(sig)
            if doc_id != exclude and similarity(sig, self._signatures[doc_id]) >= self.threshold
        ]
        return min(found, key=self._order.__getitem__) if found else None

    def mark(self, doc: Document) -> Document:
        """The document with ``duplicate_of`` set if it copies one seen before; it joins
        the index either way. A document already indexed (the same content again) is
        returned as it is."""
        if doc.id in self._order:
            return doc
        sig = signature(doc.body)
        original = self.original_of(sig, exclude=doc.id) if sig is not None else None
        self.add(doc.id, sig)
        if original is None or doc.duplicate_of:
            return doc
        return replace(doc, duplicate_of=original)


def mark_duplicates(
    stream: Iterable[Document | Rejected], index: DuplicateIndex
) -> Iterator[Document | Rejected]:
    """Pass a stream of segmented documents through the index (ingest order)."""
    for item in stream:
        yield index.mark(item) if isinstance(item, Document) else item


def keep_signature(store: SignatureStore, index: DuplicateIndex, doc_id: str) -> None:
    """Save a newly stored document's signature so later ingests need not rehash it."""
    sig = index.signature_of(doc_id)
    if sig is not None:
        store.save_signature(doc_id, to_bytes(sig))
