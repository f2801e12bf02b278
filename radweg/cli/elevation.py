"""``radweg elevation``: heights from a terrain model into the segments', neighbours' and POIs' coordinates."""

from __future__ import annotations

from pathlib import Path

import click

from radweg.cli import helpers
from radweg.cli.options import dry_run_opt, json_opt


@click.command(short_help="Set heights from a terrain model (GeoTIFF, ASCII grid, SRTM .hgt/.hgt.zip).")
@click.argument("ids", nargs=-1, metavar="[IDS]...")
@click.option("--dem", "dem_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="PATH", help="Terrain model file; repeat for a mosaic of tiles (default: dem in radweg.json).")
@click.option("--dem-crs", metavar="CRS",
              help="CRS of files that do not name their own, e.g. EPSG:31467 (default: dem_crs in radweg.json).")
@dry_run_opt
@json_opt
@click.pass_context
def elevation(ctx: click.Context, ids: tuple[str, ...], dem_paths: tuple[Path, ...], dem_crs: str | None,
              dry_run: bool, as_json: bool) -> None:
    """Sample heights (bilinear) from a terrain model into every position of
    the segments, neighbouring routes and POIs, or only of those with IDS, and
    save them. A position the terrain model does not cover is an error and
    nothing is saved. Reported heights (stats, stages, GPX, map, site) are
    sampled every 20 m along the lines from the terrain model in radweg.json
    (see docs/elevation.md).

    \b
    Example:
        radweg elevation                       # the dem of radweg.json
        radweg elevation --dem ../dgm/DGM1000_EPSG31467.asc --dem-crs EPSG:31467
        radweg elevation --dem N51E011.hgt.zip --dem N51E010.hgt.zip kelbra-rossla
    """
    from radweg.elevation.assign import set_heights
    from radweg.elevation.settings import dem_entries, open_dem
    from radweg.elevation.settings import dem_paths as configured_paths
    from radweg.errors import DataError

    store = helpers.data_store(ctx)
    ds = store.load()
    crs = dem_crs or ds.project.get("dem_crs")
    if dem_paths:
        paths, labels = list(dem_paths), [str(p) for p in dem_paths]
    else:
        if not dem_entries(ds.project):
            raise DataError("no terrain model: give --dem PATH or name one in radweg.json (\"dem\": [...])")
        paths = configured_paths(ds.project, store.root)
        labels = [f"{e} (radweg.json dem)" for e in dem_entries(ds.project)]
    with open_dem(paths, str(crs) if crs else None, labels) as dem:
        new, report = set_heights(ds, dem, list(ids) or None)
    if not dry_run and report.changed:
        store.save(new, report.changed)
    if as_json:
        helpers.echo_json({"dem": report.dem, "dry_run": dry_run, "saved": [] if dry_run else report.changed,
                           **{k: {"features": r.features, "positions": r.positions, "changed": r.changed,
                                  "added": r.added, "max_change_m": round(r.max_change_m, 1)}
                              for k, r in report.kinds.items()}})
        return
    parts = [f"{r.features} {k} ({r.positions} positions: {r.added} new, {r.changed - r.added} changed"
             + (f" by up to {r.max_change_m:.1f} m)" if r.changed > r.added else ")")
             for k, r in report.kinds.items()]
    verb = "would set" if dry_run else "set"
    helpers.info(ctx, f"{verb} heights from {report.dem}: " + "; ".join(parts))
    if not report.changed:
        helpers.info(ctx, "nothing changed")
