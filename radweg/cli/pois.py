"""``radweg pois …``: points of interest."""

from __future__ import annotations

from typing import Any

import click

from radweg.cli import crud, helpers
from radweg.cli.options import bbox_handler, json_opt, lonlat_handler
from radweg.model import POI_TYPES


def _row(poi: Any, ds: Any) -> dict[str, Any]:
    return {"id": poi.id, "name": poi.name, "type": poi.type, "lon": poi.lon, "lat": poi.lat,
            "height_m": poi.height_m, "approx": poi.approx}


@click.group(short_help="Manage points of interest.")
def pois() -> None:
    """Manage the points of interest: heaps, shafts, museums, stations … (pois/pois.geojson)."""


pois.add_command(crud.list_command("pois", _row, [("type", f"Only this type ({', '.join(POI_TYPES)}).")]))
pois.add_command(crud.show_command("pois", _row))
pois.add_command(crud.remove_command("pois"))
pois.add_command(crud.set_command("pois"))


def _import_osm(ctx: click.Context, path: Any, *, update: bool, dry_run: bool, defaults: dict[str, Any],
                options: dict[str, Any]) -> None:
    """Heritage and cyclist POIs from an OSM extract: show add/merge/skip, then write unless --dry-run."""
    from radweg.data.validate import errors_only
    from radweg.errors import ValidationError
    from radweg.osm.features import plan, read_candidates

    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    bbox = options.get("osm_bbox") or ds.project.get("bbox")
    candidates = read_candidates(path, types=options.get("osm_types") or None,
                                 bbox=tuple(bbox) if bbox else None)
    source = defaults.get("source") or f"OpenStreetMap (ODbL), {path.name}"
    actions = plan(ds.pois.items, candidates, source=source, radius_m=options.get("radius") or 100.0)
    rows = [[a.action, a.poi.id, a.poi.name, a.poi.type, a.candidate.osm,
             None if a.distance_m is None else round(a.distance_m), ", ".join(a.filled)] for a in actions]
    if rows:
        helpers.table(rows, ["action", "id", "name", "type", "osm", "distance_m", "fills"])
    counts = {k: sum(1 for a in actions if a.action == k) for k in ("add", "merge", "skip")}
    by_id = {p.id: p for p in ds.pois.items}
    for a in actions:
        by_id[a.poi.id] = a.poi
    ds.pois.items = sorted(by_id.values(), key=lambda p: p.id)
    errors = errors_only(st.check(ds))
    if errors:
        raise ValidationError(errors)
    helpers.info(ctx, f"{path}: {len(candidates)} POIs found"
                      + (f" inside the project area {list(bbox)}" if bbox and not options.get("osm_bbox") else "")
                      + f"; {counts['add']} to add, {counts['merge']} to merge into existing POIs, "
                      f"{counts['skip']} skipped as duplicates" + (" (dry run, nothing written)" if dry_run else ""))
    if not dry_run and (counts["add"] or counts["merge"]):
        st.save(ds, ["pois"])


def _is_osm(path: Any) -> bool:
    from radweg.osm import is_osm_file

    return is_osm_file(path.name)


pois.add_command(crud.import_command(
    "pois",
    [("type", "Type for features that have none.", None),
     ("source", "Source for features that have none.", None)],
    "GeoJSON Points; GPX: every waypoint (wpt) becomes one POI, its type from --type, else from the "
    "waypoint's type/sym when it names a POI type, else 'other'; or an OSM extract "
    ".osm/.osm.pbf/.osm.gz/.osm.bz2: mine shafts, adits, heaps, memorials, "
    "museums, viewpoints, places to stay, stations, drinking water and bicycle repair become POIs (areas as their "
    "centroid), de-duplicated against the existing POIs by distance and name: the table shows add / merge / skip",
    extra_options=[
        ("radius", click.option("--radius", type=click.FloatRange(min=0), default=100.0, show_default=True,
                                help="OSM files: an existing POI this close (metres) with a similar name is the "
                                     "same POI.")),
        ("osm_types", click.option("--only", "osm_types", type=click.Choice(POI_TYPES), multiple=True,
                                   help="OSM files: only these POI types (repeatable).")),
        ("osm_bbox", click.option("--bbox", "osm_bbox", callback=bbox_handler,
                                  help="OSM files: only inside W,S,E,N (default: the project area of radweg.json).")),
    ],
    handler=(_is_osm, _import_osm),
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
def add(ctx: click.Context, poi_id: str, type_: str, at: tuple[float, float], **fields: Any) -> None:
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
    if segment_id or tour_id:
        if segment_id:
            line = edit.find(ds.segments, "segments", segment_id).coords
        else:
            line = tour_line(edit.find(ds.tours, "tours", tour_id), ds.segment_map())
        found = corridor.along_line(candidates, line, radius_m)
    else:
        if poi_id:
            origin = edit.find(ds.pois, "pois", poi_id)
            at = origin.coords
            candidates = [p for p in candidates if p.id != poi_id]
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
