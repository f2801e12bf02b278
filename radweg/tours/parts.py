"""A tour as the pieces a cyclist can actually ride through, and cutting stages out of them.

Where two consecutive legs do not meet (more than :data:`JOIN_TOLERANCE_M`
apart), the tour has a gap. GPX must not draw a line across a gap, so a tour
is a list of pieces; a GPX track gets one ``trkseg`` per piece.

Distances along the tour are geodesic and computed once (numpy), so that
cutting many stages out of a 100,000-vertex tour stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from radweg.geometry import distance_m, join_lines
from radweg.model import Line, Position, Segment, Tour
from radweg.tours.line import StagePosition, leg_lines

JOIN_TOLERANCE_M = 20.0
"""Legs whose ends are closer than this are treated as connected."""


@dataclass(frozen=True)
class TourGeometry:
    """The joined tour line, its pieces, and where each piece starts along the tour (metres).

    Distances along the tour are *ridden* distances: the step across a gap
    (from the end of one piece to the start of the next) adds nothing, so
    ``offsets_m[k + 1] == offsets_m[k] + lengths_m[k]`` and ``length_m`` is
    the sum of the pieces.
    """

    line: Line
    pieces: tuple[Line, ...]
    offsets_m: tuple[float, ...]
    lengths_m: tuple[float, ...]
    cum: Any = field(default=None, compare=False, repr=False)  # numpy array: ridden metres to each vertex of line
    gap_steps: tuple[int, ...] = ()
    """Indices ``i`` of the steps ``line[i] -> line[i + 1]`` that jump a gap (never ridden)."""

    @property
    def length_m(self) -> float:
        return self.offsets_m[-1] + self.lengths_m[-1] if self.pieces else 0.0

    def between(self, start_m: float, end_m: float) -> tuple[Line, ...]:
        """The pieces of the tour between two distances along the joined line (cut points interpolated)."""
        out = []
        first = 0
        for piece, off, length in zip(self.pieces, self.offsets_m, self.lengths_m, strict=False):
            a, b = max(start_m, off), min(end_m, off + length)
            if b - a > 0.5:
                out.append(self._cut(first, len(piece), a, b))
            first += len(piece)
        return tuple(out)

    def _cut(self, first: int, count: int, a: float, b: float) -> Line:
        import numpy as np

        cum = self.cum[first:first + count]
        pts = self.line[first:first + count]
        i = int(np.searchsorted(cum, a, side="right"))  # first vertex strictly after a
        j = int(np.searchsorted(cum, b, side="left"))  # first vertex at or after b
        inner = [tuple(p) for p in pts[i:j]]
        return tuple([_interpolate(pts, cum, a)] + inner + [_interpolate(pts, cum, b)])

    def locate(self, point: tuple[float, ...], from_m: float = 0.0) -> tuple[float, float]:
        """(distance along, offset) of the nearest point of the line at or after ``from_m``, in metres."""
        import numpy as np

        xs, ys = self._xy()
        (px, py), = self._frame.to_xy([point])
        ax, ay = xs[:-1], ys[:-1]
        dx, dy = xs[1:] - ax, ys[1:] - ay
        seg2 = dx * dx + dy * dy
        seg2 = np.where(seg2 == 0, np.inf, seg2)
        steps = np.diff(self.cum)
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / seg2, 0.0, 1.0)
        if from_m > 0:
            with np.errstate(divide="ignore", invalid="ignore"):
                t_min = np.where(steps > 0, (from_m - self.cum[:-1]) / steps, 0.0)
            t = np.maximum(t, np.clip(t_min, 0.0, 1.0))
            valid = self.cum[1:] >= from_m
        else:
            valid = np.ones(len(ax), dtype=bool)
        if self.gap_steps:
            valid = valid.copy()
            valid[list(self.gap_steps)] = False
        d2 = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2
        d2 = np.where(valid, d2, np.inf)
        if not np.isfinite(d2).any():
            return float(self.cum[-1]), float(np.hypot(xs[-1] - px, ys[-1] - py))
        k = int(np.argmin(d2))
        return float(self.cum[k] + t[k] * steps[k]), float(np.sqrt(d2[k]))

    def _xy(self) -> tuple[Any, Any]:
        cached = self.__dict__.get("_xy_cache")
        if cached is None:
            from radweg.geometry import MetricFrame, lonlat_arrays

            frame = MetricFrame.for_coords([self.line[0], self.line[len(self.line) // 2], self.line[-1]])
            xs, ys = frame.transform(*lonlat_arrays(self.line))
            cached = (frame, xs, ys)
            object.__setattr__(self, "_xy_cache", cached)
        return cached[1], cached[2]

    @property
    def _frame(self) -> Any:
        self._xy()
        return self.__dict__["_xy_cache"][0]


def _interpolate(pts: Line, cum: Any, at: float) -> Position:
    import numpy as np

    i = int(np.searchsorted(cum, at, side="left"))
    if i <= 0:
        return tuple(pts[0])
    if i >= len(pts):
        return tuple(pts[-1])
    span = cum[i] - cum[i - 1]
    t = 0.0 if span == 0 else float((at - cum[i - 1]) / span)
    a, b = pts[i - 1], pts[i]
    out = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
    if len(a) > 2 and len(b) > 2 and a[2] is not None and b[2] is not None:
        out.append(a[2] + (b[2] - a[2]) * t)
    return tuple(out)


def tour_geometry(tour: Tour, segments: dict[str, Segment]) -> TourGeometry:
    """Split a tour at the junctions where consecutive legs do not meet."""
    return geometry_of_legs(leg_lines(tour, segments))


def geometry_of_legs(lines: Sequence[Line]) -> TourGeometry:
    """The tour geometry of leg lines in riding order (pieces split where legs are more than
    :data:`JOIN_TOLERANCE_M` apart; gap steps count 0 m along the tour)."""
    import numpy as np

    from radweg.geometry import step_lengths_m

    groups: list[list[Line]] = []
    for line in lines:
        if groups and distance_m(groups[-1][-1][-1], line[0]) <= JOIN_TOLERANCE_M:
            groups[-1].append(line)
        else:
            groups.append([line])
    pieces = tuple(join_lines(g) for g in groups)
    whole = join_lines(list(pieces))
    steps = step_lengths_m(whole)
    gaps, index = [], 0
    for piece in pieces[:-1]:
        index += len(piece)
        gaps.append(index - 1)
    if gaps:
        steps[gaps] = 0.0
    cum = np.concatenate(([0.0], np.cumsum(steps)))
    offsets, lengths, index = [], [], 0
    for piece in pieces:
        offsets.append(float(cum[index]))
        index += len(piece)
        lengths.append(float(cum[index - 1]) - offsets[-1])
    return TourGeometry(whole, pieces, tuple(offsets), tuple(lengths), cum, tuple(gaps))


def locate_stages(tour: Tour, geo: TourGeometry) -> list[StagePosition]:
    """Like :func:`radweg.tours.line.locate_stages` (same search order), on a prepared tour geometry.

    Each start is searched for from the previous stage's start, each end from
    1 m past its start, so round tours and places passed twice work.
    """
    out = []
    cursor = 0.0
    for stage in tour.stages:
        s_along, s_off = geo.locate(stage.start.coords, cursor)
        e_along, e_off = geo.locate(stage.end.coords, s_along + 1.0)
        out.append(StagePosition(stage, s_along, e_along, s_off, e_off))
        cursor = s_along
    return out


def reverse_parts(parts: tuple[Line, ...]) -> tuple[Line, ...]:
    """The same pieces ridden the other way."""
    return tuple(tuple(reversed(p)) for p in reversed(parts))
