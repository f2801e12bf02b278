"""A tour as the pieces a cyclist can actually ride through, and cutting stages out of them.

Where two consecutive legs do not meet (more than :data:`JOIN_TOLERANCE_M`
apart), the tour has a gap. GPX must not draw a line across a gap, so a tour
is a list of pieces; a GPX track gets one ``trkseg`` per piece.
"""

from __future__ import annotations

from dataclasses import dataclass

from radweg.geometry import cumulative_m, cut, distance_m, join_lines
from radweg.model import Line, Segment, Tour
from radweg.tours import leg_lines

JOIN_TOLERANCE_M = 20.0
"""Legs whose ends are closer than this are treated as connected."""


@dataclass(frozen=True)
class TourGeometry:
    """The joined tour line, its pieces, and where each piece starts along the line (metres)."""

    line: Line
    pieces: tuple[Line, ...]
    offsets_m: tuple[float, ...]
    lengths_m: tuple[float, ...]

    @property
    def length_m(self) -> float:
        return self.offsets_m[-1] + self.lengths_m[-1] if self.pieces else 0.0

    def between(self, start_m: float, end_m: float) -> tuple[Line, ...]:
        """The pieces of the tour between two distances along the joined line."""
        out = []
        for piece, off, length in zip(self.pieces, self.offsets_m, self.lengths_m):
            a, b = max(start_m, off), min(end_m, off + length)
            if b - a > 0.5:
                out.append(cut(piece, a - off, b - off))
        return tuple(out)


def tour_geometry(tour: Tour, segments: dict[str, Segment]) -> TourGeometry:
    """Split a tour at the junctions where consecutive legs do not meet."""
    groups: list[list[Line]] = []
    for line in leg_lines(tour, segments):
        if groups and distance_m(groups[-1][-1][-1], line[0]) <= JOIN_TOLERANCE_M:
            groups[-1].append(line)
        else:
            groups.append([line])
    pieces = tuple(join_lines(g) for g in groups)
    whole = join_lines(list(pieces))
    cum = cumulative_m(whole)
    offsets, lengths, index = [], [], 0
    for piece in pieces:
        offsets.append(cum[index])
        index += len(piece)
        lengths.append(cum[index - 1] - offsets[-1])
    return TourGeometry(whole, pieces, tuple(offsets), tuple(lengths))


def reverse_parts(parts: tuple[Line, ...]) -> tuple[Line, ...]:
    """The same pieces ridden the other way."""
    return tuple(tuple(reversed(p)) for p in reversed(parts))
