"""Benchmark: importing a 100,000-point GPX track.

Baseline, measured in the same run: a plain ``lxml.etree.parse`` of the same file (no checks, no model).
Also shown for reference: ``gpxpy.parse``.
Run with plain python:  PYTHONPATH=. python benchmarks/gpx_import.py
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, peak_rss_mb, report_rss

from radweg.gpx.importer import segment_features
from radweg.gpx.xmlio import GpxPath, Metadata, read_gpx, write_gpx

POINTS = 100_000


def make_file(path: Path) -> None:
    coords = [(11.0 + i * 0.0000288, 51.45 + 0.02 * math.sin(i / 5000.0), 150.0 + 50 * math.sin(i / 3000.0))
              for i in range(POINTS)]
    path.write_bytes(write_gpx(Metadata("Benchmark"), [GpxPath("trk", "Befahrung", (coords,))]))


def _cases(path: Path) -> dict[str, tuple[str, object]]:
    from lxml import etree

    return {
        "lxml": ("lxml etree.parse (baseline)", lambda: etree.parse(str(path))),
        "read": ("radweg read_gpx (safe parse + range checks)", lambda: read_gpx(path)),
        "import": ("radweg segment import (read + features)", lambda: segment_features(path, {"status": "planned"})),
        "gpxpy": ("gpxpy.parse (reference)", lambda: _gpxpy(path)),
        "none": ("(python + imports only)", lambda: None),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--case":  # child process for the memory figure
        _cases(Path(sys.argv[3]))[sys.argv[2]][1]()  # type: ignore[operator]
        report_rss()
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ride.gpx"
        make_file(path)
        print(f"file: {POINTS} trkpt with elevation, {path.stat().st_size / 1e6:.1f} MB")
        cases = _cases(path)
        results = [(name, best_time(fn) if key != "none" else 0.0, peak_rss_mb(Path(__file__), key, str(path)))
                   for key, (name, fn) in cases.items()]
    t0, m0 = results[0][1], results[0][2]
    print(f"{'':46}{'time s':>9}{'peak RSS MB':>13}{'time ratio':>12}{'RSS ratio':>11}")
    for name, t, m in results:
        print(f"{name:46}{t:9.3f}{m:13.1f}{t / t0:12.2f}{m / m0:11.2f}")
    print("time: best of 5 in this process; peak RSS: a fresh process per case (imports included)")


def _gpxpy(path: Path) -> object:
    import gpxpy

    with open(path, encoding="utf-8") as fh:
        return gpxpy.parse(fh)


if __name__ == "__main__":
    main()
