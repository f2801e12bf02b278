"""POIs near a point or along a line, within a corridor in metres."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from radweg.geometry import WGS84_A, WGS84_F, MetricFrame, distance_m, lonlat_arrays, step_lengths_m
from radweg.model import Line, Poi

if TYPE_CHECKING:
    from radweg.geometry import FloatArray


@dataclass(frozen=True)
class NearPoi:
    """A POI with its distance from a line (or point) and its position along the line."""

    poi: Poi
    offset_m: float
    along_m: float = 0.0


def near_point(pois: Sequence[Poi], point: Sequence[float], radius_m: float) -> list[NearPoi]:
    """POIs within ``radius_m`` of a lon/lat point, nearest first (ties by id)."""
    out = [NearPoi(p, distance_m(point, p.coords)) for p in pois]
    return sorted((n for n in out if n.offset_m <= radius_m), key=lambda n: (n.offset_m, n.poi.id))


def along_line(pois: Sequence[Poi], line: Line, corridor_m: float) -> list[NearPoi]:
    """POIs within ``corridor_m`` of a lon/lat line, in order along it (ties by id).

    The offset is planar (UTM metres); the distance along is geodesic up to the
    foot point. Only the POIs that a spatial index (:class:`PoiIndex`, built once per
    set of POIs and reused) finds near the line's bounding box are measured, so a
    file never looks at every POI.
    """
    if not pois or len(line) < 2:
        return []
    import numpy as np

    candidates = poi_index(pois).near_box(line, corridor_m)
    if not candidates:
        return []
    frame = MetricFrame.for_coords([line[0], line[len(line) // 2], line[-1]])
    xs, ys = frame.transform(*lonlat_arrays(line))
    ax, ay = xs[:-1], ys[:-1]
    dx, dy = xs[1:] - ax, ys[1:] - ay
    seg2 = dx * dx + dy * dy
    seg2[seg2 == 0] = np.inf  # zero-length steps: the foot is their start
    steps = step_lengths_m(line)
    cum = np.concatenate(([0.0], np.cumsum(steps)))
    pxs, pys = frame.transform(*lonlat_arrays([p.coords for p in candidates]))
    lo_x, hi_x, lo_y, hi_y = xs.min(), xs.max(), ys.min(), ys.max()
    out = []
    for poi, px, py in zip(candidates, pxs, pys, strict=False):
        if px < lo_x - corridor_m or px > hi_x + corridor_m or py < lo_y - corridor_m or py > hi_y + corridor_m:
            continue
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / seg2, 0.0, 1.0)
        d2 = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2
        k = int(np.argmin(d2))
        offset = float(np.sqrt(d2[k]))
        if offset <= corridor_m:
            out.append(NearPoi(poi, offset, float(cum[k] + t[k] * steps[k])))
    return sorted(out, key=lambda n: (n.along_m, n.poi.id))


_DEG_M = 111_000.0
"""Metres per degree of latitude, rounded down (so a box grown by it is never too small)."""


class PoiIndex:
    """An STRtree over POIs in lon/lat, answering "which POIs lie near this line's bounding box"."""

    def __init__(self, pois: Sequence[Poi]) -> None:
        import numpy as np
        import shapely

        self.pois = tuple(pois)
        xy = np.array([p.coords[:2] for p in self.pois], dtype=float).reshape(-1, 2)
        self.tree = shapely.STRtree(shapely.points(xy))

    def near_box(self, line: Line, margin_m: float) -> list[Poi]:
        """The POIs within the line's lon/lat bounding box grown by at least ``margin_m``, in input order."""
        import math

        import shapely

        lons, lats = lonlat_arrays(line)
        top = min(89.0, max(abs(float(lats.min())), abs(float(lats.max()))) + margin_m / _DEG_M)
        dlat = margin_m / _DEG_M * 1.01 + 1e-6
        dlon = dlat / max(math.cos(math.radians(top)), 1e-3)
        box = shapely.box(float(lons.min()) - dlon, float(lats.min()) - dlat, float(lons.max()) + dlon,
                          float(lats.max()) + dlat)
        return [self.pois[i] for i in sorted(self.tree.query(box).tolist())]


_INDEXES: dict[tuple[int, int, int, str], PoiIndex] = {}


def poi_index(pois: Sequence[Poi]) -> PoiIndex:
    """The index of these POIs, reused while equal POIs (in the same order) are asked about.

    Looked up by the count and the first and last POI's identity, then checked against the whole
    sequence (a tuple comparison, identity first: no geometry), so a changed list never gets a
    stale index. A few indexes are kept (a dataset's POIs, a stop list).
    """
    return _reused(_INDEXES, tuple(pois), "", PoiIndex)


_Index = TypeVar("_Index", "PoiIndex", "NearestPoiIndex")


def _reused(cache: dict[tuple[int, int, int, str], _Index], items: tuple[Poi, ...], kind: str,
            build: Callable[[tuple[Poi, ...]], _Index]) -> _Index:
    """The index ``cache`` holds for these POIs (and ``kind``), else a new one ``build`` makes; a few are kept."""
    key = (len(items), id(items[0]), id(items[-1]), kind) if items else (0, 0, 0, kind)
    index = cache.get(key)
    if index is None or not _same(index, items):
        if len(cache) >= 8:
            cache.pop(next(iter(cache)))
        index = cache[key] = build(items)
    return index


def _same(index: PoiIndex | NearestPoiIndex, items: tuple[Poi, ...]) -> bool:
    """True when ``index`` was built for these POIs; from then on it holds this very tuple, so that a
    caller asking again with it is answered without comparing the POIs once more."""
    if index.pois is items:
        return True
    if index.pois != items:
        return False
    index.pois = items
    return True


_EARTH_E2 = WGS84_F * (2 - WGS84_F)
"""The WGS84 ellipsoid's first eccentricity squared."""


def _ecef(lons: FloatArray, lats: FloatArray) -> FloatArray:
    """Earth-centred x, y, z in metres of lon/lat points on the WGS84 ellipsoid (height 0), one row each."""
    import numpy as np

    lam, phi = np.radians(lons), np.radians(lats)
    sin_phi = np.sin(phi)
    n = WGS84_A / np.sqrt(1.0 - _EARTH_E2 * sin_phi * sin_phi)
    return np.column_stack((n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam),
                            n * (1.0 - _EARTH_E2) * sin_phi))


class NearestPoiIndex:
    """The POIs of one type in an STRtree, answering "which is nearest (geodesic) to this point".

    The tree holds the POIs' Earth-centred x and y: the straight line between two points on the
    ellipsoid is never longer than the geodesic over its surface, so once one POI at geodesic distance
    d is known, every POI that could be as near lies within d (plus a millimetre for rounding) of the
    point in x, y and z. Those are measured; the answer is the one of measuring every POI.
    """

    def __init__(self, pois: Sequence[Poi], poi_type: str) -> None:
        import numpy as np
        import shapely

        self.pois = tuple(pois)
        self.poi_type = poi_type
        self.chosen = [p for p in self.pois if p.type == poi_type]
        xy = np.array([p.coords[:2] for p in self.chosen], dtype=float).reshape(-1, 2)
        self.xyz = _ecef(xy[:, 0], xy[:, 1])
        self.tree = shapely.STRtree(shapely.points(self.xyz[:, 0], self.xyz[:, 1])) if self.chosen else None

    def nearest(self, point: Sequence[float]) -> tuple[Poi, float] | None:
        """The POI nearest to a lon/lat point, with the geodesic distance in metres (ties: the smaller id,
        then the earlier POI); None without POIs of the type."""
        import numpy as np
        import shapely

        if self.tree is None:
            return None
        q = _ecef(np.array([float(point[0])]), np.array([float(point[1])]))[0]
        first = int(self.tree.query_nearest(shapely.Point(q[0], q[1]))[0])
        reach = distance_m(self.chosen[first].coords, point) * (1 + 1e-9) + 1e-3
        box = shapely.box(q[0] - reach, q[1] - reach, q[0] + reach, q[1] + reach)
        near = np.sort(self.tree.query(box))
        near = near[np.linalg.norm(self.xyz[near] - q, axis=1) <= reach]
        best: tuple[Poi, float] | None = None
        for i in near.tolist():  # in input order, as a scan of every POI meets them
            p = self.chosen[i]
            d = distance_m(p.coords, point)
            if best is None or d < best[1] or (d == best[1] and p.id < best[0].id):
                best = (p, d)
        assert best is not None  # the first candidate itself lies within reach
        return best


_NEAREST: dict[tuple[int, int, int, str], NearestPoiIndex] = {}


def nearest_index(pois: Sequence[Poi], poi_type: str) -> NearestPoiIndex:
    """The nearest-POI index of these POIs' ``poi_type``, reused like :func:`poi_index`."""
    return _reused(_NEAREST, tuple(pois), poi_type, lambda items: NearestPoiIndex(items, poi_type))


def along_parts(pois: Sequence[Poi], parts: Sequence[Line], corridor_m: float) -> list[NearPoi]:
    """POIs within ``corridor_m`` of any of the parts of a line with gaps, in order along it.

    The distance along is ridden distance: the parts follow each other with
    nothing between them. A POI near several parts is listed once, at the
    part it is nearest to (the earlier one on a tie).
    """
    from radweg.geometry import line_length_m

    best: dict[str, NearPoi] = {}
    start = 0.0
    for part in parts:
        for near in along_line(pois, part, corridor_m):
            placed = NearPoi(near.poi, near.offset_m, start + near.along_m)
            old = best.get(near.poi.id)
            if old is None or placed.offset_m < old.offset_m:
                best[near.poi.id] = placed
        start += line_length_m(part)
    return sorted(best.values(), key=lambda n: (n.along_m, n.poi.id))
