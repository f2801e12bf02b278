"""``radweg publish``: a static site with the map, a page per tour, the POI list, the gap report and downloads.

Layout of the output folder (all links relative, so it works from ``file://``
and from any static web server)::

    index.html            the map (scripts and styles in assets/, no CDN)
    tour-ID.html          one page per tour with its stages
    pois.html             every POI by type
    gaps.html             the gap report for planners (unless switched off)
    downloads.html        GPX files and GeoJSON data
    assets/               Leaflet, plugins (from folium-offline), radweg.css, radweg.js
    gpx/                  GPX files and the ZIP (unless switched off)
    data/                 the data files as GeoJSON
    .radweg-site.json     the files written with their SHA-256, so that the next run can remove stale ones

Nothing is written outside the output folder, whatever a name contains; a
folder that holds other files and no ``.radweg-site.json`` is refused. The
site is built in a staging folder and swapped in (:mod:`radweg.site.deploy`):
an interrupted publish leaves the old site, and the next one just works.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from radweg.io.atomic import write_many_atomic
from radweg.io.geojson import dump_collection
from radweg.io.paths import inside
from radweg.model import Dataset
from radweg.site import html as sitehtml
from radweg.site import pages
from radweg.webmap import GapLayer, Links, MapOptions, render_map
from radweg.webmap.content import disclaimer, title, tour_infos
from radweg.webmap.i18n import check_lang, t

MANIFEST = ".radweg-site.json"

DATA_FILES = (("segments", "segments.geojson"), ("tours", "tours.geojson"), ("pois", "pois.geojson"),
              ("neighbours", "neighbours.geojson"))


@dataclass(frozen=True)
class SiteOptions:
    lang: str = "de"
    tolerance_m: float = 4.0
    corridor_m: float = 500.0
    gpx: bool = True
    gaps: bool = True
    force: bool = False


@dataclass
class SiteReport:
    """What was written, and what was left out and why."""

    root: Path
    files: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    max_deviation_m: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


ALL_GPX_ZIP = "alle-gpx-dateien.zip"


def _gpx(ds: Dataset, root: Path, opts: SiteOptions, report: SiteReport
         ) -> tuple[Links, list[tuple[str, str]], list[tuple[str, bytes]]]:
    """GPX files through :func:`radweg.gpx.export.export_gpx`, plus one ZIP with all of them.

    Returns the links, the listing for the downloads page and extra files to write (the ZIP).
    """
    if not opts.gpx:
        report.skipped.append("gpx: switched off (--no-gpx)")
        return Links(), [], []
    from radweg.gpx.export import export_gpx, zip_bytes

    gpx_dir = inside(root, "gpx")
    files = export_gpx(ds, gpx_dir, per_stage=True, bundle=True, corridor_m=opts.corridor_m)
    tour_gpx: dict[str, str] = {}
    stage_gpx: dict[tuple[str, str], str] = {}
    tour_zip: dict[str, str] = {}
    listing: list[tuple[str, str]] = []
    entries: list[tuple[str, bytes]] = []
    for f in files:
        rel = Path(f.path).resolve().relative_to(root.resolve()).as_posix()
        report.files.append(rel)
        what = " ".join(x for x in (f.kind, f.tour_id or "", f.stage_id or "") if x)
        listing.append((rel, what))
        if f.kind == "zip":
            tour_zip[f.tour_id] = rel
            continue
        entries.append((Path(f.path).name, Path(f.path).read_bytes()))
        if f.kind == "tour" and f.tour_id:
            tour_gpx[f.tour_id] = rel
        elif f.kind == "stage" and f.tour_id and f.stage_id:
            stage_gpx[(f.tour_id, f.stage_id)] = rel
    extra: list[tuple[str, bytes]] = []
    zip_rel = None
    if entries:
        taken = {Path(f.path).name for f in files}
        name, n = ALL_GPX_ZIP, 1
        while name in taken:
            name, n = f"alle-gpx-dateien-{n}.zip", n + 1
        zip_rel = f"gpx/{name}"
        extra.append((zip_rel, zip_bytes(entries)))
    return (Links(tour_gpx=tour_gpx, stage_gpx=stage_gpx, zip=zip_rel, tour_zip=tour_zip), sorted(listing),
            extra)


def _gaps(ds: Dataset, lang: str, opts: SiteOptions, report: SiteReport) -> tuple[str | None, GapLayer | None]:
    """The gap report page and the gaps for the map, from :func:`radweg.gaps.detect.find_gaps`."""
    if not opts.gaps:
        report.skipped.append("gaps: switched off (--no-gaps)")
        return None, None
    from radweg.gaps.detect import find_gaps
    from radweg.gaps.render import render_html
    from radweg.site.gaplayer import gap_layer

    gaps = find_gaps(ds)
    page = render_html(gaps, ds)
    return page, gap_layer(gaps, lang)


def publish(ds: Dataset, root: Path, options: SiteOptions | None = None,
            progress: Callable[[str], None] | None = None) -> SiteReport:
    """Build the whole site into ``root``: in a staging folder beside it, then swapped in
    (see :mod:`radweg.site.deploy`; files of the old site radweg did not write are kept)."""
    from radweg.site.deploy import deploy

    opts = options or SiteOptions()
    built: list[SiteReport] = []

    def build(staging: Path) -> dict[str, bytes | str]:
        built.append(_build(ds, staging, opts, progress))
        return {}

    done = deploy(root, build, force=opts.force)
    report = built[0]
    report.root, report.removed, report.files = root, done.removed, done.files
    return report


def _build(ds: Dataset, root: Path, opts: SiteOptions, progress: Callable[[str], None] | None) -> SiteReport:
    """Write the whole site into the (empty) folder ``root``."""
    lang = check_lang(opts.lang)
    say = progress or (lambda _msg: None)
    report = SiteReport(root)

    say("GPX files …")
    links, gpx_listing, gpx_extra = _gpx(ds, root, opts, report)
    infos = tour_infos(ds, opts.corridor_m)
    tour_pages = {info.id: pages.tour_page_name(info.id) for info in infos}
    links = Links(links.tour_gpx, links.stage_gpx, tour_pages, links.zip, links.tour_zip)
    say("gap report …")
    gap_page, gap_layer = _gaps(ds, lang, opts, report)

    nav = sitehtml.nav_links(lang, has_gaps=gap_page is not None,
                             tours=[(tour_pages[i.id], i.name(lang)) for i in infos])
    say("map …")
    rendered = render_map(ds, MapOptions(lang=lang, tolerance_m=opts.tolerance_m, corridor_m=opts.corridor_m,
                                         links=links, gaps=gap_layer, nav=nav[1:]), inline=False)
    report.max_deviation_m = rendered.result.max_deviation_m
    report.counts = dict(rendered.result.counts)

    items: list[tuple[str, bytes | str]] = [("index.html", rendered.html)]
    items += [(f"assets/{a.name}", a.data) for a in rendered.assets]
    items += gpx_extra
    site_title, note = title(ds), disclaimer(ds, lang)

    def page(name: str, heading: str, body: str) -> None:
        items.append((name, sitehtml.page(lang=lang, site_title=site_title, title=heading, body=body, nav=nav,
                                          disclaimer=note)))

    for info in infos:
        page(tour_pages[info.id], info.name(lang), pages.tour_body(info, ds, lang, links, opts.corridor_m))
    page("pois.html", t(lang, "pois"), pages.pois_body(ds, lang))
    if gap_page is not None:
        back = "".join(f'<a href="{escape(href, quote=True)}">{escape(text)}</a> ' for href, text in nav)
        items.append(("gaps.html", gap_page.replace("<body>", f'<body>\n<nav class="rw-site-nav">{back}</nav>', 1)))
    data_listing = []
    for kind, name in DATA_FILES:
        items.append((f"data/{name}", dump_collection(getattr(ds, kind))))
        data_listing.append((f"data/{name}", kind))
    page("downloads.html", t(lang, "downloads"), pages.downloads_body(lang, gpx_listing, data_listing, links))

    say("writing …")
    paths = [(inside(root, rel), data) for rel, data in items]
    report.files += [rel for rel, _ in items]
    report.files = sorted(set(report.files))
    manifest = json.dumps({"generator": "radweg publish", "lang": lang, "files": report.files},
                          ensure_ascii=False, indent=1) + "\n"
    paths.append((inside(root, MANIFEST), manifest))
    write_many_atomic(paths)
    return report


def summary(report: SiteReport) -> dict[str, Any]:
    """The report as plain data, for --json."""
    return {"output": str(report.root), "files": len(report.files), "removed": report.removed,
            "skipped": report.skipped, "max_deviation_m": round(report.max_deviation_m, 2), "counts": report.counts}
