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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from radweg.geometry import WGS84_A, WGS84_F
from radweg.osm.cost import edge_cost, parse_maxspeed
from radweg.osm.filter import KEEP_TAGS, OsmWay, WayTable
from radweg.osm.streets import StreetGraph, components, concat_ranges, offsets, parallel_keys

if TYPE_CHECKING:
    import networkx as nx

EDGE_TAGS = tuple(k for k in KEEP_TAGS if k not in ("oneway", "oneway:bicycle", "junction"))
_YES = frozenset({"yes", "true", "1"})
_NAMES = frozenset({"name", "ref"})


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


_A, _F = WGS84_A, WGS84_F
_B = _A * (1 - _F)
_E2 = _F * (2 - _F)
LOCAL_MAX_M = 1000.0
"""Steps up to this long are measured on the local radii of the ellipsoid (see :func:`step_lengths`)."""


def step_lengths(lon: Any, lat: Any) -> Any:
    """WGS84 geodesic length of every step between consecutive positions, metres.

    Steps up to :data:`LOCAL_MAX_M` (nearly all of a street network) are measured on the
    ellipsoid's meridian and prime-vertical radii at their mid-latitude, which is within
    40 micrometres of the geodesic there; longer ones by Vincenty's inverse formula,
    vectorised with numpy (within a few micrometres of pyproj's geodesic up to thousands
    of km; both checked in the tests). Either spares the import pyproj's 20 MB; the rare
    pair where Vincenty's iteration does not settle (nearly antipodal points) goes to pyproj.
    """
    import numpy as np

    if len(lon) < 2:
        return np.zeros(0)
    phi = np.radians((lat[:-1] + lat[1:]) / 2)
    sin = np.sin(phi)
    w = 1 - _E2 * sin * sin
    dlon = (lon[1:] - lon[:-1] + 180.0) % 360.0 - 180.0
    dist = np.hypot(_A / np.sqrt(w) * np.cos(phi) * np.radians(dlon),
                    _A * (1 - _E2) / (w * np.sqrt(w)) * np.radians(lat[1:] - lat[:-1]))
    long = np.flatnonzero(dist > LOCAL_MAX_M)
    if len(long):
        dist[long] = vincenty(lon[long], lat[long], lon[long + 1], lat[long + 1])
    return dist


def vincenty(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    """WGS84 geodesic distances between pairs of positions (arrays), metres: Vincenty's inverse formula."""
    import numpy as np

    L = np.radians((lon2 - lon1 + 180.0) % 360.0 - 180.0)
    u1, u2 = np.arctan((1 - _F) * np.tan(np.radians(lat1))), np.arctan((1 - _F) * np.tan(np.radians(lat2)))
    su1, cu1, su2, cu2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    lam = L.copy()
    settled = np.zeros(len(L), dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(100):
            sl, cl = np.sin(lam), np.cos(lam)
            ss = np.hypot(cu2 * sl, cu1 * su2 - su1 * cu2 * cl)
            cs = su1 * su2 + cu1 * cu2 * cl
            sigma = np.arctan2(ss, cs)
            sa = np.where(ss == 0, 0.0, cu1 * cu2 * sl / np.where(ss == 0, 1.0, ss))
            c2a = 1 - sa * sa
            c2m = np.where(c2a == 0, 0.0, cs - 2 * su1 * su2 / np.where(c2a == 0, 1.0, c2a))
            c = _F / 16 * c2a * (4 + _F * (4 - 3 * c2a))
            prev = lam
            lam = L + (1 - c) * _F * sa * (sigma + c * ss * (c2m + c * cs * (-1 + 2 * c2m * c2m)))
            settled = np.abs(lam - prev) < 1e-12
            if settled.all():
                break
        k2 = c2a * (_A * _A - _B * _B) / (_B * _B)
        big = 1 + k2 / 16384 * (4096 + k2 * (-768 + k2 * (320 - 175 * k2)))
        small = k2 / 1024 * (256 + k2 * (-128 + k2 * (74 - 47 * k2)))
        delta = small * ss * (c2m + small / 4 * (cs * (-1 + 2 * c2m * c2m)
                                                 - small / 6 * c2m * (-3 + 4 * ss * ss) * (-3 + 4 * c2m * c2m)))
        dist = _B * big * (sigma - delta)
    odd = np.flatnonzero(~settled | ~np.isfinite(dist))
    if len(odd):
        from pyproj import Geod

        _, _, exact = Geod(ellps="WGS84").inv(lon1[odd], lat1[odd], lon2[odd], lat2[odd])
        dist[odd] = exact
    return dist


def _per_tags(t: Mapping[str, str], per_sig: dict[Any, tuple[int, int, float]],
              per_riding: dict[Any, tuple[int, float]], rows: dict[Any, int],
              tag_table: list[dict[str, Any]]) -> tuple[int, int, float]:
    """A way's tag table row, direction and cost factor; many ways share their kept tags, so each set is
    worked out once (and each set of the tags that decide riding, without the names, once)."""
    key = tuple(t.items())
    known = per_sig.get(key)
    if known is None:
        maxspeed = parse_maxspeed(t.get("maxspeed"))
        row: dict[str, Any] = dict.fromkeys(EDGE_TAGS)
        row.update((k, val) for k, val in t.items() if k in row)
        row["maxspeed"] = maxspeed
        sig = tuple(row.values())  # the keys are EDGE_TAGS, always in that order
        if sig not in rows:
            rows[sig] = len(tag_table)
            tag_table.append(row)
        riding = tuple([kv for kv in key if kv[0] not in _NAMES])  # names change neither cost nor direction
        if riding not in per_riding:
            per_riding[riding] = (oneway(t), edge_cost(1.0, t, maxspeed))
        known = per_sig[key] = (rows[sig], *per_riding[riding])
    return known


def build_streets(ways: WayTable | Iterable[OsmWay], *, name: str = "network", source: str = "") -> StreetGraph:
    """The cycling graph of the given (already filtered) ways, as arrays.

    Every node shared by two ways (or twice by one), and every way end, becomes a graph
    node; the nodes between them only shape the edges.
    """
    import numpy as np

    table = ways if isinstance(ways, WayTable) else WayTable.from_ways(ways)
    if len(table.ids) < 2 or bool((np.diff(table.ids) > 0).all()):  # a sorted file gives its ways in id order
        sizes, refs, coords, tags, way_ids = np.diff(table.ptr), table.refs, table.coords, table.tags, table.ids
    else:
        by_id = np.argsort(table.ids, kind="stable")
        sizes = np.diff(table.ptr)[by_id]
        take = concat_ranges(table.ptr[:-1][by_id], table.ptr[1:][by_id] - 1)
        refs, coords = table.refs[take], table.coords[take]
        tags = [table.tags[i] for i in by_id]
        way_ids = table.ids[by_id]
    ptr = offsets(sizes)
    n_ways = len(tags)
    way_of = np.repeat(np.arange(n_ways), sizes)
    first, last = ptr[:-1], ptr[1:] - 1
    # a graph node: used twice or more (by two ways, or twice by one), or a way end
    uniq, inv, uses = np.unique(refs, return_inverse=True, return_counts=True)
    end_uses = np.bincount(inv[np.concatenate([first, last])], minlength=len(uniq))
    cut = (uses + end_uses)[inv] >= 2
    cut[first] = cut[last] = True
    at = np.flatnonzero(cut)
    same_way = way_of[at[1:]] == way_of[at[:-1]]
    s, e = at[:-1][same_way], at[1:][same_way]
    piece_way = way_of[s]
    steps = step_lengths(coords[:, 0], coords[:, 1])
    cum = np.concatenate([[0.0], np.cumsum(steps)])
    raw_length = cum[e] - cum[s]
    # per way: tags, direction, cost factor
    rows: dict[tuple[Any, ...], int] = {}
    tag_table: list[dict[str, Any]] = []
    per_sig: dict[tuple[tuple[str, str], ...], tuple[int, int, float]] = {}
    per_riding: dict[tuple[tuple[str, str], ...], tuple[int, float]] = {}
    way_row = np.empty(n_ways, dtype=np.int32)
    direction = np.empty(n_ways, dtype=np.int8)
    factor = np.empty(n_ways, dtype=np.float64)
    per_dict: dict[int, tuple[int, int, float]] = {}  # a reader may give ways with the same tags one dict
    for i, t in enumerate(tags):
        known = per_dict.get(id(t))  # (every dict lives in ``tags`` until the end: no id is reused)
        if known is None:
            known = per_dict[id(t)] = _per_tags(t, per_sig, per_riding, rows, tag_table)
        way_row[i], direction[i], factor[i] = known
    length = np.round(raw_length, 3)
    cost = np.round(raw_length * factor[piece_way], 3)
    d = direction[piece_way]
    fwd, bwd = d >= 0, d <= 0
    # edges in the order networkx would see them added: per piece, along the way, then against it
    n_pieces = len(s)
    order = np.argsort(np.concatenate([np.flatnonzero(fwd) * 2, np.flatnonzero(bwd) * 2 + 1]), kind="stable")

    def both(a: Any, b: Any) -> Any:
        return np.concatenate([a[fwd], b[bwd]])[order]

    nodes_ref = distinct(np.concatenate([refs[s], refs[e]])) if n_pieces else np.zeros(0, dtype=np.int64)
    node_at = np.searchsorted(nodes_ref, refs)
    node_pos = np.empty(len(nodes_ref), dtype=np.int64)
    node_pos[node_at[at]] = at  # any occurrence gives the position
    u_piece, v_piece = node_at[s].astype(np.int32), node_at[e].astype(np.int32)
    u, v = both(u_piece, v_piece), both(v_piece, u_piece)
    idx = np.arange(n_pieces)
    pieces = both(idx, idx)
    rev = both(np.zeros(n_pieces, dtype=bool), np.ones(n_pieces, dtype=bool))
    return StreetGraph(
        node_id=nodes_ref.astype(np.int64), x=coords[node_pos, 0].copy(), y=coords[node_pos, 1].copy(),
        u=u, v=v, key=parallel_keys(u, v), way=way_ids[piece_way][pieces].astype(np.int64),
        length=length[pieces], cost=cost[pieces], oneway=(d != 0)[pieces], reversed=rev,
        tag=way_row[piece_way][pieces], line_start=np.where(rev, e[pieces], s[pieces]).astype(np.int64),
        line_end=np.where(rev, s[pieces], e[pieces]).astype(np.int64), coords=coords, tag_table=tag_table,
        graph={"crs": "epsg:4326", "simplified": True, "name": name, "source": source, "created_with": "radweg"})


def build_graph(ways: Iterable[OsmWay], *, name: str = "network", source: str = "") -> nx.MultiDiGraph:
    """The cycling graph of the given (already filtered) ways, as a networkx ``MultiDiGraph``."""
    return build_streets(ways, name=name, source=source).to_networkx()


def summary(graph: StreetGraph | nx.MultiDiGraph) -> dict[str, Any]:
    """Counts and lengths for ``network info``: nodes, edges, km by highway class and by surface."""
    import numpy as np

    from radweg.osm.streets import as_streets

    G = as_streets(graph)
    # a way ridden both ways counts once: keep one edge per stretch of line
    lo = np.minimum(G.line_start, G.line_end)
    hi = np.maximum(G.line_start, G.line_end)
    first = np.sort(np.unique(lo * (len(G.coords) + 1) + hi, return_index=True)[1])
    per_row = np.bincount(G.tag[first], weights=G.length[first], minlength=len(G.tag_table))
    seen = np.unique(G.tag[first], return_index=True)[1]  # each row in the order its first stretch appears
    by_highway: defaultdict[str, float] = defaultdict(float)
    by_surface: defaultdict[str, float] = defaultdict(float)
    for r in G.tag[first][np.sort(seen)].tolist():
        row = G.tag_table[r]
        by_highway[_text(row.get("highway"))] += float(per_row[r])
        by_surface[_text(row.get("surface"))] += float(per_row[r])
    labels = components(len(G), G.u, G.v)
    if G.has_way:
        ways = len(distinct(G.way))
    else:
        ways = len({_text(G.tag_table[int(t)].get("osmid")) for t in distinct(G.tag)})
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "ways": ways,
        "length_km": round(float(G.length[first].sum()) / 1000.0, 2) if len(first) else 0.0,
        "components": len(distinct(labels)) if len(G) else 0,
        "km_by_highway": {k: round(v / 1000.0, 2) for k, v in sorted(by_highway.items(), key=lambda kv: -kv[1])},
        "km_by_surface": {k: round(v / 1000.0, 2) for k, v in sorted(by_surface.items(), key=lambda kv: -kv[1])},
    }


def distinct(values: Any) -> Any:
    """The sorted distinct values of a 1-D array (``np.unique`` without its optional outputs loads numpy.ma)."""
    import numpy as np

    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "unknown"
    return "|".join(sorted(map(str, value))) if isinstance(value, (list, tuple)) else str(value)
