"""Checks across the whole dataset, collecting every problem.

Parsing (``radweg.io.geojson``) already checks each feature on its own:
types, required fields, vocabularies, coordinate ranges. This module checks
what needs more than one feature: the project area, tours that name missing
segments, stages that do not lie on their tour. The settings it checks against
(``bbox``, ``stage_tolerance_m``, the terrain model ``dem``) are the dataset's own (``Dataset.project``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from radweg.data.layout import DATA_FILES
from radweg.errors import Problem
from radweg.geometry import distance_m
from radweg.model import Dataset, Position
from radweg.tours.line import locate_stages, tour_line

JUNCTION_TOLERANCE_M = 25.0
"""Consecutive legs of a tour whose ends are further apart than this get a warning."""


def errors_only(problems: list[Problem]) -> list[Problem]:
    """The problems that are errors (not warnings)."""
    return [p for p in problems if not p.warning]


def validate(ds: Dataset, *, files: Mapping[str, str] = DATA_FILES, parsed_cleanly: bool = True) -> list[Problem]:
    """Every cross-feature problem in a dataset, checked against its settings (``ds.project``).

    ``files`` names each kind's file in the messages (default: its path in a
    data folder). With ``parsed_cleanly=False`` (some features did not parse)
    only the checks that stand on single features run, so that a segment that
    failed to parse is not reported again as missing from its tours.
    """
    def name(kind: str) -> str:
        return files.get(kind, kind)

    from radweg.elevation.settings import check_settings

    problems: list[Problem] = check_settings(ds.project, ds.root)
    bbox = ds.project.get("bbox")
    if bbox:
        problems += _check_area(ds, bbox, name)
    if not parsed_cleanly:
        return problems
    problems += _check_tours(ds, name("tours"), float(ds.project.get("stage_tolerance_m") or 100.0))
    return problems


def _outside(pos: Position, bbox: list[float]) -> bool:
    w, s, e, n = bbox
    return not (w <= pos[0] <= e and s <= pos[1] <= n)


def _area_problem(file: str, feature: str, pos: Position, bbox: list[float], where: str) -> Problem:
    swapped = (pos[1], pos[0])
    hint = "; latitude and longitude look swapped (GeoJSON is [lon, lat])" if not _outside(swapped, bbox) else ""
    return Problem(file, f"{where} [{pos[0]}, {pos[1]}] lies outside the project area {bbox} (radweg.json){hint}",
                   feature, "geometry")


def _check_area(ds: Dataset, bbox: list[float], name: Callable[[str], str]) -> list[Problem]:
    problems: list[Problem] = []
    for seg in ds.segments.items:
        for i, pos in enumerate(seg.coords):
            if _outside(pos, bbox):
                problems.append(_area_problem(name("segments"), f"'{seg.id}'", pos, bbox, f"position {i}"))
                break
    for poi in ds.pois.items:
        if _outside(poi.coords, bbox):
            problems.append(_area_problem(name("pois"), f"'{poi.id}'", poi.coords, bbox, "Point"))
    for nb in ds.neighbours.items:
        for line in nb.lines:
            bad = next((p for p in line if _outside(p, bbox)), None)
            if bad is not None:
                problems.append(_area_problem(name("neighbours"), f"'{nb.id}'", bad, bbox, "position"))
                break
    return problems


def _check_tours(ds: Dataset, file: str, stage_tol: float) -> list[Problem]:
    problems: list[Problem] = []
    segments = ds.segment_map()
    for tour in ds.tours.items:
        feat = f"'{tour.id}'"
        missing = [leg.segment for leg in tour.legs if leg.segment not in segments]
        for seg_id in missing:
            problems.append(Problem(file, f"names segment '{seg_id}', which does not exist", feat, "segments"))
        if missing:
            continue
        seen: set[str] = set()
        for leg in tour.legs:
            if leg.segment in seen:
                problems.append(Problem(file, f"segment '{leg.segment}' is ridden twice", feat, "segments",
                                        warning=True))
            seen.add(leg.segment)
        ends = []
        for leg in tour.legs:
            coords = segments[leg.segment].coords
            ends.append((coords[-1], coords[0]) if leg.reverse else (coords[0], coords[-1]))
        for i in range(1, len(ends)):
            step = distance_m(ends[i - 1][1], ends[i][0])
            if step > JUNCTION_TOLERANCE_M:
                problems.append(Problem(
                    file, f"legs {i - 1} and {i} ({tour.legs[i - 1]} → {tour.legs[i]}) do not meet: "
                    f"{step:.0f} m apart (wrong direction? append ':r' to reverse a segment)",
                    feat, "segments", warning=True))
        line = tour_line(tour, segments)
        previous_end = -1.0
        for pos in locate_stages(tour, line):
            label = f"stages[{tour.stages.index(pos.stage)}]"
            for which, off in (("start", pos.start_offset_m), ("end", pos.end_offset_m)):
                if off > stage_tol:
                    problems.append(Problem(
                        file, f"stage '{pos.stage.id}' {which} lies {off:.0f} m from the tour "
                        f"(allowed {stage_tol:.0f} m, radweg.json stage_tolerance_m)", feat, f"{label}.{which}"))
            if pos.end_m <= pos.start_m:
                problems.append(Problem(file, f"stage '{pos.stage.id}' ends before it starts along the tour",
                                        feat, label))
            elif pos.start_m < previous_end - stage_tol:
                problems.append(Problem(file, f"stage '{pos.stage.id}' overlaps the stage before it",
                                        feat, label, warning=True))
            previous_end = max(previous_end, pos.end_m)
    return problems
