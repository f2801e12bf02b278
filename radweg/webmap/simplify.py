"""Lines simplified for display, with a measured maximum error.

Douglas–Peucker in a metric (UTM) frame keeps every removed vertex within
``tolerance_m`` of the simplified line; rounding the result to ``decimals``
decimal degrees adds at most half a unit in the last place (5 decimals: 0.56 m
north–south, less east–west). :func:`max_deviation_m` measures the combined
error (the Hausdorff distance between the original and the displayed line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
        pts = [tuple(c[:2]) for c in coords]
        if len(pts) < 2:
            out = [[round(p[0], self.decimals) + 0.0, round(p[1], self.decimals) + 0.0] for p in pts]
            return DisplayLine(out, 0.0, len(pts))
        original = self.frame.line(pts)
        simple = original.simplify(self.tolerance_m, preserve_topology=False) if self.tolerance_m else original
        lonlat = self.frame.to_lonlat(list(simple.coords))
        out: list[list[float]] = []
        for lon, lat in lonlat:
            pos = [round(lon, self.decimals) + 0.0, round(lat, self.decimals) + 0.0]
            if not out or out[-1] != pos:
                out.append(pos)
        if len(out) == 1:
            out.append(out[0])
        dev = float(original.hausdorff_distance(self.frame.line(out)))
        self.max_deviation_m = max(self.max_deviation_m, dev)
        self.vertices_in += len(pts)
        self.vertices_out += len(out)
        return DisplayLine(out, dev, len(pts))

    def point(self, coords: Sequence[float]) -> list[float]:
        """A point rounded like the lines."""
        return [round(coords[0], self.decimals) + 0.0, round(coords[1], self.decimals) + 0.0]
