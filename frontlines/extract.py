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
from functools import cached_property
from itertools import islice
from typing import Any

from frontlines.annotate import Part
from frontlines.certainty import certainty_of
from frontlines.dates import DateRange, credit_spans, parse_iso, resolve, whole_date
from frontlines.gazetteer import THEATRE_COUNTRIES, Gazetteer
from frontlines.lexicon import Lexicon, Trigger, default_lexicon
from frontlines.link import Linked, blamed_actors, is_where, number_value
from frontlines.metadata import dateline_end
from frontlines.models import (
    Document,
    Event,
    EventPlace,
    Evidence,
    Mention,
    Place,
    Precision,
    event_id,
)
from frontlines.registry import Registry
from frontlines.tolls import KILLED, fatality_count

STATE_KINDS = frozenset({"state_force", "government"})
PRECISE_FEATURES = frozenset(
    """
    populated_place village crossing dam oil_field gas_field base airport landmark camp
    """.split()
)
WIDE_FEATURES = frozenset({"governorate", "country"})
VIOLENT_TYPES = frozenset({"battle", "remote_violence", "violence_against_civilians"})
AIR_WORDS = ("air", "aerial", "drone", "warplane", "jet", "coalition", "aircraft", "plane",
             "helicopter", "barrel", "vacuum", "cluster", "raid", "russian", "regime")  # fmt: skip
NARROW_CHARS = 400  # how far after a country-wide event its town is looked for
LEAD_OFFSET = 300  # a body part starting later than this does not hold the headline
NEAR_WORDS = frozenset({"near", "outside", "around", "outskirts", "countryside", "vicinity",
                        "east", "west", "north", "south", "of", "bank", "km", "kilometres",
                        "kilometers", "miles", "neighbourhood", "neighborhood", "district",
                        "quarter", "suburb"})  # fmt: skip


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

    @cached_property
    def credits(self) -> list[tuple[int, int]]:
        """Where the copy names its own publication day (``credit_spans``), found once."""
        return credit_spans(self.document.text, self.published)

    @cached_property
    def captions(self) -> list[tuple[int, int]]:
        """Where the copy runs a photo caption into its text (``caption_spans``)."""
        return caption_spans(self.document.text)

    @cached_property
    def leads(self) -> dict[int, frozenset[int]]:
        """Headline and lead sentence starts of each body part by its offset (``in_lead``)."""
        return {}

    def in_caption(self, at: int) -> bool:
        return any(start <= at < end for start, end in self.captions)

    def date_of(self, mention: Mention) -> DateRange | None:
        """A date mention resolved as the whole written date it is part of ("September
        2016" in "6 September 2016")."""
        text = self.document.text
        return resolve(whole_date(text, mention.start, mention.end) or mention.text, self.published)


_PHOTO_CREDIT = re.compile(
    r"\((?:[^()\n]{0,40}\b)?(?:photos?|images?|pictures?|agencies|getty)\b[^()\n]{0,40}\)", re.I
)
CAPTION_CHARS = 400  # the longest stretch before a photo credit taken as its caption


def caption_spans(text: str) -> list[tuple[int, int]]:
    """Photo captions run into the text, as copy pasted from a web page has them: the
    words since the last sentence end that a photo credit closes ("... fighters in Aleppo
    on Monday (AFP photo) BEIRUT Air strikes ..."), credit included. A caption tells what
    a picture shows, often another place than the story's. A credit after a full stop is
    left alone: the sentence before it may be the lead or standfirst, the caption lost."""
    spans: list[tuple[int, int]] = []
    for credit in _PHOTO_CREDIT.finditer(text):
        start = max(0, credit.start() - CAPTION_CHARS)
        before = text[start : credit.start()]
        if before.rstrip().endswith((".", "!", "?")):
            continue
        stop = max(before.rfind(". "), before.rfind("! "), before.rfind("? "), before.rfind("\n"))
        spans.append((start + stop + 1 if stop >= 0 else start, credit.end()))
    return spans


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
        seen: set[str] = set()  # event types told so far, for "the attack" further down
        for part in linked.annotated.parts:
            events.extend(narrow_place(ctx, e) for e in part_events(ctx, part, seen))
        lead = second_sentence_end(linked.annotated.parts)
        blamed = blames(ctx, linked.annotated.parts)
        events = blamed_by_story(ctx, story_doers(ctx, sides_by_story(events), lead), blamed, lead)
        events = [with_opponent(ctx, e) for e in events]
        events = story_tolls(ctx, dated_by_retelling(ctx, dated_by_story(ctx, events)), lead)
        events = placed_by_story(ctx, events)
        yield linked, tuple(merge_duplicates(drop_repeated_headline(doc, events, ctx)))


TOLL_SENTENCES = 2  # how many sentences after a lead event its toll is looked for
TOLL_CHARS = 600  # and how far
GENERIC = frozenset({"armed_clash", "attack"})  # what a sentence that only tells a toll is typed
FAMILIES = (frozenset({"air_drone_strike", "shelling_artillery_missile"}),
            frozenset({"remote_explosive_ied", "suicide_bomb"}))  # fmt: skip
TERRITORY = frozenset({"government_regains_territory", "non_state_actor_overtakes_territory"})
_RUNNING = re.compile(r"\bsince\b|\bso far\b|\bthis year\b|\bin (?:the|its) (?:war|conflict)\b",
                      re.I)  # fmt: skip


def second_sentence_end(parts: Sequence[Part]) -> int:
    """Where the headline and lead end: the second finished sentence of the first body
    part (a headline line without a full stop, its byline and date come before them)."""
    for part in parts:
        if part.kind != "body":
            continue
        finished = 0
        for sent in part.doc.sents:
            finished += sent.text.rstrip().endswith(_CLOSERS)
            if finished == 2:
                return int(part.offset + sent.end_char)
        return int(part.offset + len(part.text))
    return 0


def story_tolls(ctx: Context, events: list[Event], lead: int) -> list[Event]:
    """A report often names its happening in the headline and lead and gives the toll or
    the doer a sentence or two later ('Warplanes pounded Idlib on Tuesday. The raids killed
    22 people, a monitor said'): a violent lead event without them takes the first toll and
    doer told in the next two sentences for a happening it can be (``one_happening``). A
    capture is not the killing told after it (only a retelling of the capture gives it a
    toll), and a running total ('since 2014') is no one event's toll. The sentence whose
    toll was taken tells the same happening: it is folded into the lead event
    (``fold_toll``) so that one death toll is not counted twice. A
    headline only takes the toll: the body sentence stays, and the headline is dropped as
    retold (``drop_repeated_headline``)."""
    out = list(events)
    folded: set[int] = set()  # later events whose toll a lead event took
    for i, event in enumerate(events):
        if i in folded or event.type not in VIOLENT_TYPES or (
            None not in (event.fatalities, event.actor1)
            or event.certainty in ("possible", "denied") or event.evidence.start >= lead
        ):  # fmt: skip
            continue
        for j, later in next_tellings(events, i, folded):
            if event.sub_type in TERRITORY and later.sub_type != event.sub_type:
                continue  # a capture takes no killing's toll, only its own retelling's
            if not one_happening(ctx, event, later):
                continue
            current = out[i]
            if current.fatalities is None and later.fatalities is not None:
                if headline(ctx.document, event):  # the body's telling of it stays
                    current = replace(current, fatalities=later.fatalities)
                else:
                    current = fold_toll(ctx, current, later)
                    folded.add(j)
            if current.actor1 is None and later.actor1 not in (None, current.actor2) and (
                kind_of(ctx.registry, later.actor1) in FIGHTING_KINDS
            ):  # fmt: skip
                current = replace(current, actor1=later.actor1)
            out[i] = current
            if None not in (current.fatalities, current.actor1):
                break
    return [e for k, e in enumerate(out) if k not in folded]


def next_tellings(
    events: list[Event], i: int, skip: set[int] | frozenset[int] = frozenset()
) -> Iterator[tuple[int, Event]]:
    """The events of the next TOLL_SENTENCES sentences within TOLL_CHARS after event ``i``
    (with their indexes; none of its own sentence or in ``skip``) that may tell its toll
    or doer: after the very next sentence, a generic lead ("attacks on towns") hears only
    of its own kind."""
    event = events[i]
    starts: set[int] = set()
    for j, later in enumerate(events[i + 1 :], start=i + 1):
        if later.evidence.start == event.evidence.start or j in skip:
            continue
        starts.add(later.evidence.start)
        if len(starts) > TOLL_SENTENCES or (
            later.evidence.start - event.evidence.end > TOLL_CHARS
        ):  # fmt: skip
            return
        if event.sub_type in GENERIC and len(starts) > 1 and later.sub_type != event.sub_type:
            continue
        yield j, later


def story_doers(ctx: Context, events: list[Event], lead: int) -> list[Event]:
    """The doer a violent headline or lead event lacks, from the next two sentences that
    name one for a happening it can be ("Bombs killed 17 in a market. Russian jets flew
    those raids, the monitor said"), before any doer is guessed from the rest of
    the story (``with_opponent``): a doer the copy tells beats the story's most named
    fighter. Tolls are taken later (``story_tolls``)."""
    out = list(events)
    for i, event in enumerate(events):
        if event.type not in VIOLENT_TYPES or event.actor1 is not None or (
            event.certainty in ("possible", "denied") or event.evidence.start >= lead
            or event.sub_type in TERRITORY
        ):  # fmt: skip
            continue
        for _, later in next_tellings(events, i):
            if later.actor1 in (None, event.actor2) or not one_happening(ctx, event, later):
                continue
            if kind_of(ctx.registry, later.actor1) in FIGHTING_KINDS:
                out[i] = replace(event, actor1=later.actor1)
                break
    return out


def blames(ctx: Context, parts: Sequence[Part]) -> list[tuple[str, frozenset[str]]]:
    """Whom the body holds to blame (``link.blamed_actors``), in text order, each with the
    kinds of violent deed its sentence tells ("blamed the rebels for the shelling": a
    shelling; "blamed rebel groups for the failure of the truce": none)."""
    out: list[tuple[str, frozenset[str]]] = []
    for part in parts:
        found = list(blamed_actors(part, ctx.mentions)) if part.kind == "body" else []
        for sent in part.doc.sents if found else ():
            start, end = part.offset + sent.start_char, part.offset + sent.end_char
            here = [a for at, a in found if start <= at < end]
            if here:
                kinds = {t.sub_type for _, t in triggers(ctx.lexicon, sent)
                         if t.type in VIOLENT_TYPES}  # fmt: skip
                if any(t.lemma_.lower() in DEED_NOUNS for t in sent):
                    kinds.add("attack")  # "blamed the government for the incident"
                out.extend((a, frozenset(kinds)) for a in here)
    return out


def blamed_by_story(
    ctx: Context, events: list[Event], blamed: list[tuple[str, frozenset[str]]], lead: int
) -> list[Event]:
    """A violent headline or lead event whose doer neither its sentence nor the next two
    name ('a suspected gas attack killed 58 people') was done by whom the story first holds
    to blame ('the opposition blamed government forces', 'the group claimed responsibility',
    ``link.blamed_actors``): a fighting force or a state (as its forces), never its victims
    or their allies, and not for another kind of deed (a missile strike is not the gas
    attack 'London blames on Damascus' in the same story). An event the copy denies
    keeps no doer."""
    culprits = [(a, kinds) for a, kinds in blamed if kind_of(ctx.registry, a) in BLAMABLE]
    if not culprits:
        return events
    out: list[Event] = []
    for event in events:
        if event.type in VIOLENT_TYPES and event.actor1 is None and (
            event.evidence.start < lead and event.certainty != "denied"
        ):  # fmt: skip
            victim = event.actor2
            culprit = next((a for a, kinds in culprits if blamed_for(kinds, event) and (
                victim is None or not ctx.registry.related(a, victim, event.date_start))),
                None)  # fmt: skip
            if culprit is not None:
                event = replace(event, actor1=armed_force(ctx.registry, culprit, event.sub_type))
        out.append(event)
    return out


DEED_NOUNS = frozenset({"incident", "crime", "atrocity"})
"""Words for a deed that name no kind of violence, as a blamed deed is often told."""
BLOWS = frozenset({"air_drone_strike", "shelling_artillery_missile", "remote_explosive_ied",
                   "suicide_bomb"})  # fmt: skip
"""Remote violence other than a gas attack: "the bombing" a group claims may be any."""


def blamed_for(kinds: frozenset[str], event: Event) -> bool:
    """Whether a blame whose sentence tells deeds of ``kinds`` may be for ``event``: a
    violent deed ("blamed rebels for the failure of the truce" is none), a bare attack or
    killing, or one of the event's kind, where strikes, shelling and bombs are one kind
    and a gas attack another, which may be told as the strike that delivered it ("accused
    the jets that bombed the town of using chlorine"), but not the other way round: a
    missile strike is not the gas attack the same story blames on someone."""
    if event.sub_type == "chemical_weapon":
        family = BLOWS | {"chemical_weapon"}
    else:
        family = BLOWS if event.sub_type in BLOWS else frozenset({event.sub_type})
    return bool(kinds & (family | GENERIC))


def sides_agree(ctx: Context, a: str | None, b: str | None, day: str | None) -> bool:
    """Whether two doers may be one side: either unnamed, one lineage, or allied that day."""
    return not (a and b) or bool(
        set(ctx.registry.lineage(a)) & set(ctx.registry.lineage(b))
        or ctx.registry.related(a, b, day)
    )


def fill_gaps(ctx: Context, event: Event, retold: Event) -> Event:
    """An event with the doer, victims and place a retelling of it names where it names none."""
    doer = retold.actor1 if kind_of(ctx.registry, retold.actor1) in FIGHTING_KINDS else None
    actor1 = event.actor1 or doer
    actor2 = event.actor2 or (retold.actor2 if retold.actor2 != actor1 else None)
    return replace(event, actor1=actor1, actor2=actor2, place=event.place or retold.place)


def fold_toll(ctx: Context, event: Event, later: Event) -> Event:
    """The lead event and the later sentence that tells its toll ("The raids killed 22
    people") as one event: the lead's, with the toll, the victims and place it lacks, the
    narrower dates (the lead's on a tie), and evidence that runs from the lead to the toll."""
    dated = min((event, later), key=lambda e: NARROWEST.index(e.time_precision))
    victims = later.actor2 if later.actor2 != event.actor1 else None
    start, end = event.evidence.start, max(event.evidence.end, later.evidence.end)
    kind = later if event.sub_type in GENERIC and later.sub_type not in GENERIC else event
    return replace(
        event,
        type=kind.type,
        sub_type=kind.sub_type,  # "Attacks leave 2 dead" told as rocket fire: shelling
        evidence=Evidence(start, end, ctx.document.text[start:end]),
        fatalities=later.fatalities,
        actor2=event.actor2 or victims,
        place=event.place or later.place,
        date_start=dated.date_start,
        date_end=dated.date_end,
        time_precision=dated.time_precision,
    )


NARROWEST: tuple[Precision, ...] = ("day", "week", "month", "year", "unknown")


def one_happening(ctx: Context, event: Event, later: Event) -> bool:
    """Whether a later sentence's violent event may be the same happening as ``event``."""
    if later.type not in VIOLENT_TYPES or later.from_comment != event.from_comment:
        return False
    if later.certainty in ("possible", "denied") or _RUNNING.search(later.evidence.text):
        return False
    family = next((f for f in FAMILIES if event.sub_type in f), {event.sub_type})
    if event.sub_type not in GENERIC and later.sub_type not in (*family, *GENERIC):
        return False  # "aircraft struck targets" is not the suicide bombing told next
    if not sides_agree(ctx, event.actor1, later.actor1, event.date_start):
        return False  # the army and the air force of one state are one side
    if event.place and later.place and not same_area(event.place, later.place):
        return False
    if not (event.date_start and event.date_end and later.date_start and later.date_end):
        return True
    if not any(
        m.kind == "date" for m in ctx.mentions_between(later.evidence.start, later.evidence.end)
    ):
        return True  # "The raids killed 22": an undated sentence keeps to the story's day
    slack = timedelta(days=1)  # "overnight", a late report of yesterday's raid
    start, end = date.fromisoformat(event.date_start), date.fromisoformat(event.date_end)
    return bool(start - slack <= date.fromisoformat(later.date_end)
                and date.fromisoformat(later.date_start) <= end + slack)  # fmt: skip


def same_area(a: EventPlace, b: EventPlace) -> bool:
    """Whether two places can hold one happening: one governorate, or, where one of them is
    known only as a country ("in Syria"), one country."""
    if a.admin1 and b.admin1:
        return a.admin1 == b.admin1
    return a.country == b.country


AIR_KINDS = frozenset({"state_force", "government"})
"""Who flies warplanes; a multinational coalition (no country) may too, a rebel alliance not."""
FIGHTING_KINDS = frozenset(
    {"terrorist_group", "state_force", "militia", "rebel_group", "coalition", "private_military"}
)
BLAMABLE = FIGHTING_KINDS | {"government"}


def with_opponent(ctx: Context, event: Event) -> Event:
    """A battle or strike whose sentence names one side only is against the side the
    document is about: the armed actor it names most often that is not on the named
    side's ('the army recaptured the town' in a story about Islamic State)."""
    faceless_strike = event.actor1 is None and event.sub_type == "air_drone_strike"
    if (event.actor1 is None) == (event.actor2 is None) and not faceless_strike:
        return event  # both sides named; or neither, unless an air strike ("jets pounded")
    if event.type not in ("battle", "remote_violence"):
        return event
    known = event.actor1 or event.actor2 or ""
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        if m.kind == "actor" and m.ref and (m.segment == "body") != event.from_comment:
            if _HELD.match(ctx.document.text, m.end):
                continue  # "rebel-held": who holds the ground, not who fights
            counts[m.ref] = counts.get(m.ref, 0) + 1
    for ref, _ in sorted(counts.items(), key=lambda kv: -kv[1]):
        actor = ctx.registry.get(ref)
        if actor is None or actor.kind not in FIGHTING_KINDS:
            continue
        if (
            event.actor1 is None
            and event.sub_type == "air_drone_strike"
            and (actor.kind not in AIR_KINDS and (actor.kind, actor.country) != ("coalition", None))
        ):
            continue  # rebels and jihadists fly no warplanes
        if ctx.registry.related(known, ref, event.date_start):
            continue
        if event.actor1 is None:
            return replace(event, actor1=ref)
        return replace(event, actor2=ref)
    return event


def sides_by_story(events: list[Event]) -> list[Event]:
    """A strike or battle whose sentence names no doer ('state media said the strike hit
    one of its positions') is the one the story told last of that sub-type: it takes that
    event's doer, and its target when the doer is the same."""
    last: dict[tuple[str, str], Event] = {}
    out: list[Event] = []
    for event in events:
        kind = (event.type, event.sub_type)
        earlier = last.get(kind)
        if (event.type in VIOLENT_TYPES and event.actor1 is None and earlier is not None
                and earlier.actor1 is not None and earlier.actor1 != event.actor2):  # fmt: skip
            event = replace(event, actor1=earlier.actor1, actor2=event.actor2 or earlier.actor2)
        if event.actor1 is not None:
            last[kind] = event
        out.append(event)
    return out


def dated_by_story(ctx: Context, events: list[Event]) -> list[Event]:
    """An event whose sentence gives no date ('State media said the coalition had struck
    an army position') happened on the day of the last event of the same type the story
    dated, not just somewhere in the week up to publication. Strikes and bombings only:
    an undated advance or capture is as often another day's. An undated sentence that
    retells a toll the story dated ("the monitor later put the dead at 14") is that
    happening told again, not a second one: its toll is not counted twice."""
    if ctx.published is None:
        return events
    fallback = ((ctx.published - timedelta(days=6)).isoformat(), ctx.published.isoformat())
    last_day: dict[tuple[str, str], Event] = {}
    tolls: list[int] = []  # where in ``out`` the death tolls the story dated are
    out: list[Event] = []
    for event in events:
        kind = (event.type, event.sub_type)
        undated = event.time_precision == "week" and (event.date_start, event.date_end) == fallback
        told = next((t for t in tolls if undated and retold_toll(ctx, out[t], event)), None)
        if told is not None and headline(ctx.document, out[told]):
            # the body's telling stays (the headline goes as retold), on the headline's day
            event = replace(event, date_start=out[told].date_start,
                            date_end=out[told].date_end, time_precision="day")  # fmt: skip
        elif told is not None:  # "the monitor later put the dead at 14": the lead's toll
            out[told] = fill_gaps(ctx, out[told], event)
            continue
        elif event.type == "remote_violence" and undated and kind in last_day:
            earlier = last_day[kind]
            event = replace(event, date_start=earlier.date_start,
                            date_end=earlier.date_end, time_precision="day")  # fmt: skip
        elif (event.type == "remote_violence" and event.time_precision == "day"
              and event.certainty != "possible"):  # fmt: skip
            last_day[kind] = event
        if event.type in VIOLENT_TYPES and event.time_precision == "day" and (
            event.fatalities or 0) > 1 and event.certainty != "possible":  # fmt: skip
            tolls.append(len(out))
        out.append(event)
    return out


def dated_by_retelling(ctx: Context, events: list[Event]) -> list[Event]:
    """An event that names a toll without the day of the deed ("a gas attack that killed
    300 people, a rights group said on Tuesday") is dated by the news day or the day of
    the saying; when a later sentence retells that toll with a day of its own ("The attack
    on May 3 killed 300 people", ``retold_toll``), the happening is that day's, and so is
    an undated telling of it earlier in the copy (a headline's)."""
    out = list(events)
    for i, event in enumerate(events):
        if event.time_precision != "day" or (event.fatalities or 0) < 2 or deed_dates(ctx, event):
            continue
        for later in events[i + 1 :]:
            if (later.time_precision == "day" and str(later.date_end) < str(event.date_start)
                    and deed_dates(ctx, later) and retold_toll(ctx, later, event)):  # fmt: skip
                for k in range(i + 1):  # the lead, and an undated telling of it before it
                    if k == i or undated_telling(ctx, out[k], event):
                        out[k] = replace(out[k], date_start=later.date_start,
                                         date_end=later.date_end)  # fmt: skip
                break
    return dated_by_sentence_before(ctx, out)


_BACK_REFERENCE = re.compile(
    r"\b(?:the|this|that) (?:attacks?|strikes?|raids?|bombings?|shelling|massacres?|assault|"
    r"blasts?|explosions?|crime)\b",
    re.I,
)


def dated_by_sentence_before(ctx: Context, events: list[Event]) -> list[Event]:
    """A violent sentence with no date that refers back to a deed ("Toxic gas was used in
    the attack, which killed 100") is dated by the sentence before it when that sentence
    names the day of a deed in the same clause as a deed word (``_DEED_WORD``) and told no
    event of its own ("they said the atrocity took place at dawn on Tuesday"); a meeting or
    a letter about the deed dates nothing."""
    if ctx.published is None:
        return events
    week = ((ctx.published - timedelta(days=6)).isoformat(), ctx.published.isoformat())
    text = ctx.document.text
    out = list(events)
    for i, event in enumerate(events):
        if (event.type not in VIOLENT_TYPES or (event.date_start, event.date_end) != week
                or not _BACK_REFERENCE.search(event.evidence.text)):  # fmt: skip
            continue
        ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, max(0, event.evidence.start - 1))]
        start = ends[-2] if len(ends) > 1 else 0
        if not ends or any(start <= e.evidence.start < event.evidence.start for e in events):
            continue
        span = Evidence(start, event.evidence.start, text[start : event.evidence.start])
        # the day must be the deed's: a deed word earlier in the date's own clause ("the
        # atrocity took place before sunrise on Tuesday", not "ministers met on Tuesday to
        # discuss the crime")
        dated = deed_dates(ctx, replace(event, evidence=span))
        days = [
            ctx.date_of(m)
            for m in dated
            if _DEED_WORD.search(text, clause_start(text, start, m.start), m.start)
        ]
        found = next((d for d in days if d is not None), None)
        if found is not None and found.precision == "day" and week[0] <= found.start.isoformat():
            out[i] = replace(event, date_start=found.start.isoformat(),
                             date_end=found.end.isoformat(), time_precision="day")  # fmt: skip
    return out


_SENTENCE_END = re.compile(r"[.!?][\"'”’]?(?=\s|$)")
_DEED_WORD = re.compile(
    r"\b(?:attack(?:s|ed)?|strikes?|struck|raids?|bomb\w*|shell\w*|massacres?|assault|blasts?|"
    r"explosions?|crime|incident|atrocity|carried out|killed|killing)\b",
    re.I,
)


def clause_start(text: str, start: int, at: int) -> int:
    """Where the clause that holds offset ``at`` begins: after the last comma, semicolon or
    colon since ``start``."""
    cut = max(text.rfind(c, start, at) for c in ",;:")
    return cut + 1 if cut >= 0 else start


"""A deed the sentence before tells, whose day an undated back-reference may take."""


def undated_telling(ctx: Context, head: Event, event: Event) -> bool:
    """Whether an earlier event with no day of its own ("blames army for gas attack") may
    tell ``event``: the same sub-type, no other toll, and sides that agree."""
    return (
        head.sub_type == event.sub_type
        and head.fatalities in (None, event.fatalities)
        and head.time_precision == "day"
        and not deed_dates(ctx, head)
        and sides_agree(ctx, head.actor1, event.actor1, head.date_start)
    )


_SAID_ON = re.compile(r"\b(?:said|says|told\s+\S+|reported|announced|added|stated|confirmed)"
                      r"\s+(?:on\s+|late\s+|early\s+)?$", re.I)  # fmt: skip


def deed_dates(ctx: Context, event: Event) -> list[Mention]:
    """The date mentions of an event's sentence that may date the deed: not a dateline or
    a credit of the copy, nor the day of a saying ("said on Tuesday")."""
    opening = dateline_end(ctx.document.text)
    text = ctx.document.text
    return [
        m for m in ctx.mentions_between(event.evidence.start, event.evidence.end)
        if m.kind == "date" and m.start >= opening
        and not any(a <= m.start < b for a, b in ctx.credits)
        and not _SAID_ON.search(text[max(0, m.start - 40) : m.start])
    ]  # fmt: skip


def retold_toll(ctx: Context, dated: Event, event: Event) -> bool:
    """Whether an undated violent event retells the toll of a dated one: the same count of
    the dead, and more than the count alike: one kind of violence (an air strike and the
    shelling told with it are one family; a bare "killed" is typed a clash, so it needs
    the same victims, "31 people" and "31 people") and no side that contradicts."""
    if event.type not in VIOLENT_TYPES or event.fatalities != dated.fatalities:
        return False
    if event.certainty in ("possible", "denied") or event.from_comment != dated.from_comment:
        return False
    if _RUNNING.search(event.evidence.text):
        return False  # "31 killed since 2014" is a running total
    if not sides_agree(ctx, dated.actor1, event.actor1, dated.date_start):
        return False
    family = next((f for f in FAMILIES if dated.sub_type in f), {dated.sub_type})
    if event.sub_type in family:
        return True
    count = dated.fatalities or 0
    same = victims_of(ctx.lexicon, dated.evidence.text, count) & victims_of(
        ctx.lexicon, event.evidence.text, count
    )
    return bool(same)


def victims_of(lex: Lexicon, text: str, count: int) -> set[str]:
    """The victim nouns a count in the text is told of ("31 people", "seven Syrian
    soldiers"), singular."""
    words = re.findall(r"[a-z]+|\d[\d,]*", text.lower())
    found: set[str] = set()
    for i, word in enumerate(words):
        if number_value(word) != count:
            continue
        noun = next((w for w in words[i + 1 : i + 5] if w in lex.victims), None)
        if noun is not None:
            found.add(noun.rstrip("s"))
    return found


def part_events(ctx: Context, part: Part, seen: set[str] | None = None) -> Iterator[Event]:
    seen = set() if seen is None else seen
    previous_actor: str | None = None
    previous_trigger: Trigger | None = None
    last_place: tuple[Mention, int] | None = None
    told: list[Event] = []  # events of this part so far; the last one may still gain a toll
    told_in: int = -1  # index of the sentence that told the last event
    for index, sent in enumerate(part.doc.sents):
        s_start, s_end = part.offset + sent.start_char, part.offset + sent.end_char
        in_sent = [m for m in ctx.mentions_between(s_start, s_end)
                   if not (is_where(m) and ctx.in_caption(m.start))]  # fmt: skip
        lead = sentence_dateline_end(part, sent)  # "BAGHDAD (Wire) -": where it was written
        places = [m for m in in_sent if is_where(m) and m.start >= lead
                  and not in_a_name(ctx, part, m)]  # fmt: skip
        found = one_per_clause(triggers(ctx.lexicon, sent), ctx.lexicon.reporting)
        if part.kind == "comment":  # a commenter's past-tense report, not talk or opinion
            found = [(t, g) for t, g in found if past_report(t)]
        found = carried_over(sent, found, previous_trigger)
        dated = any(m.kind == "date" for m in in_sent)
        told_again = found
        found = [(t, g) for t, g in found if dated or g.type not in seen or not anaphoric(t)]
        if told and told_again and not found:
            told[-1] = toll_told_again(ctx.lexicon, sent, told[-1], told_again)
            told[-1] = doer_told_again(ctx, part, told[-1], told_again, in_sent)
        found = [(t, g) for t, g in found if not negated_frame(t)]
        for trigger_tok, trigger in found:
            event = build_event(ctx, part, sent, trigger_tok, trigger, in_sent, previous_actor,
                                last_place)  # fmt: skip
            if event is None:
                continue
            toll = trigger.weak and not dated and told and told_in == index - 1
            if toll and toll_of(told[-1], event):
                # "... struck the convoy. More than 100 fighters were killed." is one event
                told[-1] = replace(told[-1], fatalities=told[-1].fatalities or event.fatalities)
                continue
            if not dated and (event.certainty == "possible" or (
                event.certainty == "denied" and future_frame(trigger_tok)
            )):  # fmt: skip  # a plan, or a plan denied ("has no plans to send"), has no date
                event = replace(event, date_start=None, date_end=None, time_precision="unknown")
            previous_actor = event.actor1 or previous_actor
            previous_trigger = trigger if not trigger.weak else previous_trigger
            seen.add(event.type)
            told.append(event)
            told_in = index
        # the story's place is its last theatre town; a country, a province or a place
        # abroad ('into Syria', a mislinked 'Old City') only stands in until one is named
        towns = [m for m in places if feature_rank(ctx, m) == 0]
        inside = [m for m in places if feature_rank(ctx, m) < 4]
        if towns or (inside and (last_place is None or feature_rank(ctx, last_place[0]) > 0)):
            last_place = ((towns or inside)[-1], 2)
        actors = [m for m in in_sent if m.kind == "actor" and m.ref]
        if actors:
            previous_actor = actors[0].ref
    yield from told


FUTURE_AUX = frozenset({"will", "would", "wo", "shall", "'ll"})


def future_frame(tok: Any) -> bool:
    """Whether a trigger is a plan or a future act: 'has no plans to deploy', 'would not
    send troops'."""
    for node in [tok, *list(tok.ancestors)[:3]]:
        if node.lemma_.lower() in ("plan", "intend", "intention"):
            return True
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in node.children):
            return True
    return False


def toll_told_again(lex: Lexicon, sent: Any, previous: Event,
                       found: list[tuple[Any, Trigger]]) -> Event:  # fmt: skip
    """'About 100 fighters were killed in the strikes': a sentence that only refers back to
    the last event told gives that event its death toll when it had none."""
    if previous.fatalities is not None or not any(g.type == previous.type for _, g in found):
        return previous
    fatalities, _ = fatality_count(lex, sent)
    return replace(previous, fatalities=fatalities) if fatalities else previous


def doer_told_again(
    ctx: Context,
    part: Part,
    previous: Event,
    found: list[tuple[Any, Trigger]],
    mentions: list[Mention],
) -> Event:
    """'Those strikes were flown by Russian jets': a sentence that only refers back to the
    last event told gives a violent event without a doer the agent it names for the deed
    ('by X', 'X's raids'), a fighting force or a state (as its forces)."""
    if previous.actor1 is not None or previous.type not in VIOLENT_TYPES:
        return previous
    for tok, trig in found:
        if trig.type != previous.type:
            continue
        verb = tok.head if tok.dep_ == "nsubjpass" else tok
        agents = [g for c in (*verb.children, *tok.children)
                  if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
                  for g in c.subtree]  # fmt: skip
        own = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss")]
        doer_ = token_actor(part, mentions, [*agents, *own], holder=False)
        if kind_of(ctx.registry, doer_) in BLAMABLE and doer_ != previous.actor2:
            return replace(previous, actor1=armed_force(ctx.registry, doer_, previous.sub_type))
    return previous


def toll_of(previous: Event, event: Event) -> bool:
    """Whether an undated sentence with only a killing or wounding verb tells the toll of
    the strike told in the sentence before it ('One fighter was wounded.')."""
    if previous.type != "remote_violence" or event.actor1 not in (
        None, previous.actor1, previous.actor2
    ):  # fmt: skip
        return False
    return previous.fatalities is None or event.fatalities is None


def triggers(lex: Lexicon, sent: Any) -> list[tuple[Any, Trigger]]:
    """Trigger tokens of a sentence, one per (type, sub_type) and clause; weak ones only
    alone."""
    found: dict[tuple[str, str, int], tuple[Any, Trigger]] = {}
    lower = sent.text.lower()
    in_phrase: set[int] = set()  # "suicide bombing" is not also a "bombing"
    for phrase, trig in lex.phrases.items():
        idx = lower.find(phrase)
        if idx >= 0:
            tok = sent.char_span(idx, idx + len(phrase), alignment_mode="expand")
            if tok is not None:
                trig = dropped_bomb(tok, trig)
                key = (trig.type, trig.sub_type, clause_head(tok.root).i)
                found.setdefault(key, (tok.root, trig))
                in_phrase.update(t.i for t in tok)
    for tok in sent:
        if tok.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ") or tok.i in in_phrase:
            continue
        lemma = tok.lemma_.lower() if tok.lemma_ else tok.lower_
        hit = lex.lemmas.get(lemma) or lex.lemmas.get(tok.lower_)
        if hit is None and tok.pos_ == "PROPN" and tok.lower_.endswith("s"):
            hit = lex.lemmas.get(tok.lower_[:-1])  # "Airstrikes" tagged as a name in headlines
        hit = air_attack(tok, ground_bomb(tok, hit)) if hit is not None else None
        if hit is None or not plausible_trigger(tok, hit):
            continue
        key = (hit.type, hit.sub_type, clause_head(tok).i)
        if key not in found or (agentless_passive(found[key][0]) and not agentless_passive(tok)):
            found[key] = (tok, hit)  # the one that can say who did it
    strong = [v for v in found.values() if not v[1].weak or attack_verb(v[0])]
    return strong or list(found.values())[:1]


# Within one clause the most specific trigger types the event ("recaptured the town after
# heavy fighting" is one capture, "bombed positions before the assault" one air strike).
CLAUSE_PRIORITY = {
    name: rank
    for rank, names in enumerate(
        [
            ("territory",),
            ("suicide_bomb", "chemical_weapon"),
            ("remote_explosive_ied",),
            ("air_drone_strike", "shelling_artillery_missile"),
            ("attack", "abduction", "arrest", "agreement", "looting_property_destruction"),
            ("non_violent_transfer_of_territory", "headquarters_or_base_established"),
            ("armed_clash",),
        ]
    )
    for name in names
}


CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "parataxis"})


def clause_head(tok: Any) -> Any:
    """The head of the main or coordinated clause a token sits in: the nearest verb above
    it with its own subject that is not a subordinate, relative or adverbial clause."""
    node = tok
    for _ in range(12):
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in node.children)
        if node.head.i == node.i or (
            node.pos_ in ("VERB", "AUX") and has_subject and node.dep_ in CLAUSE_DEPS
        ):
            return node
        node = node.head
    return node


def one_per_clause(
    found: list[tuple[Any, Trigger]], reporting: frozenset[str] = frozenset()
) -> list[tuple[Any, Trigger]]:
    """One event per clause: the clause's own verb when it is a trigger, else the most
    specific trigger in it (ties: the first). Separate clauses keep separate events; a
    trigger hanging off a reporting verb ("..., the army said after days of fighting")
    only counts when the sentence has no other."""
    best: dict[int, tuple[tuple[int, int, int, int], Any, Trigger]] = {}
    trigger_at = {tok.i for tok, _ in found}
    for tok, trig in found:
        head = clause_head(tok)
        verb = next((v for v in (tok, *tok.ancestors) if v.pos_ in ("VERB", "AUX")), head)
        depth = 0 if tok.i == head.i else (1 if tok.head.i == head.i else
                                           (2 if verb.i == head.i else 3))  # fmt: skip
        depth = 4 if supporting(tok, head) else (0 if under_dateline(tok, head) else depth)
        if (
            depth == 0
            and tok.lemma_.lower() in HITTING_VERBS
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.i in trigger_at for c in tok.children)
        ):
            depth = 2  # "a twin bombing struck the crowd": the subject says what struck
        # an agentless passive ("had been liberated") yields to a trigger of its rank under
        # it that says who did it ("after Iraqi forces recaptured the district")
        faceless = depth == 0 and agentless_passive(tok)
        rank = (1 if faceless else depth, CLAUSE_PRIORITY.get(trig.sub_type, 9), faceless, tok.i)
        if trig.sub_type == "chemical_weapon" and chemical_means(tok, head):
            rank = (0, 0, False, tok.i)  # "a raid that spread chlorine gas": the means
        current = best.get(head.i)
        if current is None or rank < current[0]:
            best[head.i] = (rank, tok, trig)
    groups = sorted(best.items(), key=lambda kv: kv[1][1].i)
    main = [
        kv for kv in groups
        if not (kv[1][1].i != kv[0] and kv[1][1].dep_ != "dobj"
                and kv[1][1].doc[kv[0]].lemma_.lower() in reporting)
    ]  # fmt: skip
    return [(tok, trig) for _, (_, tok, trig) in (main or groups)]


NOT_MEANS = frozenset({"for", "after", "following", "since", "before", "over", "retaliation",
                       "response", "revenge", "denied", "deny", "accused", "accuse"})  # fmt: skip


def chemical_means(tok: Any, head: Any) -> bool:
    """Whether a chemical agent is what the clause's strike used ('shells loaded with
    chlorine', 'a raid that spread chlorine gas'), not the attack it answers ('missiles
    fired in retaliation for a chemical attack') or one denied."""
    node = tok
    for _ in range(12):
        if node.i == head.i or node.head.i == node.i:
            return True
        node = node.head
        if node.lower_ in NOT_MEANS or node.lemma_.lower() in NOT_MEANS:
            return False
    return True


HITTING_VERBS = frozenset({"strike", "hit", "target", "rock", "tear", "rip"})


def agentless_passive(tok: Any) -> bool:
    children = {c.dep_ for c in tok.children}
    return tok.pos_ == "VERB" and "auxpass" in children and "agent" not in children


def supporting(tok: Any, head: Any) -> bool:
    """A trigger inside a modifier of the clause's subject ('troops backed by Russian air
    strikes broke through') tells how the doer was helped, not what the clause reports."""
    for node in tok.ancestors:
        if node.i == head.i:
            return False
        if node.dep_ == "appos" and dateline_token(node.head) and tok.head.i != node.i:
            return True  # "MOSCOW (Wire) - Syrian troops backed by air strikes broke ..."
        if node.head.i == head.i:
            return node.dep_ in ("nsubj", "nsubjpass") and not dateline_token(node)
    return False


def dateline_token(tok: Any) -> bool:
    """A dateline city that the parser took for a word of the lead ('FALLUJAH, Iraq (Wire)
    - Iraqi forces have recaptured ...' parses with the city as the subject of 'said')."""
    return bool(tok.i == tok.sent.start and tok.text.isupper() and len(tok) > 1)


def under_dateline(tok: Any, head: Any) -> bool:
    """Whether a trigger hangs off a dateline city: it is then the lead's own verb."""
    for node in tok.ancestors:
        if node.i == head.i:
            return False
        if dateline_token(node):
            return True
    return False


_ANAPHOR = re.compile(r"\b(the|this|that|these|those) (strikes?|raids?|bombing|attack|blast|"
                     r"explosion)\b", re.I)  # fmt: skip


def carried_over(
    sent: Any, found: list[tuple[Any, Trigger]], previous: Trigger | None
) -> list[tuple[Any, Trigger]]:
    """A sentence like "the strike killed six soldiers" after one about a missile strike
    tells of that strike: with only weak triggers and a reference back to an attack, it
    takes the type of the previous event."""
    if previous is None or not found or not all(g.weak for _, g in found):
        return found
    if not _ANAPHOR.search(sent.text) or previous.type != "remote_violence":
        return found
    return [(found[0][0], previous)]


def past_report(tok: Any) -> bool:
    """A commenter telling something that happened: a past-tense trigger verb, or an event
    noun whose verb is past ('the planes came from Tanf', 'made a secret deal')."""
    return bool(tok.tag_ in ("VBD", "VBN") or (tok.pos_ == "NOUN" and tok.head.tag_ == "VBD"))


def negated_frame(tok: Any) -> bool:
    """'did not give a figure for the fighting': an event noun under a negated verb that
    is no event itself reports nothing (a denied event keeps its own verb: 'did not
    attack', 'denied attacking')."""
    if tok.pos_ != "NOUN" or tok.head.i == tok.i:
        return False
    verb = next((v for v in tok.ancestors if v.pos_ in ("VERB", "AUX")), None)
    if verb is None or verb.lemma_.lower() not in ("give", "seek", "comment", "say"):
        return False
    return any(c.dep_ == "neg" for c in verb.children)


def anaphoric(tok: Any) -> bool:
    """'welcomed the advance', 'called the attack unacceptable', 'Friday's fighting': a
    definite or possessed event noun that is not its clause's verb refers back to an
    event already told, it does not report a new one."""
    if tok.pos_ != "NOUN" or tok.dep_ == "ROOT" or any(c.like_num for c in tok.children):
        return False
    if tok.dep_ == "pobj" and any(c.lower_ == "part" for c in tok.head.head.children):
        return False  # "took part in the assault": a new party to it
    if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in ("kill", "hit", "destroy", "wound"):
        return False  # "the strike killed six soldiers": what it did, told now
    return any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these",
                                                               "those"))
        for c in tok.children
    )  # fmt: skip


_CLOSERS = tuple(".!?\"'”’):;")


def drop_repeated_headline(document: Document, events: list[Event], ctx: Context) -> list[Event]:
    """A headline restated by the lead is one event: drop the headline's event when the
    body has another event of the same type (``retells``)."""
    heads = [e for e in events if headline(document, e)]
    rest = [e for e in events if not headline(document, e)]
    kept = [h for h in heads if not any(retells(h, e, ctx) for e in rest)]
    return [e for e in events if e in rest or e in kept]


def headline(document: Document, event: Event) -> bool:
    """Whether an event is told by the title, or by an unpunctuated line of the body."""
    text = event.evidence.text.strip()
    title = (document.title or "").strip()
    return text == title or not (event.from_comment or text.endswith(_CLOSERS))


def retells(head: Event, body: Event, ctx: Context) -> bool:
    """A body event tells the headline's happening again: the same type, or violence by
    the same doer ('Coalition attacks army position' over '... aircraft attacked ...'),
    unless both name days of their own that do not meet: a lead line the parser left
    unpunctuated ("... struck the town on Wednesday") is not retold by Tuesday's strike
    further down, nor, when only the headline names its day, by another kind of violence
    of the same side ("... forces, backed by Russian jets, are fighting ...")."""
    if not (head.type == body.type or (
        head.type in VIOLENT_TYPES and body.type in VIOLENT_TYPES
        and head.actor1 is not None and head.actor1 == body.actor1
    )):  # fmt: skip
        return False
    if not deed_dates(ctx, head):
        return True
    if not deed_dates(ctx, body):  # a dated headline, retold without a day: only its own kind
        return head.type == body.type
    return str(head.date_start) <= str(body.date_end) and str(body.date_start) <= str(head.date_end)


def attack_verb(tok: Any) -> bool:
    """'Militants attacked the checkpoint': a weak trigger that is a clause's own active
    verb is an event even beside a strong one ('... after crossing the river')."""
    return bool(tok.lemma_.lower() in ("attack", "ambush") and tok.pos_ == "VERB"
                and tok.tag_ != "VBN")  # fmt: skip


def plausible_trigger(tok: Any, trig: Trigger) -> bool:
    """Guards against the commonest false triggers."""
    low = tok.lower_
    if tok.pos_ == "PROPN" and low in ("march", "may"):  # "6 March 2019"
        return False
    if tok.pos_ == "PROPN" and tok.dep_ in ("dobj", "pobj", "appos") and any(
        c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children
    ):  # fmt: skip
        return False  # a name that ends in a trigger word: "told Frontline Dispatch"
    if trig.type == "battle" and (tok.pos_ == "ADJ" or tok.dep_ == "amod"):
        return False  # "the besieged enclave", "government-held districts"
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
                not air_context(tok) and not killing_strike(tok))  # fmt: skip


def air_context(tok: Any) -> bool:
    window = tok.doc[max(0, tok.i - 4) : tok.i + 5].text.lower()
    return any(w in window for w in AIR_WORDS)


def killing_strike(tok: Any) -> bool:
    """A strike that kills is a military one ("Strike kills 15", "killed in strikes")."""
    heads = [tok.head, tok.head.head] if tok.dep_ == "pobj" else [tok.head]
    return any(KILLED.fullmatch(h.text) or h.lemma_.lower() in ("kill", "hit") for h in heads)


def ground_bomb(tok: Any, trig: Trigger) -> Trigger:
    """A bomb (the noun) is planted or thrown unless aircraft drop it."""
    if trig.sub_type == "air_drone_strike" and tok.lower_ in ("bomb", "bombs") and (
        tok.pos_ in ("NOUN", "PROPN") and not air_context(tok)
    ):  # fmt: skip
        return Trigger("remote_violence", "remote_explosive_ied", trig.weak)
    return trig


def dropped_bomb(span: Any, trig: Trigger) -> Trigger:
    """'a barrel bomb blast': a barrel bomb is dropped from a helicopter, not planted."""
    before = span.doc[max(span.sent.start, span.start - 2) : span.start]
    if trig.sub_type == "remote_explosive_ied" and any(t.lower_ == "barrel" for t in before):
        return Trigger("remote_violence", "air_drone_strike", trig.weak)
    return trig


AIRCRAFT = frozenset({"aircraft", "warplane", "jet", "drone", "helicopter", "plane", "bomber",
                      "airplane", "airforce", "aviation"})  # fmt: skip


def air_attack(tok: Any, trig: Trigger) -> Trigger:
    """'Coalition warplanes attacked an army position' is an air strike: an attack whose
    doer (the verb's subject, or the noun's modifier) is aircraft."""
    if trig.sub_type != "armed_clash" or tok.lemma_.lower() not in ("attack", "target", "hit"):
        return trig
    if tok.pos_ == "VERB":
        doers = [t for c in tok.children if c.dep_ == "nsubj" for t in c.subtree]
        doers += [t for c in tok.children if c.dep_ == "agent" for t in c.subtree]
    else:
        doers = [c for c in tok.children if c.dep_ in ("amod", "compound")]
    if any(t.lemma_.lower() in AIRCRAFT or t.lower_ in AIRCRAFT or t.lower_ in ("air", "aerial")
           for t in doers):  # fmt: skip
        return Trigger("remote_violence", "air_drone_strike", False)
    return trig


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
    if trig.sub_type == "territory" and kind_of(ctx.registry, actor1) == "civilians":
        return None  # "as evacuees waited to enter Aleppo": people passing, no one taking it
    if trig.type in VIOLENT_TYPES and kind_of(ctx.registry, actor1) == "civilians":
        # civilians are whom violence is done to: "civilians were killed in raids by X"
        swap = actor2 is not None and kind_of(ctx.registry, actor2) != "civilians"
        if swap and holds_only(part, in_sent, actor2):
            actor2, swap = actor1, False  # "killed in a raid on a rebel-held town": the town
        actor1, actor2 = (actor2, actor1) if swap else (None, actor2 or actor1)
        if actor1 is None:
            armed = [m for m in in_sent if kind_of(ctx.registry, m.ref) != "civilians"]
            actor1 = nearest_actor(part, tok, armed, before=True, exclude=actor2)
    dead = the_killed(part, sent, in_sent)
    if trig.type in VIOLENT_TYPES and actor1 is not None and actor1 in dead:
        # "175 Nusra terrorists killed in clashes with the army": the dead did not do it
        doer = actor2 not in dead and kind_of(ctx.registry, actor2) != "civilians"
        actor1, actor2 = (actor2 if doer else None), actor1
    sub_type = trig.sub_type
    kind = trig.type
    if sub_type == "territory" and _UNCONTESTED.search(sent.text):
        kind, sub_type = "strategic_development", "non_violent_transfer_of_territory"
    elif sub_type == "territory":
        sub_type = territory_sub_type(ctx.registry, actor1)
    place = event_place(ctx, part, sent, tok, in_sent, last_place)
    date_start, date_end, precision = event_dates(ctx, part, sent, in_sent)
    certainty, attributed = certainty_of(ctx.lexicon, sent, tok)
    actor1, actor2 = opposing_sides(ctx.registry, kind, sub_type, actor1, actor2, date_start)
    if kind in VIOLENT_TYPES and certainty not in ("possible", "denied"):
        actor1, actor2 = (armed_force(ctx.registry, a, sub_type) for a in (actor1, actor2))
    fatalities, note = fatality_count(ctx.lexicon, sent)
    if actor1 is None and actor2 is None and place is None:
        return None
    start = part.offset + sent.start_char
    evidence = tight_evidence(sent.text, start)
    return Event(
        id=event_id(ctx.document.id, start, sub_type, tok.i),
        doc_id=ctx.document.id,
        evidence=evidence,
        type=kind,
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


DEAD_FORMS = frozenset({"killed", "dead", "executed", "slain", "beheaded", "massacred",
                        "martyred", "perished", "died"})  # fmt: skip


def the_killed(part: Part, sent: Any, mentions: list[Mention]) -> set[str]:
    """Actors the sentence says were killed: the passive subject of a killing verb ('29
    Syrian rebels were killed'), or a noun a killed participle follows ('30 Terrorists
    Killed')."""
    found: set[str] = set()
    for tok in sent:
        if not KILLED.fullmatch(tok.text) or tok.pos_ not in ("VERB", "ADJ", "NOUN", "PROPN"):
            continue
        groups = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if tok.lower_ in DEAD_FORMS and not any(
            c.dep_ in ("dobj", "attr", "aux", "conj", "npadvmod", "oprd", "dative") or c.like_num
            for c in tok.children
        ):  # fmt: skip  # a headline's "30 Terrorists Killed", not "mines have killed ..."
            groups += [c for c in tok.children if c.dep_ == "nsubj"]
        if tok.dep_ in ("acl", "amod") and tok.head.i < tok.i and not any(
            c.dep_ in ("dobj", "attr") or c.like_num for c in tok.children
        ):  # fmt: skip
            groups.append(tok.head)  # "30 Terrorists Killed", not "strikes killed 70 people"
        by_killer = {t.i for t in tok.subtree}  # not "... killed by the Syrian army"
        for group in groups:
            skip = by_killer if group.i == tok.head.i else set()
            ref = token_actor(part, mentions, [t for t in group.subtree if t.i not in skip])
            if ref is not None:
                found.add(ref)
    return found


SIDE_KINDS = FIGHTING_KINDS | {"civilians", "government"}


# strategic developments with a counterpart; a deployment, a withdrawal or a demolition
# has none, and the actor named after its verb is rarely one
TWO_SIDED = frozenset({"agreement", "arrest", "non_violent_transfer_of_territory",
                       "headquarters_or_base_established", "change_to_group_activity"})  # fmt: skip


def opposing_sides(
    registry: Registry,
    kind: str,
    sub_type: str,
    actor1: str | None,
    actor2: str | None,
    day: str | None,
) -> tuple[str | None, str | None]:
    """In violence the two sides are parties to it: a monitor, a news agency or a UN body
    named near the verb is a source, not a side, and an ally of actor1 ('Army units and
    the PMF attacked') is on its side, not its target. Dropped sides are filled from the
    document by ``with_opponent``."""
    if kind not in VIOLENT_TYPES:
        return actor1, actor2 if sub_type in TWO_SIDED else None
    if kind_of(registry, actor1) not in SIDE_KINDS:
        actor1 = None
    if kind_of(registry, actor2) not in SIDE_KINDS:
        actor2 = None
    if actor1 and actor2 and registry.related(actor1, actor2, day):
        actor2 = None
    return actor1, actor2


def armed_force(registry: Registry, actor: str | None, sub_type: str) -> str | None:
    """A state that fights does so with its forces: 'The United States fired 59 cruise
    missiles' is the US military, 'the Syrian government bombed' its air force."""
    found = registry.get(actor) if actor else None
    if found is None or found.kind != "government":
        return actor
    forces = [a.id for a in registry.all() if a.parent == actor and a.kind == "state_force"]
    air = [f for f in forces if "air_force" in f]
    if sub_type == "air_drone_strike" and air:
        return air[0]
    ground = [f for f in forces if f not in air]
    return ground[0] if len(ground) == 1 else actor


def tight_evidence(text: str, start: int) -> Evidence:
    """The sentence's span without the spaces and line breaks around it, so that the
    evidence text is exactly the document text between its offsets."""
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    return Evidence(start + lead, start + lead + len(body), body)


def kind_of(registry: Registry, actor: str | None) -> str | None:
    found = registry.get(actor) if actor else None
    return found.kind if found else None


_UNCONTESTED = re.compile(r"\bwithout (a fight|fighting|a shot|resistance)\b|\bhanded over\b",
                         re.I)  # fmt: skip


def territory_sub_type(registry: Registry, actor: str | None) -> str:
    if actor is not None:
        for anc in registry.lineage(actor):
            found = registry.get(anc)
            if found and found.kind in STATE_KINDS:
                return "government_regains_territory"
    return "non_state_actor_overtakes_territory" if actor else "government_regains_territory"


def token_actor(
    part: Part, mentions: list[Mention], tokens: Iterable[Any], holder: bool = True
) -> str | None:
    """The first actor mention whose span covers one of the tokens; with ``holder`` False
    not one that only says who holds the ground ('struck the rebel-held district')."""
    for t in tokens:
        pos = part.offset + t.idx
        for m in mentions:
            if m.kind == "actor" and m.ref and m.start <= pos < m.end and (
                holder or not _HELD.match(part.text, m.end - part.offset)
            ):  # fmt: skip
                return m.ref
    return None


def roles(
    part: Part, tok: Any, mentions: list[Mention], previous: str | None
) -> tuple[str | None, str | None]:
    verb = tok if tok.pos_ == "VERB" else tok.head
    if verb.pos_ == "ADP":  # "died in raids by X", "killed 18 members in raids"
        verb = next((a for a in list(verb.ancestors)[:3] if a.pos_ == "VERB"), verb)
    elif verb.pos_ == "NOUN" and tok.dep_ in ("nmod", "compound", "conj"):
        # "pounded the camp with artillery and air strikes": the clause of the phrase
        verb = next((v for v in islice(verb.ancestors, 3) if v.pos_ == "VERB"), verb)
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    agents = [g for c in verb.children if c.dep_ == "agent" for g in c.subtree]
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in
             ("against", "on", "from", "targeting", "with")]  # fmt: skip
    own = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
    by = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.subtree]
    # "a blast claimed by X", "an attack carried out by X": the agent of the participle
    by += [g for a in tok.children if a.dep_ == "acl" and a.lemma_.lower() in DEED_VERBS
           for c in a.children if c.dep_ == "agent" for g in c.subtree]  # fmt: skip
    # "civilians were killed in regime air strikes": the cause of a passive killing
    cause = [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "during")
             and c.i <= tok.i < c.right_edge.i + 1 for g in c.subtree
             if not held_by(g)] if passive else []  # fmt: skip
    sides = between_sides(part, mentions, tok, verb)
    if sides is not None:
        return sides
    actor1 = (
        token_actor(part, mentions, [tok], holder=False)  # "regime airstrikes", "Russian jets"
        or token_actor(part, mentions, agents, holder=False)
        or token_actor(part, mentions, by, holder=False)
        or token_actor(part, mentions, own, holder=False)
        or token_actor(
            part, mentions, [t for s in nearest_first(verb, subj) for t in doer(s)], holder=False
        )
        or token_actor(part, mentions, cause, holder=False)
    )
    target_tokens = [t for o in objs for t in o.subtree] + [t for p in preps for t in p.subtree]
    if passive:
        target_tokens = [t for p in passive for t in p.subtree] + target_tokens
    actor2 = token_actor(part, mentions, target_tokens)
    if tok.pos_ != "VERB":
        noun_preps = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in
                      ("on", "against", "targeting") for g in c.subtree]  # fmt: skip
        actor2 = actor2 or token_actor(part, mentions, noun_preps)
    if actor1 is None:
        actor1 = token_actor(part, mentions, inherited_subject(verb, subj), holder=False)
    if actor1 is None and any(s.lower_ in ("they", "it", "he", "she", "we") for s in subj):
        actor1 = previous
    if actor1 is None:
        actor1 = nearest_actor(part, tok, mentions, before=True, exclude=actor2)
    if actor2 is None:
        actor2 = nearest_actor(part, tok, mentions, before=False, exclude=actor1)
    if actor1 == actor2:
        actor2 = None
    return actor1, actor2


PRONOUNS = frozenset({"they", "it", "we", "he", "she"})
DEED_VERBS = frozenset({"carry", "claim", "launch", "conduct", "commit", "perpetrate", "stage",
                        "mount", "fire", "drop", "plant", "detonate", "execute"})  # fmt: skip
"""Participles whose agent did the deed they qualify ("an attack carried out by X", "a
blast claimed by X"), unlike "a coalition led by X" or "an area held by X"."""


def holds_only(part: Part, mentions: list[Mention], actor: str | None) -> bool:
    """Whether a sentence names an actor only as who holds the ground ("rebel-held")."""
    named = [m for m in mentions if m.kind == "actor" and m.ref == actor]
    return bool(named) and all(_HELD.match(part.text, m.end - part.offset) for m in named)


def held_by(tok: Any) -> bool:
    """Inside "(an area) held/controlled by X": X holds the ground, it did not strike."""
    return any(a.dep_ == "acl" and a.lemma_.lower() in ("hold", "control", "besiege")
               for a in tok.ancestors)  # fmt: skip


def between_sides(
    part: Part, mentions: list[Mention], tok: Any, verb: Any
) -> tuple[str, str] | None:
    """'Clashes broke out between Iraqi troops and Peshmerga fighters': the first of the
    pair is actor1, the second actor2."""
    for prep in (*tok.children, *verb.children):
        if prep.dep_ != "prep" or prep.lower_ != "between":
            continue
        for first in (c for c in prep.children if c.dep_ == "pobj"):
            second = {t.i for c in first.children if c.dep_ == "conj" for t in c.subtree}
            a = token_actor(part, mentions, [t for t in first.subtree if t.i not in second])
            b = token_actor(part, mentions, [t for t in first.subtree if t.i in second])
            if a and b and a != b:
                return a, b
    return None


TARGET_PREPS = frozenset({"on", "against", "targeting"})


def doer(subject: Any) -> list[Any]:
    """A subject's tokens without the target it names ('an air strike on positions of the
    PMF killed 22': the PMF was hit, it did not strike)."""
    skip = {t.i for c in subject.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
            for t in c.subtree}  # fmt: skip
    return [t for t in subject.subtree if t.i not in skip]


_HELD = re.compile(r"-(?:held|controlled|run|besieged|dominated|populated)\b", re.I)


def inherited_subject(verb: Any, subj: list[Any]) -> list[Any]:
    """The tokens of the subject a clause borrows from the clause above it: a clause with
    no subject ('..., completing the recapture of ...', 'entered and seized') shares its
    head's; a pronoun in a reported clause is the reporter ('the SDF declared that they
    had captured Baghuz')."""
    node = verb
    for _ in range(3):
        pronoun = bool(subj) and all(s.lower_ in PRONOUNS for s in subj)
        if subj and not (pronoun and node.dep_ == "ccomp"):
            return []
        if node.dep_ not in ("advcl", "xcomp", "conj", "ccomp", "pcomp") or node.head.i == node.i:
            return []
        if not subj and node.dep_ == "ccomp":
            return []  # "said that the town had fallen": the sayer did not take it
        node = node.head
        if node.dep_ == "prep" and node.pos_ == "ADP":  # "declared victory after seizing ..."
            node = node.head
        subj = [c for c in node.children if c.dep_ in ("nsubj", "csubj")]
        found = [t for s in subj if s.lower_ not in PRONOUNS for t in s.subtree]
        if found:
            return found
    return []


def nearest_first(verb: Any, tokens: list[Any]) -> list[Any]:
    """Subjects nearest the verb first: a dateline ('Baghdad, Aug 27 -') parsed as a second
    subject never beats the real one."""
    return sorted(tokens, key=lambda t: abs(verb.i - t.i))


def nearest_actor(
    part: Part, tok: Any, mentions: list[Mention], before: bool, exclude: str | None
) -> str | None:
    pos = part.offset + tok.idx
    actors = [m for m in mentions if m.kind == "actor" and m.ref and m.ref != exclude
              and m.label != "metonym" and not _HELD.match(
                  part.text, m.end - part.offset)]  # fmt: skip  # "rebel-held" is a place
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
    actors = [m for m in in_sent if m.kind == "actor"]
    lead = sentence_dateline_end(part, sent)
    places = [m for m in in_sent if is_where(m) and m.start >= lead
              and not in_a_name(ctx, part, m) and not across_border(part, m) and not any(
        a.start <= m.start < a.end for a in actors)]  # fmt: skip  # "US-led", "Syrian army"
    attached = [m for m in places if attached_to(part, tok, m)]
    if all(is_country(ctx, m) for m in attached):
        attached = []  # "in Syria's province of Hama", "of Raqqa, a city in Syria"
    at = part.offset + tok.idx
    ranked = sorted(attached or places, key=lambda m: (
        feature_rank(ctx, m), is_country(ctx, m), abs(m.start - at)))  # fmt: skip
    # a province, a country or a place abroad gives way to the town the paragraph is about
    wide = bool(ranked) and (feature_rank(ctx, ranked[0]) >= 4 or (
        feature_rank(ctx, ranked[0]) == 2 and last_place is not None
        and feature_rank(ctx, last_place[0]) == 0))  # fmt: skip
    if ranked and not (wide and last_place is not None):
        mention = ranked[0]
        town = [m for m in places if feature_rank(ctx, m) == 0]
        if feature_rank(ctx, mention) == 1 and town:
            # "near Khasham, east of the Euphrates": an area gives way to the town it is at
            return place_of(ctx, min(town, key=lambda m: abs(m.start - mention.start)), True)
        river = ctx.gazetteer.get(mention.ref or "")
        if (river is not None and river.feature == "river" and last_place is not None
                and feature_rank(ctx, last_place[0]) == 0):  # fmt: skip
            return place_of(ctx, last_place[0], near=True)  # "on the northern bank of the river"
        return place_of(ctx, mention, near=is_near(part, mention))
    if last_place is not None:
        return place_of(ctx, last_place[0], near=True)
    return None


_DATELINE = re.compile(r"^[^.!?\n]{0,90}?(\)\s*[-–—]+|^[A-Z][A-Z .,'/-]{2,60}[-–—]+)\s")
_CAPS_DATELINE = re.compile(
    r"^(?:[^.!?\n]{0,40}?\d\s+)?[A-Z]{4,}(?:[ /][A-Z]{4,})?\s+(?=[A-Z][a-z])"
)
"""A dateline whose dash the copy lost: "Last updated at Apr 152017 BEIRUT Syrian jets ..."."""


TITLE_HEADS = frozenset({"governor", "council", "report", "news", "agency", "television",
                         "channel", "radio", "media", "bulletin", "dispatch", "courier",
                         "wire", "monitor", "post", "times", "herald", "press"})  # fmt: skip


def in_a_name(ctx: Context, part: Part, mention: Mention) -> bool:
    """A place that only names something else is not where anything happened: the
    publisher ('told Anbar Report'), a title ('the Anbar governor')."""
    text = ctx.document.text
    source = ctx.document.source
    if source and mention.end - mention.start < len(source):
        lo = max(0, mention.start - len(source))
        window = text[lo : mention.end + len(source)]
        at = window.find(source)
        if at >= 0 and lo + at <= mention.start and mention.end <= lo + at + len(source):
            return True
    span = part.doc.char_span(mention.start - part.offset, mention.end - part.offset,
                              alignment_mode="expand")  # fmt: skip
    if span is None:
        return False
    root = span.root
    return root.dep_ == "compound" and root.head.lemma_.lower() in TITLE_HEADS


BORDERS = frozenset({"border", "frontier", "boundary"})


def across_border(part: Part, mention: Mention) -> bool:
    """The country over a border ("a camp close to the border with Iraq", "shelling near the
    frontier with Jordan") is where the event did not happen."""
    span = part.doc.char_span(mention.start - part.offset, mention.end - part.offset,
                              alignment_mode="expand")  # fmt: skip
    if span is None:
        return False
    root = span.root
    return bool(root.dep_ == "pobj" and root.head.lower_ == "with"
                and root.head.head.lemma_.lower() in BORDERS)  # fmt: skip


def sentence_dateline_end(part: Part, sent: Any) -> int:
    """The offset where a sentence's dateline ('Baghdad, Jun 18 (Iraqi News Network) -',
    'AMMAN / BEIRUT -') ends: the publisher's city is not where the event happened."""
    match = _DATELINE.match(sent.text) or _CAPS_DATELINE.match(sent.text)
    return int(part.offset + sent.start_char + (match.end() if match else 0))


def narrow_place(ctx: Context, event: Event) -> Event:
    """A report that opens "in northwest Syria" names the town in the next sentence: an
    event placed only at a country, or nowhere, takes the first theatre town of that
    country named in the following NARROW_CHARS characters (geo_precision 2)."""
    if event.from_comment or (event.place is not None and event.place.geo_precision < 3):
        return event
    wide = ctx.gazetteer.get(event.place.id) if event.place else None
    if wide is not None and wide.feature != "country":
        return event  # a governorate is what the text says; keep it
    province: Mention | None = None  # else the first province of that country named there
    for m in ctx.mentions_between(event.evidence.end, event.evidence.end + NARROW_CHARS):
        # never a nationality, a common noun or a state that acts ("Damascus said")
        place = ctx.gazetteer.get(m.ref) if is_where(m) and m.ref else None
        if place is None or m.segment != "body" or place.country not in THEATRE_COUNTRIES:
            continue
        if wide is not None and place.country != wide.country:
            continue
        if place.feature in PRECISE_FEATURES:
            found = place_of(ctx, m, near=True)
            return replace(event, place=found) if found else event
        if province is None and place.feature == "governorate":
            province = m
    found = place_of(ctx, province, near=True) if province else None
    return replace(event, place=found) if found else event


def placed_by_story(ctx: Context, events: list[Event]) -> list[Event]:
    """A violent event placed nowhere or only at a country ("warplanes struck a market in
    northern Syria") is where the story tells it later: it takes the place of the first
    later violent event of the body placed in a governorate or finer of Syria or Iraq
    that does not contradict it (``may_be_told_again``; nor another theatre country than
    its own), as near that place (precision 2 at best). A country abroad is a misreading
    ("backed by Russian air support ... Russia's defence ministry said") the story's own
    places correct. ``narrow_place`` reads the names of the next few sentences; this pass
    reads the whole story, through the events it places."""
    out = list(events)
    for i, event in enumerate(events):
        if event.type not in VIOLENT_TYPES or event.from_comment:
            continue
        country: str | None = None  # a theatre country the later place must lie in
        if event.place is not None:
            wide = ctx.gazetteer.get(event.place.id)
            if wide is None or wide.feature != "country":
                continue  # a town or province is what the text says
            country = wide.country if wide.country in THEATRE_COUNTRIES else None
        for later in events:
            place = later.place
            if (
                later.evidence.start <= event.evidence.start
                or later.type not in VIOLENT_TYPES
                or later.from_comment
                or place is None
                or place.admin1 is None
                or place.country not in THEATRE_COUNTRIES
                or country not in (None, place.country)
            ):
                continue
            if may_be_told_again(ctx, event, later):
                near = replace(place, geo_precision=max(2, place.geo_precision))
                out[i] = replace(event, place=near)
                break
    return out


def may_be_told_again(ctx: Context, event: Event, later: Event) -> bool:
    """Whether a later event does not contradict ``event``: no two different doers (one
    state's army and air force are one, and so are allies that day: "a Turkish and
    coalition operation" goes on as "Turkish artillery hit ..."), and date ranges that
    overlap where both are dated."""
    if not sides_agree(ctx, event.actor1, later.actor1, event.date_start):
        return False
    if None in (event.date_start, event.date_end, later.date_start, later.date_end):
        return True
    return str(event.date_start) <= str(later.date_end) and (
        str(later.date_start) <= str(event.date_end)
    )


def is_country(ctx: Context, mention: Mention) -> bool:
    place = ctx.gazetteer.get(mention.ref or "")
    return place is not None and place.feature == "country"


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
    if place.feature in WIDE_FEATURES or province_abroad(place):
        precision = 3
    elif near or place.feature in ("region", "river", "district"):
        precision = 2
    else:
        precision = 1
    return EventPlace(place.id, place.name, place.lat, place.lon, precision, place.country,
                      place.admin1)  # fmt: skip


def province_abroad(place: Place) -> bool:
    """A first-level division outside the theatre (a US state, a Chinese province): the
    gazetteer files those as regions, since "governorate" is kept for Syria's and Iraq's."""
    return (
        place.feature == "region"
        and bool(place.country)
        and (place.country not in THEATRE_COUNTRIES)
    )


_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.I)


def since_before(text: str, at: int) -> bool:
    return _SINCE.search(text[max(0, at - 12) : at]) is not None


def event_dates(
    ctx: Context, part: Part, sent: Any, in_sent: list[Mention]
) -> tuple[str | None, str | None, Precision]:
    opening = dateline_end(ctx.document.text)
    for m in deed_first(ctx, part, in_sent):
        if m.kind != "date" or any(a <= m.start < b for a, b in ctx.credits):
            continue  # "AFP Tuesday 3 Mar 2015" dates the copy, wherever it stands
        if m.start >= opening:  # a dateline dates the copy, not events
            found = ctx.date_of(m)
            if found is not None:
                start, end = found.iso
                if ctx.published is not None and since_before(ctx.document.text, m.start):
                    # "killed since Friday", "strikes since May 31": up to publication
                    end = max(end, ctx.published.isoformat())
                    days = (date.fromisoformat(end) - date.fromisoformat(start)).days
                    long = days > 7 and found.precision == "day"
                    return start, end, "month" if long else found.precision
                return start, end, found.precision
    if ctx.published is None:
        return None, None, "unknown"
    if ctx.document.published_precision != "day":
        return None, None, "unknown"
    if in_lead(ctx, part, sent):
        # the headline and lead of a report tell the news of the day
        return (ctx.published - timedelta(days=1)).isoformat(), ctx.published.isoformat(), "day"
    # no date in the sentence: reported in the days up to publication
    start = (ctx.published - timedelta(days=6)).isoformat()
    return start, ctx.published.isoformat(), "week"


SPEECH_LEMMAS = frozenset({"say", "tell", "report", "announce", "add", "state", "confirm"})


def deed_first(ctx: Context, part: Part, in_sent: list[Mention]) -> list[Mention]:
    """A sentence's date mentions in the order they are tried: "a monitor said on Tuesday
    the jets struck overnight" is dated by the deed's day, not the saying's. Only a day
    beats the saying's day: in "the coalition said on Wednesday, after a campaign that
    began in March" the month is another clause's."""
    dates = [m for m in in_sent if m.kind == "date"]
    said = [m for m in dates if told_on(part, m)]
    if not said:
        return dates
    deeds = []
    for m in dates:
        found = ctx.date_of(m)
        if m not in said and found is not None and found.precision == "day":
            deeds.append(m)
    return deeds + [m for m in dates if m not in deeds]


def told_on(part: Part, mention: Mention) -> bool:
    """Whether a date is the day of a saying ("said on Tuesday", "told AFP on Friday"),
    not of what was said."""
    span = part.doc.char_span(mention.start - part.offset, mention.end - part.offset,
                              alignment_mode="expand")  # fmt: skip
    if span is None:
        return False
    node = span.root
    for _ in range(4):  # Tuesday → on → said
        if node.head is node:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return bool(node.lemma_.lower() in SPEECH_LEMMAS)
    return False


def in_lead(ctx: Context, part: Part, sent: Any) -> bool:
    """Whether a sentence is the headline or the first sentence of the article body. A
    title the parser cut into pieces ("Monday 02 May 2016 Group: Jets Pound Town") is one
    headline: the sentences that end within the copy's own title count once. The lead of
    a part is found once (``Context.leads``)."""
    if part.kind != "body" or part.offset > LEAD_OFFSET:
        return False
    starts = ctx.leads.get(part.offset)
    if starts is None:
        starts = ctx.leads[part.offset] = lead_starts(part, (ctx.document.title or "").strip())
    return sent.start in starts


def lead_starts(part: Part, name: str) -> frozenset[int]:
    """The token starts of the headline and lead sentences of a body part (``in_lead``)."""
    at = part.text.find(name) if name else -1
    title_end = at + len(name) + 1 if at >= 0 and at + part.offset <= LEAD_OFFSET else -1
    told = [s for s in part.doc.sents if not scrap(s)]
    heads = [s for s in told if s.end_char <= title_end]  # a prefix of ``told``
    return frozenset(s.start for s in (*heads, *told[max(0, len(heads) - 1) :][:2]))


def scrap(sent: Any) -> bool:
    """A 'sentence' of fewer than four words: a time stamp, a share link or the year of a
    dateline split off ("2016 102138", "Get short URL 0 17"), which is no headline."""
    return sum(1 for t in sent if t.is_alpha) < 4


def merge_duplicates(events: list[Event]) -> list[Event]:
    """A headline and the lead that repeats it are one event: keep the fuller one."""
    kept: list[Event] = []
    for event in events:
        twin = next((k for k in kept if k.same_happening(event) and same_telling(k, event)), None)
        if twin is None:
            kept.append(event)
            continue
        if completeness(event) > completeness(twin):
            kept[kept.index(twin)] = replace(event, id=twin.id)
    return kept


def same_telling(a: Event, b: Event) -> bool:
    """Two sentences of one document retell one happening only when they give it the same
    dates and the same sources: "450 strikes since May" and "a strike in July" are two."""
    return (a.date_start, a.date_end, a.attributed_to) == (b.date_start, b.date_end,
                                                           b.attributed_to)  # fmt: skip


def completeness(event: Event) -> int:
    fields = (event.actor1, event.actor2, event.place, event.date_start, event.fatalities)
    return sum(1 for f in fields if f is not None)
