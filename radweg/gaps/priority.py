"""A tourism-minded priority for gaps, with every part shown so a planner can disagree with it.

The score of a gap is a sum of parts, each a weight times a plain quantity:

==================  ==========================================================================  =======
part                quantity                                                                    weight
==================  ==========================================================================  =======
``tours``           tours the gap interrupts (continuity and status gaps)                       +15
``rideable_km``     km of rideable (``existing``) Kupferspuren segments within the catchment     +1 /km
``neighbours``      neighbouring routes within the catchment (a joined route brings riders)      +6
``stations``        railway stations (POI type ``bahnhof``) within the catchment                 +8
``heritage``        heritage POIs (halde, schacht, museum, huette, stollen, denkmal) in it       +2
``length_km``       km it costs to close: the best connector's network length if one was        -2 /km
                    routed, else the straight gap (the stretch itself for status gaps)
``traffic_km``      km of that connector on roads faster than 50 km/h or secondary and above    -10 /km
==================  ==========================================================================  =======

The catchment is everything within ``catchment_m`` (default 3 km) of the gap line.
Gaps are ranked by score, highest first; ties by id. Change the weights in
:class:`PriorityConfig` (or radweg.json ``"priority": {...}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radweg.errors import DataError
from radweg.model import RIDEABLE_STATUSES, Dataset

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from radweg.gaps.connectors import ConnectorResult
    from radweg.gaps.model import Gap

HERITAGE_TYPES = ("halde", "schacht", "museum", "huette", "stollen", "denkmal")


@dataclass(frozen=True)
class PriorityConfig:
    """Weights and the catchment of the priority score (see the module docstring)."""

    catchment_m: float = 3000.0
    w_tours: float = 15.0
    w_rideable_km: float = 1.0
    w_neighbours: float = 6.0
    w_stations: float = 8.0
    w_heritage: float = 2.0
    w_length_km: float = -2.0
    w_traffic_km: float = -10.0

    @classmethod
    def from_project(cls, project: dict[str, Any]) -> PriorityConfig:
        raw = project.get("priority") or {}
        if not isinstance(raw, dict):
            raise DataError("radweg.json: field 'priority': must be an object")
        known = set(cls.__dataclass_fields__)
        for key, value in raw.items():
            if key not in known:
                raise DataError(f"radweg.json: field 'priority.{key}': unknown setting")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise DataError(f"radweg.json: field 'priority.{key}': must be a number")
        return cls(**raw)


PARTS = ("tours", "rideable_km", "neighbours", "stations", "heritage", "length_km", "traffic_km")


@dataclass(frozen=True)
class Score:
    """A gap's score: the quantities, each part (weight × quantity), the total and the rank."""

    gap_id: str
    quantities: dict[str, float]
    parts: dict[str, float]
    total: float
    rank: int


def score_gaps(gaps: list[Gap], ds: Dataset, connectors: dict[str, ConnectorResult] | None = None,
               config: PriorityConfig | None = None) -> dict[str, Score]:
    """Score and rank every gap; returns scores by gap id."""
    import numpy as np
    import shapely

    from radweg.geometry import MetricFrame

    cfg = config or PriorityConfig()
    if not gaps:
        return {}
    frame = MetricFrame.for_coords([c for g in gaps for c in g.line])
    rideable = np.array([frame.line(s.coords) for s in ds.segments.items if s.status in RIDEABLE_STATUSES],
                        dtype=object)
    nb_geoms = np.array([shapely.multilinestrings([frame.line(line) for line in nb.lines])
                         for nb in ds.neighbours.items], dtype=object)
    pois = ds.pois.items
    poi_pts = shapely.points(frame.to_xy([p.coords for p in pois])) if pois else np.empty(0, dtype=object)
    is_station = np.array([p.type == "bahnhof" for p in pois], dtype=bool)
    is_heritage = np.array([p.type in HERITAGE_TYPES for p in pois], dtype=bool)
    geoms = []
    for gap in gaps:
        line = frame.to_xy(gap.line)
        geoms.append(shapely.points(line[0]) if len(line) == 1 else shapely.linestrings(line))
    areas = shapely.buffer(np.array(geoms, dtype=object), cfg.catchment_m)
    # each catchment against what an index finds near it, never against every segment, route and POI
    rid_km = _per_gap(len(gaps), areas, rideable, "intersects",
                      lambda gi, ti: shapely.length(shapely.intersection(rideable[ti], areas[gi]))) / 1000.0
    nbs = _per_gap(len(gaps), areas, nb_geoms, "intersects", lambda gi, ti: np.ones(len(gi)))
    stations = _per_gap(len(gaps), areas, poi_pts, "contains", lambda gi, ti: is_station[ti].astype(float))
    heritage = _per_gap(len(gaps), areas, poi_pts, "contains", lambda gi, ti: is_heritage[ti].astype(float))
    weights = {"tours": cfg.w_tours, "rideable_km": cfg.w_rideable_km, "neighbours": cfg.w_neighbours,
               "stations": cfg.w_stations, "heritage": cfg.w_heritage, "length_km": cfg.w_length_km,
               "traffic_km": cfg.w_traffic_km}
    rows = []
    for k, gap in enumerate(gaps):
        conn = (connectors or {}).get(gap.id)
        best = conn.connectors[0] if conn and conn.connectors else None
        if gap.kind == "status":
            length_km = gap.length_m / 1000.0
        elif best is not None:
            length_km = best.network_m / 1000.0
        else:
            length_km = gap.length_m / 1000.0
        q = {
            "tours": float(len(gap.tours)),
            "rideable_km": round(float(rid_km[k]), 2),
            "neighbours": float(nbs[k]),
            "stations": float(stations[k]),
            "heritage": float(heritage[k]),
            "length_km": round(length_km, 2),
            "traffic_km": round(best.fast_m / 1000.0, 2) if best is not None and gap.kind != "status" else 0.0,
        }
        parts = {k: round(weights[k] * q[k], 2) + 0.0 for k in PARTS}
        rows.append((gap.id, q, parts, round(sum(parts.values()), 2)))
    rows.sort(key=lambda r: (-r[3], r[0]))
    return {gid: Score(gid, q, parts, total, rank) for rank, (gid, q, parts, total) in enumerate(rows, start=1)}


def _per_gap(count: int, areas: np.ndarray, things: np.ndarray, predicate: str,
             value: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Per catchment: the sum of ``value`` over the things an STRtree finds for it by ``predicate``."""
    import numpy as np
    import shapely

    if not len(things):
        return np.zeros(count)
    gi, ti = shapely.STRtree(things).query(areas, predicate=predicate)
    order = np.lexsort((ti, gi))
    gi, ti = gi[order], ti[order]
    return np.bincount(gi, weights=value(gi, ti), minlength=count)
