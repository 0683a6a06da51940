"""segment: a raw input becomes a Document with body / comment / boilerplate segments.

Text is labelled line by line. Each non-blank line gets features of its own (comment
widget labels, clutter words, length, first and second person, a name addressed at the
start, questions and exclamations, profanity and slogans, emoticons, pasted links,
hearsay, reporting verbs, datelines, author and timestamp lines ...), the same features
of the lines before and after it, and its place in the page (position, whether a
comment-thread header came before, how much news-like text follows). A linear-chain CRF
learned from the dev gold (``frontlines train segments``) scores the labels and Viterbi
picks the best sequence, so that once comments start the article rarely resumes.
Comment boundaries and authors are then read off the labelled lines.

HTML pages are flattened to one line per visible block (``metadata.flatten_html``, with
an offset map back to the markup) and labelled the same way; comment markup, where the
page has it, overrules the model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from frontlines import metadata
from frontlines.errors import DataFileError
from frontlines.models import Document, Precision, Segment, SegmentKind, content_id
from frontlines.paths import data_file
from frontlines.read import RawInput

LABELS: tuple[str, ...] = ("B", "C", "X")
KIND_OF: dict[str, SegmentKind] = {"B": "body", "C": "comment", "X": "boilerplate"}

# Comment-widget labels: headers, sorting, voting and reply buttons, login prompts.
_WIDGET = re.compile(
    r"(^\s*(notify of|subscribe|log ?in|sign up|newest|oldest|most voted|community|"
    r"inline feedbacks?|view all comments|reply\b|load more comments|leave a (reply|comment)|"
    r"your email address|comments?\s*(\(\d+\))?\s*$|join the discussion|recommend\b|"
    r"show more replies|sort by|post comment|cancel reply|you must be logged in|"
    r"comments are closed|powered by disqus|\d+\s+(comments?|responses?|replies|"
    r"thoughts on)\b)|[△▽›]|\blike\s*\(\d+\)|\bshare\s*›|•\s*\d+\s+comments?\s*$)",
    re.I,
)
_THREAD_HEAD = re.compile(
    r"^\s*(\d+\s+(comments?|responses?|thoughts on|replies)\b|comments?\s*(\(\d+\))?\s*$|"
    r"join the discussion|leave a (reply|comment)|notify of|reader comments|"
    r"what (do )?(you|readers) (think|say))",
    re.I,
)
# A label that opens a line of page furniture: "Read more:", "Image caption:", "Map:" ...
_LABEL_PREFIX = re.compile(
    r"^\s*(read (more|also)|related( articles| stories| posts)?|see also|image caption|"
    r"caption|photo|picture|map|figure \d+|chart|watch|live|video|tags?|topics?|"
    r"advertisement|sponsored|special coverage|editor'?s picks?|most (read|popular)|"
    r"more (from|on)|also on|trending|latest|you may also like|recommended|"
    r"previous|next post|←)\b\s*[:\-–—]?",
    re.I,
)
_RIGHTS = re.compile(
    r"(©|\bcopyright\b|all rights reserved|reproduc|republi|reprint|\blicen[cs]ed\b|"
    r"terms of (use|service)|privacy|cookies?\b|views expressed|are (the|those of the) "
    r"authors?'? own|hyperlink|certificate of registration|\b1[268]\+\s*$|wordpress|"
    r"may not be reproduced|\bcontact us\b)",
    re.I,
)
_NAV = re.compile(
    r"(^\s*(home|search\.*|menu|register|sign in|log ?in|subscribe|advertise|about us|"
    r"contact)\b|newsletter|\bin your inbox\b|\balerts?\b|^\s*[A-Z ]{2,20}( / [A-Z ]{2,20})+"
    r"\s*$)",
    re.I,
)
_DONATE = re.compile(
    r"(donat|[$€£]\s?\d|\bsupport (us|our|independent|\w+ journalism)|^\s*support [A-Z]|"
    r"become a (member|patron|subscriber)|patreon|paypal|one-?off|monthly gift)",
    re.I,
)
_SHARE = re.compile(r"\b(share|tweet|facebook|twitter|whatsapp|telegram|email|print|pin)\b", re.I)
_CAPTION = re.compile(
    r"(click to enlarge|\((file|archive) (photo|image)\)|\(\d{1,2}:\d\d\)|footage|"
    r"\bphoto(graph)?\b|\bimage\b|satellite images?)",
    re.I,
)
_CREDIT = re.compile(
    r"\b(translated from|compiled by|reporting by|editing by|writing by|additional reporting|"
    r"with agencies|correspondent|staff|bureau|editorial team)\b",
    re.I,
)
_BYLINE = re.compile(r"^\s*(by|posted by|written by)\s+[A-Z]", re.I)
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .,'’/\-]{2,40}(\([^)]{2,60}\))?\s*[-–—:]|"
    r"[A-Z][\w .'’\-]{2,30},\s*[A-Z]{2,10}\s*[-–—]|"
    r"(mon|tue|wed|thu|fri|sat|sun)\w*,? \d{1,2} \w{3,9},? \d{4}|"
    r"\w+, \w+ \d{1,2} \([^)]{2,60}\)\s*[-–—])",
    re.I,
)
_MONTH = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?)"
)
_DATE = re.compile(
    rf"(\b\d{{1,2}} {_MONTH}\.?,? \d{{4}}|\b{_MONTH}\.? \d{{1,2}},? \d{{4}}|"
    r"\b\d{1,2}[./]\d{1,2}[./]\d{4}|\b\d{4}-\d\d-\d\d)",
    re.I,
)
_CLOCK = re.compile(r"\b\d{1,2}:\d\d\s*(am|pm)?\b", re.I)
_AGO = re.compile(r"\b\d+\s+(years?|months?|weeks?|days?|hours?|minutes?|mins?|hrs?)\s+ago\b", re.I)
_AUTHOR = re.compile(
    r"(\b(says|said|wrote|writes):\s*$|•\s*\d+\s+\w+\s+ago|\d+\s+(years?|months?|days?|"
    r"hours?|minutes?)\s+ago\s*$|^\s*(posted|written) by\b|^\s*\S+( \S+){0,2} on "
    rf"{_MONTH}\b.*\d{{4}}|^[^|]{{1,40}}\|\s*[\d./-]{{8,10}}( \d{{1,2}}:\d\d)?\s*$)",
    re.I,
)
_REPORTING = re.compile(
    r"\b(said|says|told|according to|reported|reports|announced|added|stated|claimed|"
    r"confirmed|denied|quoted|cited|citing|spokes(man|woman|person)|officials?|"
    r"statement|agency|ministry|monitor(ing)?)\b",
    re.I,
)
_WEEKDAY = re.compile(r"\bon (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_FIRST = re.compile(r"\b(i|i'm|im|i've|i'd|i'll|my|me|mine|imo|imho|myself)\b", re.I)
_WE = re.compile(r"\b(we|our|us|ours)\b", re.I)
_SECOND = re.compile(r"\b(you|your|you're|u|ur|yourself|ya)\b", re.I)
_ADDRESS = re.compile(r"^\s*(@\S+|[A-Z][\w'’.-]{1,20}( [A-Z][\w'’.-]{1,20})?\s*[,:])\s+\S")
_PROFANE = re.compile(
    r"\b(damn|hell|shit|bullshit|crap|idiots?|stupid|morons?|fools?|scum|dogs?|pigs?|rats?|"
    r"traitors?|liars?|lies|lying|propaganda|fake|clowns?|cowards?|shame|disgrace|"
    r"pathetic|wtf|lmao|stfu|bastards?|puppets?|criminals?|joke|nonsense|garbage)\b",
    re.I,
)
_OPINION = re.compile(
    r"\b(think|believe|should|must|never|always|obviously|clearly|of course|hope|wish|"
    r"agree|disagree|lol|haha|guess|seems|honestly|anyone|nobody|everybody|everyone|"
    r"why|where is|who cares|finally|again|only words|remember)\b",
    re.I,
)
_SLOGAN = re.compile(
    r"\b(long live|death to|god (bless|help|protect)|allahu akbar|rip|rest in peace|"
    r"eternal memory|glory( to)?|mabrook|martyrs?|heroes|hero|pray|praying|thank(s| you)|"
    r"victory|namirin|bravo|congratulations|well done|inshallah|amen)\b",
    re.I,
)
_HEARSAY = re.compile(
    r"\b(my (friend|brother|sister|cousin|uncle|family|father|mother|son)|a friend|"
    r"heard( from| that)?|i (was|worked|live|lived)|people (there|here) say)\b",
    re.I,
)
_INFORMAL = re.compile(
    r"(\b(lol|lmao|omg|smh|pls|plz|btw|imo|imho|gonna|wanna|ya|yeah|nope|ok)\b|\.\.\.|!!|\?\?|"
    r"\b\w+n't\b|\b(its|dont|cant|wont|isnt|im)\b)",
    re.I,
)
_PARTICLE = re.compile(r"^(al|el|ad|as|ash|at|az)-\w|^(bin|ibn|bint|abu|umm|de|van|von|da)$")
_EMOTICON = re.compile(r"(:\)|:\(|;\)|:D|:P|xD|<3|\^\^|[\U0001F300-\U0001FAFF])")
_URL = re.compile(r"(https?://|www\.)\S+", re.I)

OWN: tuple[str, ...] = (
    "chars", "words", "short", "tiny", "long", "widget", "thread_head", "label_prefix",
    "rights", "nav", "donate", "share", "caption", "credit", "byline", "menu", "period",
    "no_end", "quote", "reporting", "weekday", "dateline", "date", "date_only", "clock",
    "ago", "author", "name_only", "first", "we", "second", "address", "question", "exclaim",
    "profane", "opinion", "slogan", "hearsay", "informal", "emoticon", "url", "caps",
    "shout", "lower_start", "digits", "propn", "title_like", "parens", "comment", "news",
    "blank_before",
)  # fmt: skip
DOC: tuple[str, ...] = (
    "bias", "position", "first_unit", "early", "last_unit", "repeated", "after_thread_head",
    "news_later", "comments_before", "comment_window", "clutter_window",
)  # fmt: skip
FEATURES: tuple[str, ...] = (
    DOC + OWN + tuple(f"prev:{f}" for f in OWN) + tuple(f"next:{f}" for f in OWN)
)


def units(lines: Sequence[str]) -> list[int]:
    """Indices of the non-blank lines, the units that the model labels."""
    return [i for i, line in enumerate(lines) if line.strip()]


def line_features(lines: Sequence[str]) -> list[list[float]]:
    """One feature vector (in the order of ``FEATURES``) per non-blank line."""
    index = units(lines)
    n = len(index)
    own = []
    for k, i in enumerate(index):
        feats = own_features(lines[i])
        feats["blank_before"] = 1.0 if k == 0 or index[k - 1] != i - 1 else 0.0
        own.append(feats)
    zero = dict.fromkeys(OWN, 0.0)
    seen: set[str] = set()
    head_seen = 0.0
    comments_before = 0.0
    news_after = [0.0] * (n + 1)
    for k in range(n - 1, -1, -1):
        news_after[k] = news_after[k + 1] + own[k]["news"]
    out = []
    for k, i in enumerate(index):
        norm = " ".join(lines[i].lower().split())
        window = [own[j] for j in range(max(0, k - 3), min(n, k + 4)) if j != k]
        values = {
            "bias": 1.0,
            "position": k / max(n - 1, 1),
            "first_unit": 1.0 if k == 0 else 0.0,
            "early": 1.0 if k < 6 else 0.0,
            "last_unit": 1.0 if k == n - 1 else 0.0,
            "repeated": 1.0 if len(norm) > 15 and norm in seen else 0.0,
            "after_thread_head": head_seen,
            "news_later": min(news_after[k + 1], 3.0) / 3.0,
            "comments_before": min(comments_before, 3.0) / 3.0,
            "comment_window": sum(w["comment"] for w in window) / max(len(window), 1),
            "clutter_window": sum(clutter(w) for w in window) / max(len(window), 1),
        }
        prev = own[k - 1] if k > 0 else zero
        nxt = own[k + 1] if k + 1 < n else zero
        vec = [values[f] for f in DOC] + [own[k][f] for f in OWN]
        vec += [prev[f] for f in OWN] + [nxt[f] for f in OWN]
        out.append(vec)
        seen.add(norm)
        head_seen = max(head_seen, own[k]["thread_head"])
        comments_before += 1.0 if own[k]["comment"] >= 0.5 else 0.0
    return out


def clutter(feats: dict[str, float]) -> float:
    return min(
        1.0,
        feats["widget"] + feats["label_prefix"] + feats["rights"] + feats["nav"]
        + feats["donate"] + feats["caption"] + feats["menu"],
    )  # fmt: skip


def own_features(line: str) -> dict[str, float]:
    """Features of one line on its own (no context); a fresh dict the caller may change."""
    return dict(zip(_OWN_KEYS, _own_values(line.strip()), strict=True))


_OWN_KEYS: tuple[str, ...] = OWN[:-1]  # all but blank_before, which needs the line before


@lru_cache(maxsize=4096)  # a pure function of the text: caching never changes a result
def _own_values(text: str) -> tuple[float, ...]:
    feats = _compute_own(text)
    return tuple(feats[key] for key in _OWN_KEYS)


def _compute_own(text: str) -> dict[str, float]:
    words = text.split()
    nw = len(words)
    letters = [c for c in text if c.isalpha()]
    caps = sum(1 for c in letters if c.isupper()) / len(letters) if letters else 0.0
    pipes = text.count("|") + text.count("·") + text.count(" / ")
    titled = sum(1 for w in words if w[:1].isupper())
    menu = pipes >= 2 or (nw >= 3 and titled == nw and not text.endswith((".", "!", "?")))
    date = _DATE.search(text)
    no_end = not text.endswith((".", "!", "?", '"', "”", ")", ":"))
    name_only = (
        0 < nw <= 3
        and len(text) <= 30
        and (nw == 1 or all(w[:1].isupper() or w[:1] == "@" or _PARTICLE.match(w) for w in words))
        and not re.search(r"[,:;!?()\"“”|]|\.(?<![A-Z]\.)", text)
        and not any(c.isdigit() for c in text)
        and not _WIDGET.search(text)
        and not _RIGHTS.search(text)
    )
    inner = words[1:]
    propn = sum(1 for w in inner if w[:1].isupper()) / len(inner) if inner else 0.0
    feats = {
        "chars": min(len(text) / 200.0, 2.0),
        "words": min(nw / 40.0, 2.0),
        "short": 1.0 if nw <= 4 else 0.0,
        "tiny": 1.0 if nw <= 2 else 0.0,
        "long": 1.0 if nw >= 40 else 0.0,
        "widget": 1.0 if _WIDGET.search(text) and nw <= 10 else 0.0,
        "thread_head": 1.0 if _THREAD_HEAD.search(text) and nw <= 10 else 0.0,
        "label_prefix": 1.0 if _LABEL_PREFIX.match(text) else 0.0,
        "rights": min(len(_RIGHTS.findall(text)), 2) / 2.0,
        "nav": 1.0 if _NAV.search(text) else 0.0,
        "donate": 1.0 if _DONATE.search(text) else 0.0,
        "share": min(len(_SHARE.findall(text)), 3) / 3.0 if nw <= 12 else 0.0,
        "caption": 1.0 if _CAPTION.search(text) else 0.0,
        "credit": 1.0 if _CREDIT.search(text) else 0.0,
        "byline": 1.0 if _BYLINE.match(text) else 0.0,
        "menu": 1.0 if menu else 0.0,
        "period": 1.0 if text.endswith((".", '."', ".”")) else 0.0,
        "no_end": 1.0 if no_end else 0.0,
        "quote": 1.0 if re.search(r"[\"“”]", text) else 0.0,
        "reporting": min(len(_REPORTING.findall(text)), 2) / 2.0,
        "weekday": 1.0 if _WEEKDAY.search(text) else 0.0,
        "dateline": 1.0 if _DATELINE.match(text) else 0.0,
        "date": 1.0 if date else 0.0,
        "date_only": 1.0 if date and nw <= 8 else 0.0,
        "clock": 1.0 if _CLOCK.search(text) else 0.0,
        "ago": 1.0 if _AGO.search(text) else 0.0,
        "author": 1.0 if _AUTHOR.search(text) else 0.0,
        "name_only": 1.0 if name_only else 0.0,
        "first": min(len(_FIRST.findall(text)), 3) / 3.0,
        "we": min(len(_WE.findall(text)), 2) / 2.0,
        "second": min(len(_SECOND.findall(text)), 3) / 3.0,
        "address": 1.0 if _ADDRESS.match(text) else 0.0,
        "question": min(text.count("?"), 3) / 3.0,
        "exclaim": min(text.count("!"), 3) / 3.0,
        "profane": min(len(_PROFANE.findall(text)), 2) / 2.0,
        "opinion": min(len(_OPINION.findall(text)), 2) / 2.0,
        "slogan": min(len(_SLOGAN.findall(text)), 2) / 2.0,
        "hearsay": 1.0 if _HEARSAY.search(text) else 0.0,
        "informal": min(len(_INFORMAL.findall(text)), 2) / 2.0,
        "emoticon": 1.0 if _EMOTICON.search(text) else 0.0,
        "url": 1.0 if _URL.search(text) else 0.0,
        "caps": caps if len(letters) > 8 else 0.0,
        "shout": 1.0 if len(letters) > 8 and caps > 0.8 else 0.0,
        "lower_start": 1.0 if text[:1].islower() else 0.0,
        "digits": min(sum(c.isdigit() for c in text) / 10.0, 1.0),
        "propn": propn if nw >= 6 else 0.0,
        "title_like": 1.0 if 5 <= nw <= 25 and no_end and not menu else 0.0,
        "parens": 1.0 if text.startswith("(") and text.endswith(")") else 0.0,
    }
    feats["comment"] = min(
        1.0,
        (feats["first"] + feats["second"] + feats["address"] + feats["question"]
         + feats["exclaim"] + feats["profane"] + feats["opinion"] + feats["emoticon"]
         + feats["slogan"] + feats["informal"] + feats["shout"]) / 2,
    )  # fmt: skip
    feats["news"] = (
        1.0
        if feats["reporting"] > 0 and nw >= 15 and not feats["first"] and not feats["second"]
        else 0.0
    )
    return feats


@dataclass(frozen=True)
class LineModel:
    """A linear-chain CRF over the non-blank lines: weights per label over the line
    features and label-to-label transition scores, learned together from the gold
    (``frontlines train segments``); the start and end scores are kept in the model
    file but trained ones are zero (see ``train.fit_crf``)."""

    weights: dict[str, list[float]]
    transitions: dict[str, dict[str, float]]
    start: dict[str, float]
    end: dict[str, float]

    @classmethod
    def load(cls, path: str | Path | None = None) -> LineModel:
        file = Path(path) if path else default_model_path()
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DataFileError(str(file), f"cannot load segment model: {exc}") from exc
        if raw.get("features") != list(FEATURES) or "end" not in raw:
            raise DataFileError(
                str(file), "segment model was trained on other features: run "
                "`frontlines train segments gold/segments` to retrain it"
            )  # fmt: skip
        return cls(raw["weights"], raw["transitions"], raw["start"], raw["end"])

    def scores(self, features: Sequence[Sequence[float]]) -> list[dict[str, float]]:
        """Emission score of each label for each unit."""
        if not features:
            return []
        matrix = np.array([self.weights[label] for label in LABELS]).T
        values = np.asarray(features, dtype=float) @ matrix
        return [dict(zip(LABELS, map(float, row), strict=True)) for row in values]

    def viterbi(self, emissions: Sequence[dict[str, float]]) -> list[str]:
        """The best label sequence that has at least one body line (a page is about an
        article): Viterbi over (label, body seen yet) states."""
        State = tuple[str, bool]
        best: dict[State, float] = {
            (lab, lab == "B"): self.start[lab] + emissions[0][lab] for lab in LABELS
        }
        back: list[dict[State, State]] = []
        for em in emissions[1:]:
            row: dict[State, float] = {}
            ptr: dict[State, State] = {}
            for (prev, seen), score in best.items():
                for lab in LABELS:
                    state = (lab, seen or lab == "B")
                    value = score + self.transitions[prev][lab] + em[lab]
                    if state not in row or value > row[state]:
                        row[state], ptr[state] = value, (prev, seen)
            best = row
            back.append(ptr)
        finals = {st: v + self.end[st[0]] for st, v in best.items() if st[1]}
        state = max(finals, key=lambda st: finals[st])
        path = [state[0]]
        for ptr in reversed(back):
            state = ptr[state]
            path.append(state[0])
        return path[::-1]

    def decode(self, lines: Sequence[str]) -> list[str]:
        """The best label of every line (Viterbi over the non-blank lines); a blank line
        takes the label of the line before it (of the line after it at the top)."""
        index = units(lines)
        if not index:
            return ["B"] * len(lines)
        path = attach_headers(lines, index, self.viterbi(self.scores(line_features(lines))))
        label_of = dict(zip(index, path, strict=True))
        out: list[str] = []
        current = path[0]
        for i in range(len(lines)):
            current = label_of.get(i, current)
            out.append(current)
        return out


def attach_headers(lines: Sequence[str], index: Sequence[int], path: list[str]) -> list[str]:
    """A name on its own line labelled clutter directly above a comment's text is that
    comment's header (the model, which sees no commenter names in page furniture,
    sometimes misses the first one of a thread): label it comment."""
    out = list(path)
    for k in range(len(index) - 1):
        here, below = index[k], index[k + 1]
        if (
            out[k] == "X" and out[k + 1] == "C" and below == here + 1
            and own_features(lines[here])["name_only"]
            and not own_features(lines[below])["name_only"]
        ):  # fmt: skip
            out[k] = "C"
    return out


def default_model_path() -> Path:
    return data_file("segment_model.json")


@cache
def default_model() -> LineModel:
    return LineModel.load()


def segment_lines(text: str, model: LineModel | None = None) -> tuple[Segment, ...]:
    """Body / comment / boilerplate segments of plain text, with character offsets.

    Consecutive lines with the same label form one segment, except that in a comment
    thread each comment is its own segment (see ``comment_starts``), with its author
    where the page shows one.
    """
    lines = text.split("\n")
    labels = (model or default_model()).decode(lines)
    return build_segments(lines, labels, dict(comment_starts(lines, labels)))


def segment_page(page: metadata.FlatPage, model: LineModel | None = None) -> tuple[Segment, ...]:
    """Segments of a flattened HTML page: the line model labels every line, then comment
    markup, where the page has it, overrules it — a line inside a comment element is
    never article body, a comment's text element is comment, and each comment element
    opens one comment whose author is the markup's."""
    labels, starts = page_labels(page, model)
    return build_segments(page.lines, labels, starts)


def page_labels(
    page: metadata.FlatPage, model: LineModel | None = None
) -> tuple[list[str], dict[int, str | None]]:
    """The label of each line of a flattened page and the lines that open a comment."""
    lines = list(page.lines)
    labels = (model or default_model()).decode(lines)
    for i, comment in enumerate(page.comment):
        if page.in_comment_text[i] or (comment is not None and labels[i] == "B"):
            labels[i] = "C"
    starts = {
        i: author
        for i, author in comment_starts(lines, labels)
        if page.comment[i] is None
    }  # fmt: skip
    seen: set[int] = set()
    for i, comment in enumerate(page.comment):
        if comment is not None and comment not in seen and labels[i] == "C":
            seen.add(comment)
            starts[i] = page.authors.get(comment)
    return labels, starts


def build_segments(
    lines: Sequence[str], labels: Sequence[str], starts: dict[int, str | None]
) -> tuple[Segment, ...]:
    """Segments over text made of ``lines`` joined by newlines: runs of one label, and a
    new comment segment at each of ``starts`` (line index -> author)."""
    segments: list[Segment] = []
    offset = 0
    current: list[int] | None = None  # [start, end]
    current_label = ""
    author: str | None = None
    for i, (line, label) in enumerate(zip(lines, labels, strict=True)):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        if current is None or label != current_label or (label == "C" and i in starts):
            if current is not None:
                segments.append(Segment(KIND_OF[current_label], current[0], current[1], author))
            current, current_label = [start, end], label
            author = starts.get(i) if label == "C" else None
        else:
            current[1] = end
    if current is not None:
        segments.append(Segment(KIND_OF[current_label], current[0], current[1], author))
    return tuple(segments)


def comment_starts(lines: Sequence[str], labels: Sequence[str]) -> list[tuple[int, str | None]]:
    """The lines that open a reader comment, each with the commenter's name if shown.

    A comment opens where a run of comment lines begins, at every header line (an author
    line such as "Dan says:" or "Jim • 3 years ago", a timestamp, or a name on its own
    line directly above the comment's text) that does not follow another header, and at
    every other comment line except one that follows a header or, in a thread that puts
    one comment on each line (two comment texts with no blank between them), one after
    a blank line, which is a paragraph of the same comment. So a thread whose comments
    are separated by blank lines gets one comment per block.
    """
    index = [i for i in units(lines) if labels[i] == "C"]
    header = {i: is_header_at(lines, labels, i) for i in index}
    dense_runs: set[int] = set()
    run_id: dict[int, int] = {}
    run = -1
    for k, i in enumerate(index):
        prev = index[k - 1] if k else None
        if prev is None or any(labels[j] != "C" for j in range(prev + 1, i) if lines[j].strip()):
            run += 1
        run_id[i] = run
        if prev == i - 1 and run_id.get(prev) == run and not header[prev] and not header[i]:
            dense_runs.add(run)
    out: list[tuple[int, str | None]] = []
    for k, i in enumerate(index):
        prev = index[k - 1] if k else -1
        first = prev < 0 or run_id[prev] != run_id[i]
        paragraph = prev != i - 1 and run_id[i] in dense_runs
        if first or (header[i] and not header[prev]) or not (header[prev] or paragraph):
            out.append((i, comment_author(lines[i], lines[i + 1 : i + 2]) if header[i] else None))
    return out


def is_header_at(lines: Sequence[str], labels: Sequence[str], i: int) -> bool:
    """Whether comment line ``i`` is a comment's header rather than its text."""
    following = lines[i + 1] if i + 1 < len(lines) else ""
    if is_header(lines[i], following):
        return True
    return bool(
        own_features(lines[i])["name_only"]
        and following.strip()
        and i + 1 < len(labels)
        and labels[i + 1] == "C"
        and not own_features(following)["name_only"]
    )


def is_header(line: str, following: str) -> bool:
    """Whether ``line`` is a comment's header: its author ("Dan says:"), a timestamp, or
    a name on its own line followed by a timestamp."""
    feats = own_features(line)
    return bool(feats["author"] or is_timestamp(line)) or bool(
        feats["name_only"] and is_timestamp(following)
    )


def is_timestamp(line: str) -> bool:
    feats = own_features(line)
    return bool(feats["ago"] or (feats["date_only"] and (feats["clock"] or feats["tiny"])))


_AUTHOR_NAME = re.compile(
    r"^\s*(@?[\w][\w'’.-]*(?: [\w'’.-]+){0,3}?)\s*(?:says:|said:|wrote:|•|\||"
    rf"\bon {_MONTH}\b|\bon \d|\d+\s+\w+\s+ago\b)",
    re.UNICODE | re.I,
)


def comment_author(line: str, following: Sequence[str] = ()) -> str | None:
    """The commenter's name on a comment's header line: "Dan K. says:", "Jim Dandy • 3
    years ago", "Ali on October 22, 2017 at 5:01 pm said:", or a name on its own line
    directly above the comment (the caller knows the line is a header)."""
    match = _AUTHOR_NAME.match(line)
    if match and own_features(line)["author"]:
        return match.group(1).strip()
    if own_features(line)["name_only"] and following and following[0].strip():
        return line.strip()
    return None


def to_document(
    raw: RawInput,
    source: str | None = None,
    published: str | None = None,
    model: LineModel | None = None,
) -> Document:
    """Segment a raw input and gather its metadata into a Document."""
    if raw.format == "html":
        page = metadata.from_html(raw.content)
        text, segments = page.text, page.segments
        if page.flat is not None:
            segments = segment_page(page.flat, model)
        elif not any(s.kind == "body" for s in segments):
            segments = segment_lines(text, model)
    else:
        page = None
        text = raw.content
        segments = segment_lines(text, model)
    meta = metadata.gather(raw, text, segments, page, source=source, published=published)
    precision: Precision = meta.published_precision
    return Document(
        id=content_id(text),
        origin=raw.origin,
        source=meta.source,
        url=meta.url,
        title=meta.title,
        published=meta.published,
        published_precision=precision,
        language=meta.language,
        text=text,
        segments=segments,
    )
