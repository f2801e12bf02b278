"""``radweg neighbours …``: neighbouring cycle routes the network should join."""

from __future__ import annotations

from typing import Any

import click

from radweg.cli import crud, helpers


def _row(nb: Any, ds: Any) -> dict[str, Any]:
    from radweg.geometry import line_length_m

    return {"id": nb.id, "name": nb.name, "network": nb.network, "ref": nb.ref, "parts": len(nb.lines),
            "length_km": helpers.km(sum(line_length_m(line) for line in nb.lines))}


@click.group(short_help="Manage neighbouring cycle routes.")
def neighbours() -> None:
    """Manage the neighbouring cycle routes (routes/neighbours.geojson)."""


neighbours.add_command(crud.list_command("neighbours", _row, [("network", "Only this network level.")]))
neighbours.add_command(crud.show_command("neighbours", _row))
neighbours.add_command(crud.remove_command("neighbours"))
neighbours.add_command(crud.import_command(
    "neighbours",
    [("network", "Network level (icn, ncn, rcn, lcn) for features that have none.", None),
     ("source", "Source for features that have none.", None)],
    "GeoJSON LineStrings or MultiLineStrings, or GPX: every track (with all its segments) and every route "
    "becomes one neighbouring route",
))
