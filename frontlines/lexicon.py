"""The event lexicon: trigger words and phrases by ACLED type, hedges, modal and negation
words, reporting verbs and the nouns that count victims (``data/lexicon.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from frontlines.errors import DataFileError
from frontlines.paths import data_file


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
