"""One page per POI, and the overview of all POIs by type with a filter; services in a list of their own."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from radweg.i18n import km, metres, number
from radweg.model import POI_TYPES, Dataset, Poi
from radweg.site import figures
from radweg.site.html import Ctx, de_only, facts_list, icon
from radweg.site.pages import line_data, page_map_data, poi_page_name, tour_page_name
from radweg.tours.facts import round_km
from radweg.webmap.content import SERVICE_TYPES, TourInfo
from radweg.webmap.i18n import label, pick, t
from radweg.webmap.popups import link, safe_url
from radweg.webmap.styles import poi_icon_svg

PHOTO_FIELDS = ("image", "image_author", "image_license")
"""Extra POI properties for a photo: a relative path or an http(s) URL, its author and its licence."""


def on_tours(infos: Sequence[TourInfo]) -> dict[str, list[tuple[TourInfo, float]]]:
    """For each POI id, the tours it lies on with the ridden distance (from the tours' facts)."""
    out: dict[str, list[tuple[TourInfo, float]]] = {}
    for info in infos:
        for pp in info.facts.pois:
            out.setdefault(pp.poi.id, []).append((info, pp.along_m))
    return out


def _description(ctx: Ctx, poi: Poi) -> str:
    desc = pick(ctx.lang, poi.description, poi.description_en)
    if not desc:
        return ""
    has_en = bool(poi.description_en)
    lang_attr = ' lang="de"' if ctx.lang == "en" and not has_en else ""
    return f'<p class="rw-lead"{lang_attr}>{escape(desc)}{de_only(ctx, has_en)}</p>'


def _extra_text(poi: Poi, key: str) -> str | None:
    value = poi.extra.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _photo(poi: Poi, ctx: Ctx) -> str:
    src = _extra_text(poi, "image")
    if not src:
        return ""
    url = safe_url(src)
    if url is None:
        return ""
    author, licence = _extra_text(poi, "image_author"), _extra_text(poi, "image_license")
    credit = " · ".join(escape(x) for x in (author, licence) if x)
    return (f'<figure class="rw-photo"><img src="{escape(url, quote=True)}" alt="{escape(poi.name)}" '
            f'loading="lazy"/><figcaption>{escape(t(ctx.lang, "photo"))}: {credit}</figcaption></figure>')


def poi_body(poi: Poi, ds: Dataset, ctx: Ctx, tours: list[tuple[TourInfo, float]], corridor_m: float) -> str:
    """A POI's page: name, type, description, facts, photo, a small map, the tours it lies on."""
    lang = ctx.lang
    kind = "services" if poi.type in SERVICE_TYPES else "sights"
    parts = [f'<nav class="rw-crumbs" aria-label="Breadcrumb"><a href="index.html">{escape(t(lang, "map"))}</a> › '
             f'<a href="pois.html#{kind}">{escape(t(lang, kind))}</a></nav>',
             f'<h1>{escape(poi.name)}</h1>',
             f'<p class="rw-type">{icon(poi.type, 24)} {escape(label(lang, "poi", poi.type))}</p>',
             _description(ctx, poi)]
    url = safe_url(poi.website)
    height_key = "height" if poi.type == "halde" else "height_other"
    rows: list[tuple[str, str | None]] = [
        (t(lang, height_key), escape(metres(lang, poi.height_m)) if poi.height_m is not None else None),
        (t(lang, "opening"), escape(v) if (v := _extra_text(poi, "opening_hours")) else None),
        (t(lang, "website"), link(url, url, external=True) if url else None),
        (t(lang, "note"), escape(v) if (v := _extra_text(poi, "note")) else None),
        (t(lang, "source"), escape(poi.source) if poi.source else None),
        (t(lang, "coordinates"), escape(f"{number(lang, poi.lat, 5)}, {number(lang, poi.lon, 5)}")
         + (f' <small>({escape(t(lang, "approx"))})</small>' if poi.approx else "")),
    ]
    if poi.type != "bahnhof":
        found = figures.stations(ds, poi.coords)
        if found is not None:
            st, dist = found
            rows.append((t(lang, "by_train"), f'<a href="{poi_page_name(st.id)}">{escape(st.name)}</a> '
                         f'({escape(_dist(lang, dist))})'))
    marker = {"c": [round(poi.lat, 6), round(poi.lon, 6)], "n": poi.name, "icon": poi_icon_svg(poi.type, 28),
              "href": None}
    context = [part for info, _along in tours[:1] for part in line_data(info)]
    parts.append('<div class="rw-poi-grid"><div>' + facts_list(rows, "rw-poifacts") + _photo(poi, ctx)
                 + f'<p><a class="rw-onmap" href="index.html#poi={escape(poi.id)}">'
                 f'{escape(t(lang, "show_on_map"))}</a></p></div>'
                 f'<div id="rw-page-map" class="rw-page-map rw-poi-map" role="region" '
                 f'aria-label="{escape(t(lang, "map_of", name=poi.name))}"></div></div>'
                 + page_map_data(ctx, parts=context, markers=[marker], color="#2166ac", zoom=13,
                                 center=[round(poi.lat, 6), round(poi.lon, 6)]))
    parts.append(f'<h2>{escape(t(lang, "on_tours"))}</h2>')
    if tours:
        items = "".join(f'<li><a href="{tour_page_name(info.id)}">{escape(info.name(lang))}</a>: km '
                        f'{escape(number(lang, round_km(along), 1))}</li>' for info, along in tours)
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append(f'<p>{escape(t(lang, "not_on_tour", dist=metres(lang, corridor_m)))}</p>')
    return "\n".join(parts)


def _dist(lang: str, dist_m: float) -> str:
    return km(lang, round_km(dist_m)) if dist_m >= 1000 else metres(lang, round(dist_m, -1))


def poi_jsonld(ctx: Ctx, poi: Poi, name: str) -> dict[str, Any]:
    """schema.org ``TouristAttraction`` (a ``TrainStation`` or ``LodgingBusiness`` … for services)."""
    types = {"bahnhof": "TrainStation", "unterkunft": "LodgingBusiness", "gastronomie": "FoodEstablishment"}
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": types.get(poi.type, "TouristAttraction"),
                            "name": poi.name,
                            "geo": {"@type": "GeoCoordinates", "latitude": round(poi.lat, 6),
                                    "longitude": round(poi.lon, 6)}}
    desc = pick(ctx.lang, poi.description, poi.description_en)
    if desc:
        data["description"] = desc
    url = safe_url(poi.website)
    if url:
        data["sameAs"] = url
    page_url = ctx.url(name)
    if page_url:
        data["url"] = page_url
    return data


def poi_description(ctx: Ctx, poi: Poi) -> str:
    desc = pick(ctx.lang, poi.description, poi.description_en) or ""
    return f"{poi.name} ({label(ctx.lang, 'poi', poi.type)}). {desc}".strip()


def overview_body(ds: Dataset, ctx: Ctx) -> str:
    """Every POI by type as cards linking to their pages; sights first, then services; a filter (radweg.js)."""
    lang = ctx.lang
    present = [k for k in POI_TYPES if any(p.type == k for p in ds.pois.items)]
    boxes = "".join(f'<label class="rw-chip">{icon(k, 18)}<input type="checkbox" value="{k}" checked/> '
                    f'{escape(label(lang, "poi", k))}</label>' for k in present)
    form = (f'<form id="rw-filter" class="rw-filter" role="search" hidden><fieldset><legend>'
            f'{escape(t(lang, "filter"))}</legend><label class="rw-search"><span>{escape(t(lang, "search"))}</span> '
            f'<input type="search" placeholder="{escape(t(lang, "search_hint"))}" autocomplete="off"/></label>'
            f'<div class="rw-chips">{boxes}</div><p aria-live="polite"><span id="rw-filter-count"></span> '
            f'{escape(t(lang, "count_shown"))}</p></fieldset></form>')
    parts = [f"<h1>{escape(t(lang, 'pois'))}</h1>"]
    if lang == "en" and any(p.description and not p.description_en for p in ds.pois.items):
        parts.append(f'<p class="rw-de-only">{escape(t(lang, "texts_de_only"))}</p>')
    parts.append(form)
    for group, kinds in (("sights", [k for k in present if k not in SERVICE_TYPES]),
                         ("services", [k for k in present if k in SERVICE_TYPES])):
        if not kinds:
            continue
        parts.append(f'<h2 id="{group}">{escape(t(lang, group))}</h2>')
        for kind in kinds:
            items = sorted((p for p in ds.pois.items if p.type == kind), key=lambda p: (p.name.casefold(), p.id))
            cards = "".join(_card(ctx, p) for p in items)
            parts.append(f'<section class="rw-type-section" aria-labelledby="type-{kind}">'
                         f'<h3 id="type-{kind}">{icon(kind)} {escape(label(lang, "poi", kind))}</h3>'
                         f'<div class="rw-cards">{cards}</div></section>')
    return "\n".join(parts)


def _card(ctx: Ctx, p: Poi) -> str:
    lang = ctx.lang
    desc = pick(lang, p.description, p.description_en) or ""
    short = desc if len(desc) <= 160 else desc[:157].rsplit(" ", 1)[0] + " …"
    search = " ".join(x for x in (p.name, desc, label(lang, "poi", p.type), str(p.extra.get("near_place") or "")))
    lang_attr = ' lang="de"' if lang == "en" and desc and not p.description_en else ""
    height = (f' <span class="rw-muted">{escape(metres(lang, p.height_m))}</span>' if p.height_m is not None else "")
    return (f'<article class="rw-card rw-poi-card" data-type="{escape(p.type)}" '
            f'data-search="{escape(search.casefold())}"><h4><a href="{poi_page_name(p.id)}">{escape(p.name)}</a>'
            f'{height}</h4>' + (f'<p{lang_attr}>{escape(short)}</p>' if short else "") + "</article>")
