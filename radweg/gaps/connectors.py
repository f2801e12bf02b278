"""Connectors: each gap routed along a street network with the cycling cost, with alternatives.

The network is a ``networkx.MultiDiGraph`` in EPSG:4326 as built by :mod:`radweg.osm.network`:
node attributes ``x`` (lon), ``y`` (lat); edge attributes ``length`` (m), ``cost``
(metre-equivalent; ``length`` is used when missing), ``highway``, ``surface``, ``maxspeed``
(int or None), optionally ``coords`` (lon/lat list) or ``geometry`` (an osmnx LineString).
Routing is :class:`radweg.osm.router.Router`'s: the gap ends snap onto the nearest edge and
Dijkstra runs on a sparse matrix of the cheapest parallel edge, which is what a 70k-node
county graph needs.

Alternatives: after each route the cost of its ways (both directions) is multiplied by
``penalty``; a new route counts as an alternative only if at most ``max_overlap`` of its
length is shared with an earlier one (so the same route is never offered twice). Up to
``alternatives`` are kept. A gap end further than ``snap_max_m`` (500 m) from every way
means the network does not cover the gap: it gets no connector (never a long straight
"off-network" line), and :func:`coverage_warnings` gives a line for each such gap. Two
ends on separate parts of the network give "no connection" (the reason says so, and no
search is made), and so do two ends it joins only by a
detour: a connector costs at most ``max_detour`` × the gap + ``detour_slack_m`` (4× + 1 km by
default, in the cycling cost's metres, never less than the length; the router stops searching
there, which is also what keeps bulk routing fast).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radweg.geometry import distance_m, round_xy
from radweg.osm.router import EdgePenalties, Route, Router

if TYPE_CHECKING:
    import networkx

    from radweg.gaps.model import Gap
    from radweg.osm.streets import StreetGraph

NOT_COVERED = "the street network does not cover this gap"
"""The start of the reason of a gap whose ends lie farther than the snap limit from the network."""

FAST_HIGHWAYS = frozenset({"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
                           "secondary", "secondary_link"})
"""Road classes that count as busy whatever their speed limit (secondary or higher)."""


@dataclass(frozen=True)
class ConnectorConfig:
    """How many alternatives to look for, how to find them and how far a gap end may lie off the network."""

    alternatives: int = 3
    penalty: float = 3.0
    max_overlap: float = 0.7
    max_tries: int = 8
    snap_max_m: float = 500.0
    max_detour: float = 4.0
    detour_slack_m: float = 1000.0


@dataclass(frozen=True)
class Connector:
    """One routed way to close a gap, with its bill of quantities."""

    gap_id: str
    alternative: int
    coords: tuple[tuple[float, float], ...]
    network_m: float
    straight_m: float
    detour: float | None
    by_highway: tuple[tuple[str, float], ...]
    """Share of length (0..1) by highway class, largest first."""
    by_surface: tuple[tuple[str, float], ...]
    fast_m: float
    """Length on roads with maxspeed > 50 km/h or of class secondary or higher."""
    cost: float


@dataclass(frozen=True)
class ConnectorResult:
    """The connectors of one gap, or why there is none."""

    gap_id: str
    connectors: tuple[Connector, ...]
    no_connection: bool
    reason: str = ""
    snap_a_m: float | None = None
    snap_b_m: float | None = None


def _speed(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):  # the graph's tag rows hold maxspeed parsed already
        return float(value)
    if isinstance(value, (list, tuple)):
        speeds = [s for s in (_speed(v) for v in value) if s is not None]
        return max(speeds) if speeds else None
    try:
        return float(str(value).split()[0])
    except ValueError:
        return None


def _is_fast(data: Mapping[str, Any]) -> bool:
    hw = data.get("highway")
    if any(h in FAST_HIGHWAYS for h in hw) if isinstance(hw, (list, tuple)) else hw in FAST_HIGHWAYS:
        return True
    speed = _speed(data.get("maxspeed"))
    return speed is not None and speed > 50


def route_gap(router: Router, gap: Gap, config: ConnectorConfig | None = None) -> ConnectorResult:
    """Up to ``alternatives`` genuinely different connectors for one gap."""
    return _route_gap(router, gap, config or ConnectorConfig(), {})


def _route_gap(router: Router, gap: Gap, cfg: ConnectorConfig, fast_rows: dict[int, bool]) -> ConnectorResult:
    if gap.b is None:
        return ConnectorResult(gap.id, (), True, "the gap has only one end")
    snap_a, snap_b = router.snap(gap.a.coords).offset_m, router.snap(gap.b.coords).offset_m
    snaps = {"snap_a_m": round(snap_a, 1), "snap_b_m": round(snap_b, 1)}
    if snap_a > cfg.snap_max_m or snap_b > cfg.snap_max_m:
        far = [f"{which} is {_fmt_m(off)}" for which, off in (("start", snap_a), ("end", snap_b))
               if off > cfg.snap_max_m]
        return ConnectorResult(gap.id, (), True, NOT_COVERED + f": its {' and its '.join(far)} from the nearest "
                               f"way (snap limit {cfg.snap_max_m:g} m)", **snaps)
    found = _alternatives(router, gap, cfg, fast_rows)
    if not found:
        if not router.joined(gap.a.coords, gap.b.coords):
            return ConnectorResult(gap.id, (), True, "the street network does not join the two ends: they lie "
                                   "on separate parts of it", **snaps)
        return ConnectorResult(gap.id, (), True, "the street network does not join the two ends within "
                               f"{cfg.max_detour:g}× the gap + {_fmt_m(cfg.detour_slack_m)}", **snaps)
    return ConnectorResult(gap.id, tuple(found), False, "", **snaps)


def _alternatives(router: Router, gap: Gap, cfg: ConnectorConfig, fast_rows: dict[int, bool]) -> list[Connector]:
    """Route again and again, penalising the ways used so far; keep the routes that differ enough."""
    assert gap.b is not None
    straight = distance_m(gap.a.coords, gap.b.coords)
    penalties: EdgePenalties | None = None
    found: list[tuple[set[int], Connector]] = []  # each route's ways (see StepTable.ways)
    last: Route | None = None
    floor = 0.0  # penalties of at least 1 make no route cheaper than the first: a hint for the search
    for _ in range(cfg.max_tries):
        if len(found) >= cfg.alternatives:
            break
        if last is not None:  # the ways of the route before, both directions, cost more now
            penalties = router.penalise(last, cfg.penalty, penalties)
        r = last = router.route(gap.a.coords, gap.b.coords, penalties=penalties, max_detour=cfg.max_detour,
                                detour_slack_m=cfg.detour_slack_m, at_least=floor)
        if r is not None and penalties is None and cfg.penalty >= 1.0:
            floor = r.cost * (1.0 - 1e-9)
        if r is None:
            break
        assert r.table is not None
        ways = r.table.ways().tolist()
        lengths = r.table.length_m.tolist()
        if any(_overlap(lengths, ways, used) > cfg.max_overlap for used, _ in found):
            continue
        found.append((set(ways), describe(gap.id, len(found) + 1, r, straight, fast_rows=fast_rows)))
    return [c for _, c in found]


def describe(gap_id: str, alternative: int, r: Route, straight_m: float, *,
             fast_rows: dict[int, bool] | None = None) -> Connector:
    """The bill of quantities of a routed connector. ``fast_rows`` may carry the verdicts on tag rows from one
    route to the next (keyed by the rows' identity, so only while the router's graph lives)."""
    total = r.length_m
    verdicts = {} if fast_rows is None else fast_rows  # steps share their tag rows: judge each row once
    fast = 0.0
    if r.table is not None:
        table = r.table.graph.tag_table
        for row, metres in zip(r.table.row.tolist(), r.table.length_m.tolist(), strict=True):
            known = verdicts.get(id(table[row]))
            if known is None:
                known = verdicts[id(table[row])] = _is_fast(table[row])
            if known:
                fast += metres
    else:
        for s in r.steps:
            if _is_fast(s.attrs):
                fast += s.length_m

    def shares(key: str) -> tuple[tuple[str, float], ...]:
        return tuple(r.composition[key].items()) if total else ()

    coords = tuple(round_xy(r.xy))
    return Connector(gap_id, alternative, coords, round(total, 1), round(straight_m, 1),
                     round(total / straight_m, 2) if straight_m > 0 else None, shares("highway"), shares("surface"),
                     round(fast, 1), round(r.cost, 1))


def _overlap(lengths: list[float], ways: list[int], used: set[int]) -> float:
    """The share of a route's length (its steps' ``lengths`` and ``ways``) on ways an earlier route ``used``."""
    total = sum(lengths)
    shared = sum(metres for metres, way in zip(lengths, ways, strict=True) if way in used)
    return shared / total if total else 1.0


def _fmt_m(m: float) -> str:
    return f"{m:.0f} m" if m < 10_000 else f"{m / 1000:,.0f} km"


def not_covered(results: Mapping[str, ConnectorResult]) -> list[ConnectorResult]:
    """The gaps the network does not cover (an end farther than the snap limit from its ways), by gap id."""
    return [r for _, r in sorted(results.items()) if r.no_connection and r.reason.startswith(NOT_COVERED)]


def coverage_warnings(results: Mapping[str, ConnectorResult], network: str | None = None) -> list[str]:
    """One line per gap the network does not cover, e.g. for the command line."""
    name = f"network '{network}'" if network else "the street network"
    return [f"warning: gap {r.gap_id}: {r.reason.replace('the street network', name, 1)}; it stays a straight line"
            for r in not_covered(results)]


def route_gaps(gaps: list[Gap], graph: networkx.MultiDiGraph | StreetGraph | Router,
               config: ConnectorConfig | None = None) -> dict[str, ConnectorResult]:
    """Connectors for every gap that has two ends, by gap id. ``graph`` may be a :class:`Router` already
    built for the network (reused, with what it has cached); all gap ends are snapped in one query first."""
    two_ended = [g for g in gaps if g.b is not None]
    if not two_ended:
        return {}
    if not isinstance(graph, Router) and graph.number_of_edges() == 0:
        return {g.id: ConnectorResult(g.id, (), True, "the street network has no ways") for g in two_ended}
    router = graph if isinstance(graph, Router) else Router(graph)
    router.snap_many([end.coords for g in two_ended for end in (g.a, g.b) if end is not None])
    cfg, fast_rows = config or ConnectorConfig(), dict[int, bool]()
    return {g.id: _route_gap(router, g, cfg, fast_rows) for g in two_ended}
