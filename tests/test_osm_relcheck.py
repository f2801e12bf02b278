"""The direction-aware relation check: every rule on hand-made files, both directions; real relations."""

from __future__ import annotations

from pathlib import Path

import pytest

from radweg.osm.relations import read_relations
from radweg.osm.relcheck import RULES, RelationCheck, allowed_directions, check_file, verdict

DATA = Path(__file__).parent / "data" / "relations"
LI = "pyosmium/docs/data/liechtenstein.osm.pbf"


def result(name: str, rid: int) -> RelationCheck:
    (res,) = check_file(DATA / name, relation_ids=[rid])
    return res


def rules(res: RelationCheck) -> set[str]:
    return {p.rule for p in res.problems}


# file, relation, forward continuous, backward continuous, rules that must be found, rules that must not
CASES = [
    ("simple.osm", 100, True, True, set(), {"gap", "missing-role", "unordered-members"}),
    ("oneway-pair.osm", 200, True, True, set(), {"missing-role", "gap", "not-ridden"}),
    ("oneway-pair.osm", 201, False, False, {"missing-role", "not-ridden"}, set()),
    ("oneway-pair.osm", 202, True, False, {"gap"}, {"missing-role"}),
    ("oneway-single.osm", 300, True, False, {"missing-role", "gap"}, set()),
    ("oneway-single.osm", 301, True, False, {"gap"}, {"missing-role", "role-on-two-way"}),
    ("oneway-single.osm", 302, True, True, set(), {"missing-role", "gap"}),
    ("oneway-single.osm", 303, False, False, {"contradicting-members"}, set()),
    ("roundabout.osm", 400, True, True, set(), {"gap", "missing-role", "unordered-members"}),
    ("roundabout.osm", 401, False, False, {"unordered-members"}, {"missing-role"}),
    ("roundabout.osm", 402, True, False, {"gap"}, {"missing-role"}),
    ("roundabout.osm", 403, True, True, set(), {"gap", "missing-role", "extra-member"}),
    ("order-extra-gap.osm", 500, False, False, {"unordered-members"}, {"gap"}),
    ("order-extra-gap.osm", 501, True, True, {"extra-member"}, {"gap", "unordered-members"}),
    ("order-extra-gap.osm", 502, False, False, {"gap"}, {"unordered-members", "extra-member"}),
    ("order-extra-gap.osm", 503, True, False, {"role-on-two-way", "not-ridden"}, {"wrong-role"}),
    ("order-extra-gap.osm", 504, False, False, {"wrong-role"}, set()),
    ("lint.osm", 600, True, True, {"bicycle-forbidden", "steps", "proposed"}, {"missing-name"}),
    ("lint.osm", 601, True, True, {"missing-name", "missing-network", "missing-ref", "missing-cycle-network"},
     set()),
    ("lint.osm", 602, True, True, {"member-missing"}, set()),
    ("lint.osm", 603, True, True, {"contradicting-members"}, {"wrong-role"}),
    ("lint.osm", 604, True, True, {"partial-way"}, {"gap"}),
    ("lint.osm", 605, True, True, {"proposed", "subrelation"}, set()),
    ("josm.osm", -1, True, True, set(), {"missing-role", "gap"}),
    ("josm.osm", -2, False, False, {"missing-role"}, set()),
    ("josm.osm", -3, False, False, {"member-missing", "gap"}, set()),
]


@pytest.mark.parametrize(("name", "rid", "fwd", "bwd", "present", "absent"), CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_hand_made_verdicts(name: str, rid: int, fwd: bool, bwd: bool, present: set[str], absent: set[str]) -> None:
    res = result(name, rid)
    assert res.forward.continuous == fwd
    assert res.backward.continuous == bwd
    assert res.continuous == (fwd and bwd and res.complete)
    found = rules(res)
    assert present <= found, found
    assert not (absent & found), found


def test_every_rule_is_exercised_by_a_hand_made_file() -> None:
    found: set[str] = set()
    for path in sorted(DATA.glob("*.osm")):
        for res in check_file(path):
            found |= rules(res)
    # 'empty', 'unknown-role' and 'duplicate-member' come from small files made in the tests below
    assert set(RULES) - found <= {"empty", "unknown-role", "duplicate-member"}


def test_roles_and_oneway_give_the_allowed_directions() -> None:
    rels = {r.id: r for r in read_relations(DATA / "oneway-single.osm", route="bicycle")}
    way2, way5, way6 = rels[300].members[1], rels[302].members[1], rels[303].members[1]
    assert allowed_directions(way2) == (1,)  # oneway=yes, no role
    assert allowed_directions(way5) == (1, -1)  # oneway:bicycle=no
    assert allowed_directions(way6) == ()  # role forward on oneway=-1
    ring = {r.id: r for r in read_relations(DATA / "roundabout.osm")}[400].members[1]
    assert allowed_directions(ring) == (1,)  # junction=roundabout implies oneway


def test_split_section_rides_each_branch_in_its_direction() -> None:
    res = result("oneway-pair.osm", 200)
    assert res.forward.members == [1, 2, 4]
    assert res.backward.members == [4, 3, 1]
    assert res.forward.start == res.backward.end and res.forward.end == res.backward.start


def test_roundabout_is_ridden_in_its_direction_from_entry_to_exit() -> None:
    from radweg.geometry import line_length_m

    res = result("roundabout.osm", 400)
    rel = {r.id: r for r in read_relations(DATA / "roundabout.osm")}[400]
    a, ring, b = rel.members
    # forward: p -> s -> q (half the ring), backward: q -> n -> p (the other half); both exactly as drawn
    half_fwd = line_length_m(ring.coords[0:3])
    half_bwd = line_length_m(ring.coords[2:5])
    ends = line_length_m(a.coords) + line_length_m(b.coords)
    assert res.forward.length_m == pytest.approx(ends + half_fwd, abs=0.01)
    assert res.backward.length_m == pytest.approx(ends + half_bwd, abs=0.01)


def test_gap_distance_is_the_geodesic_distance_between_the_ends() -> None:
    from pyproj import Geod

    res = result("order-extra-gap.osm", 502)
    (brk,) = res.forward.breaks
    assert (brk.before, brk.after) == (3, 4)
    assert brk.from_coord is not None
    _, _, dist = Geod(ellps="WGS84").inv(brk.from_coord[0], brk.from_coord[1], brk.to_coord[0], brk.to_coord[1])
    assert brk.distance_m == pytest.approx(dist, abs=0.01)
    assert res.geometry.pieces == 2 and res.geometry.gaps[0].distance_m == pytest.approx(dist, abs=0.01)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.osm"
    path.write_text("<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6' generator='test'>\n"
                    "<node id='1' version='1' lat='51.5' lon='11.3'/><node id='2' version='1' lat='51.5' "
                    "lon='11.305'/><node id='3' version='1' lat='51.5' lon='11.31'/>\n"
                    "<way id='1' version='1'><nd ref='1'/><nd ref='2'/><tag k='highway' v='cycleway'/></way>\n"
                    "<way id='2' version='1'><nd ref='2'/><nd ref='3'/><tag k='highway' v='cycleway'/></way>\n"
                    + body + "\n</osm>\n", encoding="utf-8")
    return path


def test_empty_unknown_role_and_duplicate_member(tmp_path: Path) -> None:
    path = _write(tmp_path, "<relation id='7' version='1'><tag k='type' v='route'/><tag k='route' v='bicycle'/>"
                            "</relation><relation id='8' version='1'><member type='way' ref='1' role='main'/>"
                            "<member type='way' ref='2' role='platform'/><member type='way' ref='2' role=''/>"
                            "<tag k='type' v='route'/><tag k='route' v='bicycle'/></relation>")
    empty, other = check_file(path)
    assert "empty" in rules(empty) and not empty.continuous
    assert {"unknown-role", "duplicate-member"} <= rules(other)


def test_names_in_messages_are_made_printable(tmp_path: Path) -> None:
    path = _write(tmp_path, "<way id='3' version='1'><nd ref='1'/><nd ref='3'/><tag k='highway' v='steps'/>"
                            "<tag k='name' v='Treppe&#x202E;nach links'/></way><relation id='9' version='1'>"
                            "<member type='way' ref='3' role=''/><tag k='type' v='route'/></relation>")
    (res,) = check_file(path)
    assert any("Treppe?nach links" in p.message for p in res.problems)  # a bidi override cannot flip the line
    assert all("\u202e" not in p.message for p in res.problems)


def test_verdict_line_for_imports() -> None:
    (rel,) = read_relations(DATA / "oneway-single.osm", relation_ids=[300])
    text = verdict(rel)
    assert text.startswith("forward continuous; backward: 1 break")
    assert "missing-role" in text and "gap" in text


def test_the_same_data_gives_the_same_result() -> None:
    a = [r.as_dict() for r in check_file(DATA / "order-extra-gap.osm")]
    b = [r.as_dict() for r in check_file(DATA / "order-extra-gap.osm")]
    assert a == b


# ------------------------------------------------------------------ real relations


def _independent_members(path: Path, rid: int) -> tuple[list[tuple[int, str]], dict[int, tuple[list[int], dict]]]:
    """Members and member ways read with plain pyosmium handlers (not radweg's reader)."""
    import osmium

    members: list[tuple[int, str]] = []

    class Rel(osmium.SimpleHandler):  # type: ignore[misc]
        def relation(self, r: osmium.osm.Relation) -> None:
            if r.id == rid:
                members.extend((m.ref, m.role) for m in r.members if m.type == "w")

    Rel().apply_file(str(path))
    wanted = {ref for ref, _ in members}
    ways: dict[int, tuple[list[int], dict]] = {}

    class Ways(osmium.SimpleHandler):  # type: ignore[misc]
        def way(self, w: osmium.osm.Way) -> None:
            if w.id in wanted:
                ways[w.id] = ([n.ref for n in w.nodes], {t.k: t.v for t in w.tags})

    Ways().apply_file(str(path))
    return members, ways


def _directed(members: list[tuple[int, str]], ways: dict[int, tuple[list[int], dict]]) -> object:
    """A networkx DiGraph of where a cyclist may ride the member ways, order ignored (rules written afresh)."""
    import networkx as nx

    g = nx.DiGraph()
    for ref, role in members:
        if ref not in ways:
            continue
        nodes, tags = ways[ref]
        ow = tags.get("oneway:bicycle") or tags.get("oneway")
        if tags.get("oneway:bicycle") == "no" or str(tags.get("cycleway", "")).startswith("opposite"):
            ow = "no"
        if ow is None and tags.get("junction") in ("roundabout", "circular"):
            ow = "yes"
        along = role == "forward" or (role != "backward" and ow in ("yes", "true", "1"))
        against = role == "backward" or (role != "forward" and ow == "-1")
        both = not along and not against
        for a, b in zip(nodes, nodes[1:], strict=False):
            if along or both:
                g.add_edge(a, b)
            if against or both:
                g.add_edge(b, a)
    return g


@pytest.mark.realdata
def test_liechtenstein_relations_against_an_independent_reading(realdata: Path) -> None:
    import networkx as nx

    path = realdata / LI
    results = check_file(path, route="bicycle")
    assert len(results) == 13  # 13 type=route + route=bicycle (the other 9 of 22 are superroutes, networks, mtb)
    for res in results:
        members, ways = _independent_members(path, res.id)
        assert res.geometry.way_members == len(members)
        assert res.geometry.missing_members == sum(1 for ref, _ in members if ref not in ways)
        und = nx.Graph()
        for ref, _ in members:
            if ref in ways:
                nodes = ways[ref][0]
                und.add_node(("w", ref))
                und.add_edges_from((("w", ref), ("n", n)) for n in nodes)
        assert res.geometry.pieces == sum(1 for c in nx.connected_components(und) if any(k == "w" for k, _ in c))
        g = _directed(members, ways)
        coords = {}
        for m in read_relations(path, relation_ids=[res.id])[0].members:
            coords.update({c: r for r, c in zip(m.refs, m.coords, strict=True)})
        for d in (res.forward, res.backward):
            if d.continuous:  # a continuous direction must be a directed path in the order-free graph too
                assert d.start is not None and d.end is not None
                assert nx.has_path(g, coords[d.start], coords[d.end]), (res.id, d.name)


@pytest.mark.realdata
def test_liechtenstein_known_relations(realdata: Path) -> None:
    by_id = {r.id: r for r in check_file(realdata / LI, route="bicycle")}
    # Eschnerberg and Radroute Feldkirch Egelsee are complete in the extract and continuous both ways
    for rid in (2268041, 3755819):
        assert by_id[rid].complete and by_id[rid].continuous
    # the Schaan network relation is a set of ways, not a line: several pieces, broken in member order
    schaan = by_id[2106834]
    assert schaan.geometry.pieces > 1 and not schaan.forward.continuous and "gap" in rules(schaan)
    # cut at the border: members missing, so never reported as continuous
    assert not by_id[19664].complete and not by_id[19664].continuous


@pytest.mark.realdata
def test_berlin_relations_read_from_gzip(realdata: Path) -> None:
    results = check_file(realdata / "graphhopper/core/files/berlin-siegessaeule.osm.gz", route="bicycle")
    assert len(results) == 9
    assert all(not r.complete for r in results)  # a small clip of long routes: every one is cut
