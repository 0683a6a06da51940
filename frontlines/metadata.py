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
from html import unescape
from html.parser import HTMLParser
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
_DATELINE_LEAD = re.compile(
    r"(?:(?:date of publication|published(?: on)?|posted on|last updated(?: at| on)?|updated)"
    r"\W*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?(?=\d|[a-z]{3,9}\.? \d)",
    re.I,
)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? {_MONTH}\.?,? (\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
# the year may run into the next word when an export lost the space ("01.10.2017Get short URL")
_DOTTED = re.compile(r"\b(\d{1,2})([.-])(\d{1,2})\2(20\d\d|19\d\d)(?!\d)")
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
    flat: FlatPage | None = None  # the flattened page whose lines the segmenter labels


@dataclass(frozen=True)
class Meta:
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    published_precision: Precision
    language: str | None


def from_html(html: str) -> Page:
    """The readable text and metadata of an HTML page.

    The text is the page flattened by ``flatten_html`` (every visible block a line, page
    clutter and comments included, with an offset map back to the markup); the segment
    stage labels its lines. trafilatura gives the metadata (title, site name, date, URL).
    Only when the page has no visible block text does trafilatura's main text and
    comments become the text (then offsets point into that extraction).
    """
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, include_comments=True, with_metadata=True, include_tables=False
    )
    title = getattr(extracted, "title", None)
    sitename = getattr(extracted, "sitename", None)
    published = getattr(extracted, "date", None)
    url = getattr(extracted, "url", None)
    flat = flatten_html(html)
    if flat.lines:
        return Page(flat.text, (), title, sitename, published, url, flat)
    if extracted is None:
        return Page("", (), None, None, None, None)
    main = (getattr(extracted, "text", None) or "").strip()
    parts: list[tuple[str, str, str | None]] = []
    if title and not main.startswith(title):
        parts.append(("body", title, None))
    if main:
        parts.append(("body", main, None))
    comments = comment_blocks(html)
    if not comments:
        found = (getattr(extracted, "comments", None) or "").strip()
        comments = [(None, block) for block in re.split(r"\n+", found) if block.strip()]
    parts.extend(("comment", text, author) for author, text in comments)
    text, segments = join_parts(parts)
    return Page(text, segments, title, sitename, published, url)


_SKIP = frozenset({"head", "script", "style", "noscript", "template", "svg", "iframe", "select"})
_BLOCK = frozenset(
    """address article aside blockquote body br dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section
    summary table td th tr ul button label""".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass(frozen=True)
class OffsetMap:
    """Where each stretch of a document's text came from in the original HTML: runs of
    (text start, source start, length) in which characters map one to one."""

    runs: tuple[tuple[int, int, int], ...]

    def to_source(self, offset: int) -> int | None:
        """The offset in the original HTML of the text character at ``offset`` (for a
        character the flattening added, such as a line break, the next one that came
        from the page); None past the end."""
        lo, hi = 0, len(self.runs)
        while lo < hi:  # the first run that ends after offset
            mid = (lo + hi) // 2
            start, _, length = self.runs[mid]
            if start + length <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(self.runs):
            return None
        start, source, _ = self.runs[lo]
        return source + max(offset - start, 0)

    def source_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The original HTML span of the text span [start, end)."""
        first = self.to_source(start)
        last = self.to_source(end - 1) if end > start else first
        if first is None or last is None:
            return None
        return first, last + 1


@dataclass(frozen=True)
class FlatPage:
    """An HTML page as lines of visible text, one per block element, in reading order,
    with their origin in the markup and what comment markup says about them."""

    lines: tuple[str, ...]
    offsets: OffsetMap
    comment: tuple[int | None, ...]  # per line: the comment element it sits in, if any
    in_comment_text: tuple[bool, ...]  # per line: inside that comment's text element
    authors: dict[int, str]  # comment element -> the commenter's name from the markup

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class _Flattener(HTMLParser):
    """Visible text of a page with the source offset of every character."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for number, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(number + 1)
        self.stack: list[tuple[str, int | None, str]] = []  # tag, comment id, role
        self.skip = 0
        self.comments = 0
        self.lines: list[tuple[list[str], list[int], int | None, bool]] = []
        self.current: tuple[list[str], list[int], int | None, bool] = ([], [], None, False)
        self.authors: dict[int, list[str]] = {}
        self.space = False

    def here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def context(self) -> tuple[int | None, str]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (None, "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += tag not in _VOID
            return
        if tag in _BLOCK:
            self.newline()
        if tag in _VOID:
            return
        names = " ".join(v or "" for k, v in attrs if k in ("class", "id")).lower().split()
        comment, role = self.context()
        if "comment" in names or (comment is None and "comment-body" in names):  # or a reply
            self.comments += 1
            comment, role = self.comments, ""
        elif comment is not None:
            if any(n in ("comment-content", "comment-text") for n in names):
                role = "text"
            elif any(n in ("fn", "comment-author") for n in names) and role != "text":
                role = "author"
            elif "says" in names:
                role = "says"
        self.stack.append((tag, comment, role))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if tag in _VOID:
            return
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break
        if tag in _BLOCK:
            self.newline()

    def handle_data(self, data: str) -> None:
        self.add(data, [self.here() + i for i in range(len(data))])

    def handle_entityref(self, name: str) -> None:
        self.add(unescape(f"&{name};"), None)

    def handle_charref(self, name: str) -> None:
        self.add(unescape(f"&#{name};"), None)

    def add(self, data: str, sources: list[int] | None) -> None:
        if self.skip:
            return
        start = self.here()
        sources = sources or [start] * len(data)
        comment, role = self.context()
        chars, offsets, line_comment, in_text = self.current
        if comment is not None and role == "author":
            self.authors.setdefault(comment, []).append(data)
        for char, source in zip(data, sources, strict=True):
            if char.isspace():
                self.space = bool(chars)
                continue
            if self.space:
                chars.append(" ")
                offsets.append(source)
                self.space = False
            chars.append(char)
            offsets.append(source)
        if chars:
            if line_comment is None:
                line_comment = comment
            self.current = (chars, offsets, line_comment, in_text or role == "text")

    def newline(self) -> None:
        if self.current[0]:
            self.lines.append(self.current)
        self.current = ([], [], None, False)
        self.space = False


def flatten_html(html: str) -> FlatPage:
    """The page's visible text, one line per block, with an offset map into ``html``."""
    parser = _Flattener(html)
    parser.feed(html)
    parser.close()
    parser.newline()
    runs: list[tuple[int, int, int]] = []
    position = 0
    for chars, offsets, _, _ in parser.lines:
        for i, source in enumerate(offsets):
            last = runs[-1] if runs else None
            if last and last[0] + last[2] == position + i and last[1] + last[2] == source:
                runs[-1] = (last[0], last[1], last[2] + 1)
            else:
                runs.append((position + i, source, 1))
        position += len(chars) + 1
    authors = {
        number: name
        for number, parts in parser.authors.items()
        if (name := re.sub(r"\s+(says|said|wrote):?\s*$", "", " ".join("".join(parts).split())))
    }
    return FlatPage(
        lines=tuple("".join(chars) for chars, _, _, _ in parser.lines),
        offsets=OffsetMap(tuple(runs)),
        comment=tuple(c for _, _, c, _ in parser.lines),
        in_comment_text=tuple(t for _, _, _, t in parser.lines),
        authors=authors,
    )


def offset_map(html: str) -> OffsetMap:
    """The map from a stored HTML document's text offsets (segments, mentions, evidence)
    back to the original page; the same page always gives the same map."""
    return flatten_html(html).offsets


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
    # the page head (datelines, a header date, a byline) may be labelled clutter, so
    # publisher and date are read from everything that is not a reader comment
    head = "\n".join(text[s.start : s.end] for s in segments if s.kind != "comment")[:1500]
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
    """A full date standing on a short line near the top, before a dateline dash, or
    opening a long line ("Wed 14 Sep 2016 Car bomb hits ...", "Published May 3 2015
    Gunmen ...")."""
    lines = [line.strip() for line in head.split("\n") if line.strip()]
    for line in lines[:20]:
        if len(line) <= 60 and not line.endswith("."):  # a date line, a byline with a date
            prefix = line
        else:  # the part before a dateline dash, or a date opening the line
            parts = re.split(r"\s[-–—]\s", line, maxsplit=1)
            prefix = parts[0] if len(parts) == 2 and len(parts[0]) <= 100 else ""
            if not prefix:
                opening = _DATELINE_LEAD.match(line)
                prefix = line[: opening.end() + 20] if opening else ""
        found = first_full_date(prefix)
        if found:
            return found
    return None


def dateline_end(text: str) -> int:
    """Where a dateline that opens the text ends ("Wed 14 Sep 2016 ", "Date of publication
    2 May 2015 "), or 0: the date there is when the copy was published, not when
    anything in it happened."""
    opening = _DATELINE_LEAD.match(text)
    if opening is None:
        return 0
    head = text[opening.end() : opening.end() + 40]
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _DOTTED, _ISO):
        found = pattern.match(head)
        if found:
            return opening.end() + found.end()
    return 0


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
    for m in _DOTTED.finditer(text):  # 09.11.2017, 29-07-2015: day first, as in European
        hits.append((m.start(), make_date(m.group(4), m.group(3), m.group(1))))  # and Arab copy
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
    """No stated publication date: the text's latest date gives the month at best. A bare
    year is no publication date: a 2017 report that only recalls "the uprising in 2011"
    was not published in 2011, so the date stays unknown."""
    days = full_dates(body)
    if days:
        latest = max(days)
        return f"{latest.year:04d}-{latest.month:02d}", "month"
    months = [(int(m.group(2)), MONTHS[m.group(1).lower()[:3]]) for m in _MONTH_YEAR.finditer(body)]
    if months:
        year, month = max(months)
        return f"{year:04d}-{month:02d}", "month"
    return None, "unknown"


def language_of(text: str) -> str | None:
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) < 5:
        return None
    share = sum(1 for w in words if w in _ENGLISH) / len(words)
    return "en" if share >= 0.08 else None
