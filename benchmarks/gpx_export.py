"""Benchmark: GPX export of a 250 km tour with a point every 2 m (125,000 points) and 100 POIs.

Baseline, measured in the same run: a bare gpxpy ``GPX.to_xml()`` of the same points and waypoints.
Run with plain python:  PYTHONPATH=. python benchmarks/gpx_export.py
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, peak_rss_mb, report_rss

from radweg.gpx.export import export_gpx
from radweg.model import Collection, Dataset, Leg, Place, Poi, Segment, Stage, Tour

POINTS = 125_000
STEP_DEG = 0.0000288  # about 2.0 m of longitude at 51.5° N
SEGMENTS = 50
POIS = 100


def build() -> Dataset:
    coords = []
    for i in range(POINTS):
        lon = 10.9 + i * STEP_DEG * math.cos(i / 20000.0)
        lat = 51.45 + 0.03 * math.sin(i / 9000.0) + i * STEP_DEG * 0.4 * abs(math.sin(i / 20000.0))
        coords.append((round(lon, 6), round(lat, 6), round(150 + 80 * math.sin(i / 7000.0), 1)))
    per = POINTS // SEGMENTS
    segs = [Segment(f"s{n:03d}", f"Abschnitt {n}", tuple(coords[n * per: min(POINTS, (n + 1) * per + 1)]),
                    "existing", source="Benchmark") for n in range(SEGMENTS)]
    stages = []
    cuts = [0, POINTS // 5, 2 * POINTS // 5, 3 * POINTS // 5, 4 * POINTS // 5, POINTS - 1]
    for k in range(5):
        a, b = coords[cuts[k]], coords[cuts[k + 1]]
        stages.append(Stage(f"etappe-{k + 1}", f"Etappe {k + 1}",
                            Place(f"Ort {k}", a[:2]), Place(f"Ort {k + 1}", b[:2])))
    tour = Tour("bench", "Benchmark-Tour", tuple(Leg(s.id) for s in segs), tuple(stages))
    pois = [Poi(f"poi-{n:03d}", f"POI {n}", "halde", (coords[n * POINTS // POIS][0],
                                                       coords[n * POINTS // POIS][1] + 0.001), "Beschreibung")
            for n in range(POIS)]
    return Dataset(Collection(segs), Collection([tour]), Collection(pois), Collection(), {"name": "Bench"})


def gpxpy_baseline(ds: Dataset) -> bytes:
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    for p in ds.pois.items:
        gpx.waypoints.append(gpxpy.gpx.GPXWaypoint(p.lat, p.lon, name=p.name, description=p.description))
    trk = gpxpy.gpx.GPXTrack(name="Benchmark-Tour")
    seg = gpxpy.gpx.GPXTrackSegment()
    last = None
    for s in ds.segments.items:
        for c in s.coords:
            if c == last:
                continue
            seg.points.append(gpxpy.gpx.GPXTrackPoint(c[1], c[0], elevation=c[2]))
            last = c
    trk.segments.append(seg)
    gpx.tracks.append(trk)
    return gpx.to_xml().encode("utf-8")


def _cases(ds: Dataset, out: Path) -> dict[str, tuple[str, object]]:
    return {
        "gpxpy": ("gpxpy to_xml() (baseline)", lambda: gpxpy_baseline(ds)),
        "whole": ("radweg export: whole tour (trk + wpt)",
                  lambda: export_gpx(ds, out / "a", per_stage=False, bundle=False, corridor_m=500)),
        "full": ("radweg export: full set", lambda: export_gpx(ds, out / "b", as_route=True, corridor_m=500)),
        "none": ("(python + imports + building the data only)", lambda: None),
    }


def main() -> None:
    ds = build()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cases = _cases(ds, out)
        if len(sys.argv) == 3 and sys.argv[1] == "--case":  # child process for the memory figure
            cases[sys.argv[2]][1]()  # type: ignore[operator]
            report_rss()
            return
        files = cases["whole"][1]()  # type: ignore[operator]
        print(f"tour: {files[0].points} points, {files[0].waypoints} waypoints in the corridor, "
              f"{files[0].path.stat().st_size / 1e6:.1f} MB")
        n_full = len(cases["full"][1]())  # type: ignore[operator]
        results = [(name + (f" ({n_full} files)" if key == "full" else ""),
                    best_time(fn) if key != "none" else 0.0, peak_rss_mb(Path(__file__), key))
                   for key, (name, fn) in cases.items()]
    t0, m0 = results[0][1], results[0][2]
    print(f"{'':50}{'time s':>9}{'peak RSS MB':>13}{'time ratio':>12}{'RSS ratio':>11}")
    for name, t, m in results:
        print(f"{name:50}{t:9.3f}{m:13.1f}{t / t0:12.2f}{m / m0:11.2f}")
    print("full set = whole tour + 5 stages as trk and capped rte (250 points) + ZIP, POIs as wpt, files written")
    print("time: best of 5 in this process; peak RSS: a fresh process per case (imports and data included)")


if __name__ == "__main__":
    main()
