"""``radweg init`` and ``radweg validate``, and bad input of every kind."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from radweg.cli.main import cli
from tests.conftest import tree_digest


def test_init_creates_an_empty_valid_folder(runner, tmp_path: Path) -> None:
    target = tmp_path / "neu"
    result = runner.invoke(cli, ["init", str(target), "--name", "Testroute", "--bbox", "10,50,12,52"])
    assert result.exit_code == 0, result.output
    assert json.loads((target / "radweg.json").read_text())["bbox"] == [10.0, 50.0, 12.0, 52.0]
    for rel in ("routes/segments.geojson", "routes/tours.geojson", "routes/neighbours.geojson", "pois/pois.geojson"):
        assert json.loads((target / rel).read_text()) == {"type": "FeatureCollection", "features": []}
    check = runner.invoke(cli, ["--data", str(target), "validate"])
    assert check.exit_code == 0
    assert "valid: 0 segments" in check.stderr


def test_init_refuses_existing_data(runner, sample: Path) -> None:
    before = tree_digest(sample)
    result = runner.invoke(cli, ["init", str(sample)])
    assert result.exit_code == 1
    assert "already holds radweg data" in result.stderr
    assert tree_digest(sample) == before


def test_init_bad_bbox_is_usage_error(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["init", str(tmp_path / "x"), "--bbox", "12,50,10,52"])
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_validate_sample_is_clean(run) -> None:
    result = run("validate", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert [p for p in report["problems"] if p["severity"] == "error"] == []


def test_validate_on_a_folder_without_data(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--data", str(tmp_path), "validate"])
    assert result.exit_code == 1
    assert "not a radweg data folder" in result.stderr
    assert "Traceback" not in result.output


def _edit(path: Path, fn) -> None:  # type: ignore[no-untyped-def]
    obj = json.loads(path.read_text())
    fn(obj)
    path.write_text(json.dumps(obj, allow_nan=True))


def _set(i: int, key: str, value: object):  # type: ignore[no-untyped-def]
    def fn(obj):  # type: ignore[no-untyped-def]
        obj["features"][i]["properties"][key] = value
    return fn


def _geom(i: int, geometry: object):  # type: ignore[no-untyped-def]
    def fn(obj):  # type: ignore[no-untyped-def]
        obj["features"][i]["geometry"] = geometry
    return fn


SEGS = "routes/segments.geojson"
POIS = "pois/pois.geojson"
TOURS = "routes/tours.geojson"

BAD_INPUTS = {
    "invalid json": (SEGS, lambda p: p.write_text('{"type": "FeatureCollection", "features": [,]}'),
                     ["routes/segments.geojson: invalid JSON at line 1"]),
    "not utf-8": (POIS, lambda p: p.write_bytes(p.read_bytes().replace("Müntzer".encode(), b"M\xfcntzer")),
                  ["pois/pois.geojson: not UTF-8 text"]),
    "wrong geometry type": (SEGS, lambda p: _edit(p, _geom(0, {"type": "Point", "coordinates": [11.0, 51.4]})),
                            ["feature 'allstedt-roeblingen' (#0): field 'geometry': wrong geometry type 'Point'"]),
    "swapped lat/lon": (POIS, lambda p: _edit(p, _geom(0, {"type": "Point", "coordinates": [51.49436, 11.28637]})),
                        ["pois/pois.geojson: feature '", "field 'geometry'", "swapped"]),
    "latitude out of range": (POIS, lambda p: _edit(p, _geom(0, {"type": "Point", "coordinates": [11.0, 91.0]})),
                              ["field 'geometry'", "latitude 91.0 is out of range"]),
    "NaN": (SEGS, lambda p: _edit(p, _geom(0, {"type": "LineString",
                                               "coordinates": [[11.0, 51.4], [float("nan"), 51.5]]})),
            ["feature 'allstedt-roeblingen' (#0): field 'geometry'", "NaN and infinity"]),
    "infinity": (POIS, lambda p: _edit(p, _geom(0, {"type": "Point", "coordinates": [float("inf"), 51.5]})),
                 ["field 'geometry'", "NaN and infinity"]),
    "empty linestring": (SEGS, lambda p: _edit(p, _geom(1, {"type": "LineString", "coordinates": []})),
                         ["feature 'eisleben-fortschritt' (#1): field 'geometry'", "has 0"]),
    "one-point linestring": (SEGS, lambda p: _edit(p, _geom(1, {"type": "LineString", "coordinates": [[11, 51.5]]})),
                             ["field 'geometry'", "needs at least 2 positions, has 1"]),
    "duplicate ids": (POIS, lambda p: _edit(p, _set(1, "id", "bahnhof-berga-kelbra")),
                      ["feature 'bahnhof-berga-kelbra' (#", "field 'id': duplicate id 'bahnhof-berga-kelbra' (also "
                       "feature #"]),
    "unknown status": (SEGS, lambda p: _edit(p, _set(2, "status", "gesperrt")),
                       ["feature 'eisleben-roeblingen' (#2): field 'status': unknown value 'gesperrt'"]),
    "unknown type": (POIS, lambda p: _edit(p, _set(2, "type", "burg")),
                     ["field 'type': unknown value 'burg'"]),
    "tour names a missing segment": (TOURS, lambda p: _edit(p, _set(0, "segments", ["klostermansfeld-arnstein:r",
                                                                                      "gibt-es-nicht"])),
                                     ["routes/tours.geojson: feature 'nord-sued': field 'segments': "
                                      "names segment 'gibt-es-nicht', which does not exist"]),
    "stage off its tour": (TOURS, lambda p: _edit(p, lambda o: o["features"][0]["properties"]["stages"][0]["end"]
                                                  .__setitem__("coordinates", [11.7, 51.3])),
                           ["feature 'nord-sued': field 'stages[0].end'", "from the tour"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_clear_errors_and_changes_nothing(run, sample: Path, case: str) -> None:
    rel, damage, expected = BAD_INPUTS[case]
    damage(sample / rel)
    before = tree_digest(sample)
    result = run("validate")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors, result.stderr
    assert all(fragment in result.stderr for fragment in expected), result.stderr
    assert "Traceback" not in result.output
    # every other command refuses the same data with the same message and writes nothing
    for args in (["segments", "set", "kelbra-rossla", "notes=x"], ["pois", "remove", "schloss-mansfeld"],
                 ["stats"]):
        other = run(*args)
        assert other.exit_code == 1, (args, other.output)
        assert other.stderr.startswith("Error: ")
        assert "Traceback" not in other.output
    assert tree_digest(sample) == before


def test_unwritable_file_is_refused_and_left_alone(run, sample: Path) -> None:
    path = sample / SEGS
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = tree_digest(sample)
    result = run("segments", "set", "kelbra-rossla", "notes=neu")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: routes/segments.geojson: file is not writable (read-only)"
    assert tree_digest(sample) == before
    assert not list(path.parent.glob(".*.tmp"))


def test_debug_shows_traceback(run, sample: Path) -> None:
    (sample / SEGS).write_text("{")
    result = run("stats")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    from click.testing import CliRunner

    from radweg.cli.main import cli as main_cli

    debug = CliRunner().invoke(main_cli, ["--debug", "--data", str(sample), "stats"])
    assert debug.exit_code == 1
    assert isinstance(debug.exception, Exception) and type(debug.exception).__name__ == "ValidationError"
