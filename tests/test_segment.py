"""Segmentation: body, unmarked comment threads, clutter; the learned line model."""

from __future__ import annotations

from pathlib import Path

from frontlines.evaluate.sample import load_expected
from frontlines.evaluate.segments import evaluate
from frontlines.metadata import from_html
from frontlines.paths import data_file
from frontlines.read import RawInput
from frontlines.segment import to_document

GOLD = Path(__file__).resolve().parents[1] / "gold" / "segments"


def test_segment_line_model_meets_floor_on_dev_gold() -> None:
    scores = evaluate(GOLD)
    # floors from the first trained model; they only go up
    assert scores.line_accuracy >= 0.88
    assert scores.boilerplate_precision >= 0.90


def test_segment_splits_unmarked_comment_thread() -> None:
    name = "deir-ez-zor-siege-levant-wire.txt"  # its thread starts with no marker
    path = data_file(f"sample/{name}")
    text = path.read_text(encoding="utf-8")
    doc = to_document(RawInput(str(path), text, "text"))
    expected = load_expected()
    lead = next(e["sentence"] for e in expected["events"] if e["doc"] == name)
    rumour = next(r["text"] for r in expected["comment_rumours"] if r["doc"] == name)
    assert doc.segment_at(text.index(lead)).kind == "body"  # type: ignore[union-attr]
    assert doc.segment_at(text.index(rumour)).kind == "comment"  # type: ignore[union-attr]
    kinds = [s.kind for s in doc.segments]
    assert "comment" in kinds and "body" in kinds
    first_comment = kinds.index("comment")
    assert "body" not in kinds[first_comment + 2 :]


def test_segment_html_keeps_comments_apart_with_authors() -> None:
    html = data_file("sample/baghuz-al-sharq-tribune.html").read_text(encoding="utf-8")
    page = from_html(html)
    comments = [s for s in page.segments if s.kind == "comment"]
    assert len(comments) >= 5
    assert any(s.author for s in comments)
    assert "Baghuz" in page.text[page.segments[0].start : page.segments[1].end]


def test_segment_metadata_reads_day_first_dotted_dates() -> None:
    text = "Syrian troops liberated Abu-Kemal\n\n09.11.2017, 14:40\n\nMOSCOW - The army said."
    doc = to_document(RawInput("t.txt", text, "text"))
    assert (doc.published, doc.published_precision) == ("2017-11-09", "day")


def test_segment_metadata_from_dateline_and_html() -> None:
    path = data_file("sample/mayadin-levant-wire.txt")
    doc = to_document(RawInput(str(path), path.read_text(encoding="utf-8"), "text"))
    assert doc.source == "Levant Wire"
    assert (doc.published, doc.published_precision) == ("2017-10-14", "day")
    html = data_file("sample/baghuz-al-sharq-tribune.html").read_text(encoding="utf-8")
    page = to_document(RawInput("x.html", html, "html"))
    assert page.source and page.published and page.published_precision == "day"
