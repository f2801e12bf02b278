"""Day stages: statistics of a tour's stages, and proposals for new ones.

A proposal cuts a tour into stages of about ``target_km`` (the ADFC audits
quality routes in 50 km day stages) that end where a cyclist can stop: at a
place to stay (POI type ``unterkunft``), a railway station (``bahnhof``) or a
town on the line. Candidates are POIs of those types within ``corridor_m`` of
the line, the named places at segment vertices (the ``waypoints`` property of
sample segments) and the places of the tour's current stages.

The choice is a shortest path over the candidates (dynamic programming), so
it is optimal and deterministic. The cost of one stage is
``100 * ((length - target) / target)**2`` plus a small preference for where it
ends (accommodation 0, station 0.5, town 1.0) plus 1 per km from the line to
that place. A stage longer than ``1.5 * target`` is only used when nothing
else is possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from radweg.errors import DataError
from radweg.model import Dataset, Place, Stage, Tour
from radweg.tours.corridor import NearPoi, along_parts
from radweg.tours.facts import LineFacts
from radweg.tours.parts import TourGeometry

if TYPE_CHECKING:
    from radweg.elevation import Dem

END_KINDS = {"unterkunft": 0.0, "bahnhof": 0.5, "ort": 1.0, "ziel": 0.0}
LONG_FACTOR = 1.5


@dataclass(frozen=True)
class StageEnd:
    """A place where a stage can end."""

    name: str
    kind: str  # "unterkunft" | "bahnhof" | "ort" | "ziel" | "start"
    along_m: float
    offset_m: float
    coords: tuple[float, ...]
    poi_id: str | None = None


@dataclass(frozen=True)
class StageReport:
    """One stage with its figures."""

    number: int
    name: str
    start: StageEnd
    end: StageEnd
    length_m: float
    ascent_m: float | None
    descent_m: float | None
    pois: tuple[NearPoi, ...] = field(default_factory=tuple)
    stage_id: str | None = None

    @property
    def start_m(self) -> float:
        return self.start.along_m

    @property
    def end_m(self) -> float:
        return self.end.along_m


def _names_at_vertices(ds: Dataset) -> dict[tuple[float, float], str]:
    """Town names at segment vertices, from the segments' ``waypoints`` lists (POI ids excluded)."""
    poi_ids = set(ds.pois.ids())
    out: dict[tuple[float, float], str] = {}
    for seg in ds.segments.items:
        names = seg.extra.get("waypoints")
        if not isinstance(names, list) or len(names) != len(seg.coords):
            continue
        for pos, name in zip(seg.coords, names, strict=False):
            if isinstance(name, str) and name and name not in poi_ids:
                out[(round(pos[0], 6), round(pos[1], 6))] = name
    return out


def candidates(ds: Dataset, tour: Tour, geo: TourGeometry, corridor_m: float) -> list[StageEnd]:
    """Every place along the tour where a stage could end, in order along it."""
    from radweg.tours.parts import locate_stages

    line = geo.line
    out: list[StageEnd] = []
    stops = [p for p in ds.pois.items if p.type in ("unterkunft", "bahnhof")]
    for near in along_parts(stops, geo.pieces, corridor_m):
        out.append(StageEnd(near.poi.name, near.poi.type, near.along_m, near.offset_m, tuple(near.poi.coords[:2]),
                            near.poi.id))
    names = _names_at_vertices(ds)
    for pos, d in zip(line, geo.cum.tolist(), strict=False):
        name = names.get((round(pos[0], 6), round(pos[1], 6)))
        if name:
            out.append(StageEnd(name, "ort", d, 0.0, tuple(pos[:2])))
    for sp in locate_stages(tour, geo):
        for place, along, off in ((sp.stage.start, sp.start_m, sp.start_offset_m),
                                  (sp.stage.end, sp.end_m, sp.end_offset_m)):
            if place.name and off <= corridor_m:
                out.append(StageEnd(place.name, "ort", along, off, tuple(place.coords[:2])))
    # one candidate per (name, about the same place): keep the nearest to the line
    best: dict[tuple[str, int], StageEnd] = {}
    for c in out:
        key = (c.name, int(c.along_m // 500))
        if key not in best or (c.offset_m, c.kind) < (best[key].offset_m, best[key].kind):
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.along_m, END_KINDS.get(c.kind, 1.0), c.name))


def _start_name(tour: Tour, cands: Sequence[StageEnd]) -> str:
    if tour.stages and tour.stages[0].start.name:
        return tour.stages[0].start.name
    at_start = [c for c in cands if c.along_m < 50.0]
    return at_start[0].name if at_start else "Start"


def _end_name(tour: Tour, cands: Sequence[StageEnd], total: float) -> str:
    if tour.stages and tour.stages[-1].end.name:
        return tour.stages[-1].end.name
    at_end = [c for c in cands if total - c.along_m < 50.0]
    return at_end[-1].name if at_end else "Ziel"


def plan(total_m: float, cands: Sequence[StageEnd], target_m: float) -> list[int]:
    """Indices into ``cands`` of the chosen intermediate stage ends (the optimal cut)."""
    inner = [c for c in cands if 1000.0 < c.along_m < total_m - 1000.0]
    points = [0.0] + [c.along_m for c in inner] + [total_m]
    kinds = [0.0] + [END_KINDS.get(c.kind, 1.0) + c.offset_m / 1000.0 for c in inner] + [0.0]
    n = len(points)
    inf = float("inf")
    cost = [inf] * n
    prev = [-1] * n
    cost[0] = 0.0
    for j in range(1, n):
        for i in range(j):
            if cost[i] == inf:
                continue
            length = points[j] - points[i]
            if length <= 0:
                continue
            c = 100.0 * ((length - target_m) / target_m) ** 2 + kinds[j]
            if length > LONG_FACTOR * target_m:
                c += 1000.0
            total = cost[i] + c
            if total < cost[j] - 1e-9:
                cost[j], prev[j] = total, i
    chosen = []
    j = prev[n - 1]
    while j > 0:
        chosen.append(j - 1)
        j = prev[j]
    chosen.reverse()
    return [cands.index(inner[k]) for k in chosen]


def _report(number: int, name: str, start: StageEnd, end: StageEnd, facts: LineFacts,
            stage_id: str | None = None) -> StageReport:
    return StageReport(number, name, start, end, facts.length_m, facts.ascent_m, facts.descent_m, facts.pois,
                       stage_id)


def _geometry(ds: Dataset, tour: Tour, dem: Dem | None) -> TourGeometry:
    """The tour's geometry, its legs draped on the DEM (given or the project's) like :func:`tour_facts`."""
    from radweg.tours.facts import tour_legs
    from radweg.tours.parts import geometry_of_legs

    return geometry_of_legs(tour_legs(ds, tour, dem))


def propose(ds: Dataset, tour: Tour, target_km: float = 50.0, *, corridor_m: float = 1500.0,
            poi_corridor_m: float = 500.0, dem_path: Path | None = None) -> list[StageReport]:
    """Proposed day stages for a tour, with km, ascent/descent and POIs along each.

    Distances are ridden distances and the figures are those of
    :func:`radweg.tours.facts.line_facts` (a gap is neither ridden nor counted).
    """
    from radweg.tours.facts import line_facts

    if target_km <= 0:
        raise DataError(f"target km must be positive, not {target_km:g}")
    with open_dem(dem_path, ds.project.get("dem_crs")) as dem:
        geo = _geometry(ds, tour, dem)
    total = geo.length_m
    cands = candidates(ds, tour, geo, corridor_m)
    chosen = [cands[i] for i in plan(total, cands, target_km * 1000.0)]
    start = StageEnd(_start_name(tour, cands), "start", 0.0, 0.0, tuple(geo.line[0][:2]))
    finish = StageEnd(_end_name(tour, cands, total), "ziel", total, 0.0, tuple(geo.line[-1][:2]))
    pois = list(ds.pois.items)
    out = []
    prev = start
    for n, end in enumerate(chosen + [finish], 1):
        facts = line_facts(geo.between(prev.along_m, end.along_m), pois, poi_corridor_m)
        out.append(_report(n, f"{prev.name} – {end.name}", prev, end, facts))
        prev = end
    return out


def current(ds: Dataset, tour: Tour, *, poi_corridor_m: float = 500.0,
            dem_path: Path | None = None) -> list[StageReport]:
    """The figures of a tour's existing stages (or the whole tour as one stage if it has none),
    from :func:`radweg.tours.facts.tour_facts`."""
    from radweg.tours.facts import tour_facts

    with open_dem(dem_path, ds.project.get("dem_crs")) as dem:
        facts = tour_facts(ds, tour, dem=dem, corridor_m=poi_corridor_m)
    if not facts.stages:
        line = facts.geometry.line
        start = StageEnd(_start_name(tour, []), "start", 0.0, 0.0, tuple(line[0][:2]))
        end = StageEnd(_end_name(tour, [], facts.length_m), "ziel", facts.length_m, 0.0, tuple(line[-1][:2]))
        return [_report(1, tour.name, start, end, facts)]
    out = []
    for sf in facts.stages:
        s = StageEnd(sf.start.name, "start", sf.start_m, sf.start_offset_m, sf.start.coords)
        e = StageEnd(sf.end.name, "ort", sf.end_m, sf.end_offset_m, sf.end.coords)
        out.append(_report(sf.number, sf.name, s, e, sf, sf.id))
    return out


def as_stages(reports: Sequence[StageReport]) -> tuple[Stage, ...]:
    """Proposed stages as the tour's stages (ids etappe-1, etappe-2 …)."""
    return tuple(Stage(f"etappe-{r.number}", r.name, Place(r.start.name, r.start.coords),
                       Place(r.end.name, r.end.coords)) for r in reports)


def open_dem(path: Path | None, crs: str | None = None) -> AbstractContextManager[Dem | None]:
    """The DEM at ``path`` opened as a context manager (``crs`` for a file without its own), or a context
    that gives None."""
    if path is None:
        return nullcontext()
    from radweg.elevation import Dem

    return Dem(path, str(crs) if crs else None)
