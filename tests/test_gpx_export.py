"""GPX export: file set, schema validity, an independent reader, caps, tolerance, determinism, safety."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from gpxdata import XSD_PATH, dense_dataset, gpx_points, plane_dem

from radweg.data.store import Store
from radweg.errors import OutputPathError
from radweg.gpx.export import GARMIN_SYMBOLS, export_gpx, safe_path
from radweg.model import Collection, Leg, Place, Stage, Tour
from radweg.simplify import deviation_m

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample_ds():  # type: ignore[no-untyped-def]
    return Store(ROOT).load()


@pytest.fixture(scope="module")
def dense():  # type: ignore[no-untyped-def]
    return dense_dataset()


def _all(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file() and p.name != ".radweg-gpx.json")


def test_sample_export_writes_tour_stage_route_and_zip(sample_ds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = export_gpx(sample_ds, tmp_path, as_route=True, per_segment=True)
    names = {f.path.name for f in files}
    assert {"nord-sued.gpx", "nord-sued.route.gpx", "nord-sued-01-arnstein-wettelrode.gpx",
            "nord-sued-02-wettelrode-kelbra.route.gpx", "nord-sued.zip",
            "nord-sued-seg-01-klostermansfeld-arnstein.gpx"} <= names
    assert {f.kind for f in files} == {"tour", "stage", "route", "segment", "zip"}
    assert sorted(p.name for p in _all(tmp_path)) == sorted(names)
    with zipfile.ZipFile(tmp_path / "west-ost.zip") as zf:
        assert sorted(zf.namelist()) == sorted(f.path.name for f in files
                                               if f.tour_id == "west-ost" and f.kind != "zip")
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
        assert zf.read("west-ost.gpx") == (tmp_path / "west-ost.gpx").read_bytes()


@pytest.mark.realdata
def test_every_exported_file_validates_against_the_official_xsd(sample_ds, dense, realdata: Path,
                                                                 tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from lxml import etree

    xsd_file = realdata / XSD_PATH
    if not xsd_file.exists():
        pytest.skip("GPX 1.1 XSD not present")
    schema = etree.XMLSchema(etree.parse(str(xsd_file)))
    export_gpx(sample_ds, tmp_path / "a", as_route=True, per_segment=True)
    export_gpx(sample_ds, tmp_path / "b", as_route=True, reverse=True, simplify_m=5)
    export_gpx(dense, tmp_path / "c", as_route=True, per_segment=True, simplify_m=3, timestamp=True)
    checked = 0
    for path in _all(tmp_path):
        if path.suffix == ".gpx":
            doc = etree.parse(str(path))
            assert schema.validate(doc), f"{path.name}: {schema.error_log.last_error}"
            checked += 1
    assert checked >= 30


def test_an_independent_reader_gdal_reads_every_file(sample_ds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pyogrio

    files = export_gpx(sample_ds, tmp_path, as_route=True)
    for f in files:
        if f.kind == "zip":
            continue
        layers = {name for name, _ in pyogrio.list_layers(f.path)}
        assert {"tracks", "routes", "waypoints"} <= layers
        layer = "routes" if f.kind == "route" else "tracks"
        df = pyogrio.read_dataframe(f.path, layer=layer)
        assert len(df) == 1
        geom = df.geometry.iloc[0]
        n = len(geom.coords) if geom.geom_type == "LineString" else sum(len(g.coords) for g in geom.geoms)
        assert n == f.points
        wpts = pyogrio.read_dataframe(f.path, layer="waypoints")
        assert len(wpts) == f.waypoints
        if f.waypoints:
            assert set(wpts["sym"]) <= set(GARMIN_SYMBOLS.values())
            assert wpts["type"].notna().all() and wpts["name"].notna().all()


def test_reruns_are_byte_identical(sample_ds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export_gpx(sample_ds, tmp_path / "one", as_route=True, per_segment=True)
    export_gpx(sample_ds, tmp_path / "two", as_route=True, per_segment=True)
    export_gpx(sample_ds, tmp_path / "one", as_route=True, per_segment=True)  # again into the same folder
    one = {p.name: p.read_bytes() for p in _all(tmp_path / "one")}
    two = {p.name: p.read_bytes() for p in _all(tmp_path / "two")}
    assert one == two and len(one) > 20
    assert all(b"<time>" not in data for name, data in one.items() if name.endswith(".gpx"))


def test_source_date_epoch_sets_metadata_time_and_zip_stamps(sample_ds, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    export_gpx(sample_ds, tmp_path, tour_ids=["nord-sued"])
    assert b"<time>2023-11-14T22:13:20Z</time>" in (tmp_path / "nord-sued.gpx").read_bytes()
    with zipfile.ZipFile(tmp_path / "nord-sued.zip") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_route_never_exceeds_max_points(dense, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for cap in (250, 37):
        files = export_gpx(dense, tmp_path / str(cap), as_route=True, max_points=cap)
        routes = [f for f in files if f.kind == "route"]
        assert len(routes) == 3
        for f in routes:
            pts = gpx_points(f.path)["rte"]
            assert len(pts) == 1 and 2 <= len(pts[0]) <= cap
            assert f.points == len(pts[0]) and f.points_before > cap
            assert f.max_deviation_m > 0  # the cap costs something on a wiggly line, and it is reported


def test_track_cap_holds_and_reports_the_deviation_it_cost(dense, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = export_gpx(dense, tmp_path, track_max_points=100, bundle=False)
    line = [c for s in dense.segments.items for c in s.coords]
    tour = next(f for f in files if f.kind == "tour")
    kept = gpx_points(tour.path)["trkseg"][0]
    assert len(kept) == 100
    measured = deviation_m(line, kept)
    assert measured <= tour.max_deviation_m + 0.2


@pytest.mark.parametrize("tolerance", [10.0, 2.0])
def test_simplify_never_deviates_more_than_asked(tmp_path: Path, tolerance: float) -> None:
    """Measured independently: Hausdorff distance (shapely) between the data and the points in the file."""
    from radweg.tours.parts import tour_geometry

    dense = dense_dataset(6000)

    files = export_gpx(dense, tmp_path, simplify_m=tolerance, as_route=True, max_points=100000, bundle=False)
    geo = tour_geometry(dense.tours.items[0], dense.segment_map())
    for f in files:
        if f.kind not in ("tour", "route") or f.stage_id is not None:
            continue
        pts = gpx_points(f.path)
        got = pts["rte"][0] if f.kind == "route" else pts["trkseg"][0]
        assert len(got) < len(geo.line) / 5  # it really simplified
        measured = deviation_m(geo.line, got)
        assert measured <= tolerance, f"{f.path.name}: {measured:.3f} m > {tolerance} m"
        assert f.max_deviation_m <= tolerance


def test_round_trip_import_of_export_equals_the_tour(tmp_path: Path) -> None:
    from radweg.gpx.importer import segment_features
    from radweg.tours.parts import tour_geometry

    dense = dense_dataset(6000)

    export_gpx(dense, tmp_path, simplify_m=5, per_stage=False, bundle=False)
    feats = segment_features(tmp_path / "dicht.gpx", {"status": "planned"})
    assert len(feats) == 1
    coords = [tuple(c) for c in feats[0]["geometry"]["coordinates"]]
    geo = tour_geometry(dense.tours.items[0], dense.segment_map())
    assert deviation_m(geo.line, coords) <= 5.0
    assert coords[0][:2] == geo.line[0][:2] and coords[-1][:2] == geo.line[-1][:2]
    assert all(len(c) == 3 for c in coords)  # elevation kept
    ele = {c[:2]: c[2] for c in geo.line}
    assert all(ele[c[:2]] == c[2] for c in coords)


def test_unsimplified_round_trip_is_exact(sample_ds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from radweg.gpx.importer import segment_features
    from radweg.tours.facts import tour_legs
    from radweg.tours.parts import geometry_of_legs

    export_gpx(sample_ds, tmp_path, tour_ids=["west-ost"], bundle=False, per_stage=False)
    feats = segment_features(tmp_path / "west-ost.gpx", {})
    geo = geometry_of_legs(tour_legs(sample_ds, sample_ds.tours.get("west-ost")))  # draped on the sample's DEM
    got = [tuple(c) for f in feats for c in f["geometry"]["coordinates"]]
    assert got == [(round(c[0], 7), round(c[1], 7), *c[2:]) for p in geo.pieces for c in p]  # GPX keeps 7 decimals


def test_gaps_become_separate_track_segments_but_one_route(tmp_path: Path) -> None:
    ds = dense_dataset(3000, gap=True)
    files = export_gpx(ds, tmp_path, as_route=True, per_stage=False, bundle=False)
    pts = gpx_points(tmp_path / "dicht.gpx")
    assert len(pts["trkseg"]) == 2
    assert len(gpx_points(tmp_path / "dicht.route.gpx")["rte"]) == 1
    assert b"1 L\xc3\xbccke" in (tmp_path / "dicht.gpx").read_bytes()
    assert {f.kind for f in files} == {"tour", "route"}


def test_reverse_runs_the_other_way_and_reverses_stage_order(dense, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fwd = export_gpx(dense, tmp_path / "f", bundle=False)
    rev = export_gpx(dense, tmp_path / "r", reverse=True, bundle=False)
    f_pts = gpx_points(fwd[0].path)["trkseg"][0]
    r_pts = gpx_points(rev[0].path)["trkseg"][0]
    assert r_pts == list(reversed(f_pts))
    assert [f.path.name for f in rev] == ["dicht-gegenrichtung.gpx", "dicht-gegenrichtung-01-ende-mitte.gpx",
                                         "dicht-gegenrichtung-02-mitte-anfang.gpx"]
    assert [f.stage_id for f in rev[1:]] == ["tag-2", "tag-1"]
    climb = re.compile(r"Anstieg (\d+) m, Abstieg (\d+) m")
    up, down = map(int, climb.search(fwd[0].path.read_text("utf-8")).groups())
    r_up, r_down = map(int, climb.search(rev[0].path.read_text("utf-8")).groups())
    # the hysteresis is not exactly symmetric under reversal on noise near its threshold
    assert r_up == pytest.approx(down, rel=0.02) and r_down == pytest.approx(up, rel=0.02)
    assert abs(r_up - up) > 10  # and the figures really swapped


def test_corridor_pois_become_waypoints_with_symbol_type_and_link(dense, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = export_gpx(dense, tmp_path, corridor_m=500, bundle=False)
    text = files[0].path.read_text("utf-8")
    assert files[0].waypoints == 3  # "Weit weg" is 55 km off the line
    assert "<name>Hotel Zur Halde</name>" in text and "<sym>Lodging</sym>" in text and "<type>Unterkunft</type>" in text
    assert '<link href="https://example.org/hotel">' in text
    assert "<desc>Spitzkegel\n\nCone heap</desc>" in text
    none = export_gpx(dense, tmp_path / "none", corridor_m=0, bundle=False)
    assert all(f.waypoints == 0 for f in none)


def test_metadata_author_licence_attribution_keywords_bounds(dense, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    osm = dense_dataset(3000, source="OpenStreetMap, Weg 123")
    export_gpx(osm, tmp_path, per_stage=False, bundle=False)
    text = (tmp_path / "dicht.gpx").read_text("utf-8")
    assert "<author>\n      <name>Testbüro</name>" in text
    assert '<copyright author="Testbüro">' in text and "<year>2026</year>" in text
    assert "<license>https://opendatacommons.org/licenses/odbl/1-0/</license>" in text
    assert "© OpenStreetMap contributors (ODbL 1.0)" in text
    assert '<link href="https://example.org/"><text>Testroute</text></link>' in text
    assert "<keywords>Testroute, Dichte Tour, Radtour, Fahrrad, cycling</keywords>" in text
    assert "<bounds minlat=" in text
    plain = dense_dataset(3000)
    export_gpx(plain, tmp_path / "plain", per_stage=False, bundle=False)
    assert "OpenStreetMap" not in (tmp_path / "plain" / "dicht.gpx").read_text("utf-8")


def test_a_tour_named_like_a_path_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    ds = dense_dataset(2000)
    evil_tour = replace(ds.tours.items[0], id="../../evil", name="../../evil",
                        stages=tuple(replace(s, name=n, id=n) for s, n in
                                     zip(ds.tours.items[0].stages, ["../../../etc/passwd", "/abs/..\\x"],
                                         strict=False)))
    ds.tours = Collection([evil_tour])
    out = tmp_path / "deep" / "out"
    before = {p for p in tmp_path.rglob("*")}
    files = export_gpx(ds, out, as_route=True, per_segment=True)
    created = {p for p in tmp_path.rglob("*")} - before
    assert files and all(f.path.parent == out for f in files)
    assert {p for p in created if p.is_file()} == {f.path for f in files} | {out / ".radweg-gpx.json"}
    assert all(p == out or out in p.parents or p in out.parents for p in created)
    assert (out / "evil.gpx").exists() and (out / "evil-01-etc-passwd.gpx").exists()


def test_safe_path_refuses_traversal_and_symlinks_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for bad in ("../x.gpx", "a/b.gpx", "..", ".hidden.gpx", ""):
        with pytest.raises(OutputPathError):
            safe_path(out, bad)
    (out / "link.gpx").symlink_to(tmp_path / "elsewhere.gpx")
    with pytest.raises(OutputPathError, match="outside"):
        safe_path(out, "link.gpx")


def test_round_tour_and_zero_stage_tour(sample_ds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tour = sample_ds.tours.get("pyramidenrunde")
    no_stages = replace(tour, id="ohne", stages=())
    ds = replace(sample_ds, tours=Collection([tour, no_stages]))
    files = export_gpx(ds, tmp_path)
    assert [f.kind for f in files if f.tour_id == "ohne"] == ["tour", "zip"]
    stage = next(f for f in files if f.kind == "stage")
    whole = next(f for f in files if f.kind == "tour" and f.tour_id == "pyramidenrunde")
    s_pts = gpx_points(stage.path)["trkseg"][0]
    w_pts = gpx_points(whole.path)["trkseg"][0]
    assert s_pts[0] == w_pts[0] and s_pts[-1] == w_pts[-1]


def test_bad_arguments(sample_ds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from radweg.errors import DataError, NotFoundError

    with pytest.raises(NotFoundError):
        export_gpx(sample_ds, tmp_path, tour_ids=["nope"])
    with pytest.raises(DataError):
        export_gpx(sample_ds, tmp_path, simplify_m=-1)
    with pytest.raises(DataError):
        export_gpx(sample_ds, tmp_path, max_points=1)
    assert not any(tmp_path.iterdir())


def test_stage_through_a_tour_leg_with_odd_place_names(tmp_path: Path) -> None:
    ds = dense_dataset(1500)
    t = ds.tours.items[0]
    weird = Tour(t.id, "Tour <&> \"x\"", t.legs, (Stage("s", "A\x01 – B", Place("A\x01", t.stages[0].start.coords),
                                                        Place("B", t.stages[1].end.coords)),))
    ds.tours = Collection([weird])
    files = export_gpx(ds, tmp_path, bundle=False)
    from radweg.gpx.xmlio import read_gpx

    doc = read_gpx(files[1].path)
    assert doc.tracks[0].name == 'Etappe 1: A – B'
    assert Leg("s1") in weird.legs


def test_dem_elevations_replace_the_data_and_feed_the_description(tmp_path: Path) -> None:
    from lxml import etree

    ds = dense_dataset(3000)
    tif = tmp_path / "dem.tif"
    plane_dem(tif, west=11.3, north=51.6, width=400, height=200, res=0.001, base=100.0, per_degree_east=1000.0)
    files = export_gpx(ds, tmp_path / "out", dem_path=tif, per_stage=False, bundle=False)
    doc = etree.parse(str(files[0].path))
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    pts = doc.findall(".//g:trkpt", ns)
    assert len(pts) == files[0].points >= 3000
    for pt in pts[::97]:
        lon = float(pt.get("lon"))
        assert float(pt.findtext("g:ele", namespaces=ns)) == pytest.approx(100.0 + (lon - 11.3) * 1000.0, abs=0.2)
    desc = doc.findtext(".//g:trk/g:desc", namespaces=ns)
    assert "Anstieg 90 m, Abstieg 0 m" in desc  # 11.40 -> 11.49 E on a plane rising 1 m per 0.001 degree


def test_a_bad_source_date_epoch_is_a_clean_error(sample_ds, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from radweg.errors import DataError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(DataError, match="SOURCE_DATE_EPOCH='yesterday' is not a Unix time"):
        export_gpx(sample_ds, tmp_path)


def test_write_false_touches_nothing(sample_ds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = export_gpx(sample_ds, tmp_path / "out", write=False)
    assert files and not (tmp_path / "out").exists()
