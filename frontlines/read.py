"""read: files and folders in, raw inputs (or rejections with a reason) out.

Reads plain text, HTML pages, JSON Lines (one document per line) and WARC archives,
walking folders recursively. Nothing here raises for a bad input: an unreadable file,
line or record becomes a ``Rejected`` and the rest of the batch goes on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from charset_normalizer import from_bytes

from frontlines.models import Rejected

InputFormat = Literal["text", "html"]

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
"""Largest single document accepted; news pages are far smaller."""

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".warc.gz"}


@dataclass(frozen=True)
class RawInput:
    """One document as read: its content and whatever metadata came with it."""

    origin: str
    content: str
    format: InputFormat
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None


ReadResult = RawInput | Rejected


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Every file under the given paths, folders walked recursively in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def read_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[ReadResult]:
    """Read every document under ``paths``; bad inputs come out as ``Rejected``."""
    for path in iter_files(paths):
        yield from read_file(path)


def read_file(path: Path) -> Iterator[ReadResult]:
    origin = str(path)
    if not path.exists():
        yield Rejected(origin, "read", "no such file or folder")
        return
    suffix = suffix_of(path)
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path)
    elif suffix in WARC_SUFFIXES:
        yield from read_warc(path)
    elif suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:
        fmt: InputFormat = "html" if suffix in HTML_SUFFIXES else "text"
        yield read_single(path, fmt)
    else:
        yield Rejected(origin, "read", f"unsupported file type {suffix or '(none)'!r}")


def read_single(path: Path, fmt: InputFormat) -> ReadResult:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            return Rejected(origin, "read", too_large(size))
        data = path.read_bytes()
    except OSError as exc:
        return Rejected(origin, "read", f"cannot read file: {exc.strerror or exc}")
    text = decode(data)
    if isinstance(text, Rejected):
        return Rejected(origin, "read", text.reason)
    if fmt == "text" and looks_like_html(text):
        fmt = "html"
    return RawInput(origin=origin, content=text, format=fmt)


def too_large(size: int) -> str:
    limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
    return f"file is {size / 1024 / 1024:.1f} MB, over the {limit} MB limit for one document"


def decode(data: bytes) -> str | Rejected:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected
    legacy encoding when the detector is confident; binary and undecidable input is
    rejected."""
    if not data.strip():
        return Rejected("", "read", "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return normalize_newlines(data.decode("utf-16"))
        except UnicodeDecodeError:
            return Rejected("", "read", "starts with a UTF-16 mark but does not decode as UTF-16")
    if b"\x00" in data[:8192]:
        return Rejected("", "read", "binary file (contains NUL bytes), not text")
    try:
        return normalize_newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    legacy = western_text(data)
    if legacy is not None:
        return normalize_newlines(legacy)
    best = from_bytes(data[:200_000]).best()
    if best is None or best.chaos > 0.2:
        return Rejected("", "read", "unknown text encoding: not UTF-8 and no confident guess")
    return normalize_newlines(data.decode(best.encoding, errors="replace"))


def western_text(data: bytes) -> str | None:
    """Mostly-ASCII text with a few Windows-1252 letters (the commonest legacy case)."""
    high = sum(1 for b in data if b > 127)
    if high / len(data) > 0.1:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    odd = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in odd if c.isalpha() or c in "‘’“”–—…€£°·")
    return text if odd and letters / len(odd) >= 0.9 else None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def read_jsonl(path: Path) -> Iterator[ReadResult]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Rejected(str(path), "read", f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield parse_jsonl_line(f"{path}#L{number}", line)


def parse_jsonl_line(origin: str, line: bytes) -> ReadResult:
    if len(line) > MAX_DOCUMENT_BYTES:
        return Rejected(origin, "read", too_large(len(line)))
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Rejected(origin, "read", f"malformed JSON line: {exc}")
    if not isinstance(record, dict):
        return Rejected(origin, "read", "JSON line is not an object")
    content, fmt = record.get("text"), "text"
    if not content:
        content, fmt = record.get("html"), "html"
    if not isinstance(content, str) or not content.strip():
        return Rejected(origin, "read", 'JSON line has neither a "text" nor an "html" string')
    fields = {k: record.get(k) for k in ("url", "title", "published", "source")}
    bad = [k for k, v in fields.items() if v is not None and not isinstance(v, str)]
    if bad:
        return Rejected(origin, "read", f"JSON line field(s) {', '.join(bad)} must be strings")
    return RawInput(
        origin=origin,
        content=normalize_newlines(content),
        format="html" if fmt == "html" else "text",
        url=fields["url"],
        title=fields["title"],
        published=fields["published"],
        source=fields["source"],
    )


def read_warc(path: Path) -> Iterator[ReadResult]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as exc:
        yield Rejected(str(path), "read", f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        count = 0
        try:
            for record in ArchiveIterator(handle):
                result = warc_record(path, record)
                if result is not None:
                    count += 1
                    yield result
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield Rejected(
                f"{path}#record{count + 1}",
                "read",
                f"truncated or corrupt WARC after {count} record(s): {exc}",
            )


def warc_record(path: Path, record: object) -> ReadResult | None:
    rec_type = getattr(record, "rec_type", None)
    if rec_type not in ("response", "resource"):
        return None
    headers = record.rec_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI")
    http = getattr(record, "http_headers", None)
    ctype = (http.get_header("Content-Type") if http else None) or headers.get_header(
        "Content-Type"
    )
    if ctype and not ctype.startswith(("text/html", "text/plain", "application/xhtml")):
        return None
    origin = f"{path}#{url or headers.get_header('WARC-Record-ID')}"
    data = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_DOCUMENT_BYTES:
        return Rejected(origin, "read", too_large(len(data)))
    missing = getattr(getattr(record, "raw_stream", None), "limit", 0)
    if missing:
        return Rejected(origin, "read", f"truncated WARC record: {missing} byte(s) missing")
    text = decode(data)
    if isinstance(text, Rejected):
        return Rejected(origin, "read", text.reason)
    fmt: InputFormat = "text" if ctype and ctype.startswith("text/plain") else "html"
    # WARC-Date is when the page was captured, not published: leave publication to segment.
    return RawInput(origin=origin, content=text, format=fmt, url=url)
