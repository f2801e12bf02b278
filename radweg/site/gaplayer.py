"""Gaps and connector proposals (from :mod:`radweg.gaps.detect` and :mod:`radweg.gaps.connectors`) as a map layer.

``status`` gaps are left off the map: the segment colours already show what is
not rideable. A gap whose line is a single point is drawn as a dot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from radweg.gaps.model import KIND_LABELS_DE
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


def gap_popup(gap: Any, lang: str) -> str:
    kind = KIND_LABELS.get(lang, KIND_LABELS["de"]).get(gap.kind, gap.kind)
    ends = escape(gap.a.name) + (" – " + escape(gap.b.name) if gap.b is not None else "")
    rows = [("Id", escape(gap.id)), ("Art" if lang == "de" else "Kind", escape(kind)),
            ("Detail", escape(gap.detail)), ("Länge" if lang == "de" else "Length", f"{gap.length_m:.0f} m")]
    return f'<div class="rw-popup rw-popup-gap"><h3>{ends}</h3>{facts_table(rows)}</div>'


def gap_layer(gaps: Sequence[Any], lang: str, connectors: Mapping[str, Any] | None = None) -> GapLayer:
    """The gaps to draw (and the connectors of each, when routed), popups escaped."""
    items = []
    for gap in gaps:
        if gap.kind not in ON_MAP or not gap.line:
            continue
        kind = KIND_LABELS.get(lang, KIND_LABELS["de"]).get(gap.kind, gap.kind)
        items.append((f"{kind}: {gap.a.name}", _line(gap.line), gap_popup(gap, lang)))
    conns = []
    for gap_id, result in sorted((connectors or {}).items()):
        for c in getattr(result, "connectors", ()):
            label = f"{gap_id} #{c.alternative}"
            rows = [("Id", escape(gap_id)), ("#", str(c.alternative)),
                    ("Länge" if lang == "de" else "Length", f"{c.network_m:.0f} m")]
            conns.append((label, _line(c.coords),
                          f'<div class="rw-popup rw-popup-connector"><h3>{escape(label)}</h3>'
                          f'{facts_table(rows)}</div>'))
    return GapLayer(tuple(items), tuple(conns))
