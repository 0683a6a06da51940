"""Date phrases resolved against the publication date, with an honest precision.

Handles what dateparser misses in news copy: weekdays ("on Tuesday" is the last one on
or before publication), relative phrases ("two days ago", "last month", "earlier this
week"), partial dates ("On March 3" takes its year from the dateline) and ranges
("In May and June", "between 3 and 5 November").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from frontlines.metadata import MONTHS, full_dates
from frontlines.models import Precision

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "a": 1, "an": 1, "several": 3, "few": 3}  # fmt: skip


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    precision: Precision

    @property
    def iso(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()


_CREDIT = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(?:\d{1,2}\s+" + _MONTH + r"\.?,?\s+"
    r"(?:19|20)\d\d|" + _MONTH + r"\.?\s+\d{1,2},?\s+(?:19|20)\d\d)(?!\d)",
    re.I,
)


def credit_spans(text: str, published: date | None) -> list[tuple[int, int]]:
    """Where the copy names its own publication day with a weekday ("AFP Tuesday 3 Mar
    2015", "Thu Mar 31 2016"), wherever that stands: a dateline or agency credit, which
    dates the copy and not the events in it. A tagger often keeps only part of it ("Feb
    2015"), which would otherwise read as the whole month."""
    if published is None:
        return []
    return [m.span() for m in _CREDIT.finditer(text) if full_dates(m.group()) == [published]]


_WRITTEN = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH
    + r"\.?,?\s+(?:19|20)\d\d|"
    + _MONTH
    + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)(?!\d)",
    re.I,
)


def whole_date(text: str, start: int, end: int) -> str | None:
    """The complete written date ("6 September 2016") that a tagged date fragment
    ("September 2016") is part of, or None: the fragment alone reads as a whole month."""
    lo = max(0, start - 16)
    for m in _WRITTEN.finditer(text, lo, min(len(text), end + 16)):
        if m.start() <= start and end <= m.end() and (m.end() - m.start()) > (end - start):
            return m.group()
    return None


def month_number(name: str) -> int:
    low = name.lower()
    return MONTHS[low[:4] if low.startswith("sept") else low[:3]]


def month_range(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def resolve(phrase: str, published: date | None) -> DateRange | None:
    """The dates a phrase refers to, or None when it cannot be placed in time."""
    text = phrase.lower().strip()
    explicit = full_dates(phrase)
    if explicit:
        return DateRange(min(explicit), max(explicit), "day")
    year_match = re.search(r"\b(19|20)\d\d\b", text)
    year = int(year_match.group()) if year_match else (published.year if published else None)
    months = [month_number(m) for m in re.findall(_MONTH + r"\b", text)]
    days = [int(d) for d in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", text) if int(d) <= 31]
    if months and year:
        return month_phrase(text, year, months, days, published)
    if year_match and not months:
        return DateRange(date(year or 1, 1, 1), date(year or 1, 12, 31), "year")
    if published is None:
        return None
    return relative(text, published)


def month_phrase(
    text: str, year: int, months: list[int], days: list[int], published: date | None
) -> DateRange | None:
    # a month after the publication month without a stated year is last year's
    if published and not re.search(r"\b(19|20)\d\d\b", text) and months[0] > published.month:
        year -= 1
    try:
        if days and len(months) == 1:
            start = date(year, months[0], min(days))
            end = date(year, months[0], max(days))
            return DateRange(start, end, "day")
        first, _ = month_range(year, min(months))
        _, last = month_range(year, max(months))
    except ValueError:
        return None
    if "early" in text:
        return DateRange(first, first + timedelta(days=9), "month")
    if "late" in text or "end of" in text:
        return DateRange(last - timedelta(days=9), last, "month")
    return DateRange(first, last, "month")


def relative(text: str, published: date) -> DateRange | None:
    for i, name in enumerate(WEEKDAYS):
        if name in text:
            back = (published.weekday() - i) % 7
            if "last" in text and back == 0:
                back = 7
            day = published - timedelta(days=back)
            return DateRange(day, day, "day")
    if "today" in text or "this morning" in text or "tonight" in text or "overnight" in text:
        return DateRange(published - timedelta(days="overnight" in text), published, "day")
    if "yesterday" in text or "last night" in text:
        day = published - timedelta(days=1)
        return DateRange(day, day, "day")
    ago = re.search(r"\b(\d+|one|two|three|four|five|six|seven|a|an|several|few)\s+"
                    r"(day|week|month)s?\s+ago", text)  # fmt: skip
    if ago:
        amount = int(ago.group(1)) if ago.group(1).isdigit() else _NUMBER[ago.group(1)]
        unit = ago.group(2)
        span = {"day": 1, "week": 7, "month": 30}[unit] * amount
        day = published - timedelta(days=span)
        precision: Precision = "day" if unit == "day" else ("week" if unit == "week" else "month")
        return DateRange(day, day, precision) if unit == "day" else widen(day, precision)
    if "this week" in text or "earlier this week" in text:
        start = published - timedelta(days=published.weekday())
        return DateRange(start, published, "week")
    if "last week" in text:
        start = published - timedelta(days=published.weekday() + 7)
        return DateRange(start, start + timedelta(days=6), "week")
    if "this month" in text or "earlier this month" in text:
        return DateRange(published.replace(day=1), published, "month")
    if "last month" in text:
        last = published.replace(day=1) - timedelta(days=1)
        return DateRange(last.replace(day=1), last, "month")
    if "this year" in text:
        return DateRange(date(published.year, 1, 1), published, "year")
    if "last year" in text:
        return DateRange(date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), "year")
    reach = stretch(text)
    if reach is not None:
        return DateRange(published - timedelta(days=reach), published, span_precision(reach))
    if re.search(r"\b(recent|past|last) (few |several )?days\b", text):
        return DateRange(published - timedelta(days=7), published, "week")
    return None


_STRETCH = re.compile(
    r"\b(past|last|previous|preceding)\s+(\d+|one|two|three|four|five|six|seven|a|an)?"
    r"\s*(hour|day|week|month)s?\b"
)


def stretch(text: str) -> int | None:
    """How many days back "the past 24 hours", "the last two days", "the past week" or "the
    previous month" reaches from publication; None for other phrases ("last week" without
    a number is the calendar week before)."""
    m = _STRETCH.search(text)
    if m is None:
        return None
    word, number, unit = m.groups()
    if number is None and (word == "last" or unit in ("hour", "day")):
        return None
    amount = 1 if number is None else int(number) if number.isdigit() else _NUMBER[number]
    if unit == "hour":
        return max(1, -(-amount // 24))
    return amount * {"day": 1, "week": 7, "month": 30}[unit]


def span_precision(days: int) -> Precision:
    return "day" if days <= 1 else "week" if days <= 7 else "month" if days <= 92 else "year"


def widen(day: date, precision: Precision) -> DateRange:
    if precision == "week":
        return DateRange(day - timedelta(days=3), day + timedelta(days=3), "week")
    first, last = month_range(day.year, day.month)
    return DateRange(first, last, "month")


def parse_iso(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
