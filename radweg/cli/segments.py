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
    "elevations are kept",
))


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
def add(ctx: click.Context, seg_id: str, coords: list[tuple[float, float]], **fields: Any) -> None:
    """Add a segment with id ID through the given vertices.

    \b
    Example:
        radweg segments add rossla-bennungen --name "Roßla – Bennungen" \\
            --coords "11.07639,51.46472 11.11722,51.46167" --status planned
    """
    from radweg import edit

    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    feat = {"type": "Feature", "properties": {"id": seg_id, **fields},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}
    seg = edit.parse_one("segments", feat, "command line")
    edit.merge(ds.segments, "segments", [seg], update=False)
    st.save(ds, ["segments"])
    helpers.info(ctx, f"added segment '{seg_id}' ({_row(seg, ds)['length_km']} km)")
