"""What the audit counts: OSM tag mapping, Geofabrik layers, OSM and JOSM extracts, SRTM tiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from radweg.audit.sources import load, osm_category, read_geofabrik, read_osm
from radweg.errors import DataError

GEOFABRIK = "msh/geofabrik-sachsen-anhalt-2022"


@pytest.mark.parametrize(("tags", "category"), [
    ({"railway": "station"}, "station"), ({"railway": "halt"}, "station"),
    ({"railway": "station", "station": "subway"}, None),
    ({"public_transport": "station", "train": "yes"}, "station"),
    ({"tourism": "guest_house"}, "accommodation"), ({"tourism": "camp_site"}, "accommodation"),
    ({"amenity": "biergarten"}, "food"), ({"shop": "bicycle"}, "bike_service"),
    ({"amenity": "bicycle_repair_station"}, "bike_service"), ({"amenity": "shelter"}, "shelter"),
    ({"tourism": "information", "information": "guidepost"}, "guidepost"),
    ({"tourism": "information", "information": "office"}, "tourist_info"),
    ({"tourism": "information", "information": "board"}, "information"),
    ({"amenity": "drinking_water"}, "drinking_water"), ({"amenity": "toilets"}, "toilet"),
    ({"barrier": "cycle_barrier"}, "barrier"), ({"barrier": "hedge"}, None),
    ({"highway": "traffic_signals"}, "signals"), ({"highway": "crossing", "crossing": "zebra"}, "crossing"),
    ({"highway": "residential"}, None),
])
def test_osm_categories(tags: dict[str, str], category: str | None) -> None:
    assert osm_category(tags) == category


@pytest.mark.realdata
def test_geofabrik_stations_match_an_independent_reading(realdata: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    path = realdata / GEOFABRIK / "transport_stations.zip"
    bbox = (11.2, 51.4, 11.6, 51.7)
    ours = [p for p in read_geofabrik(path, bbox) if p.category == "station"]
    df = gpd.read_file(f"zip://{path}")
    df = df[df.fclass.isin(["railway_station", "railway_halt"]) & df.geometry.within(box(*bbox))]
    assert sorted(p.ref for p in ours) == sorted(f"osm/{i}" for i in df.osm_id)
    assert len(ours) > 20  # the district has many halts on the lines via Sangerhausen and Eisleben
    assert all(p.source == "transport_stations.zip" for p in ours)


@pytest.mark.realdata
def test_osm_extract_gives_places_and_highway_ways(realdata: Path) -> None:
    import osmium

    path = realdata / "pyosmium/docs/data/liechtenstein.osm.pbf"
    places, ways = read_osm(path, None)
    bollards = {p.ref for p in places if p.category == "barrier" and p.tags.get("barrier") == "bollard"}
    expected = {f"node/{n.id}" for n in osmium.FileProcessor(str(path), osmium.osm.NODE)
                if n.tags.get("barrier") == "bollard"}
    assert bollards == expected and len(bollards) > 10
    highway = {o.id for o in osmium.FileProcessor(str(path), osmium.osm.WAY) if "highway" in o.tags}
    assert {w.id for w in ways} <= highway and len(ways) >= 0.95 * len(highway)


def test_josm_files_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "edit.osm"
    path.write_text("<?xml version='1.0'?><osm version='0.6' generator='JOSM'>"
                    "<node id='-1' lat='51.5' lon='11.3'><tag k='barrier' v='cycle_barrier'/></node>"
                    "<node id='-2' lat='51.5' lon='11.31'/><node id='-3' lat='51.51' lon='11.31'/>"
                    "<way id='-4'><nd ref='-1'/><nd ref='-2'/><tag k='highway' v='steps'/></way>"
                    "<way id='-5'><nd ref='-2'/><nd ref='-3'/><nd ref='-2'/><tag k='tourism' v='hotel'/>"
                    "<tag k='name' v='Haus &lt;Glück&gt;'/></way></osm>")
    places, ways = read_osm(path, None)
    assert [(p.category, p.ref) for p in places] == [("barrier", "node/-1"), ("accommodation", "way/-5")]
    assert places[1].name == "Haus <Glück>"
    assert [w.id for w in ways] == [-4]


def test_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("x")
    with pytest.raises(DataError, match="not an OSM extract"):
        load([odd], None)
    broken = tmp_path / "layer.zip"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DataError) as err:
        load([broken], None)
    assert "layer.zip" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(DataError, match="no such file"):
        load([tmp_path / "missing.osm.pbf"], None)
