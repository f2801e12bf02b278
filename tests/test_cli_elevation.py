"""``radweg elevation``: heights from terrain models into the data, checked with an independent sampler."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import Result

from tests.conftest import tree_digest

DGM = ("msh", "bkg-dgm1000", "DGM1000_EPSG31467.asc")


class AsciiGrid:
    """An ESRI ASCII grid read with numpy and sampled bilinearly: not radweg's code."""

    def __init__(self, path: Path, epsg: int) -> None:
        from pyproj import Transformer

        with path.open(encoding="ascii") as f:
            head = {k.lower(): float(v) for k, v in (next(f).split() for _ in range(6))}
        self.z = np.loadtxt(path, skiprows=6)
        self.z[self.z == head["nodata_value"]] = np.nan
        self.size = head["cellsize"]
        self.x0 = head.get("xllcenter", head.get("xllcorner", 0.0) + self.size / 2)
        self.y0 = head.get("yllcenter", head.get("yllcorner", 0.0) + self.size / 2)
        self.to_grid = Transformer.from_crs(4326, epsg, always_xy=True)

    def __call__(self, lon: float, lat: float) -> float:
        x, y = self.to_grid.transform(lon, lat)
        col = (x - self.x0) / self.size
        row = (self.z.shape[0] - 1) - (y - self.y0) / self.size  # rows run north to south
        i, j = int(np.floor(col)), int(np.floor(row))
        fx, fy = col - i, row - j
        z = self.z
        return float(z[j, i] * (1 - fx) * (1 - fy) + z[j, i + 1] * fx * (1 - fy)
                     + z[j + 1, i] * (1 - fx) * fy + z[j + 1, i + 1] * fx * fy)


def _positions(sample: Path, kind: str) -> list[tuple[str, list[float]]]:
    path = {"segments": "routes/segments.geojson", "neighbours": "routes/neighbours.geojson",
            "pois": "pois/pois.geojson"}[kind]
    out = []
    for feat in json.loads((sample / path).read_text(encoding="utf-8"))["features"]:
        geom = feat["geometry"]
        if geom["type"] == "Point":
            coords = [geom["coordinates"]]
        elif geom["type"] == "LineString":
            coords = geom["coordinates"]
        else:
            coords = [c for line in geom["coordinates"] for c in line]
        out += [(feat["properties"]["id"], c) for c in coords]
    return out


@pytest.mark.realdata
def test_heights_from_the_dgm1000_equal_an_independent_bilinear_sample(
        run: Callable[..., Result], sample: Path, realdata: Path) -> None:
    dgm = realdata.joinpath(*DGM)
    result = run("elevation", "--dem", str(dgm), "--dem-crs", "EPSG:31467")
    assert result.exit_code == 0, result.output
    grid = AsciiGrid(dgm, 31467)
    for kind in ("segments", "neighbours", "pois"):
        found = _positions(sample, kind)
        assert found
        for fid, c in found:
            assert len(c) == 3, (kind, fid)
            assert c[2] == pytest.approx(grid(c[0], c[1]), abs=1.0), (kind, fid, c)
    # the sample's own clip gives the same heights (it is an exact copy of those cells)
    before = tree_digest(sample / "routes")
    assert run("elevation").exit_code == 0
    assert tree_digest(sample / "routes") == before


def test_the_sample_heights_are_those_of_its_clip(run: Callable[..., Result], sample: Path) -> None:
    grid = AsciiGrid(sample / "terrain" / "dgm1000-msh.asc", 31467)
    for kind in ("segments", "neighbours", "pois"):
        for fid, c in _positions(sample, kind):
            assert c[2] == pytest.approx(grid(c[0], c[1]), abs=0.06), (kind, fid, c)


def test_only_the_named_features_change_and_dry_run_writes_nothing(
        run: Callable[..., Result], sample: Path, tmp_path: Path) -> None:
    asc = tmp_path / "flat.asc"
    asc.write_text("ncols 3\nnrows 3\nxllcorner 10.0\nyllcorner 51.0\ncellsize 1.0\nNODATA_value -9999\n"
                   + "100 100 100\n" * 3, encoding="ascii")
    before = tree_digest(sample)
    dry = run("elevation", "--dem", str(asc), "--dem-crs", "EPSG:4326", "--dry-run", "--json", "kelbra-rossla")
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.stdout)
    assert report["segments"]["features"] == 1 and report["pois"]["features"] == 0 and report["saved"] == []
    assert tree_digest(sample) == before
    done = run("elevation", "--dem", str(asc), "--dem-crs", "EPSG:4326", "kelbra-rossla")
    assert done.exit_code == 0, done.output
    heights = {fid: c[2] for fid, c in _positions(sample, "segments")}
    assert heights["kelbra-rossla"] == 100.0
    assert sum(h == 100.0 for h in heights.values()) == 1


@pytest.mark.realdata
def test_a_terrain_model_that_does_not_cover_the_data_is_one_line_and_changes_nothing(
        run: Callable[..., Result], sample: Path, realdata: Path) -> None:
    tile = realdata / "graphhopper" / "core" / "files" / "N50E011.hgt.zip"
    before = tree_digest(sample)
    result = run("elevation", "--dem", str(tile))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert "routes/segments.geojson" in result.output and "N50E011.hgt.zip" in result.output
    assert "not covered by the terrain model" in result.output
    assert tree_digest(sample) == before


def test_bad_terrain_models_are_one_line_errors(run: Callable[..., Result], sample: Path, tmp_path: Path) -> None:
    asc = tmp_path / "grid.asc"
    asc.write_text("ncols 2\nnrows 2\nxllcorner 10\nyllcorner 51\ncellsize 1\n1 2\n3 4\n", encoding="ascii")
    cases = [(["--dem", str(tmp_path / "none.tif")], "terrain model not found"),
             (["--dem", str(asc)], "no coordinate reference system"),
             (["--dem", str(asc), "--dem-crs", "EPSG:4326", "no-such-id"], "no segment, neighbouring route or POI")]
    before = tree_digest(sample)
    for args, message in cases:
        result = run("elevation", *args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and result.output.count("\n") == 1, result.output
    assert tree_digest(sample) == before


def test_without_a_configured_or_given_dem_it_says_what_to_do(run: Callable[..., Result], sample: Path) -> None:
    settings = sample / "radweg.json"
    project = json.loads(settings.read_text(encoding="utf-8"))
    del project["dem"]
    settings.write_text(json.dumps(project), encoding="utf-8")
    result = run("elevation")
    assert result.exit_code == 1 and "give --dem PATH" in result.output


def test_a_configured_dem_that_does_not_cover_a_tour_names_segment_tour_and_dem(
        run: Callable[..., Result], sample: Path) -> None:
    asc = sample / "terrain" / "small.asc"
    asc.write_text("ncols 2\nnrows 2\nxllcorner 11.0\nyllcorner 51.4\ncellsize 0.05\n1 2\n3 4\n", encoding="ascii")
    settings = sample / "radweg.json"
    project = json.loads(settings.read_text(encoding="utf-8"))
    project["dem"], project["dem_crs"] = ["terrain/small.asc"], "EPSG:4326"
    settings.write_text(json.dumps(project), encoding="utf-8")
    result = run("stats")
    assert result.exit_code == 1
    assert result.output.startswith("Error: segment '") and "(tour '" in result.output
    assert "terrain/small.asc (radweg.json dem)" in result.output and result.output.count("\n") == 1
