"""link: actor and place mentions resolved to registry actors and gazetteer places.

Recognition does not trust spaCy's labels alone (towns come out as PERSON or ORG,
Daesh as GPE): registry aliases are matched first (case-sensitive as written, and
case-insensitively for aliases longer than four letters), then every proper-name run
and every NER entity is looked up in the registry and the gazetteer by normalized key,
with fuzzy (consonant-skeleton) lookup for theatre places. Capitals and countries used
as the subject of a statement ("Ankara warned") become actor mentions, with a place
mention on the same span labelled ``gazetteer:metonym``; nationality adjectives
("Russian") and common nouns of place ("the city") are place mentions labelled
``demonym`` and ``nominal``. None of the three is ever where an event happened
(``is_where``). Generic nouns ("the militants") link to the actor the text is about,
marked ``coref``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz

from frontlines.annotate import Annotated, Part
from frontlines.gazetteer import THEATRE_COUNTRIES, Gazetteer, distance_km
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

STATIVE_VERBS = frozenset(
    """
    be lie sit fall remain stand stretch border become look seem face host house neighbour
    neighbor overlook surround line run
    """.split()
)
"""Verbs whose subject is a place, not an agent ("Damascus lies", "Baghdad fell")."""
PLACE_HEADS = frozenset(
    """
    border borders side territory soil city capital province region coast countryside
    airspace waters frontier crossing towns villages cities
    """.split()
)
TOWNS = frozenset({"populated_place", "village"})
PLACE_PREFIXES = frozenset({"Camp", "Mount", "Lake", "Jabal", "Jebel", "Wadi", "Fort"})
PLACE_SUFFIXES = frozenset(
    """
    village camp barrage dam lake river mountains mountain mosque gate bridge square
    neighborhood neighbourhood district province governorate airport airbase valley desert
    """.split()
)
GROUP_NOUNS = frozenset(
    """
    people group community party partner family army navy fighter official member victim
    resident leader organization organisation insurgent militant government regime
    coalition ally backer student citizen refugee worker militia
    """.split()
)
"""Common nouns that name a group of people or an organisation."""
PEOPLE_NOUNS = frozenset(
    "people family resident student citizen refugee worker victim civilian".split()
)
ARMED_GROUP_NOUNS = frozenset({"group", "organization", "organisation"})
ARMED = frozenset({"terrorist_group", "rebel_group", "militia"})
ORG_PRONOUNS = frozenset({"we", "We", "us", "they", "They"})
PRONOUN_WINDOW = 600
"""Characters before a pronoun in which its antecedent actor is looked for."""
FACILITIES = frozenset(
    """
    mosque church shrine gate bridge dam barrage airport airbase base camp center centre
    square market palace stadium citadel prison
    """.split()
)
INSTITUTIONS = frozenset(
    """
    government ministry department embassy office treasury cabinet parliament presidency
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
        source = annotated.document.source
        publisher = next(iter(self.registry.lookup(source)), None) if source else None
        mentions: list[Mention] = []
        for part in annotated.parts:
            taken: set[int] = set()
            actors = self.actor_mentions(doc_id, part, taken)
            places = self.place_mentions(doc_id, part, taken, countries)
            places += self.nested_places(doc_id, part, actors, countries)
            places += self.metonym_places(doc_id, part, actors, countries)
            mentions.extend(actors)
            mentions.extend(places)
            mentions.extend(self.generic_mentions(doc_id, part, taken, mentions))
            mentions.extend(self.pronoun_mentions(doc_id, part, taken, mentions, publisher))
            mentions.extend(self.organisation_mentions(doc_id, part, taken))
            mentions.extend(self.nominal_places(doc_id, part, taken, mentions))
            mentions.extend(self.nominal_actors(doc_id, part, taken, mentions))
            mentions.extend(value_mentions(doc_id, part, taken))
            mentions.extend(self.demonym_places(doc_id, part, mentions))
        return sorted(mentions, key=lambda m: (m.start, -m.end))

    def mentioned_countries(self, annotated: Annotated) -> set[str]:
        found: set[str] = set()
        for part in annotated.parts:
            for ent in part.doc.ents:
                if ent.label_ in ("GPE", "NORP"):
                    nationality = self.gazetteer.demonym(ent.text)
                    for place in (*self.gazetteer.lookup(ent.text), *filter(None, [nationality])):
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
            if not ids or self.located(doc[start:end]):
                continue
            taken.update(range(start, end))
            out.append(make_mention(doc_id, part, doc[start:end], "actor", ids[0], score, label))
        out.extend(self.metonyms(doc_id, part, taken))
        return out

    def located(self, span: Any) -> bool:
        """An actor alias that is also a place, used as a location ("fled toward the
        Kurdistan Region", "part of the Kurdistan Region"): left to the place linker."""
        root = span.root
        if root.dep_ != "pobj" or not self.gazetteer.lookup(strip_det(span.text)):
            return False
        prep = root.head
        return prep.lower_ in LOCATIVE or (prep.lower_ == "of" and prep.head.lemma_ == "part")

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
        """A capital or country as the subject or owner of a statement is its government,
        and so is one that qualifies a common noun ("U.S. assistance", not "Syria border")."""
        agents: set[int] = set()
        for tok in part.doc:
            titled = government_title(part.doc, tok.i + 1)  # "Russia's defence ministry"
            if tok.i in taken or not (
                tok.dep_ in ("nsubj", "poss", "nsubjpass", "compound")
                or agent_role(tok)
                or titled
                or (tok.dep_ == "conj" and tok.head.i in agents)
            ):
                continue
            if (
                tok.dep_ == "compound"
                and not titled
                and (tok.head.pos_ != "NOUN" or tok.head.lower_ in PLACE_HEADS)
            ):
                continue
            if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in STATIVE_VERBS:
                continue  # "Damascus lies ...", "Baghdad is ..." are places
            span = name_span_at(part.doc, tok.i)
            glued = self.glued_possessive(tok) is not None
            name = span.text[:-1] if glued else span.text
            actor = self.registry.metonym(name)
            if actor is None and (
                titled or (tok.dep_ == "nsubj" and tok.head.lemma_.lower() in SAY_VERBS)
            ):
                actor = self.government_of(name)  # "..., Iraq says", "Iraq's army"
            if actor and tok.ent_type_ == "PERSON" and not (
                served_or_blamed(tok) and self.registry.metonym(person_name(tok, name)) == actor
            ):  # fmt: skip
                continue  # a leader ("Assad") is his state only as the one forces serve or
                # blame falls on; "Assad said", "Assad's regime", "Bassel al-Assad" are men
            if actor:
                agents.add(tok.i)
                taken.update(range(span.start, span.end))
                mention = make_mention(doc_id, part, span, "actor", actor, 0.8, "metonym")
                yield trim_end(mention, 1) if glued else mention

    def glued_possessive(self, tok: Any) -> str | None:
        """The name under a possessive that lost its apostrophe ("Syrias Aleppo", "Russias
        defence ministry"): a capitalised word ending in "s" that is no place or actor
        itself, whose stem is a country or a well-known theatre place."""
        text = str(tok.text)
        if len(text) <= 4 or not text.endswith("s") or not text[:1].isupper() or text.isupper():
            return None
        if text[-2:-1] in ("'", "’") or self.gazetteer.lookup(text) or self.registry.lookup(text):
            return None
        bare = text[:-1]
        if any(p.feature == "country" or well_known(p) for p in self.gazetteer.lookup(bare)):
            return bare
        return None

    def government_of(self, name: str) -> str | None:
        """The government actor of a country the registry keeps out of its metonyms
        (Syria, Iraq: usually locations), for when the country speaks."""
        for place in self.gazetteer.lookup(name):
            if place.feature == "country" and place.country:
                for actor in self.registry.all():
                    if actor.kind == "government" and actor.country == place.country:
                        return actor.id
        return None

    def generic_mentions(
        self, doc_id: str, part: Part, taken: set[int], context: list[Mention]
    ) -> Iterator[Mention]:
        """'the militants' → the actor the surrounding text is about (marked coref)."""
        doc = part.doc
        for tok in doc:
            if tok.i in taken:
                continue
            span, candidates = self.generic_at(doc, tok.i, taken)
            if not candidates or span is None:
                continue
            offset = part.offset + tok.idx
            before = [m for m in context if m.kind == "actor" and m.start < offset]
            chosen = next((m.ref for m in reversed(before) if m.ref in candidates), None)
            if chosen is None and len(candidates) == 1:
                chosen = candidates[0]
            if chosen is None:
                chosen = self.theatre_pick(candidates, self.theatre_of(context))
            if chosen:
                taken.update(range(span.start, span.end))
                yield make_mention(doc_id, part, span, "actor", chosen, 0.6, "coref")

    def theatre_of(self, context: list[Mention]) -> str | None:
        """The theatre country a story is told in: the one of Syria and Iraq whose places it
        names more often (a country name counts as one of its places), None on a tie."""
        counts = dict.fromkeys(sorted(THEATRE_COUNTRIES), 0)
        for m in context:
            if m.kind != "place" or not m.ref:
                continue
            place = self.gazetteer.get(m.ref)
            if place is not None and place.country in counts:
                counts[place.country] += 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        return ranked[0][0] if ranked[0][1] > ranked[1][1] else None

    def theatre_pick(self, candidates: list[str], theatre: str | None) -> str | None:
        """Of the actors a generic phrase can name ("government forces": the Syrian army or
        the Iraqi forces), the one of the story's theatre country; where that leaves one
        force and its own units ("Kurdish fighters" in Syria: the SDF and the YPG within
        it), the unit, which lies within every other. None where it stays open."""
        if theatre is None:
            return None
        local = [c for c in candidates if (a := self.registry.get(c)) and a.country == theatre]
        if not local or any(
            (a := self.registry.get(c)) and a.country is None for c in candidates
        ):  # fmt: skip  # a transnational group ("the militants": IS) may be meant anywhere
            return None
        for pick in local:
            lineage = set(self.registry.lineage(pick))
            if all(c in lineage for c in local):
                return pick
        return None

    def generic_at(self, doc: Any, i: int, taken: set[int]) -> tuple[Any, list[str]]:
        """The generic phrase starting at (or determined just before) token i: "the
        militants", "government forces", "state media", "a coalition spokesman"."""
        generic = self.registry.by_generic
        tok = doc[i]
        if i + 1 < len(doc) and i + 1 not in taken:
            pair = generic.get(f"{tok.lower_} {doc[i + 1].lower_}")
            if pair and (i == 0 or doc[i - 1].lower_ != "the"):
                return doc[i : i + 2], pair
            if pair and i - 1 not in taken and not generic.get(f"the {tok.lower_}"):
                return doc[i - 1 : i + 2], pair  # "the Kurdish forces"
        if i > 0 and doc[i - 1].lower_ == "the" and i - 1 not in taken:
            found = generic.get(f"the {tok.lower_}") or generic.get(tok.lower_)
            return doc[i - 1 : i + 1], found or []
        if tok.dep_ == "compound" or (i > 0 and doc[i - 1].lower_ in ("a", "an")):
            return doc[i : i + 1], generic.get(tok.lower_) or []
        return None, []

    def pronoun_mentions(
        self,
        doc_id: str,
        part: Part,
        taken: set[int],
        context: list[Mention],
        publisher: str | None = None,
    ) -> Iterator[Mention]:
        """'we' in an organisation's statement, 'they' after a named group: the actor named
        last before it, within a short window (marked coref); with none, 'we' in the body
        of a statement the registry knows the publisher of ("US State Department") is the
        publisher (marked coref:publisher), outside quotation marks only ('"we will retake
        the town," the commander said' is the commander's 'we', never the publisher's,
        even after the publisher's own 'we'); unresolved otherwise."""
        for tok in part.doc:
            if tok.i in taken or tok.text not in ORG_PRONOUNS or tok.pos_ != "PRON":
                continue
            offset = part.offset + tok.idx
            inside = quoted(part.text, tok.idx)
            # a quoted speaker is not the publisher because the publisher's 'we' came before
            near = [
                m
                for m in context
                if m.kind == "actor" and m.ref and offset - PRONOUN_WINDOW <= m.start < offset
                and not (inside and m.label == "coref:publisher")
            ]  # fmt: skip
            if tok.lower_ != "they":  # 'we', 'us': the organisation speaking, not a crowd
                near = [m for m in near if self.kind_of(m.ref) not in ("civilians", None)]
            if tok.lower_ == "they":  # 'they': the group named nearest before it
                near.sort(key=lambda m: m.start)
            chosen = near[-1].ref if near else None
            label = "coref:pronoun"
            if chosen is None and tok.lower_ != "they" and part.kind == "body" and not inside:
                chosen, label = publisher, "coref:publisher"
            taken.add(tok.i)
            yield make_mention(doc_id, part, tok.doc[tok.i : tok.i + 1], "actor", chosen, 0.5,
                               label)  # fmt: skip

    def kind_of(self, actor_id: str | None) -> str | None:
        actor = self.registry.get(actor_id) if actor_id else None
        return actor.kind if actor else None

    def nominal_actors(
        self, doc_id: str, part: Part, taken: set[int], context: list[Mention]
    ) -> Iterator[Mention]:
        """'this terrorist group', 'our partners', 'students': groups named by a common
        noun. People ("families", "students") are civilians; a definite group noun links to
        the actor named before it that the noun fits: one the registry lists it as generic
        for ("the regime"), an armed group for "the group" (marked coref); the others stay
        without a ref."""
        for chunk in part.doc.noun_chunks:
            head = chunk.root
            if head.lemma_.lower() not in GROUP_NOUNS or head.pos_ != "NOUN" or head.i in taken:
                continue
            span = part.doc[chunk.start : head.i + 1]
            while span and span[0].i in taken:
                span = span[1:]
            if not span or any(t.i in taken for t in span):
                continue
            ref = self.group_referent(span, head, context, part.offset + span.start_char)
            taken.update(t.i for t in span)
            yield make_mention(doc_id, part, span, "actor", ref, 0.5, "coref" if ref else "noun")

    def group_referent(
        self, span: Any, head: Any, context: list[Mention], offset: int
    ) -> str | None:
        lemma = head.lemma_.lower()
        if lemma in PEOPLE_NOUNS:
            return "civilians" if "civilians" in self.registry.actors else None
        if span[0].lower_ in ("a", "an", "all", "both", "other", "some", "many"):
            return None
        before = [m for m in context if m.kind == "actor" and m.ref and m.start < offset]
        if head.tag_ != "NN":  # "allied militias", "the groups": not one actor named before
            return None
        if lemma in ARMED_GROUP_NOUNS:
            return next((m.ref for m in reversed(before) if self.kind_of(m.ref) in ARMED), None)
        candidates = self.registry.by_generic.get(f"the {head.lower_}", [])
        chosen = next((m.ref for m in reversed(before) if m.ref in candidates), None)
        return chosen or (candidates[0] if len(candidates) == 1 else None)

    def organisation_mentions(self, doc_id: str, part: Part, taken: set[int]) -> Iterator[Mention]:
        """Organisations spaCy finds that neither the registry nor the gazetteer knows: an
        institution of a state the registry knows ("the Iraqi Ministry of Culture") is that
        state's government; any other stays an actor mention without a ref."""
        for ent in part.doc.ents:
            if ent.label_ != "ORG" or any(i in taken for i in range(ent.start, ent.end)):
                continue
            text = strip_det(ent.text)
            if len(text) < 2 or text in STOP or not any(c.isupper() for c in text):
                continue
            taken.update(range(ent.start, ent.end))
            if ent.root.lower_ in FACILITIES:  # "the Brandbergen Mosque" is a place
                yield make_mention(doc_id, part, ent, "place", None, 0.5, "ner:ORG")
                continue
            ref = self.institution_actor(ent)
            yield make_mention(doc_id, part, ent, "actor", ref, 0.5, "ner:ORG")

    def institution_actor(self, span: Any) -> str | None:
        if span.root.lower_ not in INSTITUTIONS:
            return None
        for tok in span:
            if tok.ent_type_ in ("GPE", "NORP") or tok.text in self.registry.by_metonym:
                for form in (f"{tok.text} government", f"Government of {tok.text}"):
                    ids = self.registry.lookup(form)
                    if ids and self.kind_of(ids[0]) == "government":
                        return ids[0]
        return None

    # places -------------------------------------------------------------------------

    def nested_places(
        self, doc_id: str, part: Part, actors: list[Mention], countries: set[str]
    ) -> list[Mention]:
        """The place inside an actor's name ("Government of Iraq", "people of Syria"), as a
        place mention overlapping the actor mention."""
        out: list[Mention] = []
        doc = part.doc
        for actor in actors:
            span = doc.char_span(actor.start - part.offset, actor.end - part.offset)
            if span is None or len(span) < 3:
                continue
            for tok in span[:-1]:
                if tok.lower_ not in ("of", "in", "on"):
                    continue
                tail = doc[tok.i + 1 : span.end]
                text = strip_det(tail.text)
                resolved = self.resolve(text, countries) if usable_name(tail, text) else None
                if resolved and plausible_place(tail, text, resolved[0]):
                    out.append(make_mention(doc_id, part, tail, "place", resolved[0].id,
                                            resolved[1], "gazetteer:nested"))  # fmt: skip
                break
        return out

    def metonym_places(
        self, doc_id: str, part: Part, actors: list[Mention], countries: set[str]
    ) -> list[Mention]:
        """The toponym under a country or capital that acts ("Russia struck", "the UK is
        working", "the Syrian Arab Republic"): a place mention on the same span as the
        actor mention, labelled ``gazetteer:metonym``. Extract never takes a place that an
        actor mention covers as where an event happened."""
        out: list[Mention] = []
        for actor in actors:
            text = strip_det(actor.text)
            if actor.label != "metonym" and not self.names_country(text):
                continue
            place = self.resolve(text, countries)
            if place is None or key(text) not in {key(n) for n in place_names(place[0])}:
                continue
            out.append(replace(actor, kind="place", ref=place[0].id, score=place[1],
                               label="gazetteer:metonym"))  # fmt: skip
        return out

    def demonym_places(self, doc_id: str, part: Part, mentions: list[Mention]) -> Iterator[Mention]:
        """'Russian', 'South Korean': a nationality adjective as a place mention of its
        country, labelled ``demonym``, unless it is part of a named actor ("Syrian Army",
        "Russian VKS"). The geoparsing gold counts these modifiers as toponyms; they are
        never where an event happened."""
        doc = part.doc
        placed = [(m.start, m.end) for m in mentions if m.kind == "place"]
        actor_starts = {m.start for m in mentions if m.kind == "actor" and m.ref}
        placed += [(m.start, m.end) for m in mentions if m.kind == "actor" and m.ref]
        i = 0
        while i < len(doc):
            if not doc[i].text[:1].isupper():  # both spans tried start with this token
                i += 1
                continue
            for n in (2, 1):
                span = doc[i : i + n]
                if len(span) < n:
                    continue
                place = self.gazetteer.demonym(span.text)
                if place is None or span[-1].tag_ in ("NNS", "NNPS"):
                    continue  # "Russians" are people, not a place
                if n == 1 and span[0].ent_type_ not in DEMONYM_LABELS:
                    continue
                start, end = part.offset + span.start_char, part.offset + span.end_char
                if any(s < end and start < e for s, e in placed):
                    continue
                after = span.end < len(doc) and part.offset + doc[span.end].idx in actor_starts
                if after:
                    continue  # "Russian VKS": the nationality is part of the force's name
                yield make_mention(doc_id, part, span, "place", place.id, 0.7, "demonym")
                i += n - 1
                break
            i += 1

    def nominal_places(
        self, doc_id: str, part: Part, taken: set[int], context: list[Mention]
    ) -> Iterator[Mention]:
        """'the city', 'a petrol station', 'the camp': a place named by a common noun, as a
        place mention labelled ``nominal``. A definite one ("the town") refers back to the
        last place of its kind named before it, within the part; the others carry no ref.
        Never an event place, and no toponym to the geoparsing benchmarks."""
        doc = part.doc
        for chunk in doc.noun_chunks:
            head = chunk.root
            if head.pos_ != "NOUN" or head.lower_ not in NOMINAL_PLACES or head.i in taken:
                continue
            if head.dep_ == "compound" or any(t.i in taken for t in chunk):
                continue
            start = chunk.start
            while start < head.i and doc[start].pos_ in ("PRON", "NUM"):
                start += 1  # "their camp", "two hospitals": the place, not the count
            span = doc[start : head.i + 1]
            taken.update(t.i for t in span)
            ref = None
            if doc[start].lower_ == "the" and head.tag_ == "NN":
                ref = self.antecedent(head.lower_, part.offset + span.start_char, context)
            yield make_mention(doc_id, part, span, "place", ref, 0.4, "nominal")

    def antecedent(self, noun: str, offset: int, context: list[Mention]) -> str | None:
        """The place a definite place noun refers back to: the last one named in the
        ``ANTECEDENT_WINDOW`` characters before it whose feature the noun fits."""
        fits = NOUN_FEATURES.get(noun)
        if fits is None:
            return None
        for m in sorted(context, key=lambda m: -m.start):
            if m.start >= offset or m.kind != "place" or not m.ref or m.label == "demonym":
                continue
            if m.start < offset - ANTECEDENT_WINDOW:
                break
            place = self.gazetteer.get(m.ref)
            if place is not None and place.feature in fits:
                return place.id
        return None

    def names_country(self, text: str) -> bool:
        """A registry alias that is also the name of a country or a region ("Syrian Arab
        Republic", "Kurdistan Region")."""
        return any(
            p.feature in ("country", "region", "governorate") for p in self.gazetteer.lookup(text)
        )

    def place_mentions(
        self, doc_id: str, part: Part, taken: set[int], countries: set[str]
    ) -> list[Mention]:
        doc = part.doc
        spans = list(name_runs(doc))
        spans += [(e.start, e.end) for e in doc.ents if e.label_ in PLACE_LABELS]
        out: list[Mention] = []
        queue = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0]))
        unnamed: list[tuple[int, int]] = []
        while queue:
            start, end = queue.pop(0)
            if any(i in taken for i in range(start, end)):  # keep the untaken pieces
                queue[:0] = free_pieces(start, end, taken)
                continue
            found = self.best_subspan(doc, start, end, countries, taken)
            if found is None:
                if place_like_name(doc[start:end]):  # "Camp Hurriya", "Tharthar Barrage"
                    unnamed.append((start, end))  # unless a resolved name takes it first
                continue
            (s, e), place, score = self.refine(doc, *found, countries, taken)
            taken.update(range(s, e))
            if not self.inside_city(doc, s, e, place, countries):
                queue[:0] = [r for r in ((start, s), (e, end)) if r[0] < r[1]]
                continue  # "the Hamdaniya neighbourhood of Aleppo": the event is at the city
            mention = make_mention(doc_id, part, doc[s:e], "place", place.id, score, "gazetteer")
            glued = self.glued_possessive(doc[e - 1]) is not None and not self.gazetteer.lookup(
                strip_det(doc[s:e].text)
            )
            out.append(trim_end(mention, 1) if glued else mention)
            queue[:0] = [r for r in ((start, s), (e, end)) if r[0] < r[1]]  # "Palmyra - Deir"
        for start, end in unnamed:
            if not any(i in taken for i in range(start, end)):
                taken.update(range(start, end))
                out.append(make_mention(doc_id, part, doc[start:end], "place", None, 0.5, "name"))
        if part.kind == "comment":
            out.extend(self.plain_case_places(doc_id, part, taken, countries))
        return out

    def inside_city(self, doc: Any, s: int, e: int, place: Place, countries: set[str]) -> bool:
        """False for a quarter named before "neighbourhood/district of/in (the city of) CITY",
        or a town named before "in CITY", that the gazetteer puts neither in that city's
        governorate nor near it (``within``): it found a namesake elsewhere, so the event is
        at the city."""
        k = listed_end(doc, e)  # "Sukkari and al-Mashhad in Aleppo"
        if k + 1 < len(doc) and doc[k].lower_ == "in" and place.country in THEATRE_COUNTRIES and (
            place.feature in TOWNS
        ):  # fmt: skip  # a river or a province may run through another governorate
            return self.within(doc, k + 1, place)
        if e + 2 >= len(doc) or doc[e].lower_ not in QUARTER_WORDS or (
            doc[e + 1].lower_ not in ("of", "in")
        ):  # fmt: skip
            return True
        i = e + 2
        while i < min(e + 8, len(doc)) and not doc[i].is_punct:
            if not is_capital(doc[i]):
                i += 1
                continue
            j = i + 1
            while j < len(doc) and (is_capital(doc[j]) or doc[j].lower_ in GLUE):
                j += 1
            city = self.resolve(strip_det(doc[i:j].text), countries)
            if city and city[0].feature != "country":
                if city[0].country not in THEATRE_COUNTRIES:
                    return True
                return place.country == city[0].country and near_or_in(city[0], place, SUBURB_KM)
            i = j
        return True

    def within(self, doc: Any, i: int, place: Place) -> bool:
        """Whether a theatre place can lie in the town named at token ``i`` ("in Aleppo",
        "in the city of Aleppo"): in its governorate, or within SUBURB_KM of it (Douma "in
        Damascus" lies in another governorate, Rif Dimashq), AREA_KM where its countryside
        or province is named. The town is an exact gazetteer name, never a fuzzy one ("in
        Ramadan" is no Ramadi); true where none is named."""
        if doc[i].lower_ == "the" and doc[i + 1 : i + 3].text.lower() == "city of":
            i += 3
        j = i
        while j < len(doc) and (is_capital(doc[j]) or (j > i and doc[j].lower_ in GLUE)):
            j += 1
        if j == i:
            return True
        # "in Damascus countryside", "in Hasakeh province": the area around the city
        reach = AREA_KM if j < len(doc) and doc[j].lower_ in AREA_WORDS else SUBURB_KM
        towns = [p for p in self.gazetteer.lookup(strip_det(doc[i:j].text))
                 if p.country in THEATRE_COUNTRIES and p.feature in TOWNS]  # fmt: skip
        if not towns or place.id in {t.id for t in towns}:
            return True
        return any(near_or_in(t, place, reach) for t in towns)

    def refine(
        self,
        doc: Any,
        bounds: tuple[int, int],
        place: Place,
        score: float,
        countries: set[str],
        taken: set[int],
    ) -> tuple[tuple[int, int], Place, float]:
        """A site named with a common noun around the name ("Tabqa airbase", "Great Mosque
        of al-Nuri", "eastern bank of the Euphrates"), or a governorate named after its
        seat ("Raqqa province", "the countryside of Deir ez-Zor")."""
        s, e = bounds
        for s2, e2 in widenings(doc, s, e):
            if any(i in taken for i in range(s2, e2)):
                continue
            found = self.resolve(strip_det(doc[s2:e2].text), countries)
            if found and (found[0].id == place.id or found[0].feature not in TOWNS):
                return (s2, e2), found[0], found[1]
        if place.feature != "governorate" and governorate_context(doc, s, e):
            name = strip_det(doc[s:e].text)
            for candidate in (*self.gazetteer.lookup(name), *self.gazetteer.fuzzy(name)):
                if candidate.feature == "governorate":
                    return (s, e), candidate, score
        return (s, e), place, score

    def plain_case_places(
        self, doc_id: str, part: Part, taken: set[int], countries: set[str]
    ) -> Iterator[Mention]:
        """Theatre towns written in lower or upper case in reader comments ("pray for
        mosul", "dier ezzor", "GIVE UP DEIR EZZOR"): only well-known places (a country,
        governorate, curated site or a town of 10,000+), and a single word only by exact
        name, so common words ("blood", "shame") stay words."""
        doc = part.doc
        i = 0
        while i < len(doc):
            tok = doc[i]
            if i in taken or not plain_case_word(tok):
                i += 1
                continue
            for e in (i + 2, i + 1):
                if e > len(doc) or any(
                    j in taken or not plain_case_word(doc[j]) for j in range(i, e)
                ):
                    continue
                found = self.resolve(doc[i:e].text, countries) if e > i + 1 else None
                if e == i + 1 and tok.pos_ not in FUNCTION_POS:  # one word: exact name only
                    exact = [p for p in self.gazetteer.lookup(tok.text) if well_known(p)]
                    exact.sort(key=lambda p: -rank(p, 1.0, countries))
                    found = (exact[0], 0.9) if exact else None
                if found and well_known(found[0]):
                    taken.update(range(i, e))
                    yield make_mention(doc_id, part, doc[i:e], "place", found[0].id,
                                       round(found[1] * 0.9, 3), "gazetteer:case")  # fmt: skip
                    i = e - 1
                    break
            i += 1

    def best_subspan(
        self, doc: Any, start: int, end: int, countries: set[str], taken: set[int]
    ) -> tuple[tuple[int, int], Place, float] | None:
        """The longest sub-span of a name run that resolves to a place."""
        glued = {i for i in range(max(0, start - 3), end) if self.glued_possessive(doc[i])}
        for length in range(end - start, 0, -1):
            for s in range(start, end - length + 1):
                e = s + length
                if any(i in taken for i in range(s, e)):
                    continue
                span = doc[s:e]
                text = strip_det(span.text)
                if (
                    not usable_name(span, text)
                    and not self.country_code(text)
                    and not self.opening_name(span, text)
                ):
                    continue
                resolved = self.resolve(text, countries)
                if resolved and not plausible_place(span, text, resolved[0], glued):
                    resolved = None
                if resolved:
                    return (s, e), resolved[0], resolved[1]
        return None

    def opening_name(self, span: Any, text: str) -> bool:
        """A one-word theatre town opening a sentence ("Shaddadi sits ...") or a dateline
        ("BEIRUT —"), which spaCy often does not tag as a proper noun."""
        tok = span[0]
        if len(span) != 1 or not tok.is_sent_start or len(text) < 4 or tok.is_stop:
            return False
        nxt = tok.nbor(1).text if tok.i + 1 < len(tok.doc) else ""
        if tok.text.isupper() and nxt in ("-", "—", "–", ","):
            return True
        if tok.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "ADV", "CCONJ", "SCONJ"):
            return False
        return any(
            p.country in THEATRE_COUNTRIES
            and (p.population > 0 or p.id.startswith("fl:") or key(p.name) == key(text))
            for p in self.gazetteer.lookup(text)
        )

    def country_code(self, text: str) -> bool:
        """Two capitals that name a country ("UK", "US"), too short for other names."""
        return (
            len(text) == 2
            and text.isupper()
            and any(p.feature == "country" for p in self.gazetteer.lookup(text))
        )

    def resolve(self, name: str, countries: set[str]) -> tuple[Place, float] | None:
        """The most plausible place a name refers to, with a score in 0..1."""
        exact = self.gazetteer.lookup(name)
        candidates = [(p, 1.0) for p in exact]
        if not candidates and len(name) > 4 and name.endswith("s"):
            # copy that lost its apostrophes: "Syrias Idlib", "Aleppos eastern districts"
            bare = self.gazetteer.lookup(name[:-1])
            candidates = [(p, 0.9) for p in bare if p.feature == "country" or well_known(p)]
        # "Tigers" is no Tigris in Ohio news: a title-case name is fuzzy-matched only in
        # text that names Syria or Iraq; "dier ezzor" in a comment always is
        theatre = bool(countries & THEATRE_COUNTRIES) or not name.istitle()
        if not candidates and theatre and self.gazetteer.demonym(name) is None:
            name_key = key(name)
            for place in self.gazetteer.fuzzy(name):
                if place.country not in THEATRE_COUNTRIES or short_capitals(name):
                    continue  # "Hamas" is no Hamm, "MSF" no Masyaf
                similarity = max(
                    fuzz.ratio(name_key, key(n)) for n in (place.name, *place.alt_names)
                )
                if similarity >= 75:
                    candidates.append((place, 0.6 + 0.3 * similarity / 100))
        if not candidates:
            return None
        ranked = sorted(
            ((rank(p, s, countries) + own_name(p, name), p, s) for p, s in candidates),
            key=lambda r: -r[0],
        )
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
    elif place.feature in AREAS and place.country not in THEATRE_COUNTRIES:
        value += 0.3  # "Texas" the state before two Mexican villages
    return value + math.log10(place.population + 1) / 10


def named_org(tok: Any, place: Place) -> bool:
    """A one-word organisation that is a big place by its own name ("Texas", "Huntsville"
    tagged ORG): a team, a state or a city government; the name is still a toponym."""
    if tok.ent_type_ != "ORG" or tok.ent_iob_ != "B":
        return False
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I":
        return False  # part of a longer name
    if key(tok.text) != key(place.name):
        return False
    return place.feature in AREAS or place.population >= 50_000


def dateline_word(tok: Any) -> bool:
    """A capitalized city name opening a dateline ("BEIRUT -", "WASHINGTON, Jan 3")."""
    doc = tok.doc
    nxt = doc[tok.i + 1].text if tok.i + 1 < len(doc) else ""
    return tok.is_sent_start and tok.text.isupper() and len(tok) >= 4 and nxt in DASHES


DASHES = frozenset({"-", "—", "–", ",", "(", "--"})


def leads_name(tok: Any) -> bool:
    """A word opening a longer organisation or facility name, as the place it is of
    ("Oxford Police Department", "Texas Department of Health"), but not the institution
    word of "University of ..." or "Superior Court"."""
    doc = tok.doc
    if tok.ent_iob_ != "B" or tok.ent_type_ not in ("ORG", "FAC"):
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or nxt.ent_iob_ != "I" or nxt.lower_ in ("of", "&", "and", "for"):
        return False
    return tok.pos_ == "PROPN" and tok.lower_ not in GROUP_NOUNS | INSTITUTIONS


DEMONYM_LABELS = frozenset({"NORP", "GPE", "ORG", "LANGUAGE", ""})
"""Entity labels under which a nationality word still names its country (not PERSON:
"Mr German")."""
NOT_LOCATIVE = frozenset({"demonym", "nominal", "gazetteer:metonym"})
"""Labels of place mentions that never say where something happened: a nationality,
a common noun, a state that acts."""


def own_name(place: Place, name: str) -> float:
    """Abroad, a place called by its own name before one that has it as an alternate
    ("Indiana" the state, not Nanuque in Brazil)."""
    if place.country in THEATRE_COUNTRIES or key(place.name) != key(name):
        return 0.0
    return 0.3


def is_where(mention: Mention) -> bool:
    """A resolved place mention that can say where something happened (not a
    nationality, a common noun or a state that acts)."""
    return (
        mention.kind == "place" and mention.ref is not None and (mention.label not in NOT_LOCATIVE)
    )


BLAME_VERBS = frozenset({"blame", "accuse"})
CULPRIT_WORDS = frozenset({"behind", "responsible", "culprit", "perpetrator"})


def blamed_actors(part: Part, mentions: Iterable[Mention]) -> Iterator[tuple[int, str]]:
    """Where a part holds an actor to blame for a deed, and whom: the object of "blamed X
    (for)" and "accused X of", the one a deed is blamed on ("the raid London
    blames on X"), the accused of a passive ("X was accused of"), and the subject of "X
    was behind / responsible for" or "X claimed responsibility". A negated or denied
    blame ("denied being behind it", "was not responsible") names no one. Yields the
    document offset of the blaming word and the actor id, in text order."""
    actors = [m for m in mentions if m.kind == "actor" and m.ref]
    for tok in part.doc:
        slot = blame_slot(tok)
        if not slot or denied(tok):
            continue
        for t in slot:
            pos = part.offset + t.idx
            found = next((m.ref for m in actors if m.start <= pos < m.end and m.ref), None)
            if found is not None:
                yield part.offset + tok.idx, found
                break


def blame_slot(tok: Any) -> list[Any]:
    """The tokens of the blamed party for a blaming word (see ``blamed_actors``)."""
    lemma = tok.lemma_.lower()
    if lemma in BLAME_VERBS and tok.pos_ == "VERB":
        on = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "on"]
        if lemma == "blame" and on:
            return [g for c in on for g in c.subtree]
        held = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        return [g for c in held for g in c.subtree]
    head = tok.head
    if lemma == "responsibility" and tok.dep_ == "dobj" and head.lemma_.lower() in (
        "claim", "bear", "admit", "accept"
    ):  # fmt: skip
        return [g for c in head.children if c.dep_ == "nsubj" for g in c.subtree]
    if lemma in CULPRIT_WORDS and head.lemma_.lower() == "be":
        return [g for c in head.children if c.dep_ == "nsubj" for g in c.subtree]
    return []


def denied(tok: Any) -> bool:
    """A blaming word under a negation or a denial ("denied carrying out", "not behind")."""
    for node in (tok, *list(tok.ancestors)[:3]):
        if any(c.dep_ == "neg" for c in node.children) or node.lemma_.lower() in (
            "deny", "reject", "dismiss"
        ):  # fmt: skip
            return True
    return False


def quoted(text: str, at: int) -> bool:
    """True when character ``at`` lies inside a quotation: after an opening mark (“ or a
    straight " that opens) and before its closing one, within the paragraph."""
    start = text.rfind("\n", 0, at) + 1
    inside = False
    for ch in text[start:at]:
        if ch == "“":
            inside = True
        elif ch == "”":
            inside = False
        elif ch == '"':
            inside = not inside
    return inside


def short_capitals(name: str) -> bool:
    """An acronym ("MSF", "APC"): too short and too uncertain for a fuzzy match."""
    return name.isupper() and len(name) <= 4


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


def near_or_in(city: Place, place: Place, reach: float) -> bool:
    """A place in the city's governorate or within ``reach`` km of the city (Douma and
    Harasta, in Rif Dimashq, are suburbs of Damascus; Yabroud lies in its countryside)."""
    if city.admin1 == place.admin1:
        return True
    return distance_km((city.lat, city.lon), (place.lat, place.lon)) <= reach


def listed_end(doc: Any, e: int) -> int:
    """Where a list of names that starts before token ``e`` ends ("Midan, Sukkari and
    al-Jamiliyeh"): ``e`` itself when no other name follows."""
    k = e
    while k + 1 < len(doc) and doc[k].lower_ in (",", "and"):
        j = k + 1
        while j < len(doc) and (is_capital(doc[j]) or doc[j].lower_ in GLUE):
            j += 1
        if not any(is_capital(t) for t in doc[k + 1 : j]):
            break
        k = j
    return k


def is_capital(tok: Any) -> bool:
    text = tok.text
    return bool(text[:1].isupper()) and text not in STOP and not tok.is_punct


def plausible_place(span: Any, text: str, place: Place, glued: set[int] | None = None) -> bool:
    """Outside the theatre, demand more: a primary name of a real town, or a big place;
    and a person's name is not a foreign town, nor is part of a longer one a theatre place."""
    if inside_longer_person(span, glued or set()) or agent_modifier(span) or "$" in span.text:
        return False  # "US$" is a currency
    if (
        short_capitals(text)
        and span.root.ent_type_ not in ("GPE", "LOC", "FAC")
        and place.feature not in AREAS | {"country"}
    ):
        return False  # "FAO", "MSF": an acronym spaCy does not call a place ("DRC" is one)
    if (
        place.country in THEATRE_COUNTRIES
        or place.feature == "country"
        or place.id.startswith("fl:")
    ):
        return True
    if span.root.ent_type_ in ("PERSON", "NORP"):
        return False
    words = [t for t in span if t.lower_ not in ("the", "a", "an") and not t.is_punct]
    if len(words) == 1 and words[0].ent_type_ not in ("GPE", "LOC", "FAC"):
        # "Police", "Court": a capitalized word, no place; but a dateline is ("BEIRUT -")
        return leads_name(words[0]) or dateline_word(words[0]) or named_org(words[0], place)
    if place.feature in AREAS and key(text) in {key(n) for n in place_names(place)}:
        return True  # a state, province, continent or sea by its own name
    if key(text) == key(place.name) and not (len(span) == 1 and title_cased(span.sent)):
        return place.population >= 1000
    return place.population >= 50_000


AREAS = frozenset({"governorate", "region"})
"""Features of areas (provinces, states, continents, seas), which GeoNames gives no
population."""
AGENT_SUFFIXES = frozenset("led backed funded supported allied sponsored trained".split())
AREA_WORDS = frozenset({"countryside", "province", "governorate", "suburbs", "outskirts",
                        "region", "area", "countryside's"})  # fmt: skip
"""After a city: the area around it, which reaches past the city and its governorate."""
AREA_KM = 120.0
"""How far a town named "in CITY countryside / province" may lie from the city's point."""
SUBURB_KM = 40.0
"""How far a suburb named "in CITY" may lie from the city's point (Douma, Harasta: 10 km)."""
QUARTER_WORDS = frozenset("neighbourhood neighborhood district quarter suburb".split())


def agent_modifier(span: Any) -> bool:
    """ "US-led", "Iran-backed": the name says who leads, not where."""
    doc, e = span.doc, span.end
    return e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].lower_ in AGENT_SUFFIXES


def title_cased(sent: Any) -> bool:
    """A headline in title case ("Over 50 Killed in Clashes With Army"), where a capital
    letter does not make a common word a name."""
    words = [t for t in sent if t.is_alpha and len(t.text) > 3]
    return len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


def place_like_name(span: Any) -> bool:
    """A name that says it is a place: "Camp Hurriya", "Lake Tharthar", "Hibhib Village"."""
    if len(span) < 2 or not is_latin(span.text):
        return False
    return span[0].text in PLACE_PREFIXES or span[-1].text.lower() in PLACE_SUFFIXES


LOCATIVE = frozenset(
    "in into inside within toward towards across throughout near around from at".split()
)
SITE_WORDS = frozenset(
    """
    airport airbase airfield base military air camp dam mountain mountains hills hill valley
    desert crossing field fields oilfield gasfield oil gas bridge mosque prison plain plains
    province governorate west east north south
    """.split()
)
"""Words that, next to a name, may make it the name of a site or an area."""
SEAT_WORDS = frozenset({"province", "governorate", "countryside"})
FUNCTION_POS = frozenset({"VERB", "AUX", "ADP", "DET", "PRON", "ADV", "CCONJ", "SCONJ", "PART"})


def free_pieces(start: int, end: int, taken: set[int]) -> list[tuple[int, int]]:
    """The maximal runs of untaken tokens in start..end."""
    pieces: list[tuple[int, int]] = []
    i = start
    while i < end:
        if i in taken:
            i += 1
            continue
        j = i
        while j < end and j not in taken:
            j += 1
        pieces.append((i, j))
        i = j
    return pieces


def widenings(doc: Any, s: int, e: int) -> list[tuple[int, int]]:
    """Longer spans around a name that may name a site: up to two site words after it
    ("Tabqa military airport"), or "X of (the)" before it ("eastern bank of the")."""
    out: list[tuple[int, int]] = []
    right = e
    while right < min(e + 2, len(doc)) and doc[right].lower_ in SITE_WORDS:
        right += 1
    out += [(s, r) for r in range(right, e, -1)]
    k = s - 1
    if k >= 1 and doc[k].lower_ == "the":
        k -= 1
    if k >= 1 and doc[k].lower_ == "of":
        for left in range(max(0, k - 3), k):
            if doc[left].lower_ in ("the", "a", "an"):
                continue  # the span starts after the determiner
            if not any(t.is_punct or t.is_sent_start for t in doc[left + 1 : s]):
                out.append((left, e))
    return out


def governorate_context(doc: Any, s: int, e: int) -> bool:
    """'Raqqa province', 'Hasakah countryside', 'the countryside of Deir ez-Zor'."""
    if e < len(doc) and doc[e].lower_ in SEAT_WORDS:
        return True
    return s >= 2 and doc[s - 1].lower_ == "of" and doc[s - 2].lower_ in SEAT_WORDS


def plain_case_word(tok: Any) -> bool:
    text = tok.text
    return (
        tok.is_alpha and len(text) >= 4 and (text.islower() or text.isupper()) and (not tok.is_stop)
    )


def well_known(place: Place) -> bool:
    if place.country not in THEATRE_COUNTRIES:
        return False
    if place.feature in ("country", "governorate") or place.id.startswith("fl:"):
        return True
    return place.population >= 10_000


RELATION_NOUNS = frozenset(
    """
    relation relations tie ties talks talk tension tensions dispute disputes agreement deal
    rift rapprochement negotiations cooperation coordination rivalry
    """.split()
)


def served(tok: Any) -> bool:
    """Whose forces they are: X of "forces loyal (allied) to X"."""
    head = tok.head
    return bool(
        tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ in ("loyal", "allied")
    )


def blamed_on(tok: Any) -> bool:
    """The one held to blame: X of "the raid London blames on X"."""
    head = tok.head
    return bool(tok.dep_ == "pobj" and head.lower_ == "on" and head.head.lemma_.lower() == "blame")


def served_or_blamed(tok: Any) -> bool:
    """The one forces serve or blame falls on: "forces loyal to X", "blamed it on X",
    "accused X of", "X was accused of"."""
    if served(tok) or blamed_on(tok):
        return True
    return bool(
        tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in ("accuse", "blame")
    )


def person_name(tok: Any, name: str) -> str:
    """The whole personal name a token ends, as spaCy found it ("Bassel al-Assad"), else
    ``name``."""
    if tok.ent_type_ == "PERSON":
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            return strip_det(ent.text)
    return name


def agent_role(tok: Any) -> bool:
    """The doer of a passive ("backed by Iran") or the one addressed by a statement
    ("warned Damascus", "urged Ankara")."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent":
        return True
    if tok.dep_ == "pobj" and head.lower_ == "between" and head.head.lemma_ in RELATION_NOUNS:
        return True  # "relations between Baghdad and Ankara"
    if served(tok) or blamed_on(tok):
        return True  # "forces loyal to Assad", "the raid London blames on Damascus"
    if any(
        c.dep_ == "relcl"
        and c.lemma_.lower() not in STATIVE_VERBS
        and any(g.dep_ == "nsubj" and g.lower_ in ("which", "who") for g in c.children)
        for c in tok.children
    ):
        return True  # "Turkey, which has criticised ..."
    return tok.dep_ == "dobj" and head.lemma_.lower() in SAY_VERBS


def inside_longer_person(span: Any, glued: set[int]) -> bool:
    """The span is part of a longer PERSON entity ("Abu" of "Abu Musab al-Zarqawi") that
    does not say it is a place ("Samarra Barrage" tagged PERSON). A possessive that lost
    its apostrophe (token indices ``glued``: "Syrias Aleppo") makes no longer name."""
    if all(i in glued for i in range(span.start, span.end)):
        return False
    for ent in span.doc.ents:
        if ent.start <= span.start and span.end <= ent.end:
            start = ent.start
            while start < span.start and (span.doc[start].lower_ in GLUE or start in glued):
                start += 1  # "Al Anbar": the article makes no longer name
            longer = (start, ent.end) != (span.start, span.end)
            return ent.label_ == "PERSON" and longer and not place_like_name(ent)
    return False


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


def trim_end(mention: Mention, chars: int) -> Mention:
    """The mention without its last ``chars`` characters (a glued possessive "s")."""
    return replace(mention, end=mention.end - chars, text=mention.text[:-chars])


def government_title(doc: Any, i: int) -> bool:
    """Token ``i`` starts a government title ("defence ministry", "president", "army"):
    the name before it is the state as an actor, not where something happened."""
    if i < len(doc) and doc[i].lower_ in TITLE_MODIFIERS:
        i += 1
    return i < len(doc) and doc[i].lower_ in GOVERNMENT_TITLES


GOVERNMENT_TITLES = frozenset("ministry minister president government army military".split())
TITLE_MODIFIERS = frozenset("defence defense foreign interior".split())


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


NOMINAL_PLACES = frozenset(
    """
    city town village hamlet capital hospital clinic school restaurant cafe hotel market
    marketplace mosque church shrine camp safehouse neighbourhood neighborhood suburb
    region island station dam reservoir mountain mountains
    """.split()
)
"""Common nouns that name one place when a noun phrase is headed by them ("the city",
"a hospital", "the ancient city"). Not toponyms: a definite one refers back to the place
it names (its ref, see ``Linker.antecedent``); the others carry no ref."""


NOUN_FEATURES = {
    "city": frozenset({"populated_place"}),
    "town": frozenset({"populated_place", "village"}),
    "village": frozenset({"populated_place", "village"}),
    "capital": frozenset({"populated_place"}),
    "region": frozenset({"region", "governorate"}),
    "camp": frozenset({"camp"}),
    "dam": frozenset({"dam"}),
}
"""Definite place nouns that refer back to a named place, and the features it can have."""
ANTECEDENT_WINDOW = 1500


def place_names(place: Place) -> tuple[str, ...]:
    return (place.name, *place.alt_names)


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
