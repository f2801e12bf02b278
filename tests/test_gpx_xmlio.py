"""The GPX reader refuses bad input with one line; the writer's output reads back everywhere."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radweg.errors import GpxError
from radweg.gpx.xmlio import GpxPath, Metadata, Waypoint, clean_text, fmt_coord, parse_gpx, write_gpx

GPX11 = '<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" creator="t">{}</gpx>'


def _trk(points: str) -> bytes:
    return GPX11.format(f"<trk><name>T</name><trkseg>{points}</trkseg></trk>").encode()


def test_reads_tracks_routes_waypoints_in_file_order() -> None:
    raw = GPX11.format(
        '<wpt lat="51.5" lon="11.3"><ele>200</ele><name>W</name><sym>Mine</sym><type>Schacht</type></wpt>'
        '<rte><name>R</name><rtept lat="51.0" lon="11.0"/><rtept lat="51.1" lon="11.1"/></rte>'
        '<trk><name>T</name><trkseg><trkpt lat="51.0" lon="11.0"><ele>100.5</ele></trkpt>'
        '<trkpt lat="51.01" lon="11.0"/></trkseg><trkseg/></trk>').encode()
    doc = parse_gpx(raw, "x.gpx")
    assert doc.version == "1.1"
    assert doc.waypoints[0].name == "W" and doc.waypoints[0].ele == 200.0 and doc.waypoints[0].sym == "Mine"
    assert doc.routes[0].segments == (((11.0, 51.0), (11.1, 51.1)),)
    assert doc.tracks[0].segments[0] == ((11.0, 51.0, 100.5), (11.0, 51.01))
    assert doc.tracks[0].segments[1] == ()


def test_gpx10_without_namespace_with_bom_and_extensions() -> None:
    raw = ("\ufeff<?xml version='1.0' encoding='UTF-8'?><gpx version='1.0'><trk><name>Ümlaut</name>"
           "<extensions><x:foo xmlns:x='urn:x'><trkpt lat='999' lon='999'/></x:foo></extensions>"
           "<trkseg><trkpt lat='51' lon='11'/><trkpt lat='52' lon='11'/></trkseg></trk></gpx>").encode("utf-8")
    doc = parse_gpx(raw, "x.gpx")
    assert doc.tracks[0].name == "Ümlaut"
    assert len(doc.tracks[0].segments[0]) == 2  # the point inside <extensions> is not ours


@pytest.mark.parametrize("attrs, field, words", [
    ('lat="200" lon="11"', "lat", "out of range"),
    ('lat="51" lon="-540"', "lon", "out of range"),
    ('lat="NaN" lon="11"', "lat", "not a finite number"),
    ('lat="51" lon="inf"', "lon", "not a finite number"),
    ('lat="undefined" lon="11"', "lat", "not a number"),
    ('lon="11"', "lat", "missing"),
])
def test_bad_coordinates_are_refused_with_the_place(attrs: str, field: str, words: str) -> None:
    raw = _trk(f'<trkpt lat="51" lon="11"/>\n<trkpt {attrs}/>')
    with pytest.raises(GpxError) as exc:
        parse_gpx(raw, "bad.gpx")
    msg = str(exc.value)
    assert msg.startswith("bad.gpx: ") and "\n" not in msg
    assert f"field '{field}'" in msg and words in msg
    assert "trk 1 segment 1 point 2 (line 2)" in msg


def test_bad_elevation_is_refused_empty_elevation_is_missing() -> None:
    with pytest.raises(GpxError, match="elevation 99999 m is outside"):
        parse_gpx(_trk('<trkpt lat="51" lon="11"><ele>99999</ele></trkpt>'), "x.gpx")
    with pytest.raises(GpxError, match="'bad data' is not a number"):
        parse_gpx(_trk('<trkpt lat="51" lon="11"><ele>bad data</ele></trkpt>'), "x.gpx")
    doc = parse_gpx(_trk('<trkpt lat="51" lon="11"><ele></ele></trkpt>'), "x.gpx")
    assert doc.tracks[0].segments[0] == ((11.0, 51.0),)


@pytest.mark.parametrize("raw, words", [
    (b"", "file is empty"),
    (b"<gpx><trk>", "not well-formed XML"),
    (b'<kml xmlns="http://www.opengis.net/kml/2.2"/>', "root element is <kml>, not <gpx>"),
    (b'<gpx xmlns="urn:other"/>', "not GPX 1.0 or 1.1"),
])
def test_not_gpx(raw: bytes, words: str) -> None:
    with pytest.raises(GpxError, match=words):
        parse_gpx(raw, "x.gpx")


def test_entities_and_dtds_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<gpx version="1.1"><metadata><name>&x;</name></metadata></gpx>').encode()
    laughs = ('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=False))
              + ']><gpx version="1.1"><metadata><name>&i;</name></metadata></gpx>').encode()
    for raw in (xxe, laughs):
        with pytest.raises(GpxError) as exc:
            parse_gpx(raw, "evil.gpx")
        assert "TOP-SECRET" not in str(exc.value)
        assert "DOCTYPE" in str(exc.value) or "XML" in str(exc.value)


def test_writer_strips_illegal_characters_and_escapes() -> None:
    name = 'A\x01B <&> "q" \x0b\ufffe'
    data = write_gpx(Metadata(name), [GpxPath("trk", name, (((11.0, 51.0), (11.1, 51.1, 120.04)),))],
                     [Waypoint(11.0, 51.0, name, description="d\x1f")])
    doc = parse_gpx(data, "out.gpx")
    assert doc.name == 'AB <&> "q"'
    assert doc.tracks[0].name == 'AB <&> "q"'
    assert doc.tracks[0].segments[0][1] == (11.1, 51.1, 120.0)
    assert clean_text("ok\tline\n") == "ok\tline\n"


@pytest.mark.parametrize("value, text", [(1e-7, "0.0000001"), (-0.0, "0"), (11.0, "11"), (-1.5e-9, "0"),
                                         (51.123456789, "51.1234568"), (180.0, "180")])
def test_coordinates_are_never_scientific(value: float, text: str) -> None:
    assert fmt_coord(value) == text
    assert "e" not in fmt_coord(value).lower() and math.isclose(float(fmt_coord(value)), value, abs_tol=1e-7)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.floats(-90, 90), st.floats(-180, 180), st.one_of(st.none(), st.floats(-500, 8000)))
def test_any_text_and_position_round_trips(text: str, lat: float, lon: float, ele: float | None) -> None:
    """Whatever a name holds, the file is well-formed, and positions come back to 7 decimals."""
    pos = (lon, lat) if ele is None else (lon, lat, ele)
    data = write_gpx(Metadata(text or "x"), [GpxPath("trk", text, ((pos, (lon, lat if lat < 89 else 89.0)),))],
                     [Waypoint(lon, lat, text, ele=ele, description=text)])
    doc = parse_gpx(data, "rt.gpx")
    expected = clean_text(text).strip() or None
    assert doc.tracks[0].name == expected and doc.waypoints[0].description == expected
    got = doc.waypoints[0]
    assert got.lat == pytest.approx(lat, abs=6e-8) and got.lon == pytest.approx(lon, abs=6e-8)
    if ele is not None:
        assert got.ele == pytest.approx(ele, abs=0.051)
