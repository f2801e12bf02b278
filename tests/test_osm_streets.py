"""radweg.osm.streets (the network in arrays), its builder, its cache format, checked against other ways."""

from __future__ import annotations

import hashlib
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from radweg.errors import NetworkError
from radweg.osm import cache
from radweg.osm.filter import read_way_table, read_ways
from radweg.osm.graph import build_graph, build_streets, step_lengths, summary
from radweg.osm.network import import_network, load_network
from radweg.osm.streets import components, from_networkx, parallel_keys

SMALL = Path(__file__).parent / "data" / "hettstedt_small.osm"


def test_arrays_and_networkx_are_the_same_graph() -> None:
    S = build_streets(read_ways(SMALL))
    G = S.to_networkx()
    assert (S.number_of_nodes(), S.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    for j in range(S.number_of_edges()):
        u, v, k = S.label(int(S.u[j])), S.label(int(S.v[j])), int(S.key[j])
        d = G[u][v][k]
        assert d["coords"] == tuple(S.line(j)) and d["length"] == S.length[j] and d["osmid"] == S.way[j]
        assert d["coords"][0] == (G.nodes[u]["x"], G.nodes[u]["y"])
    back = from_networkx(G)
    assert list(back.to_networkx().edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    assert (back.twins() >= 0).sum() == (S.twins() >= 0).sum() > 0  # two-way streets share their line
    # both readers (node by node and the bulk one) give the same table
    a, b = read_way_table(SMALL), build_streets(read_ways(SMALL))
    assert list(build_streets(a).to_networkx().edges(data=True)) == list(b.to_networkx().edges(data=True))


def test_parallel_keys_count_like_networkx() -> None:
    rng = np.random.default_rng(3)
    u, v = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    G = nx.MultiDiGraph()
    expected = [G.add_edge(int(a), int(b)) for a, b in zip(u, v, strict=True)]
    assert parallel_keys(u, v).tolist() == expected


def test_components_match_networkx() -> None:
    rng = np.random.default_rng(4)
    for n, m in ((1, 0), (50, 30), (400, 380), (1000, 2000)):
        u, v = rng.integers(0, n, m), rng.integers(0, n, m)
        labels = components(n, u, v)
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
        assert {frozenset(c) for c in nx.connected_components(G)} == \
            {frozenset(np.flatnonzero(labels == lab).tolist()) for lab in np.unique(labels)}


def test_step_lengths_agree_with_pyproj() -> None:
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(-180, 180, 2000), rng.uniform(-89, 89, 2000)
    for d in (0.0, 0.3, 25.0, 2_000.0, 90_000.0, 3_000_000.0):
        lon2, lat2, _ = geod.fwd(lon, lat, rng.uniform(0, 360, 2000), np.full(2000, d))
        pts_lon = np.column_stack([lon, lon2]).ravel()
        pts_lat = np.column_stack([lat, lat2]).ravel()
        ours = step_lengths(pts_lon, pts_lat)[::2]
        assert np.abs(ours - d).max() < 1e-4, d
    # nearly antipodal points: the iteration does not settle, pyproj answers
    assert step_lengths(np.array([0.0, 179.7]), np.array([0.0, 0.4]))[0] == pytest.approx(
        geod.inv(0.0, 0.0, 179.7, 0.4)[2], abs=1e-3)


def test_summary_against_networkx() -> None:
    G = build_graph(read_ways(SMALL))
    info = summary(build_streets(read_ways(SMALL)))
    unique = {(d["osmid"], frozenset(d["coords"])): d["length"]
              for u, v, d in G.edges(data=True)}
    assert info["length_km"] == round(sum(unique.values()) / 1000, 2)
    assert info["components"] == nx.number_weakly_connected_components(G)
    assert info["nodes"] == len(G) and info["edges"] == G.number_of_edges()
    assert sum(info["km_by_highway"].values()) == pytest.approx(info["length_km"], abs=0.05)


def test_cache_round_trip_is_exact_and_byte_identical(tmp_path: Path) -> None:
    S = import_network(tmp_path, SMALL).graph
    L = load_network(tmp_path)
    for name in ("node_id", "x", "y", "u", "v", "key", "way", "length", "cost", "coords", "tag"):
        assert np.array_equal(getattr(S, name), getattr(L, name)), name
    assert L.tag_table == S.tag_table and L.graph == S.graph
    first = (tmp_path / "output/cache/networks/hettstedt-small/graph.npz").read_bytes()
    import_network(tmp_path, SMALL, force=True)
    assert (tmp_path / "output/cache/networks/hettstedt-small/graph.npz").read_bytes() == first


def test_a_bad_index_in_a_re_signed_cache_is_refused(tmp_path: Path) -> None:
    import json

    import_network(tmp_path, SMALL, name="n")
    folder = tmp_path / "output/cache/networks/n"
    good = cache.decode((folder / "graph.npz").read_bytes())
    good.line_end = good.line_end + 10_000
    payload = cache.encode(good)
    (folder / "graph.npz").write_bytes(payload)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["graph_sha256"] = hashlib.sha256(payload).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(NetworkError, match="'line_end' points outside the graph"):
        load_network(tmp_path, "n")


@pytest.mark.realdata
def test_liechtenstein_arrays_match_an_osmnx_graph(realdata: Path, tmp_path: Path) -> None:
    """osmnx builds its graph from the same filtered ways (as XML): same junction nodes and the same
    total length (osmnx simplifies the same way; it ignores oneway:bicycle, so edge counts differ)."""
    import osmnx as ox

    from radweg.osm.filter import write_osm_xml

    src = realdata / "pyosmium/docs/data/liechtenstein.osm.pbf"
    S = import_network(tmp_path, src).graph
    xml = tmp_path / "f.osm"
    write_osm_xml(list(read_ways(src)), xml)
    theirs = ox.graph_from_xml(xml, simplify=True, retain_all=True, bidirectional=True)
    total = sum(d["length"] for *_, d in ox.convert.to_undirected(theirs).edges(data=True))
    assert summary(S)["length_km"] == pytest.approx(total / 1000, rel=0.002)
    # osmnx also drops the node where one way ends and the next begins; every node it keeps is one of ours
    assert set(theirs.nodes) <= set(S.node_id.tolist())


def test_the_bulk_reader_and_the_node_by_node_reader_agree_on_odd_ways(tmp_path: Path) -> None:
    """A way cut at the extract border, a one-node way, a way cut down to one node, a way visiting a node
    twice, a tag the rule reads but the graph does not keep: both readers keep and count the same."""
    from radweg.osm.filter import FilterStats, WayTable

    osm = tmp_path / "odd.osm"
    osm.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="51.0" lon="11.0" version="1"/>
  <node id="2" lat="51.001" lon="11.0" version="1"/>
  <node id="3" lat="51.002" lon="11.0" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="99"/><nd ref="3"/><tag k="highway" v="residential"/></way>
  <way id="11" version="1"><nd ref="1"/><tag k="highway" v="residential"/></way>
  <way id="12" version="1"><nd ref="2"/><nd ref="98"/><tag k="highway" v="track"/></way>
  <way id="13" version="1"><nd ref="2"/><nd ref="3"/><nd ref="2"/><tag k="highway" v="path"/>
    <tag k="area" v="no"/></way>
  <way id="14" version="1"><nd ref="1"/><nd ref="3"/><tag k="highway" v="service"/><tag k="vehicle" v="no"/></way>
</osm>
""", encoding="utf-8")
    a, b = FilterStats(), FilterStats()
    old = WayTable.from_ways(read_ways(osm, stats=a))
    new = read_way_table(osm, stats=b)
    assert a == b and (a.highway_ways, a.kept_ways, a.incomplete_ways) == (5, 2, 2)
    assert new.ids.tolist() == old.ids.tolist() == [10, 13] and new.tags == old.tags
    assert new.refs.tolist() == old.refs.tolist() and np.array_equal(new.coords, old.coords)
    assert np.array_equal(new.ptr, old.ptr)
    G = build_streets(new)
    assert sorted(G.node_id.tolist()) == [1, 2, 3]  # 2 is used twice by way 13, and is shared with way 10


def test_concat_ranges_against_a_loop() -> None:
    from radweg.osm.streets import concat_ranges

    rng = np.random.default_rng(5)
    for size in (0, 1, 7, 300):
        s = rng.integers(0, 1000, size)
        e = s + rng.integers(-1, 20, size)  # -1: an empty range
        expected = [i for a, b in zip(s.tolist(), e.tolist(), strict=True) for i in range(a, b + 1)]
        assert concat_ranges(s, e).tolist() == expected
        assert concat_ranges(s.tolist(), e.tolist()).tolist() == expected
