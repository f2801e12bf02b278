"""``radweg gaps`` on the sample data and on constructed data folders."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import tree_digest
from gapkit import dataset, seg, tour
from test_gaps_connectors import grid

from radweg.data.store import Store
from radweg.gaps.triage import TRIAGE_FILE
from radweg.model import Segment

# What a planner sees on the sample map (docs/gaps.md lists them with the reasons)
SAMPLE_EXPECTED = {
    ("continuity", "tour",
     frozenset({"segment:wettelrode-moellendorf:start", "segment:wettelrode-sangerhausen:start"})),
    ("link", "detour", frozenset({"segment:klostermansfeld-arnstein:end", "segment:sandersleben-friedeburg:start"})),
    ("connection", "joined-via-network", frozenset({"neighbour:unstrut-radweg", "segment:allstedt-roeblingen"})),
    ("connection", "joined-via-network", frozenset({"neighbour:r1-europaradweg", "segment:klostermansfeld-arnstein"})),
}


def geojson(run, *args: str) -> dict:
    res = run("gaps", "--format", "geojson", *args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def gap_props(obj: dict) -> list[dict]:
    return [f["properties"] for f in obj["features"] if f["properties"]["feature"] == "gap"]


def test_sample_finds_what_a_planner_sees(run):
    props = gap_props(geojson(run))
    found = {(p["kind"], p["detail"], frozenset(filter(None, (p["a_ref"], p["b_ref"])))) for p in props}
    assert found >= SAMPLE_EXPECTED
    tour_break = next(p for p in props if p["kind"] == "continuity")
    assert 125 <= tour_break["length_m"] <= 135  # "~130 m" from the segment's note
    assert tour_break["tours"] == "nord-sued,west-ost"
    north = next(p for p in props if p["kind"] == "link")
    assert 6000 <= north["length_m"] <= 7000  # Arnstein – Bahnhof Sandersleben
    statuses = {p["segments"] for p in props if p["kind"] == "status"}
    assert "helbra-eisleben" in statuses and "siersleben-klostermansfeld,fortschritt-siersleben" not in statuses
    assert "fortschritt-siersleben,siersleben-klostermansfeld" in statuses
    assert sum(p["kind"] == "status" for p in props) == 9
    assert not [p for p in props if p["kind"] == "component"]
    assert sorted(p["rank"] for p in props) == list(range(1, len(props) + 1))


def test_table_and_straight_line_notice(run):
    res = run("gaps")
    assert res.exit_code == 0
    assert "ct-b3293df5" in res.stdout
    assert "straight lines, no street network" in res.stdout
    assert "No street network loaded" in res.stderr


def test_outputs_are_deterministic_files(run, tmp_path: Path):
    for fmt in ("md", "html", "csv", "geojson"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert run("gaps", "--format", fmt, "-o", str(a)).exit_code == 0
        assert run("gaps", "--format", fmt, "-o", str(b)).exit_code == 0
        assert a.read_bytes() == b.read_bytes()
    assert run("gaps", "--format", "gpkg", "-o", str(tmp_path / "g.gpkg")).exit_code == 0
    assert run("gaps", "--format", "gpkg").exit_code == 2


def test_ids_survive_a_rerun_and_a_reordered_file(run, sample: Path):
    before = [p["id"] for p in gap_props(geojson(run))]
    path = sample / "routes" / "segments.geojson"
    obj = json.loads(path.read_text(encoding="utf-8"))
    obj["features"].reverse()
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    nb = sample / "routes" / "neighbours.geojson"
    obj = json.loads(nb.read_text(encoding="utf-8"))
    obj["features"] = obj["features"][3:] + obj["features"][:3]
    nb.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    assert [p["id"] for p in gap_props(geojson(run))] == before


def test_check_exits_3_until_every_gap_is_triaged_and_triage_survives(run, sample: Path):
    res = run("gaps", "--check")
    assert res.exit_code == 3
    ids = [p["id"] for p in gap_props(geojson(run))]
    for gid in ids:
        res = run("gaps", "triage", gid, "--status", "accepted", "--comment", "Besprechung 22.11.")
        assert res.exit_code == 0, res.output
    assert run("gaps", "--check").exit_code == 0
    # a re-run, with the data files re-saved, keeps every entry attached
    st = Store(sample)
    st.save(st.load(), ["segments", "tours", "neighbours"])
    props = gap_props(geojson(run))
    assert {p["triage"] for p in props} == {"accepted"}
    assert {p["comment"] for p in props} == {"Besprechung 22.11."}
    assert run("gaps", "--check").exit_code == 0


def test_triage_errors_change_nothing(run, sample: Path):
    before = tree_digest(sample)
    res = run("gaps", "triage", "xx-00000000", "--status", "accepted")
    assert res.exit_code == 1 and "no current gap has the id 'xx-00000000'" in res.stderr
    res = run("gaps", "triage", "ct-b3293df5", "--status", "maybe")
    assert res.exit_code == 2
    res = run("gaps", "triage", "ct-b3293df5")
    assert res.exit_code == 2
    assert tree_digest(sample) == before
    assert run("gaps", "triage", "xx-00000000", "--status", "deferred", "--force").exit_code == 0
    assert "xx-00000000" in (sample / TRIAGE_FILE).read_text(encoding="utf-8")
    res = run("gaps")
    assert "Triage entries without a current gap: xx-00000000" in res.stdout
    assert run("gaps", "triage", "xx-00000000", "--clear").exit_code == 0
    assert run("gaps", "triage", "xx-00000000", "--clear").exit_code == 1


def test_bad_triage_file_is_a_one_line_error(run, sample: Path):
    (sample / TRIAGE_FILE).write_text('{"gaps": {"ct-1": {"status": "??"}}}', encoding="utf-8")
    res = run("gaps")
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        ("Error: routes/gaps-triage.json: gap 'ct-1': field 'status': unknown value '??'; "
         "expected one of accepted, in-planning, deferred, not-a-gap, wont-fix")]


def test_compare_reports_a_gap_closed_by_a_joining_segment(run, sample: Path, tmp_path: Path):
    old = tmp_path / "old.geojson"
    assert run("gaps", "--format", "geojson", "-o", str(old)).exit_code == 0
    link = next(p for p in gap_props(json.loads(old.read_text(encoding="utf-8"))) if p["kind"] == "link")
    st = Store(sample)
    ds = st.load()
    a = (link["a_lon"], link["a_lat"])
    b = (link["b_lon"], link["b_lat"])
    ds.segments.items.append(Segment("arnstein-sandersleben", "Lückenschluss Arnstein – Sandersleben", (a, b),
                                     "planned", "unknown", "unknown"))
    st.save(ds, ["segments"])
    res = run("gaps", "--compare", str(old))
    assert res.exit_code == 0, res.output
    assert f"closed   {link['id']}  link" in res.stderr
    # the new segment is planned: it shows up as a status stretch, and nothing else is new;
    # R1's closest approach now lies on the new segment: the same gap (same id), changed
    opened = [line for line in res.stderr.splitlines() if line.strip().startswith("opened")]
    assert len(opened) == 1 and " status" in opened[0]
    changed = [line for line in res.stderr.splitlines() if line.strip().startswith("changed")]
    assert len(changed) == 1 and "connection" in changed[0] and "segment:arnstein-sandersleben" in changed[0]


def test_unknown_network_name_is_a_clear_error(run):
    res = run("gaps", "--network", "nirgendwo")
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: ")
    assert "Traceback" not in res.output


def test_connectors_with_a_graphml_network(runner, tmp_path: Path):
    import osmnx
    import pyogrio

    from radweg.cli.main import cli

    root = tmp_path / "data"
    Store(root).init("Test", None)
    ds = dataset([seg("a", [(0, 0), (500, 0)]), seg("b", [(1000, 10), (1000, 1000)])], [tour("t", "a", "b")])
    Store(root).save(ds, ["segments", "tours"])
    import networkx as nx

    g = nx.convert_node_labels_to_integers(grid())
    g.graph["crs"] = "epsg:4326"
    osmnx.save_graphml(g, tmp_path / "grid.graphml")
    out = tmp_path / "gaps.geojson"
    res = runner.invoke(cli, ["--data", str(root), "gaps", "--graph", str(tmp_path / "grid.graphml"),
                              "--format", "geojson", "-o", str(out)])
    assert res.exit_code == 0, res.output
    frame = pyogrio.read_dataframe(out)
    gap_rows = frame[frame["feature"] == "gap"]
    conn_rows = frame[frame["feature"] == "connector"]
    assert len(conn_rows) >= 1
    brk = gap_rows[gap_rows["kind"] == "continuity"].iloc[0]
    assert brk["connector_m"] == pytest.approx(500, abs=15)
    assert not brk["no_connection"]
    html = runner.invoke(cli, ["--data", str(root), "gaps", "--graph", str(tmp_path / "grid.graphml"),
                               "--format", "html"])
    assert "Variante 1" in html.stdout


@pytest.mark.realdata
def test_gaps_with_a_network_built_by_radweg_network_import(runner, tmp_path: Path, realdata):
    from radweg.cli.main import cli
    from radweg.model import Leg, Tour

    root = tmp_path / "li"
    Store(root).init("Liechtenstein", None)
    st = Store(root)
    ds = st.load()
    ds.segments.items = [
        Segment("vaduz-nord", "Vaduz <Nord>", ((9.5209, 47.1395), (9.5180, 47.1500)), "existing"),
        Segment("schaan-sued", "Schaan Süd", ((9.5095, 47.1650), (9.5050, 47.1800)), "existing"),
    ]
    ds.tours.items = [Tour("rhein", "Rhein", (Leg("vaduz-nord"), Leg("schaan-sued")))]
    st.save(ds, ["segments", "tours"])
    pbf = realdata / "pyosmium" / "docs" / "data" / "liechtenstein.osm.pbf"
    res = runner.invoke(cli, ["--data", str(root), "network", "import", str(pbf)])
    assert res.exit_code == 0, res.output
    out = tmp_path / "gaps.geojson"
    res = runner.invoke(cli, ["--data", str(root), "gaps", "--network", "liechtenstein", "--format", "geojson",
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    obj = json.loads(out.read_text(encoding="utf-8"))
    assert obj["metadata"]["network"] == "liechtenstein" and obj["metadata"]["straight_line_only"] is False
    brk = next(f["properties"] for f in gap_props_features(obj) if f["properties"]["kind"] == "continuity")
    assert brk["connector_m"] > brk["length_m"] and brk["connectors"] >= 2 and brk["no_connection"] is False
    conns = [f for f in obj["features"] if f["properties"]["feature"] == "connector"]
    assert {c["properties"]["gap_id"] for c in conns} >= {brk["id"]}
    html = runner.invoke(cli, ["--data", str(root), "gaps", "--network", "liechtenstein", "--format", "html"])
    assert "Variante 2" in html.stdout and "&lt;Nord&gt;" in html.stdout and "<Nord>" not in html.stdout


def gap_props_features(obj: dict) -> list[dict]:
    return [f for f in obj["features"] if f["properties"]["feature"] == "gap"]


@pytest.mark.parametrize("content, message", [
    ("<graphml>broken", "not a safe, well-formed GraphML file"),
    ('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><graphml>&b;</graphml>',
     "not a safe, well-formed GraphML file"),
])
def test_bad_graphml_is_a_one_line_error(run, tmp_path: Path, content: str, message: str):
    bad = tmp_path / "bad.graphml"
    bad.write_text(content, encoding="utf-8")
    res = run("gaps", "--graph", str(bad))
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in res.output


def test_workers_give_the_same_report_and_bad_scheduler_is_one_line(run, tmp_path: Path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run("gaps", "--format", "csv", "-o", str(one)).exit_code == 0
    assert run("gaps", "--workers", "2", "--format", "csv", "-o", str(two)).exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    assert run("gaps", "--dask", "--scheduler", "tcp://127.0.0.1:9").exit_code == 2
    assert run("gaps", "--workers", "0").exit_code == 2
    res = run("gaps", "--scheduler", "tcp://127.0.0.1:9")
    assert res.exit_code == 1
    assert "Dask scheduler at tcp://127.0.0.1:9" in res.stderr and "Traceback" not in res.stderr
