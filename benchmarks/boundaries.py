"""Km per municipality: radweg's geodesic split against geopandas' overlay and a naive all-polygons loop.

    python benchmarks/boundaries.py [--repeat 5] [--sizes 100,400,1600]

Polygons: the 218 municipalities of Sachsen-Anhalt (LVermGeo's Einheitsgemeinde.zip + Gemeinde.zip from
../shared/realdata, or RADWEG_SHARED). Lines: N synthetic segments of 4 straight legs (20 steps), 2-20 km long, at
seeded random places in the state. Three ways to get metres per municipality:

* ``radweg``: :func:`radweg.boundaries.split_segments` (STRtree candidates, cut, geodesic lengths);
* ``overlay``: ``geopandas.overlay(lines, polygons, how="intersection")`` in UTM 32N and planar ``.length``,
  what a GIS user would write (its metres differ from geodesic ones by UTM's scale error, < 0.1 % here);
* ``naive``: every segment against every polygon, no index (same geodesic measure as radweg).

The runs are interleaved (one of each case per round) and the figure is the median; ratios are against
``overlay`` measured in the same round. The totals of all three are compared before timing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from radweg.boundaries import OUTSIDE, Area, BoundarySource, read_areas, split_segments  # noqa: E402
from radweg.model import Segment  # noqa: E402

SHARED = Path(os.environ.get("RADWEG_SHARED") or ROOT.parent / "shared")
LAYERS = SHARED / "realdata/msh/lvermgeo-boundaries-2022"


def synthetic_segments(n: int, seed: int = 42) -> list[Segment]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lon, lat = rng.uniform(10.7, 12.8), rng.uniform(51.0, 53.0)
        heading, step = rng.uniform(0, 6.283), rng.uniform(0.005, 0.05)
        pts = [(lon, lat)]
        for leg in range(20):  # 4 bends, each leg in 5 short steps (so UTM and lon/lat paths coincide)
            if leg % 5 == 0:
                heading += rng.uniform(-0.6, 0.6)
            lon, lat = lon + step / 5 * math.cos(heading) * 1.6, lat + step / 5 * math.sin(heading)
            pts.append((lon, lat))
        out.append(Segment(f"s{i}", f"S {i}", tuple(pts)))
    return out


def naive(segments: list[Segment], areas: list[Area]) -> dict[str, float]:
    from shapely.geometry import LineString

    from radweg.geometry import line_length_m

    out: dict[str, float] = {}
    for seg in segments:
        line = LineString(seg.coords)
        for a in areas:
            inside = line.intersection(a.geometry)
            for part in getattr(inside, "geoms", [inside]):
                if part.geom_type == "LineString" and not part.is_empty:
                    out[a.name] = out.get(a.name, 0.0) + line_length_m(list(part.coords))
    return out


def overlay(segments: list[Segment], polygons: Any) -> dict[str, float]:
    import geopandas as gpd
    from shapely.geometry import LineString

    lines = gpd.GeoDataFrame({"sid": [s.id for s in segments]},
                             geometry=[LineString(s.coords) for s in segments], crs=4326).to_crs(25832)
    cut = gpd.overlay(lines, polygons, how="intersection", keep_geom_type=True)
    return {str(k): float(v) for k, v in cut.geometry.length.groupby(cut["GN_KLAR"]).sum().items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="100,400,1600")
    args = parser.parse_args()
    if not LAYERS.is_dir():
        sys.exit(f"{LAYERS}: not found (set RADWEG_SHARED)")
    import geopandas as gpd
    import pandas as pd

    files = [LAYERS / "Einheitsgemeinde.zip", LAYERS / "Gemeinde.zip"]
    t0 = time.perf_counter()
    areas = read_areas([BoundarySource(f, "GN_KLAR") for f in files])
    read_s = time.perf_counter() - t0
    polygons = pd.concat([gpd.read_file(f)[["GN_KLAR", "geometry"]].set_crs(25832, allow_override=True)
                          for f in files], ignore_index=True)
    print(f"{len(areas)} municipalities read and reprojected by radweg in {read_s * 1000:.0f} ms")
    print(f"{'segments':>8} {'case':8} {'median ms':>10} {'x overlay':>10}  check")
    for n in [int(x) for x in args.sizes.split(",")]:
        segs = synthetic_segments(n)
        ours = {k: v for k, v in split_segments(segs, areas).by_area_m().items() if k != OUTSIDE}
        theirs = overlay(segs, polygons)
        brute = naive(segs, areas)
        agree = (set(ours) == {k for k, v in theirs.items() if v > 0.01} == {k for k, v in brute.items() if v > 0.01}
                 and all(abs(ours[k] - brute[k]) <= 1e-6 * brute[k] + 0.01 for k in ours)
                 and all(abs(ours[k] - theirs[k]) <= 2e-3 * theirs[k] + 5.0 for k in ours))
        cases = {"radweg": lambda segs=segs: split_segments(segs, areas),
                 "overlay": lambda segs=segs: overlay(segs, polygons),
                 "naive": lambda segs=segs: naive(segs, areas)}
        if n > 400:
            cases.pop("naive")  # minutes at this size; its growth is clear from the smaller ones
        times: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(args.repeat):
            for name, fn in cases.items():
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
        base = statistics.median(times["overlay"])
        check = "same km per municipality" if agree else "DIFFERENT"
        for name, ts in times.items():
            med = statistics.median(ts)
            print(f"{n:8d} {name:8} {med * 1000:10.1f} {med / base:10.2f}  {check}")


if __name__ == "__main__":
    main()
