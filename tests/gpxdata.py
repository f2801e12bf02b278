"""Synthetic datasets for the GPX tests: a dense winding tour near Eisleben, and helpers to read files back."""

from __future__ import annotations

import math
from pathlib import Path

from radweg.model import Collection, Dataset, Leg, Place, Poi, Segment, Stage, Tour

XSD_PATH = "gpx-ideas/docs/xmlschemas/topografix/gpx/1/1/gpx.xsd"
"""The official GPX 1.1 schema, relative to the realdata folder."""


def winding(n: int, *, lon0: float = 11.40, lat0: float = 51.50, step_deg: float = 0.00003,
            ele: bool = True) -> tuple[tuple[float, ...], ...]:
    """A wiggly west–east line with ``n`` vertices about 2 m apart, and a hill profile."""
    out = []
    for i in range(n):
        lon = lon0 + i * step_deg
        lat = lat0 + 0.002 * math.sin(i / 400.0) + 0.0004 * math.sin(i / 37.0)
        pos: tuple[float, ...] = (round(lon, 6), round(lat, 6))
        if ele:
            pos += (round(150.0 + 60.0 * math.sin(i / 2500.0) + 3.0 * math.sin(i / 11.0), 1),)
        out.append(pos)
    return tuple(out)


def dense_dataset(points: int = 15000, *, gap: bool = False, source: str = "Befahrung 2026") -> Dataset:
    """Three segments in a row (optionally with a 300 m gap before the third), one tour, two stages, POIs."""
    line = winding(points)
    a, b = points // 3, 2 * points // 3
    third = line[b:]
    if gap:
        third = tuple((p[0] + 0.005, *p[1:]) for p in third)
    segs = [Segment("s1", "Erstes Stück", line[:a + 1], "existing", source=source, updated="2026-05-01"),
            Segment("s2", "Zweites Stück", line[a:b + 1], "planned", source=source),
            Segment("s3", "Drittes Stück", third, "existing", source=source)]
    mid = line[points // 2]
    stages = (Stage("tag-1", "Tag 1", Place("Anfang", line[0][:2]), Place("Mitte", mid[:2])),
              Stage("tag-2", "Tag 2", Place("Mitte", mid[:2]), Place("Ende", third[-1][:2])))
    tour = Tour("dicht", "Dichte Tour", tuple(Leg(s.id) for s in segs), stages, description="Eine Testtour.")
    pois = [Poi("hotel", "Hotel Zur Halde", "unterkunft", (line[a][0], line[a][1] + 0.002), "Betten für Radler",
                website="https://example.org/hotel"),
            Poi("bahnhof-x", "Bahnhof X", "bahnhof", (line[b][0], line[b][1] - 0.003)),
            Poi("halde-x", "Halde X", "halde", (mid[0], mid[1] + 0.001), "Spitzkegel", "Cone heap", height_m=100.0),
            Poi("fern", "Weit weg", "museum", (line[0][0], line[0][1] + 0.5))]
    return Dataset(Collection(segs), Collection([tour]), Collection(pois), Collection(),
                   {"name": "Testroute", "author": "Testbüro", "website": "https://example.org/"})


def gpx_points(path: Path) -> dict[str, list[list[tuple[float, ...]]]]:
    """Point lists per element kind, read with plain lxml (not our reader)."""
    from lxml import etree

    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    doc = etree.parse(str(path))

    def pts(els):  # type: ignore[no-untyped-def]
        return [(float(e.get("lon")), float(e.get("lat"))) for e in els]

    return {"trkseg": [pts(s.findall("g:trkpt", ns)) for s in doc.findall(".//g:trkseg", ns)],
            "rte": [pts(r.findall("g:rtept", ns)) for r in doc.findall(".//g:rte", ns)],
            "wpt": [pts(doc.findall(".//g:wpt", ns))]}


def plane_dem(path: Path, *, west: float, north: float, width: int, height: int, res: float,
              base: float, per_degree_east: float) -> None:
    """A GeoTIFF (EPSG:4326) whose elevation rises linearly to the east: base + per_degree_east * (lon - west)."""
    import numpy as np
    import rasterio
    from affine import Affine

    lon = west + (np.arange(width) + 0.5) * res
    data = np.tile(base + (lon - west) * per_degree_east, (height, 1)).astype("float32")
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                       crs="EPSG:4326", transform=Affine(res, 0.0, west, 0.0, -res, north)) as ds:
        ds.write(data, 1)
