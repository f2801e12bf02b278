"""``radweg pois …``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import tree_digest


def test_list_and_filter(run, sample: Path) -> None:
    records = json.loads(run("pois", "list", "--json").stdout)
    in_file = json.loads((sample / "pois" / "pois.geojson").read_text(encoding="utf-8"))["features"]
    assert [r["id"] for r in records] == sorted(f["properties"]["id"] for f in in_file)
    heaps = json.loads(run("pois", "list", "--type", "halde", "--json").stdout)
    assert {r["id"] for r in heaps} >= {"halde-hohe-linde", "halde-fortschrittschacht"}
    assert all(r["type"] == "halde" for r in heaps)
    assert "halde-hohe-linde" in run("pois", "list").stdout


def test_show_has_description_and_source(run) -> None:
    feat = json.loads(run("pois", "show", "halde-hohe-linde", "--json").stdout)
    assert feat["properties"]["height_m"] == 145
    assert "https://" in feat["properties"]["source"] and "OpenStreetMap" in feat["properties"]["source"]
    # the summit of the OSM peak "Schachthalde Hohe Linde" (see scripts/build_sample.py)
    assert feat["properties"]["osm_id"] == "node/2520261743"
    assert feat["geometry"]["type"] == "Point"
    assert feat["geometry"]["coordinates"][:2] == [11.286139, 51.49443]


def test_add_set_remove(run, sample: Path) -> None:
    added = run("pois", "add", "rast-bennungen", "--name", "Rastplatz Bennungen", "--type", "other",
                "--at", "11.11722,51.46167", "--description", "Bank & Tisch <am Weg>")
    assert added.exit_code == 0, added.output
    assert run("pois", "set", "rast-bennungen", "type=aussicht", "approx=yes").exit_code == 0
    props = json.loads(run("pois", "show", "rast-bennungen", "--json").stdout)["properties"]
    assert (props["type"], props["approx"], props["description"]) == ("aussicht", True, "Bank & Tisch <am Weg>")
    bad = run("pois", "set", "rast-bennungen", "height_m=hoch")
    assert bad.exit_code == 1 and "field 'height_m'" in bad.stderr and "not a number" in bad.stderr
    assert run("pois", "remove", "rast-bennungen").exit_code == 0
    assert run("pois", "show", "rast-bennungen").exit_code == 1


def test_add_out_of_range_is_usage_error(run, sample: Path) -> None:
    before = tree_digest(sample)
    assert run("pois", "add", "x", "--name", "x", "--type", "other", "--at", "11.0,95").exit_code == 2
    swapped = run("pois", "add", "x", "--name", "x", "--type", "other", "--at", "51.49,11.28")
    assert swapped.exit_code == 1 and "swapped" in swapped.stderr and "field 'geometry'" in swapped.stderr
    assert tree_digest(sample) == before


def test_near_point_and_tour(run) -> None:
    around = json.loads(run("pois", "near", "11.286139,51.49443", "--radius", "2000", "--json").stdout)
    assert around[0]["id"] == "halde-hohe-linde" and around[0]["distance_m"] == 0.0
    assert [r["distance_m"] for r in around] == sorted(r["distance_m"] for r in around)
    assert all(r["distance_m"] <= 2000 for r in around)
    along = json.loads(run("pois", "near", "--tour", "nord-sued", "--radius", "300", "--json").stdout)
    assert [r["along_km"] for r in along] == sorted(r["along_km"] for r in along)
    assert "halde-hohe-linde" in {r["id"] for r in along}
    heaps = json.loads(run("pois", "near", "--segment", "helbra-eisleben", "--type", "halde", "--json").stdout)
    assert {r["id"] for r in heaps} == {"halde-max-lademann-schacht"} or all(r["id"].startswith("halde")
                                                                          for r in heaps)
    near_poi = json.loads(run("pois", "near", "--poi", "schloss-mansfeld", "--radius", "500", "--json").stdout)
    assert "schloss-mansfeld" not in {r["id"] for r in near_poi} and "st-georg-mansfeld" in {r["id"] for r in near_poi}


def test_near_needs_exactly_one_origin(run) -> None:
    assert run("pois", "near").exit_code == 2
    assert run("pois", "near", "11,51", "--tour", "nord-sued").exit_code == 2


def test_import_geojson_points(run, tmp_path: Path) -> None:
    src = tmp_path / "p.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Radservice Sangerhausen"},
         "geometry": {"type": "Point", "coordinates": [11.3, 51.47]}}]}))
    missing_type = run("pois", "import", str(src))
    assert missing_type.exit_code == 1 and "field 'type': missing" in missing_type.stderr
    ok = run("pois", "import", str(src), "--type", "radservice")
    assert ok.exit_code == 0, ok.output
    assert json.loads(run("pois", "show", "radservice-sangerhausen", "--json").stdout)["properties"]["type"] == \
        "radservice"


def test_list_and_show_print_coordinates_with_six_decimals(run) -> None:
    table = run("pois", "list").stdout.splitlines()
    row = next(line for line in table if line.startswith("halde-hohe-linde "))
    assert "11.286139" in row.split() and "51.494430" in row.split()
    shown = dict(line.split(None, 1) for line in run("pois", "show", "halde-hohe-linde").stdout.splitlines()
                 if len(line.split(None, 1)) == 2)
    assert (shown["lon"], shown["lat"]) == ("11.286139", "51.494430")


def test_import_prints_one_summary_line_and_features_only_with_verbose(run, tmp_path: Path) -> None:
    src = tmp_path / "p.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"Bank {i}", "type": "other"},
         "geometry": {"type": "Point", "coordinates": [11.3 + i / 1000, 51.47]}} for i in range(5)]}))
    quiet = run("pois", "import", str(src), "--dry-run")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    assert quiet.stderr.splitlines() == [f"{src}: 5 new, 0 updated, 0 unchanged, 0 skipped POIs "
                                         "(dry run, nothing written)"]
    loud = run("-v", "pois", "import", str(src))
    assert loud.exit_code == 0
    assert [line.split()[:2] for line in loud.stdout.splitlines()[2:]] == [["add", f"bank-{i}"] for i in range(5)]
    assert loud.stderr.splitlines()[-1] == f"{src}: 5 new, 0 updated, 0 unchanged, 0 skipped POIs"


def test_corridor_needs_a_tour(run, tmp_path: Path) -> None:
    src = tmp_path / "x.osm"
    src.write_text("<osm version='0.6'></osm>", encoding="utf-8")
    res = run("pois", "import", str(src), "--corridor", "500")
    assert res.exit_code == 2 and "--corridor needs --tour" in res.output
