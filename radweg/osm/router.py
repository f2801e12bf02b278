"""Route between two lon/lat points on the cycling network: the one router of radweg.

A :class:`Router` is built once per graph. Points are snapped to the nearest
*edge* (not the nearest node: a waypoint in the middle of a long road stays on
that road), the route starts and ends at the snapped points, and Dijkstra's
search (``scipy.sparse.csgraph``, on a sparse matrix of the cheapest parallel
edge built once per router) finds the cheapest path by the edges' ``cost`` (or
any other weight; ``length`` stands in where an edge has no such attribute).

Edge penalties (factors on the weight of chosen edges) let a caller ask for
alternatives: penalise the edges of one route and query again.

The result gives the line, its length and (unpenalised) cost, the nodes passed,
the pieces of edges ridden and the composition: the share of the length on each
highway class and surface.

The graph is a ``networkx.MultiDiGraph`` in EPSG:4326 with node attributes ``x``
(lon) and ``y`` (lat); an edge's line is its ``coords`` (radweg's graphs), else
its ``geometry`` (osmnx), else the straight line between its nodes.
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from radweg.errors import NetworkError

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

Coord = tuple[float, float]
Node = Hashable
EdgeKey = tuple[Node, Node, int]
Penalties = Mapping[tuple[Node, Node], float]
"""Factors on the weight of every edge from the first node to the second."""

_NODE_M = 0.5  # a point this close to a node is on the node


@dataclass
class Snap:
    """Where a point meets the network: the edge, how far along it (0..1) and how far off (metres)."""

    u: Node
    v: Node
    key: int
    fraction: float
    offset_m: float
    point: Coord


@dataclass(frozen=True)
class Step:
    """One edge, or the part of one, that a route rides: from ``u`` towards ``v``."""

    u: Node
    v: Node
    key: int
    length_m: float
    attrs: Mapping[str, Any] = field(repr=False)


@dataclass
class Route:
    """A routed connection."""

    coords: list[Coord]
    length_m: float
    cost: float
    composition: dict[str, dict[str, float]]
    nodes: list[Node]
    snaps: tuple[Snap, Snap] | None = field(default=None, repr=False)
    steps: tuple[Step, ...] = field(default=(), repr=False)

    @property
    def snap_m(self) -> tuple[float, float]:
        """How far the start and end points lie from the network, metres."""
        return (self.snaps[0].offset_m, self.snaps[1].offset_m) if self.snaps else (0.0, 0.0)


@dataclass
class _Piece:
    """Part of an edge ridden at the start (point to node) or end (node to point) of a route."""

    node: int
    """Index of the node where the piece meets the rest of the route."""
    edge: int
    share: float
    """The part of the edge's length ridden (0 when the point is the node itself)."""
    weight: float
    length: float
    coords: list[Coord]
    fraction: float


def label(value: Any) -> str:
    """A tag value as a composition class: "unknown" when missing, lists (osmnx) joined with "|"."""
    if value is None or value == "":
        return "unknown"
    if isinstance(value, (list, tuple)):
        return "|".join(sorted(str(v) for v in value))
    return str(value)


def composition(parts: Iterable[tuple[float, Mapping[str, Any]]]) -> dict[str, dict[str, float]]:
    """Share of the length (0..1, rounded to 3 places) per ``highway`` and ``surface``, largest first."""
    parts = list(parts)
    total = sum(length for length, _ in parts) or 1.0
    out: dict[str, dict[str, float]] = {}
    for key in ("highway", "surface"):
        acc: dict[str, float] = defaultdict(float)
        for length, d in parts:
            acc[label(d.get(key))] += length
        out[key] = {k: round(v / total, 3) for k, v in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))}
    return out


def cut(coords: Sequence[Coord], f0: float, f1: float) -> list[Coord]:
    """The part of a polyline between two fractions of its length (0 <= f0 <= f1 <= 1)."""
    coslat = math.cos(math.radians(coords[0][1]))
    cum = [0.0]
    for (ax, ay), (bx, by) in itertools.pairwise(coords):
        cum.append(cum[-1] + math.hypot((bx - ax) * coslat, by - ay))
    total = cum[-1] or 1.0

    def at(f: float) -> Coord:
        target = f * total
        for i in range(1, len(coords)):
            if cum[i] >= target:
                span = cum[i] - cum[i - 1]
                t = 0.0 if span == 0 else (target - cum[i - 1]) / span
                a, b = coords[i - 1], coords[i]
                return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        return (coords[-1][0], coords[-1][1])

    inner = [(c[0], c[1]) for c, d in zip(coords, cum, strict=False) if f0 * total < d < f1 * total]
    return [at(f0), *inner, at(f1)]


def _hashable(value: Any) -> Hashable:
    return tuple(value) if isinstance(value, list) else value


def _edge_line(G: nx.MultiDiGraph, u: Node, v: Node, d: Mapping[str, Any]) -> list[Coord]:
    """An edge's lon/lat line from ``u`` to ``v``: ``coords``, else ``geometry``, else the two nodes."""
    a = (float(G.nodes[u]["x"]), float(G.nodes[u]["y"]))
    b = (float(G.nodes[v]["x"]), float(G.nodes[v]["y"]))
    raw = d.get("coords")
    if raw is None and d.get("geometry") is not None:
        raw = d["geometry"].coords
    if raw is None or len(raw) < 2:
        return [a, b]
    line = [(float(c[0]), float(c[1])) for c in raw]
    if math.dist(line[0], a) > math.dist(line[-1], a):  # an osmnx geometry may run from v to u
        line.reverse()
    return line


class _Edges:
    """Every edge of a graph as a row of arrays: ends (node indices), key, line, length, attributes."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        from radweg.geometry import line_length_m

        self.nodes: list[Node] = list(G.nodes)
        self.pos: dict[Node, int] = {n: i for i, n in enumerate(self.nodes)}
        rows = sorted(((self.pos[u], self.pos[v], k, d) for u, v, k, d in G.edges(keys=True, data=True)),
                      key=lambda r: (r[0], r[1]))
        self.u = [r[0] for r in rows]
        self.v = [r[1] for r in rows]
        self.key: list[int] = [r[2] for r in rows]
        self.attrs: list[dict[str, Any]] = [r[3] for r in rows]
        self.lines = [_edge_line(G, self.nodes[r[0]], self.nodes[r[1]], r[3]) for r in rows]
        self.length = [float(d["length"]) if d.get("length") not in (None, "") else line_length_m(line)
                       for d, line in zip(self.attrs, self.lines, strict=True)]
        self.index: dict[EdgeKey, int] = {(self.nodes[a], self.nodes[b], k): i
                                          for i, (a, b, k) in enumerate(zip(self.u, self.v, self.key, strict=True))}
        self.by_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, pair in enumerate(zip(self.u, self.v, strict=True)):
            self.by_pair[pair].append(i)
        self._csr_layout(len(self.nodes))

    def _csr_layout(self, n: int) -> None:
        """Where each node pair's parallel edges start, and the CSR columns and row pointers of the pairs."""
        import numpy as np

        pairs = list(self.by_pair)  # in (u, v) order, as the edges are sorted
        self.pair_starts = np.array([self.by_pair[p][0] for p in pairs], dtype=np.intp)
        self.pair_cols = np.array([p[1] for p in pairs], dtype=np.intp)
        self.indptr = np.searchsorted(np.array([p[0] for p in pairs], dtype=np.intp), np.arange(n + 1))

    def weights(self, weight: str) -> list[float]:
        """Every edge's ``weight`` attribute as a number; its length where the attribute is missing."""
        out = []
        for d, length in zip(self.attrs, self.length, strict=True):
            value = d.get(weight)
            out.append(length if value in (None, "") else float(value))
        return out

    def reverse(self, i: int) -> int | None:
        """The edge v->u that is edge ``i`` ridden backwards, if cycling is allowed that way."""
        d = self.attrs[i]
        for j in self.by_pair.get((self.v[i], self.u[i]), ()):
            if _hashable(self.attrs[j].get("osmid")) == _hashable(d.get("osmid")) and \
                    self.lines[j][::-1] == self.lines[i]:
                return j
        return None


class _SnapIndex:
    """Edge lines in a metric frame and an STRtree over them (one line per way, not per direction)."""

    def __init__(self, edges: _Edges) -> None:
        from shapely import LineString, STRtree

        from radweg.geometry import MetricFrame

        self.ids: list[int] = []
        seen: set[tuple[Hashable, frozenset[int]]] = set()
        # ways ridden both ways have a reversed twin: index the edge along the way, and a twin only when alone
        for i in sorted(range(len(edges.attrs)), key=lambda i: bool(edges.attrs[i].get("reversed"))):
            undirected = (_hashable(edges.attrs[i].get("osmid", 0)), frozenset((edges.u[i], edges.v[i])))
            if edges.attrs[i].get("reversed") and undirected in seen:
                continue
            seen.add(undirected)
            self.ids.append(i)
        self.ids.sort()
        if not self.ids:
            raise NetworkError("the network has no edges")
        flat = [c for i in self.ids for c in edges.lines[i]]
        self.frame = MetricFrame.for_coords(flat[:: max(1, len(flat) // 1000)])
        self.lines = [LineString(self.frame.to_xy(edges.lines[i])) for i in self.ids]
        self.tree = STRtree(self.lines)

    def nearest(self, point: Coord) -> list[tuple[int, float, float]]:
        """(edge, fraction along it, distance in metres) of the nearest edge, or of all equally near ones."""
        import shapely

        (px, py), = self.frame.to_xy([point])
        p = shapely.Point(px, py)
        out = []
        for j in sorted(int(i) for i in self.tree.query_nearest(p, all_matches=True)):
            line = self.lines[j]
            fraction = float(line.project(p, normalized=True)) if line.length > 0 else 0.0
            out.append((self.ids[j], fraction, float(line.distance(p))))
        return out


class Router:
    """A street network prepared for many routings: edge table, snapping index and sparse matrix.

    Edge attributes are read once, when the router is built; build a new one after
    changing the graph.
    """

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self.edges = _Edges(graph)
        self._snap_index = _SnapIndex(self.edges)
        self._weights: dict[str, NDArray[np.float64]] = {}
        self.size = (len(graph), graph.number_of_edges())

    # snapping ---------------------------------------------------------------------------------

    def snaps(self, point: Coord) -> list[Snap]:
        """The nearest edge to a lon/lat point, or all edges equally near (a point on a junction touches several)."""
        e = self.edges
        return [Snap(e.nodes[e.u[i]], e.nodes[e.v[i]], e.key[i], fraction, offset, point)
                for i, fraction, offset in self._snap_index.nearest(point)]

    def snap(self, point: Coord) -> Snap:
        """The nearest edge to a lon/lat point."""
        return self.snaps(point)[0]

    # routing ----------------------------------------------------------------------------------

    def route(self, orig: Coord, dest: Coord, *, weight: str = "cost",
              penalties: Penalties | None = None) -> Route | None:
        """The cheapest route from ``orig`` to ``dest`` (lon, lat), or None when no path exists.

        ``penalties`` multiplies the weight of edges (by their node pair, both parts of a
        snapped edge included) for this query only; the route's ``cost`` stays unpenalised.
        """
        snaps_o, snaps_d = self.snaps(orig), self.snaps(dest)
        w = self._penalised(weight, penalties)
        starts = [p for s in snaps_o for p in self._pieces(s, w, at_start=True)]
        ends = [p for s in snaps_d for p in self._pieces(s, w, at_start=False)]
        direct = _direct(starts, ends, w)
        found = self._search(starts, ends, w)
        snaps = (snaps_o[0], snaps_d[0])
        if found is not None and (direct is None or found[0] < direct[0]):
            _, path, end = found
            return self._assemble(path, starts, end, weight, w, snaps)
        if direct is not None:
            _, a, b = direct
            return self._assemble_direct(a, b, weight, snaps)
        return None

    def _base_weights(self, weight: str) -> NDArray[np.float64]:
        import numpy as np

        if weight not in self._weights:
            self._weights[weight] = np.array(self.edges.weights(weight), dtype=float)
        return self._weights[weight]

    def _penalised(self, weight: str, penalties: Penalties | None) -> NDArray[np.float64]:
        """The weight of every edge for one query: the base weight times any penalty on its node pair."""
        base = self._base_weights(weight)
        if not penalties:
            return base
        w = base.copy()
        pos = self.edges.pos
        for (a, b), factor in penalties.items():
            if a in pos and b in pos:
                for i in self.edges.by_pair.get((pos[a], pos[b]), ()):
                    w[i] *= factor
        return w

    def _pieces(self, s: Snap, w: NDArray[np.float64], *, at_start: bool) -> list[_Piece]:
        """Ways to leave (at_start) or reach the snapped point along its edge, in each allowed direction."""
        e = self.edges
        i = e.index[(s.u, s.v, s.key)]
        options = [(i, s.fraction)]
        j = e.reverse(i)
        if j is not None:
            options.append((j, 1.0 - s.fraction))
        out = []
        for k, frac in options:
            u, v, line, length, weight = e.u[k], e.v[k], e.lines[k], e.length[k], float(w[k])
            near = _NODE_M / (length or 1.0)
            if at_start and frac <= near:  # standing on u already, whichever way the edge may be ridden
                out.append(_Piece(u, k, 0.0, 0.0, 0.0, [line[0]], 0.0))
            if not at_start and frac >= 1.0 - near:  # the point is v itself
                out.append(_Piece(v, k, 0.0, 0.0, 0.0, [line[-1]], 1.0))
            share = 1.0 - frac if at_start else frac  # from the point to v, or from u to the point
            piece = cut(line, frac, 1.0) if at_start else cut(line, 0.0, frac)
            if share <= 0.0:  # the point is the node: one position, not a zero-length line
                piece = piece[:1]
            out.append(_Piece(v if at_start else u, k, share, weight * share, length * share, piece, frac))
        return out

    def _matrix(self, w: NDArray[np.float64], starts: list[_Piece]) -> Any:
        """The graph as a CSR matrix of the cheapest parallel edge, plus a source row joined to the start nodes."""
        import numpy as np
        from scipy.sparse import csr_matrix

        e = self.edges
        n = len(e.nodes)
        first: dict[int, float] = {}
        for a in starts:
            first[a.node] = min(first.get(a.node, math.inf), a.weight)
        cols = sorted(first)
        cheapest = np.minimum.reduceat(w, e.pair_starts) if len(w) else w
        data = np.concatenate([cheapest, np.array([first[c] for c in cols], dtype=float)])
        indices = np.concatenate([e.pair_cols, np.array(cols, dtype=np.intp)])
        indptr = np.append(e.indptr, e.indptr[-1] + len(cols))
        return csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))

    def _search(self, starts: list[_Piece], ends: list[_Piece],
                w: NDArray[np.float64]) -> tuple[float, list[int], _Piece] | None:
        """Dijkstra from the start pieces: the cheapest (weight, node path, end piece), or None."""
        from scipy.sparse.csgraph import dijkstra

        if not starts or not ends:
            return None
        n = len(self.edges.nodes)
        dist, pred = dijkstra(self._matrix(w, starts), directed=True, indices=n, return_predecessors=True)
        best: tuple[float, _Piece] | None = None
        for b in ends:
            total = float(dist[b.node]) + b.weight
            if math.isfinite(total) and (best is None or total < best[0]):
                best = (total, b)
        if best is None:
            return None
        path = [best[1].node]
        while int(pred[path[-1]]) != n:
            path.append(int(pred[path[-1]]))
        path.reverse()
        return best[0], path, best[1]

    def _assemble(self, path: list[int], starts: list[_Piece], end: _Piece, weight: str,
                  w: NDArray[np.float64], snaps: tuple[Snap, Snap]) -> Route:
        """The route along a node path, with its start and end pieces."""
        e = self.edges
        start = min((a for a in starts if a.node == path[0]), key=lambda a: a.weight)
        # between two nodes the search took the cheapest of the parallel edges
        hops = [min(e.by_pair[pair], key=lambda i: float(w[i])) for pair in itertools.pairwise(path)]
        used = [(start.edge, start.share, start.length)] + [(i, 1.0, e.length[i]) for i in hops]
        used.append((end.edge, end.share, end.length))
        coords: list[Coord] = list(start.coords)
        for i in hops:
            coords.extend(e.lines[i][1:])
        coords.extend(end.coords[1:])
        return self._result(coords, used, weight, [e.nodes[i] for i in path], snaps)

    def _assemble_direct(self, a: _Piece, b: _Piece, weight: str, snaps: tuple[Snap, Snap]) -> Route:
        """The route along one edge, from one point on it to a later one."""
        share = b.fraction - a.fraction
        used = [(a.edge, share, self.edges.length[a.edge] * share)]
        return self._result(cut(self.edges.lines[a.edge], a.fraction, b.fraction), used, weight, [], snaps)

    def _result(self, coords: list[Coord], used: list[tuple[int, float, float]], weight: str, nodes: list[Node],
                snaps: tuple[Snap, Snap]) -> Route:
        """A Route from its line and the (edge, share, length) it rides: length, unpenalised cost, composition."""
        e = self.edges
        base = self._base_weights(weight)
        steps = tuple(Step(e.nodes[e.u[i]], e.nodes[e.v[i]], e.key[i], length, e.attrs[i])
                      for i, _, length in used if length > 0)
        length = sum(length for _, _, length in used)
        cost = sum(float(base[i]) * share for i, share, _ in used)
        return Route(coords, length, cost, composition((s.length_m, s.attrs) for s in steps), nodes, snaps, steps)


def _direct(starts: list[_Piece], ends: list[_Piece],
            w: NDArray[np.float64]) -> tuple[float, _Piece, _Piece] | None:
    """Both points on the same edge, the destination ahead of the origin: ride straight along it."""
    best: tuple[float, _Piece, _Piece] | None = None
    for a in starts:
        for b in ends:
            if a.edge == b.edge and b.fraction >= a.fraction:
                cost = float(w[a.edge]) * (b.fraction - a.fraction)
                if best is None or cost < best[0]:
                    best = (cost, a, b)
    return best


_ROUTERS: weakref.WeakKeyDictionary[Any, Router] = weakref.WeakKeyDictionary()


def router_for(G: nx.MultiDiGraph, *, rebuild: bool = False) -> Router:
    """The router of a graph: built on first use and kept while the graph lives.

    A change in the number of nodes or edges is noticed; after changing edge
    attributes call ``router_for(G, rebuild=True)``.
    """
    router = _ROUTERS.get(G)
    if router is None or rebuild or router.size != (len(G), G.number_of_edges()):
        router = _ROUTERS[G] = Router(G)
    return router


def snap(G: nx.MultiDiGraph, point: Coord) -> Snap:
    """The nearest edge to a lon/lat point."""
    return router_for(G).snap(point)


def route(G: nx.MultiDiGraph, orig: Coord, dest: Coord, *, weight: str = "cost") -> Route | None:
    """The cheapest route from ``orig`` to ``dest`` (lon, lat) on ``G``, or None when no path exists."""
    return router_for(G).route(orig, dest, weight=weight)
