"""Build the folium map: layers, controls, legend, profiles and the disclaimer.

folium is imported inside the functions, so that importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from radweg.geometry import MetricFrame, line_length_m
from radweg.i18n import number
from radweg.model import POI_TYPES, STATUSES, Dataset, slugify
from radweg.simplify import DEFAULT_DECIMALS, DEFAULT_TOLERANCE_M, DisplaySimplifier
from radweg.webmap import popups
from radweg.webmap.content import SERVICE_TYPES, Links, TourInfo, disclaimer, title, tour_infos
from radweg.webmap.i18n import check_lang, label, t
from radweg.webmap.mapdata import MapData
from radweg.webmap.profile import profile_svg
from radweg.webmap.styles import (
    CONNECTOR_STYLE,
    GAP_STYLE,
    NEIGHBOUR_APPROX_STYLE,
    NEIGHBOUR_STYLE,
    STATUS_STYLES,
    LineStyle,
    legend_html,
    poi_icon_svg,
    stage_style,
    tour_style,
)

BASEMAPS: tuple[tuple[str, str, str], ...] = (
    ("OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>{contributors}'),
    ("CyclOSM", "https://{s}.tile-cyclosm.openstreetmap.fr/cyclosm/{z}/{x}/{y}.png",
     '<a href="https://www.cyclosm.org">CyclOSM</a> | {map_data} &copy; '
     '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>{contributors}'),
    ("OpenTopoMap", "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
     '{map_data} &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>{contributors}, '
     'SRTM | {map_style} &copy; <a href="https://opentopomap.org">OpenTopoMap</a> '
     '(<a href="https://creativecommons.org/licenses/by-sa/3.0/">CC-BY-SA</a>)'),
)
"""Base maps (name, URL template, attribution). Tiles are the only thing loaded from the internet."""


@dataclass(frozen=True)
class GapLayer:
    """Gaps and connector proposals to draw: (name, line, popup HTML) each, popups already escaped."""

    gaps: Sequence[tuple[str, Sequence[Sequence[float]], str]] = ()
    connectors: Sequence[tuple[str, Sequence[Sequence[float]], str]] = ()


@dataclass(frozen=True)
class MapOptions:
    """How to build the map."""

    lang: str = "de"
    tolerance_m: float = DEFAULT_TOLERANCE_M
    decimals: int = DEFAULT_DECIMALS
    corridor_m: float = 500.0
    links: Links = field(default_factory=Links)
    gaps: GapLayer | None = None
    nav: Sequence[tuple[str, str]] = ()
    """Links in the header bar (site pages), as (href, text)."""
    planner: bool = False
    """The planner's map: neighbouring routes switched on, the simplification note in the legend."""
    frame: PageFrame | None = None
    """The site's head, header and footer around the map (the site); None: the map's own header."""


@dataclass(frozen=True)
class PageFrame:
    """HTML (escaped by the caller) that the site puts around the map."""

    title: str
    map_label: str = ""
    head: str = ""
    header: str = ""
    before_map: str = ""
    after_map: str = ""
    footer: str = ""


@dataclass
class MapResult:
    """The folium map and what was measured while building it."""

    map: Any
    max_deviation_m: float
    vertices_in: int
    vertices_out: int
    counts: dict[str, int]
    tours: list[TourInfo]
    title: str = ""


def _layer_name(style: LineStyle | None, text: str, icon: str = "") -> str:
    """A layer control label: a swatch or icon and the escaped text (Leaflet shows it as HTML)."""
    return f'{style.swatch() if style else icon}<span class="rw-layer-name">{escape(text)}</span>'


def _all_coords(ds: Dataset) -> list[Sequence[float]]:
    pts: list[Sequence[float]] = [c for s in ds.segments.items for c in s.coords]
    pts += [p.coords for p in ds.pois.items]
    pts += [c for n in ds.neighbours.items for line in n.lines for c in line]
    return pts


def build_map(ds: Dataset, options: MapOptions | None = None) -> MapResult:
    """The whole interactive map for a dataset."""
    opts = options or MapOptions()
    b = _MapBuilder(ds, opts)
    seg_line = b.segment_lines()
    infos = tour_infos(ds, opts.corridor_m)
    b.tours(infos, seg_line)
    b.segments(seg_line)
    n_stages = b.stages(infos)
    b.neighbours()
    b.gaps()
    types_present = b.pois()
    b.controls()
    b.page_blocks(infos, types_present, n_stages)
    return b.result(infos)


class _MapBuilder:
    """The folium map under construction: its groups, the map data, the simplifier, what was counted."""

    def __init__(self, ds: Dataset, opts: MapOptions) -> None:
        import folium

        from radweg.webmap.elements import OfflineMap

        self.ds = ds
        self.opts = opts
        self.lang = check_lang(opts.lang)
        self.pts = _all_coords(ds) or [(11.3, 51.5)]
        self.simp = DisplaySimplifier(MetricFrame.for_coords(self.pts), opts.tolerance_m, opts.decimals)
        self.counts: dict[str, int] = {}
        self.data = MapData()
        self.groups: dict[str, Any] = {}
        self.map = OfflineMap(location=None, tiles=None, control_scale=True, zoom_start=10, zoom_snap=0.25,
                              zoom_delta=0.5)
        for i, (name, url, attr) in enumerate(BASEMAPS):
            words = {k: escape(t(self.lang, f"attr.{k}")) for k in ("contributors", "map_data", "map_style")}
            folium.TileLayer(url, name=name, attr=attr.format(**words), max_zoom=18, show=i == 0, overlay=False,
                             control=True).add_to(self.map)

    def group(self, key: str, label_html: str, show: bool = True) -> str:
        """A new folium group (a layer in the layer control); returns its key."""
        import folium

        self.groups[key] = folium.FeatureGroup(name=label_html, show=show).add_to(self.map)
        return key

    def segment_lines(self) -> dict[str, int]:
        """Segment lines are stored once; tours refer to them."""
        return {seg.id: self.data.shared_line(self.simp.line(seg.coords).coords) for seg in self.ds.segments.items}

    def tours(self, infos: list[TourInfo], seg_line: dict[str, int]) -> None:
        """Tours: translucent halos under the segments."""
        lang, links = self.lang, self.opts.links
        for info in infos:
            style = tour_style(info.index)
            name = info.name(lang)
            items = self.data.layer(self.group(f"tour-{info.id}", _layer_name(style, f"{t(lang, 'tour')}: {name}")),
                                    style.leaflet())
            popup = popups.route_popup(
                kind="tour", title=name, subtitle=None, description=info.description(lang), figs=info.figures(),
                start=info.stages[0].start if info.stages else None, end=info.stages[-1].end if info.stages else None,
                lang=lang, gpx=links.tour_gpx.get(info.id), page=links.tour_page.get(info.id),
                profile_id=info.dom_id)
            items.append(self.data.item([seg_line[leg.segment] for leg in info.tour.legs if leg.segment in seg_line],
                                        popup, f"{escape(t(lang, 'tour'))}: {escape(name)}", ref=f"tour={info.id}"))
        self.counts["tours"] = len(infos)

    def segments(self, seg_line: dict[str, int]) -> None:
        """Segments by status."""
        lang = self.lang
        for status in STATUSES:
            segs = [seg for seg in self.ds.segments.items if seg.status == status]
            if not segs:
                continue
            style = STATUS_STYLES[status]
            text = f"{t(lang, 'layer.segments')}: {label(lang, 'status', status)}"
            items = self.data.layer(self.group(f"status-{status}", _layer_name(style, text)), style.leaflet())
            for seg in segs:
                items.append(self.data.item([seg_line[seg.id]],
                                            popups.segment_popup(seg, line_length_m(seg.coords), lang),
                                            popups.segment_tooltip(seg, lang)))
        self.counts["segments"] = len(self.ds.segments.items)

    def stages(self, infos: list[TourInfo]) -> int:
        """Stages (hidden at first), drawn from their parts (never across a gap); returns how many."""
        lang, links = self.lang, self.opts.links
        n_stages = sum(len(info.stages) for info in infos)
        if n_stages:
            key = self.group("stages", _layer_name(stage_style(0), t(lang, "layer.stages")), show=False)
            items = self.data.layer(key, None)
            for info in infos:
                for st in info.stages:
                    popup = popups.route_popup(
                        kind="stage", title=st.name, subtitle=f"{t(lang, 'tour')}: {info.name(lang)}",
                        description=None, figs=st.figures(), start=st.start, end=st.end, lang=lang,
                        gpx=links.stage_gpx.get((info.id, st.id)), page=_stage_page(links, info.id, st.id),
                        profile_id=st.dom_id)
                    items.append(self.data.item([self.simp.line(part).coords for part in st.facts.parts], popup,
                                                f"{escape(t(lang, 'stage'))}: {escape(st.name)}",
                                                stage_style(st.index).leaflet(), ref=f"stage={info.id}--{st.id}"))
        self.counts["stages"] = n_stages
        return n_stages

    def neighbours(self) -> None:
        """Neighbouring routes."""
        ds = self.ds
        if ds.neighbours.items:
            items = self.data.layer(self.group("neighbours", _layer_name(NEIGHBOUR_STYLE,
                                                                         t(self.lang, "layer.neighbours")),
                                               show=self.opts.planner),
                                    NEIGHBOUR_STYLE.leaflet())
            for nb in ds.neighbours.items:
                popup = popups.neighbour_popup(nb, self.lang)
                style = NEIGHBOUR_APPROX_STYLE.leaflet() if nb.geometry == "approximate" else None
                for line in nb.lines:
                    items.append(self.data.item([self.simp.line(line).coords], popup, escape(nb.name), style))
        self.counts["neighbours"] = len(ds.neighbours.items)

    def gaps(self) -> None:
        """Gaps and connectors, when the gap analysis gave any."""
        gaps = self.opts.gaps or GapLayer()
        for key, style, found in (("gaps", GAP_STYLE, gaps.gaps), ("connectors", CONNECTOR_STYLE, gaps.connectors)):
            drawn = [(name, line, popup) for name, line, popup in found if len(line) >= 2]
            if drawn:
                items = self.data.layer(self.group(key, _layer_name(style, t(self.lang, f"layer.{key}"))),
                                        style.leaflet())
                for name, line, popup in drawn:
                    items.append(self.data.item([self.simp.line(line).coords], popup, escape(name)))
            self.counts[key] = len(drawn)

    def pois(self) -> list[str]:
        """POIs: one cluster for all, a sub-group per type for the layer control; returns the types shown."""
        from folium.plugins import FeatureGroupSubGroup, MarkerCluster

        ds, lang = self.ds, self.lang
        cluster = MarkerCluster(name="pois", control=False, options={"maxClusterRadius": 40,
                                                                      "showCoverageOnHover": False}).add_to(self.map)  # type: ignore[no-untyped-call]
        types_present = [k for k in POI_TYPES if any(p.type == k for p in ds.pois.items)]
        services = [k for k in types_present if k in SERVICE_TYPES]
        for kind in types_present:
            self.data.icons[kind] = poi_icon_svg(kind)
            if kind in SERVICE_TYPES:
                continue
            name = _layer_name(None, label(lang, "poi", kind), poi_icon_svg(kind, 16))
            self.groups[f"poi-{kind}"] = FeatureGroupSubGroup(cluster, name=name).add_to(self.map)  # type: ignore[no-untyped-call]
        if services:
            icons = "".join(poi_icon_svg(k, 16) for k in services)
            text = f"{t(lang, 'services')} ({', '.join(label(lang, 'poi', k) for k in services)})"
            service = FeatureGroupSubGroup(cluster, name=_layer_name(None, text, icons))  # type: ignore[no-untyped-call]
            self.groups["poi-service"] = service.add_to(self.map)
        pages = self.opts.links.poi_page
        for p in ds.pois.items:
            lon, lat = self.simp.point(p.coords)
            group = "poi-service" if p.type in SERVICE_TYPES else f"poi-{p.type}"
            self.data.poi(group, p.id, p.type, (lat, lon), popups.poi_popup(p, lang, pages.get(p.id)),
                          popups.poi_tooltip(p, lang), escape(f"{p.name} ({label(lang, 'poi', p.type)})"))
        self.counts["pois"] = len(ds.pois.items)
        return types_present

    def controls(self) -> None:
        """Layer control, fullscreen, locate me, measure."""
        import folium
        from folium.plugins import Fullscreen, LocateControl, MeasureControl

        lang, m = self.lang, self.map
        folium.LayerControl(collapsed=True, position="topright").add_to(m)
        Fullscreen(position="topleft", title=t(lang, "fullscreen"), title_cancel=t(lang, "fullscreen_off"),
                   force_separate_button=True).add_to(m)  # type: ignore[no-untyped-call]
        LocateControl(position="topleft", strings={"title": t(lang, "locate")},
                      icon="rw-locate-icon").add_to(m)  # type: ignore[no-untyped-call]
        MeasureControl(position="topleft", primary_length_unit="kilometers", secondary_length_unit="meters",
                       primary_area_unit="hectares", localization=lang).add_to(m)  # type: ignore[no-untyped-call]

    def page_blocks(self, infos: list[TourInfo], types_present: list[str], n_stages: int) -> None:
        """Legend, profiles, header with the disclaimer: plain HTML in the page, moved into controls by radweg.js."""
        from radweg.elevation.settings import heights_note
        from radweg.webmap.elements import HtmlBlock, RadwegInit

        ds, lang, counts = self.ds, self.lang, self.counts
        legend = legend_html(lang, poi_types=types_present,
                             tours=[(info.name(lang), info.index) for info in infos],
                             has_neighbours=bool(ds.neighbours.items), has_gaps=bool(counts["gaps"]),
                             has_connectors=bool(counts["connectors"]), has_stages=bool(n_stages),
                             has_approx_neighbours=any(n.geometry == "approximate" for n in ds.neighbours.items),
                             neighbours_on=self.opts.planner)
        html = self.map.get_root().html  # type: ignore[attr-defined]
        if self.opts.frame is None:
            html.add_child(HtmlBlock(_header_html(ds, lang, self.opts)))
        err = number(lang, max(self.simp.max_deviation_m, 0.1), 1)
        note = (f'<p class="rw-simplified">{escape(t(lang, "simplified", err=err))}</p>' if self.opts.planner
                else "")
        heights_text = heights_note(ds.project, lang)
        heights = f'<p class="rw-simplified rw-heights">{escape(heights_text)}</p>' if heights_text else ""
        html.add_child(HtmlBlock(
            f'<div id="rw-legend" class="rw-box rw-legend"><details open><summary>{escape(t(lang, "legend"))}'
            f'</summary>{legend}{note}{heights}</details></div>'))
        if infos:
            html.add_child(HtmlBlock(_profiles_html(infos, lang)))
        html.add_child(HtmlBlock(f'<script type="application/json" id="rw-data">{self.data.to_json()}</script>'))
        pts2 = [(p[0], p[1]) for p in self.pts]
        bounds = [[min(p[1] for p in pts2), min(p[0] for p in pts2)],
                  [max(p[1] for p in pts2), max(p[0] for p in pts2)]]
        self.map.fit_bounds(bounds, padding=(20, 20))
        strings = {k: t(lang, k) for k in ("zoom_in", "zoom_out", "layers", "close", "map_label", "cluster")}
        RadwegInit(self.groups, lang=lang, strings=strings).add_to(self.map)

    def result(self, infos: list[TourInfo]) -> MapResult:
        simp = self.simp
        return MapResult(self.map, simp.max_deviation_m, simp.vertices_in, simp.vertices_out, self.counts, infos,
                         f"{t(self.lang, 'map')} – {title(self.ds, self.lang)}")


def _stage_page(links: Links, tour_id: str, stage_id: str) -> str | None:
    page = links.tour_page.get(tour_id)
    return f"{page}#stage-{slugify(stage_id)}" if page else None


def _header_html(ds: Dataset, lang: str, opts: MapOptions) -> str:
    note = disclaimer(ds, lang)
    nav = "".join(f'<a href="{escape(href, quote=True)}">{escape(text)}</a>' for href, text in opts.nav)
    return (f'<header class="rw-top"><div class="rw-title"><h1 class="rw-site-name">{escape(title(ds, lang))}</h1>'
            f'{f"<nav>{nav}</nav>" if nav else ""}</div>'
            + (f'<p class="rw-disclaimer" role="note">{escape(note)}</p>' if note else "") + "</header>")


def _profiles_html(infos: list[TourInfo], lang: str) -> str:
    options: list[str] = []
    blocks: list[str] = []
    for info in infos:
        name = info.name(lang)
        options.append(f'<option value="{escape(info.dom_id)}">{escape(name)}</option>')
        hidden = "" if not blocks else " hidden"
        blocks.append(f'<div class="rw-profile-item" data-profile="{escape(info.dom_id)}"{hidden}>'
                      f'{profile_svg(info.facts.profile, info.facts.pois, lang, title=name)}</div>')
        for st in info.stages:
            options.append(f'<option value="{escape(st.dom_id)}">\u00a0\u00a0{escape(t(lang, "stage"))} '
                           f'{st.index + 1}: {escape(st.name)}</option>')
            blocks.append(f'<div class="rw-profile-item" data-profile="{escape(st.dom_id)}" hidden>'
                          f'{profile_svg(st.facts.profile, st.facts.pois, lang, title=st.name)}</div>')
    return (f'<div id="rw-profile" class="rw-box rw-profile-panel"><details open><summary>'
            f'{escape(t(lang, "profile"))}</summary><label class="rw-profile-choose">'
            f'<span>{escape(t(lang, "choose_profile"))}</span> <select id="rw-profile-select">{"".join(options)}'
            f'</select></label>{"".join(blocks)}</details></div>')
