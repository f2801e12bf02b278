"""Build the Andorra example of docs/tutorial.md in output/examples/andorra (not committed).

A tour drafted by five waypoints from Andorra la Vella over the Port d'Envalira
(2,408 m) to Pas de la Casa, routed along the streets of
``graphhopper/core/files/andorra.osm.pbf`` (© OpenStreetMap contributors, ODbL),
with heights from the SRTM3 tiles ``N42E001.hgt.zip`` and ``N41E001.hgt.zip`` in the
same folder (NASA SRTM, public domain) through radweg.json's ``dem`` setting, and
a real GPS ride (``graphhopper/map-matching/files/andorra_for_map_matching.gpx``)
imported as a segment. The waypoints are the town centres as read off the
OpenStreetMap map; everything else comes from the files. Nothing of ../shared is copied.

    python scripts/example_andorra.py [--shared ../shared] [--out output/examples/andorra]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from example_liechtenstein import ROOT, run  # noqa: E402

EXTRACT = "realdata/graphhopper/core/files/andorra.osm.pbf"
TILES = ("realdata/graphhopper/core/files/N42E001.hgt.zip", "realdata/graphhopper/core/files/N41E001.hgt.zip")
RIDE = "realdata/graphhopper/map-matching/files/andorra_for_map_matching.gpx"

RIDE_ID = "new"
"""The id the ride gets: from its track name (<trk><name>new</name>)."""

WAYPOINTS = "1.5218,42.5078 1.5803,42.5353 1.5990,42.5672 1.6668,42.5768 1.7330,42.5425"
"""Andorra la Vella, Encamp, Canillo, Soldeu, Pas de la Casa (lon,lat, read off the OpenStreetMap map)."""


def build(shared: Path, out: Path, *, echo: bool = True) -> dict[str, float]:
    """Build the example afresh; returns the seconds per step."""
    extract = shared / EXTRACT
    for f in (extract, shared / RIDE, *(shared / t for t in TILES)):
        if not f.is_file():
            sys.exit(f"{f}: not found (set --shared or RADWEG_SHARED)")
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    d = str(out)
    times: dict[str, float] = {}

    def step(name: str, *args: str) -> str:
        took, text = run(list(args), echo=echo)
        times[name] = took
        return text

    step("init", "init", d, "--name", "Andorra: Port d'Envalira (Beispiel)", "--bbox", "1.40,42.42,1.80,42.66")
    settings = out / "radweg.json"
    project = json.loads(settings.read_text(encoding="utf-8"))
    project["dem"] = [os.path.relpath(shared / t, out) for t in TILES]
    project["dem_source"] = {"de": "SRTM3 (NASA), Kacheln N42E001 und N41E001",
                             "en": "SRTM3 (NASA), tiles N42E001 and N41E001"}
    project["network"] = "ad"
    settings.write_text(json.dumps(project, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    step("network import", "--data", d, "network", "import", str(extract), "--name", "ad")
    step("segments add", "--data", d, "segments", "add", "envalira", "--name",
         "Andorra la Vella – Port d'Envalira – Pas de la Casa", "--coords", WAYPOINTS, "--status", "existing",
         "--source", "routed on OpenStreetMap (ODbL), andorra.osm.pbf")
    step("segments route", "--data", d, "segments", "route", "envalira", "--network", "ad", "--weight", "length",
         "--on-network", "--set-attributes")
    step("tours add", "--data", d, "tours", "add", "envalira", "--name", "Über den Port d'Envalira",
         "--segments", "envalira", "--stage", "Andorra la Vella – Soldeu", "start", "1.6668,42.5768",
         "--stage", "Soldeu – Pas de la Casa", "1.6668,42.5768", "end")
    step("stats", "--data", d, "stats", "envalira")
    step("export gpx", "--data", d, "export", "gpx", "-o", f"{d}/gpx")
    step("segments import (ride)", "--data", d, "segments", "import", str(shared / RIDE), "--status", "existing")
    ride = RIDE_ID
    step("segments compare", "--data", d, "segments", "compare", ride, "envalira")
    step("segments route (ride)", "--data", d, "segments", "route", ride, "--network", "ad", "--weight", "length",
         "--on-network")
    step("publish", "--data", d, "publish", "-o", f"{d}/site")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("RADWEG_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "examples" / "andorra")
    a = parser.parse_args()
    build(a.shared.resolve(), a.out.resolve())


if __name__ == "__main__":
    main()
