"""Length statistics: by status, surface, way type and municipality, per tour and per stage.

All lengths are geodesic (WGS84 ellipsoid), in metres.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from radweg.geometry import line_length_m
from radweg.model import Dataset, Tour
from radweg.tours.line import leg_lines, locate_stages, tour_line

UNSET = "(unset)"


def _by(values: list[tuple[str | None, float]]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for key, length in values:
        out[key or UNSET] += length
    return dict(sorted(out.items()))


def network_stats(ds: Dataset) -> dict[str, Any]:
    """Totals for the whole network of segments."""
    lengths = [(s, line_length_m(s.coords)) for s in ds.segments.items]
    return {
        "segments": len(lengths),
        "length_m": sum(length for _, length in lengths),
        "by_status": _by([(s.status, length) for s, length in lengths]),
        "by_surface": _by([(s.surface, length) for s, length in lengths]),
        "by_way_type": _by([(s.way_type, length) for s, length in lengths]),
        "by_municipality": _by([(s.municipality, length) for s, length in lengths]),
    }


def tour_stats(ds: Dataset, tour: Tour) -> dict[str, Any]:
    """Length of a tour, its make-up by status, and each stage's length."""
    segs = ds.segment_map()
    lines = leg_lines(tour, segs)
    parts = [(segs[leg.segment].status, line_length_m(line)) for leg, line in zip(tour.legs, lines, strict=False)]
    line = tour_line(tour, segs)
    stages = [{"id": p.stage.id, "name": p.stage.name, "start": p.stage.start.name, "end": p.stage.end.name,
               "start_km": p.start_m / 1000.0, "length_m": p.length_m}
              for p in locate_stages(tour, line)]
    return {"id": tour.id, "name": tour.name, "segments": len(tour.legs),
            "length_m": sum(length for _, length in parts), "by_status": _by(parts), "stages": stages}
