"""dedup: syndicated and lightly edited copies of a document already seen.

Each document's article body (its body segments: no comments, no page clutter, so the
same wire story under two different comment threads still matches) is cut into
overlapping three-word shingles and summarised by a MinHash signature; a MinHash LSH
index finds stored or same-batch documents whose estimated shingle Jaccard similarity
is at least ``THRESHOLD``. A match gets ``duplicate_of`` = the id of the earliest such
document (ingest order), so the answer is stable and deterministic; fusion then never
counts the copy as an independent source.

Nothing grows in memory with the corpus: each stored document's signature and its LSH
band keys (``BANDS`` bands of ``ROWS`` hash values each, the banding datasketch picks for
this threshold) are rows in the store (``signatures`` and ``signature_bands`` tables),
and a new document's candidates are one indexed query on its band keys. Only documents
marked but not stored yet (the batches in flight) are held, at most ``PENDING`` of them.
Documents stored without bands (before schema version 3, or cut off by a crash) are
hashed once when the index is loaded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from datasketch import LeanMinHash, MinHash

from frontlines.models import Document, Rejected

NUM_PERM = 128
SHINGLE = 3
THRESHOLD = 0.4  # sample: syndicated copy 0.90, edited copy 0.61, distinct stories <= 0.09
MIN_SHINGLES = 8  # a body shorter than this is never called a copy (too little evidence)
SEED = 1
BANDS, ROWS = 32, 4  # datasketch's optimal (b, r) for THRESHOLD at NUM_PERM, pinned
PENDING = 4096  # marked, not yet stored: far above the batches an ingest has in flight
SCHEME = "affine32"  # datasketch's hashing scheme, pinned: stored signatures depend on it
_WORD = re.compile(r"\w+", re.UNICODE)


class SignatureStore(Protocol):
    """What the index needs from a store (``frontlines.store.Store`` provides it)."""

    def has_document(self, doc_id: str) -> bool: ...

    def document(self, doc_id: str) -> Document | None: ...

    def save_signature(self, doc_id: str, signature: bytes, bands: Sequence[int] = ()) -> None: ...

    def signatures_sharing(self, bands: Sequence[int]) -> Iterator[tuple[str, bytes]]: ...

    def unbanded(self, limit: int) -> list[tuple[str, bytes | None]]: ...


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


def to_bytes(sig: LeanMinHash | None) -> bytes:
    """The stored form of a signature (empty for a body too short to sign)."""
    return np.asarray(sig.hashvalues, dtype="<u4").tobytes() if sig is not None else b""


def from_bytes(blob: bytes) -> LeanMinHash:
    values = np.frombuffer(blob, dtype="<u4")
    if values.size != NUM_PERM:
        raise ValueError(f"a stored signature has {values.size} values, expected {NUM_PERM}")
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def similarity(a: LeanMinHash, b: LeanMinHash) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(np.asarray(a.hashvalues) == np.asarray(b.hashvalues)))


def band_keys(sig: LeanMinHash) -> tuple[int, ...]:
    """One signed 64-bit key per LSH band: two signatures that agree on every value of a
    band share its key (and, but for a 2**-64 collision, only then)."""
    values = np.asarray(sig.hashvalues, dtype="<u4")
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return tuple(keys)


@dataclass(frozen=True)
class _Pending:
    seq: int
    sig: LeanMinHash | None
    bands: tuple[int, ...]


class DuplicateIndex:
    """Near-duplicate lookup over a store's documents and those marked since.

    Without a store (a standalone index) every marked document stays in memory; with one,
    only the documents marked and not yet kept (stored) are, at most ``pending_limit``.
    """

    def __init__(
        self,
        store: SignatureStore | None = None,
        threshold: float = THRESHOLD,
        pending_limit: int = PENDING,
    ) -> None:
        self.store = store
        self.threshold = threshold
        self.pending_limit = pending_limit if store is not None else None
        self._pending: dict[str, _Pending] = {}  # in marking order
        self._pending_bands: dict[int, set[str]] = {}
        self._seq = 0

    @classmethod
    def from_store(cls, store: SignatureStore, threshold: float = THRESHOLD) -> DuplicateIndex:
        """The index over every stored document (hashing, and saving, the signature and band
        keys of any that lacks them)."""
        while todo := store.unbanded(500):
            for doc_id, blob in todo:
                sig: LeanMinHash | None
                if blob is None:
                    doc = store.document(doc_id)
                    sig = signature(doc.body) if doc else None
                else:
                    sig = from_bytes(blob) if blob else None
                store.save_signature(doc_id, to_bytes(sig), band_keys(sig) if sig else ())
        return cls(store, threshold)

    def __contains__(self, doc_id: object) -> bool:
        if doc_id in self._pending:
            return True
        return (
            isinstance(doc_id, str) and self.store is not None and self.store.has_document(doc_id)
        )

    @property
    def held(self) -> int:
        """How many documents the index holds in memory."""
        return len(self._pending)

    def original_of(self, sig: LeanMinHash, exclude: str | None = None) -> str | None:
        """The earliest known document whose body is a near-copy of ``sig``'s: stored
        documents first (in stored order), then those marked and not yet stored."""
        bands = band_keys(sig)
        if self.store is not None:
            for doc_id, blob in self.store.signatures_sharing(bands):
                if doc_id != exclude and blob and self._close(sig, from_bytes(blob)):
                    return doc_id
        candidates = set().union(*(self._pending_bands.get(band, ()) for band in bands))
        found = [
            doc_id
            for doc_id in candidates
            if doc_id != exclude and self._close(sig, self._pending[doc_id].sig)
        ]
        return min(found, key=lambda doc_id: self._pending[doc_id].seq) if found else None

    def mark(self, doc: Document) -> Document:
        """The document with ``duplicate_of`` set if it copies one seen before; it joins
        the index either way. A document already known (the same content again) is
        returned as it is."""
        if doc.id in self:
            return doc
        sig = signature(doc.body)
        original = self.original_of(sig, exclude=doc.id) if sig is not None else None
        self._remember(doc.id, sig)
        if original is None or doc.duplicate_of:
            return doc
        return replace(doc, duplicate_of=original)

    def keep(self, doc_id: str) -> None:
        """A marked document was stored: move its signature and band keys to the store."""
        entry = self._forget(doc_id)
        if entry is not None and self.store is not None:
            self.store.save_signature(doc_id, to_bytes(entry.sig), entry.bands)

    def _close(self, a: LeanMinHash, b: LeanMinHash | None) -> bool:
        return b is not None and similarity(a, b) >= self.threshold

    def _remember(self, doc_id: str, sig: LeanMinHash | None) -> None:
        bands = band_keys(sig) if sig is not None else ()
        self._pending[doc_id] = _Pending(self._seq, sig, bands)
        self._seq += 1
        for band in bands:
            self._pending_bands.setdefault(band, set()).add(doc_id)
        if self.pending_limit is not None and len(self._pending) > self.pending_limit:
            # never stored (rejected later on): its bands would be saved by keep() only
            self._forget(next(iter(self._pending)))

    def _forget(self, doc_id: str) -> _Pending | None:
        entry = self._pending.pop(doc_id, None)
        for band in entry.bands if entry else ():
            holders = self._pending_bands[band]
            holders.discard(doc_id)
            if not holders:
                del self._pending_bands[band]
        return entry


def mark_duplicates(
    stream: Iterable[Document | Rejected], index: DuplicateIndex
) -> Iterator[Document | Rejected]:
    """Pass a stream of segmented documents through the index (ingest order)."""
    for item in stream:
        yield index.mark(item) if isinstance(item, Document) else item
