"""``radweg segments …``."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tests.conftest import tree_digest


def test_list_table_and_json(run) -> None:
    table = run("segments", "list")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == ["id", "name", "status", "surface", "way_type", "municipality",
                                                    "length_km"]
    records = json.loads(run("segments", "list", "--json").stdout)
    assert len(records) == 20
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    planned = json.loads(run("segments", "list", "--status", "planned", "--json").stdout)
    assert planned and all(r["status"] == "planned" for r in planned)


def test_show(run) -> None:
    result = run("segments", "show", "kelbra-rossla", "--json")
    feat = json.loads(result.stdout)
    assert feat["geometry"]["type"] == "LineString"
    assert feat["properties"]["name"] == "Goldene Aue: Kelbra – Berga – Roßla"
    assert 5 < feat["properties"]["length_km"] < 15
    human = run("segments", "show", "kelbra-rossla")
    assert "Goldene Aue" in human.stdout
    missing = run("segments", "show", "kelbra")
    assert missing.exit_code == 1
    assert "no segment with id 'kelbra'; did you mean kelbra-rossla?" in missing.stderr


def test_add_validates_and_saves(run, sample: Path) -> None:
    result = run("segments", "add", "rossla-tilleda", "--name", "Roßla – Tilleda",
                 "--coords", "11.07639,51.46472 11.14333,51.42056", "--status", "planned", "--surface", "asphalt")
    assert result.exit_code == 0, result.output
    feat = json.loads(run("segments", "show", "rossla-tilleda", "--json").stdout)
    assert feat["geometry"]["coordinates"] == [[11.07639, 51.46472], [11.14333, 51.42056]]
    dup = run("segments", "add", "rossla-tilleda", "--name", "x", "--coords", "11,51 11.1,51.1")
    assert dup.exit_code == 1 and "already exist" in dup.stderr


def test_add_bad_usage_exits_2(run, sample: Path) -> None:
    before = tree_digest(sample)
    assert run("segments", "add", "x", "--name", "x", "--coords", "11;51").exit_code == 2
    assert run("segments", "add", "x", "--name", "x", "--coords", "11,51", "--status", "gone").exit_code == 2
    bad_id = run("segments", "add", "Bad Id", "--name", "x", "--coords", "11,51 11.1,51.1")
    assert bad_id.exit_code == 1 and "field 'id'" in bad_id.stderr
    one_point = run("segments", "add", "x", "--name", "x", "--coords", "11,51")
    assert one_point.exit_code == 1 and "at least 2 positions" in one_point.stderr
    assert tree_digest(sample) == before


def test_set_changes_only_that_field(run, sample: Path) -> None:
    path = sample / "routes/segments.geojson"
    before = path.read_text().splitlines()
    result = run("segments", "set", "kelbra-rossla", "status=construction", "notes=Neue Brücke")
    assert result.exit_code == 0, result.output
    after = path.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
    today = datetime.date.today().isoformat()
    assert len(before) == len(after) and len(changed) == 3
    assert changed[-1][1].strip() == f'"updated": "{today}",'
    props = json.loads(run("segments", "show", "kelbra-rossla", "--json").stdout)["properties"]
    assert props["status"] == "construction" and props["updated"] == today


def test_set_keeps_an_updated_date_that_is_given(run, sample: Path) -> None:
    assert run("segments", "set", "kelbra-rossla", "notes=x", "updated=2020-01-02").exit_code == 0
    assert json.loads(run("segments", "show", "kelbra-rossla", "--json").stdout)["properties"]["updated"] == \
        "2020-01-02"


def test_set_with_nothing_changed_leaves_updated(run, sample: Path) -> None:
    before = json.loads(run("segments", "show", "kelbra-rossla", "--json").stdout)["properties"]
    assert run("segments", "set", "kelbra-rossla", f"status={before['status']}").exit_code == 0
    after = json.loads(run("segments", "show", "kelbra-rossla", "--json").stdout)["properties"]
    assert after["updated"] == before["updated"]


@pytest.mark.parametrize(("seg_id", "tour", "stage", "which", "expected"), [
    ("kelbra-rossla", "nord-sued", "etappe-2", "end", "Tourende"),
    ("klostermansfeld-arnstein", "nord-sued", "etappe-1", "start", "Touranfang"),
    ("wettelrode-moellendorf", "nord-sued", "etappe-2", "start", None),
])
def test_remove_force_moves_stage_ends_onto_what_is_left(run, sample: Path, seg_id: str, tour: str, stage: str,
                                                         which: str, expected: str | None) -> None:
    from radweg.data.store import Store
    from radweg.geometry import locate
    from radweg.tours.line import tour_line

    result = run("segments", "remove", seg_id, "--force")
    assert result.exit_code == 0, result.output
    assert f"stage '{stage}'" in result.stderr and "moved" in result.stderr
    assert run("validate").exit_code == 0
    ds = Store(sample).load()
    t = ds.tours.get(tour)
    assert t is not None and all(leg.segment != seg_id for leg in t.legs)
    st = next(s for s in t.stages if s.id == stage)
    place = getattr(st, which)
    line = tour_line(t, {s.id: s for s in ds.segments.items})
    # independently of radweg's stage code: the moved end lies on the remaining line
    assert locate(line, place.coords)[1] < 1.0
    if expected:
        assert place.name == expected


def test_remove_force_drops_a_stage_that_lay_on_the_segment(run, sample: Path) -> None:
    result = run("segments", "remove", "klostermansfeld-helbra", "--force")
    assert result.exit_code == 0, result.output
    assert "dropped stage 'etappe-1'" in result.stderr


def test_set_refuses_bad_values(run, sample: Path) -> None:
    before = tree_digest(sample)
    bad = run("segments", "set", "kelbra-rossla", "status=kaputt")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: command line: feature 'kelbra-rossla' (#0): field 'status': unknown value")
    assert run("segments", "set", "kelbra-rossla", "colour=red").exit_code == 2
    assert run("segments", "set", "kelbra-rossla", "status").exit_code == 2
    assert tree_digest(sample) == before


def test_set_empty_value_clears(run) -> None:
    assert run("segments", "set", "kelbra-rossla", "surface=").exit_code == 0
    assert json.loads(run("segments", "show", "kelbra-rossla", "--json").stdout)["properties"]["surface"] is None


def test_remove_refuses_segment_used_by_tour(run, sample: Path) -> None:
    before = tree_digest(sample)
    result = run("segments", "remove", "kelbra-rossla")
    assert result.exit_code == 1 and "used by tour(s) nord-sued" in result.stderr
    assert tree_digest(sample) == before
    # --force moves the end of stage 2 of nord-sued onto what is left (see the tests below)
    ok = run("segments", "remove", "eisleben-fortschritt", "--force")
    assert ok.exit_code == 0, ok.output
    assert "dropped it from tour(s) pyramidenrunde" in ok.stderr
    tour = json.loads(run("tours", "show", "pyramidenrunde", "--json").stdout)
    assert "eisleben-fortschritt" not in tour["properties"]["segments"]
    assert run("validate").exit_code == 0


def test_remove_unused(run) -> None:
    assert run("segments", "remove", "stolberg-berga").exit_code == 0
    assert run("segments", "show", "stolberg-berga").exit_code == 1


def _write(path: Path, features: list) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_import_geojson(run, tmp_path: Path) -> None:
    src = _write(tmp_path / "neu.geojson", [
        {"type": "Feature", "properties": {"name": "Bennungen – Tilleda"},
         "geometry": {"type": "LineString", "coordinates": [[11.11722, 51.46167], [11.14333, 51.42056]]}},
        {"type": "Feature", "properties": {"name": "Bennungen – Tilleda", "status": "existing"},
         "geometry": {"type": "LineString", "coordinates": [[11.14333, 51.42056], [11.2, 51.4]]}},
    ])
    dry = run("segments", "import", str(src), "--dry-run")
    assert dry.exit_code == 0 and dry.stdout == ""
    assert dry.stderr == f"{src}: 2 new, 0 updated, 0 unchanged, 0 skipped segments (dry run, nothing written)\n"
    verbose = run("-v", "segments", "import", str(src), "--dry-run")
    rows = [line.split()[:2] for line in verbose.stdout.splitlines()[2:]]
    assert rows == [["add", "bennungen-tilleda"], ["add", "bennungen-tilleda-2"]]
    assert run("segments", "show", "bennungen-tilleda").exit_code == 1
    real = run("segments", "import", str(src), "--source", "Test")
    assert real.exit_code == 0, real.output
    first = json.loads(run("segments", "show", "bennungen-tilleda", "--json").stdout)["properties"]
    second = json.loads(run("segments", "show", "bennungen-tilleda-2", "--json").stdout)["properties"]
    assert (first["status"], first["source"]) == ("planned", "Test")
    assert second["status"] == "existing"
    again = run("segments", "import", str(src), "--source", "Test")
    assert again.exit_code == 0 and "0 new, 0 updated, 2 unchanged" in again.stderr


def test_import_clash_needs_update(run, sample: Path, tmp_path: Path) -> None:
    src = _write(tmp_path / "x.geojson", [
        {"type": "Feature", "properties": {"id": "kelbra-rossla", "name": "Neu", "status": "existing"},
         "geometry": {"type": "LineString", "coordinates": [[11.03333, 51.43333], [11.07639, 51.46472]]}}])
    before = tree_digest(sample)
    clash = run("segments", "import", str(src))
    assert clash.exit_code == 1 and "use --update" in clash.stderr
    assert tree_digest(sample) == before
    assert run("segments", "import", str(src), "--update").exit_code == 0
    assert json.loads(run("segments", "show", "kelbra-rossla", "--json").stdout)["properties"]["name"] == "Neu"


def test_import_bad_file_names_it(run, sample: Path, tmp_path: Path) -> None:
    src = _write(tmp_path / "kaputt.geojson", [
        {"type": "Feature", "properties": {"id": "a", "name": "A"},
         "geometry": {"type": "Polygon", "coordinates": []}}])
    before = tree_digest(sample)
    result = run("segments", "import", str(src))
    assert result.exit_code == 1
    assert f"Error: {src}: feature 'a' (#0): field 'geometry': wrong geometry type 'Polygon'" in result.stderr
    assert tree_digest(sample) == before
    assert run("segments", "import", str(tmp_path / "fehlt.geojson")).exit_code == 2
