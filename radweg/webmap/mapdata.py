"""The map's data as one compact JSON document that radweg.js turns into Leaflet layers.

Lines are stored once, as encoded polylines (the well-known "polyline"
algorithm at 5 decimals, a few bytes a vertex); tours refer to their
segments' lines instead of repeating them. Popups and tooltips are HTML that
:mod:`radweg.webmap.popups` escaped. The document sits in a
``<script type="application/json">`` element; :func:`script_json` makes sure
no text in it can end that element.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PRECISION = 5


def encode_polyline(coords: Sequence[Sequence[float]], precision: int = PRECISION) -> str:
    """Encode lon/lat positions as a polyline string (lat first, deltas, 5 bits a character).

    >>> encode_polyline([(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)])
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    """
    factor = 10 ** precision
    out: list[str] = []
    prev_lat = prev_lon = 0
    for pos in coords:
        lat, lon = round(pos[1] * factor), round(pos[0] * factor)
        for value, prev in ((lat, prev_lat), (lon, prev_lon)):
            delta = value - prev
            delta = ~(delta << 1) if delta < 0 else delta << 1
            while delta >= 0x20:
                out.append(chr((0x20 | (delta & 0x1F)) + 63))
                delta >>= 5
            out.append(chr(delta + 63))
        prev_lat, prev_lon = lat, lon
    return "".join(out)


def script_json(obj: Any, *, strict: bool = False) -> str:
    """JSON that is safe inside a <script> element: no '</' and no '<!--' can appear in it.

    ``strict`` writes every '<' as ``\\u003c``, so that no markup from the data appears in the page at all
    (for JSON-LD and page data, which carry plain text).
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    if strict:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--").replace("\u2028", "\\u2028") \
        .replace("\u2029", "\\u2029")


@dataclass
class MapData:
    """Builder for the JSON document."""

    lines: list[str] = field(default_factory=list)
    layers: list[dict[str, Any]] = field(default_factory=list)
    pois: list[dict[str, Any]] = field(default_factory=list)
    icons: dict[str, str] = field(default_factory=dict)

    def shared_line(self, coords: Sequence[Sequence[float]]) -> int:
        """Store a line for several layers to use; return its index."""
        self.lines.append(encode_polyline(coords))
        return len(self.lines) - 1

    def layer(self, group: str, style: dict[str, Any] | None) -> list[dict[str, Any]]:
        """A new layer drawn into the folium group ``group``; returns its item list to fill."""
        items: list[dict[str, Any]] = []
        self.layers.append({"g": group, "style": style, "items": items})
        return items

    @staticmethod
    def item(parts: Sequence[int | Sequence[Sequence[float]]], popup: str, tooltip: str,
             style: dict[str, Any] | None = None, ref: str | None = None) -> dict[str, Any]:
        """A line feature made of parts: indices of shared lines, or coordinates of its own.

        ``ref`` names it for links such as ``index.html#tour=ID`` (tours and stages).
        """
        out: dict[str, Any] = {"l": [p if isinstance(p, int) else encode_polyline(p) for p in parts],
                               "p": popup, "t": tooltip}
        if style:
            out["s"] = style
        if ref:
            out["id"] = ref
        return out

    def poi(self, group: str, poi_id: str, kind: str, latlon: Sequence[float], popup: str, tooltip: str,
            name: str = "") -> None:
        """A marker; ``name`` is escaped HTML text (radweg.js decodes it into an attribute, never into the page)."""
        self.pois.append({"g": group, "id": poi_id, "k": kind, "c": [latlon[0], latlon[1]], "p": popup,
                          "t": tooltip, "n": name})

    def to_json(self) -> str:
        return script_json({"lines": self.lines, "layers": self.layers, "pois": self.pois, "icons": self.icons})
