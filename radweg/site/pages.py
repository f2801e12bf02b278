"""The site's pages besides the map: one per tour, the POI list, downloads."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from radweg.elevation.settings import heights_note
from radweg.model import POI_TYPES, Dataset, slugify
from radweg.site.html import icon, num, table
from radweg.tours.corridor import NearPoi
from radweg.tours.facts import Figures, gap_rule, round_km
from radweg.webmap.content import Links, TourInfo
from radweg.webmap.i18n import label, pick, t
from radweg.webmap.popups import link, safe_url
from radweg.webmap.profile import profile_svg


def tour_page_name(tour_id: str) -> str:
    """The file name of a tour's page (a safe slug, whatever the id holds)."""
    return f"tour-{slugify(tour_id, fallback='tour')}.html"


def _figs_rows(lang: str, figs: Figures) -> list[tuple[str, str]]:
    return [(t(lang, "length"), num(figs.length_km, unit=" km")),
            (t(lang, "ascent"), num(figs.ascent_m, "{:.0f}", " m")),
            (t(lang, "descent"), num(figs.descent_m, "{:.0f}", " m"))]


def _facts(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows if v)
    return f'<table class="rw-facts">{cells}</table>'


def tour_body(info: TourInfo, ds: Dataset, lang: str, links: Links, corridor_m: float) -> str:
    """A tour: description, key figures, profile, stages with their figures, profiles, POIs and GPX links."""
    name = info.name(lang)
    parts = [f"<h1>{escape(name)}</h1>",
             f'<p><a href="index.html#tour={escape(info.id)}">{escape(t(lang, "show_on_map"))}</a></p>']
    desc = info.description(lang)
    if desc:
        parts.append(f"<p>{escape(desc)}</p>")
    rows = _figs_rows(lang, info.figures())
    if info.stages:
        rows += [(t(lang, "start"), escape(info.stages[0].start)), (t(lang, "end"), escape(info.stages[-1].end))]
    rows.append((t(lang, "segments_count"), str(len(info.tour.legs))))
    gpx = links.tour_gpx.get(info.id)
    if gpx:
        zipped = links.tour_zip.get(info.id)
        rows.append(("GPX", link(gpx, t(lang, "gpx_tour"), download=True)
                     + (" · " + link(zipped, t(lang, "gpx_tour_zip"), download=True) if zipped else "")))
    parts.append(_facts(rows))
    svg = profile_svg(info.facts.profile, info.facts.pois, lang, title=name, dom_id=info.dom_id)
    parts.append(f"<figure>{svg}</figure>")
    note = " ".join(n for n in (heights_note(ds.project, lang), gap_rule(lang)) if n)
    parts.append(f"<p><small>{escape(note)}</small></p>")
    if info.stages:
        parts.append(f"<h2>{escape(t(lang, 'stages'))}</h2>")
        srows = []
        for st in info.stages:
            f = st.figures()
            g = links.stage_gpx.get((info.id, st.id))
            srows.append([str(st.index + 1), f'<a href="#stage-{escape(slugify(st.id))}">{escape(st.name)}</a>',
                          escape(st.start), escape(st.end), num(round_km(st.facts.start_m)), num(f.length_km),
                          num(f.ascent_m, "{:.0f}"), num(f.descent_m, "{:.0f}"),
                          link(g, "GPX", download=True) if g else ""])
        parts.append(table(["#", t(lang, "stage"), t(lang, "start"), t(lang, "end"), t(lang, "from_km"),
                            f"{t(lang, 'length')} (km)", f"{t(lang, 'ascent')} (m)", f"{t(lang, 'descent')} (m)",
                            "GPX"], srows, numeric=(0, 4, 5, 6, 7)))
        for st in info.stages:
            parts.append(f'<h3 id="stage-{escape(slugify(st.id))}">{escape(t(lang, "stage"))} {st.index + 1}: '
                         f'{escape(st.name)}</h3><p><a href="index.html#stage={escape(info.id)}--{escape(st.id)}">'
                         f'{escape(t(lang, "show_on_map"))}</a></p>')
            srows2 = _figs_rows(lang, st.figures()) + [(t(lang, "start"), escape(st.start)),
                                                       (t(lang, "end"), escape(st.end))]
            g = links.stage_gpx.get((info.id, st.id))
            if g:
                srows2.append(("GPX", link(g, t(lang, "gpx_stage"), download=True)))
            parts.append(_facts(srows2))
            svg = profile_svg(st.facts.profile, st.facts.pois, lang, title=st.name, dom_id=st.dom_id)
            parts.append(f"<figure>{svg}</figure>")
            parts.append(_poi_table(st.facts.pois, lang))
    parts.append(f"<h2>{escape(t(lang, 'pois_on_route'))}</h2>")
    parts.append(_poi_table(info.facts.pois, lang))
    return "\n".join(parts)


def _poi_table(pois: Sequence[NearPoi], lang: str) -> str:
    if not pois:
        return f"<p>{escape(t(lang, 'pois_on_route'))}: {escape(t(lang, 'none'))}</p>"
    rows = [[str(i), icon(pp.poi.type), f'<a href="index.html#poi={escape(pp.poi.id)}">{escape(pp.poi.name)}</a>',
             escape(label(lang, "poi", pp.poi.type)), num(pp.along_m / 1000.0), num(pp.offset_m, "{:.0f}")]
            for i, pp in enumerate(pois, 1)]
    return table(["#", "", t(lang, "name"), t(lang, "type"), "km", f"{t(lang, 'distance_from_route')} (m)"],
                 rows, numeric=(0, 4, 5))


def pois_body(ds: Dataset, lang: str) -> str:
    """Every POI, by type: name, description, heap height, website, position."""
    parts = [f"<h1>{escape(t(lang, 'pois'))}</h1>"]
    for kind in POI_TYPES:
        items = sorted((p for p in ds.pois.items if p.type == kind), key=lambda p: (p.name.casefold(), p.id))
        if not items:
            continue
        parts.append(f'<h2 id="type-{kind}">{icon(kind)} {escape(label(lang, "poi", kind))}</h2>')
        rows = []
        for p in items:
            url = safe_url(p.website)
            desc = pick(lang, p.description, p.description_en) or ""
            rows.append([f'<a id="poi-{escape(p.id)}" href="index.html#poi={escape(p.id)}">{escape(p.name)}</a>'
                         + (f' <small>({escape(t(lang, "approx"))})</small>' if p.approx else ""),
                         escape(desc), num(p.height_m, "{:.0f}", " m"),
                         link(url, url, external=True) if url else "",
                         f"{p.lat:.5f}, {p.lon:.5f}"])
        parts.append(table([t(lang, "name"), t(lang, "description"), t(lang, "height"), t(lang, "website"),
                            "lat, lon"], rows, numeric=(2,)))
    return "\n".join(parts)


def downloads_body(lang: str, files: Sequence[tuple[str, str]], data_files: Sequence[tuple[str, str]],
                   links: Links) -> str:
    """GPX files and GeoJSON data for download; ``files`` and ``data_files`` are (relative path, description)."""
    parts = [f"<h1>{escape(t(lang, 'downloads'))}</h1>", "<h2>GPX</h2>"]
    if links.zip:
        parts.append(f"<p>{link(links.zip, t(lang, 'gpx_all'), download=True)}</p>")
    if files:
        parts.append(table([t(lang, "file"), t(lang, "kind")],
                           [[link(path, path.rsplit("/", 1)[-1], download=True), escape(what)]
                            for path, what in files]))
    else:
        parts.append(f"<p>{escape(t(lang, 'gpx_none'))}</p>")
    snippet = ('<iframe src="https://example.org/radweg/index.html" width="100%" height="600" '
               'style="border:0" title="Karte" loading="lazy"></iframe>')
    parts.append(f"<h2>{escape(t(lang, 'embed'))}</h2><p>{escape(t(lang, 'embed_note'))}</p>"
                 f"<pre class=\"rw-snippet\">{escape(snippet)}</pre>")
    parts.append(f"<h2>{escape(t(lang, 'data'))}</h2><p>{escape(t(lang, 'data_note'))}</p>")
    parts.append(table([t(lang, "file"), t(lang, "kind")],
                       [[link(path, path.rsplit("/", 1)[-1], download=True), escape(what)]
                        for path, what in data_files]))
    return "\n".join(parts)
