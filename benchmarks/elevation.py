"""Benchmark: heights along a line from a terrain model (radweg.elevation.drape) as the line grows.

A zigzag line of 10, 100 and 1,000 km over the SRTM3 tile N50E011.hgt.zip (1201 x 1201 cells, read inside
the zip; ../shared/realdata or $RADWEG_SHARED), densified every 20 m. Cases, interleaved, median of 7 runs:

- baseline: rasterio's own point sampling (``DatasetReader.sample``, nearest cell, no interpolation) of the
  same densified positions, on an already open dataset: what one would write without radweg;
- radweg: ``Dem.sample`` (bilinear, voids filled) of the same positions, and ``drape`` (densify + sample)
  of the line, on an already open ``Dem``.

Run with plain python:  PYTHONPATH=. python benchmarks/elevation.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import realdata

from radweg.elevation import Dem, densify, drape
from radweg.geometry import line_length_m

SIZES_KM = (10, 100, 1000)
RUNS = 7


def zigzag(km: float) -> list[tuple[float, float]]:
    """A line of about ``km`` kilometres zigzagging north and south across the tile (legs of ~10 km)."""
    pts = [(11.05, 50.1)]
    lon, north = 11.05, True
    while line_length_m(pts) < km * 1000.0:
        lon = 11.05 + (lon - 11.05 + 0.01) % 0.9
        pts.append((lon, 50.19 if north else 50.1))
        north = not north
    return pts


def median_times(cases: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Median seconds per case, the cases run in turn (interleaved) so drifts of the machine hit all alike."""
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(RUNS):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    import rasterio

    tile = realdata("graphhopper/core/files/N50E011.hgt.zip")
    if not tile.exists():
        raise SystemExit(f"{tile} is not present")
    dem = Dem(tile)
    ds = rasterio.open(f"/vsizip/{tile}/N50E011.hgt")
    print(f"terrain model: {tile.name} (SRTM3, 1201 x 1201 cells); median of {RUNS} interleaved runs")
    print(f"{'line':>8} {'points':>8} {'rasterio sample':>16} {'radweg sample':>14} {'radweg drape':>13} "
          f"{'sample/baseline':>16}")
    for km in SIZES_KM:
        line = zigzag(km)
        dense = densify(line, 20.0)
        xy = [(c[0], c[1]) for c in dense]
        t = median_times({
            "baseline": lambda xy=xy: list(ds.sample(xy)),
            "sample": lambda dense=dense: dem.sample(dense),
            "drape": lambda line=line: drape(line, dem),
        })
        print(f"{km:>6} km {len(dense):>8} {t['baseline'] * 1000:>13.1f} ms {t['sample'] * 1000:>11.1f} ms "
              f"{t['drape'] * 1000:>10.1f} ms {t['sample'] / t['baseline']:>15.2f}x")
    ds.close()
    dem.close()


if __name__ == "__main__":
    main()
