"""POIs near a point or along a line, within a corridor in metres."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from radweg.geometry import MetricFrame, distance_m, lonlat_arrays, step_lengths_m
from radweg.model import Line, Poi


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


_INDEXES: dict[tuple[int, int, int], PoiIndex] = {}


def poi_index(pois: Sequence[Poi]) -> PoiIndex:
    """The index of these POIs, reused while equal POIs (in the same order) are asked about.

    Looked up by the count and the first and last POI's identity, then checked against the whole
    sequence (a tuple comparison, identity first: no geometry), so a changed list never gets a
    stale index. A few indexes are kept (a dataset's POIs, a stop list).
    """
    items = tuple(pois)
    key = (len(items), id(items[0]), id(items[-1])) if items else (0, 0, 0)
    index = _INDEXES.get(key)
    if index is None or index.pois != items:
        if len(_INDEXES) >= 8:
            _INDEXES.pop(next(iter(_INDEXES)))
        index = _INDEXES[key] = PoiIndex(items)
    return index


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
