"""Length statistics: by status, surface, way type and municipality, per tour and per stage.

All lengths are geodesic (WGS84 ellipsoid), in metres. A tour's and its
stages' figures are those of :func:`radweg.tours.facts.tour_facts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from radweg.geometry import line_length_m
from radweg.model import Dataset, Tour

if TYPE_CHECKING:
    from radweg.boundaries import Area

UNSET = "(unset)"


def _by(values: Sequence[tuple[str | None, float]]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for key, length in values:
        out[key or UNSET] += length
    return dict(sorted(out.items()))


def network_stats(ds: Dataset, areas: Sequence[Area] | None = None) -> dict[str, Any]:
    """Totals for the whole network of segments.

    With ``areas`` (see :func:`radweg.boundaries.read_areas`), ``by_municipality``
    is every segment's length split by the polygons it crosses (the pieces in
    no polygon under :data:`radweg.boundaries.OUTSIDE`), and
    ``by_municipality_status`` splits each municipality's metres by status;
    without them, ``by_municipality`` sums the segments' ``municipality`` field.
    """
    lengths = [(s, line_length_m(s.coords)) for s in ds.segments.items]
    out: dict[str, Any] = {
        "segments": len(lengths),
        "length_m": sum(length for _, length in lengths),
        "by_status": _by([(s.status, length) for s, length in lengths]),
        "by_surface": _by([(s.surface, length) for s, length in lengths]),
        "by_way_type": _by([(s.way_type, length) for s, length in lengths]),
        "by_municipality": _by([(s.municipality, length) for s, length in lengths]),
    }
    if areas is not None:
        from radweg.boundaries import split_segments

        split = split_segments(ds.segments.items, areas)
        out["by_municipality"] = split.by_area_m()
        out["by_municipality_status"] = split.by_area_and_key({s.id: s.status for s in ds.segments.items})
    return out


def tour_stats(ds: Dataset, tour: Tour) -> dict[str, Any]:
    """Length, ascent and descent of a tour, its make-up by status, and each stage's figures.

    Everything comes from :func:`radweg.tours.facts.tour_facts` (a gap is
    neither ridden nor counted), in metres, unrounded.
    """
    from radweg.tours.facts import tour_facts

    facts = tour_facts(ds, tour)
    stages = [{"id": s.id, "name": s.name, "start": s.start.name, "end": s.end.name, "start_m": s.start_m,
               "length_m": s.length_m, "ascent_m": s.ascent_m, "descent_m": s.descent_m}
              for s in facts.stages]
    return {"id": tour.id, "name": tour.name, "segments": len(tour.legs), "length_m": facts.length_m,
            "ascent_m": facts.ascent_m, "descent_m": facts.descent_m, "by_status": facts.by_status_m,
            "stages": stages}
