"""Parsing and writing data files: every kind of bad input is named precisely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radweg.io.geojson import dump_collection, parse_collection

ROOT = Path(__file__).resolve().parent.parent


def _fc(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _seg(fid: str = "a", coords: object = ((11.0, 51.0), (11.1, 51.1)), **props: object) -> dict:
    return {"type": "Feature", "properties": {"id": fid, "name": "A", "status": "existing", **props},
            "geometry": {"type": "LineString", "coordinates": coords}}


def _problems(raw: bytes, kind: str = "segments") -> list[str]:
    return [str(p) for p in parse_collection(raw, kind, "f.geojson")[1]]


@pytest.mark.parametrize("kind", ["segments", "tours", "pois", "neighbours"])
def test_sample_files_round_trip_byte_identical(kind: str) -> None:
    path = ROOT / {"segments": "routes/segments.geojson", "tours": "routes/tours.geojson",
                   "pois": "pois/pois.geojson", "neighbours": "routes/neighbours.geojson"}[kind]
    raw = path.read_bytes()
    coll, problems = parse_collection(raw, kind, str(path))
    assert problems == []
    assert dump_collection(coll).encode() == raw


def test_invalid_json_names_line_and_column() -> None:
    assert _problems(b'{"type": "FeatureCollection",\n "features": [}') == [
        "f.geojson: invalid JSON at line 2 column 15: Expecting value"]


def test_non_utf8_names_the_byte() -> None:
    assert _problems(b'{"name": "Ro\xdfla"}') == ["f.geojson: not UTF-8 text (byte 0xdf at offset 12)"]


def test_bom_is_accepted() -> None:
    coll, problems = parse_collection(b"\xef\xbb\xbf" + _fc(_seg()), "segments", "f")
    assert problems == [] and coll.ids() == ["a"]


def test_wrong_geometry_type() -> None:
    feat = _seg()
    feat["geometry"] = {"type": "Point", "coordinates": [11.0, 51.0]}
    assert _problems(_fc(feat)) == [
        "f.geojson: feature 'a' (#0): field 'geometry': wrong geometry type 'Point'; expected LineString"]


def test_latitude_out_of_range_suggests_swap() -> None:
    (msg,) = _problems(_fc(_seg(coords=[[11.0, 51.0], [150.0, 111.0]])))
    assert "feature 'a' (#0): field 'geometry'" in msg
    assert "latitude 111.0 is out of range" in msg
    assert "swapped" not in msg  # 150 would not be a latitude either
    (msg2,) = _problems(_fc(_seg(coords=[[11.0, 51.0], [-200.0, 11.0]])))
    assert "longitude -200.0 is out of range" in msg2


def test_swapped_latitude_hint_when_plausible() -> None:
    (msg,) = _problems(_fc(_seg(coords=[[11.0, 51.0], [51.1, 95.0]])))
    assert "swapped" in msg


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_inf_are_refused(bad: str) -> None:
    raw = _fc(_seg()).replace(b"51.1]", f"{bad}]".encode())
    (msg,) = _problems(raw)
    assert "field 'geometry'" in msg and "NaN and infinity are not allowed" in msg


@pytest.mark.parametrize("coords,expected", [
    ([], "needs at least 2 positions, has 0"),
    ([[11.0, 51.0]], "needs at least 2 positions, has 1"),
    ([[11.0, 51.0], [11.0, 51.0]], "zero length"),
])
def test_empty_and_one_point_lines(coords: list, expected: str) -> None:
    (msg,) = _problems(_fc(_seg(coords=coords)))
    assert expected in msg and "feature 'a' (#0)" in msg


def test_duplicate_ids() -> None:
    assert _problems(_fc(_seg("a"), _seg("a"))) == [
        "f.geojson: feature 'a' (#1): field 'id': duplicate id 'a' (also feature #0)"]


def test_unknown_status_and_type() -> None:
    assert _problems(_fc(_seg(status="gone"))) == [
        "f.geojson: feature 'a' (#0): field 'status': unknown value 'gone'; "
        "expected one of existing, planned, construction, closed"]
    poi = {"type": "Feature", "properties": {"id": "p", "name": "P", "type": "castle"},
           "geometry": {"type": "Point", "coordinates": [11.0, 51.0]}}
    (msg,) = _problems(_fc(poi), "pois")
    assert msg.startswith("f.geojson: feature 'p' (#0): field 'type': unknown value 'castle'")


def test_every_problem_is_reported_not_just_the_first() -> None:
    raw = _fc(_seg("a", status="gone"), _seg("B!"), _seg("c", coords=[[11.0, 51.0]]))
    assert len(_problems(raw)) == 3


def test_crs_member_is_refused() -> None:
    obj = json.loads(_fc(_seg()))
    obj["crs"] = {"type": "name", "properties": {"name": "EPSG:25832"}}
    (msg,) = _problems(json.dumps(obj).encode())
    assert "'crs' member is not allowed" in msg


def test_feature_without_id_names_its_index() -> None:
    feat = _seg()
    del feat["properties"]["id"]
    assert _problems(_fc(feat)) == ["f.geojson: feature #0: field 'id': missing; every feature needs a string id"]


def test_tour_naming_structure_errors() -> None:
    tour = {"type": "Feature", "geometry": None,
            "properties": {"id": "t", "name": "T", "segments": ["a", 5],
                           "stages": [{"id": "s", "name": "S", "start": {"name": "x", "coordinates": [11, 51]},
                                       "end": {"name": "y"}}]}}
    msgs = _problems(_fc(tour), "tours")
    assert "f.geojson: feature 't' (#0): field 'segments': entry 1 (5) is not a segment id" in msgs
    assert any("field 'stages[0].end'" in m for m in msgs)


def test_writing_keeps_text_in_strings_untouched() -> None:
    coll, _ = parse_collection(_fc(_seg(notes="list [1,2] and [3, 4]")), "segments", "f")
    text = dump_collection(coll)
    assert '"notes": "list [1,2] and [3, 4]"' in text
    assert "[11.0, 51.0]" in text  # positions on one line each


def test_coordinates_are_rounded_to_documented_precision() -> None:
    coll, _ = parse_collection(_fc(_seg(coords=[[11.123456789, 51.0000004, 100.04], [11.2, 51.1, 99.96]])),
                               "segments", "f")
    assert coll.items[0].coords == ((11.123457, 51.0, 100.0), (11.2, 51.1, 100.0))


def test_poi_osm_id_and_neighbour_geometry_are_checked() -> None:
    poi = {"type": "Feature", "properties": {"id": "p", "name": "P", "type": "halde", "osm_id": "123"},
           "geometry": {"type": "Point", "coordinates": [11.3, 51.5]}}
    _, problems = parse_collection(json.dumps({"type": "FeatureCollection", "features": [poi]}).encode(),
                                   "pois", "pois.geojson")
    assert [p.field for p in problems] == ["osm_id"] and "node/ID" in problems[0].message
    nb = {"type": "Feature", "properties": {"id": "n", "name": "N", "geometry": "surveyed"},
          "geometry": {"type": "LineString", "coordinates": [[11.3, 51.5], [11.4, 51.5]]}}
    _, problems = parse_collection(json.dumps({"type": "FeatureCollection", "features": [nb]}).encode(),
                                   "neighbours", "neighbours.geojson")
    assert [p.field for p in problems] == ["geometry"] and "surveyed" in problems[0].message
