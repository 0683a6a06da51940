"""FA-KES (Abu Salem et al., ICWSM 2019): real Syrian-war news scored against its
crowd-annotated main event.

Each article is ingested into a scratch store through the pipeline's own stages, with
its outlet as publisher and the dateline that opens the copy ("Thu 14 Apr 2016") as
publication date. Its main event is chosen by a stated rule (``MAIN_RULES``) and
compared with the gold: governorate, date within a day, actor (gold category → registry
actors, data/fakes-mapping.yaml), cause of death → ACLED sub-event types, and
fatalities. The credibility label is compared with frontlines' own signals
(corroboration, contradictions, certainty) as an area under the ROC curve.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from frontlines.dates import WEEKDAYS, DateRange, resolve
from frontlines.errors import DataFileError, UsageError
from frontlines.metadata import MONTHS, full_dates
from frontlines.models import CERTAINTIES, Document, Event, Rejected, content_id
from frontlines.paths import data_file
from frontlines.pipeline import BATCH, Resources, process_safely, refuse, segment_all
from frontlines.read import RawInput
from frontlines.registry import Registry
from frontlines.store import Store

COLUMNS = ("unit_id", "article_title", "article_content", "source", "date", "location",
           "actor", "cause_of_death", "nb_children", "nb_civilians", "nb_noncivilians",
           "nb_women", "label")  # fmt: skip
VIOLENT = ("remote_violence", "battle", "violence_against_civilians")
FIELDS = ("governorate", "date", "actor", "type", "casualties_exact", "casualties_10pct",
          "casualties_x2")  # fmt: skip
HEAD_CHARS = 160
"""How far into the copy a dateline is looked for (SANA puts it after the headline)."""
AGENCY_CHARS = 600
"""How far an agency credit with a weekday and date ("AFP Saturday 10 Aug 2013") is looked
for (Ahram Online runs headline and lead before it)."""
_WEEKDAY_DATE = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? (\d{1,2} [a-z]{3,9}\.? (?:19|20)\d\d)\b", re.I
)
_GLUED = re.compile(r"\b([a-z]{3,9})\.? (\d{1,2})((?:19|20)\d\d)\b", re.I)


@dataclass(frozen=True)
class GoldArticle:
    unit_id: str
    title: str
    content: str
    source: str
    day: date | None
    governorate: str
    actor: str
    cause: str
    fatalities: int
    credible: bool


@dataclass(frozen=True)
class Mapping:
    governorates: dict[str, frozenset[str]]
    actors: dict[str, frozenset[str]]
    causes: dict[str, frozenset[tuple[str, str]]]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Mapping:
        file = Path(path) if path else data_file("fakes-mapping.yaml")
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
            return cls(
                governorates={k: frozenset(v) for k, v in raw["governorates"].items()},
                actors={k: frozenset(v or ()) for k, v in raw["actors"].items()},
                causes={k: frozenset((t, s) for t, s in v or ()) for k, v in raw["causes"].items()},
            )
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataFileError(str(file), f"cannot load the FA-KES mapping: {exc}") from exc

    def category(self, registry: Registry, actor: str | None) -> str:
        """The gold category an actor id falls under: 'none', a category, or 'other'."""
        if actor is None:
            return "none"
        lineage = set(registry.lineage(actor)) | {actor}
        for name, ids in self.actors.items():
            if lineage & ids:
                return name
        return "other"

    def cause_of(self, event: Event | None) -> str:
        """The gold cause of death an event's sub-type stands for (first match)."""
        if event is None:
            return "none"
        for name, pairs in self.causes.items():
            if (event.type, event.sub_type) in pairs:
                return name
        return f"other:{event.sub_type}"


def dateline(content: str) -> date | None:
    """The publication date near the top of FA-KES copy: "Thu 14 Apr 2016", "Date of
    publication 23 March 2016", "Published November 9 2015", "17.03.2015", an agency
    credit such as "AFP Friday 12 Jun 2015", or with the comma and space lost in the
    corpus's export, "Last updated at Sep 212017"."""
    head = content[:HEAD_CHARS]
    found = full_dates(head)
    if found:
        return found[0]
    credited = _WEEKDAY_DATE.search(content[:AGENCY_CHARS])  # "... AFP Saturday 10 Aug 2013"
    if credited:
        return full_dates(credited.group(1))[0]
    glued = _GLUED.search(head)
    month = MONTHS.get(glued.group(1).lower()[:3]) if glued else None
    if glued is None or month is None:
        return None
    try:
        return date(int(glued.group(3)), month, int(glued.group(2)))
    except ValueError:
        return None


def gold_day(text: str) -> date | None:
    """FA-KES event dates are M/D/YY."""
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*", text)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def count(row: dict[str, str], column: str) -> int:
    value = (row.get(column) or "0").strip()
    return int(value) if value.isdigit() else 0


def gold_fatalities(row: dict[str, str]) -> int:
    """Civilians plus non-civilians. Children and women are a subset of civilians in the
    annotation ('18 killed including five children' is 18 civilians, 5 children), so
    they count only where they exceed the civilian figure."""
    civilians = max(count(row, "nb_civilians"), count(row, "nb_children") + count(row, "nb_women"))
    return civilians + count(row, "nb_noncivilians")


def load_articles(path: str | Path, limit: int | None = None) -> list[GoldArticle]:
    """The rows of a FA-KES CSV file, in file order."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise UsageError(f"{path}: not a FA-KES file, missing columns {missing}")
            rows = list(islice(reader, limit))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path}: cannot read the FA-KES file: {exc}") from exc
    return [
        GoldArticle(
            unit_id=row["unit_id"],
            title=row["article_title"],
            content=row["article_content"],
            source=row["source"],
            day=gold_day(row["date"]),
            governorate=row["location"].strip().lower(),
            actor=row["actor"].strip().lower(),
            cause=row["cause_of_death"].strip().lower(),
            fatalities=gold_fatalities(row),
            credible=row["label"].strip() == "1",
        )
        for row in rows
    ]


def raw_input(article: GoldArticle) -> RawInput:
    day = dateline(article.content)
    return RawInput(
        origin=f"fakes:{article.unit_id}",
        content=article.content,
        format="text",
        title=article.title or None,
        published=day.isoformat() if day else None,
        source=article.source,
    )


def ingest_articles(
    articles: Sequence[GoldArticle], store: Store, res: Resources
) -> list[Rejected]:
    """Segment, process and store every article (the pipeline's stages), then fuse."""
    rejected: list[Rejected] = []
    stream = segment_all((raw_input(a) for a in articles), None, None)
    stored = False
    while batch := list(islice(stream, BATCH)):
        fresh: list[Document] = []
        for item in batch:
            if isinstance(item, Rejected):
                rejected.append(item)
            elif not store.has_document(item.id) and all(d.id != item.id for d in fresh):
                fresh.append(item)
        for result in process_safely(fresh, res) if fresh else ():
            if isinstance(result, Rejected):
                rejected.append(result)
            else:
                stored |= store.save_document(result.document, result.mentions, result.events)
    if stored:
        refuse(store, res)
    return rejected


# --- the main event --------------------------------------------------------------------


def lead_end(text: str, title: str) -> int:
    """Where the headline and the first sentence after it end."""
    start = text.find(title) + len(title) if title and title in text else 0
    stop = re.search(r"[.!?](?:\s|$)", text[start + 1 :])
    return start + 1 + stop.end() if stop else len(text)


SPECIFIC = ("chemical_weapon", "suicide_bomb", "remote_explosive_ied",
            "shelling_artillery_missile", "air_drone_strike", "attack", "armed_clash")  # fmt: skip
"""Sub-types from most to least specific: one sentence can hold several events (a weak
'killed' and a strong 'air strike'), and the most specific one says what happened."""


def specificity(event: Event) -> int:
    return SPECIFIC.index(event.sub_type) if event.sub_type in SPECIFIC else len(SPECIFIC)


def main_by_lead(events: Sequence[Event], text: str, title: str) -> Event | None:
    """The most specific violent event of the headline and lead (they tell one story, and
    "24 killed" there is the "air strike" beside it); among equals the one placed within
    a governorate before one placed only in a country ("strikes kill 7 in Syria" over
    "... in Idlib province"), then the earliest; else the violent event with most
    fatalities; else the first event. Only chooses: where a country-wide event happened
    is the pipeline's business (``extract.placed_by_story``)."""
    violent = [e for e in events if e.type in VIOLENT]
    end = lead_end(text, title)
    lead = [e for e in violent if e.evidence.start < end]
    if lead:
        return min(lead, key=lambda e: (specificity(e), country_wide(e), e.evidence.start))
    return main_by_fatalities(events, text, title)


def country_wide(event: Event) -> bool:
    """Whether an event is placed no finer than a country."""
    return event.place is None or event.place.admin1 is None


def main_by_fatalities(events: Sequence[Event], text: str, title: str) -> Event | None:
    """The violent event with most fatalities (the earliest among equals); else the first."""
    violent = [e for e in events if e.type in VIOLENT]
    if violent:
        return max(violent, key=lambda e: (e.fatalities or 0, -e.evidence.start))
    return events[0] if events else None


MAIN_RULES: dict[str, Callable[[Sequence[Event], str, str], Event | None]] = {
    "lead": main_by_lead,
    "fatalities": main_by_fatalities,
}


# --- scoring ---------------------------------------------------------------------------


@dataclass
class Case:
    """One article's gold against its main event; None where a field is not scored."""

    article: GoldArticle
    event: Event | None
    scores: dict[str, bool | None]
    predicted: dict[str, str]

    @property
    def errors(self) -> int:
        return sum(1 for v in self.scores.values() if v is False)

    def row(self) -> dict[str, Any]:
        a = self.article
        return {
            "unit_id": a.unit_id, "source": a.source, "title": a.title[:90],
            "gold": {"governorate": a.governorate, "date": a.day.isoformat() if a.day else None,
                     "actor": a.actor, "cause": a.cause, "fatalities": a.fatalities},
            "predicted": self.predicted,
            "evidence": self.event.evidence.text[:160] if self.event else None,
            "wrong": [k for k, v in self.scores.items() if v is False],
        }  # fmt: skip


@dataclass
class FakesReport:
    rule: str
    articles: int
    with_event: int
    correct: dict[str, int] = field(default_factory=dict)
    scored: dict[str, int] = field(default_factory=dict)
    type_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    actor_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    unknown_actor_left_empty: float = 0.0
    credibility_auc: dict[str, float] = field(default_factory=dict)
    date_doubts: dict[str, int] = field(default_factory=dict)
    worst: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        n = self.scored.get(name, 0)
        return round(self.correct.get(name, 0) / n, 4) if n else 0.0

    def date_ceiling_estimate(self) -> float:
        """An estimate of the best date accuracy this gold allows: the share of gold dates
        the copy supports, every row ``date_doubt`` flags counted as missed."""
        n = self.scored.get("date", 0)
        return round((n - sum(self.date_doubts.values())) / n, 4) if n else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "articles": self.articles,
            "with_main_event": self.with_event,
            "accuracy": {f: self.accuracy(f) for f in FIELDS},
            "scored": dict(self.scored),
            "type_confusion": self.type_confusion,
            "actor_confusion": self.actor_confusion,
            "unknown_actor_left_empty": self.unknown_actor_left_empty,
            "credibility_auc": self.credibility_auc,
            "date_doubts": self.date_doubts,
            "date_ceiling_estimate": self.date_ceiling_estimate(),
            "worst": self.worst,
            "rejected": self.rejected,
        }


_MONTH_WORD = "|".join(sorted({*MONTHS, "sept"}, key=len, reverse=True))
_WEEKDAY_WORD = "|".join(WEEKDAYS)
_CANDIDATES = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_WORD})\b\.?"  # 21 August
    rf"|(?:{_MONTH_WORD})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"  # August 21
    rf"|(?:last\s+)?(?:{_WEEKDAY_WORD})\b"  # (last) Friday
    r"|yesterday|today|tonight|overnight|this morning|last night"
    r"|(?:\d+|one|two|three|four|five|six|seven|a|an|several|few)\s+days?\s+ago)",
    re.I,
)
"""Date phrases that can name one day without a year; full dates ("21 August 2013",
"21.08.2013") are found by ``metadata.full_dates``."""


def date_phrases(text: str) -> list[str]:
    """Every phrase of a text that may date something to a day: full written or numeric
    dates, a day of a month, a weekday, and relative days ("yesterday", "three days
    ago"). More than the pipeline reads (it needs its tagger to find them): a generous
    list, so that a gold day none of them reaches is one ``dates.resolve`` cannot give."""
    phrases = [d.isoformat() for d in full_dates(text)]
    return phrases + [m.group() for m in _CANDIDATES.finditer(text)]


def within_a_day(found: DateRange | None, gold: date) -> bool:
    """A resolved range that ``date_ok`` would accept for the gold date."""
    return found is not None and (
        gold - timedelta(days=1) <= found.start and found.end <= gold + timedelta(days=1)
    )


def date_doubt(article: GoldArticle) -> str | None:
    """Why the copy does not support an article's gold date, or None where something in
    it might: no phrase of title or copy (``date_phrases``), resolved by ``dates.resolve``
    against the dateline as the pipeline resolves it, falls within a day of the gold date,
    nor does the dateline itself (an undated lead is dated the day before publication to
    publication). An estimate: the phrases are found by pattern, not read in context, so
    a row passes when any of them would do. The reason: 'undatable' (no dateline, and no
    full date in the copy that fits), 'after_publication' (the gold day is more than a
    day after the dateline) or 'not_in_copy'."""
    gold, published = article.day, dateline(article.content)
    if gold is None:
        return None
    if published is not None and 0 <= (published - gold).days <= 1:
        return None  # the undated lead's reading of the news of the day
    text = f"{article.title} {article.content}"
    if any(within_a_day(resolve(p, published), gold) for p in date_phrases(text)):
        return None
    if published is None:
        return "undatable"
    return "after_publication" if gold > published + timedelta(days=1) else "not_in_copy"


def date_ok(event: Event, gold: date) -> bool:
    """The event's whole date range lies within a day of the gold date."""
    if event.date_start is None or event.date_end is None:
        return False
    start, end = date.fromisoformat(event.date_start), date.fromisoformat(event.date_end)
    return gold - timedelta(days=1) <= start and end <= gold + timedelta(days=1)


def score_case(article: GoldArticle, event: Event | None, mapping: Mapping,
               registry: Registry) -> Case:  # fmt: skip
    scores: dict[str, bool | None] = dict.fromkeys(FIELDS)
    admin1 = event.place.admin1 if event and event.place else None
    wanted = mapping.governorates.get(article.governorate)
    if wanted is not None:
        scores["governorate"] = admin1 in wanted
    if article.day is not None:
        scores["date"] = event is not None and date_ok(event, article.day)
    actor_cat = mapping.category(registry, event.actor1 if event else None)
    if mapping.actors.get(article.actor):
        scores["actor"] = actor_cat == article.actor
    cause = mapping.cause_of(event)
    if mapping.causes.get(article.cause):
        scores["type"] = event is not None and (event.type, event.sub_type) in mapping.causes[
            article.cause]  # fmt: skip
    if article.fatalities > 0:
        got = event.fatalities if event else None
        off = abs(got - article.fatalities) if got is not None else None
        scores["casualties_exact"] = off == 0
        scores["casualties_10pct"] = off is not None and off <= 0.1 * article.fatalities
        scores["casualties_x2"] = got is not None and got > 0 and (
            article.fatalities / 2 <= got <= article.fatalities * 2)  # fmt: skip
    predicted = {
        "governorate": admin1 or "none",
        "date": f"{event.date_start}..{event.date_end}" if event else "none",
        "actor": f"{actor_cat} ({event.actor1})" if event and event.actor1 else actor_cat,
        "type": f"{event.type}/{event.sub_type}" if event else "none",
        "cause": cause,
        "fatalities": str(event.fatalities) if event else "none",
    }
    return Case(article, event, scores, predicted)


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (Mann–Whitney, ties counted half)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return 0.5
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return round(wins / (len(pos) * len(neg)), 4)


def credibility_signals(store: Store, cases: Sequence[Case]) -> dict[str, list[float]]:
    """Simple per-article scores from frontlines' own signals."""
    cluster_of = {e: c for c in store.clusters() for e in c.event_ids}
    contradicted: Counter[str] = Counter()
    for con in store.contradictions():
        contradicted[con.a] += 1
        contradicted[con.b] += 1
    rank = {c: len(CERTAINTIES) - i for i, c in enumerate(CERTAINTIES)}
    signals: dict[str, list[float]] = {
        "corroboration": [], "no_contradiction": [], "certainty": [], "combined": []
    }  # fmt: skip
    for case in cases:
        ev = case.event
        cluster = cluster_of.get(ev.id) if ev else None
        corroboration = float(cluster.corroboration if cluster else 0)
        clean = -float(contradicted[ev.id]) if ev else 0.0
        certainty = float(rank[ev.certainty]) if ev else 0.0
        signals["corroboration"].append(corroboration)
        signals["no_contradiction"].append(clean)
        signals["certainty"].append(certainty)
        signals["combined"].append(corroboration + clean + certainty / len(CERTAINTIES))
    return signals


def confusion(pairs: Iterator[tuple[str, str]]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = {}
    for gold, got in pairs:
        table.setdefault(gold, Counter())[got] += 1
    return {g: dict(c.most_common()) for g, c in sorted(table.items())}


def copy_of(store: Store, article: GoldArticle) -> Document | None:
    """The stored document with the same copy as an article the store kept under another
    row (the corpus carries a few articles twice, from one outlet's two pages). The
    article goes in as plain text, whose document is its copy as is, so its id is the
    hash of the copy (``content_id``); nothing is segmented again."""
    return store.document(content_id(article.content))


def score_store(
    store: Store,
    articles: Sequence[GoldArticle],
    registry: Registry,
    rule: str = "lead",
    mapping: Mapping | None = None,
) -> FakesReport:
    if rule not in MAIN_RULES:
        raise UsageError(f"unknown main-event rule {rule!r}; use one of {sorted(MAIN_RULES)}")
    mapping = mapping or Mapping.load()
    choose = MAIN_RULES[rule]
    doc_of = {d.origin: d for d in store.documents()}
    cases = []
    for article in articles:
        doc = doc_of.get(f"fakes:{article.unit_id}") or copy_of(store, article)
        events = [e for e in store.events(doc.id) if not e.from_comment] if doc else []
        events.sort(key=lambda e: e.evidence.start)
        event = choose(events, doc.text, article.title) if doc else None
        cases.append(score_case(article, event, mapping, registry))
    report = FakesReport(rule, len(articles), sum(1 for c in cases if c.event))
    for name in FIELDS:
        marks = [c.scores[name] for c in cases if c.scores[name] is not None]
        report.scored[name] = len(marks)
        report.correct[name] = sum(1 for m in marks if m)
    doubts = Counter(d for a in articles if (d := date_doubt(a)) is not None)
    report.date_doubts = {k: doubts[k] for k in ("undatable", "after_publication", "not_in_copy")}
    report.type_confusion = confusion((c.article.cause, c.predicted["type"]) for c in cases)
    report.actor_confusion = confusion(
        (c.article.actor, c.predicted["actor"].split(" (")[0]) for c in cases
    )
    unknown = [c for c in cases if c.article.actor == "unknown"]
    if unknown:
        empty = sum(1 for c in unknown if c.event is None or c.event.actor1 is None)
        report.unknown_actor_left_empty = round(empty / len(unknown), 4)
    labels = [c.article.credible for c in cases]
    report.credibility_auc = {
        name: auc(values, labels) for name, values in credibility_signals(store, cases).items()
    }
    worst = sorted(cases, key=lambda c: (-c.errors, c.article.unit_id))[:20]
    report.worst = [c.row() for c in worst if c.errors]
    return report


def evaluate_fakes(
    path: str | Path,
    store: Store,
    res: Resources,
    limit: int | None = None,
    rule: str = "lead",
) -> FakesReport:
    """Ingest a FA-KES file into ``store`` and score its main events against the gold."""
    articles = load_articles(path, limit)
    if not articles:
        raise UsageError(f"{path}: no articles to score")
    rejected = ingest_articles(articles, store, res)
    report = score_store(store, articles, res.registry, rule)
    report.rejected = [f"{r.origin}: {r.stage}: {r.reason}" for r in rejected]
    return report
