"""radweg.osm.router: snapping to edges, Dijkstra over the cycling cost, penalties, composition."""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import networkx as nx
import pytest

from radweg.geometry import line_length_m
from radweg.osm.filter import read_ways
from radweg.osm.graph import build_graph
from radweg.osm.router import Router, route, snap

sys.path.insert(0, str(Path(__file__).parent))
from gapkit import hairpin  # noqa: E402

SMALL = Path(__file__).parent / "data" / "hettstedt_small.osm"


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return build_graph(read_ways(SMALL))


def _xy(G: nx.MultiDiGraph, n: int) -> tuple[float, float]:
    return G.nodes[n]["x"], G.nodes[n]["y"]


def test_route_between_nodes_matches_networkx(G: nx.MultiDiGraph) -> None:
    nodes = sorted(G)
    for o in nodes:
        for d in nodes:
            try:
                expected = nx.shortest_path_length(G, o, d, weight="cost")
            except nx.NetworkXNoPath:
                expected = None
            r = route(G, _xy(G, o), _xy(G, d))
            if expected is None:
                assert r is None
            else:
                assert r is not None and r.cost == pytest.approx(expected, abs=1e-6)


def test_route_fields(G: nx.MultiDiGraph) -> None:
    r = route(G, _xy(G, 1001), _xy(G, 1015))
    assert r is not None
    assert r.coords[0] == (11.5, 51.62) and r.coords[-1] == (11.52, 51.624)
    assert r.length_m == pytest.approx(line_length_m(r.coords), rel=1e-6)
    assert r.cost >= r.length_m
    assert r.nodes[0] == 1001 or r.nodes[0] in G
    assert sum(r.composition["highway"].values()) == pytest.approx(1.0, abs=0.002)
    assert set(r.composition) == {"highway", "surface"}


def test_weight_length_gives_shortest(G: nx.MultiDiGraph) -> None:
    for o, d in ((1001, 1015), (1031, 1013), (1033, 1011)):
        by_len = route(G, _xy(G, o), _xy(G, d), weight="length")
        by_cost = route(G, _xy(G, o), _xy(G, d), weight="cost")
        assert by_len is not None and by_cost is not None
        assert by_len.length_m == pytest.approx(nx.shortest_path_length(G, o, d, weight="length"), abs=1e-6)
        assert by_len.length_m <= by_cost.length_m + 1e-6


def test_cost_avoids_the_primary_road(G: nx.MultiDiGraph) -> None:
    # 1031 -> 1033 along the B 180 (primary, 70 km/h) is shortest; the cost route takes the quiet streets
    by_len = route(G, _xy(G, 1031), _xy(G, 1033), weight="length")
    by_cost = route(G, _xy(G, 1031), _xy(G, 1033), weight="cost")
    assert by_len is not None and by_cost is not None
    assert by_len.composition["highway"] == {"primary": 1.0}
    assert by_cost.composition["highway"].get("primary", 0.0) < 0.5
    assert by_cost.length_m > by_len.length_m


def test_oneway_is_respected(G: nx.MultiDiGraph) -> None:
    # Einbahnstraße 1004 -> 1045 only; going north from 1045 must take another street
    south = route(G, _xy(G, 1004), _xy(G, 1045), weight="length")
    north = route(G, _xy(G, 1045), _xy(G, 1004), weight="length")
    assert south is not None and north is not None
    assert north.length_m > south.length_m + 100


def test_mid_edge_points_snap_to_the_edge(G: nx.MultiDiGraph) -> None:
    # two points on the Wipperradweg, 10 m off it: the route runs along the cycleway only
    a, b = (11.5025, 51.62435), (11.5075, 51.62485)
    s = snap(G, a)
    assert G[s.u][s.v][s.key]["highway"] == "cycleway" and 5 < s.offset_m < 15
    r = route(G, a, b)
    assert r is not None
    assert r.composition["highway"] == {"cycleway": 1.0}
    assert r.length_m == pytest.approx(line_length_m([(11.5025, 51.62425), (11.505, 51.6245), (11.5075, 51.62475)]),
                                       rel=0.02)
    back = route(G, b, a)
    assert back is not None and back.length_m == pytest.approx(r.length_m, rel=1e-6)


def test_same_edge_against_oneway(G: nx.MultiDiGraph) -> None:
    # on the one-way Einbahnstraße, from a point to one behind it: no riding backwards
    a, b = (11.515, 51.6185), (11.515, 51.6195)
    r = route(G, a, b, weight="length")
    assert r is not None and r.length_m > 500


def test_no_path_gives_none(G: nx.MultiDiGraph) -> None:
    assert route(G, _xy(G, 1001), (11.531, 51.6285)) is None


@pytest.mark.realdata
def test_liechtenstein_routes_match_networkx(realdata: Path) -> None:
    G = build_graph(read_ways(realdata / "pyosmium/docs/data/liechtenstein.osm.pbf"))
    big = sorted(max(nx.strongly_connected_components(G), key=len))
    rnd = random.Random(7)
    for _ in range(25):
        o, d = rnd.choice(big), rnd.choice(big)
        r = route(G, _xy(G, o), _xy(G, d))
        assert r is not None
        assert r.cost == pytest.approx(nx.shortest_path_length(G, o, d, weight="cost"), abs=0.01)
        assert r.length_m == pytest.approx(line_length_m(r.coords), rel=1e-3)


def test_off_network_destination_is_still_optimal(G: nx.MultiDiGraph) -> None:
    """A destination far off the network must not make the A* heuristic overestimate."""
    rnd = random.Random(3)
    nodes = sorted(n for n in G if n not in (1071, 1072))
    for _ in range(30):
        o = rnd.choice(nodes)
        dest = (rnd.uniform(11.49, 11.53), rnd.uniform(51.60, 51.635))
        r = route(G, _xy(G, o), dest)
        s = snap(G, dest)
        if G[s.u][s.v][s.key]["osmid"] == 2017:
            continue
        assert r is not None
        # brute force: cost to each end of the snapped edge plus the part of the edge
        best = float("inf")
        dists = nx.single_source_dijkstra_path_length(G, o, weight="cost")
        for u, v, d in G.edges(data=True):
            if d["osmid"] != G[s.u][s.v][s.key]["osmid"] or {u, v} != {s.u, s.v}:
                continue
            frac = s.fraction if (u, v) == (s.u, s.v) else 1.0 - s.fraction
            if u in dists:
                best = min(best, dists[u] + d["cost"] * frac)
        assert r.cost <= best + 1e-6


def test_steps_add_up_to_the_route(G: nx.MultiDiGraph) -> None:
    r = Router(G).route((11.5025, 51.62435), _xy(G, 1015))
    assert r is not None and r.steps
    assert sum(s.length_m for s in r.steps) == pytest.approx(r.length_m, rel=1e-9)
    assert all(G.has_edge(s.u, s.v, s.key) for s in r.steps)
    # the steps' arrays: one number per way, the same in either direction, as the node pairs say
    assert r.table is not None and r.table.length_m.tolist() == [s.length_m for s in r.steps]
    ways = r.table.ways().tolist()
    pairs = [frozenset((s.u, s.v)) for s in r.steps]
    assert all((ways[i] == ways[j]) == (pairs[i] == pairs[j]) for i in range(len(ways)) for j in range(len(ways)))
    back = dataclasses.replace(r.table, u=r.table.v, v=r.table.u)
    assert back.ways().tolist() == ways


def test_penalties_steer_the_route_and_leave_the_cost_honest(G: nx.MultiDiGraph) -> None:
    router = Router(G)
    first = router.route(_xy(G, 1031), _xy(G, 1033), weight="length")
    assert first is not None
    penalties = {pair: 10.0 for s in first.steps for pair in ((s.u, s.v), (s.v, s.u))}
    other = router.route(_xy(G, 1031), _xy(G, 1033), weight="length", penalties=penalties)
    assert other is not None and other.nodes != first.nodes
    assert other.cost == pytest.approx(other.length_m, rel=1e-9)  # the reported cost is not the penalised one
    assert other.length_m > first.length_m


def test_graphs_without_coords_route_along_straight_edges() -> None:
    g = nx.MultiDiGraph()
    for n, x in ((1, 0.0), (2, 0.01), (3, 0.02)):
        g.add_node(n, x=x, y=50.0)
    for a, b in ((1, 2), (2, 3)):
        g.add_edge(a, b, length=715.0, highway=["residential", "service"])
    r = Router(g).route((0.005, 50.0), (0.015, 50.0))
    assert r is not None and r.length_m == pytest.approx(715.0, rel=0.01)
    assert r.composition["highway"] == {"residential|service": 1.0}
    assert Router(g).route((0.015, 50.0), (0.005, 50.0)) is None  # one way only


def test_the_search_is_bounded_by_a_multiple_of_the_straight_line() -> None:
    from radweg.osm.router import DETOUR_SLACK_M, MAX_DETOUR

    router = Router(hairpin())
    a, b = (11.0, 51.0), (11.0, 51.0009)  # 100 m apart; the only way round is about 5.7 km
    assert MAX_DETOUR * 100 + DETOUR_SLACK_M < 5_600
    assert router.route(a, b) is None
    found = router.route(a, b, max_detour=None)
    assert found is not None and 5_600 < found.length_m < 5_800
    wide = router.route(a, b, max_detour=60)
    assert wide is not None and wide.cost == pytest.approx(found.cost)


def test_staged_and_bounded_searches_give_the_unbounded_answer(G: nx.MultiDiGraph) -> None:
    router = Router(G)
    for o in sorted(G):
        for d in sorted(G):
            full = router.route(_xy(G, o), _xy(G, d), max_detour=None)
            staged = router.route(_xy(G, o), _xy(G, d))
            assert (full is None) == (staged is None)
            if full is not None and staged is not None:
                assert staged.cost == pytest.approx(full.cost) and staged.nodes == full.nodes


def test_edge_penalties_equal_node_pair_penalties(G: nx.MultiDiGraph) -> None:
    router = Router(G)
    nodes = sorted(G)
    checked = 0
    for o in nodes[::2]:
        for d in nodes[1::2]:
            first = router.route(_xy(G, o), _xy(G, d))
            if first is None or not first.steps:
                continue
            pairs: dict[tuple[object, object], float] = {}
            for s in first.steps + first.steps:  # twice: factors compound
                for pair in ((s.u, s.v), (s.v, s.u)):
                    pairs[pair] = pairs.get(pair, 1.0) * 3.0
            pen = router.penalise(first, 3.0, router.penalise(first, 3.0))
            by_pairs = router.route(_xy(G, o), _xy(G, d), penalties=pairs)
            by_edges = router.route(_xy(G, o), _xy(G, d), penalties=pen)
            assert (by_pairs is None) == (by_edges is None)
            if by_pairs is not None and by_edges is not None:
                assert by_edges.nodes == by_pairs.nodes and by_edges.cost == pytest.approx(by_pairs.cost)
                checked += 1
    assert checked > 10
    with pytest.raises(ValueError, match="weight"):
        router.route(_xy(G, nodes[0]), _xy(G, nodes[1]), weight="length", penalties=pen)
