"""The actor registry: who fights in the theatre, under which names, with whose backing.

Loaded from a data file (``frontlines/data/actors.yaml`` by default, schema in
docs/data-formats.md) and checked on load. Lookups by id, by exact surface form and by
normalized key; relations (parents, backers, allies) with their date ranges.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import DataFileError
from frontlines.models import Actor, Alliance
from frontlines.normalize import key
from frontlines.paths import data_file

ACTOR_KINDS = frozenset(
    """
    state_force militia rebel_group terrorist_group political government international
    coalition civilians private_military other
    """.split()
)
_ID = re.compile(r"^[a-z0-9_]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SHORT_ALIAS = 4
"""Aliases this short match only case-sensitively, as written."""


def default_path() -> Path:
    return data_file("actors.yaml")


@dataclass
class Registry:
    """Actors by id, with indexes by surface form and by normalized key."""

    actors: dict[str, Actor]
    by_surface: dict[str, list[str]] = field(default_factory=dict)
    by_key: dict[str, list[str]] = field(default_factory=dict)
    by_metonym: dict[str, str] = field(default_factory=dict)
    by_generic: dict[str, list[str]] = field(default_factory=dict)
    by_metonym_key: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        surface: dict[str, list[str]] = defaultdict(list)
        keyed: dict[str, list[str]] = defaultdict(list)
        generic: dict[str, list[str]] = defaultdict(list)
        for actor in self.actors.values():
            for form in (actor.name, *actor.aliases):
                add_unique(surface[form], actor.id)
                if len(form) > SHORT_ALIAS:
                    add_unique(keyed[key(form)], actor.id)
            for noun in actor.generic:
                add_unique(generic[noun.lower()], actor.id)
            for metonym in actor.metonyms:  # one actor a name: checked when loaded
                self.by_metonym[metonym] = actor.id
                if len(metonym) > SHORT_ALIAS:
                    self.by_metonym_key[key(metonym)] = actor.id
        self.by_surface = dict(surface)
        self.by_key = dict(keyed)
        self.by_generic = dict(generic)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Registry:
        file = Path(path) if path else default_path()
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise DataFileError(str(file), f"cannot load actor registry: {exc}") from exc
        return cls(parse_actors(str(file), raw))

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def all(self) -> Iterable[Actor]:
        return self.actors.values()

    def name(self, actor_id: str | None) -> str | None:
        actor = self.actors.get(actor_id) if actor_id else None
        return actor.name if actor else None

    def lookup(self, surface: str) -> list[str]:
        """Actor ids a surface form can name: exact form first, then normalized key."""
        exact = self.by_surface.get(surface)
        if exact:
            return exact
        if len(surface) <= SHORT_ALIAS:
            return []
        return self.by_key.get(key(surface), [])

    def metonym(self, name: str) -> str | None:
        """The actor a place or person stands for as a metonym ("Damascus said", "Assad's
        troops"): exact form first, then, for names longer than a short alias, by
        normalized key ("Bashar al Assad" as "Bashar al-Assad")."""
        found = self.by_metonym.get(name)
        if found is None and len(name) > SHORT_ALIAS:
            found = self.by_metonym_key.get(key(name))
        return found

    def lineage(self, actor_id: str) -> Iterator[str]:
        """The actor and its parents up the chain (Tiger Forces, SAA, Syrian government)."""
        seen: set[str] = set()
        current: str | None = actor_id
        while current and current not in seen:
            seen.add(current)
            yield current
            actor = self.actors.get(current)
            current = actor.parent if actor else None

    def related(self, a: str, b: str, day: str | None = None) -> bool:
        """True when a and b are the same force, one within the other, or allied or
        backing each other on ``day``."""
        line_a, line_b = set(self.lineage(a)), set(self.lineage(b))
        if a in line_b or b in line_a:
            return True
        return self.allied(a, b, day)

    def allied(self, a: str, b: str, day: str | None = None) -> bool:
        for x, y in ((a, b), (b, a)):
            actor = self.actors.get(x)
            if actor and any(
                rel.id == y and rel.valid_on(day) for rel in (*actor.allies, *actor.backers)
            ):
                return True
        return False


def add_unique(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def parse_actors(path: str, raw: Any) -> dict[str, Actor]:
    if not isinstance(raw, list):
        raise DataFileError(path, "expected a list of actors")
    actors: dict[str, Actor] = {}
    for number, entry in enumerate(raw, start=1):
        actor = parse_actor(path, number, entry)
        if actor.id in actors:
            raise DataFileError(path, f"actor {number}: duplicate id {actor.id!r}")
        actors[actor.id] = actor
    for actor in actors.values():
        refs = [actor.parent] if actor.parent else []
        refs += [rel.id for rel in (*actor.backers, *actor.allies)]
        for ref in refs:
            if ref not in actors:
                raise DataFileError(path, f"actor {actor.id!r} refers to unknown actor {ref!r}")
    metonym_of: dict[str, str] = {}
    for actor in actors.values():
        for metonym in actor.metonyms:
            other = metonym_of.setdefault(key(metonym), actor.id)
            if other != actor.id:  # one name standing for two actors could pick either
                raise DataFileError(
                    path, f"metonym {metonym!r} names both {other!r} and {actor.id!r}"
                )
    return actors


def parse_actor(path: str, number: int, entry: Any) -> Actor:
    where = f"actor {number}"
    if not isinstance(entry, dict):
        raise DataFileError(path, f"{where}: expected a mapping")
    unknown = set(entry) - {
        "id", "name", "kind", "country", "parent", "aliases", "metonyms",
        "backers", "allies", "generic",
    }  # fmt: skip
    if unknown:
        raise DataFileError(path, f"{where}: unknown field(s) {sorted(unknown)}")
    actor_id = entry.get("id")
    if not isinstance(actor_id, str) or not _ID.match(actor_id):
        raise DataFileError(path, f"{where}: id must be a lowercase slug, got {actor_id!r}")
    where = f"actor {actor_id!r}"
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise DataFileError(path, f"{where}: name is required")
    kind = entry.get("kind")
    if kind not in ACTOR_KINDS:
        raise DataFileError(path, f"{where}: kind {kind!r} is not one of {sorted(ACTOR_KINDS)}")
    return Actor(
        id=actor_id,
        name=name,
        kind=kind,
        country=optional_str(path, where, entry, "country"),
        parent=optional_str(path, where, entry, "parent"),
        aliases=str_list(path, where, entry, "aliases"),
        metonyms=str_list(path, where, entry, "metonyms"),
        backers=alliances(path, where, entry, "backers"),
        allies=alliances(path, where, entry, "allies"),
        generic=str_list(path, where, entry, "generic"),
    )


def optional_str(path: str, where: str, entry: dict[str, Any], name: str) -> str | None:
    value = entry.get(name)
    if value is not None and not isinstance(value, str):
        raise DataFileError(path, f"{where}: {name} must be a string or null")
    return value


def str_list(path: str, where: str, entry: dict[str, Any], name: str) -> tuple[str, ...]:
    value = entry.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DataFileError(path, f"{where}: {name} must be a list of non-empty strings")
    return tuple(value)


def alliances(path: str, where: str, entry: dict[str, Any], name: str) -> tuple[Alliance, ...]:
    out = []
    for rel in entry.get(name) or []:
        if not isinstance(rel, dict) or not isinstance(rel.get("id"), str):
            raise DataFileError(path, f"{where}: each of {name} needs an id")
        dates = [as_date(path, where, rel.get(k)) for k in ("since", "until")]
        out.append(Alliance(rel["id"], dates[0], dates[1]))
    return tuple(out)


def as_date(path: str, where: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    if not _DATE.match(text):
        raise DataFileError(path, f"{where}: date {value!r} is not YYYY-MM-DD")
    return text
