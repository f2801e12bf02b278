"""``radweg neighbours …``: neighbouring cycle routes the network should join."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import crud, helpers
from radweg.model import NETWORK_LEVELS


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


def _check_osm(path: Path, defaults: dict[str, Any], options: dict[str, Any]) -> None:
    """Usage errors of an OSM import: which relations, and a known network level."""
    from radweg.osm import is_osm_file

    if not is_osm_file(path.name):
        return
    if bool(options.get("relations")) == bool(options.get("all_relations")):
        raise click.UsageError("give --relation ID (repeatable) or --all [--route bicycle] [--network rcn]")
    if defaults.get("network") and defaults["network"] not in NETWORK_LEVELS:
        raise click.BadParameter(f"'{defaults['network']}' is not one of {', '.join(NETWORK_LEVELS)}",
                                 param_hint="--network")


neighbours.add_command(crud.import_command(
    "neighbours",
    [("network", ("Network level (icn, ncn, rcn, lcn) for features that have none; with an OSM file and --all, "
                  "only relations with this network=*."), None),
     ("source", "Source for features that have none.", None)],
    "GeoJSON LineStrings or MultiLineStrings; GPX: every track (with all its segments) and every route "
    "becomes one neighbouring route; or an OSM extract .osm/.osm.pbf/.osm.gz/.osm.bz2 with "
    "--relation ID or --all: route relations become MultiLineStrings and their continuity is reported (with -v)",
    extra_options=[
        ("relations", click.option("--relation", "relations", type=int, multiple=True,
                                   help="OSM relation id to import (OSM files; repeatable).")),
        ("all_relations", click.option("--all", "all_relations", is_flag=True,
                                       help="All route relations of --route (OSM files).")),
        ("route", click.option("--route", default="bicycle", show_default=True,
                               help="route=* value with --all (bicycle, mtb, hiking …).")),
    ],
    check=_check_osm,
))

