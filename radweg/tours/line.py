"""Tours and stages as lines: assembling a tour from its segments, cutting out stages."""

from __future__ import annotations

from dataclasses import dataclass

from radweg.errors import NotFoundError
from radweg.geometry import cut, join_lines, line_length_m, locate
from radweg.model import Line, Place, Poi, Segment, Stage, Tour


def leg_lines(tour: Tour, segments: dict[str, Segment]) -> list[Line]:
    """The coordinates of each leg, in riding direction."""
    out: list[Line] = []
    for leg in tour.legs:
        seg = segments.get(leg.segment)
        if seg is None:
            raise NotFoundError(f"tour '{tour.id}': segment '{leg.segment}' does not exist")
        out.append(tuple(reversed(seg.coords)) if leg.reverse else seg.coords)
    return out


def tour_line(tour: Tour, segments: dict[str, Segment]) -> Line:
    """The whole tour as one polyline (gaps between legs are bridged by a straight step)."""
    return join_lines(leg_lines(tour, segments))


@dataclass(frozen=True)
class StagePosition:
    """Where a stage lies on its tour, in metres."""

    stage: Stage
    start_m: float
    end_m: float
    start_offset_m: float
    end_offset_m: float

    @property
    def length_m(self) -> float:
        return self.end_m - self.start_m


def locate_stages(tour: Tour, line: Line) -> list[StagePosition]:
    """Project each stage's start and end onto the tour line.

    Each stage is searched for after the start of the stage before it, and each
    end after its start, so round tours and tours that pass a place twice work.
    """
    out = []
    total = line_length_m(line)
    cursor = 0.0
    for stage in tour.stages:
        s_along, s_off = _locate_from(line, total, cursor, stage.start.coords)
        # the end is looked for from 1 m past the start, so a round tour's end is its last vertex
        e_along, e_off = _locate_from(line, total, s_along + 1.0, stage.end.coords)
        out.append(StagePosition(stage, s_along, e_along, s_off, e_off))
        cursor = s_along
    return out


def _locate_from(line: Line, total: float, from_m: float, point: tuple[float, ...]) -> tuple[float, float]:
    if from_m <= 0.0 or total - from_m < 1.0:
        return locate(line, point)
    along, off = locate(cut(line, from_m, total), point)
    return from_m + along, off


def tour_length_m(tour: Tour, segments: dict[str, Segment]) -> float:
    """Geodesic length of a tour: the sum of its legs (junction steps not counted)."""
    return sum(line_length_m(line) for line in leg_lines(tour, segments))


def resolve_place(spec: str, line: Line, pois: dict[str, Poi], *, name: str | None = None) -> Place:
    """A stage end from a command-line spec.

    ``start`` and ``end`` are the tour's ends; ``km:12.5`` a distance along
    the tour; ``LON,LAT`` a position; anything else the id of a POI.
    """
    from radweg.errors import DataError

    spec = spec.strip()
    if spec == "start":
        return Place(name or "", line[0][:2])
    if spec == "end":
        return Place(name or "", line[-1][:2])
    if spec.startswith("km:"):
        try:
            at = float(spec[3:]) * 1000.0
        except ValueError:
            raise DataError(f"'{spec}' is not km:NUMBER") from None
        total = line_length_m(line)
        if not 0 <= at <= total:
            raise DataError(f"'{spec}' is beyond the tour's {total / 1000:.2f} km")
        return Place(name or f"km {at / 1000:g}", cut(line, 0.0, at)[-1][:2])
    if "," in spec:
        try:
            lon, lat = (float(v) for v in spec.split(","))
        except ValueError:
            raise DataError(f"'{spec}' is not LON,LAT") from None
        return Place(name or "", (lon, lat))
    poi = pois.get(spec)
    if poi is None:
        raise NotFoundError(f"'{spec}' is neither start, end, km:N, LON,LAT nor a POI id")
    return Place(name or poi.name, poi.coords[:2])
