"""The safe reader for editor (JOSM) files, and every OSM reader of radweg using it for negative ids."""

from __future__ import annotations

import bz2
import gzip
import shutil
from pathlib import Path

import pytest

from radweg.errors import DataError
from radweg.osm import josm

DATA = Path(__file__).parent / "data" / "relations"
JOSM = DATA / "josm.osm"


def test_needs_reader_only_for_xml_with_negative_ids(tmp_path: Path) -> None:
    assert josm.needs_reader(JOSM)
    assert not josm.needs_reader(DATA / "simple.osm")
    gz = tmp_path / "josm.osm.gz"
    gz.write_bytes(gzip.compress(JOSM.read_bytes()))
    assert josm.needs_reader(gz)
    assert not josm.needs_reader(tmp_path / "missing.osm")


def test_reads_negative_ids_and_leaves_out_deleted_objects() -> None:
    data = josm.read(JOSM)
    assert sorted(data.nodes) == [-6, -5, -4, -3, -2, -1]
    assert -15 not in data.ways  # action='delete'
    assert data.ways[-12].refs == (-2, -3, -5) and data.ways[-12].tags["oneway"] == "yes"
    assert [m.ref for m in data.relations[-1].members] == [-11, -12, -13, -14]
    assert data.nodes[-3].lon == pytest.approx(11.3075) and data.nodes[-3].lat == pytest.approx(51.501)


@pytest.mark.parametrize("suffix", [".osm", ".osm.gz", ".osm.bz2"])
def test_same_objects_as_pyosmium_on_an_ordinary_file(tmp_path: Path, suffix: str) -> None:
    import osmium

    src = DATA / "roundabout.osm"
    path = tmp_path / ("f" + suffix)
    raw = src.read_bytes()
    path.write_bytes(gzip.compress(raw) if suffix.endswith("gz") else bz2.compress(raw) if suffix.endswith("bz2")
                     else raw)
    ours = josm.read(path)
    nodes, ways, rels = {}, {}, {}
    for obj in osmium.FileProcessor(str(src)):
        if isinstance(obj, osmium.osm.Node):
            nodes[obj.id] = (round(obj.location.lon, 7), round(obj.location.lat, 7), dict(obj.tags))
        elif isinstance(obj, osmium.osm.Way):
            ways[obj.id] = ([n.ref for n in obj.nodes], dict(obj.tags))
        elif isinstance(obj, osmium.osm.Relation):
            rels[obj.id] = ([(m.type, m.ref, m.role) for m in obj.members], dict(obj.tags))
    assert {k: (round(n.lon, 7), round(n.lat, 7), n.tags) for k, n in ours.nodes.items()} == nodes
    assert {k: (list(w.refs), w.tags) for k, w in ours.ways.items()} == ways
    assert {k: ([(m.type[0], m.ref, m.role) for m in r.members], r.tags) for k, r in ours.relations.items()} == rels


def test_pyosmium_alone_cannot_locate_negative_ids() -> None:
    """Why this module exists: pyosmium's location index gives no positions for negative node ids."""
    import osmium

    for way in osmium.FileProcessor(str(JOSM), osmium.osm.NODE | osmium.osm.WAY).with_locations():
        if isinstance(way, osmium.osm.Way):
            assert not any(n.location.valid() for n in way.nodes)


def test_doctype_and_entities_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.osm"
    bomb.write_text("<?xml version='1.0'?>\n<!DOCTYPE osm [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>\n"
                    "<osm version='0.6'><node id='-1' lat='1' lon='2'><tag k='name' v='&b;'/></node></osm>\n")
    with pytest.raises(DataError, match="DOCTYPE"):
        josm.read(bomb)


@pytest.mark.parametrize(("body", "message"), [
    ("<osm version='0.6'><node id='-1' lat='x' lon='2'/></osm>", "node -1 has lat='x', not a number"),
    ("<osm version='0.6'><way id='-1'><nd ref='y'/></way></osm>", "<nd> has ref='y', not an integer"),
    ("<osm version='0.6'><node id='-1' lat='1' lon='2'></osm>", "line 1: not well-formed XML"),
    ("<gpx version='1.1'/>", "root element is <gpx>, not <osm>"),
])
def test_bad_files_give_one_line_errors(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.osm"
    path.write_text(body)
    with pytest.raises(DataError) as err:
        josm.read(path)
    assert message in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_filter_relations_and_features_read_a_josm_file(tmp_path: Path) -> None:
    from radweg.osm.features import read_candidates
    from radweg.osm.filter import FilterStats, read_ways
    from radweg.osm.relations import continuity, read_relations

    stats = FilterStats()
    ways = list(read_ways(JOSM, stats=stats))
    assert [w.id for w in ways] == [-14, -13, -12, -11]
    assert stats.highway_ways == 4 and stats.kept_ways == 4
    rels = read_relations(JOSM, route="bicycle")
    assert [r.id for r in rels] == [-3, -2, -1]
    assert continuity(rels[2]).ok and not continuity(rels[0]).ok
    poi = tmp_path / "poi.osm"
    shutil.copy(JOSM, poi)
    text = poi.read_text().replace("<node id='-6' action='modify' lat='51.5000000' lon='11.3150000' />",
                                   "<node id='-6' lat='51.5' lon='11.315'><tag k='man_made' v='mineshaft'/>"
                                   "<tag k='name' v='Schacht Probe'/></node>")
    poi.write_text(text)
    (cand,) = read_candidates(poi)
    assert (cand.osm, cand.type, cand.name, cand.coords) == ("node/-6", "schacht", "Schacht Probe", (11.315, 51.5))
