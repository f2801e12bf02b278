"""Build the cycling graph (a networkx MultiDiGraph in osmnx's conventions) from filtered ways.

Graph nodes are OSM node ids at junctions (nodes shared by two or more kept
ways) and at way ends; intermediate nodes only shape the edges. So the graph
is "simplified" in osmnx's sense already when it is built, but an edge never
spans two ways: its tags are exactly those of one OSM way, never lists.

Node attributes: ``x`` (lon), ``y`` (lat). Edge attributes: ``osmid`` (way
id), ``length`` (geodesic metres), ``cost`` (see :mod:`radweg.osm.cost`),
``highway``, ``surface``, ``maxspeed`` (int km/h or None), ``name`` and the
other kept tags (:data:`radweg.osm.filter.KEEP_TAGS`, missing ones None),
``oneway``, ``reversed`` and ``coords`` (the edge's (lon, lat) vertices from
``u`` to ``v``). Graph attributes: ``crs`` ("epsg:4326"), ``simplified``,
``name``, ``source``. One-way streets get one edge unless bicycles are
exempt (``oneway:bicycle=no``, ``cycleway=opposite*``).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from radweg.osm.cost import edge_cost, parse_maxspeed
from radweg.osm.filter import KEEP_TAGS, OsmWay

if TYPE_CHECKING:
    import networkx as nx

EDGE_TAGS = tuple(k for k in KEEP_TAGS if k not in ("oneway", "oneway:bicycle", "junction"))
_YES = frozenset({"yes", "true", "1"})


def oneway(tags: Mapping[str, str]) -> int:
    """Direction a cyclist may ride: 0 both ways, 1 along the way, -1 against it."""
    bike = tags.get("oneway:bicycle")
    if bike == "no":
        return 0
    if bike in _YES:
        return 1
    if bike == "-1":
        return -1
    if any(str(tags.get(k, "")).startswith("opposite") for k in ("cycleway", "cycleway:left", "cycleway:right",
                                                                   "cycleway:both")):
        return 0
    value = tags.get("oneway")
    if value in _YES:
        return 1
    if value in ("-1", "reverse"):
        return -1
    if value != "no" and tags.get("junction") in ("roundabout", "circular"):
        return 1
    return 0


def _lengths(ways: list[OsmWay]) -> list[list[float]]:
    """Geodesic length of every node-to-node step of every way, in one vectorised call."""
    import numpy as np
    from pyproj import Geod

    lon1: list[float] = []
    lat1: list[float] = []
    lon2: list[float] = []
    lat2: list[float] = []
    for way in ways:
        c = way.coords
        for (ax, ay), (bx, by) in itertools.pairwise(c):
            lon1.append(ax)
            lat1.append(ay)
            lon2.append(bx)
            lat2.append(by)
    if not lon1:
        return [[] for _ in ways]
    _, _, dist = Geod(ellps="WGS84").inv(np.array(lon1), np.array(lat1), np.array(lon2), np.array(lat2))
    flat = dist.tolist()
    out: list[list[float]] = []
    i = 0
    for way in ways:
        n = len(way.coords) - 1
        out.append(flat[i:i + n])
        i += n
    return out


def build_graph(ways: Iterable[OsmWay], *, name: str = "network", source: str = "") -> nx.MultiDiGraph:
    """The cycling graph of the given (already filtered) ways."""
    import networkx as nx

    ways = sorted(ways, key=lambda w: w.id)
    uses: Counter[int] = Counter()
    for way in ways:
        uses.update(way.refs)
        uses[way.refs[0]] += 1
        uses[way.refs[-1]] += 1
    steps = _lengths(ways)
    G = nx.MultiDiGraph(crs="epsg:4326", simplified=True, name=name, source=source, created_with="radweg")
    nodes: dict[int, dict[str, float]] = {}
    edges: list[tuple[int, int, dict[str, Any]]] = []
    for way, step in zip(ways, steps, strict=False):
        tags = way.tags
        maxspeed = parse_maxspeed(tags.get("maxspeed"))
        base: dict[str, str | int | None] = {k: tags.get(k) for k in EDGE_TAGS}
        base["maxspeed"] = maxspeed
        direction = oneway(tags)
        start = 0
        length = 0.0
        for i in range(1, len(way.refs)):
            length += step[i - 1]
            if uses[way.refs[i]] < 2 and i < len(way.refs) - 1:
                continue
            u, v = way.refs[start], way.refs[i]
            coords = way.coords[start:i + 1]
            nodes.setdefault(u, {"x": coords[0][0], "y": coords[0][1]})
            nodes.setdefault(v, {"x": coords[-1][0], "y": coords[-1][1]})
            cost = edge_cost(length, tags, maxspeed)
            attrs = {"osmid": way.id, **base, "length": round(length, 3), "cost": round(cost, 3),
                     "oneway": direction != 0}
            if direction >= 0:
                edges.append((u, v, {**attrs, "reversed": False, "coords": coords}))
            if direction <= 0:
                edges.append((v, u, {**attrs, "reversed": True, "coords": coords[::-1]}))
            start = i
            length = 0.0
    G.add_nodes_from(sorted(nodes.items()))
    G.add_edges_from(edges)
    return G


def summary(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts and lengths for ``network info``: nodes, edges, km by highway class and by surface."""
    import networkx as nx

    by_highway: Counter[str] = Counter()
    by_surface: Counter[str] = Counter()
    seen: set[tuple[int, int, int]] = set()
    total = 0.0
    for u, v, d in G.edges(data=True):
        key = (d["osmid"], min(u, v), max(u, v))
        if key in seen:
            continue
        seen.add(key)
        total += d["length"]
        by_highway[d.get("highway") or "unknown"] += d["length"]
        by_surface[d.get("surface") or "unknown"] += d["length"]
    components = nx.number_weakly_connected_components(G) if len(G) else 0
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "ways": len({d["osmid"] for _, _, d in G.edges(data=True)}),
        "length_km": round(total / 1000.0, 2),
        "components": components,
        "km_by_highway": {k: round(v / 1000.0, 2) for k, v in by_highway.most_common()},
        "km_by_surface": {k: round(v / 1000.0, 2) for k, v in by_surface.most_common()},
    }
