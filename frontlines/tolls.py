"""Death tolls read from one sentence: counts of the dead, not of the wounded, nor dates,
years, distances or page-widget counters; a part not added to its whole; single victims
named with "a" ("a man and a girl were killed")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from frontlines.link import number_value
from frontlines.metadata import MONTHS

if TYPE_CHECKING:
    from frontlines.lexicon import Lexicon

KILLED = re.compile(r"\b(kill|killed|killing|kills|dead|died|die|dies|deaths?|lives|slain|"
                    r"toll|massacred|executed|beheaded|perished|martyrs?|martyred)\b",
                    re.I)  # fmt: skip
"""A word that tells a death: a killing verb, the dead, a toll."""
NUMBER_DEPS = frozenset(
    "nummod nsubj nsubjpass dobj pobj appos conj attr quantmod compound".split()
)
_NUM = r"(?P<n>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_COUNT_KILLED = re.compile(
    rf"\b(?:kills?|killing|killed|claims?|claimed)\s+(?:at least |more than |over |nearly |"
    rf"some |about |around )?{_NUM}\b(?! (?:km|kilomet|miles|percent|per cent|%|years?|days?))",
    re.I,
)
_KILLED_COUNT = re.compile(
    rf"\b{_NUM}\s+(?:[A-Za-z-]+\s+){{0,5}}?(?:were |have been |had been |are |reportedly )?"
    rf"(?:killed|dead|died)\b",
    re.I,
)
_HURT_AFTER = re.compile(r"\s+(?:others?\s+|people\s+)?(?:injured|wounded|hurt)\b", re.I)
"""After a count: the count is of the wounded ("3 killed over 27 injured")."""
WIDGET_WORDS = frozenset({"url", "views", "view", "shares", "share", "tweet", "tweets",
                          "comments", "comment", "likes", "reads", "print"})  # fmt: skip
"""Page widgets whose counters run into scraped copy ("Get short URL 0 418", "Print Tweet
Views 2210"): the share and view counters of news sites, which scrapers keep as text."""
_WIDGET_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(WIDGET_WORDS))})\s+(?:\d+\s+)*$", re.I)
"""Before a count: a widget and its counters ("Get short URL 0 418 ")."""
REPEAT_TOKENS = 12
NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"})
PART_WORDS = frozenset({"including", "among", "includes", "include"})
WOUNDED = frozenset({"wounded", "injured", "injuring", "wounding", "injury", "injuries", "wounds"})
_VAGUE = re.compile(r"\b(dozens|scores|hundreds|several|many|numerous|a number) of\b", re.I)
HURT = frozenset({"wounded", "injured", "hurt"})
MODIFIERS = frozenset({"at", "least", "more", "than", "over", "nearly", "about", "some", "around",
                       "almost", "up", "to", "another", "further", "a", "total", "of"})  # fmt: skip


def fatality_count(lex: Lexicon, sent: Any) -> tuple[int | None, str | None]:
    """Killed counts stated in the sentence ('killing 7 policemen and 3 civilians')."""
    text = sent.text
    if not KILLED.search(text) and not _COUNT_KILLED.search(text):  # "Claims 11 Children"
        return None, None
    totals = [0, 0]  # counts outside and inside an "including ..." / "among ..." part
    seen: list[tuple[int, int, str]] = []  # (value, token index, victim noun)
    for tok in sent:
        if tok.like_num and tok.dep_ in NUMBER_DEPS and (
            tok.ent_type_ not in NOT_COUNTS or counted_victims(tok, lex)
        ):  # fmt: skip
            value = number_value(tok.text)
            head = tok.head
            if value is None or value > 100_000 or head.lower_ in ("km", "kilometres", "miles"):
                continue
            if is_year(tok, value) or bare_year(tok, value, lex) or date_part(tok):
                continue  # "July 20 2016 Dozens killed", "Tue Mar 22 2016 4 killed"
            if told_as_wounded(tok) or widget_count(tok):  # "5 killed 23 others injured"
                continue
            noun = head if head.pos_ in ("NOUN", "PROPN") else tok
            victim = any(n.lemma_.lower() in lex.victims or n.lower_ in lex.victims for n in
                         (noun, *(c for c in noun.children if c.dep_ == "conj")))  # fmt: skip
            if (victim or (noun is tok and killed_near(tok) and killing_word_by(tok))) and (
                killed_near(noun) and not wounded_near(noun)
            ):
                what = noun.lemma_.lower().rstrip("s") if noun is not tok else ""
                if not any(repeated(value, tok.i, what, s) or told_twice(tok, value, s, sent)
                           for s in seen):  # fmt: skip
                    totals[max(part_of_total(tok), part_after(tok))] += value
                seen.append((value, tok.i, what))
    if seen:
        # "126 people including 60 children", "ten children were among 48 people killed":
        # the part is not added to the whole; "bringing to 27 the number killed" is the sum
        running = [v for v, i, _ in seen if raised_to(sent.doc[i])]
        return (max(running) if running else max(totals)), None
    stated = next((m for m in (*_COUNT_KILLED.finditer(text), *_KILLED_COUNT.finditer(text))
                   if not _YEAR.fullmatch(m.group("n"))
                   and not _HURT_AFTER.match(text, m.end("n"))
                   and not _WIDGET_BEFORE.search(text, 0, m.start("n"))), None)  # fmt: skip
    value = number_value(stated.group("n")) if stated else None
    singles = sum(1 for tok in sent if one_victim(tok))  # "a man and a girl were killed"
    if singles and any(uncounted_many(tok) for tok in sent):
        singles = 0  # "a woman and her children": how many is untold
    if value is not None and value <= 100_000:  # a headline the parser could not follow
        return max(value, singles), None  # "one father and his daughter died": two
    if singles:
        return singles, None
    vague = _VAGUE.search(text)
    if vague:
        return None, f"fatalities given only as '{vague.group(0).strip()}'"
    return None, None


def widget_count(tok: Any) -> bool:
    """A number that counts a page widget's clicks, not the dead: right after "URL",
    "Views" or "Tweet", or after another such number ("Get short URL 0 418")."""
    if not tok.text.replace(",", "").isdigit():
        return False  # "URL 3 Two soldiers were killed": a number word opens the copy
    node = tok.i - 1
    while node >= 0 and tok.doc[node].text.isdigit():
        node -= 1
    return node >= 0 and tok.doc[node].lower_ in WIDGET_WORDS


def is_year(tok: Any, value: int) -> bool:
    """A year in a date that lost its comma ("July 20 2016", "20 July 2016")."""
    if not 1900 <= value <= 2100 or tok.i == 0:
        return False
    before = tok.nbor(-1)
    return before.lower_[:3] in MONTHS or (before.like_num and tok.i > 1 and (
        tok.nbor(-2).lower_[:3] in MONTHS))  # fmt: skip


_YEAR = re.compile(r"(?:19|20)\d\d")


def bare_year(tok: Any, value: int, lex: Lexicon) -> bool:
    """A year left from a dateline ("23-09-2016 Seven Civilians Killed", "May 2016 Scores
    of fighters"): four digits that no victim noun follows."""
    if not (_YEAR.fullmatch(tok.text) and 1990 <= value <= 2030):
        return False
    after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return after is None or not (after.lower_ in lex.victims or after.lemma_.lower() in lex.victims)


RAISING = frozenset({"bring", "raise", "rise", "climb", "reach", "increase", "push"})


def raised_to(tok: Any) -> bool:
    """'bringing to 27 the number killed', 'raising the toll to 27': a total that holds the
    counts told before it."""
    return bool(tok.head.lower_ == "to" and tok.head.head.lemma_.lower() in RAISING)


def date_part(tok: Any) -> bool:
    """A day or month of a dateline: after a month name ("Oct 19"), or written with dashes,
    slashes or dots ("14-05-2016")."""
    before = tok.nbor(-1) if tok.i > tok.sent.start else None
    after = tok.nbor(1) if tok.i + 1 < tok.sent.end else None
    if before is not None and before.lower_[:3] in MONTHS and before.is_alpha and (
        tok.text.isdigit() and int(tok.text) <= 31
    ):  # fmt: skip
        return True
    if re.fullmatch(r"\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?", tok.text):
        return True
    if not tok.is_digit:
        return False  # "Thirty-five" is a count
    beyond = (tok.i - 2, tok.i + 2)
    return any(
        n is not None and n.text in ("-", "/", ".") and 0 <= far < len(tok.doc)
        and tok.doc[far].is_digit and tok.doc[min(n.i, far)].whitespace_ == ""
        for n, far in zip((before, after), beyond, strict=True)
    )  # fmt: skip


def counted_victims(tok: Any, lex: Lexicon) -> bool:
    """A number word the tagger folded into a date ("23-09-2016 Seven Civilians Killed") is
    still a count when the victims it counts follow it."""
    after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if not (tok.is_alpha and after is not None and after.i == tok.head.i):
        return False
    return after.lower_ in lex.victims or after.lemma_.lower() in lex.victims


def killing_word_by(tok: Any, reach: int = 6) -> bool:
    """A bare number is a count of the dead only near a killing word ("at least 45 were
    killed"), not a time or a view count in a byline further off."""
    window = tok.doc[max(tok.sent.start, tok.i - reach) : min(tok.sent.end, tok.i + reach + 1)]
    return any(KILLED.fullmatch(t.text) for t in window)


def told_as_wounded(tok: Any) -> bool:
    """A count the words around it tell as wounded: "23 others injured", "and 20 wounded",
    "wounding over 30 people" (a participle that takes its own count, as in "kill 27
    Injured 64", belongs to that count)."""
    sent = tok.sent
    node, skipped = tok.i + 1, 0
    while node < sent.end and skipped <= 2:
        word = tok.doc[node]
        if word.lower_ in HURT:
            after = tok.doc[node + 1] if node + 1 < sent.end else None
            return not (after is not None and after.like_num)
        if word.pos_ not in ("NOUN", "PROPN", "ADJ") and word.lower_ not in ("others", "other"):
            break
        node, skipped = node + 1, skipped + 1
    node = tok.i - 1
    while node >= sent.start and tok.doc[node].lower_ in MODIFIERS:
        node -= 1
    return node >= sent.start and tok.doc[node].lower_ in WOUNDED


def part_after(tok: Any) -> int:
    """1 when a count follows 'among them', 'of whom' or 'including' within a few words
    ("six died in the raid on Friday among them two women")."""
    window = list(tok.doc[max(tok.sent.start, tok.i - 4) : tok.i])
    for i, word in enumerate(window):
        if word.lower_ in ("them", "whom") and i and window[i - 1].lower_ in ("among", "of"):
            return 1
        if word.lower_ in ("including", "includes", "among") and all(
            w.lower_ in MODIFIERS or w.like_num for w in window[i + 1 :]
        ):  # fmt: skip
            return 1
    return 0


def told_twice(tok: Any, value: int, earlier: tuple[int, int, str], sent: Any) -> bool:
    """A headline run into the lead that repeats its count with other words ("Jets
    kill 19 jihadists ... Some 19 Islamic State fighters died"): the same
    number again, unless the two are listed side by side ("7 soldiers and 7 civilians")."""
    old_value, old_index, _ = earlier
    if value != old_value or tok.i - old_index <= REPEAT_TOKENS // 2:
        return False
    between = tok.doc[old_index + 1 : tok.i]
    return not any(t.lower_ in ("and", "or") for t in between[-3:])


def repeated(value: int, index: int, what: str, earlier: tuple[int, int, str]) -> bool:
    """The same count told twice, as when a headline runs into the lead that repeats it
    ("Air raids kill 18 civilians ... killed 18 civilians"): same number, and the same
    victims, or one of them unnamed, or far apart."""
    old_value, old_index, old_what = earlier
    if value != old_value:
        return False
    return what == old_what or not what or not old_what or index - old_index > REPEAT_TOKENS


def part_of_total(tok: Any) -> int:
    """1 when a count sits under 'including', 'among' or 'of them' (a part of a total)."""
    if any(c.lower_ == "of" and any(g.lower_ in ("them", "whom") for g in c.children)
           for c in tok.children):  # fmt: skip
        return 1
    node = tok
    for _ in range(4):
        if node.lower_ in PART_WORDS:
            return 1
        if node.head.i == node.i or KILLED.fullmatch(node.head.text):
            return 0
        node = node.head
    return 0


SINGLE_VICTIMS = frozenset(
    """child woman man girl boy civilian soldier person fighter policeman officer commander
    journalist activist worker doctor nurse medic teenager baby infant mother father son
    daughter brother sister wife husband""".split()
)
ONE = frozenset({"a", "an", "one", "her", "his", "their"})
"""Words that make a single victim of a noun: 'a woman', 'one father and his daughter'."""


def one_victim(tok: Any) -> bool:
    """'a farmer was killed', 'killing a boy', 'a girl child and a man were killed', 'one
    father and his daughter died': one person named with 'a', 'one' or a possessive, or bare
    but listed with such a one ('a woman and child'), who is the killing's own subject or
    object (or listed with it)."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() not in SINGLE_VICTIMS:
        return False
    if tok.tag_ in ("NNS", "NNPS"):
        return False  # "their sons", "her daughters": more than one, how many untold
    named = [c.lower_ for c in tok.children if c.dep_ in ("det", "poss", "nummod")]
    if not any(word in ONE for word in named) and (
        named or tok.dep_ != "conj" or not one_victim(tok.head)
    ):  # fmt: skip
        return False
    node = tok.head if tok.dep_ in ("conj", "compound") else tok
    if node.dep_ == "conj" and node.head.dep_ in ("nsubjpass", "nsubj", "dobj"):
        node = node.head
    return node.dep_ in ("nsubjpass", "nsubj", "dobj") and bool(
        KILLED.fullmatch(node.head.text)
    ) and not wounded_near(node)  # fmt: skip


def uncounted_many(tok: Any) -> bool:
    """Victims listed with a single one but not counted: "her children", "his sons"."""
    if tok.tag_ not in ("NNS", "NNPS") or tok.lemma_.lower() not in SINGLE_VICTIMS:
        return False
    listed = tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children)
    return listed and not any(c.dep_ == "nummod" for c in tok.children)


def killed_near(tok: Any) -> bool:
    """A killing verb or noun in the token's clause."""
    node = tok
    for _ in range(4):
        if KILLED.fullmatch(node.text) or KILLED.fullmatch(node.lemma_ or ""):
            return True
        for child in node.children:
            if KILLED.fullmatch(child.text):
                return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def wounded_near(tok: Any) -> bool:
    if any(t.lower_ in ("wounded", "injured", "injuring", "wounding") for t in tok.head.children
           if t.i < tok.i) and not killed_near(tok.head):  # fmt: skip
        return True
    node = tok  # "the wounding of 17 more", "17 people were hurt"
    for _ in range(3):
        if node.head.i == node.i or KILLED.fullmatch(node.head.text):
            return False
        node = node.head
        if node.lower_ in WOUNDED:
            return True
    return False
