"""Line simplification with a guaranteed maximum deviation and a hard point cap.

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

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

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


def _span_worst(xs, ys, i: int, j: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
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
    heap: list[tuple[float, int, int, int, int]] = []  # (-dist, part, i, j, k)
    arrays = []
    kept: list[set[int]] = []
    for n, part in enumerate(cleaned):
        xy = np.asarray(frame.to_xy(part), dtype=float)
        xs, ys = xy[:, 0].copy(), xy[:, 1].copy()
        arrays.append((xs, ys))
        kept.append({0, len(part) - 1})
        d, k = _span_worst(xs, ys, 0, len(part) - 1)
        if k >= 0:
            heapq.heappush(heap, (-d, n, 0, len(part) - 1, k))
    count = sum(len(k) for k in kept)
    while heap:
        d = -heap[0][0]
        if d <= tol or (max_points is not None and count >= max_points):
            break
        _, n, i, j, k = heapq.heappop(heap)
        kept[n].add(k)
        count += 1
        xs, ys = arrays[n]
        for a, b in ((i, k), (k, j)):
            dd, kk = _span_worst(xs, ys, a, b)
            if kk >= 0:
                heapq.heappush(heap, (-dd, n, a, b, kk))
    deviation = -heap[0][0] if heap else 0.0  # the worst span left unsplit
    out = tuple(tuple(part[i] for i in sorted(k)) for part, k in zip(cleaned, kept, strict=False))
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
