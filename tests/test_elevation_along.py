"""Sampling a GeoTIFF made here along lines: bilinear, nodata, densifying, draping, coverage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from radweg.elevation import Dem, climb, densify, drape
from radweg.errors import DataError, StorageError
from radweg.geometry import line_length_m


def _make_dem(path: Path, *, crs: str = "EPSG:4326") -> None:
    """A 0.2° x 0.2° plane rising 1 m per 0.001° of longitude (100 m per 0.1°) from 100 m at 11.0°E."""
    import numpy as np
    import rasterio
    from affine import Affine

    res = 0.001
    width = height = 200
    cols = np.arange(width)
    row = 100.0 + (cols + 0.5) * res * 1000.0  # 1 m per 0.001 deg at pixel centres
    data = np.tile(row, (height, 1)).astype("float32")
    data[0:5, 0:5] = -9999.0
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                       crs=crs, transform=Affine(res, 0.0, 11.0, 0.0, -res, 51.6), nodata=-9999.0) as ds:
        ds.write(data, 1)


def test_dem_sampling_is_bilinear_and_respects_nodata(tmp_path: Path) -> None:
    tif = tmp_path / "dem.tif"
    _make_dem(tif)
    with Dem(tif) as dem:
        values = dem.sample([(11.05, 51.5), (11.1234, 51.45), (10.5, 51.5), (11.0012, 51.5988)])
    assert values[0] == pytest.approx(150.0, abs=0.05)
    assert values[1] == pytest.approx(223.4, abs=0.05)
    assert values[2] is None  # outside the raster
    assert values[3] is None  # nodata corner


def test_drape_gives_ascent_from_the_dem(tmp_path: Path) -> None:
    tif = tmp_path / "dem.tif"
    _make_dem(tif)
    line = [(11.02, 51.5), (11.12, 51.5), (11.07, 51.5)]  # up 100 m, then down 50 m
    with Dem(tif) as dem:
        draped = drape(line, dem)
    assert len(draped) > 300 and all(len(p) == 3 for p in draped)
    c = climb(draped)
    assert c is not None
    assert c.ascent_m == pytest.approx(100.0, abs=3.0) and c.descent_m == pytest.approx(50.0, abs=3.0)


def test_densify_keeps_the_length(tmp_path: Path) -> None:
    line = [(11.0, 51.0), (11.1, 51.05)]
    dense = densify(line, 25.0)
    assert line_length_m(dense) == pytest.approx(line_length_m(line), rel=1e-6)
    assert max(line_length_m(dense[i:i + 2]) for i in range(len(dense) - 1)) <= 25.01


def test_a_file_that_is_not_a_raster_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "dem.tif"
    bad.write_text("not a tiff")
    with pytest.raises(StorageError, match="cannot open as a raster"):
        Dem(bad)


def test_a_line_the_dem_does_not_cover_is_an_error_naming_line_and_dem(tmp_path: Path) -> None:
    tif = tmp_path / "dem.tif"
    _make_dem(tif)
    with Dem(tif) as dem, pytest.raises(DataError, match=r"^segment 'x': not covered by the terrain model .*dem.tif"):
        drape([(11.1, 51.5), (11.3, 51.5)], dem, label="segment 'x'")
