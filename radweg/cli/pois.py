"""``radweg pois …``: points of interest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import crud, helpers
from radweg.cli.options import bbox_handler, json_opt, lonlat_handler
from radweg.io.text import coordinate
from radweg.model import POI_TYPES


def _row(poi: Any, ds: Any) -> dict[str, Any]:
    return {"id": poi.id, "name": poi.name, "type": poi.type, "lon": poi.lon, "lat": poi.lat,
            "height_m": poi.height_m, "approx": poi.approx}


@click.group(short_help="Manage points of interest.")
def pois() -> None:
    """Manage the points of interest: heaps, shafts, museums, stations … (pois/pois.geojson)."""


COLUMNS = {"lon": coordinate, "lat": coordinate}
"""Positions in tables with the 6 decimals of the data files."""

pois.add_command(crud.list_command("pois", _row, [("type", f"Only this type ({', '.join(POI_TYPES)}).")],
                                   columns=COLUMNS))
pois.add_command(crud.show_command("pois", _row, columns=COLUMNS))
pois.add_command(crud.remove_command("pois"))
pois.add_command(crud.set_command("pois"))


def _check_import(path: Path, defaults: dict[str, Any], options: dict[str, Any]) -> None:
    """Options of OSM and Geofabrik files are usage errors for a GeoJSON file of radweg's own POIs."""
    import json

    from radweg.data.importers import format_for
    from radweg.osm.geofabrik import is_geofabrik_geojson

    if "corridor_m" in options and "tour" not in options:
        raise click.UsageError("--corridor needs --tour")
    if not options or format_for(path, "pois").name != "GeoJSON":
        return
    try:
        obj = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return  # the import reports it
    if not is_geofabrik_geojson(obj):
        flag = {"radius_m": "--radius", "types": "--only", "bbox": "--bbox", "tour": "--tour",
                "corridor_m": "--corridor", "within": "--within"}[sorted(options)[0]]
        raise click.UsageError(f"{flag} does not apply to GeoJSON files (only to OSM extracts and Geofabrik "
                               "layers or their GeoJSON exports)")


pois.add_command(crud.import_command(
    "pois",
    [("type", "Type for features that have none.", None),
     ("source", "Source for features that have none.", None)],
    "GeoJSON Points; GPX: every waypoint (wpt) becomes one POI, its type from --type, else from the "
    "waypoint's type/sym when it names a POI type, else 'other'; an OSM extract "
    ".osm/.osm.pbf/.osm.gz/.osm.bz2: mine shafts, adits, heaps, memorials, "
    "museums, viewpoints, places to stay, stations, drinking water and bicycle repair become POIs (areas as their "
    "centroid); or a Geofabrik free shapefile layer (.zip, .shp, or a GeoJSON export of one): its fclass "
    "becomes the POI type (docs/data.md), areas a point inside them. OSM POIs are de-duplicated against the "
    "existing POIs by distance and name: each is added, merged into an existing POI (filling its empty fields) "
    "or skipped as a duplicate (add / update / skip; -v lists them)",
    extra_options=[
        ("radius_m", click.option("--radius", "radius_m", type=click.FloatRange(min=0), default=100.0,
                                  show_default=True, help="OSM and Geofabrik files: an existing POI this close "
                                                          "(metres) with a similar name is the same POI.")),
        ("types", click.option("--only", "types", type=click.Choice(POI_TYPES), multiple=True,
                               help="OSM and Geofabrik files: only these POI types (repeatable).")),
        ("bbox", click.option("--bbox", "bbox", callback=bbox_handler,
                              help="OSM and Geofabrik files: only inside W,S,E,N (default: the project area of "
                                   "radweg.json).")),
        ("tour", click.option("--tour", "tour", metavar="ID",
                              help="OSM and Geofabrik files: only POIs near this tour (see --corridor).")),
        ("corridor_m", click.option("--corridor", "corridor_m", type=click.FloatRange(min=0), default=1000.0,
                                    show_default=True, help="With --tour: the corridor's width on each side of "
                                                            "the tour, metres.")),
        ("within", click.option("--within", "within", type=click.Path(exists=True, dir_okay=False),
                                help="OSM and Geofabrik files: only POIs inside the polygons of this file "
                                     "(GeoJSON, Shapefile, .zip; any CRS).")),
    ],
    check=_check_import,
))


@pois.command(short_help="Add a POI.")
@click.argument("poi_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--type", "type_", type=click.Choice(POI_TYPES), required=True)
@click.option("--at", "at", required=True, callback=lonlat_handler, help="Position as LON,LAT.")
@click.option("--description", help="Description in German.")
@click.option("--description-en", "description_en", help="Description in English.")
@click.option("--height-m", "height_m", type=float, help="Height of a heap above the ground, in metres.")
@click.option("--website")
@click.option("--source", help="Where the position and facts come from.")
@click.option("--approx", is_flag=True, help="The position is only approximate.")
@click.pass_context
def add(ctx: click.Context, /, poi_id: str, type_: str, at: tuple[float, float], **fields: Any) -> None:
    """Add a point of interest.

    \b
    Example:
        radweg pois add hohe-linde --name "Spitzkegelhalde Hohe Linde" --type halde \\
            --at 11.28637,51.49436 --height-m 145
    """
    from radweg.data import edit

    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    feat = {"type": "Feature", "properties": {"id": poi_id, "type": type_, **fields},
            "geometry": {"type": "Point", "coordinates": list(at)}}
    poi = edit.parse_one("pois", feat, "command line")
    edit.merge(ds.pois, "pois", [poi], update=False)
    st.save(ds, ["pois"])
    helpers.info(ctx, f"added POI '{poi_id}'")


@pois.command(short_help="POIs near a point, segment, tour or POI.")
@click.argument("at", required=False, callback=lonlat_handler, metavar="[LON,LAT]")
@click.option("--segment", "segment_id", help="Along this segment.")
@click.option("--tour", "tour_id", help="Along this tour.")
@click.option("--poi", "poi_id", help="Around this POI.")
@click.option("--radius", "radius_m", type=click.FloatRange(min=0), default=500.0, show_default=True,
              help="Search radius (corridor width on each side of a line), metres.")
@click.option("--type", "type_", type=click.Choice(POI_TYPES), help="Only this type.")
@json_opt
@click.pass_context
def near(ctx: click.Context, at: tuple[float, float] | None, segment_id: str | None, tour_id: str | None,
         poi_id: str | None, radius_m: float, type_: str | None, as_json: bool) -> None:
    """List POIs near a point (LON,LAT), or along a segment or tour.

    Around a point, POIs come nearest first; along a line, in riding order with
    the distance along it.

    \b
    Example:
        radweg pois near --tour nord-sued --radius 1000 --type halde
        radweg pois near 11.30,51.47 --radius 2000
    """
    from radweg.data import edit
    from radweg.tours import corridor
    from radweg.tours.line import tour_line

    given = [x for x in (at, segment_id, tour_id, poi_id) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of LON,LAT, --segment, --tour or --poi")
    ds = helpers.load(ctx)
    candidates = [p for p in ds.pois.items if type_ is None or p.type == type_]
    if segment_id is not None:
        found = corridor.along_line(candidates, edit.find(ds.segments, "segments", segment_id).coords, radius_m)
    elif tour_id is not None:
        line = tour_line(edit.find(ds.tours, "tours", tour_id), ds.segment_map())
        found = corridor.along_line(candidates, line, radius_m)
    elif poi_id is not None:
        origin = edit.find(ds.pois, "pois", poi_id)
        found = corridor.near_point([p for p in candidates if p.id != poi_id], origin.coords, radius_m)
    else:
        assert at is not None
        found = corridor.near_point(candidates, at, radius_m)
    on_line = bool(segment_id or tour_id)
    records = []
    for n in found:
        rec: dict[str, Any] = {"id": n.poi.id, "name": n.poi.name, "type": n.poi.type,
                               "distance_m": round(n.offset_m, 1)}
        if on_line:
            rec["along_km"] = helpers.km(n.along_m)
        records.append(rec)
    helpers.records(ctx, records, as_json, f"no POIs within {radius_m:.0f} m")
