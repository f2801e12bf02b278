"""``radweg export …``: files for cyclists and devices. ``gpx`` lives here; other formats join the group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt


@click.group(short_help="Export tours for devices and the web.")
def export() -> None:
    """Export tours and stages as files for cyclists (GPX, maps …) into output/."""


@export.command("gpx", short_help="Export tours, stages and POIs as GPX.")
@click.argument("tour_id", required=False, metavar="[TOUR]")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder [default: <data folder>/output/gpx].")
@click.option("--as-route/--no-route", "as_route", default=True, show_default=True,
              help="Also write a route (rte) for the tour and each stage, capped at --max-points.")
@click.option("--max-points", type=click.IntRange(min=2), default=250, show_default=True,
              help="Most points in a route (250 is the limit of many Garmin devices). Always holds.")
@click.option("--track-max-points", type=click.IntRange(min=2),
              help="Also cap tracks at this many points (default: no cap).")
@click.option("--simplify", "simplify_m", type=click.FloatRange(min=0, min_open=True), metavar="METRES",
              help="Simplify tracks and routes; no point of the original line is further than METRES away.")
@click.option("--reverse", is_flag=True, help="The opposite direction (files named …-gegenrichtung).")
@click.option("--corridor", "corridor_m", type=click.FloatRange(min=0), default=500.0, show_default=True,
              help="POIs within this many metres of the line become waypoints (0: none).")
@click.option("--stages/--no-stages", "per_stage", default=True, show_default=True, help="One file per stage.")
@click.option("--per-segment", is_flag=True, help="Also one file per segment of the tour, in riding order.")
@click.option("--zip/--no-zip", "bundle", default=True, show_default=True,
              help="A ZIP per tour with all its files.")
@click.option("--dem", "dem_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Terrain model (GeoTIFF, .asc with .prj, SRTM .hgt/.hgt.zip) instead of the dem of radweg.json; "
                   "sampled every 20 m along the line.")
@click.option("--force", is_flag=True, help="Write into a non-empty folder that radweg did not make (deletes nothing).")
@click.option("--timestamp", is_flag=True,
              help="Write the current time into the metadata (default: no time, or SOURCE_DATE_EPOCH if set).")
@json_opt
@click.pass_context
def gpx(ctx: click.Context, /, tour_id: str | None, output: Path | None, as_json: bool, **kwargs: Any) -> None:
    """Write GPX 1.1 files for TOUR (default: every tour): the whole tour and each
    stage as a track (trk) and as a route (rte) capped at --max-points, a ZIP
    per tour, and optionally one file per segment.

    POIs near the line become waypoints with a Garmin symbol and a type. The
    metadata names author, licence and attribution. Files are named after
    the tour id and stage names (slugs) and never land outside the output
    folder; the same data always gives the same bytes.

    \b
    Example:
        radweg export gpx nord-sued --max-points 250
        radweg export gpx --simplify 10 --reverse -o /tmp/gpx
    """
    from radweg.api import export_gpx
    from radweg.data.layout import Layout

    ds = helpers.load(ctx)
    out_dir = output if output is not None else Layout(Path(ctx.obj["data"])).gpx
    files = export_gpx(ds, out_dir, tour_ids=[tour_id] if tour_id else None, **kwargs)
    records = [{"file": str(f.path), "kind": f.kind, "tour": f.tour_id, "stage": f.stage_id, "points": f.points,
                "points_before": f.points_before, "waypoints": f.waypoints,
                "max_deviation_m": round(f.max_deviation_m, 2)} for f in files]
    if as_json:
        helpers.echo_json(records)
        return
    if not files:
        helpers.info(ctx, "no tours to export")
        return
    helpers.table([[f.path.name, f.kind, f.points, f.waypoints, round(f.max_deviation_m, 1)] for f in files],
                  ["file", "kind", "points", "wpt", "max dev m"])
    simplify_m = kwargs.get("simplify_m")
    over = [f for f in files if f.kind != "zip" and simplify_m and f.max_deviation_m > simplify_m]
    for f in over:
        helpers.info(ctx, f"warning: {f.path.name}: the point cap cost {f.max_deviation_m:.1f} m of deviation, "
                          f"more than --simplify {simplify_m:g}")
    if ds.project.get("illustrative"):
        helpers.info(ctx, "note: the data is illustrative, not the official route")
    helpers.info(ctx, f"wrote {len(files)} files to {out_dir}")
