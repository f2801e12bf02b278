"""POIs near a point or along a line, within a corridor in metres."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from radweg.geometry import MetricFrame, distance_m, line_length_m
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
    """POIs within ``corridor_m`` of a lon/lat line, in order along it (ties by id)."""
    if not pois or len(line) < 2:
        return []
    import shapely

    frame = MetricFrame.for_coords(line)
    geom = frame.line(line)
    xy = frame.to_xy([p.coords for p in pois])
    points = shapely.points(xy)
    offsets = shapely.distance(geom, points)
    along = shapely.line_locate_point(geom, points)
    scale = line_length_m(line) / (geom.length or 1.0)
    out = [NearPoi(p, float(off), float(a) * scale)
           for p, off, a in zip(pois, offsets, along) if off <= corridor_m]
    return sorted(out, key=lambda n: (n.along_m, n.poi.id))
