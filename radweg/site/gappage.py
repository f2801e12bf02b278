"""The planner's gap report as a site page: names first, words instead of codes, the page's number format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from radweg.i18n import km, metres
from radweg.site.gaplayer import KIND_LABELS, NO_CONNECTOR, STRAIGHT_NOTE, connector_rows
from radweg.site.html import Ctx
from radweg.tours.facts import round_km
from radweg.webmap.i18n import label, t


def _length(lang: str, length_m: float) -> str:
    return km(lang, round_km(length_m)) if length_m >= 1000 else metres(lang, length_m)


def gaps_body(gaps: Sequence[Any], ctx: Ctx, tour_names: dict[str, str],
              connectors: Mapping[str, Any] | None = None, network: str | None = None) -> str:
    """Every gap, longest first within its kind: where (names), kind, length, detail, tours, the routed
    connectors with their figures (when a street network was given); the id last."""
    lang = ctx.lang
    kinds = KIND_LABELS.get(lang, KIND_LABELS["de"])
    parts = [f"<h1>{escape(t(lang, 'gaps'))}</h1>", f"<p>{escape(t(lang, 'gap_intro'))}</p>"]
    if connectors is None:
        parts.append(f'<p class="rw-note">{escape(STRAIGHT_NOTE.get(lang, STRAIGHT_NOTE["de"]))}</p>')
    if not gaps:
        return "\n".join(parts + [f"<p>{escape(t(lang, 'no_gaps'))}</p>"])
    cards = []
    for gap in sorted(gaps, key=lambda g: (g.kind, -g.length_m, g.id)):
        where = gap.a.name + (f" – {gap.b.name}" if gap.b is not None else "")
        rows = [(t(lang, "gap_kind"), escape(kinds.get(gap.kind, gap.kind))),
                (t(lang, "gap_length"), escape(_length(lang, gap.length_m)))]
        if gap.status:
            rows.append((t(lang, "status"), escape(label(lang, "status", gap.status))))
        if gap.tours:
            rows.append((t(lang, "gap_tours"), escape(", ".join(tour_names.get(x, x) for x in gap.tours))))
        rows.append((t(lang, "gap_id"), f"<code>{escape(gap.id)}</code>"))
        dl = "".join(f"<div><dt>{escape(k)}</dt><dd>{v}</dd></div>" for k, v in rows)
        cards.append(f'<article class="rw-card rw-gap-card"><h2 class="rw-h4">{escape(where)}</h2>'
                     f'<dl class="rw-stagefigs">{dl}</dl>{_connectors(gap, connectors, network, lang)}</article>')
    parts.append(f'<div class="rw-cards">{"".join(cards)}</div>')
    return "\n".join(parts)


def _connectors(gap: Any, connectors: Mapping[str, Any] | None, network: str | None, lang: str) -> str:
    """The routed alternatives of one gap, each with its figures; or why there is none."""
    if connectors is None or gap.id not in connectors:
        return ""
    result = connectors[gap.id]
    if result.no_connection:
        why = NO_CONNECTOR.get(lang, NO_CONNECTOR["de"]) + (f" ({result.reason})" if result.reason else "")
        return f'<p class="rw-note">{escape(why)}</p>'
    out = []
    for c in result.connectors:
        rows = [(k, v) for k, v in connector_rows(c, lang, network) if v is not None]
        dl = "".join(f"<div><dt>{escape(k)}</dt><dd>{v}</dd></div>" for k, v in rows)
        head = f"{'Variante' if lang == 'de' else 'Alternative'} {c.alternative}"
        out.append(f'<section class="rw-connector"><h3 class="rw-h5">{escape(head)}</h3>'
                   f'<dl class="rw-stagefigs">{dl}</dl></section>')
    return "".join(out)
