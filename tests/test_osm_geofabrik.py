"""radweg.osm.geofabrik and ``pois import`` of Geofabrik layers, checked against an independent reader.

The independent reader below parses the zipped Shapefile's ``.shp`` point records and ``.dbf`` table by hand
(the formats are fixed-width and documented by ESRI and dBASE), so it shares no code with pyogrio/GDAL.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest

from radweg.errors import DataError
from radweg.geometry import distance_m
from radweg.osm.geofabrik import (
    FCLASS_TYPES,
    extract_date,
    fclass_type,
    heap_names_match,
    is_geofabrik_geojson,
    match_heaps,
    read_layers,
)

GEOFABRIK = "msh/geofabrik-sachsen-anhalt-2022"
DISTRICT = (10.9, 51.35, 11.8, 51.7)


def _raw_points(zpath: Path) -> list[dict[str, object]]:
    """Every point of a zipped point layer: osm_id, fclass, name, x, y, read byte by byte."""
    with zipfile.ZipFile(zpath) as zf:
        shp = zf.read(next(n for n in zf.namelist() if n.endswith(".shp")))
        dbf = zf.read(next(n for n in zf.namelist() if n.endswith(".dbf")))
    n_records, header_len, record_len = struct.unpack("<IHH", dbf[4:12])
    fields, pos = [], 32
    while dbf[pos] != 0x0D:
        name = dbf[pos:pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, dbf[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        rec = io.BytesIO(dbf[header_len + i * record_len: header_len + (i + 1) * record_len])
        rec.read(1)  # deletion flag
        rows.append({name: rec.read(size).decode("utf-8").strip() for name, size in fields})
    points, pos = [], 100
    while pos < len(shp):
        _, length = struct.unpack(">ii", shp[pos:pos + 8])
        shape_type = struct.unpack("<i", shp[pos + 8:pos + 12])[0]
        xy = struct.unpack("<dd", shp[pos + 12:pos + 28]) if shape_type == 1 else (None, None)
        points.append(xy)
        pos += 8 + 2 * length
    assert len(points) == len(rows)
    return [{**r, "x": x, "y": y} for r, (x, y) in zip(rows, points, strict=True)]


def test_fclass_table() -> None:
    assert fclass_type("railway_halt", "Roßla") == "bahnhof"
    assert fclass_type("guesthouse", None) == "unterkunft"
    assert fclass_type("biergarten", "Zum Hirsch") == "gastronomie"
    assert fclass_type("shelter", None) == "unterstand"
    assert fclass_type("tourist_info", None) == "touristinfo"
    assert fclass_type("peak", "Schachthalde Hohe Linde") == "halde"
    assert fclass_type("peak", "Kyffhäuser") is None
    assert fclass_type("bench", "Bank") is None
    assert set(FCLASS_TYPES.values()) <= {"museum", "aussicht", "bahnhof", "unterkunft", "gastronomie",
                                          "radservice", "trinkwasser", "touristinfo", "unterstand", "denkmal"}


def test_heap_names() -> None:
    assert heap_names_match("Spitzkegelhalde Ernst-Thälmann-Schacht (Vitzthumschacht)", "Halde Thälmannschacht")
    assert heap_names_match("Spitzkegelhalde Hohe Linde", "Schachthalde Hohe Linde")
    assert not heap_names_match("Halde Eduardschacht", "Halde Zirkelschacht")
    assert not heap_names_match("Halde", "Halde")  # nothing distinctive left


def test_geojson_detection() -> None:
    feat = {"type": "Feature", "properties": {"osm_id": "1", "code": 2701, "fclass": "tourist_info", "name": None},
            "geometry": {"type": "Point", "coordinates": [11.3, 51.5]}}
    assert is_geofabrik_geojson({"type": "FeatureCollection", "features": [feat]})
    own = {**feat, "properties": {"id": "x", "type": "halde", "name": "x", "osm_id": "node/1", "fclass": "peak"}}
    assert not is_geofabrik_geojson({"type": "FeatureCollection", "features": [own]})
    assert not is_geofabrik_geojson({"type": "FeatureCollection", "features": []})


@pytest.mark.realdata
def test_point_layer_matches_an_independent_read(realdata: Path) -> None:
    path = realdata / GEOFABRIK / "pois.zip"
    (layer,) = read_layers(path, bbox=DISTRICT)
    assert layer.name == "gis_osm_pois_free_1" and layer.extracted == date(2022, 10, 6)
    ours = {c.osm: c for c in layer.candidates}
    w, s, e, n = DISTRICT
    theirs: dict[str, dict[str, object]] = {}
    for r in _raw_points(path):
        if fclass_type(str(r["fclass"]), str(r["name"]) or None) and w <= r["x"] <= e and s <= r["y"] <= n:
            theirs.setdefault(f"node/{r['osm_id']}", r)
    assert set(ours) == set(theirs)
    assert len(ours) > 1000
    for ref, c in ours.items():
        r = theirs[ref]
        assert c.coords == (r["x"], r["y"])
        assert c.type == fclass_type(str(r["fclass"]), str(r["name"]) or None)
        assert (c.name or "") == r["name"]


@pytest.mark.realdata
def test_area_layer_gives_points_inside_the_areas(realdata: Path) -> None:
    import pyogrio
    import shapely

    path = realdata / GEOFABRIK / "gis_osm_pois_a_free_1.zip"
    (layer,) = read_layers(path, bbox=DISTRICT)
    assert layer.candidates and all(c.osm.startswith("area/") for c in layer.candidates)
    _, _, wkb, (ids, fclasses) = pyogrio.raw.read(path, columns=["osm_id", "fclass"])
    polys = {f"area/{i}": g for i, g in zip(ids, shapely.from_wkb(wkb), strict=True)}
    for c in layer.candidates:
        assert polys[c.osm].contains(shapely.Point(c.coords)), c.osm


def test_extract_date_needs_a_zip(tmp_path: Path) -> None:
    shp = tmp_path / "x.shp"
    shp.write_bytes(b"")
    assert extract_date(shp, "x") is None


@pytest.mark.realdata
def test_not_a_geofabrik_layer_is_one_clear_error(realdata: Path, run, sample: Path) -> None:
    from tests.conftest import tree_digest

    boundaries = realdata / "msh/lvermgeo-boundaries-2022/Gemeinde.zip"
    with pytest.raises(DataError, match="not a Geofabrik layer"):
        read_layers(boundaries)
    before = tree_digest(sample)
    res = run("pois", "import", str(boundaries))
    assert res.exit_code == 1 and "Gemeinde.zip" in res.stderr and "Traceback" not in res.output
    assert tree_digest(sample) == before


@pytest.mark.realdata
def test_issue_command_lists_real_pois_in_the_corridor(realdata: Path, run, sample: Path) -> None:
    """``pois import pois.zip --tour nord-sued --corridor 1000 --dry-run`` against an independent corridor test."""
    import shapely
    from pyproj import Transformer

    from tests.conftest import tree_digest

    path = realdata / GEOFABRIK / "pois.zip"
    before = tree_digest(sample)
    res = run("-v", "pois", "import", str(path), "--tour", "nord-sued", "--corridor", "1000", "--dry-run")
    assert res.exit_code == 0, res.output
    assert tree_digest(sample) == before and "dry run" in res.stderr
    detail = re.compile(r" (\S+), ((?:node|area)/\d+), fclass (\S+)")
    added = [detail.search(line) for line in res.stdout.splitlines() if line.startswith("add ")]
    assert len(added) > 50 and all(added)
    osm_refs = [m.group(2) for m in added if m]
    raw: dict[str, dict[str, object]] = {}
    for r in _raw_points(path):  # a node may be listed once per class; the first mapped class counts
        if fclass_type(str(r["fclass"]), str(r["name"]) or None):
            raw.setdefault(f"node/{r['osm_id']}", r)
    # every listed POI is a real feature of the layer, with its mapped type, inside the corridor
    utm = Transformer.from_crs(4326, 25832, always_xy=True)
    tour = json.loads(run("tours", "show", "nord-sued", "--json").stdout)
    segs = {s["id"]: s for s in json.loads(run("segments", "list", "--json").stdout)}
    assert segs
    seg_lines = []
    for leg in tour["properties"]["segments"]:
        feat = json.loads(run("segments", "show", leg.split(":")[0], "--json").stdout)
        xs, ys = utm.transform(*zip(*[p[:2] for p in feat["geometry"]["coordinates"]], strict=True))
        seg_lines.append(shapely.LineString(list(zip(xs, ys, strict=True))))
    route = shapely.MultiLineString(seg_lines)
    types = {}
    for ref in osm_refs:
        r = raw[ref]
        types[ref] = fclass_type(str(r["fclass"]), str(r["name"]) or None)
        x, y = utm.transform(r["x"], r["y"])
        assert route.distance(shapely.Point(x, y)) <= 1000.5, ref
    for m in added:
        assert m is not None and types[m.group(2)] == m.group(1) and raw[m.group(2)]["fclass"] == m.group(3)
    assert {"gastronomie", "unterkunft", "touristinfo"} <= set(types.values())


@pytest.mark.realdata
def test_within_keeps_only_pois_inside_the_polygon(realdata: Path, run, sample: Path, tmp_path: Path) -> None:
    import shapely

    munis = json.loads((sample / "routes" / "municipalities.geojson").read_text(encoding="utf-8"))
    one = next(f for f in munis["features"] if f["properties"]["name"] == "Sangerhausen")
    area = tmp_path / "sangerhausen.geojson"
    area.write_text(json.dumps({"type": "FeatureCollection", "features": [one]}), encoding="utf-8")
    res = run("pois", "import", str(realdata / GEOFABRIK / "pois.zip"), "--within", str(area), "--only",
              "gastronomie")
    assert res.exit_code == 0, res.output
    poly = shapely.geometry.shape(one["geometry"])
    new = [p for p in json.loads(run("pois", "list", "--json", "--type", "gastronomie").stdout)
           if p["id"] not in {f["properties"]["id"] for f in json.loads(
               (Path(__file__).resolve().parent.parent / "pois" / "pois.geojson").read_text())["features"]}]
    assert new and all(poly.contains(shapely.Point(p["lon"], p["lat"])) for p in new)
    shown = json.loads(run("pois", "show", new[0]["id"], "--json").stdout)["properties"]
    assert shown["osm_id"].startswith("node/")
    assert "Geofabrik" in shown["source"] and "2022-10-06" in shown["source"]
    assert "© OpenStreetMap contributors (ODbL)" in shown["source"]


@pytest.mark.realdata
def test_geojson_export_of_a_layer_imports_like_the_shapefile(realdata: Path, run, tmp_path: Path) -> None:
    raw = [r for r in _raw_points(realdata / GEOFABRIK / "pois.zip")
           if r["fclass"] in ("bicycle_shop", "drinking_water") and 11.2 < r["x"] < 11.6 and 51.4 < r["y"] < 51.7]
    assert raw
    export = tmp_path / "export.geojson"
    export.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"osm_id": r["osm_id"], "code": int(str(r["code"])),
                                           "fclass": r["fclass"], "name": r["name"] or None},
         "geometry": {"type": "Point", "coordinates": [r["x"], r["y"]]}} for r in raw]}), encoding="utf-8")
    res = run("-v", "pois", "import", str(export), "--dry-run", "--radius", "0")
    assert res.exit_code == 0, res.output
    refs = {f"node/{r['osm_id']}" for r in raw}
    assert {ref for ref in refs if ref in res.stdout} == refs
    assert "radservice" in res.stdout or "trinkwasser" in res.stdout


@pytest.mark.realdata
def test_heaps_match_their_named_osm_peaks(realdata: Path) -> None:
    from radweg.data.store import Store

    ds = Store(Path(__file__).resolve().parent.parent).load()
    (natural,) = read_layers(realdata / GEOFABRIK / "gis_osm_natural_free_1.zip", bbox=DISTRICT)
    matches = {m.poi_id: m for m in match_heaps([p for p in ds.pois.items if p.type == "halde"],
                                                natural.candidates)}
    assert matches["halde-hohe-linde"].candidate is not None
    assert matches["halde-hohe-linde"].candidate.name == "Schachthalde Hohe Linde"
    assert matches["halde-thaelmann-schacht"].candidate.osm == "node/431587981"  # type: ignore[union-attr]
    assert matches["halde-eduardschacht"].candidate is None


@pytest.mark.realdata
def test_sample_osm_pois_are_the_layers_features(realdata: Path) -> None:
    """Every node in the sample sits where the layers put it (an independent read), with its mapped type."""
    from radweg.data.store import Store

    ds = Store(Path(__file__).resolve().parent.parent).load()
    raw: dict[str, dict[str, object]] = {}
    for name in ("pois.zip", "transport_stations.zip", "gis_osm_natural_free_1.zip"):
        for r in _raw_points(realdata / GEOFABRIK / name):
            if fclass_type(str(r["fclass"]), str(r["name"]) or None):
                raw.setdefault(f"node/{r['osm_id']}", r)
    osm = [p for p in ds.pois.items if p.osm_id]
    services = {p.type for p in osm} & {"unterkunft", "gastronomie", "radservice", "trinkwasser", "bahnhof",
                                        "touristinfo", "unterstand"}
    assert len(ds.pois.items) >= 60 and len(osm) >= 25 and len(services) >= 5
    for p in osm:
        if not p.osm_id.startswith("node/"):  # type: ignore[union-attr]
            continue
        r = raw[p.osm_id]  # type: ignore[index]
        if (p.source or "").startswith(("OpenStreetMap", "Lage:")):  # added from OSM, or moved to its position
            assert p.coords[:2] == pytest.approx((r["x"], r["y"]), abs=1e-6), p.id
        else:  # a researched POI the importer matched (it keeps its position and records the OSM id)
            assert distance_m(p.coords, (r["x"], r["y"])) <= 300.0, p.id
        assert fclass_type(str(r["fclass"]), str(r["name"]) or None) == p.type, p.id
    stations = [p for p in ds.pois.items if p.type == "bahnhof"]
    assert stations and all(p.osm_id for p in stations)
