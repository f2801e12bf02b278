"""``radweg publish`` and ``radweg export map`` from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from conftest import tree_digest


def test_export_map_writes_one_self_contained_file(run: Callable[..., Result], sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "m" / "map.html"
    res = run("export", "map", "-o", str(out), "--json")
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    n_pois = len(json.loads((sample / "pois" / "pois.geojson").read_text(encoding="utf-8"))["features"])
    assert info["assets"] == [] and info["counts"]["segments"] == 20 and info["counts"]["pois"] == n_pois
    assert info["max_deviation_m"] <= 4.8
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html and html.startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]


def test_export_map_with_an_asset_folder(run: Callable[..., Result], tmp_path: Path) -> None:
    res = run("export", "map", "-o", str(tmp_path / "m" / "map.html"), "--assets", "folder", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m" / "assets" / "leaflet.js").is_file()
    assert "Wrote" in res.stderr


def test_publish_builds_the_site(run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "site"
    res = run("publish", "-o", str(out), "--json")
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["counts"]["tours"] == 3 and (out / "index.html").is_file()
    assert info["files"] == len(json.loads((out / ".radweg-site.json").read_text())["files"])
    assert (out / "en" / "index.html").is_file() and not (out / "gaps.html").exists()
    res = run("publish", "--planner", "-o", str(tmp_path / "planner"), "--json")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "planner" / "gaps.html").is_file() and json.loads(res.stdout)["counts"]["gaps"] >= 1


def test_publish_usage_and_data_errors(run: Callable[..., Result], sample: Path, tmp_path: Path) -> None:
    res = run("publish", "--lang", "en", "-o", str(tmp_path / "x"))
    assert res.exit_code == 2 and "--lang" in res.output  # one site holds both languages
    res = run("publish", "--tolerance", "-1", "-o", str(tmp_path / "x"))
    assert res.exit_code == 2
    (sample / "pois" / "pois.geojson").write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                                                  '"properties": {"id": "a", "name": "A", "type": "nope"}, '
                                                  '"geometry": {"type": "Point", "coordinates": [11, 51]}}]}')
    before = tree_digest(sample)
    res = run("publish", "-o", str(tmp_path / "y"))
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: pois/pois.geojson") and "'type'" in res.stderr
    assert "Traceback" not in res.output and not (tmp_path / "y").exists()
    assert tree_digest(sample) == before


def test_publish_refuses_a_foreign_folder(run: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    res = run("publish", "-o", str(tmp_path / "mine"))
    assert res.exit_code == 1 and "not empty" in res.stderr and "Traceback" not in res.output


def test_default_output_is_in_the_data_folder(run: Callable[..., Result], sample: Path) -> None:
    res = run("publish")
    assert res.exit_code == 0, res.output
    assert (sample / "output" / "site" / "index.html").is_file()
    res = run("export", "map")
    assert res.exit_code == 0, res.output
    assert (sample / "output" / "map.html").is_file()
