"""The interactive web map: folium layers, legend, elevation profiles, offline assets.

:func:`render_map` turns a dataset into the HTML of one page plus the asset
files it links to (none when ``inline=True``). Everything from the data is
escaped (:mod:`radweg.webmap.popups`); the output is byte-identical for the
same data and options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from radweg.model import Dataset
from radweg.webmap.assets import Asset
from radweg.webmap.build import GapLayer, MapOptions, MapResult, PageFrame
from radweg.webmap.content import Links

__all__ = ["Asset", "GapLayer", "Links", "MapOptions", "PageFrame", "RenderedMap", "render_map"]

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
"""Pinch zoom stays allowed (WCAG 1.4.4): no maximum-scale, no user-scalable=no."""

_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*/>')
_MAP_DIV = re.compile(r'\s*(<div class="folium-map" id="[^"]+" ></div>)\s*')


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
    opts = options or MapOptions()
    html = html.replace("<!DOCTYPE html>\n<html>", f'<!DOCTYPE html>\n<html lang="{opts.lang}">', 1)
    html = _FOLIUM_VIEWPORT.sub(lambda _m: VIEWPORT, html, count=1)
    html = _framed(html, opts.frame, result)
    return RenderedMap(html, assets, result)


def _framed(html: str, frame: PageFrame | None, result: MapResult) -> str:
    """Title and head tags; with a frame, the site's header, a <main> around the map and the footer."""
    if frame is None:
        head = f"<title>{escape(result.title)}</title>\n"
        return html.replace("</head>", head + "</head>", 1).replace("<body>", '<body class="rw-map-page">', 1)
    html = html.replace("</head>", f"<title>{escape(frame.title)}</title>\n{frame.head}</head>", 1)
    match = _MAP_DIV.search(html)
    if match is None:  # pragma: no cover - a changed folium template
        raise ValueError("the folium page has no map element")
    map_div = match.group(1).replace('class="folium-map"', 'class="folium-map" role="region" aria-label="'
                                     + escape(frame.map_label or frame.title) + '"', 1)
    html = html[:match.start()] + "\n" + html[match.end():]
    body = (f'<body class="rw-map-page">\n{frame.header}\n<main id="main" class="rw-map-main">\n'
            f'{frame.before_map}\n{map_div}\n{frame.after_map}\n</main>\n{frame.footer}\n')
    return html.replace("<body>\n", body, 1)
