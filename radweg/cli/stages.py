"""``radweg stages TOUR``: the figures of a tour's day stages, or a proposal for new ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt


@click.command(short_help="Day stages of a tour: figures, or a proposal with --target-km.")
@click.argument("tour_id", metavar="TOUR")
@click.option("--target-km", type=click.FloatRange(min=1), help="Propose stages of about this length (e.g. 50).")
@click.option("--corridor", "corridor_m", type=click.FloatRange(min=0), default=1500.0, show_default=True,
              help="Stations and places to stay within this many metres of the line can end a stage.")
@click.option("--poi-corridor", "poi_corridor_m", type=click.FloatRange(min=0), default=500.0, show_default=True,
              help="POIs within this many metres count as along a stage.")
@click.option("--dem", "dem_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Terrain model (GeoTIFF, .asc with .prj, SRTM .hgt/.hgt.zip) instead of the dem of radweg.json.")
@click.option("--apply", "apply_", is_flag=True, help="Save the proposed stages as the tour's stages.")
@json_opt
@click.pass_context
def stages(ctx: click.Context, tour_id: str, target_km: float | None, corridor_m: float, poi_corridor_m: float,
           dem_path: Path | None, apply_: bool, as_json: bool) -> None:
    """Show the day stages of TOUR with km, ascent, descent and the POIs along
    each; with --target-km, propose stages that end at a place to stay, a
    railway station or a town near the line.

    Ascent and descent count only changes of at least 3 m (hysteresis, see
    docs/gpx.md); with --dem the elevations come from the given terrain model,
    sampled every 20 m along the line.

    \b
    Example:
        radweg stages nord-sued
        radweg stages west-ost --target-km 50
        radweg stages west-ost --target-km 40 --apply
    """
    from dataclasses import replace

    from radweg.data import edit
    from radweg.elevation.settings import heights_note
    from radweg.tours import stageplan

    if apply_ and target_km is None:
        raise click.UsageError("--apply needs --target-km")
    ds = helpers.load(ctx)
    tour = edit.find(ds.tours, "tours", tour_id)
    if target_km is not None:
        reports = stageplan.propose(ds, tour, target_km, corridor_m=corridor_m, poi_corridor_m=poi_corridor_m,
                                    dem_path=dem_path)
    else:
        reports = stageplan.current(ds, tour, poi_corridor_m=poi_corridor_m, dem_path=dem_path)
    records = [_record(r) for r in reports]
    if as_json:
        helpers.echo_json(records)
    else:
        helpers.table([[r["number"], r["name"], r["end_kind"], r["from_km"], r["km"], r["ascent_m"],
                        r["descent_m"], len(r["pois"])] for r in records],
                      ["#", "stage", "ends at", "from km", "km", "ascent m", "descent m", "POIs"])
        for r in records:
            if r["pois"]:
                names = ", ".join(f"{p['name']} (km {p['along_km']:.1f})" for p in r["pois"])
                click.echo(f"\n{r['number']}. {r['name']}: {names}")
        if ds.project.get("illustrative"):
            helpers.info(ctx, "note: the data is illustrative, not the official route")
        note = heights_note(ds.project, "en") if dem_path is None else f"Heights: terrain model {dem_path.name}"
        if note:
            helpers.info(ctx, f"note: {note}")
    if apply_:
        st = helpers.store(ctx)
        edit.replace_item(ds.tours, replace(tour, stages=stageplan.as_stages(reports)))
        st.save(ds, ["tours"])
        helpers.info(ctx, f"saved {len(reports)} stages to tour '{tour_id}'")


_KIND_LABEL = {"unterkunft": "Unterkunft", "bahnhof": "Bahnhof", "ort": "Ort", "ziel": "Ziel", "start": "Start"}


def _record(r: Any) -> dict[str, Any]:
    """A stage report as plain data; figures rounded like every output (km to 0.1, heights to 1 m)."""
    from radweg.tours.facts import round_km, round_m

    return {"number": r.number, "id": r.stage_id, "name": r.name, "start": r.start.name, "end": r.end.name,
            "end_kind": _KIND_LABEL.get(r.end.kind, r.end.kind), "end_offset_m": round(r.end.offset_m, 1),
            "from_km": round_km(r.start_m), "km": round_km(r.length_m),
            "ascent_m": round_m(r.ascent_m), "descent_m": round_m(r.descent_m),
            "pois": [{"id": n.poi.id, "name": n.poi.name, "type": n.poi.type, "along_km": helpers.km(n.along_m),
                      "distance_m": round(n.offset_m, 1)} for n in r.pois]}
