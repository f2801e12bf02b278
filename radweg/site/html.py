"""The frame of every site page: head (title, description, hreflang, Open Graph, JSON-LD), header, footer.

Text is escaped here; ``body`` and other HTML arguments are HTML that the caller escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from radweg.i18n import LOCALES
from radweg.webmap.i18n import t
from radweg.webmap.mapdata import script_json
from radweg.webmap.styles import poi_icon_svg

LANG_DIRS = {"de": "", "en": "en/"}
"""Where each language's pages live, relative to the site's root: German at the root, English in en/."""

OTHER = {"de": "en", "en": "de"}


@dataclass(frozen=True)
class Ctx:
    """What every page of one language needs to know."""

    lang: str
    site_title: str
    disclaimer: str | None
    site_url: str | None = None
    planner: bool = False
    tours: tuple[tuple[str, str], ...] = ()
    """(page, name) of every tour, for the navigation."""

    @property
    def root(self) -> str:
        """The relative way from this language's pages to the site's root (assets/, gpx/, data/)."""
        return "../" if LANG_DIRS[self.lang] else ""

    def counterpart(self, name: str) -> str:
        """The relative link from page ``name`` of this language to the same page in the other one."""
        other = OTHER[self.lang]
        return self.root + LANG_DIRS[other] + name

    def url(self, name: str, lang: str | None = None) -> str | None:
        """The absolute address of a page when ``site_url`` is set (for canonical, og:url and the sitemap)."""
        if not self.site_url:
            return None
        return self.site_url.rstrip("/") + "/" + LANG_DIRS[lang or self.lang] + name


def nav_links(ctx: Ctx) -> list[tuple[str, str]]:
    """(href, text) of the site's main pages."""
    out = [("index.html", t(ctx.lang, "map")), ("index.html#touren", t(ctx.lang, "tours")),
           ("pois.html", t(ctx.lang, "pois"))]
    if ctx.planner:
        out.append(("gaps.html", t(ctx.lang, "gaps")))
    out.append(("downloads.html", t(ctx.lang, "downloads")))
    return out


def head_tags(ctx: Ctx, name: str, title: str, description: str, *, og_type: str = "website",
              jsonld: dict[str, Any] | None = None) -> str:
    """Description, language alternates, Open Graph, canonical address and schema.org data."""
    lang, other = ctx.lang, OTHER[ctx.lang]
    german = name if lang == "de" else ctx.counterpart(name)
    tags = [f'<meta name="description" content="{escape(description)}"/>',
            f'<link rel="alternate" hreflang="{lang}" href="{escape(name)}"/>',
            f'<link rel="alternate" hreflang="{other}" href="{escape(ctx.counterpart(name))}"/>',
            f'<link rel="alternate" hreflang="x-default" href="{escape(german)}"/>',
            f'<meta property="og:title" content="{escape(title)}"/>',
            f'<meta property="og:description" content="{escape(description)}"/>',
            f'<meta property="og:type" content="{escape(og_type)}"/>',
            f'<meta property="og:site_name" content="{escape(ctx.site_title)}"/>',
            f'<meta property="og:locale" content="{LOCALES[lang]}"/>',
            f'<meta property="og:locale:alternate" content="{LOCALES[other]}"/>']
    url = ctx.url(name)
    if url:
        tags += [f'<link rel="canonical" href="{escape(url)}"/>', f'<meta property="og:url" content="{escape(url)}"/>']
    if jsonld:
        tags.append(f'<script type="application/ld+json">{script_json(jsonld, strict=True)}</script>')
    tags.append('<meta name="theme-color" content="#2d1e12"/>')
    return "\n".join(tags) + "\n"


def header(ctx: Ctx, name: str, *, h1: bool = False) -> str:
    """Skip link, the site's name (the page's h1 on the start page), navigation, language switch, notice."""
    lang = ctx.lang
    links = "".join(f'<li><a href="{escape(href, quote=True)}">{escape(text)}</a></li>'
                    for href, text in nav_links(ctx))
    switch = (f'<a class="rw-lang" href="{escape(ctx.counterpart(name))}" hreflang="{OTHER[lang]}" '
              f'lang="{OTHER[lang]}" title="{escape(t(lang, "switch_lang"))}">'
              f'{escape(t(lang, "other_lang_name"))}</a>')
    site = f'<a href="index.html">{escape(ctx.site_title)}</a>'
    brand = f'<h1 class="rw-site-name">{site}</h1>' if h1 else f'<p class="rw-site-name">{site}</p>'
    note = f'<p class="rw-disclaimer">{escape(ctx.disclaimer)}</p>' if ctx.disclaimer else ""
    planner = f'<p class="rw-planner-badge">{escape(t(lang, "planner_build"))}</p>' if ctx.planner else ""
    return (f'<a class="rw-skip" href="#main">{escape(t(lang, "skip"))}</a>\n'
            f'<header class="rw-top"><div class="rw-title">{brand}'
            f'{switch}<nav aria-label="{escape(t(lang, "nav"))}"><ul>{links}</ul></nav></div>{planner}{note}'
            f'</header>')


def footer(ctx: Ctx, name: str) -> str:
    """Legal links, the other language and the map data's attribution."""
    lang = ctx.lang
    links = [("licences.html", t(lang, "licences")), ("imprint.html", t(lang, "imprint")),
             ("privacy.html", t(lang, "privacy"))]
    items = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    items += (f'<li><a href="{escape(ctx.counterpart(name))}" hreflang="{OTHER[lang]}" lang="{OTHER[lang]}">'
              f'{escape(t(lang, "other_lang_name"))}</a></li>')
    osm = ('<p class="rw-attr">' + escape(t(lang, "attr.map_data")) + ' © <a href="https://www.openstreetmap.org/'
           f'copyright">OpenStreetMap{escape(t(lang, "attr.contributors"))}</a> (ODbL)</p>')
    return f'<footer class="rw-footer"><ul>{items}</ul>{osm}</footer>'


def page(ctx: Ctx, name: str, *, title: str, description: str, body: str, og_type: str = "website",
         jsonld: dict[str, Any] | None = None, leaflet: bool = False, css: str = "") -> str:
    """A complete page ``name`` (a file name in its language's folder)."""
    root = ctx.root
    scripts = (f'<link rel="stylesheet" href="{root}assets/leaflet.css"/>\n'
               f'<script src="{root}assets/leaflet.js"></script>\n' if leaflet else "")
    return (f'<!DOCTYPE html>\n<html lang="{escape(ctx.lang)}">\n<head>\n<meta charset="utf-8"/>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
            f'<title>{escape(title)} – {escape(ctx.site_title)}</title>\n'
            + head_tags(ctx, name, f"{title} – {ctx.site_title}", description, og_type=og_type, jsonld=jsonld)
            + scripts
            + f'<link rel="stylesheet" href="{root}assets/radweg.css"/>\n'
            f'<script src="{root}assets/radweg.js"></script>\n</head>\n'
            f'<body class="rw-page{" " + css if css else ""}">\n{header(ctx, name)}\n<main id="main">\n{body}\n'
            f'</main>\n{footer(ctx, name)}\n</body>\n</html>\n')


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = (),
          css: str = "rw-list", caption: str | None = None) -> str:
    """A table that becomes cards on a phone (each cell labelled); headers are escaped here."""
    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    head = "".join(f'<th scope="col"{cls(i)}>{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td{cls(i)} data-label="{escape(headers[i])}">{c}</td>'
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def icon(kind: str, size: int = 20) -> str:
    return f'<span class="rw-icon">{poi_icon_svg(kind, size)}</span>'


def facts_list(rows: Sequence[tuple[str, str | None]], css: str = "rw-keyfigs") -> str:
    """Key figures as a definition list; values are HTML the caller escaped; empty ones left out."""
    items = "".join(f'<div><dt>{escape(k)}</dt><dd>{v}</dd></div>' for k, v in rows if v)
    return f'<dl class="{css}">{items}</dl>' if items else ""


def de_only(ctx: Ctx, has_english: bool) -> str:
    """On English pages, a note where a text exists only in German."""
    if ctx.lang == "de" or has_english:
        return ""
    return f' <small class="rw-de-only" lang="en">({escape(t("en", "text_de_only"))})</small>'
