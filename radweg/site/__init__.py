"""``radweg publish``: the public site (or, with ``planner``, the planner's) in German and English.

Layout of the output folder (all links relative, so it works from ``file://``
and from any static web server)::

    index.html            start page: the map and the tours (German)
    tour-ID.html          one page per tour: map, figures, profile, stages, GPX
    poi-ID.html           one page per POI
    pois.html             every POI by type, with a filter; services listed apart
    downloads.html        GPX files and GeoJSON data
    licences.html, imprint.html, privacy.html
    gaps.html             the gap report (planner build only)
    en/                   the same pages in English
    sitemap.xml           every page in both languages
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

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.io.geojson import dump_collection
from radweg.io.paths import inside
from radweg.model import Dataset
from radweg.site import html as sitehtml
from radweg.site import pages
from radweg.webmap import Links, MapOptions, PageFrame, render_map
from radweg.webmap.content import TourInfo, disclaimer, title, tour_infos
from radweg.webmap.i18n import LANGS, t

if TYPE_CHECKING:
    from radweg.gaps.report import GapReport

MANIFEST = ".radweg-site.json"

DATA_FILES = (("segments", "segments.geojson"), ("tours", "tours.geojson"), ("pois", "pois.geojson"),
              ("neighbours", "neighbours.geojson"))


@dataclass(frozen=True)
class SiteOptions:
    tolerance_m: float = 4.0
    corridor_m: float = 500.0
    gpx: bool = True
    planner: bool = False
    """The planner's build: the gap layer on the map and the gap report page."""
    force: bool = False
    graph: Any = None
    """A street network (planner build): the gaps are routed on it and the connectors shown."""
    network: str | None = None
    """The network's name, for the pages."""


@dataclass
class SiteReport:
    """What was written, and what was left out and why."""

    root: Path
    files: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """E.g. gaps the street network does not cover."""
    max_deviation_m: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


Items = list[tuple[str, bytes | str]]
"""(path relative to the site's root, content) of every file to write."""


def build_into(root: Path, force: bool, build: Callable[[Path, SiteReport], Items]) -> SiteReport:
    """Let ``build`` make the site in a staging folder beside ``root`` and swap it in (:mod:`radweg.site.deploy`).

    An interrupted publish leaves the old site or none, and never blocks the next one; a file of the
    old site is deleted only when radweg wrote it (its hash is in the manifest); every other one is kept.
    """
    from radweg.site.deploy import deploy

    reports: list[SiteReport] = []

    def staged(staging: Path) -> dict[str, bytes | str]:
        report = SiteReport(root)
        reports.append(report)
        return dict(build(staging, report))

    done = deploy(root, staged, force=force)
    report = reports[0]
    report.files, report.removed = done.files, done.removed
    if done.kept:
        report.warnings.append(f"kept {len(done.kept)} file(s) that radweg did not write: {', '.join(done.kept[:5])}"
                               + (" …" if len(done.kept) > 5 else ""))
    if done.set_aside:
        report.warnings.append(f"files of the old site whose names the new site uses are in {done.set_aside}")
    return report


ALL_GPX_ZIP = "alle-gpx-dateien.zip"


def _gpx(ds: Dataset, root: Path, opts: SiteOptions, report: SiteReport
         ) -> tuple[Links, list[tuple[str, str, str | None]], Items]:
    """GPX files through :func:`radweg.gpx.export.export_gpx` (tracks and capped routes), plus one ZIP of all.

    Returns the links (relative to the site's root), the listing for the downloads page
    as (path, kind, tour id) and extra files to write (the ZIP).
    """
    if not opts.gpx:
        report.skipped.append("gpx: switched off (--no-gpx)")
        return Links(), [], []
    from radweg.gpx.export import export_gpx, zip_bytes

    gpx_dir = inside(root, "gpx")
    files = export_gpx(ds, gpx_dir, per_stage=True, bundle=True, as_route=True, corridor_m=opts.corridor_m)
    tour_gpx: dict[str, str] = {}
    stage_gpx: dict[tuple[str, str], str] = {}
    tour_route: dict[str, str] = {}
    stage_route: dict[tuple[str, str], str] = {}
    tour_zip: dict[str, str] = {}
    listing: list[tuple[str, str, str | None]] = []
    entries: list[tuple[str, bytes]] = []
    for f in files:
        rel = Path(f.path).resolve().relative_to(root.resolve()).as_posix()
        report.files.append(rel)
        listing.append((rel, f.kind, f.tour_id))
        if f.kind == "zip":
            tour_zip[f.tour_id] = rel
            continue
        entries.append((Path(f.path).name, Path(f.path).read_bytes()))
        if f.kind == "tour" and f.tour_id:
            tour_gpx[f.tour_id] = rel
        elif f.kind == "stage" and f.tour_id and f.stage_id:
            stage_gpx[(f.tour_id, f.stage_id)] = rel
        elif f.kind == "route" and f.tour_id:
            if f.stage_id:
                stage_route[(f.tour_id, f.stage_id)] = rel
            else:
                tour_route[f.tour_id] = rel
    extra: Items = []
    zip_rel = None
    if entries:
        taken = {Path(f.path).name for f in files}
        name, n = ALL_GPX_ZIP, 1
        while name in taken:
            name, n = f"alle-gpx-dateien-{n}.zip", n + 1
        zip_rel = f"gpx/{name}"
        extra.append((zip_rel, zip_bytes(entries)))
    return (Links(tour_gpx=tour_gpx, stage_gpx=stage_gpx, zip=zip_rel, tour_zip=tour_zip,
                  stage_route_gpx=stage_route, tour_route_gpx=tour_route), sorted(listing, key=lambda x: x[0]),
            extra)


def _gaps(ds: Dataset, opts: SiteOptions, report: SiteReport) -> GapReport | None:
    """The gap report (planner build only), routed on ``opts.graph`` when a street network is given."""
    if not opts.planner:
        return None
    from radweg.gaps.connectors import coverage_warnings
    from radweg.gaps.report import build_report

    gaps = build_report(ds, graph=opts.graph, network_name=opts.network)
    if gaps.connectors is not None:
        report.warnings += coverage_warnings(gaps.connectors, opts.network)
    return gaps


def _prefixed(links: Links, root: str, tour_pages: dict[str, str], poi_pages: dict[str, str]) -> Links:
    """The links as seen from one language's folder."""
    def p(d: dict[Any, str]) -> dict[Any, str]:
        return {k: root + v for k, v in d.items()}

    return Links(p(links.tour_gpx), p(links.stage_gpx), tour_pages, root + links.zip if links.zip else None,
                 p(links.tour_zip), poi_pages, p(links.stage_route_gpx), p(links.tour_route_gpx))


def publish(ds: Dataset, root: Path, options: SiteOptions | None = None,
            progress: Callable[[str], None] | None = None) -> SiteReport:
    """Build the whole site (German at the root, English in en/) into ``root``."""
    opts = options or SiteOptions()
    say = progress or (lambda _msg: None)
    return build_into(root, opts.force, lambda target, report: _build(ds, target, opts, report, say))


def _build(ds: Dataset, root: Path, opts: SiteOptions, report: SiteReport, say: Callable[[str], None]) -> Items:
    say("GPX files …")
    links, gpx_listing, items = _gpx(ds, root, opts, report)
    infos = tour_infos(ds, opts.corridor_m)
    tour_pages = {info.id: pages.tour_page_name(info.id) for info in infos}
    poi_pages = {p.id: pages.poi_page_name(p.id) for p in ds.pois.items}
    say("gap report …")
    gaps = _gaps(ds, opts, report)
    names: list[str] = []
    for lang in LANGS:
        ctx = sitehtml.Ctx(lang=lang, site_title=title(ds, lang), disclaimer=disclaimer(ds, lang),
                           site_url=_site_url(ds), planner=opts.planner,
                           tours=tuple((tour_pages[i.id], i.name(lang)) for i in infos))
        say(f"pages ({lang}) …")
        lang_items = _language(ds, ctx, opts, infos, _prefixed(links, ctx.root, tour_pages, poi_pages), gaps,
                               gpx_listing, report)
        folder = sitehtml.LANG_DIRS[lang]
        for rel, data in lang_items:
            if rel.startswith("assets/") or rel.startswith("data/"):
                if lang == LANGS[0]:
                    items.append((rel, data))
                continue
            items.append((folder + rel, data))
            if lang == LANGS[0] and rel.endswith(".html"):
                names.append(rel)
    if gaps is not None:
        report.counts["gaps"] = len(gaps.gaps)
    from radweg.site.seo import sitemap

    items.append(("sitemap.xml", sitemap(names, _site_url(ds))))
    return items


def _site_url(ds: Dataset) -> str | None:
    url = ds.project.get("site_url")
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def _language(ds: Dataset, ctx: sitehtml.Ctx, opts: SiteOptions, infos: list[TourInfo], links: Links,
              gaps: GapReport | None, gpx_listing: list[tuple[str, str, str | None]], report: SiteReport
              ) -> Items:
    """Every page of one language (paths relative to that language's folder), and the assets and data."""
    from radweg.site import legal, poipages
    from radweg.site.gappage import gaps_body

    lang = ctx.lang
    gap_layer = None
    if gaps is not None:
        from radweg.site.gaplayer import gap_layer as make_gap_layer

        gap_layer = make_gap_layer(gaps.gaps, lang, gaps.connectors, opts.network)
    items: Items = []
    home_title = ctx.site_title
    frame = PageFrame(
        title=f"{t(lang, 'map')} – {home_title}", map_label=t(lang, "map_label"),
        head=sitehtml.head_tags(ctx, "index.html", home_title, _site_description(ds, ctx, infos)),
        header=sitehtml.header(ctx, "index.html", h1=True),
        after_map=pages.tour_cards(ctx, infos, links.tour_page),
        footer=sitehtml.footer(ctx, "index.html"))
    rendered = render_map(ds, MapOptions(lang=lang, tolerance_m=opts.tolerance_m, corridor_m=opts.corridor_m,
                                         links=links, gaps=gap_layer, planner=opts.planner, frame=frame),
                          inline=False, asset_prefix=ctx.root + "assets/")
    report.max_deviation_m = rendered.result.max_deviation_m
    report.counts.update(rendered.result.counts)
    items.append(("index.html", rendered.html))
    items += [(f"assets/{a.name}", a.data) for a in rendered.assets]

    def page(name: str, heading: str, description: str, body: str, **kw: Any) -> None:
        items.append((name, sitehtml.page(ctx, name, title=heading, description=description, body=body, **kw)))

    for info in infos:
        name = links.tour_page[info.id]
        page(name, info.name(lang), pages.tour_description(ctx, info), pages.tour_body(info, ds, ctx, links),
             og_type="article", jsonld=pages.tour_jsonld(ctx, info, name), leaflet=True)
    tours_of = poipages.on_tours(infos)
    for poi in ds.pois.items:
        name = links.poi_page[poi.id]
        page(name, poi.name, poipages.poi_description(ctx, poi),
             poipages.poi_body(poi, ds, ctx, tours_of.get(poi.id, []), opts.corridor_m),
             og_type="article", jsonld=poipages.poi_jsonld(ctx, poi, name), leaflet=True)
    page("pois.html", t(lang, "pois"), f"{t(lang, 'pois')}: {ctx.site_title}", poipages.overview_body(ds, ctx))
    if gaps is not None:
        page("gaps.html", t(lang, "gaps"), t(lang, "gap_intro"),
             gaps_body(gaps.gaps, ctx, {i.id: i.name(lang) for i in infos}, gaps.connectors, opts.network))
    data_listing = []
    for kind, fname in DATA_FILES:
        items.append((f"data/{fname}", dump_collection(getattr(ds, kind))))
        data_listing.append((f"data/{fname}", kind))
    page("downloads.html", t(lang, "downloads"), f"GPX – {ctx.site_title}",
         pages.downloads_body(ctx, gpx_listing, data_listing, links, infos))
    page("licences.html", t(lang, "licences"), t(lang, "licences"), legal.licences_body(ds, ctx))
    page("imprint.html", t(lang, "imprint"), t(lang, "imprint"), legal.imprint_body(ds, ctx))
    page("privacy.html", t(lang, "privacy"), t(lang, "privacy"), legal.privacy_body(ds, ctx))
    return items


def _site_description(ds: Dataset, ctx: sitehtml.Ctx, infos: list[TourInfo]) -> str:
    names = ", ".join(i.name(ctx.lang) for i in infos)
    return f"{ctx.site_title}: {t(ctx.lang, 'description_site')}. {names}".strip()


def summary(report: SiteReport) -> dict[str, Any]:
    """The report as plain data, for --json."""
    return {"output": str(report.root), "files": len(report.files), "removed": report.removed,
            "skipped": report.skipped, "max_deviation_m": round(report.max_deviation_m, 2), "counts": report.counts}
