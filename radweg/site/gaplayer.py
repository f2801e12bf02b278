"""Gaps and connector proposals (from :mod:`radweg.gaps.detect` and :mod:`radweg.gaps.connectors`) as a map layer.

``status`` gaps are left off the map: the segment colours already show what is
not rideable. A gap whose line is a single point is drawn as a dot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from radweg.gaps.model import KIND_LABELS_DE
from radweg.i18n import metres, number
from radweg.webmap.build import GapLayer
from radweg.webmap.popups import facts_table

KIND_LABELS = {
    "de": KIND_LABELS_DE,
    "en": {"continuity": "Break", "status": "not rideable", "connection": "Missing connection",
           "component": "Separate part", "link": "Missing link"},
}
ON_MAP = ("continuity", "connection", "component", "link")


def _line(coords: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    pts = [(float(c[0]), float(c[1])) for c in coords]
    return pts * 2 if len(pts) == 1 else pts


def gap_popup(gap: Any, lang: str, note: str | None = None) -> str:
    """A gap's popup: ends, kind, detail, length, and ``note`` (e.g. why it has no connector)."""
    kind = KIND_LABELS.get(lang, KIND_LABELS["de"]).get(gap.kind, gap.kind)
    ends = escape(gap.a.name) + (" – " + escape(gap.b.name) if gap.b is not None else "")
    rows = [("Art" if lang == "de" else "Kind", escape(kind)), ("Detail", escape(gap.detail)),
            ("Länge" if lang == "de" else "Length", escape(metres(lang, gap.length_m)))]
    if note:
        rows.append(("Hinweis" if lang == "de" else "Note", escape(note)))
    rows.append(("Id", escape(gap.id)))
    return f'<div class="rw-popup rw-popup-gap"><h3>{ends}</h3>{facts_table(rows)}</div>'


STRAIGHT_NOTE = {"de": "Luftlinie: kein Straßennetz geladen", "en": "straight line: no street network loaded"}
NO_CONNECTOR = {"de": "keine Verbindung im Straßennetz", "en": "no connection on the street network"}


def _shares(shares: Sequence[tuple[str, float]], lang: str) -> str:
    return ", ".join(f"{k} {number(lang, v * 100)} %" for k, v in shares if v >= 0.005)


def connector_rows(c: Any, lang: str, network: str | None = None) -> list[tuple[str, str | None]]:
    """A connector's figures (escaped, in the page's number format): length, straight line, detour, roads."""
    de = lang == "de"
    return [("Länge" if de else "Length", escape(metres(lang, c.network_m))),
            ("Luftlinie" if de else "Straight line", escape(metres(lang, c.straight_m))),
            ("Umwegfaktor" if de else "Detour", escape(number(lang, c.detour, 2)) if c.detour is not None else None),
            ("Straßen" if de else "Roads", escape(_shares(c.by_highway, lang)) or None),
            ("Belag" if de else "Surface", escape(_shares(c.by_surface, lang)) or None),
            ("Schnelle Straßen" if de else "Fast roads", escape(metres(lang, c.fast_m))),
            ("Netz" if de else "Network", escape(network) if network else None)]


def connector_popup(gap_id: str, c: Any, lang: str, network: str | None = None, where: str = "") -> str:
    """A connector's popup with its figures: length, straight line, detour, road classes, surfaces, fast roads."""
    de = lang == "de"
    label = f"{'Variante' if de else 'Alternative'} {c.alternative}" + (f": {where}" if where else "")
    rows = connector_rows(c, lang, network) + [("Lücke" if de else "Gap", escape(gap_id))]
    return f'<div class="rw-popup rw-popup-connector"><h3>{escape(label)}</h3>{facts_table(rows)}</div>'


def gap_layer(gaps: Sequence[Any], lang: str, connectors: Mapping[str, Any] | None = None,
              network: str | None = None) -> GapLayer:
    """The gaps to draw (and the connectors of each, when routed), popups escaped.

    ``connectors`` None means no street network was loaded: every gap's popup says it is a
    straight line. With connectors, a gap without one says why.
    """
    items = []
    for gap in gaps:
        if gap.kind not in ON_MAP or not gap.line:
            continue
        kind = KIND_LABELS.get(lang, KIND_LABELS["de"]).get(gap.kind, gap.kind)
        if connectors is None:
            note: str | None = STRAIGHT_NOTE.get(lang, STRAIGHT_NOTE["de"])
        else:
            result = connectors.get(gap.id)
            note = None
            if result is not None and result.no_connection:
                note = NO_CONNECTOR.get(lang, NO_CONNECTOR["de"]) + (f" ({result.reason})" if result.reason else "")
        items.append((f"{kind}: {gap.a.name}", _line(gap.line), gap_popup(gap, lang, note)))
    conns = []
    where = {g.id: g.a.name + (f" – {g.b.name}" if g.b is not None else "") for g in gaps}
    for gap_id, result in sorted((connectors or {}).items()):
        for c in getattr(result, "connectors", ()):
            conns.append((f"{gap_id} #{c.alternative}", _line(c.coords),
                          connector_popup(gap_id, c, lang, network, where.get(gap_id, ""))))
    return GapLayer(tuple(items), tuple(conns))



def routed_gap_layer(ds: Any, lang: str, graph: Any = None, network: str | None = None) -> tuple[GapLayer, Any]:
    """The gap layer of ``ds`` and its :class:`radweg.gaps.report.GapReport`, routed on ``graph`` when given."""
    from radweg.gaps.report import build_report

    report = build_report(ds, graph=graph, network_name=network)
    return gap_layer(report.gaps, lang, report.connectors, network), report
