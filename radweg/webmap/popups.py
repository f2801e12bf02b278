"""Popup and tooltip HTML for the map. Every value from the data is escaped here.

Leaflet puts popup and tooltip strings into the page as HTML, and so does
folium; names and descriptions come from people and from OpenStreetMap, so
nothing from the data reaches the page unescaped. Links are kept only when
they are http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

from radweg.i18n import km, metres
from radweg.model import Neighbour, Poi, Segment
from radweg.tours.facts import Figures
from radweg.webmap.i18n import label, pick, t


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) URL, else None (no javascript:, data: …)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(href: str, text: str, *, download: bool = False, external: bool = False) -> str:
    """An <a> element with escaped href and text."""
    extra = " download" if download else ""
    if external:
        extra += ' target="_blank" rel="noopener noreferrer"'
    return f'<a href="{escape(href, quote=True)}"{extra}>{escape(text)}</a>'


def facts_table(rows: Sequence[tuple[str, str | None]]) -> str:
    """A definition table; values are already-escaped HTML."""
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows if v)
    return f'<table class="rw-facts">{cells}</table>' if cells else ""


def _km(lang: str, length_m: float) -> str:
    return km(lang, length_m / 1000.0)


def _m(lang: str, value: float | None) -> str | None:
    return None if value is None else metres(lang, value)


def poi_tooltip(poi: Poi, lang: str) -> str:
    return f"{escape(poi.name)} <small>({escape(label(lang, 'poi', poi.type))})</small>"


def poi_popup(poi: Poi, lang: str, page: str | None = None) -> str:
    """Name, type, description, heap height, website and source of a POI; a link to its page."""
    desc = pick(lang, poi.description, poi.description_en)
    url = safe_url(poi.website)
    rows: list[tuple[str, str | None]] = [
        (t(lang, "type"), escape(label(lang, "poi", poi.type))),
        (t(lang, "height" if poi.type == "halde" else "height_other"),
         _m(lang, poi.height_m) if poi.height_m is not None else None),
        (t(lang, "website"), link(url, url, external=True) if url else (escape(poi.website) if poi.website else None)),
        (t(lang, "source"), escape(poi.source) if poi.source else None),
    ]
    approx = f'<p class="rw-note">{escape(t(lang, "approx"))}</p>' if poi.approx else ""
    body = f'<p class="rw-desc">{escape(desc)}</p>' if desc else ""
    more = f'<p class="rw-links">{link(page, t(lang, "poi_page"))}</p>' if page else ""
    return (f'<div class="rw-popup rw-popup-poi"><h3>{escape(poi.name)}</h3>{body}{facts_table(rows)}{approx}'
            f'{more}</div>')


def segment_popup(seg: Segment, length_m: float, lang: str) -> str:
    rows: list[tuple[str, str | None]] = [
        (t(lang, "status"), escape(label(lang, "status", seg.status))),
        (t(lang, "length"), _km(lang, length_m)),
        (t(lang, "surface"), escape(label(lang, "surface", seg.surface)) if seg.surface else None),
        (t(lang, "way_type"), escape(label(lang, "way", seg.way_type)) if seg.way_type else None),
        (t(lang, "municipality"), escape(seg.municipality) if seg.municipality else None),
    ]
    notes = f'<p class="rw-desc">{escape(seg.notes)}</p>' if seg.notes else ""
    return f'<div class="rw-popup rw-popup-segment"><h3>{escape(seg.name)}</h3>{facts_table(rows)}{notes}</div>'


def segment_tooltip(seg: Segment, lang: str) -> str:
    return f"{escape(seg.name)} <small>({escape(label(lang, 'status', seg.status))})</small>"


def neighbour_popup(nb: Neighbour, lang: str) -> str:
    url = safe_url(nb.website)
    rows: list[tuple[str, str | None]] = [
        (t(lang, "network"), escape(nb.network) if nb.network else None),
        (t(lang, "ref"), escape(nb.ref) if nb.ref else None),
        (t(lang, "operator"), escape(nb.operator) if nb.operator else None),
        (t(lang, "website"), link(url, url, external=True) if url else None),
        (t(lang, "geometry"), escape(t(lang, f"geometry.{nb.geometry}")) if nb.geometry else None),
    ]
    notes = f'<p class="rw-desc">{escape(nb.notes)}</p>' if nb.notes else ""
    return f'<div class="rw-popup rw-popup-neighbour"><h3>{escape(nb.name)}</h3>{facts_table(rows)}{notes}</div>'


def figures_rows(lang: str, figs: Figures) -> list[tuple[str, str | None]]:
    """Length, ascent and descent as table rows."""
    return [
        (t(lang, "length"), km(lang, figs.length_km)),
        (t(lang, "ascent"), _m(lang, figs.ascent_m)),
        (t(lang, "descent"), _m(lang, figs.descent_m)),
    ]


def route_popup(*, kind: str, title: str, subtitle: str | None, description: str | None,
                figs: Figures, start: str | None, end: str | None, lang: str,
                gpx: str | None, page: str | None, profile_id: str | None) -> str:
    """Popup of a tour or a stage: key figures, start and end, GPX and page links."""
    rows = figures_rows(lang, figs) + [(t(lang, "start"), escape(start) if start else None),
                                       (t(lang, "end"), escape(end) if end else None)]
    links: list[str] = []
    if gpx:
        links.append(link(gpx, t(lang, "gpx_tour" if kind == "tour" else "gpx_stage"), download=True))
    if page:
        links.append(link(page, t(lang, "tour_page") if kind == "tour" else t(lang, "stage_page")))
    if profile_id:
        links.append(f'<a href="#" class="rw-show-profile" data-profile="{escape(profile_id)}">'
                     f'{escape(t(lang, "profile"))}</a>')
    sub = f'<p class="rw-sub">{escape(subtitle)}</p>' if subtitle else ""
    desc = f'<p class="rw-desc">{escape(description)}</p>' if description else ""
    foot = f'<p class="rw-links">{" · ".join(links)}</p>' if links else ""
    return f'<div class="rw-popup rw-popup-{kind}"><h3>{escape(title)}</h3>{sub}{desc}{facts_table(rows)}{foot}</div>'
