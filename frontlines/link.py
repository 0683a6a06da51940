"""link: actor and place mentions resolved to registry actors and gazetteer places.

Recognition does not trust spaCy's labels alone (towns come out as PERSON or ORG,
Daesh as GPE): registry aliases are matched first (case-sensitive as written, and
case-insensitively for aliases longer than four letters), then every proper-name run
and every NER entity is looked up in the registry and the gazetteer by normalized key,
with fuzzy (consonant-skeleton) lookup for theatre places. Capitals and countries used
as the subject of a statement ("Ankara warned") become actor mentions, never places.
Generic nouns ("the militants") link to the actor the text is about, marked ``coref``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from frontlines.annotate import Annotated, Part
from frontlines.gazetteer import THEATRE_COUNTRIES, Gazetteer
from frontlines.models import Mention, Place
from frontlines.normalize import is_latin, key
from frontlines.registry import SHORT_ALIAS, Registry

GLUE = frozenset(
    {"al", "el", "ad", "ar", "as", "ash", "az", "ez", "an", "at", "ed", "es", "-", "'"}
)
STOP = frozenset(
    """
    The A An This That These Those It He She They We I You His Her Their Our Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Mr Mrs Ms Dr President General
    Gen Colonel Col Major Lt Minister Sheikh Imam King Prince Pope Islamic State Army
    Forces Force Coalition Ministry Defence Defense Council Government Regime Party
    Front Brigade Brigades Division Battalion Units Unit Command News Agency Reuters AP
    AFP Media TV Press Twitter Facebook Telegram YouTube Reply Share Comment Comments
    Home World Opinion Middle East West North South Central Northern Southern Eastern
    Western Related Support Click Image Video Watch Read More Subscribe Tags God Allah
    Muslim Muslims Christian Kurds Arabs Sunni Shia Shiite Of In On At By For And But Or
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun Herald
    Wire Monitor Tribune Voice Daily Desk Network Times Post Observer Sea Victory IMO
    """.split()
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"})
FORCE_NOUNS = frozenset(
    """
    forces troops army soldiers military warplanes jets aircraft planes drones artillery
    militias militiamen fighters units servicemen commandos police gunners pilots navy
    airforce
    """.split()
)
SAY_VERBS = frozenset(
    """
    say said says warn warned warns accuse accused accuses deny denied denies insist
    insisted demand demanded call called urge urged condemn condemned reject rejected
    announce announced claim claimed threaten threatened vow vowed respond responded
    send sent launch launched order ordered decide decided must should will would refuse
    refused agree agreed blame blamed
    """.split()
)


@dataclass(frozen=True)
class Linked:
    annotated: Annotated
    mentions: tuple[Mention, ...]


class Linker:
    """Links mentions against one registry and one gazetteer (both loaded once)."""

    def __init__(self, registry: Registry, gazetteer: Gazetteer) -> None:
        self.registry = registry
        self.gazetteer = gazetteer
        self._matchers: Any = None

    def matchers(self, vocab: Any) -> Any:
        """PhraseMatchers over registry aliases, built once for a spaCy vocab."""
        if self._matchers is None or self._matchers[0] is not vocab:
            from spacy.lang.en import English
            from spacy.matcher import PhraseMatcher

            tokenizer = English(vocab=vocab).tokenizer
            exact = PhraseMatcher(vocab, attr="ORTH")
            lower = PhraseMatcher(vocab, attr="LOWER")
            forms = sorted(self.registry.by_surface)
            exact.add("ACTOR", [tokenizer(f) for f in forms])
            long_forms = [f.lower() for f in forms if len(f) > SHORT_ALIAS]
            lower.add("ACTOR", [tokenizer(f) for f in long_forms])
            self._matchers = (vocab, exact, lower)
        return self._matchers

    def link(self, items: Iterable[Annotated]) -> Iterator[Linked]:
        for annotated in items:
            yield Linked(annotated, tuple(self.link_one(annotated)))

    def link_one(self, annotated: Annotated) -> list[Mention]:
        doc_id = annotated.document.id
        countries = self.mentioned_countries(annotated)
        mentions: list[Mention] = []
        for part in annotated.parts:
            taken: set[int] = set()
            actors = self.actor_mentions(doc_id, part, taken)
            places = self.place_mentions(doc_id, part, taken, countries)
            mentions.extend(actors)
            mentions.extend(places)
            mentions.extend(self.generic_mentions(doc_id, part, taken, mentions))
            mentions.extend(value_mentions(doc_id, part, taken))
        return sorted(mentions, key=lambda m: (m.start, -m.end))

    def mentioned_countries(self, annotated: Annotated) -> set[str]:
        found: set[str] = set()
        for part in annotated.parts:
            for ent in part.doc.ents:
                if ent.label_ in ("GPE", "NORP"):
                    for place in self.gazetteer.lookup(ent.text):
                        if place.feature == "country" and place.country:
                            found.add(place.country)
        return found

    # actors -------------------------------------------------------------------------

    def actor_mentions(self, doc_id: str, part: Part, taken: set[int]) -> list[Mention]:
        doc = part.doc
        _, exact, lower = self.matchers(doc.vocab)
        spans: list[tuple[int, int, str, float]] = []
        for _, start, end in exact(doc):
            spans.append((start, end, "registry", 1.0))
        for _, start, end in lower(doc):
            spans.append((start, end, "registry:lower", 0.9))
        spans.extend(self.force_phrases(doc))
        spans.extend(self.entity_actors(doc))
        out: list[Mention] = []
        for start, end, label, score in longest_first(spans):
            if any(i in taken for i in range(start, end)):
                continue
            ids = self.registry.lookup(doc[start:end].text) or self.registry.lookup(
                key(doc[start:end].text)
            )
            if not ids:
                continue
            taken.update(range(start, end))
            out.append(make_mention(doc_id, part, doc[start:end], "actor", ids[0], score, label))
        out.extend(self.metonyms(doc_id, part, taken))
        return out

    def force_phrases(self, doc: Any) -> Iterator[tuple[int, int, str, float]]:
        """'Iraqi troops', 'Russian warplanes': a nationality and a force noun."""
        for tok in doc:
            if tok.ent_type_ == "NORP" and tok.i + 1 < len(doc):
                nxt = doc[tok.i + 1]
                if nxt.lower_ in FORCE_NOUNS:
                    forms = (f"{tok.text} {nxt.text}", f"{tok.text} forces", f"{tok.text} army")
                    for form in forms:
                        if self.registry.lookup(form):
                            yield tok.i, tok.i + 2, "registry:force", 0.85
                            break

    def entity_actors(self, doc: Any) -> Iterator[tuple[int, int, str, float]]:
        for ent in doc.ents:
            if ent.label_ in ("ORG", "NORP", "GPE", "PERSON") and self.registry.lookup(
                strip_det(ent.text)
            ):
                yield ent.start, ent.end, f"ner:{ent.label_}", 0.8

    def metonyms(self, doc_id: str, part: Part, taken: set[int]) -> Iterator[Mention]:
        """A capital or country as the subject or owner of a statement is its government."""
        for tok in part.doc:
            if tok.i in taken or tok.dep_ not in ("nsubj", "poss", "nsubjpass"):
                continue
            if (
                tok.dep_ == "nsubj"
                and tok.head.lemma_.lower() not in SAY_VERBS
                and (tok.head.lower_ not in SAY_VERBS)
            ):
                continue
            span = name_span_at(part.doc, tok.i)
            actor = self.registry.by_metonym.get(span.text)
            if actor:
                taken.update(range(span.start, span.end))
                yield make_mention(doc_id, part, span, "actor", actor, 0.8, "metonym")

    def generic_mentions(
        self, doc_id: str, part: Part, taken: set[int], context: list[Mention]
    ) -> Iterator[Mention]:
        """'the militants' → the actor the surrounding text is about (marked coref)."""
        doc = part.doc
        for tok in doc:
            if tok.i in taken or tok.i == 0 or doc[tok.i - 1].lower_ != "the":
                continue
            candidates = self.registry.by_generic.get(f"the {tok.lower_}") or (
                self.registry.by_generic.get(tok.lower_)
            )
            if not candidates:
                continue
            offset = part.offset + tok.idx
            before = [m for m in context if m.kind == "actor" and m.start < offset]
            chosen = next((m.ref for m in reversed(before) if m.ref in candidates), None)
            if chosen is None and len(candidates) == 1:
                chosen = candidates[0]
            if chosen:
                span = doc[tok.i - 1 : tok.i + 1]
                taken.update((tok.i - 1, tok.i))
                yield make_mention(doc_id, part, span, "actor", chosen, 0.6, "coref")

    # places -------------------------------------------------------------------------

    def place_mentions(
        self, doc_id: str, part: Part, taken: set[int], countries: set[str]
    ) -> list[Mention]:
        doc = part.doc
        spans = list(name_runs(doc))
        spans += [(e.start, e.end) for e in doc.ents if e.label_ in PLACE_LABELS]
        out: list[Mention] = []
        for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
            if any(i in taken for i in range(start, end)):
                continue
            found = self.best_subspan(doc, start, end, countries, taken)
            if found is None:
                continue
            (s, e), place, score = found
            taken.update(range(s, e))
            out.append(make_mention(doc_id, part, doc[s:e], "place", place.id, score, "gazetteer"))
        return out

    def best_subspan(
        self, doc: Any, start: int, end: int, countries: set[str], taken: set[int]
    ) -> tuple[tuple[int, int], Place, float] | None:
        """The longest sub-span of a name run that resolves to a place."""
        for length in range(end - start, 0, -1):
            for s in range(start, end - length + 1):
                e = s + length
                if any(i in taken for i in range(s, e)):
                    continue
                span = doc[s:e]
                text = strip_det(span.text)
                if not usable_name(span, text):
                    continue
                resolved = self.resolve(text, countries)
                if resolved and not plausible_place(span, text, resolved[0]):
                    resolved = None
                if resolved:
                    return (s, e), resolved[0], resolved[1]
        return None

    def resolve(self, name: str, countries: set[str]) -> tuple[Place, float] | None:
        """The most plausible place a name refers to, with a score in 0..1."""
        exact = self.gazetteer.lookup(name)
        candidates = [(p, 1.0) for p in exact]
        if not candidates:
            name_key = key(name)
            for place in self.gazetteer.fuzzy(name):
                similarity = max(
                    fuzz.ratio(name_key, key(n)) for n in (place.name, *place.alt_names)
                )
                if similarity >= 75:
                    candidates.append((place, 0.6 + 0.3 * similarity / 100))
        if not candidates:
            return None
        ranked = sorted(((rank(p, s, countries), p, s) for p, s in candidates), key=lambda r: -r[0])
        _, place, score = ranked[0]
        return place, round(score, 3)


def rank(place: Place, match: float, countries: set[str]) -> float:
    """Prefer the theatre, countries the text mentions, curated sites, big places."""
    value = match
    if place.country in THEATRE_COUNTRIES:
        value += 0.6
    if place.country in countries:
        value += 0.4
    if place.id.startswith("fl:") or place.feature == "country":
        value += 0.3
    return value + math.log10(place.population + 1) / 10


def longest_first(
    spans: list[tuple[int, int, str, float]],
) -> list[tuple[int, int, str, float]]:
    return sorted(set(spans), key=lambda s: (s[0] - s[1], -s[3], s[0]))


def name_runs(doc: Any) -> Iterator[tuple[int, int]]:
    """Maximal runs of capitalized tokens, glued by Arabic articles and hyphens."""
    i = 0
    n = len(doc)
    while i < n:
        if not is_capital(doc[i]):
            i += 1
            continue
        if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in GLUE:
            i -= 2  # "al-Qaim": keep the article with the name
        j = i + 1
        while j < n and (is_capital(doc[j]) or (doc[j].lower_ in GLUE and j + 1 < n)):
            j += 1
        while j > i + 1 and doc[j - 1].lower_ in GLUE:
            j -= 1
        yield i, j
        i = j


def is_capital(tok: Any) -> bool:
    text = tok.text
    return bool(text[:1].isupper()) and text not in STOP and not tok.is_punct


def plausible_place(span: Any, text: str, place: Place) -> bool:
    """Outside the theatre, demand more: a primary name of a real town, or a big place;
    and a person's name is not a foreign town."""
    if (
        place.country in THEATRE_COUNTRIES
        or place.feature == "country"
        or place.id.startswith("fl:")
    ):
        return True
    if span.root.ent_type_ == "PERSON":
        return False
    if key(text) == key(place.name):
        return place.population >= 1000
    return place.population >= 50_000


def usable_name(span: Any, text: str) -> bool:
    if len(text) < 3 or text in STOP or text.lower() in GLUE:
        return False
    leading_article = len(span) > 2 and span[1].text == "-" and span[0].lower_ in GLUE
    if (span[0].lower_ in GLUE and not leading_article) or span[-1].lower_ in GLUE:
        return False
    if any(t.is_space for t in span):
        return False
    if not is_latin(text):
        return False
    first = span[0]
    if len(span) == 1 and first.is_sent_start and first.pos_ != "PROPN" and not first.ent_type_:
        return False
    return any(t.text[:1].isupper() for t in span)


def strip_det(text: str) -> str:
    return re.sub(r"^(the|The)\s+", "", text).strip(" ,.;:'\"")


def name_span_at(doc: Any, i: int) -> Any:
    """The compound name ending at token i ("Tel Aviv")."""
    start = i
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == i:
        start -= 1
    return doc[start : i + 1]


def make_mention(
    doc_id: str, part: Part, span: Any, kind: str, ref: str | None, score: float, label: str
) -> Mention:
    start = part.offset + span.start_char
    end = part.offset + span.end_char
    return Mention(
        doc_id=doc_id,
        start=start,
        end=end,
        text=span.text,
        kind=kind,  # type: ignore[arg-type]
        ref=ref,
        segment="comment" if part.kind == "comment" else "body",
        score=score,
        label=label,
    )


def value_mentions(doc_id: str, part: Part, taken: set[int]) -> Iterator[Mention]:
    """Dates and quantities as spaCy finds them (resolved later, against the dateline)."""
    for ent in part.doc.ents:
        if any(i in taken for i in range(ent.start, ent.end)):
            continue
        if ent.label_ in ("DATE", "TIME"):
            yield make_mention(doc_id, part, ent, "date", None, 0.8, f"ner:{ent.label_}")
        elif ent.label_ in ("CARDINAL", "QUANTITY"):
            value = number_value(ent.text)
            ref = str(value) if value is not None else None
            yield make_mention(doc_id, part, ent, "quantity", ref, 0.8, f"ner:{ent.label_}")


WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100})


def number_value(text: str) -> int | None:
    """The integer a number phrase states ("16", "1,200", "seven"), or None."""
    cleaned = text.lower().replace(",", "").strip()
    match = re.search(r"\d+", cleaned)
    if match:
        return int(match.group())
    return WORD_NUMBERS.get(cleaned.split()[-1]) if cleaned else None
