"""``radweg export map``: the interactive map as one HTML file that works offline."""

from __future__ import annotations

from pathlib import Path

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt

lang_opt = click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True,
                        help="Language of the map; content falls back to German where no English text exists.")
tolerance_opt = click.option("--tolerance", "tolerance_m", type=click.FloatRange(0, 100), default=4.0,
                             show_default=True, metavar="METRES",
                             help="Simplify lines for display by at most this many metres (0: keep every vertex).")


@click.command("map", short_help="The interactive web map as one HTML file.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write [default: <data folder>/output/map.html].")
@lang_opt
@tolerance_opt
@click.option("--assets", "assets", type=click.Choice(["inline", "folder"]), default="inline", show_default=True,
              help="inline: scripts and styles inside the file; folder: in assets/ beside it.")
@json_opt
@click.pass_context
def map_cmd(ctx: click.Context, output: Path | None, lang: str, tolerance_m: float, assets: str, as_json: bool) -> None:
    """Write the interactive map: segments by status, tours, stages, neighbouring routes
    and POIs with a legend, layer control, base maps, elevation profiles, fullscreen,
    locate-me and measuring. It needs no internet except for the background tiles.

    \b
    Example:
        radweg export map -o output/map.html
        radweg export map --lang en --tolerance 2
    """
    from radweg.io.atomic import write_many_atomic
    from radweg.webmap import MapOptions, render_map

    ds = helpers.load(ctx)
    output = output if output is not None else Path(ctx.obj["data"]) / "output" / "map.html"
    rendered = render_map(ds, MapOptions(lang=lang, tolerance_m=tolerance_m), inline=assets == "inline")
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
                      f"{res.counts['segments']} segments, {res.counts['pois']} POIs; lines simplified "
                      f"{res.vertices_in} -> {res.vertices_out} vertices, max deviation {res.max_deviation_m:.1f} m)")
