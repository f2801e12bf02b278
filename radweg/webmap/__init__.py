"""The interactive web map: folium layers, legend, elevation profiles, offline assets.

:func:`render_map` turns a dataset into the HTML of one page plus the asset
files it links to (none when ``inline=True``). Everything from the data is
escaped (:mod:`radweg.webmap.popups`); the output is byte-identical for the
same data and options.
"""

from __future__ import annotations

from dataclasses import dataclass

from radweg.model import Dataset
from radweg.webmap.assets import Asset
from radweg.webmap.build import GapLayer, MapOptions, MapResult
from radweg.webmap.content import Links

__all__ = ["Asset", "GapLayer", "Links", "MapOptions", "RenderedMap", "render_map"]


@dataclass
class RenderedMap:
    """A map page: its HTML, the asset files it links to, and what was measured."""

    html: str
    assets: list[Asset]
    result: MapResult


def render_map(ds: Dataset, options: MapOptions | None = None, *, inline: bool = True,
               asset_prefix: str = "assets/") -> RenderedMap:
    """Build the map and render it to HTML with offline assets."""
    from radweg.webmap.assets import localise, stable_ids
    from radweg.webmap.build import build_map

    result = build_map(ds, options)
    root = result.map.get_root()
    stable_ids(root)
    html = root.render()
    html, assets = localise(html, inline=inline, prefix=asset_prefix)
    html = html.replace("<body>", '<body class="rw-map-page">', 1)
    lang = (options or MapOptions()).lang
    html = html.replace("<!DOCTYPE html>\n<html>", f'<!DOCTYPE html>\n<html lang="{lang}">', 1)
    return RenderedMap(html, assets, result)
