"""Route relations (radweg.osm.relations) and POIs from OSM (radweg.osm.features)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from radweg.errors import DataError
from radweg.model import Poi
from radweg.osm.features import name_similarity, plan, poi_type, read_candidates
from radweg.osm.relations import Member, RouteRelation, assemble, continuity, read_relations, to_feature

SMALL = Path(__file__).parent / "data" / "hettstedt_small.osm"


def test_read_relations_filters() -> None:
    rels = read_relations(SMALL, route="bicycle")
    assert [r.id for r in rels] == [3001, 3002]
    assert [r.id for r in read_relations(SMALL, route="bicycle", network="lcn")] == [3002]
    assert [r.id for r in read_relations(SMALL, route="hiking")] == [3003]
    with pytest.raises(DataError, match="no relation 42 in this file"):
        read_relations(SMALL, relation_ids=[42])


def test_assembly_respects_order_and_roles() -> None:
    rel = read_relations(SMALL, relation_ids=[3001])[0]
    lines = assemble(rel)
    main, back = lines
    # track 2004 first (1001 -> 1011), then the cycleway east, service 2006 reversed (1015 -> 1005),
    # then Südstraße (forward, 1005 -> 1033)
    assert main[0] == (11.5, 51.62) and main[2] == (11.5, 51.624)
    assert main.index((11.52, 51.624)) < main.index((11.52, 51.62)) < main.index((11.5197, 51.6175))
    assert main[-1] == (11.52, 51.615)
    # Nordstraße (forward, 1033 -> 1005) is the other direction of the split section: its own line
    assert back == [(11.52, 51.615), (11.5203, 51.6175), (11.52, 51.62)]
    cont = continuity(rel)
    assert cont.pieces == 1 and cont.gaps == [] and cont.ok


def test_backward_role_reverses() -> None:
    rel = RouteRelation(1, {"type": "route"}, [
        Member(10, "", (1, 2), ((0.0, 0.0), (0.001, 0.0))),
        Member(11, "backward", (3, 2), ((0.002, 0.0), (0.001, 0.0))),
    ])
    assert assemble(rel) == [[(0.0, 0.0), (0.001, 0.0), (0.002, 0.0)]]


def test_continuity_with_gap_and_missing_members() -> None:
    rel = read_relations(SMALL, relation_ids=[3002])[0]
    cont = continuity(rel)
    assert cont.pieces == 2 and cont.missing_members == 1 and cont.way_members == 4
    gap = cont.gaps[0]
    assert gap.from_coord == (11.52, 51.62) and gap.to_coord == (11.53, 51.628)
    expected = math.hypot(0.01 * 111_320 * math.cos(math.radians(51.624)), 0.008 * 111_250)
    assert gap.distance_m == pytest.approx(expected, abs=10)
    assert cont.summary() == "2 pieces; gaps 1.1 km; 1 of 4 ways missing from the extract"
    feat, _ = to_feature(rel, "test", set())  # type: ignore[misc]
    assert feat["properties"]["osm_id"] == 3002 and feat["properties"]["network"] == "lcn"
    assert len(feat["geometry"]["coordinates"]) == 2


@pytest.mark.realdata
def test_bayreuth_relations(realdata: Path) -> None:
    rels = read_relations(realdata / "graphhopper/core/files/north-bayreuth.osm.gz", route="bicycle")
    assert len(rels) == 16
    byname = {r.tags.get("name"): r for r in rels}
    ring = byname["Radring Bayreuth"]
    cont = continuity(ring)
    assert cont.pieces >= 1 and cont.missing_members > 0  # cut at the extract's border
    assert all(g.distance_m > 0 for g in cont.gaps)
    assert sum(len(line) for line in assemble(ring)) > 10


@pytest.mark.parametrize("tags,kind", [
    ({"man_made": "mineshaft"}, "schacht"),
    ({"historic": "mine_adit"}, "stollen"),
    ({"man_made": "spoil_heap"}, "halde"),
    ({"historic": "memorial"}, "denkmal"),
    ({"tourism": "museum"}, "museum"),
    ({"railway": "halt"}, "bahnhof"),
    ({"amenity": "drinking_water"}, "trinkwasser"),
    ({"amenity": "bicycle_repair_station"}, "radservice"),
    ({"amenity": "bench"}, None),
])
def test_poi_type(tags: dict[str, str], kind: str | None) -> None:
    assert poi_type(tags) == kind


def test_read_candidates_nodes_and_area_centroids() -> None:
    cands = {c.osm: c for c in read_candidates(SMALL)}
    assert "node/1099" not in cands  # a bench
    museum = cands["way/2018"]
    assert museum.type == "museum" and museum.coords == pytest.approx((11.51275, 51.62585), abs=1e-5)
    assert cands["node/1093"].label == "Bahnhof Hettstedt"
    assert cands["node/1094"].label == "Trinkwasser"
    assert {c.osm for c in read_candidates(SMALL, types=["halde"])} == {"way/2019"}


def test_name_similarity() -> None:
    assert name_similarity("Halde Eduardschacht", "Halde Eduardschacht") == 1.0
    assert name_similarity("Mansfeld-Museum Hettstedt", "Mansfeld-Museum im Humboldt-Schloss Hettstedt") == 1.0
    assert name_similarity("Eduardschacht II", "Halde Eduardschacht") < 0.85
    assert name_similarity("Bergmannsdenkmal", "Pension Glück auf") < 0.5


def test_plan_add_merge_skip() -> None:
    existing = [Poi("museum-x", "Mansfeld-Museum im Humboldt-Schloss Hettstedt", "museum", (11.51275, 51.62582)),
                Poi("halde-e", "Halde Eduardschacht", "halde", (11.52229, 51.62286), extra={"osm": "way/2019"})]
    actions = {a.candidate.osm: a for a in plan(existing, read_candidates(SMALL), source="OSM")}
    assert actions["way/2018"].action == "merge" and actions["way/2018"].match == "museum-x"
    assert actions["way/2018"].poi.website == "https://www.mansfeld-museum.example.org"
    assert actions["way/2018"].poi.name == existing[0].name  # never overwritten
    assert actions["way/2019"].action == "skip"
    assert actions["node/1091"].action == "add"  # a different shaft 250 m from the heap
    assert actions["node/1100"].poi.id == "schacht-node-1100"
    again = plan([a.poi for a in actions.values()], read_candidates(SMALL), source="OSM")
    assert {a.action for a in again} == {"skip"}


@pytest.mark.realdata
def test_liechtenstein_pois(realdata: Path) -> None:
    cands = read_candidates(realdata / "pyosmium/docs/data/liechtenstein.osm.pbf")
    kinds = {c.type for c in cands}
    assert {"museum", "aussicht", "unterkunft", "trinkwasser"} <= kinds
    assert all(9.4 < c.coords[0] < 9.7 and 47.0 < c.coords[1] < 47.3 for c in cands)
    actions = plan([], cands, source="OSM")
    assert len({a.poi.id for a in actions if a.action == "add"}) == sum(a.action == "add" for a in actions)


def test_roundabout_is_ridden_from_entry_to_exit() -> None:
    ring = ((10, 11, 12, 13, 10), ((0.0, 0.0), (1e-3, -1e-3), (2e-3, 0.0), (1e-3, 1e-3), (0.0, 0.0)))
    rel = RouteRelation(1, {"type": "route"}, [
        Member(1, "", (1, 10), ((-1e-3, 0.0), (0.0, 0.0))),
        Member(2, "", *ring),
        Member(3, "", (12, 2), ((2e-3, 0.0), (3e-3, 0.0))),
    ])
    assert assemble(rel) == [[(-1e-3, 0.0), (0.0, 0.0), (1e-3, -1e-3), (2e-3, 0.0), (3e-3, 0.0)]]


def test_unsorted_file_falls_back_to_way_centroids(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    start = text.index('  <way id="2018"')
    end = text.index("</way>", start) + len("</way>\n")
    block = text[start:end]
    unsorted = text[:start] + text[end:]
    unsorted = unsorted.replace('  <way id="2001"', block + '  <way id="2001"', 1)  # museum way first
    path = tmp_path / "unsorted.osm"
    path.write_text(unsorted, encoding="utf-8")
    from radweg.osm.features import _scan

    with pytest.raises(RuntimeError, match="out of order"):
        list(_scan(path, None, areas=True))
    cands = {c.osm: c for c in read_candidates(path)}
    assert cands["way/2018"].coords == pytest.approx((11.51275, 51.62585), abs=1e-5)
    assert {c.osm for c in read_candidates(SMALL)} == set(cands)


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["osmnx/tests/input_data/West-Oakland.osm.bz2",
                                  "graphhopper/core/files/berlin-siegessaeule.osm.gz",
                                  "graphhopper/core/files/bautzen.osm",
                                  "graphhopper/core/files/Laufamholzstrasse.osm.xml"])
def test_compressed_and_plain_extracts(realdata: Path, name: str) -> None:
    from radweg.osm.filter import read_ways

    ways = list(read_ways(realdata / name))
    assert len(ways) > 10 and all(len(w.coords) >= 2 for w in ways)


def test_clip() -> None:
    from radweg.osm.relations import clip

    assert clip([[(0.0, 0.0), (2.0, 0.0)]], (1.0, -1.0, 3.0, 1.0)) == [[(1.0, 0.0), (2.0, 0.0)]]
    assert clip([[(0.0, 0.0), (0.5, 0.0)]], (1.0, -1.0, 3.0, 1.0)) == []
    # a line leaving and re-entering the box gives two parts
    assert len(clip([[(0.0, 0.0), (2.0, 0.0), (2.0, 5.0), (0.0, 5.0), (0.0, 0.5)]], (-1.0, -1.0, 3.0, 1.0))) == 2
