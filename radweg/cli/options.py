"""Options shared by several commands.

==================  =====================================================  ==========================
option              meaning                                                used by
==================  =====================================================  ==========================
``--json``          machine-readable JSON on stdout instead of a table     every list, show, stats
``--dry-run``       show what would change, write nothing                  import commands
``FIELD=VALUE``     set fields (empty value clears the field)              ``set`` commands
``-o/--output``     output folder or file                                  export, publish, gaps
==================  =====================================================  ==========================

Naming: ``*_opt`` for options, ``*_arg`` for arguments, ``*_handler`` for callbacks.
"""

from __future__ import annotations

from typing import Any

import click

json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
dry_run_opt = click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
update_opt = click.option("--update", is_flag=True,
                          help="Replace features whose id already exists (default: refuse).")


def assignments_handler(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """Parse ``FIELD=VALUE`` pairs into a dict."""
    out: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"'{item}' is not FIELD=VALUE", ctx=ctx, param=param)
        key, value = item.split("=", 1)
        out[key.strip()] = value
    return out


assignments_arg = click.argument("assignments", nargs=-1, required=True, callback=assignments_handler,
                                 metavar="FIELD=VALUE...")


def lonlat_handler(ctx: click.Context, param: click.Parameter, value: Any) -> tuple[float, float] | None:
    """Parse ``LON,LAT`` in degrees."""
    if value is None:
        return None
    try:
        lon_s, lat_s = value.split(",")
        lon, lat = float(lon_s), float(lat_s)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not LON,LAT (e.g. 11.30,51.47)", ctx=ctx, param=param) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise click.BadParameter(f"'{value}' is out of range", ctx=ctx, param=param)
    return lon, lat


def coords_handler(ctx: click.Context, param: click.Parameter, value: Any) -> list[tuple[float, float]] | None:
    """Parse ``LON,LAT LON,LAT …`` (space or ';' separated) into positions."""
    if value is None:
        return None
    out = []
    for part in value.replace(";", " ").split():
        pos = lonlat_handler(ctx, param, part)
        assert pos is not None
        out.append(pos)
    return out


def bbox_handler(ctx: click.Context, param: click.Parameter, value: Any) -> list[float] | None:
    """Parse ``W,S,E,N`` in degrees."""
    if value is None:
        return None
    try:
        w, s, e, n = (float(v) for v in value.replace(" ", ",").split(",") if v)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not W,S,E,N", ctx=ctx, param=param) from None
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise click.BadParameter(f"'{value}' is not a valid bbox (west < east, south < north)", ctx=ctx, param=param)
    return [w, s, e, n]
