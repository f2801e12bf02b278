"""``radweg tours …``: tours (ordered segments) and their stages."""

from __future__ import annotations

from typing import Any

import click

from radweg.cli import crud, helpers

_STAGE_HELP = ("A stage as NAME FROM TO (repeatable, in riding order). FROM and TO are 'start', 'end', "
               "'km:12.5' (distance along the tour), 'LON,LAT', or a POI id.")


def _row(tour: Any, ds: Any) -> dict[str, Any]:
    from radweg.tours.line import tour_length_m

    segs = ds.segment_map()
    length = tour_length_m(tour, segs) if all(leg.segment in segs for leg in tour.legs) else None
    return {"id": tour.id, "name": tour.name, "segments": len(tour.legs), "stages": len(tour.stages),
            "length_km": helpers.km(length) if length is not None else None}


def _parse_legs(text: str) -> tuple[Any, ...]:
    from radweg.model import Leg

    legs = tuple(Leg.parse(part) for part in text.replace(" ", ",").split(",") if part.strip())
    if not legs:
        raise click.BadParameter("give at least one segment id", param_hint="--segments")
    return legs


def _stages(ds: Any, legs: tuple[Any, ...], specs: tuple[tuple[str, str, str], ...]) -> tuple[Any, ...]:
    from radweg.data.edit import find
    from radweg.model import Stage, Tour, slugify
    from radweg.tours.line import resolve_place, tour_line

    for leg in legs:
        find(ds.segments, "segments", leg.segment)
    line = tour_line(Tour("_", "_", legs), ds.segment_map())
    pois = {p.id: p for p in ds.pois.items}
    stages, used = [], set()
    for name, start, end in specs:
        sid, n = slugify(name, fallback="etappe"), 2
        while sid in used:
            sid, n = f"{slugify(name, fallback='etappe')}-{n}", n + 1
        used.add(sid)
        stages.append(Stage(sid, name, resolve_place(start, line, pois), resolve_place(end, line, pois)))
    return tuple(stages)


@click.group(short_help="Manage tours and their stages.")
def tours() -> None:
    """Manage tours: what a cyclist rides, an ordered list of segments cut into stages
    (routes/tours.geojson)."""


tours.add_command(crud.list_command("tours", _row))
tours.add_command(crud.show_command("tours", _row))
tours.add_command(crud.remove_command("tours"))


@tours.command(short_help="Add a tour from segment ids.")
@click.argument("tour_id", metavar="ID")
@click.option("--name", required=True, help="Name (German), e.g. 'Nord–Süd: Arnstein – Kelbra'.")
@click.option("--name-en", "name_en", help="Name in English.")
@click.option("--description", help="Description in German.")
@click.option("--description-en", "description_en", help="Description in English.")
@click.option("--segments", "segments_text", required=True,
              help="Segment ids in riding order, comma-separated; append ':r' to ride one backwards.")
@click.option("--stage", "stage_specs", type=(str, str, str), multiple=True, metavar="NAME FROM TO",
              help=_STAGE_HELP)
@click.pass_context
def add(ctx: click.Context, /, tour_id: str, segments_text: str, stage_specs: tuple[tuple[str, str, str], ...],
        **fields: Any) -> None:
    """Add a tour with id ID made of the given segments, and its stages.

    \b
    Example:
        radweg tours add ost-west --name "Ost–West" \\
            --segments roeblingen-eisleben:r,eisleben-helbra \\
            --stage "Röblingen – Helbra" start end
    """
    from radweg.data import edit
    from radweg.io.geojson import feature
    from radweg.model import Tour

    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    legs = _parse_legs(segments_text)
    stages = _stages(ds, legs, stage_specs)
    tour = Tour(tour_id, fields.pop("name"), legs, stages, **fields)
    tour = edit.parse_one("tours", feature(tour), "command line")
    edit.merge(ds.tours, "tours", [tour], update=False)
    st.save(ds, ["tours"])
    helpers.info(ctx, f"added tour '{tour_id}' with {len(legs)} segments and {len(stages)} stages "
                      f"({_row(tour, ds)['length_km']} km)")


@tours.command("set", short_help="Change a tour: fields, segments or stages.")
@click.argument("tour_id", metavar="ID")
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@click.option("--segments", "segments_text", help="Replace the segment list (ids, ':r' for reversed).")
@click.option("--stage", "stage_specs", type=(str, str, str), multiple=True, metavar="NAME FROM TO",
              help="Replace all stages. " + _STAGE_HELP)
@click.option("--clear-stages", is_flag=True, help="Remove all stages.")
@click.pass_context
def set_(ctx: click.Context, tour_id: str, assignments: tuple[str, ...], segments_text: str | None,
         stage_specs: tuple[tuple[str, str, str], ...], clear_stages: bool) -> None:
    """Change the fields (name, name_en, description, description_en), the
    segments or the stages of tour ID. Stages given with --stage replace the old ones.

    \b
    Example:
        radweg tours set nord-sued name_en="North–South"
        radweg tours set nord-sued --stage "Tag 1" start sangerhausen-bahnhof --stage "Tag 2" sangerhausen-bahnhof end
    """
    from dataclasses import replace

    from radweg.cli.options import assignments_handler
    from radweg.data import edit

    values = assignments_handler(ctx, ctx.command.params[1], assignments)
    if not values and segments_text is None and not stage_specs and not clear_stages:
        raise click.UsageError("nothing to change: give FIELD=VALUE, --segments, --stage or --clear-stages")
    if stage_specs and clear_stages:
        raise click.UsageError("--stage and --clear-stages exclude each other")
    allowed = edit.settable_fields("tours")
    unknown = [k for k in values if k not in allowed]
    if unknown:
        raise click.UsageError(f"cannot set {', '.join(unknown)}; settable fields: {', '.join(allowed)}")
    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    tour = edit.find(ds.tours, "tours", tour_id)
    if values:
        tour = edit.set_fields("tours", tour, values)
    if segments_text is not None:
        tour = replace(tour, legs=_parse_legs(segments_text))
    if stage_specs:
        tour = replace(tour, stages=_stages(ds, tour.legs, stage_specs))
    elif clear_stages:
        tour = replace(tour, stages=())
    edit.replace_item(ds.tours, tour)
    st.save(ds, ["tours"])
    helpers.info(ctx, f"updated tour '{tour_id}'")
