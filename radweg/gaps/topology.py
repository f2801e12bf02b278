"""The topology behind gap detection: lines in metres, where they meet, and a graph of them.

All work happens in one planar metric frame (UTM, see :class:`radweg.geometry.MetricFrame`),
never in degrees. Spatial look-ups go through :class:`Index`, a thin wrapper around a
shapely 2 ``STRtree``; ``Index(..., naive=True)`` answers the same questions by testing
every pair, which the benchmark uses as its baseline and to check the results.

Two lines *meet* where an end of one lies within the tolerance of the other (an end on an
end, or a T-junction) or where the two cross. The graph has a node at each line end and at
each place another line meets it, and an edge along each line between consecutive nodes,
weighted by planar length in metres; a meeting adds an edge as long as the step across it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from radweg.geometry import MetricFrame
from radweg.model import Dataset

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

_CHUNK = 256


class Index:
    """Spatial queries over a fixed array of geometries: STRtree, or all pairs when ``naive``."""

    def __init__(self, geoms: np.ndarray, *, naive: bool = False) -> None:
        import shapely

        self.geoms = geoms
        self.naive = naive
        self.tree = None if naive else shapely.STRtree(geoms)

    def within(self, probes: np.ndarray, distance: float) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (probe index, geometry index) closer than ``distance``, sorted."""
        import shapely

        if len(probes) == 0 or len(self.geoms) == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        if self.tree is not None:
            pi, gi = self.tree.query(probes, predicate="dwithin", distance=distance)
        else:
            parts_p, parts_g = [], []
            for start in range(0, len(probes), _CHUNK):
                block = probes[start:start + _CHUNK]
                hit = shapely.dwithin(block[:, None], self.geoms[None, :], distance)
                p, g = np.nonzero(hit)
                parts_p.append(p + start)
                parts_g.append(g)
            pi, gi = np.concatenate(parts_p), np.concatenate(parts_g)
        order = np.lexsort((gi, pi))
        return pi[order].astype(np.intp), gi[order].astype(np.intp)

    def nearest(self, probes: np.ndarray, max_distance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each probe with a geometry within ``max_distance``: (probe, nearest geometry, distance).

        Ties go to the smallest geometry index, so both modes give the same answer.
        """
        import shapely

        if len(probes) == 0 or len(self.geoms) == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), np.empty(0)
        if self.tree is not None:
            (pi, gi), d = self.tree.query_nearest(probes, max_distance=max_distance, return_distance=True,
                                                  all_matches=True)
        else:
            parts_p, parts_g, parts_d = [], [], []
            for start in range(0, len(probes), _CHUNK):
                block = probes[start:start + _CHUNK]
                dist = shapely.distance(block[:, None], self.geoms[None, :])
                best = dist.min(axis=1)
                p, g = np.nonzero((dist == best[:, None]) & (dist <= max_distance))
                parts_p.append(p + start)
                parts_g.append(g)
                parts_d.append(dist[p, g])
            pi, gi, d = np.concatenate(parts_p), np.concatenate(parts_g), np.concatenate(parts_d)
        order = np.lexsort((gi, pi))
        pi, gi, d = pi[order], gi[order], d[order]
        first = np.ones(len(pi), dtype=bool)
        first[1:] = pi[1:] != pi[:-1]
        return pi[first].astype(np.intp), gi[first].astype(np.intp), d[first]

    def crossing(self) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (i, j), i < j, of geometries that intersect each other."""
        import shapely

        if self.tree is not None:
            a, b = self.tree.query(self.geoms, predicate="intersects")
        else:
            parts_a, parts_b = [], []
            for start in range(0, len(self.geoms), _CHUNK):
                block = self.geoms[start:start + _CHUNK]
                hit = shapely.intersects(block[:, None], self.geoms[None, :])
                p, g = np.nonzero(hit)
                parts_a.append(p + start)
                parts_b.append(g)
            a, b = np.concatenate(parts_a), np.concatenate(parts_b)
        keep = a < b
        a, b = a[keep], b[keep]
        order = np.lexsort((b, a))
        return a[order].astype(np.intp), b[order].astype(np.intp)


@dataclass
class Lines:
    """Every line of the combined network, in metres."""

    frame: MetricFrame
    owners: list[str]
    """``segment:ID`` or ``neighbour:ID`` for each line."""
    parts: list[int]
    """Part number within a neighbour's MultiLineString (0 for segments)."""
    names: list[str]
    is_ks: np.ndarray
    geoms: np.ndarray
    lengths: np.ndarray

    def __len__(self) -> int:
        return len(self.owners)


def build_lines(ds: Dataset) -> Lines:
    """All segments and neighbour route parts as metric LineStrings, in a stable order (by owner, part)."""
    import shapely

    items: list[tuple[str, int, str, bool, Any]] = []
    for seg in sorted(ds.segments.items, key=lambda s: s.id):
        items.append((f"segment:{seg.id}", 0, seg.name, True, seg.coords))
    for nb in sorted(ds.neighbours.items, key=lambda n: n.id):
        for k, line in enumerate(nb.lines):
            items.append((f"neighbour:{nb.id}", k, nb.name, False, line))
    all_coords = [c for it in items for c in it[4]]
    frame = MetricFrame.for_coords(all_coords) if all_coords else MetricFrame(0.0, 0.0)
    if items:
        xy = np.array(frame.to_xy(all_coords))
        which = np.repeat(np.arange(len(items)), [len(it[4]) for it in items])
        geoms = shapely.linestrings(xy, indices=which)
    else:
        geoms = np.empty(0, dtype=object)
    return Lines(frame, [it[0] for it in items], [it[1] for it in items], [it[2] for it in items],
                 np.array([it[3] for it in items], dtype=bool), geoms,
                 shapely.length(geoms) if len(geoms) else np.empty(0))


@dataclass
class Topology:
    """Lines, where they meet, and the graph of the combined network."""

    lines: Lines
    index: Index
    end_points: np.ndarray
    """Shapely points: line i's start at 2*i, its end at 2*i+1."""
    touch_end: np.ndarray
    touch_line: np.ndarray
    """Each pair (end index, other line index) where the end lies within the tolerance of the other line."""
    graph: csr_matrix
    node_line: np.ndarray
    node_pos: np.ndarray
    """For each graph node: its line and its position along it (metres)."""
    node_xy: np.ndarray
    """For each graph node: its planar position, shape (nodes, 2)."""
    line_nodes: list[np.ndarray]
    """For each line: its node ids, in order along it."""
    component: np.ndarray
    """Connected component of each line in the combined network."""
    node_component: np.ndarray
    """Connected component of each graph node (of this graph: with bridges, bridged parts are one)."""
    node_grid: NodeGrid
    """The nodes bucketed on a grid, to cut out the nodes of an area quickly."""

    def end_node(self, end: int) -> int:
        nodes = self.line_nodes[end // 2]
        return int(nodes[0] if end % 2 == 0 else nodes[-1])


def build_topology(lines: Lines, tolerance_m: float, *, naive: bool = False, grid_m: float = 2000.0) -> Topology:
    """Find where lines meet and build the graph (see the module docstring); ``grid_m``: see :class:`NodeGrid`."""
    import shapely

    index = Index(lines.geoms, naive=naive)
    end_points = _end_points(lines.geoms)
    meet = _meetings(lines, index, end_points, tolerance_m)
    node_line, node_pos, line_nodes, lookup = _nodes(lines, meet)
    rows, cols, weights = _edges(lines, end_points, meet, line_nodes, node_pos, lookup)
    size = len(node_line)
    graph = undirected_graph(np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp),
                             np.array(weights, dtype=float), size)
    labels = node_components(graph)
    component = labels[[int(ids[0]) for ids in line_nodes]] if len(lines) else np.empty(0, dtype=np.intp)
    if size:
        node_xy = shapely.get_coordinates(shapely.line_interpolate_point(lines.geoms[node_line], node_pos))
    else:
        node_xy = np.empty((0, 2))
    return Topology(lines, index, end_points, meet.touch_end, meet.touch_line, graph, node_line, node_pos, node_xy,
                    line_nodes, np.asarray(component, dtype=np.intp), labels, NodeGrid(node_xy, grid_m))


def _end_points(geoms: np.ndarray) -> np.ndarray:
    """Shapely points of the lines' ends: line i's start at 2*i, its end at 2*i+1."""
    import shapely

    end_points = np.empty(2 * len(geoms), dtype=object)
    if len(geoms):
        end_points[0::2] = shapely.get_point(geoms, 0)
        end_points[1::2] = shapely.get_point(geoms, -1)
    return end_points


@dataclass
class _Meetings:
    """Where the lines meet: ends on other lines, closed loops, and crossings."""

    touch_end: np.ndarray
    touch_line: np.ndarray
    """Each pair (end index, other line index) where the end lies within the tolerance of the other line."""
    touch_pos: np.ndarray
    """Position of each touch along the other line (metres)."""
    touch_gap: np.ndarray
    """Straight distance from the end to the other line."""
    loop: np.ndarray
    """For each line: its two ends meet each other (a closed loop)."""
    cross_a: list[int]
    cross_b: list[int]
    cross_pa: list[float]
    cross_pb: list[float]
    """Each crossing: the two lines and the crossing's position along each."""


def _meetings(lines: Lines, index: Index, end_points: np.ndarray, tolerance_m: float) -> _Meetings:
    """Ends within the tolerance of another line (or of their own other end, for a loop), and crossings."""
    import shapely

    geoms = lines.geoms
    ei, li = index.within(end_points, tolerance_m)
    own = (ei // 2) == li
    # a line's end within the tolerance of its own other end closes a loop: that end is joined too
    if len(lines):
        loop = shapely.distance(end_points[0::2], end_points[1::2]) <= tolerance_m
        loop &= lines.lengths > 2 * tolerance_m
        own &= ~loop[li]
    else:
        loop = np.zeros(0, dtype=bool)
    ei, li = ei[~own], li[~own]
    touch_pos = shapely.line_locate_point(geoms[li], end_points[ei]) if len(ei) else np.empty(0)
    touch_gap = shapely.distance(geoms[li], end_points[ei]) if len(ei) else np.empty(0)
    return _Meetings(ei, li, touch_pos, touch_gap, loop, *_crossings(index, geoms))


def _crossings(index: Index, geoms: np.ndarray) -> tuple[list[int], list[int], list[float], list[float]]:
    """Every point where two lines cross: (line a, line b, position along a, position along b)."""
    import shapely

    ca, cb = index.crossing()
    if not len(ca):
        return [], [], [], []
    inter = shapely.intersection(geoms[ca], geoms[cb])
    parts, which = shapely.get_parts(inter, return_index=True)
    coords, cidx = shapely.get_coordinates(parts, return_index=True)
    pair = which[cidx]
    pts = shapely.points(coords)
    pos_a = shapely.line_locate_point(geoms[ca[pair]], pts)
    pos_b = shapely.line_locate_point(geoms[cb[pair]], pts)
    return ca[pair].tolist(), cb[pair].tolist(), pos_a.tolist(), pos_b.tolist()


def _nodes(lines: Lines, meet: _Meetings
           ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[dict[float, int]]]:
    """The graph's nodes: per line, its ends, the touches on it and the crossings on it, in order.

    Returns each node's line and position, each line's node ids, and per line a map from
    position (rounded to the millimetre) to node id.
    """
    n = len(lines)
    per_line: list[set[float]] = [{0.0, float(lines.lengths[i])} for i in range(n)]
    for line, pos in zip(meet.touch_line.tolist(), meet.touch_pos.tolist(), strict=False):
        per_line[line].add(round(pos, 3))
    for a, b, pa, pb in zip(meet.cross_a, meet.cross_b, meet.cross_pa, meet.cross_pb, strict=False):
        per_line[a].add(round(pa, 3))
        per_line[b].add(round(pb, 3))
    node_line: list[int] = []
    node_pos: list[float] = []
    line_nodes: list[np.ndarray] = []
    lookup: list[dict[float, int]] = []
    for i in range(n):
        ordered = sorted(per_line[i])
        ids = np.arange(len(node_line), len(node_line) + len(ordered))
        node_line.extend([i] * len(ordered))
        node_pos.extend(ordered)
        line_nodes.append(ids)
        lookup.append(dict(zip(ordered, ids.tolist(), strict=False)))
    return np.array(node_line, dtype=np.intp), np.array(node_pos, dtype=float), line_nodes, lookup


def _edges(lines: Lines, end_points: np.ndarray, meet: _Meetings, line_nodes: list[np.ndarray],
           node_pos: np.ndarray, lookup: list[dict[float, int]]) -> tuple[list[int], list[int], list[float]]:
    """The graph's edges (rows, columns, weights in metres): along each line, and across each meeting."""
    import shapely

    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    for ids in line_nodes:
        if len(ids) > 1:
            rows.extend(ids[:-1].tolist())
            cols.extend(ids[1:].tolist())
            weights.extend(np.maximum(np.diff(node_pos[ids]), 1e-6).tolist())
    for end, line, pos, step in zip(meet.touch_end.tolist(), meet.touch_line.tolist(), meet.touch_pos.tolist(),
                                    meet.touch_gap.tolist(), strict=False):
        node_end = lookup[end // 2][0.0 if end % 2 == 0 else float(lines.lengths[end // 2])]
        rows.append(node_end)
        cols.append(lookup[line][round(pos, 3)])
        weights.append(max(step, 1e-6))
    for a, b, pa, pb in zip(meet.cross_a, meet.cross_b, meet.cross_pa, meet.cross_pb, strict=False):
        rows.append(lookup[a][round(pa, 3)])
        cols.append(lookup[b][round(pb, 3)])
        weights.append(1e-6)
    for i in np.nonzero(meet.loop)[0].tolist():
        rows.append(int(line_nodes[i][0]))
        cols.append(int(line_nodes[i][-1]))
        weights.append(max(float(shapely.distance(end_points[2 * i], end_points[2 * i + 1])), 1e-6))
    return rows, cols, weights


class NodeGrid:
    """Node ids bucketed by grid cell, sorted by (row, column): the nodes in a box in O(rows + found).

    The cell size only changes the speed, never which nodes are found."""

    def __init__(self, node_xy: np.ndarray, cell_m: float = 2000.0) -> None:
        self.xy = node_xy
        self.cell = cell_m
        if len(node_xy):
            self.origin = node_xy.min(axis=0)
            ij = np.floor((node_xy - self.origin) / cell_m).astype(np.int64)
            self.width = int(ij[:, 0].max()) + 1
            keys = ij[:, 1] * self.width + ij[:, 0]
        else:
            self.origin, self.width, keys = np.zeros(2), 1, np.empty(0, dtype=np.int64)
        self.order = np.argsort(keys, kind="stable")
        self.keys = keys[self.order]

    def in_box(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Sorted ids of the nodes with lo <= (x, y) <= hi."""
        if not len(self.keys):
            return np.empty(0, dtype=np.intp)
        c0 = np.floor((lo - self.origin) / self.cell).astype(np.int64)
        c1 = np.floor((hi - self.origin) / self.cell).astype(np.int64)
        x0, x1 = max(int(c0[0]), 0), min(int(c1[0]), self.width - 1)
        y0, y1 = max(int(c0[1]), 0), int(c1[1])
        if x0 > x1 or y0 > y1:
            return np.empty(0, dtype=np.intp)
        rows = np.arange(y0, y1 + 1, dtype=np.int64) * self.width
        starts = np.searchsorted(self.keys, rows + x0)
        stops = np.searchsorted(self.keys, rows + x1, side="right")
        found = np.concatenate([self.order[a:b] for a, b in zip(starts.tolist(), stops.tolist(), strict=True)
                                if b > a] or [np.empty(0, dtype=np.intp)])
        xy = self.xy[found]
        keep = (xy[:, 0] >= lo[0]) & (xy[:, 0] <= hi[0]) & (xy[:, 1] >= lo[1]) & (xy[:, 1] <= hi[1])
        return np.sort(found[keep]).astype(np.intp)


def node_components(graph: csr_matrix) -> np.ndarray:
    """Connected component label of each node."""
    from scipy.sparse.csgraph import connected_components

    if graph.shape[0] == 0:
        return np.empty(0, dtype=np.intp)
    return np.asarray(connected_components(graph, directed=False)[1], dtype=np.intp)


def undirected_graph(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, size: int) -> csr_matrix:
    """A symmetric sparse graph from edge lists.

    Of parallel edges the shortest is kept (a CSR build would add them up); self-loops are dropped.
    """
    from scipy.sparse import coo_matrix

    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    keep = lo != hi
    lo, hi, weights = lo[keep], hi[keep], weights[keep]
    order = np.lexsort((weights, hi, lo))
    lo, hi, weights = lo[order], hi[order], weights[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    lo, hi, weights = lo[first], hi[first], weights[first]
    return coo_matrix((np.concatenate([weights, weights]), (np.concatenate([lo, hi]), np.concatenate([hi, lo]))),
                      shape=(size, size)).tocsr()


class DistRow:
    """Distances from one source: exact up to the search limit, inf beyond (index it by global node id)."""

    def __init__(self, nodes: np.ndarray, values: np.ndarray) -> None:
        self.nodes = nodes
        """The sorted global ids of the nodes searched."""
        self.values = values

    def at(self, nodes: np.ndarray) -> np.ndarray:
        """The distances to several nodes at once."""
        j = np.searchsorted(self.nodes, nodes)
        inside = j < len(self.nodes)
        inside[inside] = self.nodes[j[inside]] == nodes[inside]
        out = np.full(len(nodes), np.inf)
        out[inside] = self.values[j[inside]]
        return out

    def __getitem__(self, node: int) -> float:
        j = int(np.searchsorted(self.nodes, node))
        if j < len(self.nodes) and self.nodes[j] == node:
            return float(self.values[j])
        return float("inf")


def network_distances(topo: Topology, sources: list[int], limit: float) -> list[DistRow]:
    """Shortest distances (metres) from graph nodes ``sources``, up to ``limit`` (inf beyond).

    A path no longer than ``limit`` never leaves the sources' bounding box grown by
    ``limit`` (an edge is never shorter than the straight step between its nodes), so
    Dijkstra runs on that local subgraph only: the cost follows the area searched, not the
    size of the network. Distances up to ``limit`` are exact whatever else is searched with them.
    """
    from scipy.sparse.csgraph import dijkstra

    size = topo.graph.shape[0]
    if not sources:
        return []
    src = np.asarray(sources, dtype=np.intp)
    if np.isfinite(limit):
        lo = topo.node_xy[src].min(axis=0) - limit
        hi = topo.node_xy[src].max(axis=0) + limit
        idx = topo.node_grid.in_box(lo, hi)  # holds the sources: they lie in the box
        sub = subgraph(topo.graph, idx)
    else:
        idx = np.arange(size)
        sub = topo.graph
    local = np.searchsorted(idx, src)
    # the graph is symmetric already: directed=True skips scipy's costly symmetrising on every call
    dist = np.atleast_2d(dijkstra(sub, directed=True, indices=local, limit=limit))
    return [DistRow(idx, row) for row in dist]


def subgraph(graph: csr_matrix, idx: np.ndarray) -> csr_matrix:
    """The rows and columns ``idx`` (sorted node ids) of a CSR graph, in O(edges of those nodes)."""
    from scipy.sparse import csr_matrix

    starts, stops = graph.indptr[idx], graph.indptr[idx + 1]
    counts = (stops - starts).astype(np.intp)
    total = int(counts.sum())
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    pos = offsets + np.arange(total)
    cols = graph.indices[pos]
    local = np.searchsorted(idx, cols)
    inside = local < len(idx)
    inside[inside] = idx[local[inside]] == cols[inside]
    rows = np.repeat(np.arange(len(idx)), counts)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows[inside], minlength=len(idx)))))
    return csr_matrix((graph.data[pos][inside], local[inside], indptr), shape=(len(idx), len(idx)))


def distance_to_position(topo: Topology, dist_row: DistRow, line: int, pos: float) -> float:
    """Network distance to a position along a line, given the distances to every node."""
    nodes = topo.line_nodes[line]
    best = np.inf
    for node in nodes.tolist():
        best = min(best, float(dist_row[node]) + abs(float(topo.node_pos[node]) - pos))
    return best
