"""``radweg stats``: lengths of the network, of tours and of stages."""

from __future__ import annotations

from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt


def _km_dict(d: dict[str, float]) -> dict[str, float]:
    return {k: helpers.km(v) for k, v in d.items()}


def _tour_record(t: dict[str, Any]) -> dict[str, Any]:
    """A tour's statistics for --json: figures rounded like every output (km to 0.1, heights to 1 m)."""
    from radweg.tours.facts import round_km, round_m

    return {"id": t["id"], "name": t["name"], "segments": t["segments"], "length_km": round_km(t["length_m"]),
            "ascent_m": round_m(t["ascent_m"]), "descent_m": round_m(t["descent_m"]),
            "by_status": {k: round_km(v) for k, v in t["by_status"].items()},
            "stages": [{"id": s["id"], "name": s["name"], "start": s["start"], "end": s["end"],
                        "start_km": round_km(s["start_m"]), "length_km": round_km(s["length_m"]),
                        "ascent_m": round_m(s["ascent_m"]), "descent_m": round_m(s["descent_m"])}
                       for s in t["stages"]]}


def _network_record(net: dict[str, Any]) -> dict[str, Any]:
    return {"segments": net["segments"], "length_km": helpers.km(net["length_m"]),
            **{k: _km_dict(v) for k, v in net.items() if k.startswith("by_")}}


def _echo_network(net: dict[str, Any]) -> None:
    click.echo(f"Network: {net['segments']} segments, {helpers.km(net['length_m']):.1f} km")
    for key, title in (("by_status", "status"), ("by_surface", "surface"), ("by_way_type", "way type"),
                       ("by_municipality", "municipality")):
        click.echo("")
        helpers.table([[k, helpers.km(v)] for k, v in net[key].items()], [title, "km"])


def _echo_tour(t: dict[str, Any]) -> None:
    r = _tour_record(t)
    status = ", ".join(f"{k} {v:.1f}" for k, v in r["by_status"].items())
    heights = (f"; ascent {r['ascent_m']} m, descent {r['descent_m']} m" if r["ascent_m"] is not None else "")
    click.echo(f"Tour {r['id']}: {r['name']}: {r['length_km']:.1f} km ({status}){heights}")
    if r["stages"]:
        helpers.table([[s["id"], s["name"], s["start_km"], s["length_km"], s["ascent_m"], s["descent_m"]]
                       for s in r["stages"]], ["stage", "name", "from km", "km", "ascent m", "descent m"])


@click.command(short_help="Lengths by status, surface, municipality, tour and stage.")
@click.argument("tour_id", required=False, metavar="[TOUR]")
@json_opt
@click.pass_context
def stats(ctx: click.Context, tour_id: str | None, as_json: bool) -> None:
    """Geodesic lengths of the network: total and by status, surface, way type and
    municipality; then per tour and per stage with ascent and descent. With TOUR,
    only that tour. A gap inside a tour is neither ridden nor counted.

    \b
    Example:
        radweg stats
        radweg stats nord-sued --json
    """
    from radweg.data.edit import find
    from radweg.elevation.settings import heights_note
    from radweg.tours.stats import network_stats, tour_stats

    ds = helpers.load(ctx)
    tours = [find(ds.tours, "tours", tour_id)] if tour_id else ds.tours.items
    per_tour = [tour_stats(ds, t) for t in tours]
    if as_json:
        out: dict[str, Any] = {}
        if not tour_id:
            out["network"] = _network_record(network_stats(ds))
        out["tours"] = [_tour_record(t) for t in per_tour]
        out["heights_source"] = heights_note(ds.project, "en")
        helpers.echo_json(out)
        return
    if not tour_id:
        _echo_network(network_stats(ds))
    for t in per_tour:
        click.echo("")
        _echo_tour(t)
    note = heights_note(ds.project, "en")
    if note and per_tour:
        click.echo(f"\n{note}")
