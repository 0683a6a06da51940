"""segment: a raw input becomes a Document with body / comment / boilerplate segments.

Plain text is split line by line: each line gets features (widget labels, clutter
words, length, first and second person, a name addressed at the start, questions and
exclamations, profanity, emoticons, pasted links, reporting verbs, datelines ...), a
softmax model learned from the dev gold (``frontlines train segments``) scores it, and
a Viterbi pass over the line scores with learned transition costs picks the labels,
so that once comments start the article rarely resumes. HTML goes through trafilatura
(main text, comments, metadata) and falls back to the line model when it finds nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from frontlines import metadata
from frontlines.errors import DataFileError
from frontlines.models import Document, Precision, Segment, SegmentKind, content_id
from frontlines.paths import data_file
from frontlines.read import RawInput

LABELS: tuple[str, ...] = ("B", "C", "X")
KIND_OF: dict[str, SegmentKind] = {"B": "body", "C": "comment", "X": "boilerplate"}

_WIDGET = re.compile(
    r"^\s*(notify of|subscribe|log ?in|sign up|\d+\s+comments?|newest|oldest|most voted|"
    r"inline feedbacks?|view all comments|reply\b|load more comments|leave a (reply|comment)|"
    r"your email address|comments?\s*$|\d+\s+thoughts on|join the discussion|"
    r"show more replies|sort by|post comment|cancel reply)",
    re.I,
)
_CLUTTER = re.compile(
    r"(donat|\$\s?\d+|\bsupport (us|our|independent)|^\s*support [A-Z]|share this|facebook|"
    r"twitter|whatsapp|telegram|related (articles|stories|posts)|read more|read also|"
    r"see also|subscribe to|newsletter|cookie|privacy|all rights reserved|©|copyright|"
    r"click to enlarge|image caption|photo:|^\s*watch:|^\s*tags?:|advertisement|"
    r"terms of (use|service)|^\s*home\b|most popular|trending|you may also like|"
    r"print this|email this|follow us|sign in|menu)",
    re.I,
)
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .,'’\-]{2,40}(\([^)]{2,60}\))?\s*[-–—:]|"
    r"(mon|tue|wed|thu|fri|sat|sun)\w*,? \d{1,2} \w{3,9},? \d{4}|"
    r"\w+, \w+ \d{1,2} \([^)]{2,60}\)\s*[-–—])",
    re.I,
)
_REPORTING = re.compile(
    r"\b(said|says|told|according to|reported|announced|added|stated|claimed|confirmed|"
    r"denied|quoted|cited|citing|spokes(man|woman|person))\b",
    re.I,
)
_FIRST = re.compile(r"\b(i|i'm|i've|i'd|my|me|mine|imo|imho|we|our|us)\b", re.I)
_SECOND = re.compile(r"\b(you|your|you're|u|ur|yourself)\b", re.I)
_ADDRESS = re.compile(r"^\s*@?[A-Z][\w'’.-]{1,20}( [A-Z][\w'’.-]{1,20})?\s*[,:]\s+\S")
_PROFANE = re.compile(
    r"\b(damn|hell|shit|bullshit|crap|idiot|idiots|stupid|moron|morons|fool|fools|scum|"
    r"dogs?|pigs?|rats?|traitors?|liars?|lies|lying|propaganda|fake|clowns?|cowards?|"
    r"terrorists? supporters?|shame|disgrace|pathetic|wtf|lmao|stfu)\b",
    re.I,
)
_OPINION = re.compile(
    r"\b(think|believe|should|must|never|always|obviously|clearly|of course|nonsense|"
    r"long live|death to|god bless|allahu akbar|wake up|hope|wish|agree|disagree|lol|haha)\b",
    re.I,
)
_EMOTICON = re.compile(r"(:\)|:\(|;\)|:D|:P|xD|<3|\^\^|[\U0001F300-\U0001FAFF])")
_URL = re.compile(r"(https?://|www\.)\S+", re.I)
_AUTHOR = re.compile(
    r"(\bsays:\s*$|•\s*\d+\s+\w+\s+ago|^\s*reply\s*↓?\s*$|\blike\s*\(\d+\)|"
    r"\d+\s+(years?|months?|days?|hours?|minutes?)\s+ago\s*$|^\s*(posted|written) by\b)",
    re.I,
)
FEATURES: tuple[str, ...] = (
    "bias", "blank", "chars", "words", "short", "widget", "clutter", "menu", "period",
    "quote", "reporting", "dateline", "first", "second", "address", "question",
    "exclaim", "profane", "opinion", "emoticon", "url", "caps", "lower_start",
    "author", "repeated", "position", "digits", "ctx_comment", "ctx_clutter",
    "prev_blank_comment",
)  # fmt: skip


def line_features(lines: Sequence[str]) -> list[list[float]]:
    """One feature vector per line, in the order of ``FEATURES``."""
    n = max(len(lines), 1)
    base = [own_features(line) for line in lines]
    seen: set[str] = set()
    out = []
    for i, line in enumerate(lines):
        own = base[i]
        norm = " ".join(line.lower().split())
        repeated = 1.0 if norm and len(norm) > 15 and norm in seen else 0.0
        if norm:
            seen.add(norm)
        window = [base[j] for j in range(max(0, i - 3), min(len(lines), i + 4)) if j != i]
        ctx_comment = sum(w["comment"] for w in window) / max(len(window), 1)
        ctx_clutter = sum(w["clutter"] for w in window) / max(len(window), 1)
        prev_comment = 0.0
        for j in range(i - 1, max(-1, i - 4), -1):
            if base[j]["blank"]:
                continue
            prev_comment = base[j]["comment"]
            break
        values = {
            **own,
            "repeated": repeated,
            "position": i / n,
            "ctx_comment": ctx_comment,
            "ctx_clutter": ctx_clutter,
            "prev_blank_comment": prev_comment,
        }
        out.append([values[f] for f in FEATURES])
    return out


def own_features(line: str) -> dict[str, float]:
    text = line.strip()
    words = text.split()
    letters = [c for c in text if c.isalpha()]
    caps = sum(1 for c in letters if c.isupper()) / len(letters) if letters else 0.0
    pipes = text.count("|") + text.count("·")
    menu = 1.0 if pipes >= 2 or (len(words) >= 3 and all(w[:1].isupper() for w in words)
                                 and not text.endswith(".")) else 0.0  # fmt: skip
    feats = {
        "bias": 1.0,
        "blank": 0.0 if text else 1.0,
        "chars": min(len(text) / 200.0, 2.0),
        "words": min(len(words) / 40.0, 2.0),
        "short": 1.0 if 0 < len(words) <= 4 else 0.0,
        "widget": 1.0 if _WIDGET.search(text) and len(words) <= 8 else 0.0,
        "clutter": min(len(_CLUTTER.findall(text)), 3) / 3.0,
        "menu": menu,
        "period": 1.0 if text.endswith((".", '."', ".”")) else 0.0,
        "quote": 1.0 if re.search(r"[\"“”]", text) else 0.0,
        "reporting": min(len(_REPORTING.findall(text)), 2) / 2.0,
        "dateline": 1.0 if _DATELINE.match(text) else 0.0,
        "first": min(len(_FIRST.findall(text)), 3) / 3.0,
        "second": min(len(_SECOND.findall(text)), 3) / 3.0,
        "address": 1.0 if _ADDRESS.match(text) else 0.0,
        "question": min(text.count("?"), 3) / 3.0,
        "exclaim": min(text.count("!"), 3) / 3.0,
        "profane": min(len(_PROFANE.findall(text)), 2) / 2.0,
        "opinion": min(len(_OPINION.findall(text)), 2) / 2.0,
        "emoticon": 1.0 if _EMOTICON.search(text) else 0.0,
        "url": 1.0 if _URL.search(text) else 0.0,
        "caps": caps if len(letters) > 8 else 0.0,
        "lower_start": 1.0 if text[:1].islower() else 0.0,
        "author": 1.0 if _AUTHOR.search(text) else 0.0,
        "digits": min(sum(c.isdigit() for c in text) / 10.0, 1.0),
    }
    feats["comment"] = min(
        1.0,
        (feats["first"] + feats["second"] + feats["address"] + feats["question"]
         + feats["exclaim"] + feats["profane"] + feats["opinion"] + feats["emoticon"]) / 2,
    )  # fmt: skip
    return feats


@dataclass(frozen=True)
class LineModel:
    """Softmax weights per label and transition log-probabilities between labels."""

    weights: dict[str, list[float]]
    transitions: dict[str, dict[str, float]]
    start: dict[str, float]

    @classmethod
    def load(cls, path: str | Path | None = None) -> LineModel:
        file = Path(path) if path else default_model_path()
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DataFileError(str(file), f"cannot load segment model: {exc}") from exc
        if raw.get("features") != list(FEATURES):
            raise DataFileError(
                str(file), "segment model was trained on other features: run "
                "`frontlines train segments gold/segments` to retrain it"
            )  # fmt: skip
        return cls(raw["weights"], raw["transitions"], raw["start"])

    def scores(self, features: Sequence[Sequence[float]]) -> list[dict[str, float]]:
        """Log-probabilities of each label for each line."""
        out = []
        for vec in features:
            logits = {
                label: sum(w * x for w, x in zip(self.weights[label], vec, strict=True))
                for label in LABELS
            }
            top = max(logits.values())
            norm = top + math.log(sum(math.exp(v - top) for v in logits.values()))
            out.append({label: logits[label] - norm for label in LABELS})
        return out

    def path_score(self, prev: dict[str, float], source: str, target: str) -> float:
        return prev[source] + self.transitions[source][target]

    def decode(self, lines: Sequence[str]) -> list[str]:
        """The most likely label sequence (Viterbi over the line scores)."""
        if not lines:
            return []
        emissions = self.scores(line_features(lines))
        best = [{lab: self.start[lab] + emissions[0][lab] for lab in LABELS}]
        back: list[dict[str, str]] = []
        for em in emissions[1:]:
            prev = best[-1]
            row: dict[str, float] = {}
            ptr: dict[str, str] = {}
            for lab in LABELS:
                src = max(LABELS, key=lambda p: self.path_score(prev, p, lab))
                row[lab] = prev[src] + self.transitions[src][lab] + em[lab]
                ptr[lab] = src
            best.append(row)
            back.append(ptr)
        label = max(LABELS, key=lambda lab: best[-1][lab])
        path = [label]
        for ptr in reversed(back):
            label = ptr[label]
            path.append(label)
        return path[::-1]


def default_model_path() -> Path:
    return data_file("segment_model.json")


@cache
def default_model() -> LineModel:
    return LineModel.load()


def segment_lines(text: str, model: LineModel | None = None) -> tuple[Segment, ...]:
    """Body / comment / boilerplate segments of plain text, with character offsets.

    Consecutive lines with the same label form one segment; in a comment thread a new
    segment starts at each comment (after a blank line or at an author line).
    """
    lines = text.split("\n")
    labels = (model or default_model()).decode(lines)
    segments: list[Segment] = []
    offset = 0
    current: list[int] | None = None  # [start, end]
    current_label = ""
    author: str | None = None
    after_blank = False
    for line, label in zip(lines, labels, strict=True):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            after_blank = True
            continue
        new_comment = label == "C" and (after_blank or bool(_AUTHOR.search(line)))
        if current is None or label != current_label or new_comment:
            if current is not None:
                segments.append(Segment(KIND_OF[current_label], current[0], current[1], author))
            current, current_label = [start, end], label
            author = comment_author(line) if label == "C" else None
        else:
            current[1] = end
        after_blank = False
    if current is not None:
        segments.append(Segment(KIND_OF[current_label], current[0], current[1], author))
    return tuple(segments)


_AUTHOR_NAME = re.compile(
    r"^\s*([A-Z][\w'’.-]*(?: [\w'’.-]+){0,3})\s*(?:says:|•|wrote:|\|)", re.UNICODE
)


def comment_author(line: str) -> str | None:
    match = _AUTHOR_NAME.match(line)
    return match.group(1).strip() if match else None


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
        if not any(s.kind == "body" for s in segments):
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
