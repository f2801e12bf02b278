"""The tour pages: own map, key figures, profile in step with the map, shares, notes, stage cards, GPX."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from radweg.elevation.settings import heights_note
from radweg.i18n import km, metres, number
from radweg.model import Dataset, slugify
from radweg.site import figures
from radweg.site.html import Ctx, de_only, facts_list, icon
from radweg.tours.corridor import NearPoi
from radweg.tours.facts import Figures, gap_rule, round_km
from radweg.webmap.content import Links, StageInfo, TourInfo
from radweg.webmap.i18n import label, pick, t
from radweg.webmap.mapdata import script_json
from radweg.webmap.popups import link
from radweg.webmap.profile import profile_svg
from radweg.webmap.styles import STATUS_STYLES, TOUR_COLORS, poi_icon_svg

SHARE_COLORS = {
    "asphalt": "#1b7837", "concrete": "#5aae61", "paving_stones": "#a6dba0", "sett": "#762a83", "paved": "#4d9221",
    "compacted": "#d8b365", "fine_gravel": "#dfc27d", "gravel": "#bf812d", "ground": "#8c510a", "grass": "#80cdc1",
    "unpaved": "#a6611a", "mixed": "#9970ab", "unknown": "#bdbdbd",
    "cycleway": "#1b7837", "shared_path": "#5aae61", "quiet_road": "#2166ac", "road": "#b2182b", "track": "#d8b365",
    "path": "#8c510a",
}
"""Colours of the surface and way-type bars: firm surfaces green, loose ones brown, unknown grey."""


def tour_page_name(tour_id: str) -> str:
    """The file name of a tour's page (a safe slug, whatever the id holds)."""
    return f"tour-{slugify(tour_id, fallback='tour')}.html"


def poi_page_name(poi_id: str) -> str:
    """The file name of a POI's page."""
    return f"poi-{slugify(poi_id, fallback='poi')}.html"


def stage_anchor(stage_id: str) -> str:
    return f"stage-{slugify(stage_id, fallback='etappe')}"


def figure_rows(lang: str, figs: Figures) -> list[tuple[str, str | None]]:
    """Length, ascent, descent, highest point, formatted for ``lang``."""
    return [(t(lang, "length"), escape(km(lang, figs.length_km))),
            (t(lang, "ascent"), None if figs.ascent_m is None else escape(metres(lang, figs.ascent_m))),
            (t(lang, "descent"), None if figs.descent_m is None else escape(metres(lang, figs.descent_m))),
            (t(lang, "highest"), None if figs.max_ele_m is None else escape(metres(lang, figs.max_ele_m)))]


def _difficulty(lang: str, level: str) -> str:
    return (f'<span class="rw-diff rw-diff-{level}">{escape(label(lang, "difficulty", level))}</span>')


def _ends(lang: str, start: str, end: str, names: Sequence[str] = ()) -> tuple[str, str]:
    """'Start und Ziel: A – B'; for a loop 'Rundtour', with the place unless it only repeats a name in ``names``."""
    if start == end:
        return t(lang, "start_end"), escape(t(lang, "loop") + ("" if start in names else f": {start}"))
    return t(lang, "start_end"), escape(f"{start} – {end}")


def _share_bar(lang: str, heading: str, prefix: str, shares: Sequence[tuple[str, float]]) -> str:
    total = sum(m for _, m in shares) or 1.0
    cells, keys = [], []
    for value, m in shares:
        pct = 100.0 * m / total
        color = SHARE_COLORS.get(value, "#737373")
        name = label(lang, prefix, value)
        cells.append(f'<span style="width:{pct:.2f}%;background:{color}"></span>')
        keys.append(f'<li><span class="rw-key" style="background:{color}" aria-hidden="true"></span>'
                    f'{escape(name)}: {escape(km(lang, round_km(m)))}</li>')
    return (f'<div class="rw-share"><h3>{escape(heading)}</h3><div class="rw-bar" aria-hidden="true">'
            f'{"".join(cells)}</div><ul class="rw-bar-keys">{"".join(keys)}</ul></div>')


def line_data(info: TourInfo) -> list[list[list[float | None]]]:
    """The tour's parts as [lat, lon, km along, elevation] per vertex (thinned to keep pages small)."""
    prof = info.facts.profile
    out: list[list[list[float | None]]] = []
    i = 0
    for part in info.facts.parts:
        pts: list[list[float | None]] = []
        step = max(1, len(part) // 600)
        for j, c in enumerate(part):
            if j % step == 0 or j == len(part) - 1:
                ele = prof.elevations[i + j]
                pts.append([round(c[1], 5), round(c[0], 5), round(prof.distances_m[i + j] / 1000.0, 3),
                            None if ele is None else round(ele, 1)])
        i += len(part)
        out.append(pts)
    return out


def page_map_data(ctx: Ctx, *, parts: list[Any], markers: list[dict[str, Any]], color: str,
                  profile: str | None = None, zoom: int | None = None, center: list[float] | None = None) -> str:
    """The JSON that radweg.js draws a page's map from (see ``pageMap`` there)."""
    lang = ctx.lang
    data: dict[str, Any] = {
        "parts": parts, "markers": markers, "color": color, "profile": profile, "zoom": zoom, "center": center,
        "locale": "de-DE" if lang == "de" else "en-GB",
        "readout": f"km {{km}} · {t(lang, 'height_other')} {{ele}}\u00a0m",
        "attribution": ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
                        + escape(t(lang, "attr.contributors"))),
        "strings": {k: t(lang, k) for k in ("zoom_in", "zoom_out", "layers", "close")},
    }
    return f'<script type="application/json" id="rw-page-data">{script_json(data, strict=True)}</script>'


def _poi_marker(near: NearPoi, n: int | None, lang: str) -> dict[str, Any]:
    p = near.poi
    name = f"{n}. {p.name}" if n is not None else p.name
    return {"c": [round(p.lat, 6), round(p.lon, 6)], "n": f"{name} ({label(lang, 'poi', p.type)})",
            "icon": poi_icon_svg(p.type, 24), "href": poi_page_name(p.id)}


def _end_markers(ctx: Ctx, info: TourInfo) -> list[dict[str, Any]]:
    """Start and finish of the tour and the ends of its stages, as small numbered discs (not focusable)."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[float, float]] = set()
    for st in info.stages:
        for place, text in ((st.facts.start, str(st.index + 1)), (st.facts.end, None)):
            key = (round(place.coords[1], 5), round(place.coords[0], 5))
            if key in seen:
                continue
            seen.add(key)
            label_text = text if text is not None else "⚑"
            out.append({"c": list(key), "n": f"{t(ctx.lang, 'stage')} {text}: {place.name}" if text else place.name,
                        "icon": f'<span class="rw-end">{escape(label_text)}</span>', "href": None})
    return out


def tour_body(info: TourInfo, ds: Dataset, ctx: Ctx, links: Links) -> str:
    """A tour's page (see the module doc)."""
    lang = ctx.lang
    name = info.name(lang)
    facts = info.facts
    parts = [f'<nav class="rw-crumbs" aria-label="Breadcrumb"><a href="index.html">{escape(t(lang, "map"))}</a> › '
             f'<a href="index.html#touren">{escape(t(lang, "tours"))}</a></nav>',
             f"<h1>{escape(name)}</h1>"]
    desc = info.description(lang)
    if desc:
        has_en = bool(info.tour.description_en)
        parts.append(f'<p class="rw-lead"{_lang_attr(ctx, has_en)}>{escape(desc)}{de_only(ctx, has_en)}</p>')
    rows = figure_rows(lang, info.figures())
    rows.append((t(lang, "difficulty"), _difficulty(lang, figures.tour_difficulty(facts))))
    if info.stages:
        rows.append(_ends(lang, info.stages[0].start, info.stages[-1].end,
                          (info.tour.name, info.tour.id, *(st.name for st in info.stages))))
        rows.append((t(lang, "stages"), escape(str(len(info.stages)))))
    parts.append(facts_list(rows))
    parts.append(_downloads(ctx, info, links))
    # the map and the profile, in step
    color = TOUR_COLORS[info.index % len(TOUR_COLORS)]
    markers = [_poi_marker(pp, n, lang) for n, pp in enumerate(facts.pois, 1)]
    markers += _end_markers(ctx, info)
    parts.append(f'<section class="rw-tour-map" aria-labelledby="h-map"><h2 id="h-map">'
                 f'{escape(t(lang, "map_and_profile"))}</h2>'
                 f'<div id="rw-page-map" class="rw-page-map" role="region" '
                 f'aria-label="{escape(t(lang, "map_of", name=name))}"></div>'
                 f'<figure class="rw-profile-box">'
                 f'{profile_svg(facts.profile, facts.pois, lang, title=name, dom_id=info.dom_id)}'
                 f'<figcaption><span id="rw-sync-readout" aria-live="polite"></span> '
                 f'<a href="index.html#tour={escape(info.id)}" class="rw-onmap">'
                 f'{escape(t(lang, "show_on_map"))}</a></figcaption></figure>'
                 + page_map_data(ctx, parts=line_data(info), markers=markers, color=color, profile=info.dom_id)
                 + "</section>")
    note = " ".join(n for n in (heights_note(ds.project, lang), gap_rule(lang)) if n)
    if note:
        parts.append(f'<p class="rw-heights-note"><small>{escape(note)}</small></p>')
    parts.append(f'<section aria-labelledby="h-shares"><h2 id="h-shares">{escape(t(lang, "surface_share"))} · '
                 f'{escape(t(lang, "way_share"))}</h2><div class="rw-shares">'
                 + _share_bar(lang, t(lang, "surface_share"), "surface", figures.shares_m(facts, "surface"))
                 + _share_bar(lang, t(lang, "way_share"), "way", figures.shares_m(facts, "way_type"))
                 + "</div></section>")
    parts.append(_notes(ctx, info))
    if info.stages:
        parts.append(f'<section aria-labelledby="h-stages"><h2 id="h-stages">{escape(t(lang, "stages"))}</h2>'
                     f'<div class="rw-cards">{"".join(_stage_card(ctx, ds, info, st, links) for st in info.stages)}'
                     f'</div></section>')
    parts.append(f'<section aria-labelledby="h-pois"><h2 id="h-pois">{escape(t(lang, "pois_on_route"))}</h2>'
                 f'{poi_list(facts.pois, lang)}</section>')
    return "\n".join(parts)


def _lang_dir(ctx: Ctx) -> str:
    return "" if ctx.lang == "de" else "en/"


def _lang_attr(ctx: Ctx, has_english: bool) -> str:
    return ' lang="de"' if ctx.lang == "en" and not has_english else ""


def _downloads(ctx: Ctx, info: TourInfo, links: Links) -> str:
    lang = ctx.lang
    items = []
    gpx = links.tour_gpx.get(info.id)
    if gpx:
        items.append(link(gpx, f"{t(lang, 'gpx_tour')} ({t(lang, 'gpx_track')})", download=True))
    route = links.tour_route_gpx.get(info.id)
    if route:
        items.append(link(route, t(lang, "gpx_route"), download=True))
    zipped = links.tour_zip.get(info.id)
    if zipped:
        items.append(link(zipped, t(lang, "gpx_tour_zip"), download=True))
    if not items:
        return ""
    return f'<p class="rw-downloads">{" ".join(f"<span>{i}</span>" for i in items)}</p>'


def _notes(ctx: Ctx, info: TourInfo) -> str:
    lang = ctx.lang
    notes = figures.status_notes(info.facts)
    head = f'<section class="rw-know" aria-labelledby="h-know"><h2 id="h-know">{escape(t(lang, "know"))}</h2>'
    if not notes and len(info.facts.parts) <= 1:
        return head + f'<p>{escape(t(lang, "all_rideable"))}</p></section>'
    items = []
    for note in notes:
        swatch = STATUS_STYLES[note.status].swatch() if note.status in STATUS_STYLES else ""
        text = t(lang, "status_note", status=label(lang, "status", note.status), names=", ".join(note.names),
                 km=km(lang, round_km(note.length_m)))
        items.append(f'<li>{swatch}<span>{escape(text[:1].upper() + text[1:])}</span></li>')
    return head + f'<ul class="rw-notes">{"".join(items)}</ul></section>'


def _station(ctx: Ctx, ds: Dataset, point: Any, where: str) -> str:
    lang = ctx.lang
    found = figures.stations(ds, point)
    if found is None:
        return escape(t(lang, "station_none"))
    poi, dist = found
    dist_text = km(lang, round_km(dist)) if dist >= 1000 else metres(lang, round(dist, -1))
    text = t(lang, "station_near", station="\x00", dist=dist_text, where=t(lang, f"where.{where}"))
    before, after = text.split("\x00", 1)
    return (escape(before) + f'<a href="{poi_page_name(poi.id)}">{escape(poi.name)}</a>' + escape(after))


def _stage_card(ctx: Ctx, ds: Dataset, info: TourInfo, st: StageInfo, links: Links) -> str:
    lang = ctx.lang
    f = st.figures()
    rows: list[tuple[str, str | None]] = [_ends(lang, st.start, st.end, (info.tour.name, info.tour.id, st.name))]
    rows += figure_rows(lang, f)
    rows.append((t(lang, "difficulty"), _difficulty(lang, figures.difficulty(f))))
    rows.append((t(lang, "from_km"), escape(number(lang, round_km(st.facts.start_m), 1))))
    towns = figures.municipalities(info.facts, st.facts.start_m, st.facts.end_m)
    if towns:
        rows.append((t(lang, "municipalities"), escape(", ".join(towns))))
    pois = [pp for pp in st.facts.pois if pp.poi.type != "bahnhof"]
    if pois:
        rows.append((t(lang, "on_the_way"), ", ".join(f'<a href="{poi_page_name(pp.poi.id)}">{escape(pp.poi.name)}</a>'
                                                     for pp in pois)))
    train = (f'<div class="rw-train"><h4>{icon("bahnhof", 18)} {escape(t(lang, "by_train"))}</h4><ul>'
             f'<li>{_station(ctx, ds, st.facts.start.coords, "start")}</li>'
             f'<li>{_station(ctx, ds, st.facts.end.coords, "end")}</li></ul></div>')
    dl = []
    g = links.stage_gpx.get((info.id, st.id))
    if g:
        dl.append(link(g, f"GPX {t(lang, 'gpx_track')}", download=True))
    r = links.stage_route_gpx.get((info.id, st.id))
    if r:
        dl.append(link(r, t(lang, "gpx_route"), download=True))
    dl.append(f'<a href="index.html#stage={escape(info.id)}--{escape(st.id)}">{escape(t(lang, "show_on_map"))}</a>')
    svg = profile_svg(st.facts.profile, st.facts.pois, lang, title=st.name, dom_id=st.dom_id)
    return (f'<article class="rw-card rw-stage" id="{stage_anchor(st.id)}" aria-labelledby="h-{stage_anchor(st.id)}">'
            f'<h3 id="h-{stage_anchor(st.id)}">{escape(t(lang, "stage"))} {st.index + 1}: {escape(st.name)}</h3>'
            f'{facts_list(rows, "rw-stagefigs")}{train}'
            f'<details class="rw-stage-profile"><summary>{escape(t(lang, "profile"))}</summary>{svg}</details>'
            f'<p class="rw-downloads">{" ".join(f"<span>{x}</span>" for x in dl)}</p></article>')


def poi_list(pois: Sequence[NearPoi], lang: str) -> str:
    """POIs along a line, numbered as on the profile and the map, each linked to its page."""
    if not pois:
        return f"<p>{escape(t(lang, 'none'))}</p>"
    items = []
    for n, pp in enumerate(pois, 1):
        items.append(f'<li><span class="rw-num">{n}</span>{icon(pp.poi.type)}'
                     f'<a href="{poi_page_name(pp.poi.id)}">{escape(pp.poi.name)}</a> '
                     f'<span class="rw-muted">{escape(label(lang, "poi", pp.poi.type))} · km '
                     f'{escape(number(lang, round_km(pp.along_m), 1))}'
                     f' · {escape(metres(lang, round(pp.offset_m, -1)))} '
                     f'{escape(t(lang, "distance_from_route").lower() if lang == "en" else "neben der Strecke")}'
                     f'</span></li>')
    return f'<ol class="rw-poi-list">{"".join(items)}</ol>'


def tour_cards(ctx: Ctx, infos: Sequence[TourInfo], pages: dict[str, str]) -> str:
    """The tours as cards, for the start page."""
    lang = ctx.lang
    cards = []
    for info in infos:
        figs = info.figures()
        rows = [(t(lang, "length"), escape(km(lang, figs.length_km))),
                (t(lang, "ascent"), None if figs.ascent_m is None else escape(metres(lang, figs.ascent_m))),
                (t(lang, "difficulty"), _difficulty(lang, figures.tour_difficulty(info.facts)))]
        if info.stages:
            rows.append((t(lang, "stages"), escape(str(len(info.stages)))))
        desc = info.description(lang)
        color = TOUR_COLORS[info.index % len(TOUR_COLORS)]
        cards.append(f'<article class="rw-card rw-tour-card" style="border-top-color:{color}">'
                     f'<h3><a href="{pages[info.id]}">{escape(info.name(lang))}</a></h3>'
                     + (f'<p{_lang_attr(ctx, bool(info.tour.description_en))}>{escape(desc)}</p>' if desc else "")
                     + facts_list(rows, "rw-cardfigs") + "</article>")
    return (f'<section id="touren" class="rw-home-tours" aria-labelledby="h-tours"><h2 id="h-tours">'
            f'{escape(t(lang, "tours_intro"))}</h2><div class="rw-cards">{"".join(cards)}</div></section>')


def tour_jsonld(ctx: Ctx, info: TourInfo, name: str) -> dict[str, Any]:
    """schema.org ``TouristTrip`` with its stages and sights as the itinerary."""
    lang = ctx.lang
    figs = info.figures()
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "TouristTrip", "name": info.name(lang),
                            "inLanguage": lang, "touristType": "Radfahrer" if lang == "de" else "Cyclists"}
    desc = info.description(lang)
    if desc:
        data["description"] = desc
    url = ctx.url(name)
    if url:
        data["url"] = url
    items = [{"@type": "ListItem", "position": n, "item": {"@type": "TouristAttraction", "name": pp.poi.name}}
             for n, pp in enumerate(info.facts.pois, 1)]
    data["itinerary"] = {"@type": "ItemList", "numberOfItems": len(items), "itemListElement": items}
    data["additionalProperty"] = [{"@type": "PropertyValue", "name": "length", "value": figs.length_km,
                                   "unitCode": "KMT"}]
    if figs.ascent_m is not None:
        data["additionalProperty"].append({"@type": "PropertyValue", "name": "ascent", "value": figs.ascent_m,
                                           "unitCode": "MTR"})
    return data


def tour_description(ctx: Ctx, info: TourInfo) -> str:
    """The meta description of a tour's page."""
    lang = ctx.lang
    figs = info.figures()
    bits = [km(lang, figs.length_km, sep=" ")]
    if figs.ascent_m is not None:
        bits.append(f"{t(lang, 'ascent')} {metres(lang, figs.ascent_m, sep=' ')}")
    if info.stages:
        bits.append(f"{len(info.stages)} {t(lang, 'stages')}")
    desc = pick(lang, info.tour.description, info.tour.description_en) or ""
    return f"{info.name(lang)}: {', '.join(bits)}. {desc}".strip()


_KIND_WORDS = {"de": {"tour": "Track der Tour", "route": "Route", "stage": "Track der Etappe", "zip": "ZIP",
                      "segment": "Abschnitt"},
               "en": {"tour": "Tour track", "route": "Route", "stage": "Stage track", "zip": "ZIP",
                      "segment": "Section"}}


def downloads_body(ctx: Ctx, files: Sequence[tuple[str, str, str | None]], data_files: Sequence[tuple[str, str]],
                   links: Links, infos: Sequence[TourInfo]) -> str:
    """GPX files by tour, and the data as GeoJSON; ``files`` are (path from the root, kind, tour id)."""
    lang, root = ctx.lang, ctx.root
    words = _KIND_WORDS.get(lang, _KIND_WORDS["de"])
    parts = [f"<h1>{escape(t(lang, 'downloads'))}</h1>", "<h2>GPX</h2>"]
    if links.zip:
        parts.append(f'<p class="rw-downloads"><span>{link(links.zip, t(lang, "gpx_all"), download=True)}</span></p>')
    if not files:
        parts.append(f"<p>{escape(t(lang, 'gpx_none'))}</p>")
    by_tour: dict[str | None, list[tuple[str, str]]] = {}
    for path, kind, tour in files:  # grouped once, in the listing's order, not scanned once per tour
        by_tour.setdefault(tour, []).append((path, kind))
    for info in infos:
        mine = by_tour.get(info.id, [])
        if not mine:
            continue
        items = "".join(f'<li>{link(root + path, path.rsplit("/", 1)[-1], download=True)} '
                        f'<span class="rw-muted">{escape(words.get(kind, kind))}</span></li>' for path, kind in mine)
        parts.append(f'<h3><a href="{tour_page_name(info.id)}">{escape(info.name(lang))}</a></h3>'
                     f'<ul class="rw-files">{items}</ul>')
    parts.append(f"<h2>{escape(t(lang, 'data'))}</h2><p>{escape(t(lang, 'data_note'))}</p>")
    items = "".join(f'<li>{link(root + path, path.rsplit("/", 1)[-1], download=True)}</li>'
                    for path, _kind in data_files)
    parts.append(f'<ul class="rw-files">{items}</ul>')
    return "\n".join(parts)
