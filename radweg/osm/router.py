"""Route between two lon/lat points on the cycling network: the one router of radweg.

A :class:`Router` is built once per network (a :class:`radweg.osm.streets.StreetGraph`,
or a networkx graph in osmnx's conventions, converted once). Points are snapped to
the nearest *edge* (not the nearest node: a waypoint in the middle of a long road
stays on that road), the route starts and ends at the snapped points, and Dijkstra's
search (``scipy.sparse.csgraph``, compiled, on a CSR matrix of the cheapest parallel
edge built once per router and weight) finds the cheapest path by the edges' ``cost``
(or ``length``, or any other edge attribute; ``length`` stands in where it is missing).

The search is bounded: it gives up beyond ``max_detour`` × the straight line between
the two points + ``detour_slack_m`` (in the weight's metres; the cycling cost is never
less than the length), :data:`MAX_DETOUR` × + :data:`DETOUR_SLACK_M` by default, so
one query costs what the network within that reach costs, not the whole network.
A route beyond the bound is reported as none (``None``), like two unjoined points.

Edge penalties (factors on the weight of chosen edges) let a caller ask for
alternatives: penalise the edges of one route and query again.

The result gives the line, its length and (unpenalised) cost, the nodes passed,
the pieces of edges ridden and the composition: the share of the length on each
highway class and surface.
"""

from __future__ import annotations

import functools
import itertools
import math
import weakref
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from radweg.errors import NetworkError

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

    from radweg.osm.streets import StreetGraph

MAX_DETOUR = 8.0
"""Default bound of a search: this many times the straight line between the points …"""
DETOUR_SLACK_M = 2000.0
"""… plus this many metres (so short hops across a river to a bridge are still found)."""
FIRST_DETOUR = 2.0
FIRST_SLACK_M = 1000.0
"""A search first looks this far (2× the straight line + 1 km); only a route beyond it costs a second,
bounded search. The answer is the same either way."""

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
    edge: int = field(default=-1, repr=False, compare=False)
    """The router's index of the edge (internal to the router that made the snap)."""


class Step(NamedTuple):
    """One edge, or the part of one, that a route rides: from ``u`` towards ``v``."""

    u: Node
    v: Node
    key: int
    length_m: float
    attrs: Mapping[str, Any]
    """The edge's tags (``highway``, ``surface``, ``maxspeed``, ``name``, …): its row of the graph's tag
    table, shared by every edge with the same tags, so read it, never change it."""


@dataclass(frozen=True, eq=False)
class StepTable:
    """The edges a route rides, as arrays; :attr:`Route.steps` are made from it when a caller asks."""

    graph: StreetGraph = field(repr=False)
    u: NDArray[np.integer[Any]]
    """The graph's node index each step leaves from …"""
    v: NDArray[np.integer[Any]]
    """… and the one it rides towards."""
    key: NDArray[np.integer[Any]]
    length_m: NDArray[np.float64]
    row: NDArray[np.integer[Any]]
    """Each step's row of the graph's tag table."""

    def steps(self) -> tuple[Step, ...]:
        """The steps as :class:`Step` tuples."""
        g = self.graph
        table = g.tag_table
        return tuple(map(Step, g.labels_of(self.u), g.labels_of(self.v), self.key.tolist(), self.length_m.tolist(),
                         [table[r] for r in self.row.tolist()]))

    def ways(self) -> NDArray[np.int64]:
        """Each step's way as one number, the same in either direction (made of its two node indices)."""
        import numpy as np

        n = max(len(self.graph), 1)
        out: NDArray[np.int64] = np.minimum(self.u, self.v).astype(np.int64) * n + np.maximum(self.u, self.v)
        return out


@dataclass(eq=False)
class Route:
    """A routed connection."""

    xy: Any = field(repr=False)
    """The line as an (n, 2) numpy array of (lon, lat); :attr:`coords` gives it as tuples."""
    length_m: float
    cost: float
    composition: dict[str, dict[str, float]]
    nodes: list[Node]
    snaps: tuple[Snap, Snap] | None = field(default=None, repr=False)
    edge_ids: tuple[int, ...] = field(default=(), repr=False)
    """The router's index of each step's edge (what :meth:`Router.penalise` reads)."""
    table: StepTable | None = field(default=None, repr=False)
    """The steps as arrays (:attr:`steps` is made from it)."""

    @functools.cached_property
    def coords(self) -> list[Coord]:
        """The line as (lon, lat) tuples (made on first use: a caller that reads :attr:`xy` never pays for it)."""
        return list(zip(self.xy[:, 0].tolist(), self.xy[:, 1].tolist(), strict=True))

    @functools.cached_property
    def steps(self) -> tuple[Step, ...]:
        """The edges ridden, in order, as :class:`Step` tuples (made on first use)."""
        return self.table.steps() if self.table is not None else ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Route):
            return NotImplemented
        return (self.coords, self.length_m, self.cost, self.composition, self.nodes, self.snaps, self.steps,
                self.edge_ids) == (other.coords, other.length_m, other.cost, other.composition, other.nodes,
                                   other.snaps, other.steps, other.edge_ids)

    @property
    def snap_m(self) -> tuple[float, float]:
        """How far the start and end points lie from the network, metres."""
        return (self.snaps[0].offset_m, self.snaps[1].offset_m) if self.snaps else (0.0, 0.0)


@dataclass
class EdgePenalties:
    """Penalties on one router's edges for one weight, built up route by route with :meth:`Router.penalise`
    (the same factors as node-pair penalties, without converting them again for every query)."""

    weight: str
    w: NDArray[np.float64] = field(repr=False)
    """Every edge's penalised weight."""
    touched: NDArray[np.intp] = field(repr=False)
    """The node pairs (the router's pair indices, perhaps repeated) whose weight differs from the base."""


_Shape = tuple[int, int, float, float, "NDArray[np.float64]", float]
"""A piece's node, edge, share, length, line and fraction: what does not depend on the weights."""


class _Piece(NamedTuple):
    """Part of an edge ridden at the start (point to node) or end (node to point) of a route."""

    node: int
    """Index of the node where the piece meets the rest of the route."""
    edge: int
    share: float
    """The part of the edge's length ridden (0 when the point is the node itself)."""
    weight: float
    length: float
    coords: NDArray[np.float64]
    """The piece's line, (lon, lat) rows."""
    fraction: float


def label(value: Any) -> str:
    """A tag value as a composition class: "unknown" when missing, lists (osmnx) joined with "|"."""
    if value is None or value == "":
        return "unknown"
    if isinstance(value, (list, tuple)):
        return "|".join(sorted(str(v) for v in value))
    return str(value)


COMPOSITION_KEYS = ("highway", "surface")
"""The tags a route's composition is given by."""


def composition(parts: Sequence[tuple[float, Sequence[str]]]) -> dict[str, dict[str, float]]:
    """Share of the length (0..1, rounded to 3 places) per ``highway`` and ``surface``, largest first, of
    lengths with their labels (:func:`label` of each :data:`COMPOSITION_KEYS` tag)."""
    total = sum(length for length, _ in parts) or 1.0
    out: dict[str, dict[str, float]] = {}
    for i, key in enumerate(COMPOSITION_KEYS):
        acc: dict[str, float] = defaultdict(float)
        for length, labels in parts:
            acc[labels[i]] += length
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


class _Edges:
    """A network's edges sorted by (u, v) (parallel edges in key order), with the CSR layout of node pairs."""

    def __init__(self, g: StreetGraph) -> None:
        import numpy as np

        self.g = g
        n = len(g)
        self.n = n
        order = np.lexsort((g.v, g.u))  # stable: parallel edges keep their key order
        self.order = order
        self.u = g.u[order].astype(np.intp)
        self.v = g.v[order].astype(np.intp)
        self.length = g.length[order]
        m = len(order)
        new = np.ones(m, dtype=bool)
        if m:
            new[1:] = (self.u[1:] != self.u[:-1]) | (self.v[1:] != self.v[:-1])
        self.pair_starts = np.flatnonzero(new)
        self.pair_ends = np.append(self.pair_starts[1:], m)
        pair_u = self.u[self.pair_starts]
        self.pair_cols = self.v[self.pair_starts].astype(np.int32)
        self.pair_key = pair_u.astype(np.int64) * max(n, 1) + self.pair_cols
        self.indptr = np.searchsorted(pair_u, np.arange(n + 1)).astype(np.int32)
        self.pair_of = np.cumsum(new) - 1
        """The pair index of every edge."""
        rank = np.empty(m, dtype=np.intp)
        rank[order] = np.arange(m)
        twin = g.twins()[order]
        self.twin = np.where(twin >= 0, rank[np.maximum(twin, 0)], -1)
        self.reversed = g.reversed[order]
        self.start = g.line_start[order]
        self.end = g.line_end[order]
        self.back_pair = self.pairs_of(self.v, self.u)
        """The pair index of the node pair each edge joins the other way round, or -1."""

    def line(self, i: int) -> list[Coord]:
        """Edge ``i``'s (lon, lat) line from u to v."""
        return self.g.line(int(self.order[i]))

    def key(self, i: int) -> int:
        """Edge ``i``'s key among the parallel edges between its nodes."""
        return int(self.g.key[int(self.order[i])])

    def weights(self, weight: str) -> NDArray[np.float64]:
        """Every edge's ``weight`` as a number; its length where the attribute is missing."""
        import numpy as np

        g = self.g
        if weight == "length":
            return self.length.astype(np.float64)
        if weight == "cost":
            return g.cost[self.order].astype(np.float64)
        per_row = np.array([math.nan if row.get(weight) in (None, "") else float(row[weight])
                            for row in g.tag_table] or [math.nan], dtype=np.float64)
        values = per_row[g.tag[self.order]]
        return np.where(np.isnan(values), self.length, values)

    def pair_edges(self, pairs: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The edges of these node pairs (every parallel edge, pair after pair) and how many each pair has."""
        from radweg.osm.streets import concat_ranges

        starts, ends = self.pair_starts[pairs], self.pair_ends[pairs]
        return concat_ranges(starts, ends - 1), ends - starts

    def pairs_of(self, a: NDArray[np.intp], b: NDArray[np.intp]) -> NDArray[np.intp]:
        """Pair index of each node pair (a, b); -1 where no edge runs from a to b."""
        import numpy as np

        keys = a.astype(np.int64) * max(self.n, 1) + b
        j = np.minimum(np.searchsorted(self.pair_key, keys), max(len(self.pair_key) - 1, 0))
        if not len(self.pair_key):
            return np.full(len(keys), -1, dtype=np.intp)
        return np.where((self.pair_key[j] == keys) & (a >= 0) & (b >= 0), j, -1)


class _SnapIndex:
    """Edge lines in a metric frame and an STRtree over them (one line per stretch of way, not per direction)."""

    def __init__(self, edges: _Edges) -> None:
        import numpy as np
        import shapely

        from radweg.geometry import MetricFrame
        from radweg.osm.streets import line_positions

        m = len(edges.u)
        if not m:
            raise NetworkError("the network has no edges")
        lo, hi = np.minimum(edges.start, edges.end), np.maximum(edges.start, edges.end)
        # both directions of a street share a line: index the edge along the way, the other only when alone
        order = np.lexsort((np.arange(m), edges.reversed, hi, lo))
        first = np.ones(m, dtype=bool)
        first[1:] = (lo[order[1:]] != lo[order[:-1]]) | (hi[order[1:]] != hi[order[:-1]])
        self.ids = np.sort(order[first])
        coords = edges.g.coords
        sample = coords[:: max(1, len(coords) // 1000)]
        self.frame = MetricFrame(float(sample[:, 0].mean()), float(sample[:, 1].mean()))
        xs, ys = self.frame.transform(coords[:, 0], coords[:, 1])
        at, group = line_positions(edges.start[self.ids], edges.end[self.ids])
        self.lines = shapely.linestrings(np.column_stack([xs[at], ys[at]]), indices=group)
        self.tree = shapely.STRtree(self.lines)

    def nearest_many(self, points: Sequence[Coord]) -> list[list[tuple[int, float, float]]]:
        """For each point, (edge, fraction along it, distance in metres) of the nearest edge, or of all equally
        near ones, in one query of the index."""
        import numpy as np
        import shapely

        if not len(points):
            return []
        lonlat = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        px, py = self.frame.transform(lonlat[:, 0], lonlat[:, 1])
        p = shapely.points(px, py)
        (which, found), dist = self.tree.query_nearest(p, all_matches=True, return_distance=True)
        order = np.lexsort((found, which))  # per point, by edge
        which, found, dist = which[order], found[order], dist[order]
        lines = self.lines[found]
        fraction = np.where(shapely.length(lines) > 0, shapely.line_locate_point(lines, p[which], normalized=True), 0.0)
        rows = list(zip(self.ids[found].tolist(), fraction.tolist(), dist.tolist(), strict=True))
        cuts = np.searchsorted(which, np.arange(len(lonlat) + 1)).tolist()
        return [rows[a:b] for a, b in itertools.pairwise(cuts)]


_CACHED = 100_000
"""Snapped points and lines of snapped pieces a router keeps for reuse (then it starts afresh)."""
_SOURCE_SLOTS = 32
"""Start nodes a query may have (a point on a junction touches every edge there); beyond, the cheapest."""


class Router:
    """A street network prepared for many routings: edge table, snapping index and sparse matrices.

    Build one per network and reuse it: the matrix of each weight is built on its first
    use, and a query only rewrites the few entries of its start point.
    """

    def __init__(self, graph: StreetGraph | nx.MultiDiGraph) -> None:
        from radweg.osm.streets import as_streets

        self.graph = graph
        self.streets = as_streets(graph)
        self.edges = _Edges(self.streets)
        self._snap_index = _SnapIndex(self.edges)
        self._weights: dict[str, NDArray[np.float64]] = {}
        self._matrices: dict[str, Any] = {}
        self._scratch: dict[str, Any] = {}
        self._snapped: dict[Coord, list[Snap]] = {}
        self._straight: dict[tuple[Coord, Coord], float] = {}
        self._shapes: dict[tuple[int, float, bool], list[_Shape]] = {}
        self._row_labels: dict[int, tuple[str, ...]] = {}
        self._parts: NDArray[np.intp] | None = None
        self.size = (self.streets.number_of_nodes(), self.streets.number_of_edges())

    # snapping ---------------------------------------------------------------------------------

    def snaps(self, point: Coord) -> list[Snap]:
        """The nearest edge to a lon/lat point, or all edges equally near (a point on a junction touches several)."""
        point = (float(point[0]), float(point[1]))
        known = self._snapped.get(point)
        if known is None:  # a caller routing alternatives asks for the same points again and again
            self.snap_many([point])
            known = self._snapped[point]
        return list(known)

    def snap_many(self, points: Iterable[Coord]) -> list[Snap]:
        """:meth:`snap` of many points, snapped in one query (and kept for the routes that start or end there)."""
        points = [(float(p[0]), float(p[1])) for p in points]
        new = list(dict.fromkeys(p for p in points if p not in self._snapped))
        if len(self._snapped) + len(new) > _CACHED:
            self._snapped.clear()
            new = list(dict.fromkeys(points))
        e, g = self.edges, self.streets
        for point, near in zip(new, self._snap_index.nearest_many(new), strict=True):
            self._snapped[point] = [Snap(g.label(int(e.u[i])), g.label(int(e.v[i])), e.key(i), fraction, offset,
                                         point, i) for i, fraction, offset in near]
        return [self._snapped[p][0] for p in points]

    def snap(self, point: Coord) -> Snap:
        """The nearest edge to a lon/lat point."""
        return self.snaps(point)[0]

    # routing ----------------------------------------------------------------------------------

    def route(self, orig: Coord, dest: Coord, *, weight: str = "cost",
              penalties: Penalties | EdgePenalties | None = None, max_detour: float | None = MAX_DETOUR,
              detour_slack_m: float = DETOUR_SLACK_M, at_least: float = 0.0) -> Route | None:
        """The cheapest route from ``orig`` to ``dest`` (lon, lat), or None when no path exists within the bound.

        ``penalties`` multiplies the weight of edges (by their node pair, both parts of a
        snapped edge included) for this query only; the route's ``cost`` stays unpenalised.
        An :class:`EdgePenalties` from :meth:`penalise` does the same for many queries.
        The search stops at ``max_detour`` × the straight line + ``detour_slack_m`` of the
        (penalised) weight; ``max_detour=None`` searches the whole network.
        ``at_least`` is what the caller knows the answer's weight cannot be below (say the
        unpenalised cost, for a query with penalties of at least 1): a first, nearer search
        that could not reach it is skipped. It changes the time, never the answer.
        """
        from radweg.geometry import distance_m

        snaps_o, snaps_d = self.snaps(orig), self.snaps(dest)
        if isinstance(penalties, EdgePenalties):
            if penalties.weight != weight:
                raise ValueError(f"penalties for weight {penalties.weight!r} used with weight {weight!r}")
            w, touched = penalties.w, penalties.touched
        else:
            w, touched = self._penalised(weight, penalties)
        starts = [p for s in snaps_o for p in self._pieces(s, w, at_start=True)]
        ends = [p for s in snaps_d for p in self._pieces(s, w, at_start=False)]
        pair = (snaps_o[0].point, snaps_d[0].point)
        straight = self._straight.get(pair)
        if straight is None:  # alternatives ask again for the same two points
            if len(self._straight) >= _CACHED:
                self._straight.clear()
            straight = self._straight[pair] = distance_m(orig, dest)
        limit = math.inf if max_detour is None else max_detour * straight + detour_slack_m
        # most routes are short of twice the straight line: search that far first, the whole bound only if need be
        near = FIRST_DETOUR * straight + FIRST_SLACK_M
        limits = [near, limit] if at_least <= near < limit else [limit]
        direct = _direct(starts, ends, w)
        found = self._search(starts, ends, weight, w, touched, limits) if self._joined(snaps_o, snaps_d) else None
        snaps = (snaps_o[0], snaps_d[0])
        if found is not None and (direct is None or found[0] < direct[0]):
            _, path, end = found
            return self._assemble(path, starts, end, weight, w, snaps)
        if direct is not None:
            _, a, b = direct
            return self._assemble_direct(a, b, weight, snaps)
        return None

    def joined(self, orig: Coord, dest: Coord) -> bool:
        """True when the ways the two points snap to lie in one part of the network (in some direction):
        False means no route joins them, however far round."""
        return self._joined(self.snaps(orig), self.snaps(dest))

    def _joined(self, snaps_o: list[Snap], snaps_d: list[Snap]) -> bool:
        """False when no edge snapped at the start lies in the same part of the network as one snapped at
        the end: then no path joins them, and there is nothing to search (parts worked out once per router)."""
        if self._parts is None:
            from radweg.osm.streets import components

            self._parts = components(self.edges.n, self.edges.u, self.edges.v)
        parts, u = self._parts, self.edges.u
        return not {int(parts[u[s.edge]]) for s in snaps_o}.isdisjoint(int(parts[u[s.edge]]) for s in snaps_d)

    def penalise(self, route: Route, factor: float, penalties: EdgePenalties | None = None, *,
                 weight: str = "cost") -> EdgePenalties:
        """Penalties with the ways of ``route`` (both directions, every parallel edge) ``factor`` times dearer,
        on top of ``penalties`` (changed in place) if given: node-pair penalties ``{(s.u, s.v): factor,
        (s.v, s.u): factor}`` for every step, compounding where a route rides a pair twice."""
        import numpy as np

        e = self.edges
        if penalties is None:
            penalties = EdgePenalties(weight, self._base_weights(weight).copy(), np.zeros(0, dtype=np.intp))
        elif penalties.weight != weight:
            raise ValueError(f"penalties for weight {penalties.weight!r} extended for weight {weight!r}")
        ridden = np.asarray(route.edge_ids, dtype=np.intp)
        if not len(ridden):
            return penalties
        both = np.concatenate([e.pair_of[ridden], e.back_pair[ridden]])
        pairs, count = np.unique(both[both >= 0], return_counts=True)
        idx, sizes = e.pair_edges(pairs)
        penalties.w[idx] *= np.repeat(np.power(factor, count.astype(np.float64)), sizes)
        penalties.touched = np.concatenate([penalties.touched, pairs])  # repeats are harmless
        return penalties

    def _base_weights(self, weight: str) -> NDArray[np.float64]:
        if weight not in self._weights:
            self._weights[weight] = self.edges.weights(weight)
        return self._weights[weight]

    def _penalised(self, weight: str, penalties: Penalties | None) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """The weight of every edge for one query (the base weight times any penalty on its node pair), and
        the node pairs whose weight changed."""
        import numpy as np

        base = self._base_weights(weight)
        if not penalties:
            return base, np.zeros(0, dtype=np.intp)
        g, e = self.streets, self.edges
        keys = list(penalties)
        pairs = e.pairs_of(g.index_of([k[0] for k in keys]), g.index_of([k[1] for k in keys]))
        factors = np.array(list(penalties.values()), dtype=np.float64)
        hit = pairs >= 0
        pairs, factors = pairs[hit], factors[hit]
        idx, sizes = e.pair_edges(pairs)
        w = base.copy()
        w[idx] *= np.repeat(factors, sizes)  # distinct keys are distinct node pairs: no index repeats
        return w, pairs

    def _pieces(self, s: Snap, w: NDArray[np.float64], *, at_start: bool) -> list[_Piece]:
        """Ways to leave (at_start) or reach the snapped point along its edge, in each allowed direction."""
        import numpy as np

        key = (s.edge, s.fraction, at_start)
        shapes = self._shapes.get(key)
        if shapes is None:  # the lines of the pieces do not depend on the weights: alternatives reuse them
            if len(self._shapes) >= _CACHED:
                self._shapes.clear()
            shapes = self._shapes[key] = [(node, k, share, length, np.asarray(line, dtype=np.float64).reshape(-1, 2),
                                           frac) for node, k, share, length, line, frac in
                                          self._piece_shapes(s, at_start=at_start)]
        return [_Piece(node, k, share, float(w[k]) * share, length, coords, frac)
                for node, k, share, length, coords, frac in shapes]

    def _piece_shapes(self, s: Snap, *, at_start: bool) -> list[tuple[int, int, float, float, list[Coord], float]]:
        """(node, edge, share, length, line, fraction) of every piece :meth:`_pieces` makes of a snap."""
        e = self.edges
        i = s.edge
        options = [(i, s.fraction)]
        j = int(e.twin[i])
        if j >= 0:
            options.append((j, 1.0 - s.fraction))
        out = []
        for k, frac in options:
            u, v, line, length = int(e.u[k]), int(e.v[k]), e.line(k), float(e.length[k])
            near = _NODE_M / (length or 1.0)
            if at_start and frac <= near:  # standing on u already, whichever way the edge may be ridden
                out.append((u, k, 0.0, 0.0, [line[0]], 0.0))
            if not at_start and frac >= 1.0 - near:  # the point is v itself
                out.append((v, k, 0.0, 0.0, [line[-1]], 1.0))
            share = 1.0 - frac if at_start else frac  # from the point to v, or from u to the point
            piece = cut(line, frac, 1.0) if at_start else cut(line, 0.0, frac)
            if share <= 0.0:  # the point is the node: one position, not a zero-length line
                piece = piece[:1]
            out.append((v if at_start else u, k, share, length * share, piece, frac))
        return out

    def _matrix(self, weight: str, w: NDArray[np.float64], touched: NDArray[np.intp]) -> Any:
        """The CSR matrix of the cheapest parallel edge per node pair, with a source row (node n) of
        :data:`_SOURCE_SLOTS` entries that each query fills with its start nodes (unused ones lead to node n+1).
        Built once per weight; a penalised query gets a copy of the values with its ``touched`` pairs redone."""
        import numpy as np
        from scipy.sparse import csr_matrix

        from radweg.osm.streets import offsets

        e = self.edges
        n = e.n
        mat = self._matrices.get(weight)
        if mat is None:
            cheapest = np.minimum.reduceat(w, e.pair_starts) if len(w) else np.zeros(0)
            data = np.concatenate([cheapest, np.ones(_SOURCE_SLOTS)])
            indices = np.concatenate([e.pair_cols, np.full(_SOURCE_SLOTS, n + 1, dtype=np.int32)]).astype(np.int32)
            indptr = np.concatenate([e.indptr, [e.indptr[-1] + _SOURCE_SLOTS] * 2]).astype(np.int32)
            mat = self._matrices[weight] = csr_matrix((data, indices, indptr), shape=(n + 2, n + 2))
        if len(touched):
            scratch = self._scratch.get(weight)
            if scratch is None:  # one matrix for penalised queries: its values are rewritten each time
                scratch = self._scratch[weight] = csr_matrix((mat.data.copy(), mat.indices, mat.indptr),
                                                             shape=mat.shape)
            np.copyto(scratch.data, mat.data)
            idx, sizes = e.pair_edges(touched)
            scratch.data[touched] = np.minimum.reduceat(w[idx], offsets(sizes)[:-1])
            mat = scratch
        return mat

    def _search(self, starts: list[_Piece], ends: list[_Piece], weight: str, w: NDArray[np.float64],
                touched: NDArray[np.intp], limits: list[float]) -> tuple[float, list[int], _Piece] | None:
        """Dijkstra from the start pieces: the cheapest (weight, node path, end piece), or None.

        Each limit in turn bounds one search; an end reached within it is the cheapest one
        (anything cheaper lies within the limit too), else the next, larger limit is tried.
        """
        from scipy.sparse.csgraph import dijkstra

        if not starts or not ends:
            return None
        n = self.edges.n
        first: dict[int, float] = {}
        for a in starts:
            first[a.node] = min(first.get(a.node, math.inf), a.weight)
        cols = sorted(sorted(first, key=lambda c: (first[c], c))[:_SOURCE_SLOTS])
        mat = self._matrix(weight, w, touched)
        tail = len(mat.data) - _SOURCE_SLOTS
        mat.indices[tail:] = n + 1
        mat.data[tail:] = 1.0
        mat.indices[tail:tail + len(cols)] = cols
        mat.data[tail:tail + len(cols)] = [first[c] for c in cols]
        best: tuple[float, _Piece] | None = None
        for limit in limits:
            dist, pred = dijkstra(mat, directed=True, indices=n, return_predecessors=True, limit=limit)
            for b in ends:
                total = float(dist[b.node]) + b.weight
                if math.isfinite(total) and total <= limit and (best is None or total < best[0]):
                    best = (total, b)
            if best is not None:
                break
        if best is None:
            return None
        back = memoryview(pred)  # plain ints, quicker than numpy scalars in this loop
        path = [best[1].node]
        while back[path[-1]] != n:
            path.append(back[path[-1]])
        path.reverse()
        return best[0], path, best[1]

    def _assemble(self, path: list[int], starts: list[_Piece], end: _Piece, weight: str,
                  w: NDArray[np.float64], snaps: tuple[Snap, Snap]) -> Route:
        """The route along a node path, with its start and end pieces."""
        import numpy as np

        e, g = self.edges, self.streets
        start = min((a for a in starts if a.node == path[0]), key=lambda a: a.weight)
        # between two nodes the search took the cheapest of the parallel edges
        at = np.asarray(path, dtype=np.intp)
        pairs = e.pairs_of(at[:-1], at[1:])
        first, after = e.pair_starts[pairs], e.pair_ends[pairs]
        hop = first.copy()
        for k in np.flatnonzero(after - first > 1).tolist():
            hop[k] = first[k] + int(np.argmin(w[first[k]:after[k]]))
        hops = hop.tolist()
        used = (np.concatenate([[start.edge], hop, [end.edge]]).astype(np.intp),
                np.concatenate([[start.share], np.ones(len(hop)), [end.share]]),
                np.concatenate([[start.length], e.length[hop], [end.length]]))
        xy = np.concatenate([start.coords, self._hop_coords(hops), end.coords[1:]])
        return self._result(xy, used, weight, g.labels_of(path), snaps)

    def _hop_coords(self, hops: list[int]) -> NDArray[np.float64]:
        """The vertices of consecutive edges, each without its first one (the previous edge's last)."""
        import numpy as np

        from radweg.osm.streets import line_positions

        if not hops:
            return np.zeros((0, 2))
        h = np.asarray(hops, dtype=np.intp)
        at, group = line_positions(self.edges.start[h], self.edges.end[h])
        keep = np.ones(len(at), dtype=bool)
        keep[1:] = group[1:] == group[:-1]  # drop each line's first vertex
        keep[0] = False
        out: NDArray[np.float64] = self.streets.coords[at[keep]]
        return out

    def _assemble_direct(self, a: _Piece, b: _Piece, weight: str, snaps: tuple[Snap, Snap]) -> Route:
        """The route along one edge, from one point on it to a later one."""
        import numpy as np

        share = b.fraction - a.fraction
        used = (np.array([a.edge], dtype=np.intp), np.array([share]),
                np.array([float(self.edges.length[a.edge]) * share]))
        line = np.asarray(cut(self.edges.line(a.edge), a.fraction, b.fraction), dtype=np.float64)
        return self._result(line, used, weight, [], snaps)

    def _result(self, xy: NDArray[np.float64], used: tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]],
                weight: str, nodes: list[Node], snaps: tuple[Snap, Snap]) -> Route:
        """A Route from its line (an (n, 2) array) and the edges it rides (router indices, the share of each
        ridden, the metres ridden on each): length, unpenalised cost, composition."""
        import numpy as np

        e, g = self.edges, self.streets
        edges, shares, metres = used
        ridden = metres > 0
        ai = edges[ridden]
        in_graph = e.order[ai]
        table = StepTable(g, e.u[ai], e.v[ai], g.key[in_graph], metres[ridden], g.tag[in_graph])
        rows = table.row.tolist()
        lengths = table.length_m.tolist()
        length = sum(metres.tolist())
        cost = float(np.dot(self._base_weights(weight)[edges], shares))
        return Route(xy, length, cost, self._composition(rows, lengths), nodes, snaps, tuple(ai.tolist()), table)

    def _composition(self, rows: list[int], lengths: list[float]) -> dict[str, dict[str, float]]:
        """:func:`composition` of the ridden edges, summed per tag row first (many edges share one)."""
        g = self.streets
        per_row: dict[int, float] = defaultdict(float)
        for row, length in zip(rows, lengths, strict=True):
            per_row[row] += length
        labels = self._row_labels
        parts = []
        for row, length in per_row.items():
            known = labels.get(row)
            if known is None:  # the routes of a network ride the same few rows again and again
                known = labels[row] = tuple(label(g.tag_table[row].get(k)) for k in COMPOSITION_KEYS)
            parts.append((length, known))
        return composition(parts)


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


def router_for(G: StreetGraph | nx.MultiDiGraph, *, rebuild: bool = False) -> Router:
    """The router of a graph: built on first use and kept while the graph lives.

    A change in the number of nodes or edges is noticed; after changing edge
    attributes call ``router_for(G, rebuild=True)``.
    """
    router = _ROUTERS.get(G)
    if router is None or rebuild or router.size != (len(G), G.number_of_edges()):
        router = _ROUTERS[G] = Router(G)
    return router


def snap(G: StreetGraph | nx.MultiDiGraph, point: Coord) -> Snap:
    """The nearest edge to a lon/lat point."""
    return router_for(G).snap(point)


def route(G: StreetGraph | nx.MultiDiGraph, orig: Coord, dest: Coord, *, weight: str = "cost",
          max_detour: float | None = MAX_DETOUR) -> Route | None:
    """The cheapest route from ``orig`` to ``dest`` (lon, lat) on ``G``, or None when no path exists within
    ``max_detour`` × the straight line + :data:`DETOUR_SLACK_M` (None: anywhere on the network)."""
    return router_for(G).route(orig, dest, weight=weight, max_detour=max_detour)
