"""The cycling network as arrays: nodes, directed edges, their lines and a table of tag sets.

A :class:`StreetGraph` is what ``radweg network import`` builds and caches and what
the router runs on. Node ``i`` is OSM node ``node_id[i]`` at ``x[i]`` (lon),
``y[i]`` (lat). Edge ``j`` runs from node ``u[j]`` to node ``v[j]``; ``key[j]``
numbers parallel edges between the same two nodes (0, 1, …, as networkx does), and
its line is ``coords[line_start[j] : line_end[j] + 1]``, read backwards when
``line_start[j] > line_end[j]``. The two directions of a two-way street share one
stretch of ``coords``. ``tag_table[tag[j]]`` holds the edge's tags (``highway``,
``surface``, ``maxspeed`` as int km/h or None, ``name``, …); many edges share a row.

networkx is never needed: :meth:`StreetGraph.to_networkx` gives the graph in osmnx's
conventions (the attributes :mod:`radweg.osm.graph` documents) when a caller asks for
it, and :func:`from_networkx` turns any osmnx-style graph into arrays.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray

ARRAY_FIELDS: dict[str, str] = {
    "node_id": "int64", "x": "float64", "y": "float64",
    "u": "int32", "v": "int32", "key": "int32", "way": "int64", "length": "float64", "cost": "float64",
    "oneway": "bool", "reversed": "bool", "tag": "int32", "line_start": "int64", "line_end": "int64",
    "coords": "float64",
}
"""Every array of a StreetGraph and its dtype (the cache stores exactly these)."""

NODE_FIELDS = ("node_id", "x", "y")
EDGE_FIELDS = ("u", "v", "key", "way", "length", "cost", "oneway", "reversed", "tag", "line_start", "line_end")


@dataclass(eq=False)
class StreetGraph:
    """A directed cycling network in arrays (see the module docstring for the fields)."""

    node_id: NDArray[np.int64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    u: NDArray[np.int32]
    v: NDArray[np.int32]
    key: NDArray[np.int32]
    way: NDArray[np.int64]
    length: NDArray[np.float64]
    cost: NDArray[np.float64]
    oneway: NDArray[np.bool_]
    reversed: NDArray[np.bool_]
    tag: NDArray[np.int32]
    line_start: NDArray[np.int64]
    line_end: NDArray[np.int64]
    coords: NDArray[np.float64]
    tag_table: list[dict[str, Any]]
    graph: dict[str, Any] = field(default_factory=dict)
    """Graph attributes: ``name``, ``source``, ``crs`` ("epsg:4326")."""
    labels: list[Hashable] | None = None
    """Node labels when they are not OSM ids (graphs from :func:`from_networkx` with other labels)."""
    has_way: bool = True
    """False when ``way`` is a placeholder (the tag rows then carry any ``osmid``)."""
    _positions: dict[Hashable, int] | None = field(default=None, init=False, repr=False)

    # counts, in networkx's words ------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.x)

    def number_of_nodes(self) -> int:
        """How many nodes."""
        return len(self.x)

    def number_of_edges(self) -> int:
        """How many directed edges."""
        return len(self.u)

    # nodes ------------------------------------------------------------------------------------

    def label(self, i: int) -> Hashable:
        """The label (OSM node id) of node index ``i``."""
        return self.labels[i] if self.labels is not None else int(self.node_id[i])

    def labels_of(self, indices: Any) -> list[Hashable]:
        """The labels (OSM node ids) of many node indices."""
        if self.labels is not None:
            return [self.labels[int(i)] for i in indices]
        out: list[Hashable] = self.node_id[indices].tolist()
        return out

    def index_of(self, labels: Sequence[Hashable]) -> NDArray[np.intp]:
        """Node indices of labels (OSM node ids); -1 for a label not in the graph."""
        import numpy as np

        if self.labels is not None:
            if self._positions is None:
                self._positions = {n: i for i, n in enumerate(self.labels)}
            pos = self._positions
            return np.array([pos.get(n, -1) for n in labels], dtype=np.intp)
        out = np.full(len(labels), -1, dtype=np.intp)
        if not len(labels) or not len(self.node_id):
            return out
        try:
            want = np.asarray(labels)
        except (ValueError, TypeError):
            want = np.asarray(labels, dtype=object)
        if want.dtype.kind not in "iu":  # some labels are not OSM ids: look at each
            ok = [k for k, n in enumerate(labels) if isinstance(n, (int, np.integer)) and not isinstance(n, bool)]
            if not ok:
                return out
            sub = self.index_of([labels[k] for k in ok])
            out[np.array(ok)] = sub
            return out
        want = want.astype(np.int64)
        j = np.minimum(np.searchsorted(self.node_id, want), len(self.node_id) - 1)
        hit = self.node_id[j] == want
        out[hit] = j[hit]
        return out

    def position(self, i: int) -> tuple[float, float]:
        """(lon, lat) of node index ``i``."""
        return float(self.x[i]), float(self.y[i])

    # edges ------------------------------------------------------------------------------------

    def line(self, j: int) -> list[tuple[float, float]]:
        """The (lon, lat) vertices of edge ``j`` from ``u`` to ``v``."""
        a, b = int(self.line_start[j]), int(self.line_end[j])
        part = self.coords[a:b + 1] if a <= b else self.coords[b:a + 1][::-1]
        return [(float(c[0]), float(c[1])) for c in part]

    def attrs(self, j: int) -> dict[str, Any]:
        """Edge ``j``'s attributes as networkx/osmnx would hold them (without ``coords``)."""
        out: dict[str, Any] = {"osmid": int(self.way[j])} if self.has_way else {}
        out.update(self.tag_table[int(self.tag[j])])
        out["length"] = float(self.length[j])
        out["cost"] = float(self.cost[j])
        out["oneway"] = bool(self.oneway[j])
        out["reversed"] = bool(self.reversed[j])
        return out

    def twins(self) -> NDArray[np.intp]:
        """For each edge the edge that rides the same line the other way, or -1."""
        import numpy as np

        lo = np.minimum(self.line_start, self.line_end)
        hi = np.maximum(self.line_start, self.line_end)
        order = np.lexsort((self.line_start > self.line_end, hi, lo))
        out = np.full(len(lo), -1, dtype=np.intp)
        same = (lo[order[1:]] == lo[order[:-1]]) & (hi[order[1:]] == hi[order[:-1]]) & \
            ((self.line_start > self.line_end)[order[1:]] != (self.line_start > self.line_end)[order[:-1]])
        a, b = order[:-1][same], order[1:][same]
        out[a], out[b] = b, a
        return out

    def nbytes(self) -> int:
        """Bytes held by the arrays."""
        return sum(int(getattr(self, f).nbytes) for f in ARRAY_FIELDS)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph as a networkx ``MultiDiGraph`` with osmnx's attributes (edges carry ``coords``)."""
        import networkx as nx

        G = nx.MultiDiGraph(**self.graph)
        labels = self.labels if self.labels is not None else self.node_id.tolist()
        G.add_nodes_from((n, {"x": x, "y": y}) for n, x, y in zip(labels, self.x.tolist(), self.y.tolist(),
                                                                     strict=True))
        us, vs, keys = self.u.tolist(), self.v.tolist(), self.key.tolist()
        for j in range(len(us)):
            d = self.attrs(j)
            d["coords"] = tuple(self.line(j))
            G.add_edge(labels[us[j]], labels[vs[j]], key=keys[j], **d)
        return G


def parallel_keys(u: NDArray[Any], v: NDArray[Any]) -> NDArray[np.int32]:
    """networkx's key for each edge: how many earlier edges join the same two nodes in the same direction."""
    import numpy as np

    n = len(u)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    order = np.lexsort((np.arange(n), v, u))
    su, sv = u[order], v[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (su[1:] != su[:-1]) | (sv[1:] != sv[:-1])
    start = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    keys = np.empty(n, dtype=np.int32)
    keys[order] = np.arange(n) - start
    return keys


def components(n: int, u: NDArray[Any], v: NDArray[Any]) -> NDArray[np.intp]:
    """Weakly connected component label (its smallest node index) of every node: hooking and pointer jumping."""
    import numpy as np

    parent = np.arange(n, dtype=np.intp)
    if n == 0 or len(u) == 0:
        return parent
    a, b = u.astype(np.intp), v.astype(np.intp)
    while True:
        pa, pb = parent[a], parent[b]
        differ = pa != pb
        if not differ.any():
            return parent
        lo, hi = np.minimum(pa[differ], pb[differ]), np.maximum(pa[differ], pb[differ])
        np.minimum.at(parent, hi, lo)
        while True:
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt


def _hashable(value: Any) -> Hashable:
    return tuple(value) if isinstance(value, list) else value


def _edge_line(G: nx.MultiDiGraph, u: Hashable, v: Hashable, d: Mapping[str, Any]) -> list[tuple[float, float]]:
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


_OWN = frozenset({"length", "cost", "oneway", "reversed", "coords", "geometry"})


def from_networkx(G: nx.MultiDiGraph) -> StreetGraph:
    """Arrays of any networkx graph in osmnx's conventions (``x``/``y`` nodes; ``length``, optional ``cost``,
    ``coords`` or ``geometry`` on edges). A missing length is the line's geodesic length, a missing cost the
    length; every other edge attribute goes into the tag rows as it is."""
    import numpy as np

    from radweg.geometry import line_length_m

    labels = list(G.nodes)
    ints = all(isinstance(n, int) and not isinstance(n, bool) for n in labels)
    ordered = sorted(labels) if ints else labels
    pos = {n: i for i, n in enumerate(ordered)}
    coords: list[tuple[float, float]] = []
    shared: dict[tuple[Hashable, ...], tuple[int, int]] = {}
    rows: dict[tuple[tuple[str, Hashable], ...], int] = {}
    table: list[dict[str, Any]] = []
    cols: dict[str, list[Any]] = {k: [] for k in EDGE_FIELDS}
    for u, v, k, d in G.edges(keys=True, data=True):
        line = _edge_line(G, u, v, d)
        back = (_hashable(d.get("osmid")), v, u, tuple(line[::-1]))
        if back in shared:  # the other direction of a two-way street: share its line
            a, b = shared.pop(back)
            start, end = b, a
        else:
            start = len(coords)
            coords.extend(line)
            end = len(coords) - 1
            shared[(_hashable(d.get("osmid")), u, v, tuple(line))] = (start, end)
        tags = {a: d[a] for a in d if a not in _OWN}
        sig = tuple((a, _hashable(val)) for a, val in tags.items())
        if sig not in rows:
            rows[sig] = len(table)
            table.append(tags)
        length = d.get("length")
        length = line_length_m(line) if length in (None, "") else float(length)
        cost = d.get("cost")
        for name, value in (("u", pos[u]), ("v", pos[v]), ("key", k if isinstance(k, int) else 0), ("way", 0),
                            ("length", length), ("cost", length if cost in (None, "") else float(cost)),
                            ("oneway", bool(d.get("oneway"))), ("reversed", bool(d.get("reversed"))),
                            ("tag", rows[sig]), ("line_start", start), ("line_end", end)):
            cols[name].append(value)
    arrays = {name: np.asarray(cols[name], dtype=ARRAY_FIELDS[name]) for name in EDGE_FIELDS}
    return StreetGraph(
        node_id=np.asarray(ordered if ints else range(len(ordered)), dtype=np.int64),
        x=np.array([float(G.nodes[n]["x"]) for n in ordered], dtype=np.float64),
        y=np.array([float(G.nodes[n]["y"]) for n in ordered], dtype=np.float64),
        coords=np.asarray(coords, dtype=np.float64).reshape(-1, 2), tag_table=table,
        graph={k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))},
        labels=None if ints else ordered, has_way=False, **arrays)


def as_streets(graph: StreetGraph | nx.MultiDiGraph) -> StreetGraph:
    """A StreetGraph as it is; a networkx graph converted."""
    return graph if isinstance(graph, StreetGraph) else from_networkx(graph)


def as_networkx(graph: StreetGraph | nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A networkx graph as it is; a StreetGraph converted (for callers that need networkx)."""
    return graph.to_networkx() if isinstance(graph, StreetGraph) else graph


def offsets(sizes: Iterable[int]) -> NDArray[np.int64]:
    """Where each of consecutive runs of these sizes starts, and after the last one ends: ``[0, cumsum]``."""
    import numpy as np

    out: NDArray[np.int64] = np.concatenate([[0], np.cumsum(np.asarray(sizes, dtype=np.int64))]).astype(np.int64)
    return out


def concat_ranges(starts: Iterable[int], ends: Iterable[int]) -> NDArray[np.intp]:
    """The indices ``start..end`` (inclusive) of every range, one after another."""
    import numpy as np

    s = np.asarray(starts if isinstance(starts, np.ndarray) else list(starts), dtype=np.intp)
    e = np.asarray(ends if isinstance(ends, np.ndarray) else list(ends), dtype=np.intp)
    n = e - s + 1
    if not len(n):
        return np.zeros(0, dtype=np.intp)
    before = np.cumsum(n)
    total = int(before[-1])
    before -= n  # how many indices come before each range
    out: NDArray[np.intp] = np.arange(total, dtype=np.intp) + np.repeat(s - before, n)
    return out


def line_positions(starts: NDArray[Any], ends: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Where in ``coords`` the vertices of many edge lines lie, each line in riding order (``start`` to ``end``,
    backwards when ``start > end``), one line after another; and which line each vertex belongs to."""
    import numpy as np

    lo, hi = np.minimum(starts, ends), np.maximum(starts, ends)
    up = concat_ranges(lo, hi)
    group = np.repeat(np.arange(len(lo)), hi - lo + 1)
    at: NDArray[np.intp] = np.where((starts > ends)[group], (lo + hi)[group] - up, up)
    return at, group
