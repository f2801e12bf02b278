"""Administrative boundaries: read polygon layers and split segment lengths by the areas they cross.

::

    from radweg.boundaries import BoundarySource, read_areas, split_segments

    areas = read_areas([BoundarySource(Path("Einheitsgemeinde.zip"), "GN_KLAR", "VSN_KLAR=15087*")])
    split = split_segments(ds.segments.items, areas)
    split.by_area_m        # {"Sangerhausen": 41234.5, …, OUTSIDE: 0.0}

Layers are anything GDAL reads (Shapefile, a ``.zip`` holding one, GeoPackage,
GeoJSON), in any CRS: polygons are reprojected to WGS84 lon/lat. Each segment
is cut at the polygon edges and every piece is measured geodesically, so a
segment through three municipalities counts in all three and the pieces add
up to the segment's length. Where polygons overlap, the first area (in the
order of the sources, then of the file) takes the piece; what lies in no
polygon is counted under :data:`OUTSIDE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.errors import DataError, Problem
from radweg.model import Segment

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

OUTSIDE = "(outside the boundaries)"
"""The key for pieces of segments that lie in no polygon."""

NAME_FIELDS = ("name", "NAME", "GN_KLAR", "GEN", "gen", "name_de")
"""Name fields tried, in this order, when a source names none (LVermGeo: GN_KLAR; BKG VG250: GEN)."""

EPSILON_M = 0.01
"""Pieces shorter than this are slivers of the cut (floating point), not part of the split."""

MIN_SHARE_M = 50.0
"""A segment's ``municipality`` ignores pieces shorter than this (a junction on a border)."""


@dataclass(frozen=True)
class BoundarySource:
    """One polygon layer: its file, the field with the area names, and an optional ``FIELD=VALUE`` filter.

    The filter keeps features whose FIELD equals VALUE, or starts with it when
    VALUE ends in ``*`` (``VSN_KLAR=15087*``: the municipalities of Landkreis
    Mansfeld-Südharz).
    """

    path: Path
    name_field: str | None = None
    filter: str | None = None


@dataclass(frozen=True)
class Area:
    """One named polygon in WGS84 lon/lat."""

    name: str
    layer: str
    geometry: BaseGeometry


@dataclass
class Split:
    """Segment lengths split by area, in metres (geodesic)."""

    per_segment: dict[str, dict[str, float]] = field(default_factory=dict)
    """segment id -> area name (or OUTSIDE) -> metres, in the order the segment enters them."""

    def by_area_m(self) -> dict[str, float]:
        """Metres per area over all segments, sorted by name, OUTSIDE last (only when there is some)."""
        out: dict[str, float] = {}
        for parts in self.per_segment.values():
            for name, m in parts.items():
                out[name] = out.get(name, 0.0) + m
        return _ordered(out)

    def by_area_and_key(self, keys: Mapping[str, str]) -> dict[str, dict[str, float]]:
        """Metres per area and per a segment property (e.g. status: ``keys`` maps segment id -> value)."""
        out: dict[str, dict[str, float]] = {}
        for sid, parts in self.per_segment.items():
            for name, m in parts.items():
                row = out.setdefault(name, {})
                row[keys[sid]] = row.get(keys[sid], 0.0) + m
        return {name: dict(sorted(row.items())) for name, row in _ordered(out).items()}


def _ordered(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in sorted(d, key=lambda k: (k == OUTSIDE, k))}


def parse_sources(setting: Any, root: Path, file: str = "radweg.json") -> list[BoundarySource]:
    """The ``boundaries`` setting (a list of ``{path, name_field, filter}``), paths relative to ``root``."""
    if setting is None:
        return []
    if not isinstance(setting, list):
        raise DataError(Problem(file, "must be a list of {\"path\": …, \"name_field\": …}", field="boundaries"))
    out = []
    for i, entry in enumerate(setting):
        where = f"boundaries[{i}]"
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not entry["path"]:
            raise DataError(Problem(file, "must be an object with a \"path\"", field=where))
        unknown = sorted(set(entry) - {"path", "name_field", "filter"})
        if unknown:
            raise DataError(Problem(file, f"unknown key(s) {', '.join(unknown)}", field=where))
        for key in ("name_field", "filter"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise DataError(Problem(file, "must be a string", field=f"{where}.{key}"))
        out.append(BoundarySource(root / entry["path"], entry.get("name_field"), entry.get("filter")))
    return out


def _parse_filter(text: str, file: str) -> tuple[str, str, bool]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise DataError(Problem(file, f"filter {text!r} is not FIELD=VALUE or FIELD=PREFIX*", field="filter"))
    value = value.strip()
    prefix = value.endswith("*")
    return name.strip(), value[:-1] if prefix else value, prefix


def read_areas(sources: Sequence[BoundarySource], *,
               bbox: tuple[float, float, float, float] | None = None) -> list[Area]:
    """The named polygons of every source, reprojected to WGS84; only those meeting ``bbox`` (lon/lat) if given.

    Raises DataError naming the file (and the field) for an unreadable layer, a
    missing CRS, a missing name field or a feature without a name.
    """
    areas: list[Area] = []
    for src in sources:
        areas += _read_one(src, bbox)
    return areas


def _read_one(src: BoundarySource, bbox: tuple[float, float, float, float] | None) -> list[Area]:
    if src.path.suffix.lower() in (".geojson", ".json") and src.path.is_file():
        fast = read_json_layer(src, bbox)
        if fast is not None:
            return fast
    return read_gdal_layer(src, bbox)


def read_json_layer(src: BoundarySource, bbox: tuple[float, float, float, float] | None) -> list[Area] | None:
    """An RFC 7946 GeoJSON layer (WGS84) read with json and shapely, without GDAL; None for anything else
    (an old-style ``crs`` member, not a FeatureCollection), which GDAL then reads."""
    import json

    from shapely.geometry import box, shape

    file = str(src.path)
    try:
        obj = json.loads(src.path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection" or "crs" in obj:
        return None
    feats = [f for f in obj.get("features") or [] if isinstance(f, dict)]
    fields = sorted({k for f in feats for k in (f.get("properties") or {})})
    name_field = _name_field(src, fields, file)
    flt = _parse_filter(src.filter, file) if src.filter else None
    if flt is not None and flt[0] not in fields:
        raise DataError(Problem(file, f"no such field; the layer has {', '.join(fields)}", field=flt[0]))
    area = box(*bbox) if bbox is not None else None
    out = []
    for i, f in enumerate(feats):
        props = f.get("properties") or {}
        if flt is not None and not _keep(props.get(flt[0]), flt):
            continue
        try:
            geom = shape(f["geometry"]) if f.get("geometry") else None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError(Problem(file, f"not a polygon: {exc}", feature=f"#{i}", field="geometry")) from exc
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        if area is not None and not geom.intersects(area):
            continue
        out.append(_area(props.get(name_field), geom, src.path.name, file, i, name_field))
    return out


def _name_field(src: BoundarySource, fields: Sequence[str], file: str) -> str:
    name_field = src.name_field or next((f for f in NAME_FIELDS if f in fields), None)
    if name_field is None:
        raise DataError(Problem(file, f"no name field found (tried {', '.join(NAME_FIELDS)}); "
                                      f"give one of {', '.join(fields)}", field="name_field"))
    if name_field not in fields:
        raise DataError(Problem(file, f"no such field; the layer has {', '.join(fields)}", field=name_field))
    return name_field


def _keep(value: Any, flt: tuple[str, str, bool]) -> bool:
    text = "" if value is None else str(value)
    return text.startswith(flt[1]) if flt[2] else text == flt[1]


def _area(name: Any, geom: Any, layer: str, file: str, i: int, name_field: str) -> Area:
    if name is None or (isinstance(name, float) and name != name) or not str(name).strip():
        raise DataError(Problem(file, "has no name", feature=f"#{i}", field=name_field))
    return Area(str(name).strip(), layer, geom if geom.is_valid else geom.buffer(0))


def read_gdal_layer(src: BoundarySource, bbox: tuple[float, float, float, float] | None) -> list[Area]:
    """Any layer GDAL reads (through pyogrio), reprojected to WGS84 from its CRS."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError
    from shapely.geometry import box

    file = str(src.path)
    if not src.path.exists():
        raise DataError(Problem(file, "no such file"))
    try:
        info = pyogrio.read_info(src.path)
        fields = [str(f) for f in info["fields"]]
        crs = info.get("crs")
        if crs is None and src.path.suffix.lower() not in (".geojson", ".json"):
            raise DataError(Problem(file, "the layer has no CRS (is the .prj missing?)"))
        name_field = _name_field(src, fields, file)
        flt = _parse_filter(src.filter, file) if src.filter else None
        if flt is not None and flt[0] not in fields:
            raise DataError(Problem(file, f"no such field; the layer has {', '.join(fields)}", field=flt[0]))
        columns = [name_field] + ([flt[0]] if flt and flt[0] != name_field else [])
        frame = pyogrio.read_dataframe(src.path, columns=columns)
    except (DataSourceError, DataLayerError) as exc:
        raise DataError(Problem(file, f"cannot read the layer: {exc}")) from exc
    if crs is not None:
        frame = frame.to_crs(4326)
    area = box(*bbox) if bbox is not None else None
    layer = src.path.name
    out = []
    for i, row in enumerate(frame.itertuples(index=False)):
        rec = row._asdict()
        if flt is not None and not _keep(rec[flt[0]], flt):
            continue
        geom = rec["geometry"]
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        if area is not None and not geom.intersects(area):
            continue
        out.append(_area(rec[name_field], geom, layer, file, i, name_field))
    return out


def split_line(coords: Sequence[Sequence[float]], areas: Sequence[Area], index: Any | None = None) -> dict[str, float]:
    """Geodesic metres of a line inside each area (first area wins on overlaps) and under OUTSIDE.

    ``index`` is an optional ``shapely.STRtree`` over the areas' geometries.
    Keys come in the order in which the line enters the areas.
    """
    from shapely.geometry import LineString

    from radweg.geometry import line_length_m

    line = LineString([(p[0], p[1]) for p in coords])
    candidates = list(range(len(areas))) if index is None else sorted(int(i) for i in index.query(line))
    rest: BaseGeometry = line
    found: list[tuple[float, str, float]] = []  # (where along the line, name, metres)
    for i in candidates:
        if rest.is_empty:
            break
        a = areas[i]
        if a.geometry.contains(rest):  # the usual case, cheap on a prepared polygon: no cut needed
            inside, rest = rest, LineString()
        elif a.geometry.intersects(rest):
            inside = rest.intersection(a.geometry)
            rest = rest.difference(a.geometry)
        else:
            continue
        metres = _length(inside, line_length_m)
        if metres > EPSILON_M:
            found.append((_first_along(line, inside), a.name, metres))
    outside = _length(rest, line_length_m)
    out: dict[str, float] = {}
    for _, name, metres in sorted(found, key=lambda t: t[0]):
        out[name] = out.get(name, 0.0) + metres
    if outside > EPSILON_M:
        out[OUTSIDE] = outside
    return out


def _first_along(line: Any, geom: Any) -> float:
    from shapely.geometry import Point

    pts = [Point(c) for part in getattr(geom, "geoms", [geom]) for c in getattr(part, "coords", [])[:1]]
    return min((line.project(p) for p in pts), default=0.0)


def _length(geom: Any, measure: Any) -> float:
    total = 0.0
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "LineString" and not part.is_empty:
            total += measure(list(part.coords))
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            total += _length(part, measure)
    return total


def split_segments(segments: Iterable[Segment], areas: Sequence[Area]) -> Split:
    """Every segment's length split by the areas it crosses."""
    from shapely import STRtree, prepare

    for a in areas:
        prepare(a.geometry)  # in place; makes contains/intersects fast for every segment
    index = STRtree([a.geometry for a in areas]) if areas else None
    split = Split()
    for seg in segments:
        split.per_segment[seg.id] = split_line(seg.coords, areas, index) if areas else {
            OUTSIDE: _total(seg)}
    return split


def _total(seg: Segment) -> float:
    from radweg.geometry import line_length_m

    return line_length_m(seg.coords)


def municipality_of(parts: Mapping[str, float], *, min_m: float = MIN_SHARE_M) -> str | None:
    """A segment's ``municipality`` value: the one area it lies in, or ``"A / B"`` in riding order.

    Pieces shorter than ``min_m`` (a junction on a border) are ignored, and so
    are pieces outside every area; None when nothing is left.
    """
    names = [n for n, m in parts.items() if n != OUTSIDE and m >= min_m]
    if not names:
        names = [n for n, m in parts.items() if n != OUTSIDE and m > 0][:1]
    return " / ".join(names) or None


def read_polygon(path: Path) -> BaseGeometry:
    """The union of every polygon in a file (any CRS), in WGS84 lon/lat; DataError when it holds none."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError
    from shapely import union_all

    file = str(path)
    if not path.is_file():
        raise DataError(Problem(file, "no such file"))
    try:
        frame = pyogrio.read_dataframe(path, columns=[])
    except (DataSourceError, DataLayerError) as exc:
        raise DataError(Problem(file, f"cannot read the layer: {exc}")) from exc
    if frame.crs is not None:
        frame = frame.to_crs(4326)
    polys = [g if g.is_valid else g.buffer(0) for g in frame.geometry
             if g is not None and g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        raise DataError(Problem(file, "holds no polygon", field="geometry"))
    return union_all(polys)
