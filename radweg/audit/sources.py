"""The open data an audit counts: the project's POIs, OSM extracts and Geofabrik shapefile layers.

Every object becomes a :class:`Place` with a *category* (``station``,
``accommodation``, ``food``, ``bike_service``, ``shelter``, ``bench``,
``tourist_info``, ``information``, ``guidepost``, ``drinking_water``,
``toilet``, ``barrier``, ``crossing``, ``signals``) and the name of the file it
came from. OSM extracts also give their highway ways (for steps, width and
bridges). Only objects inside a box around the tour are kept.

:data:`OSM_RULES` and :data:`GEOFABRIK_CLASSES` are the mappings; the
documentation (``docs/audit.md``) lists them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radweg.errors import DataError, Problem

BBox = tuple[float, float, float, float]

POI_CATEGORIES = {"bahnhof": "station", "unterkunft": "accommodation", "gastronomie": "food",
                  "radservice": "bike_service", "trinkwasser": "drinking_water"}
"""Project POI type → audit category."""

GEOFABRIK_CLASSES = {
    "railway_station": "station", "railway_halt": "station",
    "hotel": "accommodation", "guesthouse": "accommodation", "hostel": "accommodation", "motel": "accommodation",
    "camp_site": "accommodation", "caravan_site": "accommodation", "chalet": "accommodation",
    "alpine_hut": "accommodation",
    "restaurant": "food", "cafe": "food", "fast_food": "food", "pub": "food", "biergarten": "food", "bar": "food",
    "bicycle_shop": "bike_service", "bicycle_rental": "bike_service",
    "shelter": "shelter", "picnic_site": "shelter", "bench": "bench",
    "tourist_info": "information", "drinking_water": "drinking_water", "toilet": "toilet",
    "traffic_signals": "signals", "crossing": "crossing",
}
"""Geofabrik ``fclass`` → audit category. ``tourist_info`` mixes offices, boards and guideposts: ``information``."""

BARRIERS = frozenset({"cycle_barrier", "bollard", "gate", "lift_gate", "swing_gate", "kissing_gate", "stile",
                      "turnstile", "block", "chain", "motorcycle_barrier", "full-height_turnstile", "sliding_gate"})


def osm_category(tags: Mapping[str, str]) -> str | None:
    """The audit category of an OSM object, or None."""
    railway, amenity, tourism = tags.get("railway"), tags.get("amenity"), tags.get("tourism")
    if railway in ("station", "halt") and tags.get("station") not in ("subway", "light_rail", "miniature") \
            or tags.get("public_transport") == "station" and tags.get("train") == "yes":
        return "station"
    if tourism in ("hotel", "guest_house", "hostel", "motel", "camp_site", "caravan_site", "chalet", "alpine_hut",
                   "apartment", "wilderness_hut"):
        return "accommodation"
    if amenity in ("restaurant", "cafe", "fast_food", "pub", "biergarten", "bar", "ice_cream"):
        return "food"
    if tags.get("shop") == "bicycle" or amenity in ("bicycle_repair_station", "bicycle_rental"):
        return "bike_service"
    if amenity == "shelter" or tourism == "picnic_site" or tags.get("leisure") == "picnic_table":
        return "shelter"
    if amenity == "bench":
        return "bench"
    if tourism == "information":
        kind = tags.get("information")
        if kind in ("guidepost", "route_marker"):
            return "guidepost"
        return "tourist_info" if kind in ("office", "visitor_centre") else "information"
    if amenity == "drinking_water" or tags.get("drinking_water") == "yes" and amenity == "fountain":
        return "drinking_water"
    if amenity == "toilets":
        return "toilet"
    if tags.get("barrier") in BARRIERS:
        return "barrier"
    if tags.get("highway") == "traffic_signals" or tags.get("crossing") == "traffic_signals":
        return "signals"
    if tags.get("highway") == "crossing" or "crossing" in tags or tags.get("crossing:island") == "yes":
        return "crossing"
    return None


@dataclass(frozen=True)
class Place:
    """A point the audit counts: category, name, position, the file it came from, its tags."""

    category: str
    name: str | None
    lon: float
    lat: float
    source: str
    ref: str
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OsmLine:
    """A highway way of an OSM extract: id, tags and (lon, lat) vertices."""

    id: int
    tags: Mapping[str, str]
    coords: tuple[tuple[float, float], ...]


@dataclass
class Sources:
    """What the audit was given: places, highway ways (from OSM extracts) and the names of the inputs."""

    places: list[Place] = field(default_factory=list)
    ways: list[OsmLine] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    osm_files: list[str] = field(default_factory=list)
    geofabrik_files: list[str] = field(default_factory=list)

    def of(self, *categories: str) -> list[Place]:
        return [p for p in self.places if p.category in categories]

    def way_tags(self) -> dict[int, Mapping[str, str]]:
        return {w.id: w.tags for w in self.ways}


def _inside(bbox: BBox | None, lon: float, lat: float) -> bool:
    return bbox is None or (bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3])


def project_places(pois: Iterable[Any], source: str = "pois/pois.geojson") -> list[Place]:
    """The project's own POIs that the audit counts (stations, places to stay, food, bike service, water)."""
    out = []
    for p in pois:
        cat = POI_CATEGORIES.get(p.type)
        if cat:
            out.append(Place(cat, p.name, float(p.coords[0]), float(p.coords[1]), source, f"poi/{p.id}"))
    return out


def read_geofabrik(path: Path, bbox: BBox | None) -> list[Place]:
    """Points of a Geofabrik shapefile layer (a .zip or .shp with ``fclass`` and ``name``); areas as a point inside."""
    import pyogrio
    from pyogrio.errors import DataSourceError

    try:
        df = pyogrio.read_dataframe(path, columns=["osm_id", "fclass", "name"],
                                    bbox=bbox if bbox is not None else None)
    except (DataSourceError, ValueError, OSError) as exc:
        raise DataError(Problem(str(path), f"cannot read as a shapefile layer: {str(exc).splitlines()[0]}")) \
            from None
    if "fclass" not in df.columns:
        raise DataError(Problem(str(path), "no 'fclass' field: not a Geofabrik layer", field="fclass"))
    if df.crs is not None and df.crs.to_epsg() != 4326:
        df = df.to_crs(4326)
    out = []
    for osm_id, fclass, name, geom in zip(df["osm_id"], df["fclass"], df["name"], df.geometry, strict=True):
        cat = GEOFABRIK_CLASSES.get(str(fclass))
        if cat is None or geom is None or geom.is_empty:
            continue
        pt = geom if geom.geom_type == "Point" else geom.representative_point()
        if _inside(bbox, pt.x, pt.y):
            out.append(Place(cat, name if isinstance(name, str) and name else None, float(pt.x), float(pt.y),
                             path.name, f"osm/{osm_id}", {"fclass": str(fclass)}))
    return out


_KEYS = ("railway", "public_transport", "tourism", "amenity", "shop", "leisure", "barrier", "highway", "crossing",
         "information", "crossing:island")


def read_osm(path: Path, bbox: BBox | None) -> tuple[list[Place], list[OsmLine]]:
    """Places (nodes, and closed ways as their centroid) and highway ways of an OSM file inside ``bbox``."""
    from radweg.osm import josm

    if josm.needs_reader(path):
        data = josm.read(path)
        places: list[Place] = []
        lines: list[OsmLine] = []
        for n in data.nodes.values():
            cat = osm_category(n.tags) if n.tags else None
            if cat and _inside(bbox, n.lon, n.lat):
                places.append(Place(cat, n.tags.get("name"), n.lon, n.lat, path.name, f"node/{n.id}", n.tags))
        for w in data.ways.values():
            _, pts = data.way_coords(w)
            _add_way(places, lines, path, w.id, w.tags, pts, bbox)
        return places, lines
    return _read_pbf(path, bbox)


def _add_way(places: list[Place], lines: list[OsmLine], path: Path, wid: int, tags: Mapping[str, str],
             pts: Sequence[tuple[float, float]], bbox: BBox | None) -> None:
    if len(pts) < 2 or not any(_inside(bbox, x, y) for x, y in pts):
        return
    if "highway" in tags:
        lines.append(OsmLine(wid, dict(tags), tuple(pts)))
    cat = osm_category(tags) if "highway" not in tags or tags.get("amenity") else None
    if cat and cat not in ("barrier", "crossing", "signals"):
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        places.append(Place(cat, tags.get("name"), sum(xs) / len(xs), sum(ys) / len(ys), path.name, f"way/{wid}",
                            dict(tags)))


def _read_pbf(path: Path, bbox: BBox | None) -> tuple[list[Place], list[OsmLine]]:
    import osmium

    from radweg.osm.filter import osm_error

    if not path.is_file():
        raise DataError(Problem(str(path), "no such file"))
    places: list[Place] = []
    lines: list[OsmLine] = []
    try:
        fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations() \
            .with_filter(osmium.filter.KeyFilter(*_KEYS))
        for obj in fp:
            tags = {t.k: t.v for t in obj.tags}
            if isinstance(obj, osmium.osm.Node):
                cat = osm_category(tags)
                if cat and obj.location.valid() and _inside(bbox, obj.location.lon, obj.location.lat):
                    places.append(Place(cat, tags.get("name"), obj.location.lon, obj.location.lat, path.name,
                                        f"node/{obj.id}", tags))
            elif isinstance(obj, osmium.osm.Way):
                pts = [(n.location.lon, n.location.lat) for n in obj.nodes if n.location.valid()]
                _add_way(places, lines, path, obj.id, tags, pts, bbox)
    except RuntimeError as exc:
        raise osm_error(path, exc) from exc
    return places, lines


def load(paths: Sequence[Path], bbox: BBox | None, pois: Iterable[Any] = ()) -> Sources:
    """The project's POIs plus every file given (OSM extracts or Geofabrik layers, told apart by their name)."""
    from radweg.osm import is_osm_file

    src = Sources(places=project_places(pois), names=["pois/pois.geojson (the project's POIs)"])
    for path in paths:
        if not path.is_file():
            raise DataError(Problem(str(path), "no such file"))
        if is_osm_file(path.name):
            places, lines = read_osm(path, bbox)
            src.places += places
            src.ways += lines
            src.osm_files.append(path.name)
            src.names.append(f"{path.name} (OpenStreetMap extract, ODbL)")
        elif path.suffix.lower() in (".zip", ".shp", ".gpkg"):
            src.places += read_geofabrik(path, bbox)
            src.geofabrik_files.append(path.name)
            src.names.append(f"{path.name} (Geofabrik shapefile layer of OpenStreetMap data, ODbL)")
        else:
            raise DataError(Problem(str(path), "not an OSM extract (.osm, .osm.pbf, .osm.gz, .osm.bz2) or a "
                                               "Geofabrik layer (.zip, .shp)"))
    return src
