"""Every colour, line style and icon of the map in one place; the legend is generated from here."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from radweg.model import POI_TYPES, STATUSES
from radweg.webmap.i18n import label, t


@dataclass(frozen=True)
class LineStyle:
    """A Leaflet path style."""

    color: str
    weight: float = 4.0
    opacity: float = 0.95
    dash: str | None = None
    css: str = ""

    def leaflet(self) -> dict[str, object]:
        """Options for ``L.path`` (``className`` lets tests and CSS find the lines)."""
        out: dict[str, object] = {"color": self.color, "weight": self.weight, "opacity": self.opacity}
        if self.dash:
            out["dashArray"] = self.dash
        if self.css:
            out["className"] = self.css
        return out

    def swatch(self) -> str:
        """A small SVG sample of the line for the legend."""
        dash = f' stroke-dasharray="{escape(self.dash)}"' if self.dash else ""
        return (f'<svg class="rw-swatch" width="34" height="12" viewBox="0 0 34 12" aria-hidden="true">'
                f'<line x1="2" y1="6" x2="32" y2="6" stroke="{self.color}" stroke-width="{min(self.weight, 8):g}"'
                f' stroke-opacity="{self.opacity:g}" stroke-linecap="round"{dash}/></svg>')


STATUS_STYLES: dict[str, LineStyle] = {
    "existing": LineStyle("#1b7837", 5, css="rw-seg rw-seg-existing"),
    "construction": LineStyle("#e08214", 5, dash="10 6", css="rw-seg rw-seg-construction"),
    "planned": LineStyle("#c51b7d", 4, dash="3 7", css="rw-seg rw-seg-planned"),
    "closed": LineStyle("#555555", 4, dash="1 8", css="rw-seg rw-seg-closed"),
}
assert set(STATUS_STYLES) == set(STATUSES)

TOUR_COLORS = ("#2166ac", "#b2182b", "#5aae61", "#8073ac", "#bf812d", "#35978f")
"""Halo colours of tours, in the order of the tours' ids."""

STAGE_COLORS = ("#08519c", "#fd8d3c")
"""Stages alternate between these two colours, so that neighbours are told apart."""

NEIGHBOUR_STYLE = LineStyle("#4393c3", 3, opacity=0.8, dash="6 5", css="rw-neighbour")
NEIGHBOUR_APPROX_STYLE = LineStyle("#92c5de", 3, opacity=0.7, dash="2 7", css="rw-neighbour rw-neighbour-approx")
"""Neighbouring routes whose line is only drawn through their known towns (``geometry: approximate``)."""
GAP_STYLE = LineStyle("#d7191c", 6, opacity=0.9, dash="2 8", css="rw-gap")
CONNECTOR_STYLE = LineStyle("#7b3294", 3, opacity=0.9, dash="8 4", css="rw-connector")


def tour_style(index: int) -> LineStyle:
    """The wide translucent halo drawn under a tour's segments."""
    return LineStyle(TOUR_COLORS[index % len(TOUR_COLORS)], 11, opacity=0.3, css="rw-tour")


def stage_style(index: int) -> LineStyle:
    return LineStyle(STAGE_COLORS[index % len(STAGE_COLORS)], 4, opacity=0.9, css="rw-stage")


# ------------------------------------------------------------------ POI icons

POI_COLORS: dict[str, str] = {
    "halde": "#8c510a", "schacht": "#543005", "museum": "#b35806", "huette": "#d73027",
    "stollen": "#7f3b08", "denkmal": "#762a83", "bahnhof": "#2166ac", "aussicht": "#1a9850",
    "unterkunft": "#4575b4", "gastronomie": "#f46d43", "trinkwasser": "#0571b0", "radservice": "#01665e",
    "touristinfo": "#3f007d", "unterstand": "#5a7d2a", "other": "#636363",
}

# White pictograms on a 24 x 24 grid, drawn for this project.
_GLYPHS: dict[str, str] = {
    "halde": '<path d="M4 18 L12 6 L20 18 Z" fill="#fff"/>',
    "schacht": '<path d="M8 19 L12 5 L16 19 M9.3 14 H14.7 M10.4 10 H13.6" stroke="#fff" stroke-width="2" '
               'fill="none"/><circle cx="12" cy="5" r="2" fill="#fff"/>',
    "museum": '<path d="M4 9 L12 4.5 L20 9 Z M5 18 H19 V20 H5 Z" fill="#fff"/><path d="M7 10 V17 M10.3 10 V17 '
              'M13.7 10 V17 M17 10 V17" stroke="#fff" stroke-width="1.8"/>',
    "huette": '<path d="M5 19 V11 L9 13 V11 L13 13 V5 H16 V19 Z" fill="#fff"/>',
    "stollen": '<path d="M5 19 V11 A7 7 0 0 1 19 11 V19 H15.5 V12 A3.5 3.5 0 0 0 8.5 12 V19 Z" fill="#fff"/>',
    "denkmal": '<path d="M12 3.5 L14.4 9 L20.3 9.4 L15.8 13.2 L17.2 19 L12 15.9 L6.8 19 L8.2 13.2 L3.7 9.4 '
               'L9.6 9 Z" fill="#fff"/>',
    "bahnhof": '<rect x="6.5" y="4.5" width="11" height="12" rx="2.5" fill="#fff"/><rect x="8.5" y="7" '
               'width="7" height="4" fill="currentColor"/><path d="M8 20 L10 17 M16 20 L14 17" stroke="#fff" '
               'stroke-width="1.8"/>',
    "aussicht": '<path d="M3 12 Q12 4 21 12 Q12 20 3 12 Z" fill="#fff"/><circle cx="12" cy="12" r="3" '
                'fill="currentColor"/>',
    "unterkunft": '<path d="M4 18 V7 M4 14 H20 V18 M4 11 H9 V14 M10 11 H18 A2 2 0 0 1 20 13" stroke="#fff" '
                  'stroke-width="2" fill="none"/>',
    "gastronomie": '<path d="M8 4 V20 M6 4 V9 A2 2 0 0 0 10 9 V4 M16 20 V4 Q19 6 18 12 H16" stroke="#fff" '
                   'stroke-width="1.8" fill="none"/>',
    "trinkwasser": '<path d="M12 4 Q18 12 17 15 A5 5 0 0 1 7 15 Q6 12 12 4 Z" fill="#fff"/>',
    "radservice": '<circle cx="7" cy="15" r="3.5" stroke="#fff" stroke-width="1.8" fill="none"/><circle '
                  'cx="17" cy="15" r="3.5" stroke="#fff" stroke-width="1.8" fill="none"/><path d="M7 15 L10 8 '
                  'H15 L17 15 M10 8 L12.5 15 L15 8" stroke="#fff" stroke-width="1.6" fill="none"/>',
    "touristinfo": '<circle cx="12" cy="6.5" r="2" fill="#fff"/><path d="M9.5 10 H13.5 V17.5 H15 V19.5 H9 V17.5 '
                   'H10.5 V12 H9.5 Z" fill="#fff"/>',
    "unterstand": '<path d="M3.5 12 L12 5 L20.5 12 Z" fill="#fff"/><path d="M6.5 12 V19 M17.5 12 V19 M5 19 H19" '
                  'stroke="#fff" stroke-width="2" fill="none"/>',
    "other": '<circle cx="12" cy="12" r="4.5" fill="#fff"/>',
}
assert set(_GLYPHS) == set(POI_TYPES) == set(POI_COLORS)

ICON_SIZE = 28


def poi_icon_svg(poi_type: str, size: int = ICON_SIZE) -> str:
    """A round icon with the type's colour and pictogram, as inline SVG."""
    kind = poi_type if poi_type in _GLYPHS else "other"
    color = POI_COLORS[kind]
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 28 28" style="color:{color}" aria-hidden="true">'
            f'<circle cx="14" cy="14" r="12.5" fill="{color}" stroke="#fff" stroke-width="2"/>'
            f'<g transform="translate(2 2)">{_GLYPHS[kind]}</g></svg>')


# ------------------------------------------------------------------ legend


def legend_html(lang: str, *, poi_types: list[str], tours: list[tuple[str, int]], has_neighbours: bool,
                has_gaps: bool, has_connectors: bool, has_stages: bool, neighbours_on: bool = True,
                has_approx_neighbours: bool = False) -> str:
    """The legend, listing only what the map shows. ``tours`` are (escaped later) names with their index."""
    rows: list[str] = []

    def row(swatch: str, text: str, css: str = "") -> None:
        rows.append(f'<li{css}>{swatch}<span>{escape(text)}</span></li>')

    rows.append(f'<li class="rw-legend-head">{escape(t(lang, "layer.segments"))}</li>')
    for status in STATUSES:
        row(STATUS_STYLES[status].swatch(), label(lang, "status", status), f' class="rw-legend-{status}"')
    if tours:
        rows.append(f'<li class="rw-legend-head">{escape(t(lang, "tours"))}</li>')
        for name, index in tours:
            row(tour_style(index).swatch(), name)
    if has_stages:
        row(stage_style(0).swatch() + stage_style(1).swatch(), t(lang, "layer.stages"))
    if has_neighbours:
        row(NEIGHBOUR_STYLE.swatch(), t(lang, "layer.neighbours" if neighbours_on else "layer.neighbours_off"))
    if has_approx_neighbours:
        row(NEIGHBOUR_APPROX_STYLE.swatch(), t(lang, "layer.neighbours_approx"))
    if has_gaps:
        row(GAP_STYLE.swatch(), t(lang, "layer.gaps"))
    if has_connectors:
        row(CONNECTOR_STYLE.swatch(), t(lang, "layer.connectors"))
    if poi_types:
        rows.append(f'<li class="rw-legend-head">{escape(t(lang, "layer.pois"))}</li>')
        for kind in poi_types:
            row(poi_icon_svg(kind, 18), label(lang, "poi", kind), f' class="rw-legend-poi-{kind}"')
    return f'<ul class="rw-legend-list">{"".join(rows)}</ul>'
