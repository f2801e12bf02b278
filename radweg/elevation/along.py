"""Heights along a line: densify it to a fixed spacing and take every vertex's height from a terrain model.

Reported heights (ascent, descent, profiles) do not depend on how densely a
line was drawn: with a terrain model every line is sampled every
:data:`DEM_STEP_M` metres (plus its own vertices).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from radweg.errors import DataError
from radweg.geometry import cumulative_m
from radweg.model import Line, Position

if TYPE_CHECKING:
    from radweg.elevation.dem import Dem

DEM_STEP_M = 20.0
"""Spacing in metres at which a terrain model is sampled along a line."""


def densify(line: Sequence[Sequence[float]], step_m: float) -> Line:
    """Insert vertices so that no step is longer than ``step_m``; elevation is interpolated where both ends have one."""
    if len(line) < 2:
        return tuple(tuple(c) for c in line)
    dist = cumulative_m(line)
    out: list[Position] = [tuple(line[0])]
    for i in range(1, len(line)):
        span = dist[i] - dist[i - 1]
        n = int(span // step_m)
        a, b = line[i - 1], line[i]
        both = len(a) > 2 and len(b) > 2 and a[2] is not None and b[2] is not None
        for k in range(1, n + 1):
            t = k * step_m / span
            if t >= 1.0:
                break
            pos: Position = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            if both:
                pos += (a[2] + (b[2] - a[2]) * t,)
            out.append(pos)
        out.append(tuple(b))
    return tuple(out)


def coverage_message(dem: Dem, coords: Sequence[Sequence[float]], values: Sequence[float | None]) -> str:
    """What to say about positions the terrain model gives no height for (some values are None)."""
    missing = [c for c, v in zip(coords, values, strict=True) if v is None]
    first = missing[0]
    return (f"not covered by the terrain model {dem.label}: {len(missing)} of {len(coords)} position(s) "
            f"outside it or on voids, first at {first[0]:.6f},{first[1]:.6f}")


def drape(line: Sequence[Sequence[float]], dem: Dem, step_m: float = DEM_STEP_M, *, label: str = "line") -> Line:
    """The line densified to ``step_m`` with every vertex's elevation from the terrain model.

    A position the terrain model gives no height for (outside it, an unfilled
    void) is a :class:`DataError` naming ``label`` and the terrain model.
    """
    dense = densify(line, step_m)
    values = dem.sample(dense)
    if any(v is None for v in values):
        raise DataError(f"{label}: {coverage_message(dem, dense, values)}")
    return tuple((c[0], c[1], float(v)) for c, v in zip(dense, values, strict=True) if v is not None)
