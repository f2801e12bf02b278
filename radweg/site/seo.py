"""The sitemap: every page in both languages, with each page's counterpart as an alternate."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from radweg.site.html import LANG_DIRS


def sitemap(names: Sequence[str], site_url: str | None) -> str:
    """``sitemap.xml`` for the pages ``names`` (file names, the same in every language).

    Search engines need absolute addresses: with ``site_url`` (radweg.json) they
    are absolute; without it the locations are relative to the site's root, so
    the file still lists every page but must be completed before it is submitted.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for name in sorted(names):
        for folder in LANG_DIRS.values():
            out.append(f"<url><loc>{escape(base + folder + name)}</loc>")
            for alt, alt_folder in LANG_DIRS.items():
                out.append(f'<xhtml:link rel="alternate" hreflang="{alt}" href={quoteattr(base + alt_folder + name)}/>')
            out.append("</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"
