"""Reading terrain models: SRTM tiles checked against their raw grid, ESRI ASCII grids and their CRS, voids."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from radweg.elevation.dem import VOID_SEARCH_CELLS, Dem, hgt_origin
from radweg.errors import DataError, StorageError

TILES = ("graphhopper", "core", "files")


def _raw_tile(path: Path) -> np.ndarray:
    """The SRTM tile's grid straight from the zip: big-endian int16, rows north to south."""
    with zipfile.ZipFile(path) as zf:
        data = zf.read(path.name.removesuffix(".zip"))
    n = int(round((len(data) // 2) ** 0.5))
    return np.frombuffer(data, dtype=">i2").reshape(n, n).astype(float)


def _bilinear_lonlat(raw: np.ndarray, lon0: float, lat0: float, lon: float, lat: float) -> float:
    """Independent bilinear sampling: cell centres at lon0 + i/1200, lat0 + 1 - j/1200."""
    n = raw.shape[0] - 1
    x, y = (lon - lon0) * n, (lat0 + 1 - lat) * n
    i, j = int(np.floor(x)), int(np.floor(y))
    fx, fy = x - i, y - j
    return float(raw[j, i] * (1 - fx) * (1 - fy) + raw[j, i + 1] * fx * (1 - fy)
                 + raw[j + 1, i] * (1 - fx) * fy + raw[j + 1, i + 1] * fx * fy)


def test_hgt_names_give_the_south_west_corner() -> None:
    assert hgt_origin("N50E011.hgt.zip") == (11.0, 50.0)
    assert hgt_origin("s09w078.hgt") == (-78.0, -9.0)
    assert hgt_origin("N50E011.SRTMGL1.hgt.zip") == (11.0, 50.0)
    assert hgt_origin("dgm.tif") is None and hgt_origin("N50E011.tif") is None


@pytest.mark.realdata
def test_an_srtm_zip_tile_has_cell_centres_on_whole_degrees(realdata: Path) -> None:
    path = realdata.joinpath(*TILES, "N50E011.hgt.zip")
    raw = _raw_tile(path)
    assert raw.shape == (1201, 1201)
    with Dem(path) as dem:
        # cell centres: the top-left cell is 11°E 51°N, the bottom-right 12°E 50°N
        corners = dem.sample([(11.0, 51.0), (12.0, 50.0), (11.5, 50.5), (11.0 + 37 / 1200, 51.0 - 905 / 1200)])
        assert corners == [raw[0, 0], raw[1200, 1200], raw[600, 600], raw[905, 37]]
        rng = np.random.default_rng(10)
        pts = [(11.0 + float(a), 50.0 + float(b)) for a, b in rng.uniform(0.001, 0.999, size=(300, 2))]
        got = dem.sample(pts)
    want = [_bilinear_lonlat(raw, 11.0, 50.0, lon, lat) for lon, lat in pts]
    void = raw == -32768
    checked = 0
    for (lon, lat), g, w in zip(pts, got, want, strict=True):
        j, i = int((51.0 - lat) * 1200), int((lon - 11.0) * 1200)
        if void[j:j + 2, i:i + 2].any():
            continue
        assert g == pytest.approx(w, abs=0.051), (lon, lat)
        checked += 1
    assert checked >= 290


@pytest.mark.realdata
def test_an_unzipped_hgt_tile_reads_the_same(realdata: Path, tmp_path: Path) -> None:
    path = realdata.joinpath(*TILES, "N49E011.hgt.zip")
    with zipfile.ZipFile(path) as zf:
        zf.extract("N49E011.hgt", tmp_path)
    pts = [(11.2, 49.3), (11.8765, 49.9012), (11.0, 50.0)]
    with Dem(path) as zipped, Dem(tmp_path / "N49E011.hgt") as plain:
        got = zipped.sample(pts)
        assert plain.sample(pts) == got
    assert got[2] == _raw_tile(path)[0, 0]  # 11°E 50°N: the top-left cell centre
    # NASA's naming (N49E011.SRTMGL3.hgt.zip): the tile inside names its position
    nasa = tmp_path / "N49E011.SRTMGL3.hgt.zip"
    with zipfile.ZipFile(nasa, "w") as zf:
        zf.write(tmp_path / "N49E011.hgt", "N49E011.hgt")
    with Dem(nasa) as dem:
        assert dem.sample(pts) == got


@pytest.mark.realdata
def test_srtm_voids_are_filled_from_their_neighbours_never_zero(realdata: Path) -> None:
    path = realdata.joinpath(*TILES, "N50E011.hgt.zip")
    raw = _raw_tile(path)
    voids = np.argwhere(raw == -32768)
    assert len(voids) > 0
    inner = [(int(j), int(i)) for j, i in voids if 10 < j < 1190 and 10 < i < 1190]
    pts = [(11.0 + i / 1200, 51.0 - j / 1200) for j, i in inner]
    with Dem(path) as dem:
        got = dem.sample(pts)
    for (j, i), g in zip(inner, got, strict=True):
        r = VOID_SEARCH_CELLS
        around = raw[j - r:j + r + 1, i - r:i + r + 1]
        valid = around[around != -32768]
        assert g is not None and g != 0
        assert valid.min() - 0.05 <= g <= valid.max() + 0.05


@pytest.mark.realdata
def test_two_srtm_tiles_form_one_mosaic(realdata: Path) -> None:
    south, north = realdata.joinpath(*TILES, "N49E011.hgt.zip"), realdata.joinpath(*TILES, "N50E011.hgt.zip")
    raw_s, raw_n = _raw_tile(south), _raw_tile(north)
    assert (raw_s[0] == raw_n[-1]).all()  # the tiles share their edge row at 50°N
    pts = [(11.3004, 49.9931), (11.3004, 50.0), (11.3004, 50.0069), (11.71, 49.2), (11.71, 50.8)]
    with Dem([north, south]) as dem:
        got = dem.sample(pts)
    want = [_bilinear_lonlat(raw_s, 11.0, 49.0, *pts[0]), _bilinear_lonlat(raw_s, 11.0, 49.0, *pts[1]),
            _bilinear_lonlat(raw_n, 11.0, 50.0, *pts[2]), _bilinear_lonlat(raw_s, 11.0, 49.0, *pts[3]),
            _bilinear_lonlat(raw_n, 11.0, 50.0, *pts[4])]
    assert want[1] == pytest.approx(_bilinear_lonlat(raw_n, 11.0, 50.0, 11.3004, 50.0 + 1e-12), abs=0.01)
    for g, w in zip(got, want, strict=True):
        assert g == pytest.approx(w, abs=0.051)
    with Dem(north) as dem:
        assert dem.sample([(11.5, 49.5)]) == [None]


def _asc(path: Path, prj: str | None = None) -> None:
    """A 4 x 3 grid in UTM 32N, 1 km cells, lower-left cell centre (650000, 5700000), one void."""
    path.write_text("ncols 4\nnrows 3\nxllcenter 650000\nyllcenter 5700000\ncellsize 1000\nNODATA_value -9999\n"
                    "300 310 320 330\n200 210 -9999 230\n100 110 120 130\n", encoding="ascii")
    if prj is not None:
        path.with_suffix(".prj").write_text(prj, encoding="ascii")


def _lonlat(x: float, y: float) -> tuple[float, float]:
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(25832, 4326, always_xy=True).transform(x, y)
    return float(lon), float(lat)


def test_an_ascii_grid_needs_a_crs_from_a_prj_or_the_caller(tmp_path: Path) -> None:
    asc = tmp_path / "dgm.asc"
    _asc(asc)
    with pytest.raises(DataError, match=r"dgm.asc: the terrain model has no coordinate reference system"):
        Dem(asc)
    with Dem(asc, crs="EPSG:25832") as dem:
        # halfway between the centres of 100 and 110 and of 200 and 210: 155
        assert dem.sample([_lonlat(650500, 5700500)]) == [pytest.approx(155.0, abs=0.05)]
    with pytest.raises(DataError, match="is not a coordinate reference system"):
        Dem(asc, crs="EPSG:nope")


def test_a_prj_beside_the_grid_names_its_crs(tmp_path: Path) -> None:
    from pyproj import CRS

    asc = tmp_path / "dgm.asc"
    _asc(asc, CRS.from_epsg(25832).to_wkt("WKT1_ESRI"))
    with Dem(asc) as dem:
        assert dem.sample([_lonlat(653000, 5702000)]) == [pytest.approx(330.0, abs=0.05)]
    with pytest.raises(DataError, match="has its own CRS"):
        Dem(asc, crs="EPSG:31467")


def test_a_void_in_a_grid_is_interpolated_and_a_point_outside_has_none(tmp_path: Path) -> None:
    asc = tmp_path / "dgm.asc"
    _asc(asc)
    with Dem(asc, crs="EPSG:25832") as dem:
        on_void, outside = dem.sample([_lonlat(652000, 5701000), _lonlat(660000, 5701000)])
    # inverse-distance mean of the valid cells around the void (distances 1, 1, 1, 1, sqrt 2 ...)
    assert on_void is not None and 150.0 < on_void < 300.0
    assert outside is None


def test_a_missing_or_broken_file_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="terrain model not found"):
        Dem(tmp_path / "none.tif")
    bad = tmp_path / "N50E011.hgt.zip"
    bad.write_text("not a zip")
    with pytest.raises(StorageError, match="cannot read the zip"):
        Dem(bad)
