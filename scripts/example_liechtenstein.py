"""Build the Liechtenstein example of docs/tutorial.md in output/examples/liechtenstein (not committed).

The data is © OpenStreetMap contributors (ODbL): the extract stays in ../shared
(``pyosmium/docs/data/liechtenstein.osm.pbf``, from pyosmium's test data) and only the
data folder built from it is written, under output/. Every command is the one the
tutorial shows; each is run through the radweg CLI and timed.

    python scripts/example_liechtenstein.py [--shared ../shared] [--out output/examples/liechtenstein]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRACT = "realdata/pyosmium/docs/data/liechtenstein.osm.pbf"


def steps(extract: Path, data: Path) -> list[list[str]]:
    """The tutorial's commands, in order."""
    d = str(data)
    return [
        ["init", d, "--name", "Liechtenstein (Beispiel)", "--bbox", "9.45,47.04,9.64,47.28"],
        ["--data", d, "network", "import", str(extract), "--name", "li"],
        ["--data", d, "segments", "import", str(extract), "--relation", "1158583", "--tour", "rheintal"],
        ["--data", d, "neighbours", "import", str(extract), "--all", "--route", "bicycle"],
        ["--data", d, "gaps", "--network", "li", "--format", "geojson", "-o", f"{d}/gaps.geojson"],
        ["--data", d, "gaps", "--network", "li"],
        ["--data", d, "export", "gpx", "-o", f"{d}/gpx"],
        ["--data", d, "publish", "--network", "li", "-o", f"{d}/site"],
    ]


def run(args: list[str], *, echo: bool = True) -> tuple[float, str]:
    """Run ``radweg ARGS``; exit on failure. Returns the seconds it took and its output."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "radweg", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    took = time.perf_counter() - t0
    out = proc.stdout + proc.stderr
    if echo:
        print(f"$ radweg {' '.join(args)}   # {took:.2f} s\n{out}")
    if proc.returncode != 0:
        sys.exit(f"radweg {' '.join(args)} failed with exit status {proc.returncode}")
    return took, out


def build(shared: Path, out: Path, *, echo: bool = True) -> dict[str, float]:
    """Build the example afresh; returns the seconds per step (by command)."""
    extract = shared / EXTRACT
    if not extract.is_file():
        sys.exit(f"{extract}: not found (set --shared or RADWEG_SHARED)")
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    times = {}
    for args in steps(extract, out):
        took, _ = run(args, echo=echo)
        words = args[2:] if args[0] == "--data" else args
        name = " ".join(words[:1] if words[0] == "init" else words[:2])
        times[name + (" (geojson)" if "geojson" in args else "")] = took
        if args[2:3] == ["gaps"] and "geojson" in args:
            gap = longest_tour_break(out / "gaps.geojson")
            if gap:
                triage = ["--data", str(out), "gaps", "triage", gap, "--status", "in-planning",
                          "--comment", "Anschluss vor Ort prüfen"]
                times["gaps triage"], _ = run(triage, echo=echo)
    return times


def longest_tour_break(path: Path) -> str | None:
    """The id of the longest break in the tour (a continuity gap) of a GeoJSON gap report."""
    import json

    gaps = [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]
            if f["properties"].get("kind") == "continuity" and f["properties"].get("alternative") is None]
    return max(gaps, key=lambda g: (g["length_m"], g["id"]))["id"] if gaps else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("RADWEG_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "examples" / "liechtenstein")
    a = parser.parse_args()
    build(a.shared, a.out)


if __name__ == "__main__":
    main()
