"""Page metadata for the segment stage: HTML extraction, publisher, date, language.

HTML pages go through trafilatura for the main text, comments and metadata; comment
authors come from common comment-list markup when the page has it. For every input,
publisher and publication date come from (in order) the command line, the input's own
fields, HTML meta tags, a dateline such as "HAJIN, Syria (Levant Wire) -" or
"Mon 09 Oct 2017", and last the dates in the text, with an honest precision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from frontlines.models import Precision, Segment
from frontlines.read import RawInput

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? {_MONTH}\.?,? (\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d|19\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH} (\d{{4}})\b", re.I)
_PUBLISHER = re.compile(r"\(([A-Z][\w.'’&\- ]{1,50}?)\)\s*[-–—:]")
_ENGLISH = frozenset(
    """
    the of and to in a is that for on was with by at from as said were has have
    """.split()
)


@dataclass(frozen=True)
class Page:
    """What trafilatura (and comment markup) found in an HTML page."""

    text: str
    segments: tuple[Segment, ...]
    title: str | None
    sitename: str | None
    date: str | None
    url: str | None


@dataclass(frozen=True)
class Meta:
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    published_precision: Precision
    language: str | None


def from_html(html: str) -> Page:
    """Main text, comments and metadata of an HTML page.

    The readable text is the headline, the main text, then each comment, separated by
    blank lines; segments give their offsets into that text.
    """
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, include_comments=True, with_metadata=True, include_tables=False
    )
    if extracted is None:
        return Page("", (), None, None, None, None)
    title = getattr(extracted, "title", None)
    main = (getattr(extracted, "text", None) or "").strip()
    parts: list[tuple[str, str, str | None]] = []
    if title and not main.startswith(title):
        parts.append(("body", title, None))
    if main:
        parts.append(("body", main, None))
    comments = comment_blocks(html)
    if not comments:
        flat = (getattr(extracted, "comments", None) or "").strip()
        comments = [(None, block) for block in re.split(r"\n+", flat) if block.strip()]
    parts.extend(("comment", text, author) for author, text in comments)
    text, segments = join_parts(parts)
    return Page(
        text=text,
        segments=segments,
        title=title,
        sitename=getattr(extracted, "sitename", None),
        date=getattr(extracted, "date", None),
        url=getattr(extracted, "url", None),
    )


def join_parts(parts: Sequence[tuple[str, str, str | None]]) -> tuple[str, tuple[Segment, ...]]:
    chunks: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for kind, chunk, author in parts:
        start = offset
        chunks.append(chunk)
        offset += len(chunk)
        segments.append(Segment(kind, start, offset, author))  # type: ignore[arg-type]
        offset += 2
    return "\n\n".join(chunks), tuple(segments)


def comment_blocks(html: str) -> list[tuple[str | None, str]]:
    """(author, text) for each comment in common comment-list markup, else []."""
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError):
        return []
    found: list[tuple[str | None, str]] = []
    containers = tree.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' comment ') "
        "or contains(@class, 'comment-body')][.//*[contains(@class, 'comment-content') "
        "or contains(@class, 'comment-text') or contains(@class, 'comment-body')]]"
    )
    for node in containers:
        content = node.xpath(
            ".//*[contains(@class, 'comment-content') or contains(@class, 'comment-text')]"
        )
        if not content:
            continue
        text = "\n".join(
            " ".join(p.text_content().split()) for p in content[0].xpath(".//p") or content
        ).strip()
        author_node = node.xpath(".//*[contains(@class, 'author') or contains(@class, 'fn')]")
        author = " ".join(author_node[0].text_content().split()) if author_node else None
        if text and (author, text) not in found:
            found.append((author or None, text))
    return found


def gather(
    raw: RawInput,
    text: str,
    segments: Sequence[Segment],
    page: Page | None,
    source: str | None = None,
    published: str | None = None,
) -> Meta:
    """Metadata of a document from every place it can come from, best first."""
    body = [text[s.start : s.end] for s in segments if s.kind == "body"]
    head = "\n".join(body)[:1500]
    url = raw.url or (page.url if page else None)
    title = raw.title or (page.title if page else None) or first_line(body)
    publisher = (
        source
        or raw.source
        or (page.sitename if page else None)
        or dateline_publisher(head)
        or host_of(url)
    )
    day, precision = resolve_published(published or raw.published, page, head, "\n".join(body))
    return Meta(title, publisher, url, day, precision, language_of(head))


def first_line(body: Sequence[str]) -> str | None:
    for block in body:
        for line in block.split("\n"):
            line = line.strip()
            if 10 <= len(line) <= 200:
                return line
    return None


def dateline_publisher(head: str) -> str | None:
    match = _PUBLISHER.search(head)
    return match.group(1).strip() if match else None


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def resolve_published(
    given: str | None, page: Page | None, head: str, body: str
) -> tuple[str | None, Precision]:
    for candidate in (given, page.date if page else None):
        if candidate:
            parsed = parse_date(candidate)
            if parsed:
                return parsed
    found = dateline_date(head)
    if found:
        return found.isoformat(), "day"
    return infer_from_text(body)


def dateline_date(head: str) -> date | None:
    """A full date standing on a short line near the top, or before a dateline dash."""
    for line in head.split("\n")[:8]:
        line = line.strip()
        prefix = re.split(r"\s[-–—]\s", line, maxsplit=1)[0] if len(line) > 80 else line
        if len(prefix) <= 100:
            found = first_full_date(prefix)
            if found:
                return found
    return None


def parse_date(text: str) -> tuple[str, Precision] | None:
    """An ISO or written date as given on the command line or in metadata."""
    text = text.strip()
    iso = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if iso:
        year, month, day = iso.group(1), iso.group(2), iso.group(3)
        if day:
            return f"{year}-{month}-{day}", "day"
        if month:
            return f"{year}-{month}", "month"
        return year, "year"
    found = first_full_date(text)
    return (found.isoformat(), "day") if found else None


def first_full_date(text: str) -> date | None:
    dates = full_dates(text)
    return dates[0] if dates else None


def full_dates(text: str) -> list[date]:
    """Every complete written date in a text, in order of appearance."""
    hits: list[tuple[int, date]] = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        hits.append((m.start(), make_date(m.group(3), m.group(2), m.group(1))))
    for m in _MONTH_DAY_YEAR.finditer(text):
        hits.append((m.start(), make_date(m.group(3), m.group(1), m.group(2))))
    for m in _ISO.finditer(text):
        hits.append((m.start(), make_date(m.group(1), m.group(2), m.group(3))))
    for m in _DOTTED.finditer(text):  # 09.11.2017: day first, as in European copy
        hits.append((m.start(), make_date(m.group(3), m.group(2), m.group(1))))
    return [d for _, d in sorted(hits, key=lambda h: h[0]) if d != date.min]


def make_date(year: str, month: str, day: str) -> date:
    try:
        number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")[:4]
                                                           if month.lower()[:4] == "sept"
                                                           else month.lower()[:3]]  # fmt: skip
        return date(int(year), number, int(day))
    except (ValueError, KeyError):
        return date.min


def infer_from_text(body: str) -> tuple[str | None, Precision]:
    """No stated publication date: the text's latest date gives the month at best."""
    days = full_dates(body)
    if days:
        latest = max(days)
        return f"{latest.year:04d}-{latest.month:02d}", "month"
    months = [(int(m.group(2)), MONTHS[m.group(1).lower()[:3]]) for m in _MONTH_YEAR.finditer(body)]
    if months:
        year, month = max(months)
        return f"{year:04d}-{month:02d}", "month"
    years = [int(y) for y in re.findall(r"\b(20[0-2]\d)\b", body)]
    if years:
        return f"{max(years):04d}", "year"
    return None, "unknown"


def language_of(text: str) -> str | None:
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) < 5:
        return None
    share = sum(1 for w in words if w in _ENGLISH) / len(words)
    return "en" if share >= 0.08 else None
