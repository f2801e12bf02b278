"""Ascent and descent of a line with the documented smoothing.

A hysteresis threshold of :data:`THRESHOLD_M` metres: a climb or drop is
counted only once the elevation has moved that far from the last counted
level. This removes GPS/DEM noise of a few metres on flat ground (the "ascent
on a flat route" complaint) while keeping every real climb; the total
under-counts by at most one threshold per change of direction.

Missing elevations (None) are interpolated along the line from their
neighbours; a line without any elevation has no ascent/descent (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD_M = 3.0


@dataclass(frozen=True)
class Climb:
    """Total ascent and descent in metres, and the lowest and highest point."""

    ascent_m: float
    descent_m: float
    min_m: float
    max_m: float


def filled_elevations(line: Sequence[Sequence[float]]) -> list[float] | None:
    """Elevations with gaps interpolated by vertex index (held at the ends); None if there are none."""
    import numpy as np

    eles = [c[2] if len(c) > 2 and c[2] is not None else None for c in line]
    known = [i for i, e in enumerate(eles) if e is not None]
    if not known:
        return None
    values = [float(eles[i]) for i in known]  # type: ignore[arg-type]
    return np.interp(np.arange(len(eles)), known, values).tolist()


def hysteresis(eles: Sequence[float], threshold_m: float = THRESHOLD_M) -> tuple[float, float]:
    """Ascent and descent counting only moves of at least ``threshold_m`` from the last counted level."""
    up = down = 0.0
    if not eles:
        return 0.0, 0.0
    ref = eles[0]
    for e in eles[1:]:
        if e - ref >= threshold_m:
            up += e - ref
            ref = e
        elif ref - e >= threshold_m:
            down += ref - e
            ref = e
    return up, down


def climb(line: Sequence[Sequence[float]], *, threshold_m: float = THRESHOLD_M) -> Climb | None:
    """Ascent/descent of a lon/lat/ele line after the documented smoothing; None without elevations."""
    eles = filled_elevations(line)
    if eles is None or len(line) < 2:
        return None
    up, down = hysteresis(eles, threshold_m)
    return Climb(up, down, min(eles), max(eles))


def climb_parts(parts: Sequence[Sequence[Sequence[float]]], **kwargs: float) -> Climb | None:
    """Ascent/descent summed over several lines (a tour with gaps)."""
    found = [c for c in (climb(p, **kwargs) for p in parts if len(p) >= 2) if c is not None]
    if not found:
        return None
    return Climb(sum(c.ascent_m for c in found), sum(c.descent_m for c in found),
                 min(c.min_m for c in found), max(c.max_m for c in found))
