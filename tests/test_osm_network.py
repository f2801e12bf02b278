"""The cycling network: filter, graph, cost, cache, loading (radweg.osm.*, radweg.osm.network)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from radweg.errors import DataError, NetworkError
from radweg.osm import cache
from radweg.osm.cost import edge_cost, factors, parse_maxspeed
from radweg.osm.filter import FilterStats, cycle_usable, read_ways, write_osm_xml
from radweg.osm.graph import build_graph, oneway
from radweg.osm.network import (
    bbox_area,
    default_name,
    import_network,
    load,
    load_graph_file,
    load_network,
    network_name,
    polygon_area,
)

DATA = Path(__file__).parent / "data"
SMALL = DATA / "hettstedt_small.osm"


def test_fixture_is_valid_osm_xml(realdata: Path) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(realdata / "osmnx/tests/input_data/osm_schema.xsd")))
    assert schema.validate(etree.parse(str(SMALL))), schema.error_log


@pytest.mark.parametrize("tags,ok", [
    ({"highway": "cycleway"}, True),
    ({"highway": "motorway"}, False),
    ({"highway": "trunk"}, False),
    ({"highway": "trunk", "bicycle": "yes"}, True),
    ({"highway": "footway"}, False),
    ({"highway": "footway", "bicycle": "designated"}, True),
    ({"highway": "residential", "bicycle": "no"}, False),
    ({"highway": "service", "access": "private"}, False),
    ({"highway": "track", "access": "agricultural", "bicycle": "yes"}, True),
    ({"highway": "pedestrian", "area": "yes"}, False),
    ({"building": "yes"}, False),
    ({"highway": "steps"}, False),
])
def test_cycle_usable(tags: dict[str, str], ok: bool) -> None:
    assert cycle_usable(tags) is ok


def test_read_ways_keeps_only_cycle_usable_ways() -> None:
    stats = FilterStats()
    ways = {w.id: w for w in read_ways(SMALL, stats=stats)}
    assert set(ways) == {2001, 2002, 2003, 2004, 2005, 2006, 2008, 2009, 2012, 2013, 2017, 2020, 2021, 2022}
    assert stats.highway_ways == 19 and stats.kept_ways == 14
    assert ways[2003].tags == {"highway": "cycleway", "name": "Wipperradweg", "surface": "asphalt", "segregated": "no"}
    assert ways[2001].coords[0] == (11.5, 51.62)


def test_read_ways_area_filters() -> None:
    from shapely.geometry import box

    east = {w.id for w in read_ways(SMALL, area=(11.525, 51.6, 11.54, 51.63))}
    assert east == {2017}
    assert {w.id for w in read_ways(SMALL, area=box(11.525, 51.6, 11.54, 51.63))} == east


def test_read_ways_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "broken.osm"
    bad.write_text('<osm version="0.6"><node id="1" lat="51" lon="11"><tag k="a"', encoding="utf-8")
    with pytest.raises(DataError, match="broken.osm: cannot read as OpenStreetMap data"):
        list(read_ways(bad))
    with pytest.raises(DataError, match="no such file"):
        list(read_ways(tmp_path / "missing.osm.pbf"))


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.osm"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE osm [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
                    '<osm version="0.6"><node id="1" lat="51" lon="11"><tag k="name" v="&b;"/></node></osm>',
                    encoding="utf-8")
    with pytest.raises(DataError, match="bomb.osm"):
        list(read_ways(bomb))


def test_parse_maxspeed() -> None:
    assert [parse_maxspeed(v) for v in ("50", "30 mph", "DE:urban", "DE:zone30", "walk", "signals", None, "70;50")] \
        == [50, 48, 50, 30, 7, None, None, 70]


def test_cost_factors() -> None:
    assert factors({"highway": "cycleway", "surface": "asphalt"}) == (1.0, 1.0, 1.0, 1.0)
    road, speed, surface, _ = factors({"highway": "primary", "surface": "asphalt"}, 70)
    assert (road, speed, surface) == (2.5, 1.15, 1.0)
    road, speed, _, _ = factors({"highway": "primary", "cycleway:right": "track"}, 70)
    assert road == pytest.approx(1.6) and speed == 1.0
    assert factors({"highway": "track", "tracktype": "grade3"})[2] == 1.4
    assert edge_cost(100.0, {"highway": "track", "surface": "gravel"}) == pytest.approx(100 * 1.2 * 1.4)
    for tags in ({"highway": h} for h in ("cycleway", "residential", "primary", "path", "unknown_value")):
        assert edge_cost(10.0, tags) >= 10.0


def test_oneway() -> None:
    assert oneway({"oneway": "yes"}) == 1
    assert oneway({"oneway": "yes", "oneway:bicycle": "no"}) == 0
    assert oneway({"oneway": "-1"}) == -1
    assert oneway({"junction": "roundabout"}) == 1
    assert oneway({"oneway": "yes", "cycleway": "opposite_lane"}) == 0


def test_build_graph_structure() -> None:
    G = build_graph(read_ways(SMALL))
    assert G.graph["crs"] == "epsg:4326"
    # junction and end nodes only; shape nodes (e.g. 1021, 1012) are inside edges
    assert 1021 not in G and 1012 not in G and {1001, 1003, 1005, 1013} <= set(G)
    assert G.nodes[1001] == {"x": 11.5, "y": 51.62}
    # two-way street: both directions; one-way street: only along the way
    assert G.has_edge(1001, 1002) and G.has_edge(1002, 1001)
    assert G.has_edge(1004, 1045) and not G.has_edge(1045, 1004)
    # oneway=yes with oneway:bicycle=no: both directions for cyclists
    assert G.has_edge(1002, 1044) and G.has_edge(1044, 1002)
    d = G[1001][1002][0]
    assert d["highway"] == "residential" and d["name"] == "Hauptstraße" and d["maxspeed"] == 50
    assert d["surface"] == "asphalt" and d["osmid"] == 2001 and d["coords"] == ((11.5, 51.62), (11.505, 51.62))
    assert d["length"] == pytest.approx(5.0e-3 * 111_320 * 0.6209, rel=0.01)
    assert len(G[1011][1013][0]["coords"]) == 3  # 1012 shapes the cycleway edge
    assert d["cost"] == pytest.approx(d["length"] * 1.1, rel=1e-6)
    assert G[1003][1004][0]["maxspeed"] == 30
    for _, _, e in G.edges(data=True):
        assert e["cost"] >= e["length"] > 0
        assert all(k in e for k in ("highway", "surface", "maxspeed", "name", "tracktype", "cycleway", "lit"))


def test_same_graph_as_osmnx_on_filtered_xml(tmp_path: Path) -> None:
    """Total length of the ways agrees with osmnx's graph_from_xml of the same filtered XML.

    (Directed edge counts differ on purpose: osmnx ignores oneway:bicycle=no.)"""
    import osmnx as ox

    ways = list(read_ways(SMALL))
    xml = tmp_path / "filtered.osm"
    write_osm_xml(ways, xml)
    ours = build_graph(ways)
    theirs = ox.graph_from_xml(xml, simplify=True, retain_all=True, bidirectional=False)
    unique = {(d["osmid"], min(u, v), max(u, v)): d["length"] for u, v, d in ours.edges(data=True)}
    theirs_total = sum(d["length"] for *_, d in ox.convert.to_undirected(theirs).edges(data=True))
    assert sum(unique.values()) == pytest.approx(theirs_total, rel=0.005)


def test_import_cache_and_load(tmp_path: Path) -> None:
    res = import_network(tmp_path, SMALL)
    assert res.name == "hettstedt-small" and not res.from_cache
    assert (tmp_path / "output/cache/networks/hettstedt-small/graph.npz").is_file()
    again = import_network(tmp_path, SMALL)
    assert again.from_cache and again.graph.number_of_edges() == res.graph.number_of_edges()
    G = load_network(tmp_path).to_networkx()
    built = build_graph(read_ways(SMALL), name="hettstedt-small", source=SMALL.name)
    assert list(G.edges(keys=True, data=True)) == list(built.edges(keys=True, data=True))
    assert list(G.nodes(data=True)) == list(built.nodes(data=True)) and G.graph == built.graph
    # a different area is a different cache key: built again
    assert not import_network(tmp_path, SMALL, area=(11.49, 51.61, 11.53, 51.63), area_key="bbox:x").from_cache


def test_load_network_errors(tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="no street network cached"):
        load_network(tmp_path)
    import_network(tmp_path, SMALL, name="a")
    import_network(tmp_path, SMALL, name="b")
    with pytest.raises(NetworkError, match="several networks are cached"):
        load_network(tmp_path)
    assert load_network(tmp_path, "b").number_of_nodes() > 0
    (tmp_path / "radweg.json").write_text('{"network": "a"}', encoding="utf-8")
    assert default_name(tmp_path) == "a"


def test_cache_refuses_pickles(tmp_path: Path) -> None:
    """A planted file is refused: first because its hash does not match, then (re-signed) because numpy
    is not allowed to unpickle anything: the object inside never runs."""
    import hashlib
    import io
    import json

    import numpy as np

    import_network(tmp_path, SMALL, name="n")
    folder = tmp_path / "output/cache/networks/n"

    class Evil:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (print, ("pwned",))

    buf = io.BytesIO()
    np.savez(buf, node_id=np.array([Evil()], dtype=object), meta_json=np.frombuffer(b"{}", dtype=np.uint8))
    payload = buf.getvalue()
    (folder / "graph.npz").write_bytes(payload)
    with pytest.raises(NetworkError, match="does not match its manifest"):
        load_network(tmp_path, "n")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["graph_sha256"] = hashlib.sha256(payload).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(NetworkError, match="not a radweg network cache.*allow_pickle"):
        load_network(tmp_path, "n")
    (folder / "graph.pickle").write_bytes(pickle.dumps(Evil()))  # an old cache file is never read
    with pytest.raises(NetworkError, match="not a radweg network cache"):
        load_network(tmp_path, "n")


def test_network_name_and_folder_are_safe(tmp_path: Path) -> None:
    assert network_name(Path("liechtenstein.osm.pbf")) == "liechtenstein"
    assert network_name(Path("x/Berlin-Siegessäule.osm.gz")) == "berlin-siegessaeule"
    assert cache.folder(tmp_path, "../../etc") == tmp_path / "output/cache/networks/etc"


@pytest.mark.realdata
def test_liechtenstein_network(realdata: Path, tmp_path: Path) -> None:
    """The array graph against one built another way: pyosmium read node by node, junctions counted in a
    Counter, way lengths by pyproj's geodesic. Same ways, same graph nodes, same length per way."""
    from collections import Counter

    import numpy as np
    import osmium
    from pyproj import Geod

    src = realdata / "pyosmium/docs/data/liechtenstein.osm.pbf"
    res = import_network(tmp_path, src)
    S = res.graph
    assert res.manifest["highway_ways_read"] == 7506
    assert 6000 < res.manifest["ways_kept"] < 7506
    ways: dict[int, list[tuple[int, float, float]]] = {}
    fp = osmium.FileProcessor(str(src), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for way in fp.with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)):
        tags = {t.k: t.v for t in way.tags}
        if "highway" in tags and cycle_usable(tags):
            pts = [(n.ref, n.lon, n.lat) for n in way.nodes if n.location.valid()]
            if len(pts) >= 2:
                ways[way.id] = pts
    assert set(S.way.tolist()) == set(ways) and res.manifest["ways_kept"] == len(ways)
    uses: Counter[int] = Counter()
    for pts in ways.values():
        uses.update(r for r, _, _ in pts)
        uses.update((pts[0][0], pts[-1][0]))
    junctions = {r for pts in ways.values() for i, (r, _, _) in enumerate(pts)
                 if uses[r] >= 2 or i in (0, len(pts) - 1)}
    assert set(S.node_id.tolist()) == junctions
    geod = Geod(ellps="WGS84")
    lo, hi = np.minimum(S.line_start, S.line_end), np.maximum(S.line_start, S.line_end)
    ours: dict[int, float] = {}
    for key in {(int(w), int(a), int(b)): j for j, (w, a, b) in enumerate(zip(S.way, lo, hi, strict=True))}.items():
        ours[key[0][0]] = ours.get(key[0][0], 0.0) + float(S.length[key[1]])
    for wid, pts in ways.items():
        expected = geod.line_length([p[1] for p in pts], [p[2] for p in pts])
        assert ours[wid] == pytest.approx(expected, abs=0.002 * len(pts), rel=1e-7), wid
    rows = [S.tag_table[t] for t in S.tag.tolist()]
    assert all(d["highway"] not in ("motorway", "footway") or d.get("bicycle") in ("yes", "designated", "permissive")
               or d["highway"] == "footway" and d.get("bicycle") == "official" for d in rows)
    again = import_network(tmp_path, src)
    assert again.from_cache and again.seconds < res.seconds


def test_load_reads_graphml_files_and_cached_names(tmp_path: Path) -> None:
    import osmnx

    G = build_graph(read_ways(SMALL), name="small")
    import_network(tmp_path, SMALL, name="small")
    assert load("small", tmp_path).number_of_edges() == G.number_of_edges()
    assert load(None, tmp_path).number_of_edges() == G.number_of_edges()
    plain = build_graph(read_ways(SMALL))
    for _, _, d in plain.edges(data=True):
        del d["coords"]  # GraphML keeps plain values only
    osmnx.save_graphml(plain, tmp_path / "small.graphml")
    assert load(tmp_path / "small.graphml", tmp_path).number_of_edges() == G.number_of_edges()
    assert load_graph_file(tmp_path / "small.graphml").number_of_nodes() == G.number_of_nodes()


def test_load_graph_file_refuses_entities_and_broken_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>', encoding="utf-8")
    with pytest.raises(NetworkError, match="not a safe, well-formed GraphML file"):
        load_graph_file(bad)
    with pytest.raises(NetworkError, match="cannot read the street network"):
        load_graph_file(tmp_path / "missing.graphml")


def test_polygon_and_bbox_areas(tmp_path: Path) -> None:
    import json

    square = {"type": "Polygon", "coordinates": [[[11.5, 51.6], [11.52, 51.6], [11.52, 51.62], [11.5, 51.6]]]}
    path = tmp_path / "area.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": square}]}), encoding="utf-8")
    area, key = polygon_area(path)
    assert area.geom_type == "Polygon" and key == "polygon:" + cache.file_sha256(path)
    path.write_text(json.dumps({"type": "Point", "coordinates": [11.5, 51.6]}), encoding="utf-8")
    with pytest.raises(DataError, match="Point is not a Polygon"):
        polygon_area(path)
    assert bbox_area((11.0, 51.0, 12.0, 52.0))[1] == "bbox:11.000000,51.000000,12.000000,52.000000"
