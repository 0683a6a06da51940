"""Situation reports: what the stored events say about a period and an area.

``build_report`` selects the article events (never reader comments) of a period and
an area and turns them into statements, each carrying the documents it rests on:
headline developments (the clusters with most independent sources), a section per area,
control changes, and contested claims with both sides. ``render_markdown`` and
``render_html`` write every statement followed by bracketed citations to a numbered
source list; ``draw_map`` and ``draw_chart`` make the two images with matplotlib's Agg
backend (no display needed).
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from frontlines.errors import UsageError
from frontlines.export import EVENT_TYPE_LABELS, SUB_EVENT_TYPE_LABELS
from frontlines.gazetteer import distance_km
from frontlines.models import Control, Document, Event
from frontlines.normalize import key
from frontlines.registry import Registry
from frontlines.store import Store

PLACE_RADIUS_KM = 30.0
HEADLINES = 5
PER_AREA = 12
QUOTE = 220
FORMATS = ("md", "html")
TYPE_COLOURS = {
    "battle": "#c0392b",
    "remote_violence": "#e67e22",
    "violence_against_civilians": "#8e44ad",
    "protest": "#2980b9",
    "riot": "#16a085",
    "strategic_development": "#7f8c8d",
}

PlaceResolver = Callable[[str], tuple[str, float, float] | None]
"""A place name to (name, lat, lon), or None when unknown."""


@dataclass(frozen=True)
class Scope:
    """Which events a report covers: a date range and an area (a place or a box)."""

    since: str | None = None
    until: str | None = None
    place: tuple[str, float, float] | None = None  # name, lat, lon
    bbox: tuple[float, float, float, float] | None = None  # W, S, E, N

    def covers(self, event: Event) -> bool:
        if event.from_comment:
            return False
        if (self.since or self.until) and not event.date_start:
            return False
        if self.since and (event.date_end or event.date_start or "") < self.since:
            return False
        if self.until and (event.date_start or "") > self.until:
            return False
        if self.place is None and self.bbox is None:
            return True
        if event.place is None:
            return False
        if self.bbox is not None:
            west, south, east, north = self.bbox
            return west <= event.place.lon <= east and south <= event.place.lat <= north
        _, lat, lon = self.place or ("", event.place.lat, event.place.lon)
        return distance_km((lat, lon), (event.place.lat, event.place.lon)) <= PLACE_RADIUS_KM

    def describe(self) -> str:
        period = f"{self.since or 'the first report'} to {self.until or 'the last report'}"
        if self.place is not None:
            return f"{period}, within {PLACE_RADIUS_KM:g} km of {self.place[0]}"
        if self.bbox is not None:
            return f"{period}, in the box W,S,E,N = {','.join(f'{v:g}' for v in self.bbox)}"
        return f"{period}, everywhere"


@dataclass(frozen=True)
class Statement:
    """One sentence of a report and the documents it rests on; ``level`` 1 is a
    sub-point of the statement before it."""

    text: str
    doc_ids: tuple[str, ...]
    level: int = 0


@dataclass(frozen=True)
class Section:
    title: str
    statements: tuple[Statement, ...]
    empty: str = "Nothing in this period and area."


@dataclass(frozen=True)
class Source:
    number: int
    doc_id: str
    publisher: str
    title: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True)
class Report:
    title: str
    scope: str
    summary: str
    sections: tuple[Section, ...]
    events: tuple[Event, ...] = field(repr=False)
    documents: dict[str, Document] = field(repr=False)

    def sources(self) -> list[Source]:
        """The documents cited, numbered in order of first citation."""
        order: list[str] = []
        for section in self.sections:
            for statement in section.statements:
                order.extend(d for d in statement.doc_ids if d not in order)
        out = []
        for number, doc_id in enumerate(order, 1):
            doc = self.documents.get(doc_id)
            publisher = (doc.source or doc.origin) if doc else doc_id
            out.append(
                Source(
                    number,
                    doc_id,
                    publisher,
                    doc.title if doc else None,
                    doc.published if doc else None,
                    doc.url if doc else None,
                )
            )
        return out


# -- building -------------------------------------------------------------------------


def parse_scope(
    since: str | None,
    until: str | None,
    place: str | None,
    bbox: str | None,
    resolve: PlaceResolver,
) -> Scope:
    """A checked scope from command-line text."""
    for name, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError as exc:
                raise UsageError(f"--{name} must be a date YYYY-MM-DD, not {value!r}") from exc
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    if place and bbox:
        raise UsageError("give --place or --bbox, not both")
    where = None
    if place:
        where = resolve(place)
        if where is None:
            raise UsageError(f"unknown place {place!r}: no stored event or gazetteer entry has it")
    box = None
    if bbox:
        from frontlines.serve.queries import parse_bbox

        box = parse_bbox(bbox)
    return Scope(since, until, where, box)


def stored_place(store: Store, name: str) -> tuple[str, float, float] | None:
    """A place the stored events name, matched by normalized name or id."""
    wanted = key(name)
    for event in store.query_events("place_id IS NOT NULL"):
        place = event.place
        if place is not None and (key(place.name) == wanted or place.id == name):
            return place.name, place.lat, place.lon
    return None


def build_report(store: Store, registry: Registry, scope: Scope) -> Report:
    events = [e for e in store.query_events() if scope.covers(e)]
    by_id = {e.id: e for e in events}
    documents = {d.id: d for d in store.query_documents()}
    names = _Names(registry, documents)
    clusters = [c for c in store.clusters() if any(i in by_id for i in c.event_ids)]
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[event.cluster_id or event.id].append(event)

    headlines: list[Statement] = []
    ranked = sorted(clusters, key=lambda c: (-c.corroboration, -len(c.event_ids), c.id))
    for cluster in ranked[:HEADLINES]:
        members = groups.get(cluster.id, [])
        if members:
            headlines.append(names.happening(members, cluster.corroboration))

    areas: dict[str, list[list[Event]]] = defaultdict(list)
    for members in groups.values():
        areas[names.area(members[0])].append(members)
    area_sections = []
    for area in sorted(areas, key=lambda a: (-sum(len(g) for g in areas[a]), a)):
        happenings = sorted(areas[area], key=lambda g: (_first_day(g), g[0].id))
        statements = [names.happening(g, names.independent(g)) for g in happenings[:PER_AREA]]
        if len(happenings) > PER_AREA:
            rest = happenings[PER_AREA:]
            docs = tuple(sorted({e.doc_id for g in rest for e in g}))
            statements.append(Statement(f"{len(rest)} more reported happenings in {area}.", docs))
        area_sections.append(Section(f"Area: {area}", tuple(statements)))

    control = _control_changes(store, scope, events, names)
    contested = _contested(store, by_id, names)
    dated = sorted(d for e in events for d in (e.date_start, e.date_end) if d)
    summary = (
        f"{len(events)} article events from {len({e.doc_id for e in events})} documents "
        f"in {len(groups)} distinct happenings"
        + (f", dated {dated[0]} to {dated[-1]}" if dated else "")
        + "; reader comments are left out."
    )
    sections = (
        Section("Headline developments", tuple(headlines)),
        *area_sections,
        Section("Control changes", tuple(control), "No change of control was reported."),
        Section("Contested claims", tuple(contested), "No source contradicts another."),
    )
    return Report(
        title="Situation report",
        scope=scope.describe(),
        summary=summary,
        sections=sections,
        events=tuple(events),
        documents=documents,
    )


class _Names:
    """Turns events into sentences: actor and type names, dates, sources."""

    def __init__(self, registry: Registry, documents: dict[str, Document]) -> None:
        self.registry = registry
        self.documents = documents

    def actor(self, actor_id: str | None) -> str | None:
        return None if actor_id is None else self.registry.name(actor_id) or actor_id

    def publisher(self, doc_id: str) -> str:
        doc = self.documents.get(doc_id)
        return (doc.source or doc.origin) if doc else doc_id

    def independent(self, events: Sequence[Event]) -> int:
        return len(
            {
                self.publisher(e.doc_id)
                for e in events
                if (doc := self.documents.get(e.doc_id)) is None or doc.duplicate_of is None
            }
        )

    def area(self, event: Event) -> str:
        place = event.place
        if place is None:
            return "no place given"
        if place.admin1:
            return f"{place.admin1} ({place.country})" if place.country else place.admin1
        if place.geo_precision == 3 or not place.country:
            return place.name
        return place.country

    def happening(self, events: Sequence[Event], sources: int) -> Statement:
        first = min(events, key=lambda e: (e.date_start or "9999", e.id))
        kind = SUB_EVENT_TYPE_LABELS.get(first.sub_type, first.sub_type)
        if first.sub_type == "other":
            kind = EVENT_TYPE_LABELS.get(first.type, first.type)
        actors = [a for a in (self.actor(first.actor1), self.actor(first.actor2)) if a]
        who = f" involving {' and '.join(actors)}" if actors else ""
        where = f" at {first.place.name}" if first.place else ""
        when = _span(events)
        killed = max((e.fatalities for e in events if e.fatalities), default=None)
        deaths = f"; up to {killed} reported killed" if killed else ""
        certainties = Counter(e.certainty for e in events)
        hedge = ""
        if "denied" in certainties:
            hedge = "; denied by at least one source"
        elif not ({"asserted", "reported"} & set(certainties)):
            hedge = f"; only {'/'.join(sorted(certainties))}"
        docs = tuple(dict.fromkeys(e.doc_id for e in events))
        count = f"{sources} independent source{'s' if sources != 1 else ''}"
        if len(docs) != sources:
            count += f", {len(docs)} documents"
        text = f"{when}: {kind}{where}{who}{deaths}{hedge} ({count})."
        return Statement(text, docs)

    def quote(self, event: Event) -> str:
        text = " ".join(event.evidence.text.split())
        return text if len(text) <= QUOTE else text[: QUOTE - 1].rstrip() + "…"


def _first_day(events: Sequence[Event]) -> str:
    return min((e.date_start for e in events if e.date_start), default="9999")


def _span(events: Sequence[Event]) -> str:
    starts = [e.date_start for e in events if e.date_start]
    ends = [e.date_end or e.date_start for e in events if e.date_start]
    if not starts:
        return "Undated"
    lo, hi = min(starts), max(d for d in ends if d)
    return lo if lo == hi else f"{lo} to {hi}"


def _control_changes(
    store: Store, scope: Scope, events: Sequence[Event], names: _Names
) -> list[Statement]:
    spells: dict[str, list[Control]] = defaultdict(list)
    for spell in store.control():
        spells[spell.place_id].append(spell)
    located = {e.place.id: e.place for e in store.query_events("place_id IS NOT NULL") if e.place}
    cited = {e.id: e.doc_id for e in store.query_events()}
    out: list[Statement] = []
    for place_id, seq in spells.items():
        place = located.get(place_id)
        if place is None:
            continue
        probe = next((e for e in events if e.place and e.place.id == place_id), None)
        inside = probe is not None or (scope.place is None and scope.bbox is None)
        if not inside:
            continue
        seq.sort(key=lambda s: s.since or "")
        for i, spell in enumerate(seq):
            if not spell.since:
                continue
            if scope.since and spell.since < scope.since:
                continue
            if scope.until and spell.since > scope.until:
                continue
            before = names.actor(seq[i - 1].actor) if i else None
            took = f"{spell.since}: {names.actor(spell.actor)} took control of {place.name}"
            took += f" from {before}" if before else ""
            took += f", held until {spell.until}." if spell.until else "."
            docs = tuple(dict.fromkeys(cited[e] for e in spell.evidence if e in cited))
            if docs:  # a statement no stored document supports is not made
                out.append(Statement(took, docs))
    out.sort(key=lambda s: s.text)
    return out


def _contested(store: Store, by_id: dict[str, Event], names: _Names) -> list[Statement]:
    out: list[Statement] = []
    for clash in store.contradictions():
        a, b = by_id.get(clash.a), by_id.get(clash.b)
        if a is None or b is None:
            continue
        where = f" at {a.place.name}" if a.place else ""
        out.append(Statement(f"{_span([a, b])}{where}: {clash.reason}.", (a.doc_id, b.doc_id)))
        for side in (a, b):
            said = f"{names.publisher(side.doc_id)} ({side.certainty}"
            said += f", citing {side.attributed_to})" if side.attributed_to else ")"
            out.append(Statement(f"{said}: “{names.quote(side)}”", (side.doc_id,), level=1))
    return out


# -- images ---------------------------------------------------------------------------


def draw_map(events: Sequence[Event], title: str = "Events by type") -> bytes:
    """A PNG map of the events on country borders and rivers, coloured by type."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from frontlines.serve.basemap import basemap_lines

    located = [e for e in events if e.place is not None]
    lats = sorted(e.place.lat for e in located if e.place)
    lons = sorted(e.place.lon for e in located if e.place)
    if lats:
        south, north = _quantile(lats, 0.05), _quantile(lats, 0.95)
        west, east = _quantile(lons, 0.05), _quantile(lons, 0.95)
    else:
        south, north, west, east = 32.0, 38.0, 36.0, 44.0
    pad = max(0.6, 0.15 * max(north - south, east - west))
    fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
    try:
        borders, rivers = basemap_lines()
        for line in borders:
            xs, ys = zip(*line, strict=True)
            ax.plot(xs, ys, color="#888888", linewidth=0.7, zorder=1)
        for line in rivers:
            xs, ys = zip(*line, strict=True)
            ax.plot(xs, ys, color="#4a90c2", linewidth=1.0, zorder=2)
        counts: Counter[tuple[str, float, float]] = Counter(
            (e.type, e.place.lat, e.place.lon) for e in located if e.place
        )
        for kind, colour in TYPE_COLOURS.items():
            points = [(lon, lat, n) for (t, lat, lon), n in counts.items() if t == kind]
            if not points:
                continue
            xs, ys, sizes = zip(*points, strict=True)
            ax.scatter(
                xs,
                ys,
                s=[20 + 12 * n for n in sizes],
                c=colour,
                alpha=0.75,
                edgecolors="#222222",
                linewidths=0.5,
                label=EVENT_TYPE_LABELS[kind],
                zorder=3,
            )
        ax.set_xlim(west - pad, east + pad)
        ax.set_ylim(south - pad, north + pad)
        ax.set_aspect("equal")
        ax.set_facecolor("#f2efe6")
        ax.set_title(title)
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        if counts:
            ax.legend(loc="lower left", fontsize=8)
        return _png(fig)
    finally:
        plt.close(fig)


def draw_chart(events: Sequence[Event]) -> bytes:
    """A PNG stacked bar chart of events per day and type: the events dated to the day
    or the week, counted on the first day of their span."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    for event in events:
        if event.date_start and event.time_precision in ("day", "week"):
            per_day[event.date_start][event.type] += 1
    fig, ax = plt.subplots(figsize=(9, 3.5), dpi=100)
    try:
        if per_day:
            first, last = date.fromisoformat(min(per_day)), date.fromisoformat(max(per_day))
            days = [first + timedelta(n) for n in range((last - first).days + 1)]
            bottom = [0] * len(days)
            for kind, colour in TYPE_COLOURS.items():
                heights = [per_day.get(d.isoformat(), Counter())[kind] for d in days]
                if not any(heights):
                    continue
                ax.bar(
                    days,  # type: ignore[arg-type]
                    heights,
                    bottom=bottom,
                    width=1.0,
                    color=colour,
                    label=EVENT_TYPE_LABELS[kind],
                )
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            ax.legend(fontsize=8, loc="upper left")
            fig.autofmt_xdate()
        else:
            ax.text(0.5, 0.5, "no dated events", ha="center", va="center")
        ax.set_title("Events per day by type (dated to the day or week)")
        ax.set_ylabel("events")
        return _png(fig)
    finally:
        plt.close(fig)


def _png(fig: object) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # type: ignore[attr-defined]
    return buffer.getvalue()


def _quantile(values: Sequence[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


# -- rendering ------------------------------------------------------------------------


def render_markdown(report: Report, map_file: str, chart_file: str) -> str:
    numbers = {s.doc_id: s.number for s in report.sources()}
    lines = [f"# {report.title}", "", f"*{report.scope}.* {report.summary}", ""]
    lines += [f"![Map of events]({map_file})", "", f"![Events per day by type]({chart_file})", ""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if not section.statements:
            lines += [f"{section.empty}", ""]
            continue
        for statement in section.statements:
            indent = "  " * statement.level
            lines.append(f"{indent}- {_md(statement.text)} {_cites(statement, numbers)}")
        lines.append("")
    lines += ["## Sources", ""]
    for source in report.sources():
        lines.append(f"{source.number}. {_md(_source_line(source))}")
    return "\n".join(lines) + "\n"


def render_html(report: Report, map_png: bytes, chart_png: bytes) -> str:
    numbers = {s.doc_id: s.number for s in report.sources()}
    esc = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}</title>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;"
        "padding:0 1em}img{max-width:100%}sup a,a.cite{text-decoration:none}"
        "li.sub{list-style:circle;margin-left:1.5em}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
        f"<p><em>{esc(report.scope)}.</em> {esc(report.summary)}</p>",
        f'<figure><img alt="Map of events" src="data:image/png;base64,{_b64(map_png)}"></figure>',
        '<figure><img alt="Events per day by type" '
        f'src="data:image/png;base64,{_b64(chart_png)}"></figure>',
    ]
    for section in report.sections:
        parts.append(f"<h2>{esc(section.title)}</h2>")
        if not section.statements:
            parts.append(f"<p>{esc(section.empty)}</p>")
            continue
        parts.append("<ul>")
        for statement in section.statements:
            cites = " ".join(
                f'<a class="cite" href="#src-{numbers[d]}">[{numbers[d]}]</a>'
                for d in statement.doc_ids
            )
            css = ' class="sub"' if statement.level else ""
            parts.append(f"<li{css}>{esc(statement.text)} {cites}</li>")
        parts.append("</ul>")
    parts.append("<h2>Sources</h2><ol>")
    for source in report.sources():
        line = esc(_source_line(source, with_url=False))
        if source.url and source.url.startswith(("http://", "https://")):
            line += (
                f' <a href="{esc(source.url, quote=True)}" rel="noreferrer">{esc(source.url)}</a>'
            )
        parts.append(f'<li id="src-{source.number}">{line}</li>')
    parts.append("</ol></body></html>")
    return "\n".join(parts) + "\n"


def write_report(report: Report, output: Path, fmt: str) -> list[Path]:
    """Write the report (and, for Markdown, its two images beside it); the paths written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}; choose md or html")
    map_png = draw_map(report.events)
    chart_png = draw_chart(report.events)
    if fmt == "html":
        output.write_text(render_html(report, map_png, chart_png), encoding="utf-8")
        return [output]
    map_path = output.with_name(f"{output.stem}-map.png")
    chart_path = output.with_name(f"{output.stem}-chart.png")
    map_path.write_bytes(map_png)
    chart_path.write_bytes(chart_png)
    output.write_text(render_markdown(report, map_path.name, chart_path.name), encoding="utf-8")
    return [output, map_path, chart_path]


def _cites(statement: Statement, numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[d]}]" for d in statement.doc_ids)


def _md(text: str) -> str:
    """Text with the characters Markdown would read as markup escaped."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _source_line(source: Source, *, with_url: bool = True) -> str:
    parts = [source.publisher]
    if source.title:
        parts.append(f"“{' '.join(source.title.split())}”")
    parts.append(source.published or "undated")
    if with_url and source.url:
        parts.append(source.url)
    return ", ".join(parts)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
