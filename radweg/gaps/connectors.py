"""Connectors: each gap routed along a street network with the cycling cost, with alternatives.

The network is a ``networkx.MultiDiGraph`` in EPSG:4326 as built by :mod:`radweg.osm.network`:
node attributes ``x`` (lon), ``y`` (lat); edge attributes ``length`` (m), ``cost``
(metre-equivalent; ``length`` is used when missing), ``highway``, ``surface``, ``maxspeed``
(int or None), optionally ``coords`` (lon/lat list) or ``geometry`` (an osmnx LineString). Routing runs Dijkstra on a
sparse matrix of the cheapest parallel edge, which is what a 70k-node county graph needs.

Alternatives: after each path its edges' costs are multiplied by ``penalty``; a new path
counts as an alternative only if at most ``max_overlap`` of its length is shared with an
earlier one (so the same path is never offered twice). Up to ``alternatives`` are kept.
A gap end further than ``snap_max_m`` from every node, or two ends the network cannot
join, gives "no connection".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radweg.geometry import distance_m, line_length_m, round_position

if TYPE_CHECKING:
    import networkx

    from radweg.gaps.model import Gap

FAST_HIGHWAYS = frozenset({"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
                           "secondary", "secondary_link"})
"""Road classes that count as busy whatever their speed limit (secondary or higher)."""


@dataclass(frozen=True)
class ConnectorConfig:
    alternatives: int = 3
    penalty: float = 3.0
    max_overlap: float = 0.7
    max_tries: int = 8
    snap_max_m: float = 500.0


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


class StreetRouter:
    """A street network prepared for many routings (see the module docstring)."""

    def __init__(self, graph: networkx.MultiDiGraph) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix
        from scipy.spatial import cKDTree

        from radweg.geometry import MetricFrame

        nodes = sorted(graph.nodes, key=str)
        self.nodes = nodes
        self.pos = {n: i for i, n in enumerate(nodes)}
        lonlat = [(float(graph.nodes[n]["x"]), float(graph.nodes[n]["y"])) for n in nodes]
        self.lonlat = lonlat
        self.frame = MetricFrame.for_coords(lonlat) if lonlat else MetricFrame(0.0, 0.0)
        xy = np.array(self.frame.to_xy(lonlat)) if lonlat else np.empty((0, 2))
        self.kdtree = cKDTree(xy) if len(xy) else None
        best: dict[tuple[int, int], tuple[float, dict[str, Any]]] = {}
        for u, v, data in graph.edges(data=True):
            length = float(data.get("length") or 0.0)
            cost = float(data.get("cost", length) or length)
            key = (self.pos[u], self.pos[v])
            if key not in best or cost < best[key][0]:
                best[key] = (cost, data)
        keys = sorted(best)
        self.edge_data = {k: best[k][1] for k in keys}
        rows = np.array([k[0] for k in keys], dtype=np.intp)
        cols = np.array([k[1] for k in keys], dtype=np.intp)
        self.base = np.array([max(best[k][0], 1e-6) for k in keys], dtype=float)
        self.edge_index = {k: i for i, k in enumerate(keys)}
        self.rows, self.cols = rows, cols
        self.size = len(nodes)
        self._csr = csr_matrix

    def nearest(self, lonlat: tuple[float, float]) -> tuple[int, float]:
        """The nearest node (index) and its distance in metres."""
        if self.kdtree is None:
            return -1, float("inf")
        (x, y), = self.frame.to_xy([lonlat])
        _, i = self.kdtree.query((x, y))
        return int(i), distance_m(lonlat, self.lonlat[int(i)])

    def shortest(self, s: int, t: int, weights: Any) -> list[int] | None:
        """Node indices of the cheapest path from s to t, or None."""
        import numpy as np
        from scipy.sparse.csgraph import dijkstra

        if s == t:
            return [s]
        mat = self._csr((weights, (self.rows, self.cols)), shape=(self.size, self.size))
        dist, pred = dijkstra(mat, directed=True, indices=s, return_predecessors=True)
        if not np.isfinite(dist[t]):
            return None
        path = [t]
        while path[-1] != s:
            path.append(int(pred[path[-1]]))
        return path[::-1]

    def edges_of(self, path: list[int]) -> list[tuple[int, int]]:
        return list(zip(path, path[1:], strict=False))

    def describe(self, gap_id: str, alternative: int, path: list[int], straight_m: float) -> Connector:
        """The bill of quantities of a path."""
        coords: list[tuple[float, float]] = [self.lonlat[path[0]]]
        by_hw: dict[str, float] = {}
        by_sf: dict[str, float] = {}
        total = fast = cost = 0.0
        for u, v in self.edges_of(path):
            data = self.edge_data[(u, v)]
            pts = _edge_coords(data) or [self.lonlat[u], self.lonlat[v]]
            if distance_m(pts[0], self.lonlat[u]) > distance_m(pts[-1], self.lonlat[u]):
                pts = pts[::-1]
            length = float(data.get("length") or line_length_m(pts))
            coords.extend(pts[1:])
            total += length
            cost += float(data.get("cost", length) or length)
            hw = _label(data.get("highway"))
            sf = _label(data.get("surface"))
            by_hw[hw] = by_hw.get(hw, 0.0) + length
            by_sf[sf] = by_sf.get(sf, 0.0) + length
            if _is_fast(data):
                fast += length
        shares = (lambda d: tuple(sorted(((k, round(v / total, 3)) for k, v in d.items()),
                                         key=lambda kv: (-kv[1], kv[0]))) if total else ())
        coords_r = tuple((round_position(c)[0], round_position(c)[1]) for c in coords)
        return Connector(gap_id, alternative, coords_r, round(total, 1), round(straight_m, 1),
                         round(total / straight_m, 2) if straight_m > 0 else None, shares(by_hw), shares(by_sf),
                         round(fast, 1), round(cost, 1))


def _edge_coords(data: dict[str, Any]) -> list[tuple[float, float]] | None:
    """An edge's lon/lat line: ``coords`` (radweg.osm.network) or ``geometry`` (osmnx), else None."""
    raw = data.get("coords")
    if raw is None and data.get("geometry") is not None:
        raw = data["geometry"].coords
    if raw is None:
        return None
    return [(float(c[0]), float(c[1])) for c in raw]


def _label(value: Any) -> str:
    if value is None or value == "":
        return "unknown"
    if isinstance(value, (list, tuple)):
        return "|".join(sorted(str(v) for v in value))
    return str(value)


def _speed(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        speeds = [s for s in (_speed(v) for v in value) if s is not None]
        return max(speeds) if speeds else None
    try:
        return float(str(value).split()[0])
    except ValueError:
        return None


def _is_fast(data: dict[str, Any]) -> bool:
    hw = data.get("highway")
    classes = set(hw) if isinstance(hw, (list, tuple)) else {hw}
    speed = _speed(data.get("maxspeed"))
    return bool(classes & FAST_HIGHWAYS) or (speed is not None and speed > 50)


def route_gap(router: StreetRouter, gap: Gap, config: ConnectorConfig | None = None) -> ConnectorResult:
    """Up to ``alternatives`` genuinely different connectors for one gap."""
    cfg = config or ConnectorConfig()
    if gap.b is None:
        return ConnectorResult(gap.id, (), True, "the gap has only one end")
    s, snap_a = router.nearest(gap.a.coords)
    t, snap_b = router.nearest(gap.b.coords)
    snaps = {"snap_a_m": round(snap_a, 1), "snap_b_m": round(snap_b, 1)}
    if snap_a > cfg.snap_max_m or snap_b > cfg.snap_max_m:
        return ConnectorResult(gap.id, (), True, f"an end is more than {cfg.snap_max_m:g} m from the street network",
                               **snaps)
    straight = distance_m(gap.a.coords, gap.b.coords)
    weights = router.base.copy()
    found: list[tuple[list[int], set[frozenset[int]], Connector]] = []
    for _ in range(cfg.max_tries):
        if len(found) >= cfg.alternatives:
            break
        path = router.shortest(s, t, weights)
        if path is None:
            break
        edges = {frozenset(e) for e in router.edges_of(path)}
        for e in router.edges_of(path):
            for key in (e, (e[1], e[0])):
                i = router.edge_index.get(key)
                if i is not None:
                    weights[i] *= cfg.penalty
        conn = router.describe(gap.id, len(found) + 1, path, straight)
        if any(_overlap(router, path, prev_edges) > cfg.max_overlap for _, prev_edges, _ in found):
            continue
        found.append((path, edges, conn))
    if not found:
        return ConnectorResult(gap.id, (), True, "the street network does not join the two ends", **snaps)
    return ConnectorResult(gap.id, tuple(c for _, _, c in found), False, "", **snaps)


def _overlap(router: StreetRouter, path: list[int], prev: set[frozenset[int]]) -> float:
    total = shared = 0.0
    for u, v in router.edges_of(path):
        length = float(router.edge_data[(u, v)].get("length") or 0.0)
        total += length
        if frozenset((u, v)) in prev:
            shared += length
    return shared / total if total else 1.0


def route_gaps(gaps: list[Gap], graph: networkx.MultiDiGraph,
               config: ConnectorConfig | None = None) -> dict[str, ConnectorResult]:
    """Connectors for every gap that has two ends, by gap id."""
    router = StreetRouter(graph)
    return {g.id: route_gap(router, g, config) for g in gaps if g.b is not None}
