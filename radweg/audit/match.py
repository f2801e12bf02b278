"""Where things lie along an audited line: distances and km of points, and the street under every 10 m.

A :class:`Along` holds one stage's parts in a metric frame (UTM). Points are
measured against it (planar distance, position along scaled to the geodesic
length). :meth:`Along.samples` puts a sample every :data:`STEP_M` metres;
:func:`match_edges` finds for each the network edge (or OSM way) under it:
the nearest within :data:`MATCH_M` metres whose direction agrees with the
line's, so a sample at a junction takes the street the route follows, not the
one it crosses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from radweg.model import Line

STEP_M = 10.0
"""Distance between samples along the line."""

DENSIFY_M = 50.0
"""Longest step of the line before it is projected to metres."""

MATCH_M = 12.0
"""A sample matches a street whose centre line is at most this far away."""


@dataclass(frozen=True)
class Sample:
    """A point every STEP_M metres: its km on the tour, position and travel direction (unit vector, metric)."""

    km: float
    lon: float
    lat: float
    dx: float
    dy: float


class Along:
    """One stage's line (its parts) in a metric frame; ``start_km`` is where it begins on the tour."""

    def __init__(self, parts: Sequence[Line], start_km: float) -> None:
        import shapely
        from shapely.geometry import LineString

        from radweg.elevation import densify
        from radweg.geometry import MetricFrame, line_length_m

        # straight in lon/lat (as GeoJSON means it), not straight in UTM: long steps get vertices every 50 m
        parts = [densify(p, DENSIFY_M) for p in parts]
        pts = [c for p in parts for c in p]
        self.frame = MetricFrame.for_coords([pts[0], pts[len(pts) // 2], pts[-1]])
        self.parts = [LineString(self.frame.to_xy([(c[0], c[1]) for c in p])) for p in parts]
        geo = [line_length_m(p) for p in parts]
        self.scale = [g / ln.length if ln.length else 1.0 for g, ln in zip(geo, self.parts, strict=True)]
        self.offsets = [sum(geo[:k]) for k in range(len(geo))]
        self.length_m = sum(geo)
        self.start_km = start_km
        self.lines = shapely.MultiLineString(self.parts) if len(self.parts) > 1 else self.parts[0]
        shapely.prepare(self.lines)

    def locate(self, lonlat: Sequence[tuple[float, float]]) -> tuple[list[float], list[float]]:
        """Distance from the line (m) and km on the tour of each (lon, lat) point."""
        import numpy as np
        import shapely

        if not lonlat:
            return [], []
        xs, ys = self.frame.transform(np.array([p[0] for p in lonlat]), np.array([p[1] for p in lonlat]))
        pts = shapely.points(xs, ys)
        dists = np.vstack([shapely.distance(part, pts) for part in self.parts])
        best = dists.argmin(axis=0)
        out_d, out_km = [], []
        for k, (pt, b) in enumerate(zip(pts, best, strict=True)):
            along = float(shapely.line_locate_point(self.parts[b], pt)) * self.scale[b] + self.offsets[b]
            out_d.append(float(dists[b, k]))
            out_km.append(self.start_km + along / 1000.0)
        return out_d, out_km

    def point_at(self, km: float) -> tuple[float, float]:
        """(lon, lat) at a km of the tour inside this stage."""
        import shapely

        along = (km - self.start_km) * 1000.0
        for k in range(len(self.parts) - 1, -1, -1):
            if along >= self.offsets[k] or k == 0:
                pt = shapely.line_interpolate_point(self.parts[k], (along - self.offsets[k]) / self.scale[k])
                lon, lat = self.frame.to_lonlat([(pt.x, pt.y)])[0]
                return lon, lat
        raise AssertionError("unreachable")

    def samples(self, step_m: float = STEP_M) -> list[Sample]:
        """A sample at the middle of every ``step_m`` of every part, so each stands for ``step_m`` metres."""
        import math

        import numpy as np
        import shapely

        out: list[Sample] = []
        for part, scale, offset in zip(self.parts, self.scale, self.offsets, strict=True):
            geo = part.length * scale
            n = max(1, int(math.floor(geo / step_m)))
            at = (np.arange(n) + 0.5) * (geo / n) / scale
            pts = shapely.line_interpolate_point(part, at)
            ahead = shapely.line_interpolate_point(part, np.minimum(at + 2.0, part.length))
            behind = shapely.line_interpolate_point(part, np.maximum(at - 2.0, 0.0))
            xy = shapely.get_coordinates(pts)
            d = shapely.get_coordinates(ahead) - shapely.get_coordinates(behind)
            norm = np.hypot(d[:, 0], d[:, 1])
            norm[norm == 0] = 1.0
            lonlat = self.frame.to_lonlat([(float(x), float(y)) for x, y in xy])
            for k in range(n):
                out.append(Sample(self.start_km + (offset + float(at[k]) * scale) / 1000.0, lonlat[k][0],
                                  lonlat[k][1], float(d[k, 0] / norm[k]), float(d[k, 1] / norm[k])))
        return out

    def sample_step_m(self) -> float:
        """The metres each sample stands for (the stage length shared equally)."""
        n = len(self.samples())
        return self.length_m / n if n else 0.0


def match_edges(along: Along, samples: Sequence[Sample], geoms: Sequence[Sequence[tuple[float, float]]],
                max_m: float = MATCH_M) -> list[int | None]:
    """For each sample, the index of the line in ``geoms`` (lon/lat) it lies on, or None (off every line).

    Among lines within ``max_m``, the one with the lowest ``distance + 15 m × (1 − |cos angle|)`` wins:
    a street running the same way as the route beats one that crosses it.
    """
    import numpy as np
    import shapely
    from shapely.geometry import LineString

    if not samples or not geoms:
        return [None] * len(samples)
    lines = [LineString(along.frame.to_xy(g)) for g in geoms]
    tree = shapely.STRtree(lines)
    sx, sy = along.frame.transform(np.array([s.lon for s in samples]), np.array([s.lat for s in samples]))
    pts = shapely.points(sx, sy)
    pairs = tree.query(pts, predicate="dwithin", distance=max_m)
    best: dict[int, tuple[float, int]] = {}
    for si, gi in zip(pairs[0], pairs[1], strict=True):
        line = lines[gi]
        pt = pts[si]
        d = float(shapely.distance(line, pt))
        t = float(shapely.line_locate_point(line, pt))
        a = shapely.line_interpolate_point(line, max(t - 2.0, 0.0))
        b = shapely.line_interpolate_point(line, min(t + 2.0, line.length))
        ex, ey = b.x - a.x, b.y - a.y
        en = (ex * ex + ey * ey) ** 0.5 or 1.0
        cos = abs((ex * samples[si].dx + ey * samples[si].dy) / en)
        score = d + 15.0 * (1.0 - cos)
        key = (score, int(gi))
        if int(si) not in best or key < best[int(si)]:
            best[int(si)] = key
    return [best[k][1] if k in best else None for k in range(len(samples))]


def edges_near(G: Any, bbox: tuple[float, float, float, float]) -> list[tuple[Mapping[str, Any],
                                                                                 tuple[tuple[float, float], ...]]]:
    """(attributes with ``u`` and ``v``, coords) of the graph's edges with a vertex inside ``bbox``, one per street."""
    out: list[tuple[Mapping[str, Any], tuple[tuple[float, float], ...]]] = []
    seen: set[tuple[Any, ...]] = set()
    w, s, e, n = bbox
    for u, v, data in G.edges(data=True):
        coords = data.get("coords") or ((G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"]))
        if not any(w <= x <= e and s <= y <= n for x, y in coords):
            continue
        key = (min(u, v), max(u, v), data.get("osmid"), round(float(data.get("length", 0.0)), 1))
        if key in seen:
            continue
        seen.add(key)
        out.append(({**data, "u": u, "v": v}, tuple((float(x), float(y)) for x, y in coords)))
    out.sort(key=lambda item: (str(item[0].get("osmid")), item[1]))
    return out
