"""Route between two lon/lat points on the cycling network.

Points are snapped to the nearest *edge* (not the nearest node: a waypoint in
the middle of a long road stays on that road), the route starts and ends at
the snapped points, and an A* search over the edges' ``cost`` (or any other
weight) finds the cheapest path. The straight-line heuristic is exact for
``cost`` and ``length`` because both are at least the geodesic distance.

The result gives the line, its length and cost, the nodes passed and the
composition: the share of the length on each highway class and surface.
"""

from __future__ import annotations

import heapq
import itertools
import math
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from radweg.errors import NetworkError

if TYPE_CHECKING:
    import networkx as nx

Coord = tuple[float, float]
_NODE_M = 0.5  # a point this close to a node is on the node
_EARTH_R = 6_371_008.8 * 0.995  # a little below the smallest radius of curvature: a true lower bound


@dataclass
class Snap:
    """Where a point meets the network: the edge, how far along it (0..1) and how far off (metres)."""

    u: int
    v: int
    key: int
    fraction: float
    offset_m: float
    point: Coord


@dataclass
class Route:
    """A routed connection."""

    coords: list[Coord]
    length_m: float
    cost: float
    composition: dict[str, dict[str, float]]
    nodes: list[int]
    snaps: tuple[Snap, Snap] | None = field(default=None, repr=False)

    @property
    def snap_m(self) -> tuple[float, float]:
        """How far the start and end points lie from the network, metres."""
        return (self.snaps[0].offset_m, self.snaps[1].offset_m) if self.snaps else (0.0, 0.0)


class _Index:
    """Edge lines in a metric frame and an STRtree over them, built once per graph."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        import shapely
        from shapely import STRtree

        from radweg.geometry import MetricFrame

        self.edges: list[tuple[int, int, int]] = []
        seen: set[tuple[int, int, int]] = set()
        flat: list[Coord] = []
        offsets = [0]
        for u, v, k, d in G.edges(keys=True, data=True):
            undirected = (d.get("osmid", 0), min(u, v), max(u, v))
            if d.get("reversed") and undirected in seen:
                continue
            seen.add(undirected)
            coords = d.get("coords") or ((G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"]))
            self.edges.append((u, v, k))
            flat.extend(coords)
            offsets.append(len(flat))
        if not self.edges:
            raise NetworkError("the network has no edges")
        self.size = len(G)
        # per node: its out-edges flattened to (neighbour, key, data) and its position in radians for the heuristic
        self.out: dict[int, list[tuple[int, int, dict[str, Any]]]] = {
            n: [(m, k, d) for m, kd in nbrs.items() for k, d in kd.items()] for n, nbrs in G._adj.items()}
        import numpy as np

        self.order = list(G.nodes)
        self.lam = np.radians(np.array([G.nodes[n]["x"] for n in self.order], dtype=float))
        self.phi = np.radians(np.array([G.nodes[n]["y"] for n in self.order], dtype=float))
        self.frame = MetricFrame.for_coords(flat[:: max(1, len(flat) // 1000)])
        xy = self.frame.to_xy(flat)
        self.lines = [shapely.LineString(xy[a:b]) for a, b in itertools.pairwise(offsets)]
        self.tree = STRtree(self.lines)

    def snap(self, point: Coord) -> list[Snap]:
        """The nearest edge, or all edges equally near (a point on a junction touches several)."""
        import shapely

        (px, py), = self.frame.to_xy([point])
        p = shapely.Point(px, py)
        out = []
        for idx in sorted(int(i) for i in self.tree.query_nearest(p, all_matches=True)):
            line = self.lines[idx]
            u, v, k = self.edges[idx]
            fraction = float(line.project(p, normalized=True)) if line.length > 0 else 0.0
            out.append(Snap(u, v, k, fraction, float(line.distance(p)), point))
        return out


_INDEXES: weakref.WeakKeyDictionary[Any, _Index] = weakref.WeakKeyDictionary()


def index(G: nx.MultiDiGraph, *, rebuild: bool = False) -> _Index:
    """The spatial index and adjacency of a graph: built on first use and kept while the graph lives.

    Edge attributes (the weights) are always read live; after adding or removing
    edges call ``index(G, rebuild=True)`` (a change in the number of nodes is noticed).
    """
    idx = _INDEXES.get(G)
    if idx is None or rebuild or idx.size != len(G):
        idx = _INDEXES[G] = _Index(G)
    return idx


def snap(G: nx.MultiDiGraph, point: Coord) -> Snap:
    """The nearest edge to a lon/lat point."""
    return index(G).snap(point)[0]


def _haversine(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_R * math.asin(min(1.0, math.sqrt(a)))


def _cut(coords: list[Coord] | tuple[Coord, ...], f0: float, f1: float) -> list[Coord]:
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
        return tuple(coords[-1])  # type: ignore[return-value]

    inner = [tuple(c) for c, d in zip(coords, cum, strict=False) if f0 * total < d < f1 * total]
    return [at(f0), *inner, at(f1)]  # type: ignore[list-item]


def _reverse_key(G: nx.MultiDiGraph, u: int, v: int, k: int) -> int | None:
    """The key of the edge v->u that is the same way ridden backwards, if cycling is allowed that way."""
    d = G[u][v][k]
    for k2, d2 in G[v][u].items() if G.has_edge(v, u) else ():
        if d2.get("osmid") == d.get("osmid") and list(d2.get("coords", ()))[::-1] == list(d.get("coords", ())):
            return k2
    return None


@dataclass
class _Piece:
    """Part of an edge used at the start or end of a route."""

    node: int
    weight: float
    length: float
    coords: list[Coord]
    attrs: dict[str, Any]
    fraction: float


def _pieces(G: nx.MultiDiGraph, s: Snap, weight: str, at_start: bool) -> list[_Piece]:
    """Ways to leave (at_start) or reach the snapped point along its edge, in each allowed direction."""
    out = []
    options = [(s.u, s.v, s.key, s.fraction)]
    rk = _reverse_key(G, s.u, s.v, s.key)
    if rk is not None:
        options.append((s.v, s.u, rk, 1.0 - s.fraction))
    for u, v, k, frac in options:
        d = G[u][v][k]
        near = _NODE_M / (d["length"] or 1.0)
        if at_start and frac <= near:  # standing on u already, whichever way the edge may be ridden
            out.append(_Piece(u, 0.0, 0.0, [(G.nodes[u]["x"], G.nodes[u]["y"])],
                              d, 0.0))
        if not at_start and frac >= 1.0 - near:  # the point is v itself
            out.append(_Piece(v, 0.0, 0.0, [(G.nodes[v]["x"], G.nodes[v]["y"])], d, 1.0))
        if at_start:  # from the point to v
            share = 1.0 - frac
            out.append(_Piece(v, d[weight] * share, d["length"] * share, _cut(d["coords"], frac, 1.0), d, frac))
        else:  # from u to the point
            out.append(_Piece(u, d[weight] * frac, d["length"] * frac, _cut(d["coords"], 0.0, frac), d, frac))
    return out


def _compose(parts: list[tuple[float, dict[str, Any]]]) -> dict[str, dict[str, float]]:
    total = sum(length for length, _ in parts) or 1.0
    out: dict[str, dict[str, float]] = {}
    for key in ("highway", "surface"):
        acc: dict[str, float] = defaultdict(float)
        for length, d in parts:
            acc[d.get(key) or "unknown"] += length
        out[key] = {k: round(v / total, 3) for k, v in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))}
    return out


def route(G: nx.MultiDiGraph, orig: Coord, dest: Coord, *, weight: str = "cost") -> Route | None:
    """The cheapest route from ``orig`` to ``dest`` (lon, lat), or None when no path exists."""
    idx = index(G)
    snaps_o, snaps_d = idx.snap(orig), idx.snap(dest)
    so, sd = snaps_o[0], snaps_d[0]
    starts = [p for s in snaps_o for p in _pieces(G, s, weight, True)]
    ends = [p for s in snaps_d for p in _pieces(G, s, weight, False)]
    best: tuple[float, Any] | None = None
    # both points on the same edge, destination ahead of the origin: ride straight along it
    for a in starts:
        for b in ends:
            if a.attrs is b.attrs:
                fa, fb = a.fraction, b.fraction
                if fb >= fa:
                    w = a.attrs[weight] * (fb - fa)
                    if best is None or w < best[0]:
                        best = (w, ("direct", a, b, fa, fb))
    end_by_node: dict[int, list[_Piece]] = defaultdict(list)
    for b in ends:
        end_by_node[b.node].append(b)
    tx, ty = dest
    admissible = weight in ("cost", "length")
    # the route ends at the snapped point, up to `slack` metres from `dest`: subtract it to stay a lower bound
    slack = min(s.offset_m for s in snaps_d) * 1.01 + 0.5
    out = idx.out
    if admissible:  # straight-line lower bound from every node to the destination, in one vectorised step
        import numpy as np

        tl, tp = math.radians(tx), math.radians(ty)
        a = np.sin((tp - idx.phi) / 2) ** 2 + np.cos(idx.phi) * math.cos(tp) * np.sin((tl - idx.lam) / 2) ** 2
        hv = np.maximum(0.0, 2 * _EARTH_R * np.arcsin(np.minimum(1.0, np.sqrt(a))) - slack)
        h = dict(zip(idx.order, hv.tolist(), strict=False))
    else:
        h = dict.fromkeys(idx.order, 0.0)

    dist: dict[int, float] = {}
    prev: dict[int, tuple[int, int] | None] = {}
    start_piece: dict[int, _Piece] = {}
    heap: list[tuple[float, float, int]] = []
    for a in starts:
        if a.weight < dist.get(a.node, math.inf):
            dist[a.node] = a.weight
            prev[a.node] = None
            start_piece[a.node] = a
            heapq.heappush(heap, (a.weight + h[a.node], a.weight, a.node))
    done: set[int] = set()
    while heap:
        f, g, n = heapq.heappop(heap)
        if best is not None and f >= best[0]:
            break
        if n in done:
            continue
        done.add(n)
        for b in end_by_node.get(n, ()):
            total = g + b.weight
            if best is None or total < best[0]:
                best = (total, ("graph", n, b))
        for m, k, d in out[n]:
            if m in done:
                continue
            ng = g + d[weight]
            if ng < dist.get(m, math.inf):
                dist[m] = ng
                prev[m] = (n, k)
                heapq.heappush(heap, (ng + h[m], ng, m))
    if best is None:
        return None
    cost, how = best
    if how[0] == "direct":
        _, a, b, fa, fb = how
        d = a.attrs
        coords = _cut(d["coords"], fa, fb)
        length = d["length"] * (fb - fa)
        return Route(coords, length, cost, _compose([(length, d)]), [], (so, sd))
    _, last, b = how
    path: list[int] = [last]
    hops: list[tuple[int, int, int]] = []
    n = last
    while prev[n] is not None:
        p, k = prev[n]  # type: ignore[misc]
        hops.append((p, n, k))
        path.append(p)
        n = p
    path.reverse()
    hops.reverse()
    a = start_piece[path[0]]
    parts: list[tuple[float, dict[str, Any]]] = [(a.length, a.attrs)]
    coords = list(a.coords)
    length = a.length
    for u, v, k in hops:
        d = G[u][v][k]
        coords.extend(d["coords"][1:])
        parts.append((d["length"], d))
        length += d["length"]
    coords.extend(b.coords[1:])
    parts.append((b.length, b.attrs))
    length += b.length
    return Route(coords, length, cost, _compose(parts), path, (so, sd))
