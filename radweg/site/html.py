"""The frame of a site page: head, header with navigation and disclaimer, footer. Text is escaped here."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from radweg.webmap.i18n import t
from radweg.webmap.styles import poi_icon_svg


def nav_links(lang: str, *, has_gaps: bool, tours: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(href, text) of the site's main pages."""
    out = [("index.html", t(lang, "map"))]
    out += [(href, name) for href, name in tours]
    out.append(("pois.html", t(lang, "pois")))
    if has_gaps:
        out.append(("gaps.html", t(lang, "gaps")))
    out.append(("downloads.html", t(lang, "downloads")))
    return out


def page(*, lang: str, site_title: str, title: str, body: str, nav: Sequence[tuple[str, str]],
         disclaimer: str | None) -> str:
    """A complete page. ``body`` is HTML that the caller escaped; everything else is escaped here."""
    links = "".join(f'<a href="{escape(href, quote=True)}">{escape(text)}</a>' for href, text in nav)
    note = f'<p class="rw-disclaimer">{escape(disclaimer)}</p>' if disclaimer else ""
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8"/>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
            f'<title>{escape(title)} – {escape(site_title)}</title>\n'
            f'<link rel="stylesheet" href="assets/radweg.css"/>\n</head>\n'
            f'<body class="rw-page">\n<header class="rw-top"><div class="rw-title"><strong>{escape(site_title)}'
            f'</strong><nav>{links}</nav></div>{note}</header>\n<main>\n{body}\n'
            f'<footer>{escape(t(lang, "generated"))}</footer>\n</main>\n</body>\n</html>\n')


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = (),
          css: str = "rw-list") -> str:
    """A table; header texts are escaped here, cells are HTML the caller escaped."""
    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    head = "".join(f"<th{cls(i)}>{escape(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def icon(kind: str) -> str:
    return f'<span class="rw-icon">{poi_icon_svg(kind, 20)}</span>'


def num(value: float | None, fmt: str = "{:.1f}", unit: str = "") -> str:
    return "" if value is None else escape(fmt.format(value) + unit)
