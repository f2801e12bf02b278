"""Read and write the data files as deterministic RFC 7946 GeoJSON.

Each data file is one FeatureCollection. Features are sorted by ``id``;
properties come in the order of the model's fields (missing ones as null),
then any extra properties sorted by name. Longitude and latitude are rounded
to 6 decimals (about 0.1 m), elevation to 0.1 m. Each position sits on one
line, so a git diff shows exactly the vertices that moved. Loading and saving
unchanged data gives the same bytes.

Parsing never stops at the first problem: every problem is collected with the
file, the feature (id or index) and the field it concerns.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from radweg.errors import Problem, StorageError
from radweg.geometry import round_position
from radweg.io.files import JsonProblem, decode_json, has_bad_text, read_limited
from radweg.io.text import shorten
from radweg.model import (
    GEOMETRY_QUALITIES,
    NETWORK_LEVELS,
    OSM_ID_PATTERN,
    POI_TYPES,
    STATUSES,
    SURFACES,
    WAY_TYPES,
    Collection,
    Leg,
    Line,
    Neighbour,
    Place,
    Poi,
    Position,
    Segment,
    Stage,
    Tour,
    is_valid_id,
)

DATA_KINDS = ("segments", "tours", "pois", "neighbours")


class _Ctx:
    """Where we are while parsing, for problem messages."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.feature: str | None = None

    def add(self, message: str, field: str | None = None, *, feature: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, feature or self.feature, field))


# ---------------------------------------------------------------- reading


def decode(raw: bytes, file: str) -> tuple[Any, list[Problem]]:
    """Bytes to a JSON value, or a problem naming the exact place.

    Strict (:func:`radweg.io.files.decode_json`): duplicate keys, lone
    surrogates, nesting deeper than 64 levels and integers of thousands of
    digits are problems, not exceptions.
    """
    try:
        return decode_json(raw), []
    except JsonProblem as exc:
        return None, [Problem(file, str(exc))]


def parse_collection(raw: bytes, kind: str, file: str) -> tuple[Collection, list[Problem]]:
    """Parse one data file of the given kind; return what could be read and every problem."""
    obj, problems = decode(raw, file)
    if obj is None:
        return Collection(), problems
    return parse_object(obj, kind, file)


def parse_features(features: list[Any], kind: str, file: str) -> tuple[Collection, list[Problem]]:
    """Parse feature dicts made in memory (by an importer, from the command line) as if read from ``file``.

    They go through JSON once, so that tuples and other Python values are
    checked exactly as a file's JSON would be.
    """
    try:
        text = json.dumps(features, ensure_ascii=False, allow_nan=True)
        text.encode("utf-8")  # fails, at C speed, only when some text holds a lone surrogate
        copy = json.loads(text)
        del text  # a large import: free the text before parsing
    except UnicodeEncodeError:
        return Collection(), [Problem(file, has_bad_text(features) or "text that is not Unicode")]
    except (TypeError, ValueError, RecursionError) as exc:
        return Collection(), [Problem(file, f"not JSON data: {shorten(str(exc), 120)}")]
    return parse_object({"type": "FeatureCollection", "features": copy}, kind, file)


def parse_object(obj: Any, kind: str, file: str) -> tuple[Collection, list[Problem]]:
    """Parse a decoded FeatureCollection of the given kind; return what could be read and every problem."""
    problems: list[Problem] = []
    coll = Collection()
    ctx = _Ctx(file, problems)
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        ctx.add("not a GeoJSON FeatureCollection")
        return coll, problems
    if "crs" in obj:
        ctx.add("the 'crs' member is not allowed in RFC 7946 GeoJSON; coordinates must be WGS84 lon/lat", "crs")
    meta = obj.get("metadata", {})
    if not isinstance(meta, dict):
        ctx.add("must be an object", "metadata")
        meta = {}
    coll.metadata = meta
    features = obj.get("features")
    if not isinstance(features, list):
        ctx.add("must be a list", "features")
        return coll, problems
    parser = _PARSERS[kind]
    seen: dict[str, int] = {}
    for index, feat in enumerate(features):
        ctx.feature = f"#{index}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            ctx.add("not a GeoJSON Feature")
            continue
        props = feat.get("properties")
        if not isinstance(props, dict):
            ctx.add("must be an object", "properties")
            continue
        fid = props.get("id")
        if isinstance(fid, str) and fid:
            ctx.feature = f"'{shorten(fid)}' (#{index})"
        before = len(problems)
        item = parser(feat, props, ctx)
        if item is None or len(problems) > before:
            continue
        if item.id in seen:
            ctx.add(f"duplicate id '{item.id}' (also feature #{seen[item.id]})", "id")
            continue
        seen[item.id] = index
        coll.items.append(item)
    coll.items.sort(key=lambda it: it.id)
    return coll, problems


def read_collection(path: Path, kind: str, file: str | None = None) -> tuple[Collection, list[Problem]]:
    """Read a data file; a missing file is an empty collection."""
    name = file or str(path)
    if not os.path.lexists(path):
        return Collection(), []
    try:
        raw = read_limited(path, name)
    except StorageError as exc:
        return Collection(), [Problem(name, str(exc).removeprefix(f"{name}: "))]
    return parse_collection(raw, kind, name)


def _id(props: dict[str, Any], ctx: _Ctx) -> str | None:
    fid = props.get("id")
    if not isinstance(fid, str) or not fid:
        ctx.add("missing; every feature needs a string id", "id")
        return None
    problem = id_problem(fid)
    if problem:
        ctx.add(problem, "id")
        return None
    return fid


RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                            *(f"lpt{i}" for i in range(10))})
"""Names Windows reserves for devices: an id becomes a file name (GPX export), so these are refused."""


def id_problem(fid: str) -> str | None:
    """Why ``fid`` is not a valid id (shortened in the message), or None."""
    if not is_valid_id(fid):
        return f"'{shorten(fid)}' is not a valid id (lowercase letters, digits, '-' and '_', at most 80)"
    if fid.split(".")[0] in RESERVED_NAMES:
        return f"'{fid}' is a reserved device name on Windows and cannot be a file name; choose another id"
    return None


def _text(props: dict[str, Any], name: str, ctx: _Ctx, *, required: bool = False) -> str | None:
    value = props.get(name)
    if value is None or value == "":
        if required:
            ctx.add("missing", name)
        return None
    if not isinstance(value, str):
        ctx.add(f"must be text, not {type(value).__name__}", name)
        return None
    return value


def _choice(props: dict[str, Any], name: str, allowed: tuple[str, ...], ctx: _Ctx,
            *, required: bool = False) -> str | None:
    value = _text(props, name, ctx, required=required)
    if value is not None and value not in allowed:
        ctx.add(f"unknown value '{shorten(value)}'; expected one of {', '.join(allowed)}", name)
        return None
    return value


MIN_HEIGHT_M = -1000.0
MAX_HEIGHT_M = 9000.0
"""Heights (elevations, ``height_m``) outside this range are errors wherever they come from."""


def finite(value: Any) -> float | None:
    """A JSON number as a finite float, or None (booleans, NaN, infinity, integers too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"an integer of {len(str(abs(value)))} digits"
    return shorten(repr(value))


def _number(props: dict[str, Any], name: str, ctx: _Ctx) -> float | None:
    value = props.get(name)
    if value is None:
        return None
    number = finite(value)
    if number is None:
        ctx.add(f"must be a finite number, not {_show(value)}", name)
        return None
    if name == "height_m" and not MIN_HEIGHT_M <= number <= MAX_HEIGHT_M:
        ctx.add(f"{number:g} m is outside {MIN_HEIGHT_M:g}…{MAX_HEIGHT_M:g} m", name)
        return None
    return value if isinstance(value, (int, float)) else number


def _position(value: Any, ctx: _Ctx, where: str, field: str = "geometry") -> Position | None:
    if not isinstance(value, list) or len(value) not in (2, 3):
        ctx.add(f"{where}: a position must be [lon, lat] or [lon, lat, ele], got {_brief(value)}", field)
        return None
    for v in value:
        if type(v) is float and -1e308 <= v <= 1e308:  # the common case, fast (false for NaN and infinity)
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            ctx.add(f"{where}: coordinates must be numbers, got {_show(v)}", field)
            return None
        if finite(v) is None:
            ctx.add(f"{where}: coordinate is {_show(v)} "
                    "(NaN and infinity are not allowed, nor numbers too large for a float)", field)
            return None
    lon, lat = value[0], value[1]
    if len(value) == 3 and not MIN_HEIGHT_M <= value[2] <= MAX_HEIGHT_M:
        ctx.add(f"{where}: elevation {float(value[2]):g} m is outside {MIN_HEIGHT_M:g}…{MAX_HEIGHT_M:g} m", field)
        return None
    if not -90.0 <= lat <= 90.0:
        hint = " (latitude and longitude swapped? GeoJSON is [lon, lat])" if -90 <= lon <= 90 else ""
        ctx.add(f"{where}: latitude {lat} is out of range -90..90{hint}", field)
        return None
    if not -180.0 <= lon <= 180.0:
        ctx.add(f"{where}: longitude {lon} is out of range -180..180", field)
        return None
    return round_position(value)


def _brief(value: Any) -> str:
    try:
        return shorten(json.dumps(value), 60)
    except (TypeError, ValueError, RecursionError):
        return type(value).__name__


def _line(coords: Any, ctx: _Ctx, where: str = "") -> Line | None:
    label = where or "LineString"
    if not isinstance(coords, list):
        ctx.add(f"{label}: coordinates must be a list of positions", "geometry")
        return None
    pts: list[Position] = []
    for i, value in enumerate(coords):
        pos = _position(value, ctx, f"{label} position {i}")
        if pos is None:
            return None
        pts.append(pos)
    if len(pts) < 2:
        ctx.add(f"{label} needs at least 2 positions, has {len(pts)}", "geometry")
        return None
    if len({len(p) for p in pts}) > 1:
        ctx.add(f"{label}: mixes positions with and without elevation", "geometry")
        return None
    if len({p[:2] for p in pts}) < 2:
        ctx.add(f"{label} has zero length (all positions are the same)", "geometry")
        return None
    return tuple(pts)


def _geometry(feat: dict[str, Any], allowed: tuple[str, ...], ctx: _Ctx) -> dict[str, Any] | None:
    geom = feat.get("geometry")
    if not isinstance(geom, dict):
        ctx.add(f"missing; expected {' or '.join(allowed)}", "geometry")
        return None
    gtype = geom.get("type")
    if gtype not in allowed:
        ctx.add(f"wrong geometry type {gtype!r}; expected {' or '.join(allowed)}", "geometry")
        return None
    return geom


def _parse_segment(feat: dict[str, Any], props: dict[str, Any], ctx: _Ctx) -> Segment | None:
    fid = _id(props, ctx)
    name = _text(props, "name", ctx, required=True)
    status = _choice(props, "status", STATUSES, ctx, required=True)
    surface = _choice(props, "surface", SURFACES, ctx)
    way_type = _choice(props, "way_type", WAY_TYPES, ctx)
    texts = {k: _text(props, k, ctx) for k in ("municipality", "source", "notes", "updated")}
    geom = _geometry(feat, ("LineString",), ctx)
    line = _line(geom.get("coordinates"), ctx) if geom else None
    if fid is None or name is None or status is None or line is None:
        return None
    return Segment(fid, name, line, status, surface, way_type, **texts, extra=_extra(props, Segment.FIELDS))


def _parse_poi(feat: dict[str, Any], props: dict[str, Any], ctx: _Ctx) -> Poi | None:
    fid = _id(props, ctx)
    name = _text(props, "name", ctx, required=True)
    ptype = _choice(props, "type", POI_TYPES, ctx, required=True)
    texts = {k: _text(props, k, ctx) for k in ("description", "description_en", "website", "source")}
    height = _number(props, "height_m", ctx)
    approx = props.get("approx", False)
    if approx is None:
        approx = False
    if not isinstance(approx, bool):
        ctx.add(f"must be true or false, not {_show(approx)}", "approx")
    osm_id = _text(props, "osm_id", ctx)
    if osm_id is not None and not OSM_ID_PATTERN.match(osm_id):
        ctx.add(f"must be node/ID, way/ID, relation/ID or area/ID, not {_show(osm_id)}", "osm_id")
        osm_id = None
    geom = _geometry(feat, ("Point",), ctx)
    pos = _position(geom.get("coordinates"), ctx, "Point") if geom else None
    if fid is None or name is None or ptype is None or pos is None:
        return None
    return Poi(fid, name, ptype, pos, texts["description"], texts["description_en"], height,
               texts["website"], texts["source"], bool(approx), osm_id, extra=_extra(props, Poi.FIELDS))


def _parse_neighbour(feat: dict[str, Any], props: dict[str, Any], ctx: _Ctx) -> Neighbour | None:
    fid = _id(props, ctx)
    name = _text(props, "name", ctx, required=True)
    network = _choice(props, "network", NETWORK_LEVELS, ctx)
    texts = {k: _text(props, k, ctx) for k in ("ref", "website", "operator", "source", "notes")}
    quality = _choice(props, "geometry", GEOMETRY_QUALITIES, ctx)
    osm_id = props.get("osm_id")
    if osm_id is not None and (isinstance(osm_id, bool) or not isinstance(osm_id, int)):
        ctx.add(f"must be an integer, not {_show(osm_id)}", "osm_id")
        osm_id = None
    geom = _geometry(feat, ("LineString", "MultiLineString"), ctx)
    lines: list[Line] = []
    if geom:
        coords = geom.get("coordinates")
        if geom["type"] == "LineString":
            parts = [coords]
        elif isinstance(coords, list) and coords:
            parts = coords
        else:
            ctx.add("MultiLineString needs at least one line", "geometry")
            parts = []
        for i, part in enumerate(parts):
            where = "LineString" if geom["type"] == "LineString" else f"line {i}"
            line = _line(part, ctx, where)
            if line is None:
                return None
            lines.append(line)
    if fid is None or name is None or not lines:
        return None
    return Neighbour(fid, name, tuple(lines), network, texts["ref"], texts["website"], texts["operator"],
                     osm_id, texts["source"], texts["notes"], quality, extra=_extra(props, Neighbour.FIELDS))


def _parse_place(value: Any, ctx: _Ctx, field: str) -> Place | None:
    if not isinstance(value, dict):
        ctx.add("must be an object with 'name' and 'coordinates'", field)
        return None
    name = value.get("name") or ""
    if not isinstance(name, str):
        ctx.add("name must be text", field)
        return None
    pos = _position(value.get("coordinates"), ctx, "coordinates", field)
    return Place(name, pos) if pos else None


def _parse_tour(feat: dict[str, Any], props: dict[str, Any], ctx: _Ctx) -> Tour | None:
    fid = _id(props, ctx)
    name = _text(props, "name", ctx, required=True)
    texts = {k: _text(props, k, ctx) for k in ("name_en", "description", "description_en")}
    if feat.get("geometry") is not None:
        ctx.add("a tour has no geometry of its own (null); it is made of its segments", "geometry")
    raw_legs = props.get("segments")
    legs: list[Leg] = []
    if not isinstance(raw_legs, list) or not raw_legs:
        ctx.add("must be a non-empty list of segment ids ('id' or 'id:r' for reversed)", "segments")
    else:
        for i, text in enumerate(raw_legs):
            leg = Leg.parse(text) if isinstance(text, str) else None
            if leg is None or not is_valid_id(leg.segment):
                ctx.add(f"entry {i} ({_show(text)}) is not a segment id", "segments")
                continue
            legs.append(leg)
    stages: list[Stage] = []
    raw_stages = props.get("stages", [])
    if raw_stages is None:
        raw_stages = []
    if not isinstance(raw_stages, list):
        ctx.add("must be a list", "stages")
        raw_stages = []
    stage_ids: set[str] = set()
    for i, raw in enumerate(raw_stages):
        label = f"stages[{i}]"
        if not isinstance(raw, dict):
            ctx.add("must be an object", label)
            continue
        sid = raw.get("id")
        if not isinstance(sid, str):
            ctx.add(f"id {_show(sid)} is not a valid id", label)
            continue
        bad_id = id_problem(sid)
        if bad_id:
            ctx.add(bad_id, label)
            continue
        if sid in stage_ids:
            ctx.add(f"duplicate stage id '{sid}'", label)
            continue
        stage_ids.add(sid)
        sname = raw.get("name")
        if not isinstance(sname, str) or not sname:
            ctx.add("name missing", label)
            continue
        start = _parse_place(raw.get("start"), ctx, f"{label}.start")
        end = _parse_place(raw.get("end"), ctx, f"{label}.end")
        if start and end:
            stages.append(Stage(sid, sname, start, end))
    if fid is None or name is None or not legs:
        return None
    return Tour(fid, name, tuple(legs), tuple(stages), texts["name_en"], texts["description"],
                texts["description_en"], extra=_extra(props, Tour.FIELDS))


def _extra(props: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in known}


_PARSERS: dict[str, Callable[[dict[str, Any], dict[str, Any], _Ctx], Any]] = {
    "segments": _parse_segment,
    "pois": _parse_poi,
    "neighbours": _parse_neighbour,
    "tours": _parse_tour,
}


# ---------------------------------------------------------------- writing


def _props(item: Any, fields: tuple[str, ...], values: dict[str, Any] | None = None) -> dict[str, Any]:
    values = values or {}
    out = {f: values[f] if f in values else getattr(item, f) for f in fields}
    for key in sorted(item.extra):
        out[key] = item.extra[key]
    return out


def _pos(p: Position) -> list[float]:
    return list(round_position(p))


def feature(item: Any) -> dict[str, Any]:
    """The GeoJSON Feature for a model object."""
    if isinstance(item, Segment):
        geometry: dict[str, Any] | None = {"type": "LineString", "coordinates": [_pos(p) for p in item.coords]}
        props = _props(item, Segment.FIELDS)
    elif isinstance(item, Poi):
        geometry = {"type": "Point", "coordinates": _pos(item.coords)}
        props = _props(item, Poi.FIELDS)
    elif isinstance(item, Neighbour):
        if len(item.lines) == 1:
            geometry = {"type": "LineString", "coordinates": [_pos(p) for p in item.lines[0]]}
        else:
            geometry = {"type": "MultiLineString",
                        "coordinates": [[_pos(p) for p in line] for line in item.lines]}
        props = _props(item, Neighbour.FIELDS)
    elif isinstance(item, Tour):
        geometry = None
        stages = [
            {"id": s.id, "name": s.name,
             "start": {"name": s.start.name, "coordinates": _pos(s.start.coords)},
             "end": {"name": s.end.name, "coordinates": _pos(s.end.coords)}}
            for s in item.stages
        ]
        props = _props(item, Tour.FIELDS, {"segments": [str(leg) for leg in item.legs], "stages": stages})
    else:  # pragma: no cover - programming error
        raise TypeError(f"cannot serialise {type(item).__name__}")
    return {"type": "Feature", "properties": props, "geometry": geometry}


# Only arrays that json.dumps spread over several lines: a JSON string never holds a raw newline,
# so text inside strings is never touched.
_NUMBER_ARRAY = re.compile(r"\[\n\s*(-?[0-9][0-9.eE+-]*(?:,\n\s*-?[0-9][0-9.eE+-]*)*)\n\s*\]")


def _compact_number_arrays(text: str) -> str:
    return _NUMBER_ARRAY.sub(lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)


def dumps(obj: Any) -> str:
    """Deterministic JSON text: 2-space indent, number arrays on one line, final newline."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False)
    return _compact_number_arrays(text) + "\n"


def dump_collection(coll: Collection) -> str:
    """The file text for a collection: metadata first, features sorted by id."""
    items = sorted(coll.items, key=lambda it: it.id)
    obj: dict[str, Any] = {"type": "FeatureCollection"}
    if coll.metadata:
        obj["metadata"] = coll.metadata
    obj["features"] = [feature(it) for it in items]
    return dumps(obj)
