"""``radweg stats``: lengths of the network, of tours and of stages."""

from __future__ import annotations

from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt


def _km_dict(d: dict[str, float]) -> dict[str, float]:
    return {k: helpers.km(v) for k, v in d.items()}


@click.command(short_help="Lengths by status, surface, municipality, tour and stage.")
@click.argument("tour_id", required=False, metavar="[TOUR]")
@json_opt
@click.pass_context
def stats(ctx: click.Context, tour_id: str | None, as_json: bool) -> None:
    """Geodesic lengths of the network: total and by status, surface, way type and
    municipality; then per tour and per stage. With TOUR, only that tour.

    \b
    Example:
        radweg stats
        radweg stats nord-sued --json
    """
    from radweg.data.edit import find
    from radweg.tours.stats import network_stats, tour_stats

    ds = helpers.load(ctx)
    tours = [find(ds.tours, "tours", tour_id)] if tour_id else ds.tours.items
    per_tour = [tour_stats(ds, t) for t in tours]
    if as_json:
        out: dict[str, Any] = {}
        if not tour_id:
            net = network_stats(ds)
            out["network"] = {"segments": net["segments"], "length_km": helpers.km(net["length_m"]),
                              **{k: _km_dict(v) for k, v in net.items() if k.startswith("by_")}}
        out["tours"] = [{"id": t["id"], "name": t["name"], "segments": t["segments"],
                         "length_km": helpers.km(t["length_m"]), "by_status": _km_dict(t["by_status"]),
                         "stages": [{**{k: v for k, v in s.items() if k not in ("length_m", "start_km")},
                                     "start_km": round(s["start_km"], 2), "length_km": helpers.km(s["length_m"])}
                                    for s in t["stages"]]}
                        for t in per_tour]
        helpers.echo_json(out)
        return
    if not tour_id:
        net = network_stats(ds)
        click.echo(f"Network: {net['segments']} segments, {helpers.km(net['length_m']):.1f} km")
        for key, title in (("by_status", "status"), ("by_surface", "surface"), ("by_way_type", "way type"),
                           ("by_municipality", "municipality")):
            click.echo("")
            helpers.table([[k, helpers.km(v)] for k, v in net[key].items()], [title, "km"])
    for t in per_tour:
        click.echo("")
        status = ", ".join(f"{k} {helpers.km(v):.1f}" for k, v in t["by_status"].items())
        click.echo(f"Tour {t['id']}: {t['name']}: {helpers.km(t['length_m']):.1f} km ({status})")
        if t["stages"]:
            helpers.table([[s["id"], s["name"], round(s["start_km"], 1), helpers.km(s["length_m"])]
                           for s in t["stages"]], ["stage", "name", "from km", "km"])
