"""One gap report: the gaps, their scores and ranks, connectors (with a street network) and triage.

Renderers in :mod:`radweg.gaps.render` turn a :class:`GapReport` into md, html, csv,
geojson or gpkg; :func:`gap_record` is the flat row they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from radweg.gaps.detect import find_gaps
from radweg.gaps.model import KIND_LABELS_DE, Gap, GapConfig
from radweg.gaps.priority import PARTS, PriorityConfig, Score, score_gaps
from radweg.gaps.triage import UNTRIAGED, TriageEntry
from radweg.model import Dataset

if TYPE_CHECKING:
    import networkx

    from radweg.gaps.connectors import ConnectorConfig, ConnectorResult

UNPAVED = frozenset({"unpaved", "gravel", "fine_gravel", "compacted", "ground", "dirt", "grass", "sand", "earth",
                     "mud", "pebblestone", "rock", "woodchips", "grass_paver"})


@dataclass
class GapReport:
    """Everything a report shows, gaps in rank order."""

    gaps: list[Gap]
    scores: dict[str, Score]
    config: GapConfig
    connectors: dict[str, ConnectorResult] | None = None
    """None when no street network was loaded (straight-line gaps only)."""
    network_name: str | None = None
    triage: dict[str, TriageEntry] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)

    @property
    def straight_only(self) -> bool:
        return self.connectors is None


def build_report(ds: Dataset, config: GapConfig | None = None, *, graph: networkx.MultiDiGraph | None = None,
                 network_name: str | None = None, triage: dict[str, TriageEntry] | None = None,
                 priority: PriorityConfig | None = None, connector_config: ConnectorConfig | None = None,
                 gaps: list[Gap] | None = None) -> GapReport:
    """Find (unless ``gaps`` are given), route (when ``graph`` is given), score and rank the gaps of a dataset."""
    cfg = config or GapConfig.from_project(ds.project)
    gaps = find_gaps(ds, cfg) if gaps is None else gaps
    connectors = None
    if graph is not None:
        from radweg.gaps.connectors import route_gaps

        connectors = route_gaps(gaps, graph, connector_config)
    return rank_gaps(gaps, ds, cfg, connectors=connectors, network_name=network_name, triage=triage,
                     priority=priority)


def rank_gaps(gaps: list[Gap], ds: Dataset, config: GapConfig | None = None, *,
              connectors: dict[str, ConnectorResult] | None = None, network_name: str | None = None,
              triage: dict[str, TriageEntry] | None = None, priority: PriorityConfig | None = None) -> GapReport:
    """The report of gaps already found (and routed): scored, ranked, with their triage."""
    from radweg.gaps.triage import stale

    scores = score_gaps(gaps, ds, connectors, priority or PriorityConfig.from_project(ds.project))
    ordered = sorted(gaps, key=lambda g: scores[g.id].rank)
    tri = triage or {}
    return GapReport(ordered, scores, config or GapConfig.from_project(ds.project), connectors, network_name,
                     tri, stale(ordered, tri))


def _shares(shares: tuple[tuple[str, float], ...]) -> str:
    """``residential 81%, cycleway 14%``; classes under 0.5 % are left out of the text."""
    return ", ".join(f"{k} {round(v * 100)}%" for k, v in shares if v >= 0.005)


def gap_record(report: GapReport, gap: Gap) -> dict[str, Any]:
    """The flat properties of one gap, shared by every output format."""
    score = report.scores[gap.id]
    entry = report.triage.get(gap.id)
    rec: dict[str, Any] = {
        "id": gap.id, "rank": score.rank, "kind": gap.kind, "kind_de": KIND_LABELS_DE[gap.kind],
        "detail": gap.detail, "length_m": round(gap.length_m, 1),
        "a_ref": gap.a.ref, "a_name": gap.a.name, "a_lon": gap.a.coords[0], "a_lat": gap.a.coords[1],
        "b_ref": gap.b.ref if gap.b else None, "b_name": gap.b.name if gap.b else None,
        "b_lon": gap.b.coords[0] if gap.b else None, "b_lat": gap.b.coords[1] if gap.b else None,
        "tours": ",".join(gap.tours), "segments": ",".join(gap.segments), "neighbours": ",".join(gap.neighbours),
        "status": gap.status, "network_m": gap.network_m, "joined_via": gap.joined_via,
        "score": score.total,
    }
    for part in PARTS:
        rec[f"score_{part}"] = score.parts[part]
    rec["triage"] = entry.status if entry else UNTRIAGED
    rec["comment"] = entry.comment if entry else ""
    conn = (report.connectors or {}).get(gap.id) if report.connectors is not None else None
    best = conn.connectors[0] if conn and conn.connectors else None
    rec.update({
        "connectors": len(conn.connectors) if conn else 0,
        "no_connection": (conn.no_connection if conn else (None if report.straight_only else True)),
        "connector_m": best.network_m if best else None,
        "connector_detour": best.detour if best else None,
        "connector_fast_m": best.fast_m if best else None,
        "connector_unpaved_share": unpaved_share(best.by_surface) if best else None,
        "connector_highway": _shares(best.by_highway) if best else None,
        "connector_surface": _shares(best.by_surface) if best else None,
        "connector_note": (conn.reason if conn else ("straight line only: no street network loaded"
                                                     if report.straight_only else "")),
    })
    return rec


def unpaved_share(by_surface: tuple[tuple[str, float], ...]) -> float:
    """The share of length on unpaved surfaces (3 decimals)."""
    return round(sum(v for k, v in by_surface if k in UNPAVED), 3)


def connector_record(conn: Any) -> dict[str, Any]:
    """The flat properties of one connector."""
    return {
        "id": f"{conn.gap_id}/{conn.alternative}", "gap_id": conn.gap_id, "alternative": conn.alternative,
        "network_m": conn.network_m, "straight_m": conn.straight_m, "detour": conn.detour,
        "fast_m": conn.fast_m, "unpaved_share": unpaved_share(conn.by_surface),
        "highway": _shares(conn.by_highway), "surface": _shares(conn.by_surface),
    }
