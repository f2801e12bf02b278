"""GPX files as segments (tracks, routes) or POIs (waypoints), ready for ``segments/pois import``.

What becomes one segment: every track segment (``trkseg``) and every route
(``rte``) with at least two distinct points. A track with several segments
gives several segments, named "Track (2/3)"; a GPS gap is never bridged.
Elevation is kept; where only some points of a line have one, the missing
ones are interpolated from their neighbours (and a warning says so).
Waypoints (``wpt``) become POIs; their type comes from ``--type``, else from
the waypoint's ``type`` or ``sym`` when it names a radweg POI type (as our
own export writes it), else ``other``. For ``neighbours import`` every track
(all its segments) and every route becomes one neighbouring route.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.errors import GpxError
from radweg.model import POI_TYPES

if TYPE_CHECKING:
    from radweg.gpx.xmlio import GpxWaypoint

log = logging.getLogger(__name__)


def _line_coords(points: tuple[tuple[float, ...], ...]) -> tuple[list[list[float]], int]:
    """Positions for GeoJSON; missing elevations interpolated when some exist. Returns (coords, filled)."""
    with_ele = [p for p in points if len(p) > 2]
    if not with_ele:
        return [[p[0], p[1]] for p in points], 0
    if len(with_ele) == len(points):
        return [[p[0], p[1], p[2]] for p in points], 0
    from radweg.elevation import filled_elevations

    eles = filled_elevations(points) or []
    return [[p[0], p[1], round(e, 1)] for p, e in zip(points, eles, strict=False)], len(points) - len(with_ele)


def segment_features(path: Path, defaults: dict[str, Any], display: str | None = None) -> list[dict[str, Any]]:
    """GeoJSON features (not yet validated) for every usable trkseg and rte of a GPX file."""
    from radweg.gpx.xmlio import read_gpx

    file = display or str(path)
    doc = read_gpx(path, file)
    stem = path.stem
    feats: list[dict[str, Any]] = []
    skipped = 0
    for line in list(doc.tracks) + list(doc.routes):
        label = line.name or doc.name or stem
        usable = [s for s in line.segments if len({p[:2] for p in s}) >= 2]
        skipped += len(line.segments) - len(usable)
        for n, seg in enumerate(usable, 1):
            name = label if len(usable) == 1 else f"{label} ({n}/{len(usable)})"
            coords, filled = _line_coords(seg)
            if filled:
                log.warning("%s: %s %d '%s': %d point(s) without elevation interpolated",
                            file, line.kind, line.index, name, filled)
            props: dict[str, Any] = {"name": name, "source": f"GPX: {path.name}"}
            if line.description:
                props["notes"] = line.description
            for key, value in defaults.items():
                if value not in (None, ""):
                    props[key] = value
            props.setdefault("status", "planned")
            props["gpx"] = f"{line.kind} {line.index}" + (f" segment {n}" if line.kind == "trk" else "")
            feats.append({"type": "Feature", "properties": props,
                          "geometry": {"type": "LineString", "coordinates": coords}})
    if skipped:
        log.warning("%s: %d track segment(s)/route(s) with fewer than two distinct points skipped", file, skipped)
    if not feats:
        lines = list(doc.tracks) + list(doc.routes)
        points = sum(len(s) for line in lines for s in line.segments)
        found = (f" (found {len(doc.tracks)} track(s) and {len(doc.routes)} route(s) with {points} point(s)"
                 + (", none two apart)" if points > 1 else ")")) if lines else " (found none)"
        hint = (f"; it has {len(doc.waypoints)} waypoint(s): use 'radweg pois import'" if doc.waypoints else "")
        raise GpxError(f"{file}: no track segment or route with at least two distinct points{found}{hint}")
    return feats


def neighbour_features(path: Path, defaults: dict[str, Any], display: str | None = None) -> list[dict[str, Any]]:
    """One neighbouring route per track (its segments become the lines) and per route of a GPX file.

    Useful for GPX downloads of other cycle routes (Waymarked Trails, the operators' sites).
    """
    from radweg.gpx.xmlio import read_gpx

    file = display or str(path)
    doc = read_gpx(path, file)
    feats = []
    for line in list(doc.tracks) + list(doc.routes):
        parts = [_line_coords(s)[0] for s in line.segments if len({p[:2] for p in s}) >= 2]
        if not parts:
            continue
        if len({len(c) for part in parts for c in part}) > 1:  # mixed 2D/3D across segments: drop elevation
            parts = [[c[:2] for c in part] for part in parts]
        geometry = ({"type": "LineString", "coordinates": parts[0]} if len(parts) == 1
                    else {"type": "MultiLineString", "coordinates": parts})
        props: dict[str, Any] = {"name": line.name or doc.name or path.stem,
                                 "source": defaults.get("source") or f"GPX: {path.name}"}
        if line.description:
            props["notes"] = line.description
        feats.append({"type": "Feature", "properties": props, "geometry": geometry})
    if not feats:
        raise GpxError(f"{file}: no track or route with at least two distinct points")
    return feats


def _poi_type(wpt: GpxWaypoint) -> str | None:
    from radweg.gpx.export import GARMIN_SYMBOLS, POI_TYPE_LABELS

    labels = {v.lower(): k for k, v in POI_TYPE_LABELS.items()}
    for value in (wpt.type, wpt.sym):
        if not value:
            continue
        low = value.strip().lower()
        if low in POI_TYPES:
            return low
        if low in labels:
            return labels[low]
    if wpt.sym:
        unique = {v.lower(): k for k, v in GARMIN_SYMBOLS.items()
                  if list(GARMIN_SYMBOLS.values()).count(v) == 1}
        return unique.get(wpt.sym.strip().lower())
    return None


def poi_features(path: Path, defaults: dict[str, Any], display: str | None = None) -> list[dict[str, Any]]:
    """GeoJSON Point features for every waypoint of a GPX file."""
    from radweg.gpx.xmlio import read_gpx

    file = display or str(path)
    doc = read_gpx(path, file)
    if not doc.waypoints:
        lines = len(doc.tracks) + len(doc.routes)
        hint = f"; it has {lines} track(s)/route(s): use 'radweg segments import'" if lines else ""
        raise GpxError(f"{file}: no waypoints (wpt){hint}")
    feats = []
    for w in doc.waypoints:
        props: dict[str, Any] = {"name": w.name or f"{path.stem} {w.index}",
                                 "type": defaults.get("type") or _poi_type(w) or "other",
                                 "source": defaults.get("source") or f"GPX: {path.name}"}
        desc = w.description or w.comment
        if desc:
            props["description"] = desc
        if w.link and w.link.startswith(("http://", "https://")):
            props["website"] = w.link
        coords = [w.lon, w.lat] + ([w.ele] if w.ele is not None else [])
        feats.append({"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": coords}})
    return feats


def importer(path: Path, kind: str, defaults: dict[str, Any], options: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``crud.register_importer`` hook: segments from tracks/routes, POIs from waypoints."""
    from radweg.data.edit import prepare_import

    if kind == "segments":
        feats = segment_features(path, defaults, str(path))
    elif kind == "pois":
        feats = poi_features(path, defaults, str(path))
    elif kind == "neighbours":
        feats = neighbour_features(path, defaults, str(path))
    else:
        raise GpxError(f"{path}: GPX holds tracks, routes and waypoints; it cannot be imported as {kind}")
    return prepare_import({"type": "FeatureCollection", "features": feats}, kind, str(path), defaults)
