"""Connectors routed on small street networks built here, and on a real OSM extract."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gapkit import HAIRPIN, dataset, hairpin, ll, seg, tour

from radweg.gaps.connectors import ConnectorConfig, route_gap, route_gaps
from radweg.gaps.detect import find_gaps
from radweg.gaps.model import Gap, GapEnd
from radweg.geometry import distance_m
from radweg.osm.router import Router


def grid(n: int = 3, step: float = 500.0, fast_row: int | None = None) -> nx.MultiDiGraph:
    """An n×n street grid, both directions; row ``fast_row`` is a secondary road at 70 km/h."""
    g = nx.MultiDiGraph()
    for i in range(n):
        for j in range(n):
            lon, lat = ll(i * step, j * step)
            g.add_node((i, j), x=lon, y=lat)
    for i in range(n):
        for j in range(n):
            for di, dj in ((1, 0), (0, 1)):
                a, b = (i, j), (i + di, j + dj)
                if b not in g.nodes:
                    continue
                fast = fast_row is not None and dj == 0 and j == fast_row
                length = distance_m((g.nodes[a]["x"], g.nodes[a]["y"]), (g.nodes[b]["x"], g.nodes[b]["y"]))
                attrs = {"length": length, "cost": length * (3.0 if fast else 1.0),
                         "highway": "secondary" if fast else ("track" if dj else "residential"),
                         "surface": "asphalt" if not dj else "gravel", "maxspeed": 70 if fast else None,
                         "name": "Hauptstraße" if fast else None}
                g.add_edge(a, b, **attrs)
                g.add_edge(b, a, **attrs)
    return g


def gap_between(a: tuple[float, float], b: tuple[float, float]) -> Gap:
    ea, eb = GapEnd("segment:a:end", "A", ll(*a)), GapEnd("segment:b:start", "B", ll(*b))
    return Gap("ct-test", "continuity", "tour", ea, eb, distance_m(ea.coords, eb.coords), (ea.coords, eb.coords))


def test_best_connector_is_the_direct_street_with_its_figures():
    res = route_gap(Router(grid()), gap_between((0, 0), (1000, 0)))
    assert not res.no_connection
    best = res.connectors[0]
    assert abs(best.network_m - 1000.0) <= 10.0
    assert abs(best.straight_m - 1000.0) <= 10.0
    assert best.detour == pytest.approx(1.0, abs=0.01)
    assert best.by_highway == (("residential", 1.0),)
    assert best.by_surface == (("asphalt", 1.0),)
    assert best.fast_m == 0.0


def test_alternatives_are_genuinely_different():
    router = Router(grid(4))
    res = route_gap(router, gap_between((0, 0), (1500, 0)))
    assert 2 <= len(res.connectors) <= 3
    paths = [set(zip(c.coords, c.coords[1:], strict=False)) for c in res.connectors]
    for i in range(len(paths)):
        for j in range(i):
            shared = paths[i] & {(b, a) for a, b in paths[j]} | paths[i] & paths[j]
            assert len(shared) / len(paths[i]) <= 0.7
    lengths = [c.network_m for c in res.connectors]
    assert lengths[0] == min(lengths)
    assert [c.alternative for c in res.connectors] == list(range(1, len(res.connectors) + 1))


def test_the_cycling_cost_avoids_a_fast_road_and_reports_it_when_used():
    router = Router(grid(3, fast_row=0))
    res = route_gap(router, gap_between((0, 0), (1000, 0)))
    best = res.connectors[0]
    # the bottom row costs three times its length: the 2 km way round through the quiet row is cheaper
    assert abs(best.network_m - 2000.0) <= 20.0
    assert best.fast_m == 0.0
    used = [c for c in res.connectors if c.fast_m > 0]
    assert used and abs(used[0].fast_m - 1000.0) <= 10.0
    assert dict(used[0].by_highway)["secondary"] > 0


def test_no_connection_far_from_the_network_or_between_unjoined_parts():
    router = Router(grid())
    far = route_gap(router, gap_between((0, 0), (5000, 5000)))
    assert far.no_connection and far.connectors == () and "500 m" in far.reason
    g = grid()  # an island: a street of its own, 400 m beyond the grid's corner
    for name, (x, y) in (("island-a", (1000, 1400)), ("island-b", (1200, 1400))):
        g.add_node(name, x=ll(x, y)[0], y=ll(x, y)[1])
    g.add_edge("island-a", "island-b", length=200.0, highway="residential")
    g.add_edge("island-b", "island-a", length=200.0, highway="residential")
    cut = route_gap(Router(g), gap_between((0, 0), (1000, 1400)))
    assert cut.no_connection and "does not join" in cut.reason and "separate parts" in cut.reason
    assert not Router(g).joined(ll(0, 0), ll(1000, 1400)) and Router(g).joined(ll(0, 0), ll(1000, 1000))


def test_no_connection_within_the_bound_says_so():
    """Two ends 100 m apart joined only by a 4.1 km way round (beyond 4× the gap + 1 km): one part of the
    network, and the reason names the bound, not separate parts."""
    g = nx.MultiDiGraph()
    corners = [(0, 0), (0, 2000), (100, 2000), (100, 0)]
    for x, y in corners:
        g.add_node((x, y), x=ll(x, y)[0], y=ll(x, y)[1])
    for a, b in itertools.pairwise(corners):
        length = distance_m(ll(*a), ll(*b))
        g.add_edge(a, b, length=length, cost=length, highway="track")
        g.add_edge(b, a, length=length, cost=length, highway="track")
    router = Router(g)
    res = route_gap(router, gap_between((0, 0), (100, 0)))
    assert res.no_connection and "within 4× the gap" in res.reason and router.joined(ll(0, 0), ll(100, 0))
    wide = route_gap(router, gap_between((0, 0), (100, 0)), ConnectorConfig(max_detour=50.0))
    assert not wide.no_connection and abs(wide.connectors[0].network_m - 4100.0) <= 20.0


def test_single_ended_gaps_are_not_routed():
    g = grid()
    ds = dataset([seg("a", [(0, 0), (400, 0)])])
    gaps = find_gaps(ds)
    assert gaps and all(x.b is None for x in gaps)
    assert route_gaps(gaps, g) == {}


def test_sample_like_tour_break_gets_a_connector():
    ds = dataset([seg("a", [(0, 0), (500, 0)]), seg("b", [(1000, 10), (1000, 1000)])], [tour("t", "a", "b")])
    gaps = find_gaps(ds)
    res = route_gaps(gaps, grid())
    brk = next(g for g in gaps if g.detail == "tour")
    assert not res[brk.id].no_connection
    assert res[brk.id].connectors[0].network_m == pytest.approx(500.0, abs=15)


@pytest.mark.realdata
def test_routing_on_a_real_osm_extract(realdata):
    import osmnx

    path = realdata / "osmnx" / "tests" / "input_data" / "planet_10.068,48.135_10.071,48.137.osm"
    g = osmnx.truncate.largest_component(osmnx.graph_from_xml(path, simplify=True, retain_all=True), strongly=True)
    for _, _, data in g.edges(data=True):
        data["cost"] = data["length"]
    nodes = sorted(g.nodes)
    xs = {n: (g.nodes[n]["x"], g.nodes[n]["y"]) for n in nodes}
    a, b = xs[nodes[0]], xs[nodes[-1]]
    gap = Gap("lk-real", "link", "detour", GapEnd("segment:a:end", "A", a), GapEnd("segment:b:end", "B", b),
              distance_m(a, b), (a, b))
    res = route_gap(Router(g), gap, ConnectorConfig(snap_max_m=50))
    assert not res.no_connection
    best = res.connectors[0]
    assert best.network_m >= best.straight_m * 0.99
    assert abs(sum(v for _, v in best.by_highway) - 1.0) < 0.01
    assert best.network_m == pytest.approx(
        nx.shortest_path_length(g, nodes[0], nodes[-1], weight="length"), rel=0.01)


@pytest.mark.realdata
def test_connectors_on_the_liechtenstein_network_from_radweg_network(realdata, tmp_path):
    network = pytest.importorskip("radweg.osm.network")
    pbf = realdata / "pyosmium" / "docs" / "data" / "liechtenstein.osm.pbf"
    g = network.import_network(tmp_path, pbf).graph
    router = Router(g)
    # Vaduz (Städtle) to Schaan (centre): about 3.5 km apart
    a, b = (9.5209, 47.1395), (9.5095, 47.1650)
    gap = Gap("lk-li", "link", "detour", GapEnd("segment:a:end", "Vaduz", a), GapEnd("segment:b:start", "Schaan", b),
              distance_m(a, b), (a, b))
    res = route_gap(router, gap)
    assert not res.no_connection and len(res.connectors) >= 2
    for c in res.connectors:
        assert c.network_m >= c.straight_m * 0.95
        assert abs(sum(v for _, v in c.by_highway) - 1.0) < 0.01
        assert abs(sum(v for _, v in c.by_surface) - 1.0) < 0.01
        # the drawn line follows the streets: its length matches the summed edge lengths
        from radweg.geometry import line_length_m

        assert line_length_m(c.coords) == pytest.approx(c.network_m, rel=0.02)
    assert res.connectors[0].cost <= min(c.cost for c in res.connectors[1:])


def test_a_gap_joined_only_by_a_long_detour_gets_no_connector():
    """Two ends 100 m apart whose only link is a 5.7 km loop: beyond 4× + 1 km, so no connector, and the
    reason says so; a wider bound finds the loop."""
    g, pts = hairpin(), HAIRPIN
    ea, eb = GapEnd("segment:a:end", "A", pts[1]), GapEnd("segment:b:start", "B", pts[2])
    gap = Gap("ct-loop", "continuity", "tour", ea, eb, distance_m(pts[1], pts[2]), (pts[1], pts[2]))
    res = route_gap(Router(g), gap)
    assert res.no_connection and "within 4× the gap + 1000 m" in res.reason
    wide = route_gap(Router(g), gap, ConnectorConfig(max_detour=80))
    assert wide.connectors and wide.connectors[0].network_m > 5_600
