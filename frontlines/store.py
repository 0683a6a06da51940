"""The SQLite record store: documents and everything derived from them.

Every record field is a real column (tuples and free-form dicts are JSON text), so the
database can be queried with any SQLite tool. A document and its mentions and events
are written in one transaction: after a crash a document is either wholly stored or
absent, and ``processed_origins`` tells an interrupted ingest where to resume.

The schema is versioned: ``MIGRATIONS[v]`` upgrades a database from version ``v`` to
``v + 1``; version 0 is an empty file. A database written by a newer frontlines is
refused rather than guessed at.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from frontlines.errors import StoreError, UsageError
from frontlines.models import (
    Cluster,
    Contradiction,
    Control,
    Document,
    Event,
    EventPlace,
    Evidence,
    Mention,
    Rejected,
    Segment,
)

SCHEMA_VERSION = 3

_SCHEMA_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    source TEXT,
    url TEXT,
    title TEXT,
    published TEXT,
    published_precision TEXT NOT NULL,
    language TEXT,
    text TEXT NOT NULL,
    segments TEXT NOT NULL,
    duplicate_of TEXT
);
CREATE INDEX documents_origin ON documents (origin);
CREATE TABLE mentions (
    seq INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT,
    segment TEXT NOT NULL,
    score REAL NOT NULL,
    label TEXT
);
CREATE INDEX mentions_doc ON mentions (doc_id, start);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text TEXT NOT NULL,
    type TEXT NOT NULL,
    sub_type TEXT NOT NULL,
    actor1 TEXT,
    actor2 TEXT,
    place_id TEXT,
    place_name TEXT,
    place_lat REAL,
    place_lon REAL,
    geo_precision INTEGER,
    place_country TEXT,
    place_admin1 TEXT,
    date_start TEXT,
    date_end TEXT,
    time_precision TEXT NOT NULL,
    fatalities INTEGER,
    certainty TEXT NOT NULL,
    attributed_to TEXT,
    from_comment INTEGER NOT NULL,
    cluster_id TEXT,
    notes TEXT
);
CREATE INDEX events_doc ON events (doc_id, evidence_start);
CREATE INDEX events_cluster ON events (cluster_id);
CREATE INDEX events_date ON events (date_start);
CREATE INDEX events_type ON events (type);
CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    event_ids TEXT NOT NULL,
    sources TEXT NOT NULL,
    corroboration INTEGER NOT NULL,
    summary TEXT NOT NULL
);
CREATE TABLE contradictions (
    id TEXT PRIMARY KEY,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE control (
    seq INTEGER PRIMARY KEY,
    place_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    since TEXT,
    until TEXT,
    evidence TEXT NOT NULL
);
CREATE TABLE rejects (
    seq INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (origin, stage, reason)
);
"""

# Version 2: MinHash signatures of document bodies for near-duplicate detection (dedup.py);
# documents stored before it get theirs when the duplicate index is first loaded.
_SCHEMA_V2 = """
CREATE TABLE signatures (
    doc_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    minhash BLOB NOT NULL
);
"""

# Version 3: the LSH band keys of each signature, so a near-duplicate lookup is an indexed
# query instead of an index held in memory; an empty minhash marks a body too short to sign.
# Signatures stored before it get their bands when the duplicate index is first loaded.
_SCHEMA_V3 = """
CREATE TABLE signature_bands (
    band INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX signature_bands_band ON signature_bands (band);
CREATE INDEX signature_bands_doc ON signature_bands (doc_id);
"""

# MIGRATIONS[v] upgrades a database at schema version v to version v + 1.
MIGRATIONS: list[str] = [_SCHEMA_V1, _SCHEMA_V2, _SCHEMA_V3]

_DOCUMENT_COLUMNS = (
    "id",
    "origin",
    "source",
    "url",
    "title",
    "published",
    "published_precision",
    "language",
    "text",
    "segments",
    "duplicate_of",
)
_MENTION_COLUMNS = ("doc_id", "start", "end", "text", "kind", "ref", "segment", "score", "label")
_EVENT_SCALARS = (
    "id",
    "doc_id",
    "type",
    "sub_type",
    "actor1",
    "actor2",
    "date_start",
    "date_end",
    "time_precision",
    "fatalities",
    "certainty",
    "attributed_to",
    "from_comment",
    "cluster_id",
    "notes",
)
_EVIDENCE_COLUMNS = ("evidence_start", "evidence_end", "evidence_text")
_PLACE_COLUMNS = (
    "place_id",
    "place_name",
    "place_lat",
    "place_lon",
    "geo_precision",
    "place_country",
    "place_admin1",
)
_EVENT_COLUMNS = _EVENT_SCALARS + _EVIDENCE_COLUMNS + _PLACE_COLUMNS
_CLUSTER_COLUMNS = ("id", "event_ids", "sources", "corroboration", "summary")
_CONTRADICTION_COLUMNS = ("id", "a", "b", "reason")
_CONTROL_COLUMNS = ("place_id", "actor", "since", "until", "evidence")
_REJECT_COLUMNS = ("origin", "stage", "reason")
_COUNTED_TABLES = (
    "documents",
    "mentions",
    "events",
    "clusters",
    "contradictions",
    "control",
    "rejects",
)

Row = dict[str, Any]


class Store:
    """A frontlines database in one SQLite file (or ``":memory:"``)."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        """Open (and migrate) a database; ``readonly`` opens an existing one with SQLite's
        ``mode=ro``, refuses every write and never migrates."""
        self.path = os.fspath(path)
        self.readonly = readonly
        try:
            if readonly:
                # A reader may be opened in one thread and used in another (a web
                # request's worker), never by two at once.
                uri = f"{Path(self.path).resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(
                    uri, uri=True, isolation_level=None, check_same_thread=False
                )
            else:
                self._conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        try:
            self._configure()
            self._migrate()
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"{self.path} is not a usable frontlines database: {exc}") from exc
        except StoreError:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        found = self._conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,))
        return found.fetchone() is not None

    def save_document(
        self, doc: Document, mentions: Sequence[Mention], events: Sequence[Event]
    ) -> bool:
        """Store a document with its mentions and events; False if it was already stored.

        Everything is written in one transaction: on any failure nothing of the document
        is kept.
        """
        _check_owner(doc, [*mentions, *events])
        with self._transaction(f"document {doc.id}") as conn:
            if self.has_document(doc.id):
                return False
            conn.execute(_insert("documents", _DOCUMENT_COLUMNS), _document_row(doc))
            conn.executemany(_insert("mentions", _MENTION_COLUMNS), map(_mention_row, mentions))
            conn.executemany(_insert("events", _EVENT_COLUMNS), map(_event_row, events))
        return True

    def save_signature(self, doc_id: str, signature: bytes, bands: Sequence[int] = ()) -> None:
        """Keep a stored document's near-duplicate signature and its LSH band keys (see
        ``frontlines.dedup``); an empty signature records a body too short to sign."""
        with self._transaction(f"signature of {doc_id}") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO signatures (doc_id, minhash) VALUES (?, ?)",
                (doc_id, signature),
            )
            conn.execute("DELETE FROM signature_bands WHERE doc_id = ?", (doc_id,))
            conn.executemany(
                "INSERT INTO signature_bands (band, doc_id) VALUES (?, ?)",
                ((band, doc_id) for band in dict.fromkeys(bands)),
            )

    def save_rejected(self, rejected: Rejected) -> None:
        """Record input that could not be processed; the same rejection is kept once."""
        sql = _insert("rejects", _REJECT_COLUMNS, verb="INSERT OR IGNORE")
        with self._transaction(f"rejection of {rejected.origin}") as conn:
            conn.execute(sql, asdict(rejected))

    def replace_fusion(
        self,
        clusters: Sequence[Cluster],
        contradictions: Sequence[Contradiction],
        control: Sequence[Control],
    ) -> None:
        """Replace the cross-document results and point each event at its cluster."""
        assignments = _cluster_assignments(clusters)
        with self._transaction("fusion results") as conn:
            for table in ("clusters", "contradictions", "control"):
                conn.execute(f"DELETE FROM {table}")
            conn.executemany(_insert("clusters", _CLUSTER_COLUMNS), map(_cluster_row, clusters))
            conn.executemany(
                _insert("contradictions", _CONTRADICTION_COLUMNS), map(asdict, contradictions)
            )
            conn.executemany(_insert("control", _CONTROL_COLUMNS), map(_control_row, control))
            conn.execute("UPDATE events SET cluster_id = NULL WHERE cluster_id IS NOT NULL")
            conn.executemany("UPDATE events SET cluster_id = ? WHERE id = ?", assignments)

    # -- reading ----------------------------------------------------------------------

    def documents(self) -> Iterator[Document]:
        """Every stored document, ordered by id."""
        rows = self._select(_DOCUMENT_COLUMNS, "documents", order="id")
        return map(_document_from, rows)

    def document(self, doc_id: str) -> Document | None:
        rows = self._select(_DOCUMENT_COLUMNS, "documents", where="id = ?", params=(doc_id,))
        return next(map(_document_from, rows), None)

    def mentions(self, doc_id: str | None = None) -> Iterator[Mention]:
        """Mentions of one document, or of all; ordered by document, then offset."""
        rows = self._select_by_doc(_MENTION_COLUMNS, "mentions", doc_id, 'start, "end", seq')
        return map(_mention_from, rows)

    def events(self, doc_id: str | None = None) -> Iterator[Event]:
        """Events of one document, or of all; ordered by document, then evidence start."""
        order = "evidence_start, evidence_end, id"
        rows = self._select_by_doc(_EVENT_COLUMNS, "events", doc_id, order)
        return map(_event_from, rows)

    def clusters(self) -> Iterator[Cluster]:
        """Clusters in the order ``replace_fusion`` received them."""
        return map(_cluster_from, self._select(_CLUSTER_COLUMNS, "clusters", order="rowid"))

    def contradictions(self) -> Iterator[Contradiction]:
        rows = self._select(_CONTRADICTION_COLUMNS, "contradictions", order="rowid")
        return (Contradiction(**row) for row in rows)

    def control(self) -> Iterator[Control]:
        return map(_control_from, self._select(_CONTROL_COLUMNS, "control", order="seq"))

    def rejects(self) -> Iterator[Rejected]:
        """Rejections in the order they were recorded."""
        return (Rejected(**row) for row in self._select(_REJECT_COLUMNS, "rejects", order="seq"))

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, mentions, events, clusters, ... rejects."""
        return {
            table: int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in _COUNTED_TABLES
        }

    def query_events(
        self, where: str = "1", params: Sequence[object] = (), *, limit: int = -1, offset: int = 0
    ) -> Iterator[Event]:
        """Events matching an SQL condition on the events table's columns (values as
        ``?`` parameters), ordered by date, then id; ``limit`` -1 means all."""
        order = "date_start IS NULL, date_start, id LIMIT ? OFFSET ?"
        rows = self._select(
            _EVENT_COLUMNS, "events", where=where, params=(*params, limit, offset), order=order
        )
        return map(_event_from, rows)

    def count_where(self, table: str, where: str = "1", params: Sequence[object] = ()) -> int:
        """How many rows of one table match an SQL condition."""
        if table not in _COUNTED_TABLES:
            raise UsageError(f"unknown table {table!r}")
        sql = f"SELECT count(*) FROM {table} WHERE {where}"
        return int(self._conn.execute(sql, params).fetchone()[0])

    def query_documents(
        self, where: str = "1", params: Sequence[object] = (), *, limit: int = -1, offset: int = 0
    ) -> Iterator[Document]:
        """Documents matching an SQL condition on the documents table, ordered by
        publication date, then id."""
        order = "published IS NULL, published, id LIMIT ? OFFSET ?"
        paged = (*params, limit, offset)
        rows = self._select(_DOCUMENT_COLUMNS, "documents", where=where, params=paged, order=order)
        return map(_document_from, rows)

    def signatures(self) -> Iterator[tuple[str, bytes | None]]:
        """(document id, signature or None) for every stored document, in the order they
        were stored."""
        rows = self._conn.execute(
            "SELECT d.id, s.minhash FROM documents d LEFT JOIN signatures s ON s.doc_id = d.id "
            "ORDER BY d.rowid"
        )
        return ((row[0], bytes(row[1]) if row[1] is not None else None) for row in rows)

    def signatures_sharing(self, bands: Sequence[int]) -> Iterator[tuple[str, bytes]]:
        """(document id, signature) of the stored documents with any of these band keys, in
        the order they were stored."""
        if not bands:
            return iter(())
        marks = ", ".join("?" * len(bands))
        rows = self._conn.execute(
            "SELECT s.doc_id, s.minhash FROM signatures s JOIN documents d ON d.id = s.doc_id "
            f"WHERE s.doc_id IN (SELECT doc_id FROM signature_bands WHERE band IN ({marks})) "
            "ORDER BY d.rowid",
            tuple(bands),
        )
        return ((row[0], bytes(row[1])) for row in rows)

    def unbanded(self, limit: int) -> list[tuple[str, bytes | None]]:
        """Up to ``limit`` stored documents, in stored order, whose signature or band keys
        were never saved: (id, signature or None)."""
        rows = self._conn.execute(
            "SELECT d.id, s.minhash FROM documents d LEFT JOIN signatures s ON s.doc_id = d.id "
            "WHERE s.doc_id IS NULL OR (length(s.minhash) > 0 AND NOT EXISTS "
            "(SELECT 1 FROM signature_bands b WHERE b.doc_id = d.id)) ORDER BY d.rowid LIMIT ?",
            (limit,),
        )
        return [(row[0], bytes(row[1]) if row[1] is not None else None) for row in rows]

    def is_processed(self, origin: str) -> bool:
        """Whether an input was already stored or rejected (one indexed look-up each)."""
        found = self._conn.execute(
            "SELECT 1 FROM documents WHERE origin = ? UNION ALL "
            "SELECT 1 FROM rejects WHERE origin = ? LIMIT 1",
            (origin, origin),
        )
        return found.fetchone() is not None

    def processed_origins(self) -> set[str]:
        """Origins already stored or rejected: what a resumed ingest can skip."""
        rows = self._conn.execute("SELECT origin FROM documents UNION SELECT origin FROM rejects")
        return {origin for (origin,) in rows}

    # -- internals --------------------------------------------------------------------

    def _configure(self) -> None:
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            return
        self._conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commit,
        # which a resumed ingest redoes.
        self._conn.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self) -> None:
        if self._schema_version() == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(
                f"{self.path} is at schema version {self._schema_version()}, this frontlines "
                f"reads {SCHEMA_VERSION}: open it once read-write (frontlines ingest) to migrate"
            )
        with self._transaction("schema migration"):
            version = self._schema_version()  # again, under the write lock
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer frontlines (schema version "
                    f"{version}; this one reads up to {SCHEMA_VERSION}): upgrade frontlines"
                )
            for script in MIGRATIONS[version:SCHEMA_VERSION]:
                for statement in _statements(script):
                    self._conn.execute(statement)
            self._conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    def _schema_version(self) -> int:
        has_meta = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if has_meta is None:
            return 0
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise StoreError(f"{self.path} has no valid schema_version: not a frontlines database")
        return int(row[0])

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; roll back on any exception."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write {what} to {self.path}: {exc}") from exc
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"cannot save {what}, nothing of it was kept: {exc}") from exc
            raise

    def _select(
        self,
        columns: Iterable[str],
        table: str,
        *,
        where: str = "1",
        params: Sequence[object] = (),
        order: str = "rowid",
    ) -> Iterator[Row]:
        names = ", ".join(f'"{name}"' for name in columns)
        sql = f"SELECT {names} FROM {table} WHERE {where} ORDER BY {order}"
        return (dict(row) for row in self._conn.execute(sql, params))

    def _select_by_doc(
        self, columns: Iterable[str], table: str, doc_id: str | None, order: str
    ) -> Iterator[Row]:
        if doc_id is None:
            return self._select(columns, table, order=f"doc_id, {order}")
        return self._select(columns, table, where="doc_id = ?", params=(doc_id,), order=order)


# -- helpers --------------------------------------------------------------------------


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (one ends at the end of a line)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        raise StoreError(f"unterminated statement in a migration script: {pending.strip()!r}")


def _insert(table: str, columns: Sequence[str], verb: str = "INSERT") -> str:
    names = ", ".join(f'"{name}"' for name in columns)
    values = ", ".join(f":{name}" for name in columns)
    return f"{verb} INTO {table} ({names}) VALUES ({values})"


def _check_owner(doc: Document, derived: Iterable[Mention | Event]) -> None:
    strays = sorted({record.doc_id for record in derived} - {doc.id})
    if strays:
        raise UsageError(f"records saved with document {doc.id} belong to {', '.join(strays)}")


def _cluster_assignments(clusters: Sequence[Cluster]) -> list[tuple[str, str]]:
    """(cluster id, event id) pairs; an event may be in one cluster only."""
    owner: dict[str, str] = {}
    for cluster in clusters:
        for event_id in cluster.event_ids:
            if owner.setdefault(event_id, cluster.id) != cluster.id:
                raise UsageError(
                    f"event {event_id} is in clusters {owner[event_id]} and {cluster.id}"
                )
    return [(cluster_id, event_id) for event_id, cluster_id in owner.items()]


def _document_row(doc: Document) -> Row:
    row = {name: getattr(doc, name) for name in _DOCUMENT_COLUMNS}
    row["segments"] = json.dumps([asdict(segment) for segment in doc.segments])
    return row


def _document_from(row: Row) -> Document:
    segments = tuple(Segment(**segment) for segment in json.loads(row.pop("segments")))
    return Document(**row, segments=segments)


def _mention_row(mention: Mention) -> Row:
    return asdict(mention)


def _mention_from(row: Row) -> Mention:
    return Mention(**row)


def _event_row(event: Event) -> Row:
    row = {name: getattr(event, name) for name in _EVENT_SCALARS}
    evidence = event.evidence
    row.update(
        evidence_start=evidence.start, evidence_end=evidence.end, evidence_text=evidence.text
    )
    place = event.place
    row.update(dict.fromkeys(_PLACE_COLUMNS) if place is None else _place_row(place))
    return row


def _place_row(place: EventPlace) -> Row:
    return {
        "place_id": place.id,
        "place_name": place.name,
        "place_lat": place.lat,
        "place_lon": place.lon,
        "geo_precision": place.geo_precision,
        "place_country": place.country,
        "place_admin1": place.admin1,
    }


def _event_from(row: Row) -> Event:
    scalars = {name: row[name] for name in _EVENT_SCALARS}
    scalars["from_comment"] = bool(scalars["from_comment"])
    evidence = Evidence(row["evidence_start"], row["evidence_end"], row["evidence_text"])
    return Event(**scalars, evidence=evidence, place=_place_from(row))


def _place_from(row: Row) -> EventPlace | None:
    if row["place_id"] is None:
        return None
    return EventPlace(
        id=row["place_id"],
        name=row["place_name"],
        lat=row["place_lat"],
        lon=row["place_lon"],
        geo_precision=row["geo_precision"],
        country=row["place_country"],
        admin1=row["place_admin1"],
    )


def _cluster_row(cluster: Cluster) -> Row:
    return {
        "id": cluster.id,
        "event_ids": json.dumps(cluster.event_ids),
        "sources": json.dumps(cluster.sources),
        "corroboration": cluster.corroboration,
        "summary": json.dumps(cluster.summary),
    }


def _cluster_from(row: Row) -> Cluster:
    return Cluster(
        id=row["id"],
        event_ids=tuple(json.loads(row["event_ids"])),
        sources=tuple(json.loads(row["sources"])),
        corroboration=row["corroboration"],
        summary=json.loads(row["summary"]),
    )


def _control_row(control: Control) -> Row:
    row = asdict(control)
    row["evidence"] = json.dumps(control.evidence)
    return row


def _control_from(row: Row) -> Control:
    row["evidence"] = tuple(json.loads(row["evidence"]))
    return Control(**row)
