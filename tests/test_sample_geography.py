"""The sample's real geography (scripts/build_sample.py): OSM neighbours, official municipalities, OSM POIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radweg.data.store import Store

ROOT = Path(__file__).resolve().parent.parent
ROUTES_OSM = "msh/osm-routes-derived/msh_cycle_routes_osm_subsampled.geojson"
LVERMGEO = "msh/lvermgeo-boundaries-2022"
OSM_NEIGHBOURS = {"salzstrasse": 92560, "saale-harz": 132135, "himmelsscheibenradweg": 92435}


def _utm():  # type: ignore[no-untyped-def]
    from pyproj import Transformer

    return Transformer.from_crs(4326, 25832, always_xy=True)


@pytest.mark.realdata
def test_three_neighbours_follow_the_osm_derived_lines(realdata: Path) -> None:
    """Every vertex of Salzstraße, Saale-Harz and Himmelsscheibe lies within 50 m of its OSM-derived line."""
    import shapely

    utm = _utm()
    derived = json.loads((realdata / ROUTES_OSM).read_text(encoding="utf-8"))
    by_rel = {}
    for f in derived["features"]:
        xs, ys = utm.transform(*zip(*f["geometry"]["coordinates"], strict=True))
        by_rel[f["properties"]["osm_relation"]] = shapely.LineString(list(zip(xs, ys, strict=True)))
    ds = Store(ROOT).load()
    for nid, rel in OSM_NEIGHBOURS.items():
        nb = ds.neighbours.get(nid)
        assert nb is not None and nb.osm_id == rel and nb.geometry == "osm"
        assert "OpenStreetMap" in (nb.source or "") and nb.notes
        vertices = [p for line in nb.lines for p in line]
        assert len(vertices) > 200
        xs, ys = utm.transform([p[0] for p in vertices], [p[1] for p in vertices])
        worst = max(by_rel[rel].distance(shapely.Point(x, y)) for x, y in zip(xs, ys, strict=True))
        assert worst <= 50.0, (nid, worst)
    others = [nb for nb in ds.neighbours.items if nb.id not in OSM_NEIGHBOURS]
    assert others and all(nb.geometry == "approximate" for nb in others)


def test_saale_harz_is_split_at_the_jump_and_the_others_are_whole() -> None:
    ds = Store(ROOT).load()
    for nid in ("salzstrasse", "himmelsscheibenradweg"):  # clipping does not cut a line where it crosses itself
        assert len(ds.neighbours.get(nid).lines) == 1, nid  # type: ignore[union-attr]
    nb = ds.neighbours.get("saale-harz")
    assert nb is not None and len(nb.lines) == 2 and "Sprüngen über 5 km in 2 Teile" in (nb.notes or "")


@pytest.mark.realdata
def test_municipalities_clip_is_the_districts_22(realdata: Path) -> None:
    """The simplified copy has the 22 official names and, in UTM, the area of the official polygons (±0.5 %)."""
    import numpy as np
    import pyogrio
    import shapely

    clip = json.loads((ROOT / "routes" / "municipalities.geojson").read_text(encoding="utf-8"))
    assert "LVermGeo" in clip["attribution"]
    official: dict[str, float] = {}
    for name in ("Einheitsgemeinde.zip", "Gemeinde.zip"):
        _, _, wkb, (names, keys) = pyogrio.raw.read(realdata / LVERMGEO / name, columns=["GN_KLAR", "VSN_KLAR"])
        for n, k, g in zip(names, keys, shapely.from_wkb(wkb), strict=True):
            if str(k).startswith("15087"):
                official[str(n)] = g.area
    assert len(official) == 22 and sum(official.values()) / 1e6 == pytest.approx(1456, abs=1)
    utm = _utm()
    ours = {}
    for f in clip["features"]:
        geom = shapely.geometry.shape(f["geometry"])
        ours[f["properties"]["name"]] = shapely.transform(
            geom, lambda xy: np.column_stack(utm.transform(xy[:, 0], xy[:, 1]))).area
    assert set(ours) == set(official)
    for name, area in official.items():
        assert ours[name] == pytest.approx(area, rel=5e-3), name


@pytest.mark.realdata
def test_segment_municipality_names_the_official_polygons_it_crosses(realdata: Path) -> None:
    """Each name in a segment's municipality is an official polygon the segment crosses (full resolution)."""
    import pyogrio
    import shapely

    utm = _utm()
    polys: dict[str, object] = {}
    for name in ("Einheitsgemeinde.zip", "Gemeinde.zip"):
        _, _, wkb, (names, keys) = pyogrio.raw.read(realdata / LVERMGEO / name, columns=["GN_KLAR", "VSN_KLAR"])
        polys |= {str(n): g for n, k, g in zip(names, keys, shapely.from_wkb(wkb), strict=True)
                  if str(k).startswith("15087")}
    for seg in Store(ROOT).load().segments.items:
        assert seg.municipality, seg.id
        xs, ys = utm.transform([p[0] for p in seg.coords], [p[1] for p in seg.coords])
        line = shapely.LineString(list(zip(xs, ys, strict=True)))
        for name in seg.municipality.split(" / "):
            assert polys[name].intersection(line).length >= 40.0, (seg.id, name)  # type: ignore[attr-defined]
