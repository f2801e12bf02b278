"""``radweg segments …``: the route network's segments."""

from __future__ import annotations

from typing import Any

import click

from radweg.cli import crud, helpers
from radweg.cli.options import coords_handler
from radweg.model import STATUSES, SURFACES, WAY_TYPES


def _row(seg: Any, ds: Any) -> dict[str, Any]:
    from radweg.geometry import line_length_m

    return {"id": seg.id, "name": seg.name, "status": seg.status, "surface": seg.surface,
            "way_type": seg.way_type, "municipality": seg.municipality,
            "length_km": helpers.km(line_length_m(seg.coords))}


@click.group(short_help="Manage the route's segments.")
def segments() -> None:
    """Manage the segments of the route network (routes/segments.geojson)."""


segments.add_command(crud.list_command("segments", _row, [("status", "Only segments with this status.")]))
segments.add_command(crud.show_command("segments", _row))
segments.add_command(crud.remove_command("segments"))
segments.add_command(crud.set_command("segments"))
segments.add_command(crud.import_command(
    "segments",
    [("status", "Status for features that have none.", "planned"),
     ("source", "Source for features that have none.", None)],
    "GeoJSON LineStrings, or GPX: every track segment (trkseg) and every route (rte) with at least two "
    "distinct points becomes one segment; a track with several segments gives several, named 'Track (2/3)'; "
    "elevations are kept; or an OpenStreetMap extract with --relation: the route relation's ways become "
    "segments with their real geometry, cut where another imported route meets them or the status changes; "
    "with --tour also a tour through them in member order (see docs/tutorial.md)",
    extra_options=[
        ("relations", click.option("--relation", "relations", type=click.IntRange(min=1), multiple=True,
                                   metavar="ID", help="OpenStreetMap route relation to import (repeatable).")),
        ("tour", click.option("--tour", "tour", default=None, metavar="TOUR_ID",
                              help="With --relation: also make a tour with this id through the relations.")),
        ("tour_name", click.option("--tour-name", "tour_name", default=None,
                                   help="With --tour: the tour's name [default: the relation's name].")),
    ],
    check=lambda path, fill, given: _check_relation_options(given),
))


def _check_relation_options(given: dict[str, Any]) -> None:
    if ("tour" in given or "tour_name" in given) and "relations" not in given:
        raise click.UsageError("--tour needs --relation ID")
    if "tour_name" in given and "tour" not in given:
        raise click.UsageError("--tour-name needs --tour TOUR_ID")
    if "tour" in given:
        from radweg.model import ID_PATTERN

        if not ID_PATTERN.match(str(given["tour"])):
            raise click.UsageError(f"--tour: '{given['tour']}' is not a valid id (a-z 0-9 - _)")


@segments.command(short_help="Add a segment drawn from coordinates.")
@click.argument("seg_id", metavar="ID")
@click.option("--name", required=True, help="Name (German), e.g. 'Goldene Aue: Kelbra – Roßla'.")
@click.option("--coords", required=True, callback=coords_handler,
              help="Vertices as 'LON,LAT LON,LAT …' (at least two).")
@click.option("--status", type=click.Choice(STATUSES), default="planned", show_default=True)
@click.option("--surface", type=click.Choice(SURFACES))
@click.option("--way-type", "way_type", type=click.Choice(WAY_TYPES))
@click.option("--municipality")
@click.option("--source", help="Where the geometry comes from.")
@click.option("--notes")
@click.option("--updated", help="Date of the last check, YYYY-MM-DD.")
@click.pass_context
def add(ctx: click.Context, /, seg_id: str, coords: list[tuple[float, float]], **fields: Any) -> None:
    """Add a segment with id ID through the given vertices.

    \b
    Example:
        radweg segments add rossla-bennungen --name "Roßla – Bennungen" \\
            --coords "11.07639,51.46472 11.11722,51.46167" --status planned
    """
    from radweg.data import edit

    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    feat = {"type": "Feature", "properties": {"id": seg_id, **fields},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}
    seg = edit.parse_one("segments", feat, "command line")
    edit.merge(ds.segments, "segments", [seg], update=False)
    st.save(ds, ["segments"])
    helpers.info(ctx, f"added segment '{seg_id}' ({_row(seg, ds)['length_km']} km)")


@segments.command("route", short_help="Route a drafted segment along the street network.")
@click.argument("seg_id", metavar="ID")
@click.option("--network", "network_name", help="Cached network to route on (see 'radweg network list').")
@click.option("--max-detour", type=click.FloatRange(min=1.0), default=1.5, show_default=True,
              help="Warn when a leg is more than this many times longer than the straight line.")
@click.option("--weight", type=click.Choice(["cost", "length"]), default="cost", show_default=True,
              help="Cheapest by cycling cost, or shortest.")
@click.option("--set-attributes", is_flag=True,
              help="Also set the segment's surface and way_type from the route (the class with ≥ 70 % of the "
                   "length, else 'mixed').")
@click.option("--snap-limit", "snap_limit_m", type=click.FloatRange(min=0, min_open=True), default=500.0,
              show_default=True, metavar="M",
              help="Refuse to route when a waypoint is farther than this from every way (the network does not "
                   "cover the segment).")
@click.option("--on-network", is_flag=True,
              help="Start and end where the first and last waypoint snap onto the network, not at the waypoints "
                   "themselves (no straight pieces off the ways).")
@click.option("--dry-run", is_flag=True, help="Show the result; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the routing report as JSON.")
@click.pass_context
def route_cmd(ctx: click.Context, seg_id: str, network_name: str | None, max_detour: float, weight: str,
              set_attributes: bool, snap_limit_m: float, on_network: bool, dry_run: bool, as_json: bool) -> None:
    """Route segment ID through its waypoints along real ways, with the cycling cost.

    The segment's vertices are taken as waypoints (a draft drawn with a few
    points); after routing they are kept in the segment's `waypoints`
    property, so routing again starts from them. The report gives the share
    of length per highway class and surface, and flags legs without a path or
    longer than --max-detour times the straight line. A waypoint farther than
    --snap-limit from every way is an error: the network does not cover the
    segment, and nothing is written.

    \b
    Example:
        radweg network import mansfeld-suedharz.osm.pbf
        radweg segments route helbra-eisleben --max-detour 1.4
    """
    from dataclasses import replace
    from pathlib import Path

    from radweg.data import edit
    from radweg.io.geojson import feature
    from radweg.osm.draft import attributes, route_segment
    from radweg.osm.network import load_network

    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    seg = edit.find(ds.segments, "segments", seg_id)
    G = load_network(Path(ctx.obj["data"]), network_name)
    result = route_segment(G, seg, max_detour=max_detour, weight=weight, snap_limit_m=snap_limit_m,
                           on_network=on_network)
    report = result.report
    if as_json:
        helpers.echo_json(report)
    else:
        for leg in report["legs"]:
            helpers.info(ctx, f"leg {leg['leg']}: {helpers.km(leg['length_m'])} km routed, "
                              f"{helpers.km(leg['straight_m'])} km straight ({leg['detour']:.2f}×)")
        comp = report["composition"]
        helpers.info(ctx, "highway: " + ", ".join(f"{k} {v:.0%}" for k, v in comp["highway"].items()))
        helpers.info(ctx, "surface: " + ", ".join(f"{k} {v:.0%}" for k, v in comp["surface"].items()))
    for warning in report["warnings"]:
        helpers.info(ctx, f"warning: {warning}")
    new = replace(seg, coords=result.coords, extra={**seg.extra, "waypoints": report["waypoints"],
                                                    "routing": {k: v for k, v in report.items() if k != "waypoints"}})
    if set_attributes:
        surface, way_type = attributes(report["composition"])
        new = replace(new, surface=surface, way_type=way_type)
        helpers.info(ctx, f"surface: {surface}, way_type: {way_type}")
    new = edit.parse_one("segments", feature(new), "segments route")
    edit.replace_item(ds.segments, new)
    helpers.info(ctx, f"segment '{seg_id}': {helpers.km(report['length_m'])} km along network "
                      f"'{report['network']}'" + (" (dry run, nothing written)" if dry_run else ""))
    if not dry_run:
        st.save(ds, ["segments"])


@segments.command("compare", short_help="How far one segment runs from another, and where.")
@click.argument("seg_id", metavar="ID")
@click.argument("other_id", metavar="OTHER")
@click.option("--near", "near_m", type=click.FloatRange(min=0, min_open=True), default=25.0, show_default=True,
              metavar="M", help="Closer than this counts as on the other line.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.pass_context
def compare_cmd(ctx: click.Context, seg_id: str, other_id: str, near_m: float, as_json: bool) -> None:
    """Compare segment ID (e.g. a test ride imported from GPX) with segment OTHER (e.g. the routed tour).

    ID is sampled every 10 m; for each sample the distance to OTHER is measured.
    Prints the share of ID within --near of OTHER, the median and largest
    distance, and every stretch of ID farther away (km along ID, how far, where).

    \b
    Example:
        radweg segments import testfahrt.gpx
        radweg segments compare testfahrt envalira --near 30
    """
    from radweg.data import edit
    from radweg.tours.compare import compare_lines

    ds = helpers.load(ctx)
    a = edit.find(ds.segments, "segments", seg_id)
    b = edit.find(ds.segments, "segments", other_id)
    result = compare_lines(a.coords, b.coords, near_m=near_m)
    if as_json:
        helpers.echo_json({"segment": seg_id, "other": other_id, **result.as_dict()})
        return
    click.echo(f"{seg_id} ({helpers.km(result.length_m)} km) against {other_id}: "
               f"{result.near_share:.0%} within {near_m:g} m; median {result.median_m:.0f} m, "
               f"farthest {result.max_m:.0f} m at km {result.max_along_m / 1000:.2f} "
               f"({result.max_at[0]:.5f},{result.max_at[1]:.5f})")
    if result.away:
        helpers.table([[f"{s.from_m / 1000:.2f}", f"{s.to_m / 1000:.2f}", round(s.max_m),
                        f"{s.at[0]:.5f},{s.at[1]:.5f}"] for s in result.away],
                      ["from km", "to km", "max m", "farthest at"])
