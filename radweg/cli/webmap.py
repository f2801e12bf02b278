"""``radweg export map``: the interactive map as one HTML file that works offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt

lang_opt = click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True,
                        help="Language of the map; content falls back to German where no English text exists.")
tolerance_opt = click.option("--tolerance", "tolerance_m", type=click.FloatRange(0, 100), default=4.0,
                             show_default=True, metavar="METRES",
                             help="Simplify lines for display by at most this many metres (0: keep every vertex).")

network_opt = click.option("--network", "network", default=None, metavar="NAME",
                           help="Route the gaps on this cached street network (see 'radweg network import') and "
                                "show the connectors [default: radweg.json 'network'; without one the gaps are "
                                "straight lines].")


def gap_network(ctx: click.Context, ds: Any, name: str | None) -> tuple[Any, str | None]:
    """The street network to route gaps on: --network, else radweg.json ``network``, else none."""
    from radweg.osm.network import load

    chosen = name or ds.project.get("network")
    if not chosen:
        return None, None
    return load(str(chosen), Path(ctx.obj["data"])), str(chosen)


@click.command("map", short_help="The interactive web map as one HTML file.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write [default: <data folder>/output/map.html].")
@lang_opt
@tolerance_opt
@click.option("--assets", "assets", type=click.Choice(["inline", "folder"]), default="inline", show_default=True,
              help="inline: scripts and styles inside the file; folder: in assets/ beside it.")
@network_opt
@json_opt
@click.pass_context
def map_cmd(ctx: click.Context, output: Path | None, lang: str, tolerance_m: float, assets: str, network: str | None,
            as_json: bool) -> None:
    """Write the interactive map: segments by status, tours, stages, neighbouring routes
    and POIs with a legend, layer control, base maps, elevation profiles, fullscreen,
    locate-me and measuring. It needs no internet except for the background tiles.

    \b
    Example:
        radweg export map -o output/map.html
        radweg export map --lang en --tolerance 2
        radweg export map --network li   # with the gaps and their routed connectors
    """
    from radweg.data.layout import Layout
    from radweg.io.atomic import write_many_atomic
    from radweg.webmap import MapOptions, render_map

    ds = helpers.load(ctx)
    output = output if output is not None else Layout(Path(ctx.obj["data"])).map
    graph, network = gap_network(ctx, ds, network)
    layer = None
    if graph is not None:
        from radweg.gaps.connectors import coverage_warnings
        from radweg.site.gaplayer import routed_gap_layer

        layer, gap_report = routed_gap_layer(ds, lang, graph, network)
        for line in coverage_warnings(gap_report.connectors or {}, network):
            helpers.info(ctx, line)
    rendered = render_map(ds, MapOptions(lang=lang, tolerance_m=tolerance_m, gaps=layer, planner=layer is not None),
                          inline=assets == "inline")
    items: list[tuple[Path, bytes | str]] = [(output, rendered.html)]
    items += [(output.parent / "assets" / a.name, a.data) for a in rendered.assets]
    write_many_atomic(items)
    res = rendered.result
    if as_json:
        helpers.echo_json({"output": str(output), "bytes": len(rendered.html.encode("utf-8")),
                           "assets": [a.name for a in rendered.assets], "counts": res.counts,
                           "max_deviation_m": round(res.max_deviation_m, 2),
                           "vertices": {"in": res.vertices_in, "out": res.vertices_out}})
        return
    helpers.info(ctx, f"Wrote {output} ({len(rendered.html.encode('utf-8')) / 1024:.0f} KiB; "
                      f"{res.counts['segments']} segments, {res.counts['pois']} POIs"
                      + (f", {res.counts.get('gaps', 0)} gaps, {res.counts.get('connectors', 0)} connectors on "
                         f"network '{network}'" if layer is not None else "") + "; lines simplified "
                      f"{res.vertices_in} -> {res.vertices_out} vertices, max deviation {res.max_deviation_m:.1f} m)")
