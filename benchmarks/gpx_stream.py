"""Benchmark: streaming GPX import at growing file sizes, up to 200 MB (time and peak memory).

Cases, each in a fresh process (so peak RSS is its own), runs interleaved, medians reported:

- ``lxml``: baseline, a plain ``lxml.etree.parse`` of the whole file that then extracts every point's
  (lon, lat, ele) as floats: what a simple, unchecked reader does;
- ``read``: radweg's ``read_gpx`` (lxml iterparse, every point range-checked and dropped from the tree);
- ``import``: ``radweg segments import FILE --dry-run`` into an empty data folder: read, features, the
  whole validation, as a user runs it (the file has one track segment, so one segment).

The file imitates a device recording: one ``trkpt`` per second with ``ele`` and ``time``.
Run with plain python:  PYTHONPATH=. python benchmarks/gpx_stream.py [--sizes 25,50,100,200] [--rounds 3]
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report_rss

ROOT = Path(__file__).resolve().parent.parent


def make_file(path: Path, megabytes: int) -> int:
    """Write a GPX track of about ``megabytes`` MB; return its number of points."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
            'xmlns="http://www.topografix.com/GPX/1/1">\n<trk><name>Befahrung</name><trkseg>\n')
    target = megabytes * 1_000_000
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head)
        size = len(head)
        while size < target:
            rows = []
            for i in range(n, n + 10_000):
                lon = 11.0 + i * 0.0000288 % 0.8
                lat = 51.45 + 0.02 * math.sin(i / 5000.0)
                ele = 150.0 + 50 * math.sin(i / 3000.0)
                t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_780_000_000 + i))
                rows.append(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele><time>{t}</time></trkpt>\n')
            n += 10_000
            chunk = "".join(rows)
            fh.write(chunk)
            size += len(chunk)
        fh.write("</trkseg></trk>\n</gpx>\n")
    return n


def _lxml(path: Path) -> int:
    from lxml import etree

    tree = etree.parse(str(path))
    ns = "{http://www.topografix.com/GPX/1/1}"
    pts = [(float(p.get("lon")), float(p.get("lat")), float(p.findtext(f"{ns}ele")))
           for p in tree.iter(f"{ns}trkpt")]
    return len(pts)


def _read(path: Path) -> int:
    from radweg.gpx.xmlio import read_gpx

    doc = read_gpx(path)
    return sum(len(s) for t in doc.tracks for s in t.segments)


def _import(path: Path) -> int:
    from click.testing import CliRunner

    from radweg.cli.main import cli

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "d"
        CliRunner().invoke(cli, ["init", str(data), "--bbox", "10.8,51.2,11.9,51.8"], catch_exceptions=False)
        result = CliRunner().invoke(cli, ["--data", str(data), "segments", "import", str(path), "--dry-run"],
                                    catch_exceptions=False)
        if result.exit_code != 0:
            raise SystemExit(result.output)
    return 1


CASES = {"lxml": _lxml, "read": _read, "import": _import}


def run_case(case: str, path: Path) -> tuple[float, float, float]:
    """(seconds, CPU seconds, peak RSS MB) of one case in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, "--case", case, str(path)], check=True, capture_output=True,
                         text=True, env=env).stdout.strip().splitlines()
    timing = json.loads(out[-2])
    return float(timing["seconds"]), float(timing["cpu"]), float(json.loads(out[-1])["maxrss_mb"])


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--case":
        t0, c0 = time.perf_counter(), time.process_time()
        CASES[args[1]](Path(args[2]))
        print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
        report_rss()
        return
    sizes = [25, 50, 100, 200]
    rounds = 3
    if "--sizes" in args:
        sizes = [int(v) for v in args[args.index("--sizes") + 1].split(",")]
    if "--rounds" in args:
        rounds = int(args[args.index("--rounds") + 1])
    print(f"{'file':>9}{'points':>10}  {'case':8}{'time s':>9}{'CPU s':>8}{'peak RSS MB':>13}{'RSS/file':>10}"
          f"{'CPU/lxml':>10}{'RSS/lxml':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"ride-{mb}.gpx"
            points = make_file(path, mb)
            file_mb = path.stat().st_size / 1e6
            runs: dict[str, list[tuple[float, float, float]]] = {c: [] for c in CASES}
            for r in range(rounds):
                order = list(CASES) if r % 2 == 0 else list(reversed(CASES))  # interleaved, alternating order
                for case in order:
                    runs[case].append(run_case(case, path))
            med = {c: tuple(statistics.median(r[i] for r in v) for i in range(3)) for c, v in runs.items()}
            for case, (t, cpu, m) in med.items():
                print(f"{file_mb:8.0f}M{points:>10}  {case:8}{t:9.2f}{cpu:8.2f}{m:13.0f}{m / file_mb:10.2f}"
                      f"{cpu / med['lxml'][1]:10.2f}{m / med['lxml'][2]:10.2f}", flush=True)
            path.unlink()
    print(f"medians of {rounds} interleaved runs, each case in a fresh process (peak RSS includes Python and "
          "the imports); CPU s = the process's own CPU time, the fairer figure on a shared machine")


if __name__ == "__main__":
    main()
