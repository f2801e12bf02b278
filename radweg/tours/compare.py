"""How far one line (a ride, a survey track) runs from another (the planned route), and where.

The first line is sampled every :data:`STEP_M` metres (and at its vertices'
positions along it); for each sample the planar distance to the second line is
measured in a UTM frame. The report gives the share of the first line within
``near_m`` of the second, the median and largest distance, and the stretches
(from–to km along the first line) that lie farther than ``near_m``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STEP_M = 10.0
NEAR_M = 25.0


@dataclass(frozen=True)
class Stretch:
    """A part of the first line farther than ``near_m`` from the second: where along it, how far at most."""

    from_m: float
    to_m: float
    max_m: float
    at: tuple[float, float]
    """Where it is farthest (lon, lat)."""


@dataclass
class Comparison:
    """The figures of one comparison."""

    length_m: float
    samples: int
    near_m: float
    near_share: float
    median_m: float
    max_m: float
    max_at: tuple[float, float]
    max_along_m: float
    away: list[Stretch] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"length_m": round(self.length_m, 1), "samples": self.samples, "near_m": self.near_m,
                "near_share": round(self.near_share, 3), "median_m": round(self.median_m, 1),
                "max_m": round(self.max_m, 1), "max_at": [round(c, 6) for c in self.max_at],
                "max_along_m": round(self.max_along_m, 1),
                "away": [{"from_m": round(s.from_m, 1), "to_m": round(s.to_m, 1), "max_m": round(s.max_m, 1),
                          "at": [round(c, 6) for c in s.at]} for s in self.away]}


def compare_lines(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]], *, near_m: float = NEAR_M,
                  step_m: float = STEP_M) -> Comparison:
    """Compare line ``a`` with line ``b`` (lon/lat positions, at least two each)."""
    import numpy as np
    import shapely

    from radweg.elevation.along import densify
    from radweg.geometry import MetricFrame, cumulative_m

    pts = [tuple(p[:2]) for p in densify([tuple(p[:2]) for p in a], step_m)]
    along = cumulative_m(pts)
    frame = MetricFrame.for_coords(list(pts) + [tuple(p[:2]) for p in b])
    line_b = frame.line(b)
    xy = np.asarray(frame.to_xy(pts))
    dist = np.asarray(shapely.distance(shapely.points(xy), line_b), dtype=float)
    near = dist <= near_m
    seg_len = np.diff(np.asarray(along))
    # a step counts as near when both its ends are
    near_len = float(seg_len[near[:-1] & near[1:]].sum()) if len(seg_len) else 0.0
    total = float(along[-1]) if along else 0.0
    k = int(np.argmax(dist))
    away: list[Stretch] = []
    i = 0
    while i < len(pts):
        if near[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(pts) and not near[j + 1]:
            j += 1
        m = i + int(np.argmax(dist[i:j + 1]))
        away.append(Stretch(along[i], along[j], float(dist[m]), (float(pts[m][0]), float(pts[m][1]))))
        i = j + 1
    return Comparison(total, len(pts), near_m, near_len / total if total else 1.0, float(np.median(dist)),
                      float(dist[k]), (float(pts[k][0]), float(pts[k][1])), along[k], away)
