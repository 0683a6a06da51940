"""Name keys that survive transliteration.

``key`` folds case, diacritics, ʿayn/hamza marks, hyphens and the Arabic article in its
forms (al-, el-, ad-, ar-, as-, ash-, az-, ...), so that "al-Mayādīn" and "Al Mayadin"
share a key. ``skeleton`` goes further for fuzzy blocking: Russian-style digraphs
(kh, dzh, zh), doubled letters and vowels are reduced, so "Meyadin", "Mayadeen" and
"al-Mayadin" share a skeleton; candidates that share one are then ranked by string
similarity of their keys.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

ARTICLES = frozenset(
    """
    al el il ul ad ed ar er as es ash esh az ez at et an en adh ath dh
    """.split()
)
_MARKS = re.compile(r"[ʿʾʻʼ'’‘`´ʹ]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ARTICLE_PREFIX = re.compile(r"^(al|el|ad|ar|as|ash|az|at|an|ed|er|es|ez|et|en)-(?=[a-z])")
_RUSSIAN = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("sch", "sh"), ("ts", "s"))
_SOUNDS = str.maketrans({"q": "k", "c": "k", "g": "j", "p": "b", "v": "w", "x": "ks"})
_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lowercase ASCII with marks removed and punctuation as single spaces."""
    ascii_text = anyascii(_MARKS.sub("", text)).lower()
    return " ".join(_NON_ALNUM.sub(" ", ascii_text).split())


@lru_cache(maxsize=200_000)
def key(text: str) -> str:
    """The matching key of a name: folded, with Arabic articles dropped."""
    ascii_text = anyascii(_MARKS.sub("", text)).lower()
    words = []
    for raw in re.split(r"[\s/]+", ascii_text):
        word = _ARTICLE_PREFIX.sub("", raw)
        words.extend(_NON_ALNUM.sub(" ", word).split())
    kept = [w for w in words if w not in ARTICLES]
    return " ".join(kept or words)


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """A consonant skeleton of a name's key, for blocking fuzzy lookups."""
    k = re.sub(r"(?<=[aeiou])h\b", "", key(text)).replace(" ", "")
    for src, dst in _RUSSIAN:
        k = k.replace(src, dst)
    k = k.translate(_SOUNDS)
    head, tail = k[:1], k[1:]
    k = head + _VOWELS.sub("", tail)
    if head and head in "aeiouyw":
        k = k[1:]
    return _DOUBLE.sub(r"\1", k)


def is_latin(text: str, threshold: float = 0.8) -> bool:
    """True when most letters of ``text`` are Latin (so transliteration keeps it readable)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c < "\u0250" or "\u1e00" <= c <= "\u1eff")
    return latin / len(letters) >= threshold
