"""Lines simplified for display, with a measured maximum error.

Douglas–Peucker in a metric (UTM) frame keeps every removed vertex within
``tolerance_m`` of the simplified line; rounding the result to ``decimals``
decimal degrees adds at most half a unit in the last place (5 decimals: 0.56 m
north–south, less east–west). :func:`max_deviation_m` measures the combined
error: the largest distance of an original vertex from the displayed segment
that spans it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from radweg.geometry import MetricFrame
from radweg.model import Line

DEFAULT_TOLERANCE_M = 4.0
"""Default simplification tolerance; with 5-decimal rounding the error stays below 5 m."""

DEFAULT_DECIMALS = 5
"""Decimals of degrees kept for display: 1e-5 degrees is about 1.1 m north–south."""


@dataclass(frozen=True)
class DisplayLine:
    """A line ready for the map: [lon, lat] pairs plus the elevation-free error bound."""

    coords: list[list[float]]
    max_deviation_m: float
    vertices_in: int


class Simplifier:
    """Simplify many lines in one metric frame (pick the frame from all the data)."""

    def __init__(self, frame: MetricFrame, tolerance_m: float = DEFAULT_TOLERANCE_M,
                 decimals: int = DEFAULT_DECIMALS) -> None:
        if tolerance_m < 0:
            raise ValueError("tolerance must not be negative")
        self.frame = frame
        self.tolerance_m = tolerance_m
        self.decimals = decimals
        self.max_deviation_m = 0.0
        self.vertices_in = 0
        self.vertices_out = 0

    def line(self, coords: Line | Sequence[Sequence[float]]) -> DisplayLine:
        """Simplify and round one line; record the measured deviation."""
        import numpy as np
        from shapely.geometry import LineString

        pts = [tuple(c[:2]) for c in coords]
        if len(pts) < 2:
            out = [[round(p[0], self.decimals) + 0.0, round(p[1], self.decimals) + 0.0] for p in pts]
            return DisplayLine(out, 0.0, len(pts))
        xy = np.asarray(self.frame.to_xy(pts), dtype=float)
        kept = np.asarray(LineString(xy).simplify(self.tolerance_m, preserve_topology=False).coords, dtype=float) \
            if self.tolerance_m else xy
        idx = _subsequence(xy, kept)
        shown = [[round(lon, self.decimals) + 0.0, round(lat, self.decimals) + 0.0]
                 for lon, lat in self.frame.to_lonlat(xy[idx].tolist())]
        dev = _max_span_distance(xy, idx, np.asarray(self.frame.to_xy(shown), dtype=float))
        out: list[list[float]] = []
        for pos in shown:
            if not out or out[-1] != pos:
                out.append(pos)
        if len(out) == 1:
            out.append(out[0])
        self.max_deviation_m = max(self.max_deviation_m, dev)
        self.vertices_in += len(pts)
        self.vertices_out += len(out)
        return DisplayLine(out, dev, len(pts))

    def point(self, coords: Sequence[float]) -> list[float]:
        """A point rounded like the lines."""
        return [round(coords[0], self.decimals) + 0.0, round(coords[1], self.decimals) + 0.0]


def _subsequence(xy: Any, kept: Any) -> list[int]:
    """Indices of the kept vertices in the original (Douglas–Peucker keeps a subsequence)."""
    out, j = [], 0
    for p in kept:
        while j < len(xy) - 1 and not (xy[j][0] == p[0] and xy[j][1] == p[1]):
            j += 1
        out.append(j)
    out[0], out[-1] = 0, len(xy) - 1
    return out


def _max_span_distance(xy: Any, idx: list[int], shown: Any) -> float:
    """Largest distance of an original vertex from the displayed segment that spans it, in metres."""
    import numpy as np

    spans = np.clip(np.searchsorted(np.asarray(idx), np.arange(len(xy)), side="right") - 1, 0, len(idx) - 2)
    a, b = shown[spans], shown[spans + 1]
    ab = b - a
    denom = (ab ** 2).sum(axis=1)
    t = np.where(denom > 0, ((xy - a) * ab).sum(axis=1) / np.where(denom > 0, denom, 1.0), 0.0)
    proj = a + np.clip(t, 0.0, 1.0)[:, None] * ab
    return float(np.sqrt(((xy - proj) ** 2).sum(axis=1)).max())
