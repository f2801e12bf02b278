"""Line simplification (Douglas–Peucker): for GPX with a guaranteed deviation and a point cap, and for the map.

The algorithm is Ramer–Douglas–Peucker run best-first: every span between two
kept vertices knows its worst vertex (largest distance to the span's chord,
measured to the *segment*, in metres in a UTM frame). The span with the worst
vertex is split first. Splitting stops when the worst remaining distance is
within the tolerance, or when the point cap is reached. Because the original
line between two kept vertices stays within the reported distance of the chord
(and vice versa), the reported figure bounds the Hausdorff distance between
the original and the simplified line.

The tolerance is tightened slightly (:data:`SAFETY`) so that the UTM scale
error (< 0.1 %) and rounding of the written coordinates (< 0.1 m) cannot push
the real deviation over the limit the user asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from radweg.geometry import MetricFrame
from radweg.model import Position

SAFETY_FACTOR = 0.998
ROUNDING_MARGIN_M = 0.1


@dataclass(frozen=True)
class Simplified:
    """The kept vertices of each part, and what it cost."""

    parts: tuple[tuple[Position, ...], ...]
    max_deviation_m: float
    points_before: int

    @property
    def points(self) -> int:
        return sum(len(p) for p in self.parts)


def _effective(tolerance_m: float) -> float:
    if tolerance_m <= 0:
        return 0.0
    return max(0.0, tolerance_m * SAFETY_FACTOR - (ROUNDING_MARGIN_M if tolerance_m > 2 * ROUNDING_MARGIN_M else 0.0))


def _span_worst(xs: Any, ys: Any, i: int, j: int) -> tuple[float, int]:
    """Largest distance of vertices i+1..j-1 to the segment i–j, and where it is."""
    import numpy as np

    if j - i < 2:
        return 0.0, -1
    ax, ay, bx, by = xs[i], ys[i], xs[j], ys[j]
    px, py = xs[i + 1:j], ys[i + 1:j]
    dx, dy = bx - ax, by - ay
    seg2 = dx * dx + dy * dy
    if seg2 == 0.0:
        d2 = (px - ax) ** 2 + (py - ay) ** 2
    else:
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / seg2, 0.0, 1.0)
        d2 = (px - (ax + t * dx)) ** 2 + (py - (ay + t * dy)) ** 2
    k = int(np.argmax(d2))
    return float(np.sqrt(d2[k])), i + 1 + k


def keep_vertices(xy: Sequence[tuple[Any, Any]], tolerance_m: float, max_points: int | None = None
                  ) -> tuple[list[list[int]], float]:
    """Best-first Douglas–Peucker over planar parts (x and y arrays in metres, each at least 2 vertices).

    Returns the sorted indices kept in each part and the worst distance left
    unsplit. Without ``max_points`` this keeps exactly the vertices of the
    classic recursive algorithm: a span is split at its worst vertex while that
    is more than ``tolerance_m`` from the span's segment.
    """
    import heapq

    heap: list[tuple[float, int, int, int, int]] = []  # (-dist, part, i, j, k)
    kept: list[set[int]] = []
    for n, (xs, ys) in enumerate(xy):
        last = len(xs) - 1
        kept.append({0, last})
        d, k = _span_worst(xs, ys, 0, last)
        if k >= 0:
            heapq.heappush(heap, (-d, n, 0, last, k))
    count = sum(len(k) for k in kept)
    while heap:
        d = -heap[0][0]
        if d <= tolerance_m or (max_points is not None and count >= max_points):
            break
        _, n, i, j, k = heapq.heappop(heap)
        kept[n].add(k)
        count += 1
        xs, ys = xy[n]
        for a, b in ((i, k), (k, j)):
            dd, kk = _span_worst(xs, ys, a, b)
            if kk >= 0:
                heapq.heappush(heap, (-dd, n, a, b, kk))
    deviation = -heap[0][0] if heap else 0.0  # the worst span left unsplit
    return [sorted(k) for k in kept], deviation


def simplify_parts(parts: Sequence[Sequence[Position]], *, tolerance_m: float | None = None,
                   max_points: int | None = None) -> Simplified:
    """Simplify one or more lines together.

    ``tolerance_m`` bounds the deviation; ``max_points`` bounds the total
    number of points and always holds (at least 2 per part, so it must be at
    least twice the number of parts). With neither, only exact consecutive
    duplicates are dropped. ``max_deviation_m`` reports the real worst
    distance, measured in metres.
    """
    import numpy as np

    from radweg.errors import DataError

    cleaned = [_dedupe(p) for p in parts]
    cleaned = [p for p in cleaned if len(p) >= 2]
    before = sum(len(p) for p in cleaned)
    if max_points is not None and max_points < 2 * len(cleaned):
        raise DataError(f"--max-points {max_points} is too small: the line has {len(cleaned)} part(s) "
                        f"and each needs its two end points")
    if tolerance_m is None and (max_points is None or before <= max_points):
        return Simplified(tuple(cleaned), 0.0, before)
    frame = MetricFrame.for_coords([c for p in cleaned for c in (p[0], p[-1])])
    tol = _effective(tolerance_m) if tolerance_m is not None else 0.0
    arrays = []
    for part in cleaned:
        xy = np.asarray(frame.to_xy(part), dtype=float)
        arrays.append((xy[:, 0].copy(), xy[:, 1].copy()))
    kept, deviation = keep_vertices(arrays, tol, max_points)
    out = tuple(tuple(part[i] for i in k) for part, k in zip(cleaned, kept, strict=True))
    return Simplified(out, deviation, before)


def _dedupe(coords: Sequence[Position]) -> tuple[Position, ...]:
    out: list[Position] = []
    for c in coords:
        if out and tuple(out[-1][:2]) == tuple(c[:2]):
            continue
        out.append(tuple(c))
    return tuple(out)


def deviation_m(original: Sequence[Position], simplified: Sequence[Position]) -> float:
    """Hausdorff distance in metres between two lon/lat lines (an independent check for tests)."""
    import shapely

    frame = MetricFrame.for_coords(original)
    a = frame.line(original)
    b = frame.line(simplified)
    return float(shapely.hausdorff_distance(a, b, densify=0.05))


# ---------------------------------------------------------------- lines for display (the map)

DEFAULT_TOLERANCE_M = 4.0
"""Default display tolerance; with 5-decimal rounding the error stays below 5 m."""

DEFAULT_DECIMALS = 5
"""Decimals of degrees kept for display: 1e-5 degrees is about 1.1 m north–south."""


@dataclass(frozen=True)
class DisplayLine:
    """A line ready for the map: [lon, lat] pairs plus the elevation-free error bound."""

    coords: list[list[float]]
    max_deviation_m: float
    vertices_in: int


class DisplaySimplifier:
    """Simplify many lines for display in one metric frame (pick the frame from all the data).

    Douglas–Peucker (:func:`keep_vertices`, the exact tolerance) keeps every
    removed vertex within ``tolerance_m`` of the simplified line; rounding
    the result to ``decimals`` decimal degrees adds at most half a unit in the
    last place (5 decimals: 0.56 m north–south, less east–west). The measured
    error is the largest distance of an original vertex from the displayed
    segment that spans it.
    """

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

    def line(self, coords: Sequence[Sequence[float]]) -> DisplayLine:
        """Simplify and round one line; record the measured deviation."""
        import numpy as np

        pts = [tuple(c[:2]) for c in coords]
        if len(pts) < 2:
            return DisplayLine([self.point(p) for p in pts], 0.0, len(pts))
        xy = np.asarray(self.frame.to_xy(pts), dtype=float)
        if self.tolerance_m:
            (idx,), _ = keep_vertices([(xy[:, 0].copy(), xy[:, 1].copy())], self.tolerance_m)
        else:
            idx = list(range(len(xy)))
        shown = [self.point(p) for p in self.frame.to_lonlat(xy[idx].tolist())]
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
