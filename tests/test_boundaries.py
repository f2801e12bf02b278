"""radweg.boundaries: reading polygon layers and splitting segment lengths by the areas they cross."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radweg.boundaries import OUTSIDE, BoundarySource, municipality_of, parse_sources, read_areas, split_segments
from radweg.errors import DataError
from radweg.geometry import line_length_m
from radweg.model import Segment

LVERMGEO = "msh/lvermgeo-boundaries-2022"


def _square(path: Path, features: list[tuple[str, list[list[float]]]], crs: bool = True) -> Path:
    obj = {"type": "FeatureCollection",
           "features": [{"type": "Feature", "properties": {"name": n},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}} for n, ring in features]}
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def _box(w: float, s: float, e: float, n: float) -> list[list[float]]:
    return [[w, s], [e, s], [e, n], [w, n], [w, s]]


def test_split_across_two_areas_and_outside(tmp_path: Path) -> None:
    layer = _square(tmp_path / "b.geojson", [("West", _box(11.0, 51.0, 11.1, 51.2)),
                                             ("Ost", _box(11.1, 51.0, 11.2, 51.2))])
    areas = read_areas([BoundarySource(layer)])
    seg = Segment("s", "S", ((11.05, 51.1), (11.25, 51.1)))
    parts = split_segments([seg], areas).per_segment["s"]
    assert list(parts) == ["West", "Ost", OUTSIDE]
    # each piece is a quarter, half and quarter of the line along the parallel (to within the chord/geodesic error)
    total = line_length_m(seg.coords)
    assert parts["West"] == pytest.approx(total / 4, rel=1e-3)
    assert parts["Ost"] == pytest.approx(total / 2, rel=1e-3)
    assert parts[OUTSIDE] == pytest.approx(total / 4, rel=1e-3)
    assert sum(parts.values()) == pytest.approx(total, rel=1e-6)
    assert municipality_of(parts) == "West / Ost"


def test_overlapping_areas_count_once_first_wins(tmp_path: Path) -> None:
    layer = _square(tmp_path / "b.geojson", [("A", _box(11.0, 51.0, 11.2, 51.2)),
                                             ("B", _box(11.1, 51.0, 11.3, 51.2))])
    seg = Segment("s", "S", ((11.05, 51.1), (11.25, 51.1)))
    parts = split_segments([seg], read_areas([BoundarySource(layer)])).per_segment["s"]
    assert set(parts) == {"A", "B"}
    assert parts["A"] == pytest.approx(3 * parts["B"], rel=1e-3)
    assert sum(parts.values()) == pytest.approx(line_length_m(seg.coords), rel=1e-6)


def test_short_piece_on_a_border_does_not_name_the_segment() -> None:
    assert municipality_of({"A": 20.0, "B": 5000.0}) == "B"
    assert municipality_of({OUTSIDE: 100.0}) is None
    assert municipality_of({"A": 10.0, OUTSIDE: 900.0}) == "A"


def test_filter_and_name_field(tmp_path: Path) -> None:
    layer = _square(tmp_path / "b.geojson", [("West", _box(11.0, 51.0, 11.1, 51.2)),
                                             ("Ost", _box(11.1, 51.0, 11.2, 51.2))])
    assert [a.name for a in read_areas([BoundarySource(layer, "name", "name=Os*")])] == ["Ost"]
    assert [a.name for a in read_areas([BoundarySource(layer, None, "name=West")])] == ["West"]
    with pytest.raises(DataError, match="field 'GN_KLAR': no such field"):
        read_areas([BoundarySource(layer, "GN_KLAR")])
    with pytest.raises(DataError, match="FIELD=VALUE"):
        read_areas([BoundarySource(layer, None, "name")])
    with pytest.raises(DataError, match="no such file"):
        read_areas([BoundarySource(tmp_path / "missing.shp")])


def test_settings_are_checked(tmp_path: Path) -> None:
    (src,) = parse_sources([{"path": "b/x.shp", "name_field": "GN_KLAR"}], tmp_path)
    assert src.path == tmp_path / "b/x.shp" and src.name_field == "GN_KLAR"
    assert parse_sources(None, tmp_path) == []
    with pytest.raises(DataError, match="radweg.json: field 'boundaries'"):
        parse_sources({"path": "x"}, tmp_path)
    with pytest.raises(DataError, match=r"boundaries\[0\]': unknown key"):
        parse_sources([{"path": "x", "nam_field": "y"}], tmp_path)


@pytest.mark.realdata
def test_lvermgeo_split_matches_an_independent_utm_computation(realdata: Path) -> None:
    """Our geodesic split against shapely intersections of the raw UTM 32N polygons with projected lines."""
    import pyogrio
    import shapely
    from pyproj import Transformer

    from radweg.data.store import Store

    root = Path(__file__).resolve().parent.parent
    ds = Store(root).load()
    files = [realdata / LVERMGEO / "Einheitsgemeinde.zip", realdata / LVERMGEO / "Gemeinde.zip"]
    split = split_segments(ds.segments.items, read_areas([BoundarySource(f, "GN_KLAR") for f in files]))
    ours = split.by_area_m()

    to_utm = Transformer.from_crs(4326, 25832, always_xy=True)
    theirs: dict[str, float] = {}
    for f in files:
        _, _, geoms, fields = pyogrio.raw.read(f, columns=["GN_KLAR"])
        polys = shapely.from_wkb(geoms)
        for seg in ds.segments.items:
            # the same path as ours (straight in lon/lat between vertices), densified before projecting
            dense = shapely.segmentize(shapely.LineString([p[:2] for p in seg.coords]), 0.0002).coords
            xs, ys = to_utm.transform([p[0] for p in dense], [p[1] for p in dense])
            line = shapely.LineString(list(zip(xs, ys, strict=True)))
            for name, poly in zip(fields[0], polys, strict=True):
                if poly.intersects(line):
                    theirs[name] = theirs.get(name, 0.0) + poly.intersection(line).length
    assert set(ours) - {OUTSIDE} == {n for n, m in theirs.items() if m > 0.01}
    for name, metres in theirs.items():
        # UTM 32N's scale error at 11-12 deg E is below 0.1 %; add 5 m for the cut points
        assert ours[name] == pytest.approx(metres, rel=2e-3, abs=5.0), name
    assert sum(ours.values()) == pytest.approx(sum(line_length_m(s.coords) for s in ds.segments.items), rel=1e-6)


def test_geojson_without_gdal_reads_like_gdal() -> None:
    """The sample's clip read by json + shapely and by GDAL (pyogrio): the same names and polygons."""
    from radweg.boundaries import read_gdal_layer, read_json_layer

    src = BoundarySource(Path(__file__).resolve().parent.parent / "routes" / "municipalities.geojson", "name")
    fast, gdal = read_json_layer(src, None), read_gdal_layer(src, None)
    assert fast is not None and len(fast) == len(gdal) == 22
    for a, b in zip(fast, gdal, strict=True):
        assert a.name == b.name and a.geometry.equals(b.geometry)
