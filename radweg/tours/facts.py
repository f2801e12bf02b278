"""A tour's facts, computed once: its line, stage cuts, lengths, heights, profile and POIs.

Every output (GPX export, map, site, ``radweg stats``, ``radweg stages``)
reads :func:`tour_facts`, so the figures agree everywhere.

**Gaps.** Where consecutive legs of a tour do not meet (more than
:data:`radweg.tours.parts.JOIN_TOLERANCE_M` apart) the tour has a gap. A gap
is not ridden and not counted: the tour's and each stage's line is a tuple of
separate parts, the length is the sum of the parts, ascent and descent are
summed over the parts (the jump in elevation across a gap counts neither way),
and distances along the tour ("from km", POIs along, the profile's axis) are
ridden distances, to which a gap adds nothing.

**Heights.** With a terrain model (the project's ``dem`` setting, or one
given) every leg is densified every :data:`radweg.elevation.DEM_STEP_M`
metres and each vertex takes the terrain model's height; without one the
heights stored in the segments are used (interpolated between vertices).
A terrain model that does not cover a leg is an error naming the segment,
the tour and the terrain model.

**Rounding.** People see lengths in km with one decimal (:func:`round_km`)
and heights in whole metres (:func:`round_m`), each rounded once from the
exact value; :meth:`LineFacts.figures` gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radweg.elevation import Climb, climb_parts, drape
from radweg.geometry import cumulative_m, line_length_m
from radweg.model import Dataset, Line, Place, Poi, Segment, Stage, Tour
from radweg.tours.corridor import NearPoi, along_parts
from radweg.tours.line import leg_lines
from radweg.tours.parts import TourGeometry, geometry_of_legs, locate_stages, reverse_parts

if TYPE_CHECKING:
    from radweg.elevation import Dem

GAP_RULE = {"de": "Lücken im Verlauf werden weder gefahren noch gezählt (Länge, Anstieg, Abstieg).",
            "en": "Gaps in the route are neither ridden nor counted (length, ascent, descent)."}
"""The gap rule in one short sentence, for pages and files that show a tour's figures."""

DEFAULT_CORRIDOR_M = 500.0
"""POIs within this many metres of the line count as along it."""


def gap_rule(lang: str = "de") -> str:
    """The gap rule for people (German unless ``lang`` is ``en``)."""
    return GAP_RULE["en" if lang == "en" else "de"]


def round_km(metres: float) -> float:
    """A length for people: km with one decimal."""
    return round(metres / 1000.0, 1)


def round_m(metres: float | None) -> int | None:
    """A height for people: whole metres (None stays None)."""
    return None if metres is None else round(metres)


@dataclass(frozen=True)
class Figures:
    """The key figures of a tour or stage, rounded for people."""

    length_km: float
    ascent_m: int | None
    descent_m: int | None
    min_ele_m: int | None
    max_ele_m: int | None


@dataclass(frozen=True)
class Profile:
    """Ridden distance and elevation at every vertex of a line's parts.

    ``breaks`` are the indices where a new part starts (after a gap); the
    distance does not grow across a break.
    """

    distances_m: tuple[float, ...]
    elevations: tuple[float | None, ...]
    breaks: tuple[int, ...] = ()

    @property
    def length_m(self) -> float:
        return self.distances_m[-1] if self.distances_m else 0.0

    @property
    def has_elevation(self) -> bool:
        return sum(e is not None for e in self.elevations) >= 2

    def known(self) -> list[tuple[float, float]]:
        """(distance, elevation) of every vertex that has an elevation."""
        return [(d, e) for d, e in zip(self.distances_m, self.elevations, strict=True) if e is not None]

    def known_parts(self) -> list[list[tuple[float, float]]]:
        """Like :meth:`known`, one list per part (empty parts left out)."""
        bounds = [0, *self.breaks, len(self.distances_m)]
        out = []
        for a, b in zip(bounds, bounds[1:], strict=False):
            part = [(d, e) for d, e in zip(self.distances_m[a:b], self.elevations[a:b], strict=True) if e is not None]
            if part:
                out.append(part)
        return out

    def elevation_at(self, along_m: float) -> float | None:
        """Elevation interpolated at a ridden distance."""
        pts = self.known()
        if not pts:
            return None
        if along_m <= pts[0][0]:
            return pts[0][1]
        for (d0, e0), (d1, e1) in zip(pts, pts[1:], strict=False):
            if d0 <= along_m <= d1:
                return e0 if d1 == d0 else e0 + (e1 - e0) * (along_m - d0) / (d1 - d0)
        return pts[-1][1]


def profile_of(parts: Sequence[Line]) -> Profile:
    """The profile of a line's parts (ridden distance; raw elevations, None where missing)."""
    dists: list[float] = []
    eles: list[float | None] = []
    breaks: list[int] = []
    start = 0.0
    for part in parts:
        if dists:
            breaks.append(len(dists))
        dists += [start + d for d in cumulative_m(part)]
        eles += [float(c[2]) if len(c) > 2 and c[2] is not None else None for c in part]
        start += line_length_m(part)
    return Profile(tuple(dists), tuple(eles), tuple(breaks))


@dataclass(frozen=True)
class LineFacts:
    """What a rideable line (a tour or a stage) is: parts, length, heights, profile, POIs along."""

    parts: tuple[Line, ...]
    length_m: float
    climb: Climb | None
    profile: Profile
    pois: tuple[NearPoi, ...]

    @property
    def ascent_m(self) -> float | None:
        return self.climb.ascent_m if self.climb else None

    @property
    def descent_m(self) -> float | None:
        return self.climb.descent_m if self.climb else None

    def figures(self) -> Figures:
        """Length, ascent, descent and the lowest and highest point, rounded for people."""
        c = self.climb
        return Figures(round_km(self.length_m), round_m(c.ascent_m) if c else None,
                       round_m(c.descent_m) if c else None, round_m(c.min_m) if c else None,
                       round_m(c.max_m) if c else None)


def line_facts(parts: Sequence[Line], pois: Sequence[Poi], corridor_m: float = DEFAULT_CORRIDOR_M) -> LineFacts:
    """The facts of a line given as parts (separated by gaps)."""
    kept = tuple(p for p in parts if len(p) >= 2)
    return LineFacts(kept, sum(line_length_m(p) for p in kept), climb_parts(kept), profile_of(kept),
                     tuple(along_parts(pois, kept, corridor_m)))


@dataclass(frozen=True)
class StageFacts(LineFacts):
    """A stage of a tour, in riding direction: where it starts and ends and what it is."""

    number: int
    id: str
    name: str
    start: Place
    end: Place
    start_m: float
    end_m: float
    start_offset_m: float
    end_offset_m: float


@dataclass(frozen=True)
class TourFacts(LineFacts):
    """A tour, in riding direction: its facts, its stages' and its legs'."""

    tour: Tour
    reverse: bool
    stages: tuple[StageFacts, ...]
    legs: tuple[tuple[Segment, Line], ...]
    """Each leg's segment and line in riding direction (elevations from the DEM when one was given)."""
    by_status_m: dict[str, float]
    """Length of the tour's legs by segment status, in metres."""
    geometry: TourGeometry


def tour_legs(ds: Dataset, tour: Tour, dem: Dem | None = None) -> list[Line]:
    """Each leg's line in riding order, draped on ``dem`` or else on the project's terrain model if it has one."""
    return _legs(ds, tour, _segment_map(ds), dem)


def _legs(ds: Dataset, tour: Tour, segs: dict[str, Segment], dem: Dem | None) -> list[Line]:
    lines = leg_lines(tour, segs)
    if dem is not None:
        return _draped(tour, lines, dem)
    from radweg.elevation.settings import project_dem

    with project_dem(ds) as configured:
        return lines if configured is None else _draped(tour, lines, configured)


def _draped(tour: Tour, lines: Sequence[Line], dem: Dem) -> list[Line]:
    return [drape(line, dem, label=f"segment '{leg.segment}' (tour '{tour.id}')")
            for leg, line in zip(tour.legs, lines, strict=True)]


def tour_facts(ds: Dataset, tour: Tour, *, dem: Dem | None = None, corridor_m: float = DEFAULT_CORRIDOR_M,
               reverse: bool = False) -> TourFacts:
    """Everything about a tour and its stages, computed once (see the module doc for gaps, heights, rounding).

    The heights come from ``dem`` (an open :class:`radweg.elevation.Dem`), or
    else from the project's terrain model (``dem`` in radweg.json), or else
    from the segments (:func:`tour_legs`). With ``reverse`` the facts
    are those of riding the tour the other way: parts, stages (last first,
    start and end swapped), ascent and descent, POI order.
    """
    return _tour_facts(ds, tour, _segment_map(ds), tuple(ds.pois.items), dem, corridor_m, reverse)


def tours_facts(ds: Dataset, tours: Sequence[Tour], *, dem: Dem | None = None,
                corridor_m: float = DEFAULT_CORRIDOR_M, reverse: bool = False) -> list[TourFacts]:
    """:func:`tour_facts` of each tour, with the dataset's segments and POIs looked up once for all of them."""
    segs, pois = ds.segment_map(), tuple(ds.pois.items)
    return [_tour_facts(ds, tour, segs, pois, dem, corridor_m, reverse) for tour in tours]


def _tour_facts(ds: Dataset, tour: Tour, segs: dict[str, Segment], pois: tuple[Poi, ...], dem: Dem | None,
                corridor_m: float, reverse: bool) -> TourFacts:
    lines = _legs(ds, tour, segs, dem)
    geo = geometry_of_legs(lines)
    legs = tuple((segs[leg.segment], line) for leg, line in zip(tour.legs, lines, strict=True))
    by_status: dict[str, float] = {}
    for seg, line in legs:
        by_status[seg.status] = by_status.get(seg.status, 0.0) + line_length_m(line)
    stages = _stages(tour, geo, pois, corridor_m, reverse)
    whole = line_facts(_oriented(geo.pieces, reverse), pois, corridor_m)
    if reverse:
        legs = tuple((seg, tuple(reversed(line))) for seg, line in reversed(legs))
    return TourFacts(whole.parts, whole.length_m, whole.climb, whole.profile, whole.pois, tour, reverse, stages,
                     legs, dict(sorted(by_status.items())), geo)


_SEGMENT_MAPS: list[tuple[tuple[Segment, ...], dict[str, Segment]]] = []


def _segment_map(ds: Dataset) -> dict[str, Segment]:
    """``ds.segment_map()``, reused across the tours of one dataset (checked by a tuple comparison,
    identity first), so facts for every tour do not rebuild it for each tour."""
    items = tuple(ds.segments.items)
    if _SEGMENT_MAPS and _SEGMENT_MAPS[0][0] == items:
        return _SEGMENT_MAPS[0][1]
    segs = ds.segment_map()
    _SEGMENT_MAPS[:] = [(items, segs)]
    return segs


def _oriented(parts: tuple[Line, ...], reverse: bool) -> tuple[Line, ...]:
    return reverse_parts(parts) if reverse else parts


def _stages(tour: Tour, geo: TourGeometry, pois: Sequence[Poi], corridor_m: float,
            reverse: bool) -> tuple[StageFacts, ...]:
    positions = locate_stages(tour, geo)
    if reverse:
        positions.reverse()
    total = geo.length_m
    out = []
    for n, pos in enumerate(positions, 1):
        f = line_facts(_oriented(geo.between(pos.start_m, pos.end_m), reverse), pois, corridor_m)
        st: Stage = pos.stage
        if reverse:
            ends = (st.end, st.start, total - pos.end_m, total - pos.start_m, pos.end_offset_m, pos.start_offset_m)
        else:
            ends = (st.start, st.end, pos.start_m, pos.end_m, pos.start_offset_m, pos.end_offset_m)
        out.append(StageFacts(f.parts, f.length_m, f.climb, f.profile, f.pois, n, st.id, st.name, *ends))
    return tuple(out)
