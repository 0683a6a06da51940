"""extract: events from sentences — type, roles, place, date, fatalities, certainty.

A lexicon-and-dependency method: trigger words from ``data/lexicon.yaml`` type the
event; the parse gives roles (subject or ``by``-agent → actor1; object, passive
subject or ``against``/``on`` → actor2); place comes from the place mentions attached
to the trigger, else the nearest in the sentence, else the paragraph; dates from the
sentence resolved against the publication date; fatalities from killed counts;
certainty and attribution from hedges, modals, negation and reporting verbs above the
trigger. Nothing the text does not say is filled in.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from frontlines.annotate import Part
from frontlines.dates import parse_iso, resolve
from frontlines.errors import DataFileError
from frontlines.gazetteer import THEATRE_COUNTRIES, Gazetteer
from frontlines.link import Linked, number_value
from frontlines.models import (
    Certainty,
    Document,
    Event,
    EventPlace,
    Evidence,
    Mention,
    Precision,
    event_id,
)
from frontlines.paths import data_file
from frontlines.registry import Registry

STATE_KINDS = frozenset({"state_force", "government"})
PRECISE_FEATURES = frozenset(
    """
    populated_place village crossing dam oil_field gas_field base airport landmark camp
    """.split()
)
WIDE_FEATURES = frozenset({"governorate", "country"})
NEAR_WORDS = frozenset({"near", "outside", "around", "outskirts", "countryside", "vicinity",
                        "east", "west", "north", "south", "of", "bank", "km", "kilometres",
                        "kilometers", "miles"})  # fmt: skip


@dataclass(frozen=True)
class Trigger:
    type: str
    sub_type: str
    weak: bool


@dataclass(frozen=True)
class Lexicon:
    lemmas: dict[str, Trigger]
    phrases: dict[str, Trigger]
    hedges: tuple[str, ...]
    possible: frozenset[str]
    negation: frozenset[str]
    reporting: frozenset[str]
    victims: frozenset[str]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        file = Path(path) if path else data_file("lexicon.yaml")
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise DataFileError(str(file), f"cannot load event lexicon: {exc}") from exc
        lemmas: dict[str, Trigger] = {}
        phrases: dict[str, Trigger] = {}
        for entry in raw.get("triggers", []):
            trig = Trigger(entry["type"], entry["sub_type"], bool(entry.get("weak")))
            for lemma in entry.get("lemmas") or []:
                lemmas.setdefault(str(lemma), trig)
            for phrase in entry.get("phrases") or []:
                phrases.setdefault(str(phrase).lower(), trig)
        return cls(
            lemmas=lemmas,
            phrases=phrases,
            hedges=tuple(str(h).lower() for h in raw.get("hedges", [])),
            possible=frozenset(raw.get("possible", [])),
            negation=frozenset(raw.get("negation", [])),
            reporting=frozenset(raw.get("reporting", [])),
            victims=frozenset(raw.get("victims", [])),
        )


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


@dataclass(frozen=True)
class Context:
    """What one document's extraction needs: its mentions and the resources."""

    document: Document
    mentions: Sequence[Mention]
    registry: Registry
    gazetteer: Gazetteer
    lexicon: Lexicon
    published: date | None

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """Mentions starting in [start, end); ``mentions`` are sorted by start."""
        lo = bisect_left(self.mentions, start, key=lambda m: m.start)
        hi = bisect_left(self.mentions, end, key=lambda m: m.start)
        return list(self.mentions[lo:hi])


def extract(
    items: Iterable[Linked],
    registry: Registry,
    gazetteer: Gazetteer,
    lexicon: Lexicon | None = None,
) -> Iterator[tuple[Linked, tuple[Event, ...]]]:
    lex = lexicon or default_lexicon()
    for linked in items:
        doc = linked.annotated.document
        ctx = Context(doc, linked.mentions, registry, gazetteer, lex, parse_iso(doc.published))
        events: list[Event] = []
        for part in linked.annotated.parts:
            events.extend(part_events(ctx, part))
        yield linked, tuple(merge_duplicates(events))


def part_events(ctx: Context, part: Part) -> Iterator[Event]:
    previous_actor: str | None = None
    last_place: tuple[Mention, int] | None = None
    for sent in part.doc.sents:
        s_start, s_end = part.offset + sent.start_char, part.offset + sent.end_char
        in_sent = ctx.mentions_between(s_start, s_end)
        places = [m for m in in_sent if m.kind == "place" and m.ref]
        for trigger_tok, trigger in triggers(ctx.lexicon, sent):
            event = build_event(ctx, part, sent, trigger_tok, trigger, in_sent, previous_actor,
                                last_place)  # fmt: skip
            if event is not None:
                previous_actor = event.actor1 or previous_actor
                yield event
        if places:
            last_place = (places[-1], 2)
        actors = [m for m in in_sent if m.kind == "actor" and m.ref]
        if actors:
            previous_actor = actors[0].ref


def triggers(lex: Lexicon, sent: Any) -> list[tuple[Any, Trigger]]:
    """Trigger tokens of a sentence, one per (type, sub_type); weak ones only alone."""
    found: dict[tuple[str, str], tuple[Any, Trigger]] = {}
    lower = sent.text.lower()
    for phrase, trig in lex.phrases.items():
        idx = lower.find(phrase)
        if idx >= 0:
            tok = sent.char_span(idx, idx + len(phrase), alignment_mode="expand")
            if tok is not None:
                found.setdefault((trig.type, trig.sub_type), (tok.root, trig))
    for tok in sent:
        if tok.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ"):
            continue
        lemma = tok.lemma_.lower() if tok.lemma_ else tok.lower_
        hit = lex.lemmas.get(lemma) or lex.lemmas.get(tok.lower_)
        if hit is None or not plausible_trigger(tok, hit):
            continue
        found.setdefault((hit.type, hit.sub_type), (tok, hit))
    strong = [v for v in found.values() if not v[1].weak]
    return strong or list(found.values())[:1]


def plausible_trigger(tok: Any, trig: Trigger) -> bool:
    """Guards against the commonest false triggers."""
    low = tok.lower_
    if trig.sub_type == "territory" and tok.pos_ != "VERB" and low not in (
        "capture", "recapture", "liberation", "fall", "seizure"
    ):  # fmt: skip
        return False
    if low in ("take", "took", "taken", "taking") and not any(
        c.dep_ in ("dobj", "nsubjpass")
        and c.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "PERSON")
        or c.lower_ in ("control", "town", "city", "village")
        for c in tok.children
    ):
        return False
    if low in ("control", "controls", "controlled", "enter", "entered") and tok.pos_ != "VERB":
        return False
    return not (trig.sub_type == "air_drone_strike" and low in ("strike", "strikes") and
                not air_context(tok))  # fmt: skip


def air_context(tok: Any) -> bool:
    window = tok.doc[max(0, tok.i - 4) : tok.i + 5].text.lower()
    return any(w in window for w in ("air", "drone", "warplane", "jet", "coalition", "aircraft"))


def build_event(
    ctx: Context,
    part: Part,
    sent: Any,
    tok: Any,
    trig: Trigger,
    in_sent: list[Mention],
    previous_actor: str | None,
    last_place: tuple[Mention, int] | None,
) -> Event | None:
    actor1, actor2 = roles(part, tok, in_sent, previous_actor)
    sub_type = trig.sub_type
    if sub_type == "territory":
        sub_type = territory_sub_type(ctx.registry, actor1)
    place = event_place(ctx, part, sent, tok, in_sent, last_place)
    date_start, date_end, precision = event_dates(ctx, part, sent, in_sent)
    fatalities, note = fatality_count(ctx.lexicon, sent)
    certainty, attributed = certainty_of(ctx.lexicon, sent, tok)
    if actor1 is None and actor2 is None and place is None:
        return None
    start = part.offset + sent.start_char
    evidence = Evidence(start, part.offset + sent.end_char, sent.text.strip())
    return Event(
        id=event_id(ctx.document.id, start, sub_type),
        doc_id=ctx.document.id,
        evidence=evidence,
        type=trig.type,
        sub_type=sub_type,
        actor1=actor1,
        actor2=actor2,
        place=place,
        date_start=date_start,
        date_end=date_end,
        time_precision=precision,
        fatalities=fatalities,
        certainty=certainty,
        attributed_to=attributed,
        from_comment=part.kind == "comment",
        notes=note,
    )


def territory_sub_type(registry: Registry, actor: str | None) -> str:
    if actor is not None:
        for anc in registry.lineage(actor):
            found = registry.get(anc)
            if found and found.kind in STATE_KINDS:
                return "government_regains_territory"
    return "non_state_actor_overtakes_territory" if actor else "government_regains_territory"


def token_actor(part: Part, mentions: list[Mention], tokens: Iterable[Any]) -> str | None:
    """The first actor mention whose span covers one of the tokens."""
    for t in tokens:
        pos = part.offset + t.idx
        for m in mentions:
            if m.kind == "actor" and m.ref and m.start <= pos < m.end:
                return m.ref
    return None


def roles(
    part: Part, tok: Any, mentions: list[Mention], previous: str | None
) -> tuple[str | None, str | None]:
    verb = tok if tok.pos_ == "VERB" else tok.head
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    agents = [g for c in verb.children if c.dep_ == "agent" for g in c.subtree]
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in
             ("against", "on", "from", "targeting", "with")]  # fmt: skip
    own = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
    by = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.subtree]
    actor1 = (
        token_actor(part, mentions, agents)
        or token_actor(part, mentions, by)
        or token_actor(part, mentions, own)
        or token_actor(part, mentions, [t for s in subj for t in s.subtree])
    )
    target_tokens = [t for o in objs for t in o.subtree] + [t for p in preps for t in p.subtree]
    if passive:
        target_tokens = [t for p in passive for t in p.subtree] + target_tokens
    actor2 = token_actor(part, mentions, target_tokens)
    if tok.pos_ != "VERB":
        noun_preps = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in
                      ("on", "against", "targeting") for g in c.subtree]  # fmt: skip
        actor2 = actor2 or token_actor(part, mentions, noun_preps)
    if actor1 is None and any(s.lower_ in ("they", "it", "he", "she", "we") for s in subj):
        actor1 = previous
    if actor1 is None:
        actor1 = nearest_actor(part, tok, mentions, before=True, exclude=actor2)
    if actor2 is None:
        actor2 = nearest_actor(part, tok, mentions, before=False, exclude=actor1)
    if actor1 == actor2:
        actor2 = None
    return actor1, actor2


def nearest_actor(
    part: Part, tok: Any, mentions: list[Mention], before: bool, exclude: str | None
) -> str | None:
    pos = part.offset + tok.idx
    actors = [m for m in mentions if m.kind == "actor" and m.ref and m.ref != exclude
              and m.label != "metonym"]  # fmt: skip
    side = [m for m in actors if (m.end <= pos if before else m.start > pos)]
    if not side:
        return None
    chosen = side[-1] if before else side[0]
    return chosen.ref


def event_place(
    ctx: Context,
    part: Part,
    sent: Any,
    tok: Any,
    in_sent: list[Mention],
    last_place: tuple[Mention, int] | None,
) -> EventPlace | None:
    places = [m for m in in_sent if m.kind == "place" and m.ref]
    attached = [m for m in places if attached_to(part, tok, m)]
    ranked = sorted(attached or places, key=lambda m: (feature_rank(ctx, m), abs(
        m.start - (part.offset + tok.idx))))  # fmt: skip
    if ranked:
        mention = ranked[0]
        return place_of(ctx, mention, near=is_near(part, mention))
    if last_place is not None:
        return place_of(ctx, last_place[0], near=True)
    return None


def feature_rank(ctx: Context, mention: Mention) -> int:
    """Theatre towns first, then areas, then provinces and countries, then elsewhere."""
    place = ctx.gazetteer.get(mention.ref or "")
    if place is None:
        return 9
    outside = 0 if place.country in THEATRE_COUNTRIES or place.id.startswith("fl:") else 4
    if place.feature in PRECISE_FEATURES:
        return outside
    return outside + (2 if place.feature in WIDE_FEATURES else 1)


def attached_to(part: Part, tok: Any, mention: Mention) -> bool:
    """True when the place token sits under the trigger (or its verb) in the parse."""
    span = part.doc.char_span(mention.start - part.offset, mention.end - part.offset,
                              alignment_mode="expand")  # fmt: skip
    if span is None:
        return False
    heads = {tok.i, tok.head.i}
    node = span.root
    for _ in range(6):
        if node.i in heads:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def is_near(part: Part, mention: Mention) -> bool:
    span = part.doc.char_span(mention.start - part.offset, mention.end - part.offset,
                              alignment_mode="expand")  # fmt: skip
    if span is None:
        return False
    before = part.doc[max(0, span.start - 4) : span.start]
    return any(t.lower_ in NEAR_WORDS - {"of"} for t in before)


def place_of(ctx: Context, mention: Mention, near: bool) -> EventPlace | None:
    place = ctx.gazetteer.get(mention.ref or "")
    if place is None:
        return None
    if place.feature in WIDE_FEATURES:
        precision = 3
    elif near or place.feature in ("region", "river", "district"):
        precision = 2
    else:
        precision = 1
    return EventPlace(place.id, place.name, place.lat, place.lon, precision, place.country,
                      place.admin1)  # fmt: skip


def event_dates(
    ctx: Context, part: Part, sent: Any, in_sent: list[Mention]
) -> tuple[str | None, str | None, Precision]:
    for m in in_sent:
        if m.kind == "date":
            found = resolve(m.text, ctx.published)
            if found is not None:
                start, end = found.iso
                return start, end, found.precision
    if ctx.published is None:
        return None, None, "unknown"
    if ctx.document.published_precision != "day":
        return None, None, "unknown"
    # no date in the sentence: reported in the days up to publication
    start = (ctx.published - timedelta(days=6)).isoformat()
    return start, ctx.published.isoformat(), "week"


_KILLED = re.compile(r"\b(kill|killed|killing|kills|dead|died|die|dies|deaths?|lives|slain|"
                     r"toll|massacred|executed|beheaded|perished)\b", re.I)  # fmt: skip
NUMBER_DEPS = frozenset(
    "nummod nsubj nsubjpass dobj pobj appos conj attr quantmod compound".split()
)
_VAGUE = re.compile(r"\b(dozens|scores|hundreds|several|many|numerous|a number) of\b", re.I)


def fatality_count(lex: Lexicon, sent: Any) -> tuple[int | None, str | None]:
    """Killed counts stated in the sentence ('killing 7 policemen and 3 civilians')."""
    text = sent.text
    if not _KILLED.search(text):
        return None, None
    total = 0
    found = False
    for tok in sent:
        if tok.like_num and tok.dep_ in NUMBER_DEPS:
            value = number_value(tok.text)
            head = tok.head
            if value is None or value > 100_000 or head.lower_ in ("km", "kilometres", "miles"):
                continue
            noun = head if head.pos_ in ("NOUN", "PROPN") else tok
            victim = noun.lemma_.lower() in lex.victims or noun.lower_ in lex.victims
            if (victim or (noun is tok and killed_near(tok))) and (
                killed_near(noun) and not wounded_near(noun)
            ):
                total += value
                found = True
    if found:
        return total, None
    vague = _VAGUE.search(text)
    if vague:
        return None, f"fatalities given only as '{vague.group(0).strip()}'"
    return None, None


def killed_near(tok: Any) -> bool:
    """A killing verb or noun in the token's clause."""
    node = tok
    for _ in range(4):
        if _KILLED.fullmatch(node.text) or _KILLED.fullmatch(node.lemma_ or ""):
            return True
        for child in node.children:
            if _KILLED.fullmatch(child.text):
                return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def wounded_near(tok: Any) -> bool:
    return any(t.lower_ in ("wounded", "injured", "injuring", "wounding") for t in tok.head.children
               if t.i < tok.i) and not killed_near(tok.head)  # fmt: skip


def certainty_of(lex: Lexicon, sent: Any, tok: Any) -> tuple[Certainty, str | None]:
    """Certainty from hedges, negation and modals over the trigger; attribution from
    the reporting verb that governs it."""
    lower = sent.text.lower()
    attributed = attribution(lex, sent, tok)
    governors = list(tok.ancestors)[:4] + [tok]
    for node in governors:
        kids = [c.lower_ for c in node.children if c.dep_ in ("neg", "aux", "auxpass")]
        if any(k in ("not", "n't", "never", "no") for k in kids) or node.lemma_ in (
            "deny", "refute", "dismiss"
        ):  # fmt: skip
            return "denied", attributed
    if re.search(r"\b(no plans? to|denied|denies|deny|rejected claims|dismissed reports)\b",
                 lower):  # fmt: skip
        return "denied", attributed
    if any(h in lower for h in lex.hedges):
        return "unconfirmed", attributed
    for node in governors:
        kids = [c.lower_ for c in node.children if c.dep_ == "aux"]
        if any(k in lex.possible for k in kids) or node.lemma_ in lex.possible:
            return "possible", attributed
    if attributed:
        return "reported", attributed
    return "asserted", None


def attribution(lex: Lexicon, sent: Any, tok: Any) -> str | None:
    """Who the sentence says the claim comes from ('state media, citing a military source')."""
    lower = sent.text.lower()
    match = re.search(r"according to ([^,.;]+)", sent.text, re.I)
    if match:
        return match.group(1).strip()
    for node in [tok, *tok.ancestors, *sent.root.children, sent.root]:
        lemma = (node.lemma_ or "").lower()
        if lemma in lex.reporting and node.pos_ == "VERB":
            subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                words = [t for t in subj[0].subtree]
                text = sent.doc[words[0].i : words[-1].i + 1].text
                cite = re.search(r"citing ([^,.;]+)", lower)
                if cite:
                    text = f"{text}, citing {cite.group(1).strip()}"
                if text.lower() not in ("it", "he", "she", "they", "we", "i"):
                    return str(text).strip()
    return None


def merge_duplicates(events: list[Event]) -> list[Event]:
    """A headline and the lead that repeats it are one event: keep the fuller one."""
    kept: list[Event] = []
    for event in events:
        twin = next((k for k in kept if k.same_happening(event)), None)
        if twin is None:
            kept.append(event)
            continue
        if completeness(event) > completeness(twin):
            kept[kept.index(twin)] = replace(event, id=twin.id)
    return kept


def completeness(event: Event) -> int:
    fields = (event.actor1, event.actor2, event.place, event.date_start, event.fatalities)
    return sum(1 for f in fields if f is not None)
