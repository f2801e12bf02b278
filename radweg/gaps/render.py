"""Gap reports as Markdown, HTML, CSV, GeoJSON and GeoPackage.

Every text format is deterministic: the same data gives the same bytes. Names and
descriptions come from people and OpenStreetMap and are escaped in HTML (and in
Markdown table cells). The HTML report is one self-contained page for a meeting:
summary, a ranked table, then one card per gap with a small inline SVG map (no
network needed to open or print it).
"""

from __future__ import annotations

import csv
import io
import string
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.gaps.model import GAP_KINDS, KIND_LABELS_DE, Gap, GapConfig
from radweg.gaps.priority import PARTS
from radweg.gaps.report import GapReport, connector_record, gap_record, rank_gaps
from radweg.io.text import cell
from radweg.model import Dataset

if TYPE_CHECKING:
    from radweg.gaps.connectors import ConnectorResult
    from radweg.gaps.triage import TriageEntry

FORMATS = ("md", "html", "csv", "geojson", "gpkg")
TABLE_COLUMNS = ("rank", "id", "kind", "detail", "length_m", "a_name", "b_name", "score", "triage", "connector_m")




# ---------------------------------------------------------------- CSV


def render_csv(report: GapReport) -> str:
    """One row per gap, every field of :func:`radweg.gaps.report.gap_record`."""
    rows = [gap_record(report, g) for g in report.gaps]
    out = io.StringIO()
    fields = list(rows[0]) if rows else ["id", "rank", "kind", "detail", "length_m"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula (also after leading spaces, tabs or line
    breaks, which spreadsheets skip) gets a leading apostrophe."""
    if isinstance(value, bool) or value is None:
        return cell(value)
    if isinstance(value, str) and (value.lstrip()[:1] in ("=", "+", "-", "@") or value[:1] in ("\t", "\r", "\n")):
        return "'" + value
    return value


# ---------------------------------------------------------------- GeoJSON


def _geometry(coords: Any) -> dict[str, Any]:
    pts = [[c[0], c[1]] for c in coords]
    if len(pts) == 1:
        return {"type": "Point", "coordinates": pts[0]}
    return {"type": "LineString", "coordinates": pts}


def geojson_object(report: GapReport) -> dict[str, Any]:
    """A FeatureCollection: one Feature per gap (its line), then each connector as its own Feature."""
    from radweg.geometry import round_position

    feats = []
    for gap in report.gaps:
        props = {"feature": "gap", **gap_record(report, gap)}
        feats.append({"type": "Feature", "properties": props,
                      "geometry": _geometry([round_position(c) for c in gap.line])})
    for gap in report.gaps:
        conn = (report.connectors or {}).get(gap.id)
        for c in (conn.connectors if conn else ()):
            feats.append({"type": "Feature", "properties": {"feature": "connector", **connector_record(c)},
                          "geometry": _geometry(c.coords)})
    meta = {"generator": "radweg gaps", "tolerance_m": report.config.tolerance_m,
            "radius_m": report.config.radius_m, "network": report.network_name,
            "straight_line_only": report.straight_only}
    return {"type": "FeatureCollection", "metadata": meta, "features": feats}


def render_geojson(report: GapReport) -> str:
    from radweg.io.geojson import dumps

    return dumps(geojson_object(report))


def write_gpkg(report: GapReport, path: Path) -> None:
    """A GeoPackage with layers ``gaps`` and ``connectors`` (EPSG:4326), written atomically."""
    import os
    import tempfile

    import geopandas as gpd
    from shapely.geometry import shape

    from radweg.errors import StorageError

    obj = geojson_object(report)
    gaps = [f for f in obj["features"] if f["properties"]["feature"] == "gap"]
    conns = [f for f in obj["features"] if f["properties"]["feature"] == "connector"]
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        for layer, feats in (("gaps", gaps), ("connectors", conns)):
            if not feats and layer == "connectors":
                continue
            frame = gpd.GeoDataFrame([f["properties"] for f in feats],
                                     geometry=[shape(f["geometry"]) for f in feats], crs="EPSG:4326")
            frame.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
        os.replace(tmp, path)
    except OSError as exc:
        raise StorageError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# ---------------------------------------------------------------- Markdown


_MD_SPECIAL = frozenset(string.punctuation)


def md_text(value: Any) -> str:
    """A value as literal Markdown text (CommonMark and GitHub's): every ASCII punctuation character
    backslash-escaped (no link, image, emphasis, HTML, table cell break or autolink can form), '@' as an
    entity (GitHub links e-mail addresses even with an escaped '@'), line breaks as spaces. Numbers stay
    as they are."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell(value)
    text = " ".join(cell(value).split())
    return "".join("&#64;" if ch == "@" else "\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


_md = md_text


def render_md(report: GapReport, ds: Dataset | None = None) -> str:
    """A Markdown report: summary and the ranked table with the score's parts."""
    lines = [f"# Lücken im Netz / Network gaps{': ' + _md(ds.project.get('name')) if ds else ''}", ""]
    lines += [f"- {_md(s)}" for s in _summary_lines(report, ds)]
    lines += ["", "| rank | id | kind | detail | length m | from | to | score | triage | connector m |",
              "|---:|---|---|---|---:|---|---|---:|---|---:|"]
    for gap in report.gaps:
        r = gap_record(report, gap)
        lines.append("| " + " | ".join(_md(r[c]) for c in TABLE_COLUMNS) + " |")
    lines += ["", "## Score parts", "", "| id | " + " | ".join(PARTS) + " | total |",
              "|---|" + "---:|" * (len(PARTS) + 1)]
    for gap in report.gaps:
        s = report.scores[gap.id]
        lines.append(f"| {_md(gap.id)} | " + " | ".join(cell(s.parts[p]) for p in PARTS) + f" | {cell(s.total)} |")
    if report.stale:
        lines += ["", "Triage entries without a current gap (closed?): " + ", ".join(_md(i) for i in report.stale)]
    return "\n".join(lines) + "\n"


def _summary_lines(report: GapReport, ds: Dataset | None) -> list[str]:
    counts = {k: sum(1 for g in report.gaps if g.kind == k) for k in GAP_KINDS}
    triaged = sum(1 for g in report.gaps if g.id in report.triage)
    out = [f"{len(report.gaps)} gaps: " + ", ".join(f"{k} {n}" for k, n in counts.items()),
           f"triaged {triaged}, untriaged {len(report.gaps) - triaged}",
           f"tolerance {report.config.tolerance_m:g} m, search radius {report.config.radius_m:g} m"]
    if report.straight_only:
        out.append("No street network loaded: gaps are straight lines; no connectors were routed.")
    else:
        out.append(f"Connectors routed on the street network '{report.network_name or 'graph'}'.")
    if ds is not None and ds.project.get("illustrative"):
        out.append("Illustrative sample data, NOT the official route / Beispieldaten, nicht die offizielle Trasse.")
    return out


# ---------------------------------------------------------------- HTML


_STATUS_STYLE = {"existing": ("#1b7837", ""), "planned": ("#e08214", "6 4"), "construction": ("#b35806", "2 3"),
                 "closed": ("#b2182b", "1 3")}
_ALT_COLOURS = ("#6a3d9a", "#1f78b4", "#33a02c")
_POI_STYLE = {"bahnhof": "#000000", "halde": "#8c510a", "schacht": "#8c510a", "museum": "#8c510a",
              "huette": "#8c510a", "stollen": "#8c510a", "denkmal": "#8c510a"}
"""POIs drawn on the gap maps: stations black, heritage brown (the priority score counts these)."""

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:2rem auto;max-width:60rem;
padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border-bottom:1px solid #ddd;padding:.25rem .4rem;
text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff6e0;border-left:4px solid #e08214;padding:.4rem .8rem}
.card{border:1px solid #ccc;border-radius:6px;padding:.6rem .8rem;margin:1rem 0;display:flex;gap:1rem;
break-inside:avoid;page-break-inside:avoid}
.card svg{flex:0 0 300px;border:1px solid #eee;background:#fafafa}.card dl{margin:0;font-size:.85rem}
.card dt{font-weight:600;float:left;clear:left;width:9rem}.card dd{margin-left:9.5rem}
.kind{display:inline-block;padding:0 .4rem;border-radius:3px;background:#eee;font-size:.8rem}
.legend span{margin-right:1rem;font-size:.8rem}
@media print{body{margin:0;max-width:none}.card{page-break-inside:avoid}a{color:inherit}}
"""


def render_html(gaps: list[Gap], ds: Dataset, *, report: GapReport | None = None,
                connectors: dict[str, ConnectorResult] | None = None, network_name: str | None = None,
                triage: dict[str, TriageEntry] | None = None, config: GapConfig | None = None,
                title: str | None = None) -> str:
    """A printable HTML report for planners: summary, ranked table, one small map per gap."""
    if report is None:
        report = rank_gaps(gaps, ds, config, connectors=connectors, network_name=network_name, triage=triage)
    name = title or f"Lücken im Netz – {ds.project.get('name') or 'radweg'}"
    maps = _MapMaker(ds, report)
    out = ["<!DOCTYPE html>", '<html lang="de">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(name)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{escape(name)}</h1>",
           "<p>Gap report for planners / Lückenbericht für die Planung</p>"]
    if ds.project.get("illustrative"):
        out.append(f'<p class="note">{escape(str(ds.project.get("disclaimer_de") or ""))}<br>'
                   f'{escape(str(ds.project.get("disclaimer_en") or ""))}</p>')
    out.append("<h2>Zusammenfassung / Summary</h2><ul>")
    out += [f"<li>{escape(s)}</li>" for s in _summary_lines(report, None)]
    out.append("</ul>")
    if report.straight_only:
        out.append('<p class="note">Ohne Straßennetz: Lücken als Luftlinie, keine Verbindungsvorschläge. / '
                   "Without a street network: straight-line gaps, no connectors.</p>")
    out += ["<h2>Rangliste / Ranking</h2>", "<table><thead><tr>",
            ('<th class="n">#</th><th>id</th><th>Art / kind</th><th>von / from</th><th>bis / to</th>'
             '<th class="n">Länge m</th><th class="n">Score</th><th>Triage</th><th class="n">Verbindung m</th>'),
            "</tr></thead><tbody>"]
    for gap in report.gaps:
        r = gap_record(report, gap)
        out.append(f'<tr><td class="n">{r["rank"]}</td><td><a href="#{escape(gap.id)}">{escape(gap.id)}</a></td>'
                   f"<td>{escape(r['kind_de'])} ({escape(gap.kind)}, {escape(gap.detail)})</td>"
                   f"<td>{escape(r['a_name'] or '')}</td><td>{escape(r['b_name'] or '')}</td>"
                   f'<td class="n">{r["length_m"]:.0f}</td><td class="n">{r["score"]:.1f}</td>'
                   f"<td>{escape(r['triage'])}</td><td class=\"n\">{escape(cell(r['connector_m']))}</td></tr>")
    out.append("</tbody></table>")
    out.append("<h2>Lücken im Einzelnen / Gaps in detail</h2>")
    out.append('<p class="legend"><span style="color:#1b7837">━ befahrbar / rideable</span>'
               '<span style="color:#e08214">╍ geplant, im Bau, gesperrt / planned, construction, closed</span>'
               '<span style="color:#4575b4">━ Nachbarroute / neighbouring route</span>'
               '<span style="color:#d7191c">╍ Lücke / gap</span>'
               '<span style="color:#6a3d9a">━ Verbindung / connector</span>'
               '<span>■ Bahnhof / station</span><span style="color:#8c510a">■ Bergbauerbe / heritage</span></p>')
    for gap in report.gaps:
        out.append(_card(report, gap, maps))
    if report.stale:
        out.append("<p>Triage ohne aktuelle Lücke (geschlossen?) / triage entries without a current gap: "
                   + escape(", ".join(report.stale)) + "</p>")
    out += [("<p><small>Kartendaten der Straßen: © OpenStreetMap-Mitwirkende (ODbL), falls ein Straßennetz "
             "geladen wurde. Erzeugt mit radweg.</small></p>"), "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _card(report: GapReport, gap: Gap, maps: _MapMaker) -> str:
    r = gap_record(report, gap)
    s = report.scores[gap.id]
    rows: list[tuple[str, str]] = [
        ("Art / kind", f"{r['kind_de']} ({gap.kind}, {gap.detail})"),
        ("Länge / length", f"{gap.length_m:,.0f} m"),
        ("A", f"{gap.a.name} [{gap.a.ref}]"),
    ]
    if gap.b:
        rows.append(("B", f"{gap.b.name} [{gap.b.ref}]"))
    if gap.tours:
        rows.append(("Touren / tours", ", ".join(gap.tours)))
    if gap.status:
        rows.append(("Status", gap.status))
    if gap.network_m is not None:
        rows.append(("Umweg im Netz / way round", f"{gap.network_m:,.0f} m"))
    elif gap.kind == "link" and gap.detail == "detour":
        bound = report.config.detour_min * gap.length_m
        rows.append(("Umweg im Netz / way round", (f"mehr als / more than {bound:,.0f} m "
                     f"({report.config.detour_min:g} × Luftlinie / straight line)")))
    elif gap.kind == "link":
        rows.append(("Umweg im Netz / way round", "keiner: getrennte Netzteile / none: separate parts"))
    if gap.kind == "connection":
        rows.append(("schon verbunden / joined", "über andere Routen / via other routes" if gap.joined_via
                     else "nein / no"))
    rows.append(("Score", f"{s.total:.1f} = " + " ".join(f"{p} {s.parts[p]:+.1f}" for p in PARTS if s.parts[p])))
    rows.append(("Triage", r["triage"] + (f": {r['comment']}" if r["comment"] else "")))
    conn = (report.connectors or {}).get(gap.id)
    if report.straight_only:
        rows.append(("Verbindung / connector", "kein Straßennetz geladen / no street network loaded"))
    elif conn is None or conn.no_connection:
        rows.append(("Verbindung / connector", "keine Verbindung / no connection"
                     + (f" ({conn.reason})" if conn and conn.reason else "")))
    else:
        for c in conn.connectors:
            rec = connector_record(c)
            rows.append((f"Variante {c.alternative}",
                         (f"{c.network_m:,.0f} m (Luftlinie {c.straight_m:,.0f} m, Umwegfaktor {c.detour}); "
                          f"schnelle Straßen {c.fast_m:,.0f} m; unbefestigt {round(rec['unpaved_share'] * 100)}%; "
                          f"{rec['highway']}; {rec['surface']}")))
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return (f'<div class="card" id="{escape(gap.id)}">{maps.svg(gap)}<div>'
            f"<h3>{r['rank']}. {escape(gap.id)} <span class=\"kind\">{escape(gap.kind)}</span></h3>"
            f"<dl>{dl}</dl></div></div>")


class _MapMaker:
    """Small inline SVG maps in a metric frame, one per gap."""

    W, H = 300.0, 220.0

    def __init__(self, ds: Dataset, report: GapReport) -> None:
        import shapely

        from radweg.geometry import MetricFrame

        coords = [c for s in ds.segments.items for c in s.coords] or [c for g in report.gaps for c in g.line]
        self.frame = MetricFrame.for_coords(coords) if coords else MetricFrame(0.0, 0.0)
        self.report = report
        self.context: list[tuple[Any, str, str, float]] = []
        for nb in sorted(ds.neighbours.items, key=lambda n: n.id):
            for line in nb.lines:
                self.context.append((self.frame.line(line), "#4575b4", "", 1.5))
        for seg in sorted(ds.segments.items, key=lambda s: s.id):
            colour, dash = _STATUS_STYLE.get(seg.status, ("#555", ""))
            self.context.append((self.frame.line(seg.coords), colour, dash, 2.5))
        self.tree = shapely.STRtree([g for g, *_ in self.context]) if self.context else None
        shown = [p for p in sorted(ds.pois.items, key=lambda p: p.id) if p.type in _POI_STYLE]
        self.pois = [(p, self.frame.to_xy([p.coords])[0]) for p in shown]
        self.poi_tree = shapely.STRtree([shapely.Point(xy) for _, xy in self.pois]) if self.pois else None

    def svg(self, gap: Gap) -> str:
        """The gap's small map: context lines, POIs, connectors, the gap with its ends, and a scale bar."""
        conn = (self.report.connectors or {}).get(gap.id)
        connectors = conn.connectors if conn else ()
        gap_xy = self.frame.to_xy(gap.line)
        connector_xy = [self.frame.to_xy(c.coords) for c in connectors]
        view = _View.around([gap_xy, *connector_xy], self.W, self.H)
        gid = escape(gap.id)
        parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.W:.0f} {self.H:.0f}" '
                  f'width="{self.W:.0f}" height="{self.H:.0f}" role="img" aria-label="Karte {gid}">'),
                 f'<clipPath id="c-{gid}"><rect width="{self.W:.0f}" height="{self.H:.0f}"/></clipPath>',
                 f'<g clip-path="url(#c-{gid})">']
        parts.extend(self._context_lines(view))
        parts.extend(self._poi_marks(view))
        for k, xy in enumerate(connector_xy):
            parts.append(view.polyline(xy, _ALT_COLOURS[k % 3], "", 3.0 if k == 0 else 2.0, ' opacity="0.85"'))
        if len(gap_xy) > 1:
            parts.append(view.polyline(gap_xy, "#d7191c", "5 3" if gap.kind != "status" else "", 3.5))
        parts.extend(self._end_marks(view, gap))
        parts.append("</g>" + view.scale_bar())
        return "".join(parts)

    def _context_lines(self, view: _View) -> list[str]:
        """The segments and neighbouring routes within the view, clipped to (a margin around) it."""
        import shapely

        if self.tree is None:
            return []
        out = []
        box = shapely.box(view.x0, view.y0, view.x1, view.y1)
        for i in sorted(self.tree.query(box, predicate="intersects").tolist()):
            geom, colour, dash, width = self.context[i]
            clipped = shapely.intersection(geom, box.buffer(view.span))
            for part in shapely.get_parts(clipped).tolist():
                if part.geom_type == "LineString":
                    out.append(view.polyline(list(part.coords), colour, dash, width))
        return out

    def _poi_marks(self, view: _View) -> list[str]:
        """A small square for each POI within the view, its name as a tooltip."""
        import shapely

        out: list[str] = []
        if self.poi_tree is None:
            return out
        hits = self.poi_tree.query(shapely.box(view.x0, view.y0, view.x1, view.y1))
        for poi, (x, y) in (self.pois[i] for i in sorted(hits.tolist())):
            if view.x0 <= x <= view.x1 and view.y0 <= y <= view.y1:
                px, py = view.pt(x, y).split(",")
                out.append(f'<rect x="{float(px) - 3:.1f}" y="{float(py) - 3:.1f}" width="6" height="6" '
                           f'fill="{_POI_STYLE[poi.type]}"><title>{escape(poi.name)}</title></rect>')
        return out

    def _end_marks(self, view: _View, gap: Gap) -> list[str]:
        """A labelled circle (A, B) at each end of the gap."""
        out = []
        for label, end in (("A", gap.a), ("B", gap.b)):
            if end is None:
                continue
            (x, y), = self.frame.to_xy([end.coords])
            px, py = view.pt(x, y).split(",")
            out.append(f'<circle cx="{px}" cy="{py}" r="5" fill="#fff" stroke="#d7191c" stroke-width="2"/>'
                       f'<text x="{float(px) + 7:.1f}" y="{float(py) - 6:.1f}" font-size="11" '
                       f'font-family="sans-serif">{label}</text>')
        return out


@dataclass(frozen=True)
class _View:
    """The area one small map shows (metres) and its scale onto a W × H picture."""

    x0: float
    x1: float
    y0: float
    y1: float
    span: float
    """The larger side of the drawn lines' extent (at least 400 m)."""
    scale: float
    """Pixels per metre."""
    width: float
    height: float

    @classmethod
    def around(cls, lines: list[list[tuple[float, float]]], width: float, height: float) -> _View:
        """A view of the lines with a quarter of their extent as margin."""
        xs = [p[0] for line in lines for p in line]
        ys = [p[1] for line in lines for p in line]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 400.0)
        margin = span * 0.25
        x0, x1, y0, y1 = min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin
        return cls(x0, x1, y0, y1, span, min(width / (x1 - x0), height / (y1 - y0)), width, height)

    def pt(self, x: float, y: float) -> str:
        """A metric point as SVG ``x,y`` (one decimal)."""
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return f"{self.width / 2 + (x - cx) * self.scale:.1f},{self.height / 2 - (y - cy) * self.scale:.1f}"

    def polyline(self, xy: Any, colour: str, dash: str, width: float, extra: str = "") -> str:
        """An SVG polyline through metric points."""
        d = " ".join(self.pt(x, y) for x, y in xy)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="{width}"'
                f'{dash_attr} stroke-linecap="round" stroke-linejoin="round"{extra}/>')

    def scale_bar(self) -> str:
        """A scale bar of a round length, about a third of the span, at the bottom left."""
        bar_m = _nice(self.span / 3)
        bar_px = bar_m * self.scale
        return (f'<line x1="8" y1="{self.height - 10:.0f}" x2="{8 + bar_px:.1f}" y2="{self.height - 10:.0f}" '
                f'stroke="#222" stroke-width="2"/><text x="8" y="{self.height - 14:.0f}" font-size="10" '
                f'font-family="sans-serif">{_fmt_len(bar_m)}</text></svg>')


def _nice(value: float) -> float:
    import math

    exp = 10 ** math.floor(math.log10(value))
    for f in (1, 2, 5, 10):
        if f * exp >= value:
            return float(f * exp)
    return float(10 * exp)


def _fmt_len(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


def render(report: GapReport, fmt: str, ds: Dataset) -> str:
    """A text format by name (md, html, csv, geojson)."""
    if fmt == "md":
        return render_md(report, ds)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "geojson":
        return render_geojson(report)
    if fmt == "html":
        return render_html(report.gaps, ds, report=report)
    raise ValueError(f"unknown text format {fmt!r}")


__all__ = [
    "FORMATS",
    "KIND_LABELS_DE",
    "geojson_object",
    "render",
    "render_csv",
    "render_geojson",
    "render_html",
    "render_md",
    "write_gpkg",
]
