"""``radweg neighbours …``: neighbouring cycle routes the network should join."""

from __future__ import annotations

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


def _import_osm(ctx: click.Context, path: Any, *, update: bool, dry_run: bool, defaults: dict[str, Any],
                options: dict[str, Any]) -> None:
    """Import route relations from an OSM extract, with a continuity report per relation."""
    import json

    from radweg.data import edit
    from radweg.errors import ValidationError
    from radweg.io.geojson import parse_collection
    from radweg.osm.relations import read_relations, to_feature

    ids = options.get("relation") or ()
    if bool(ids) == bool(options.get("all_")):
        raise click.UsageError("give --relation ID (repeatable) or --all [--route bicycle] [--network rcn]")
    if defaults.get("network") and defaults["network"] not in NETWORK_LEVELS:
        raise click.BadParameter(f"'{defaults['network']}' is not one of {', '.join(NETWORK_LEVELS)}",
                                 param_hint="--network")
    level = defaults.get("network")
    rels = read_relations(path, relation_ids=ids or None, route=None if ids else options.get("route"),
                          network=None if ids else level)
    if not rels:
        helpers.info(ctx, f"{path}: no route relations with route={options.get('route')}"
                          + (f" and network={level}" if level else ""))
        return
    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    by_osm = {nb.osm_id: nb.id for nb in ds.neighbours.items if nb.osm_id is not None}
    used = set(ds.neighbours.ids()) - set(by_osm.values())
    feats = []
    rows = []
    source = defaults.get("source") or f"OpenStreetMap (ODbL), {path.name}"
    bbox = ds.project.get("bbox")
    area = tuple(bbox) if bbox else None
    for rel in rels:
        out = to_feature(rel, source, used, area)
        if out is None:
            present = any(m.refs for m in rel.members)
            rows.append([rel.id, rel.tags.get("name", ""), "-",
                         "outside the project area" if present else "no member ways in this file"])
            continue
        feat, cont = out
        props = feat["properties"]
        if rel.id in by_osm:
            used.discard(props["id"])
            props["id"] = by_osm[rel.id]
        if props.get("network") is None and defaults.get("network"):
            props["network"] = defaults["network"]
        feats.append(feat)
        rows.append([rel.id, props["name"], props["id"], cont.summary()
                     + ("; clipped to the project area" if props.get("clipped_to_project_area") else "")])
    helpers.table(rows, ["osm_id", "name", "id", "continuity"])
    coll, problems = parse_collection(json.dumps({"type": "FeatureCollection", "features": feats}).encode(),
                                      "neighbours", str(path))
    if problems:
        raise ValidationError(problems)
    result = edit.merge(ds.neighbours, "neighbours", coll.items, update=update)
    _check(ds, st)
    helpers.info(ctx, f"{path}: {len(result.added)} new, {len(result.replaced)} replaced, "
                      f"{len(result.unchanged)} unchanged neighbour routes"
                      + (" (dry run, nothing written)" if dry_run else ""))
    if not dry_run and (result.added or result.replaced):
        st.save(ds, ["neighbours"])


def _is_osm(path: Any) -> bool:
    from radweg.osm import is_osm_file

    return is_osm_file(path.name)


neighbours.add_command(crud.import_command(
    "neighbours",
    [("network", ("Network level (icn, ncn, rcn, lcn) for features that have none; with an OSM file and --all, "
                  "only relations with this network=*."), None),
     ("source", "Source for features that have none.", None)],
    "GeoJSON LineStrings or MultiLineStrings; GPX: every track (with all its segments) and every route "
    "becomes one neighbouring route; or an OSM extract .osm/.osm.pbf/.osm.gz/.osm.bz2 with "
    "--relation ID or --all: route relations become MultiLineStrings and their continuity is reported",
    extra_options=[
        ("relation", click.option("--relation", type=int, multiple=True,
                                  help="OSM relation id to import (OSM files; repeatable).")),
        ("all_", click.option("--all", "all_", is_flag=True, help="All route relations of --route (OSM files).")),
        ("route", click.option("--route", default="bicycle", show_default=True,
                               help="route=* value with --all (bicycle, mtb, hiking …).")),
    ],
    handler=(_is_osm, _import_osm),
))


def _check(ds: Any, st: Any) -> None:
    """Validate the changed dataset now, so that a dry run reports what a real run would refuse."""
    from radweg.data.validate import errors_only
    from radweg.errors import ValidationError

    errors = errors_only(st.check(ds))
    if errors:
        raise ValidationError(errors)
