"""Clip the BKG's 1 km terrain model (DGM1000) to the project area into the sample data folder.

    python scripts/clip_dem.py [$RADWEG_SHARED/realdata/msh/bkg-dgm1000/DGM1000_EPSG31467.asc] [--data DIR]

The source defaults to ``$RADWEG_SHARED`` (else ``../shared``) /realdata/msh/bkg-dgm1000/.
Reads the project area (``bbox``) from DIR/radweg.json (default: the
repository's sample), takes every cell of the ESRI ASCII grid whose centre
lies within the area plus a margin of two cells (in the grid's own CRS,
EPSG:31467, DHDN / 3-degree Gauss-Krüger zone 3), and writes
DIR/terrain/dgm1000-msh.asc with its ``.prj`` and an attribution file. The
cell values are copied as written in the source, so the clip is exact.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("RADWEG_SHARED", ROOT.parent / "shared"))
SOURCE_DEFAULT = SHARED / "realdata" / "msh" / "bkg-dgm1000" / "DGM1000_EPSG31467.asc"
CRS = "EPSG:31467"
MARGIN_CELLS = 2
OUT_NAME = "terrain/dgm1000-msh.asc"
ATTRIBUTION = """\
Höhen / heights: DGM1000 (digitales Geländemodell, Gitterweite 1000 m), Bundesamt für Kartographie und Geodäsie
© GeoBasis-DE / BKG, Datenlizenz Deutschland – Namensnennung 2.0 (https://www.govdata.de/dl-de/by-2-0)

{name}: clip of the Germany-wide DGM1000 grid (ESRI ASCII grid, EPSG:31467, 1 km cells;
as published in JKI-GDM/PhaseR, _input/DGM1000_EPSG31467.asc) to the project area {bbox}
plus {margin} cells, made by scripts/clip_dem.py. {ncols} x {nrows} cells, lower-left cell centre
({x}, {y}). Cell values are copied unchanged; they are means over 1 km cells, so narrow valleys,
spoil heaps and short climbs are smoothed away.

Höhen: 1-km-Geländemodell (BKG DGM1000); kleine Anstiege fehlen.
"""


def read_header(lines: list[str]) -> dict[str, float]:
    """The six header lines of an ESRI ASCII grid, keys lower-case."""
    head: dict[str, float] = {}
    for line in lines[:6]:
        key, value = line.split()
        head[key.lower()] = float(value)
    return head


def clip(source: Path, data: Path) -> Path:
    """Write the clip into ``data``/terrain and return its path."""
    from pyproj import CRS as Crs
    from pyproj import Transformer

    bbox = json.loads((data / "radweg.json").read_text(encoding="utf-8"))["bbox"]
    lines = source.read_text(encoding="ascii").splitlines()
    head = read_header(lines)
    ncols, nrows, size = int(head["ncols"]), int(head["nrows"]), head["cellsize"]
    x0 = head.get("xllcenter", head.get("xllcorner", 0.0) + size / 2)
    y0 = head.get("yllcenter", head.get("yllcorner", 0.0) + size / 2)
    to_grid = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    west, south, east, north = to_grid.transform_bounds(*bbox, densify_pts=50)
    c_lo = max(int((west - x0) // size) - MARGIN_CELLS + 1, 0)
    c_hi = min(int((east - x0) // size) + MARGIN_CELLS, ncols - 1)
    r_lo = max(int((south - y0) // size) - MARGIN_CELLS + 1, 0)  # rows counted from the bottom
    r_hi = min(int((north - y0) // size) + MARGIN_CELLS, nrows - 1)
    rows = [line.split() for line in lines[6:6 + nrows]]
    if len(rows) != nrows or any(len(r) != ncols for r in rows):
        raise SystemExit(f"{source}: not a {ncols} x {nrows} grid")
    out_rows = [" ".join(rows[nrows - 1 - r][c_lo:c_hi + 1]) for r in range(r_hi, r_lo - 1, -1)]
    nodata = lines[5].split()[1]
    xc, yc = x0 + c_lo * size, y0 + r_lo * size
    text = (f"ncols        {c_hi - c_lo + 1}\nnrows        {r_hi - r_lo + 1}\nxllcenter    {xc:.0f}\n"
            f"yllcenter    {yc:.0f}\ncellsize     {size:.0f}\nNODATA_value {nodata}\n" + "\n".join(out_rows) + "\n")
    out = data / OUT_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="ascii")
    out.with_suffix(".prj").write_text(Crs.from_user_input(CRS).to_wkt("WKT1_ESRI") + "\n", encoding="ascii")
    (out.parent / "README.txt").write_text(ATTRIBUTION.format(
        name=out.name, bbox=bbox, margin=MARGIN_CELLS, ncols=c_hi - c_lo + 1, nrows=r_hi - r_lo + 1,
        x=f"{xc:.0f}", y=f"{yc:.0f}"), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE_DEFAULT)
    parser.add_argument("--data", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    out = clip(args.source, args.data)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
