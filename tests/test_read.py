from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from frontlines.models import Rejected
from frontlines.read import RawInput, read_paths


def write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, html in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
            writer.write_record(record)


# warcio's writer leaves a spooled temp file for the garbage collector
WARC_WRITER = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

PAGE = (
    "<html><head><title>Hajin falls</title></head><body><article><h1>Hajin falls</h1>"
    "<p>HAJIN, Syria (Levant Wire) - The Syrian Democratic Forces captured Hajin on Friday"
    " after weeks of fighting with Islamic State militants, a spokesman said.</p>"
    "</article></body></html>"
)


@WARC_WRITER
def test_read_accepts_every_supported_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Iraqi forces entered al-Qaim on Friday.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(PAGE, encoding="utf-8")
    lines = [
        {
            "text": "Turkish jets struck Sinjar.",
            "source": "Kurdistan Voice",
            "published": "2017-04-25",
        },
        {"html": PAGE, "url": "https://example.org/hajin"},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    write_warc(tmp_path / "d.warc.gz", [("https://example.org/1", PAGE)])
    results = list(read_paths([tmp_path]))
    assert all(isinstance(r, RawInput) for r in results), results
    formats = sorted((Path(r.origin.split("#")[0]).name, r.format) for r in results)  # type: ignore[union-attr]
    assert formats == [
        ("a.txt", "text"),
        ("b.html", "html"),
        ("c.jsonl", "html"),
        ("c.jsonl", "text"),
        ("d.warc.gz", "html"),
    ]
    jsonl = [r for r in results if isinstance(r, RawInput) and r.source == "Kurdistan Voice"]
    assert jsonl[0].published == "2017-04-25"


@WARC_WRITER
def test_read_rejects_bad_inputs_with_reasons_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("The SDF captured Hajin.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "weird.txt").write_bytes(bytes(range(128, 256)) * 40)
    with (tmp_path / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "lines.jsonl").write_text(
        '{"text": "ok line"}\n{"text": broken\n', encoding="utf-8"
    )
    write_warc(tmp_path / "cut.warc.gz", [("https://e.org/1", PAGE), ("https://e.org/2", PAGE)])
    data = (tmp_path / "cut.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) - 60])
    (tmp_path / "notes.docx").write_bytes(b"PK")
    results = list(read_paths([tmp_path]))
    rejected = {
        Path(r.origin.split("#")[0]).name: r.reason for r in results if isinstance(r, Rejected)
    }
    assert "binary" in rejected["binary.txt"]
    assert "empty" in rejected["empty.txt"]
    assert "encoding" in rejected["weird.txt"]
    assert "limit" in rejected["huge.txt"]
    assert "malformed JSON" in rejected["lines.jsonl"]
    assert "truncated" in rejected["cut.warc.gz"]
    assert "unsupported" in rejected["notes.docx"]
    read = [r for r in results if isinstance(r, RawInput)]
    assert {Path(r.origin.split("#")[0]).name for r in read} == {
        "good.txt",
        "lines.jsonl",
        "cut.warc.gz",
    }


def test_read_decodes_legacy_and_utf16_text(tmp_path: Path) -> None:
    text = "Les forces kurdes ont pris la ville de Hajin après des combats acharnés. " * 5
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "wide.txt").write_bytes("\ufeffIraqi forces retook Rawa.".encode("utf-16-le"))
    results = {Path(r.origin).name: r for r in read_paths([tmp_path])}
    latin, wide = results["latin.txt"], results["wide.txt"]
    assert isinstance(latin, RawInput) and "après" in latin.content
    assert isinstance(wide, RawInput) and wide.content.strip() == "Iraqi forces retook Rawa."


def test_read_gzip_is_not_mistaken_for_text(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(gzip.compress(b"hello world " * 100))
    (result,) = list(read_paths([tmp_path / "x.txt"]))
    assert isinstance(result, Rejected)
