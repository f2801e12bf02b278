"""The pre-audit as Markdown, printable HTML, CSV (one row per flag) or JSON.

Every name comes from people or from OSM and is escaped for its format:
HTML entities, Markdown punctuation, CSV cells that a spreadsheet would read
as a formula.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Mapping
from typing import Any

from radweg.audit.indicators import HEADINGS
from radweg.audit.report import Audit

FORMATS = ("md", "html", "csv", "json")


def render(audit: Audit, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(audit.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(audit)
    if fmt == "html":
        return to_html(audit)
    if fmt == "md":
        return to_markdown(audit)
    raise ValueError(f"unknown format {fmt!r}")


def figures_text(figures: Mapping[str, Any]) -> str:
    """Figures as one line: ``count: 2; by_type: bollard 1, gate 1``."""
    parts = []
    for k, v in figures.items():
        if isinstance(v, dict):
            inner = ", ".join(f"{a} {b}" for a, b in v.items()) or "—"
            parts.append(f"{k}: {inner}")
        elif isinstance(v, list):
            parts.append(f"{k}: " + ", ".join(str(x) for x in v))
        else:
            parts.append(f"{k}: {'—' if v is None else v}")
    return "; ".join(parts)


_MD = re.compile(r"([\\`*_\[\]|~])")


def md(text: Any) -> str:
    """Text safe inside Markdown (and the HTML a Markdown renderer makes of it)."""
    return _MD.sub(r"\\\1", html.escape(str(text), quote=False)).replace("\n", " ")


def _coord(c: list[float]) -> str:
    return f"{c[0]:.6f}, {c[1]:.6f}"


def to_markdown(audit: Audit) -> str:
    d = audit.as_dict()
    out = [f"# {md(d['title'])}", "", f"> **{md(d['disclaimer_de'])}**", ">", f"> {md(d['disclaimer_en'])}", ""]
    if d["alignment_note"]:
        out += [f"> {md(d['alignment_note'])}", ""]
    out += ["Daten / data: " + "; ".join(md(s) for s in d["sources"]), ""]
    for t in d["tours"]:
        out += [f"## {md(t['name'])} ({md(t['id'])}, {t['length_km']:.1f} km, {md(t['stages_from'])})", ""]
        for st in t["stages"]:
            out += [f"### {st['number']}. {md(st['name'])}: km {st['start_km']:.1f} – {st['end_km']:.1f} "
                    f"({st['length_km']:.1f} km), {st['flags']} Hinweise / flags", ""]
            out += ["| Bahnhof / station | Abstand / distance | km | Koordinaten |", "|---|---|---|---|"]
            out += [f"| {md(s['name'] or '(ohne Namen)')} | {s['distance_m']} m | {s['km']:.1f} | "
                    f"{_coord(s['coordinates'])} |" for s in st["stations_within_2km"]] or ["| — | | | |"]
            out.append("")
            for hid, de, en in HEADINGS:
                items = [i for i in st["indicators"] if i["heading"] == hid]
                if not items:
                    continue
                out += [f"#### {md(de)} / {md(en)}", ""]
                for i in items:
                    status = {"ok": "ok", "flag": "**Hinweis / flag**", "no data": "keine Daten / no data"}
                    out.append(f"- **{md(i['label'])}**: {status[i['status']]}. "
                               + (md(i["no_data"]) if i["no_data"] else md(figures_text(i["figures"]))))
                    out.append(f"  - Quelle / source: {md(i['source'])}; Schwelle / threshold: {md(i['threshold'])}")
                    for f in i["flags"]:
                        out.append(f"  - km {f['km']:.2f} ({_coord(f['coordinates'])}): {md(f['message'])}")
                out.append("")
    return "\n".join(out) + "\n"


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; margin: 1.5em; color: #111; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 1.5em; } h3 { font-size: 1.15em; }
h4 { font-size: 1em; margin: 1em 0 0.3em; }
.disclaimer { border: 2px solid #b00; padding: 0.6em 0.9em; background: #fff4f4; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.8em; }
th, td { border: 1px solid #999; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.flag { color: #900; font-weight: bold; } td.nodata { color: #666; font-style: italic; }
.small { font-size: 0.85em; color: #333; }
.stage { margin-top: 1.5em; }
@media (max-width: 700px) { body { margin: 0.5em; font-size: 10pt; }
  table, tbody, tr, td { display: block; width: auto; } tr:has(th) { display: none; }
  tr { border: 1px solid #999; margin: 0 0 0.5em; } td { border: none; border-bottom: 1px solid #ddd; }
  td:empty { display: none; } td[data-label]::before { content: attr(data-label); display: block;
  font-size: 0.8em; font-weight: bold; color: #444; } }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; font-size: 9.5pt; } .stage { break-before: page; }
  tr, li { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"""


def to_html(audit: Audit) -> str:
    d = audit.as_dict()
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="de"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(d['title'])}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(d['title'])}</h1>",
           f'<div class="disclaimer"><p><strong>{e(d["disclaimer_de"])}</strong></p>'
           f'<p lang="en">{e(d["disclaimer_en"])}</p>'
           + (f'<p lang="en">{e(d["alignment_note"])}</p>' if d["alignment_note"] else "") + "</div>",
           '<p class="small">Daten / data: ' + "; ".join(e(s) for s in d["sources"]) + "</p>"]
    for t in d["tours"]:
        out.append(f"<h2>{e(t['name'])} <span class=\"small\">({e(t['id'])}, {t['length_km']:.1f} km, "
                   f"{e(t['stages_from'])})</span></h2>")
        out.append("<table><tr><th>Etappe / stage</th><th>km</th><th>Länge / length</th><th>Hinweise / flags</th>"
                   "<th>Bahnhöfe ≤ 2 km</th></tr>")
        for st in t["stages"]:
            out.append(f"<tr><td data-label=\"Etappe / stage\">{st['number']}. {e(st['name'])}</td>"
                       f"<td data-label=\"km\">{st['start_km']:.1f} – {st['end_km']:.1f}</td>"
                       f"<td data-label=\"Länge / length\">{st['length_km']:.1f} km</td>"
                       f"<td data-label=\"Hinweise / flags\">{st['flags']}</td>"
                       f"<td data-label=\"Bahnhöfe ≤ 2 km\">{len(st['stations_within_2km'])}</td></tr>")
        out.append("</table>")
        for st in t["stages"]:
            out.append(f'<section class="stage"><h3>{st["number"]}. {e(st["name"])}: km {st["start_km"]:.1f} – '
                       f'{st["end_km"]:.1f} ({st["length_km"]:.1f} km)</h3>')
            out.append(f'<p class="small">Start {_coord(st["start"])} · Ziel / end {_coord(st["end"])}</p>')
            out.append("<h4>Bahnhöfe und Haltepunkte bis 2 km / stations within 2 km</h4>")
            if st["stations_within_2km"]:
                out.append("<table><tr><th>Name</th><th>Abstand / distance</th><th>km</th><th>Koordinaten</th>"
                           "<th>Quelle / source</th></tr>")
                for s in st["stations_within_2km"]:
                    out.append(f"<tr><td data-label=\"Name\">{e(s['name'] or '(ohne Namen)')}</td>"
                               f"<td data-label=\"Abstand / distance\">{s['distance_m']} m</td>"
                               f"<td data-label=\"km\">{s['km']:.1f}</td>"
                               f"<td data-label=\"Koordinaten\">{_coord(s['coordinates'])}</td>"
                               f"<td data-label=\"Quelle / source\">{e(', '.join(s['sources']))}</td></tr>")
                out.append("</table>")
            else:
                out.append("<p>—</p>")
            for hid, de, en in HEADINGS:
                items = [i for i in st["indicators"] if i["heading"] == hid]
                if not items:
                    continue
                out.append(f"<h4>{e(de)} / {e(en)}</h4><table><tr><th>Indikator</th><th>Stand / status</th>"
                           "<th>Werte / figures</th><th>Quelle / source</th><th>Schwelle / threshold</th></tr>")
                for i in items:
                    cls = {"flag": "flag", "no data": "nodata"}.get(i["status"], "")
                    text = i["no_data"] if i["no_data"] else figures_text(i["figures"])
                    out.append(f"<tr><td><strong>{e(i['label'])}</strong></td>"
                               f"<td class=\"{cls}\" data-label=\"Stand / status\">{e(i['status'])}</td>"
                               f"<td data-label=\"Werte / figures\">{e(text)}</td>"
                               f"<td class=\"small\" data-label=\"Quelle / source\">{e(i['source'])}</td>"
                               f"<td class=\"small\" data-label=\"Schwelle / threshold\">{e(i['threshold'])}"
                               "</td></tr>")
                    if i["flags"]:
                        rows = "".join(f"<li>km {f['km']:.2f} ({_coord(f['coordinates'])}): {e(f['message'])}</li>"
                                       for f in i["flags"])
                        out.append(f'<tr><td></td><td colspan="4" data-label="Hinweise / flags"><ul>{rows}</ul>'
                                   "</td></tr>")
                out.append("</table>")
            out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: formulas (=, +, -, @, tab, CR at the start) are defused with a quote."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r" and not re.fullmatch(r"-?[0-9.]+", text):
        return "'" + text
    return text


def to_csv(audit: Audit) -> str:
    d = audit.as_dict()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["tour", "stage_number", "stage", "heading", "indicator", "status", "km", "lon", "lat", "message",
                "figures", "source", "threshold"])
    for t in d["tours"]:
        for st in t["stages"]:
            for i in st["indicators"]:
                base = [t["id"], st["number"], st["name"], i["heading"], i["id"], i["status"]]
                tail = [i["no_data"] or figures_text(i["figures"]), i["source"], i["threshold"]]
                if not i["flags"]:
                    w.writerow([csv_cell(v) for v in [*base, "", "", "", "", *tail]])
                for f in i["flags"]:
                    w.writerow([csv_cell(v) for v in [*base, f["km"], f["coordinates"][0], f["coordinates"][1],
                                                      f["message"], *tail]])
            for s in st["stations_within_2km"]:
                w.writerow([csv_cell(v) for v in [t["id"], st["number"], st["name"], "oepnv", "station_within_2km",
                                                  "ok", s["km"], s["coordinates"][0], s["coordinates"][1],
                                                  f"{s['name'] or ''} ({s['distance_m']} m)", "",
                                                  ", ".join(s["sources"]), ""]])
    return buf.getvalue()
