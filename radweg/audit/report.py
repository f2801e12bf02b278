"""Run the pre-audit of a tour: cut it into stages (or 50 km pieces), compute every indicator for each."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radweg.audit import indicators as ind
from radweg.audit.match import Along
from radweg.audit.sources import Sources
from radweg.model import Dataset, Line, Tour

PIECE_KM = 50.0
"""A tour without stages is audited in pieces of this length (the ADFC's day stage)."""

DISCLAIMER_DE = ("Vor-Audit aus offenen Daten (OpenStreetMap, Projektdaten): eine Hilfe zur Vorbereitung, "
                 "KEINE Bewertung des ADFC und keine ADFC-Qualitätsradroute-Einstufung. Schwellenwerte sind "
                 "radwegs eigene, dokumentierte Wahl; Befahrung vor Ort ersetzt es nicht.")
DISCLAIMER_EN = ("Pre-audit from open data (OpenStreetMap, project data): a help to prepare, NOT the ADFC's rating "
                 "and no ADFC-Qualitätsradroute classification. The thresholds are radweg's own documented choices; "
                 "it does not replace riding the route.")


@dataclass
class TourAudit:
    """One tour's stages and their indicators."""

    id: str
    name: str
    length_km: float
    stages_from: str
    units: list[ind.Unit]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "length_km": round(self.length_km, 2),
                "stages_from": self.stages_from, "stages": [u.as_dict() for u in self.units]}


@dataclass
class Audit:
    """The whole report."""

    tours: list[TourAudit]
    sources: list[str]
    network: str | None
    dem: str | None
    alignment_note: str | None
    thresholds: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"title": "ADFC-style pre-audit (Vor-Audit nach ADFC-Kriterien)",
                "disclaimer_de": DISCLAIMER_DE, "disclaimer_en": DISCLAIMER_EN,
                "alignment_note": self.alignment_note, "sources": self.sources, "network": self.network,
                "dem": self.dem, "thresholds": self.thresholds, "tours": [t.as_dict() for t in self.tours]}


def thresholds() -> dict[str, Any]:
    """Every threshold constant of :mod:`radweg.audit.indicators`, for the report."""
    return {k.lower(): v for k, v in vars(ind).items()
            if k.isupper() and isinstance(v, (int, float, dict)) and not k.startswith(("SURFACE", "TRACKTYPE"))
            and k not in ("HEADINGS",)}


def _units(ds: Dataset, tour: Tour, dem: Any | None) -> tuple[Any, list[tuple[int, str, str, float, float,
                                                                             tuple[Line, ...], Any]]]:
    from radweg.tours.facts import line_facts, tour_facts

    tf = tour_facts(ds, tour, dem=dem)
    units = []
    if tf.stages:
        for st in tf.stages:
            units.append((st.number, st.id, st.name, st.start_m, st.end_m, st.parts, st.profile))
        return tf, units
    total = tf.length_m
    n = max(1, round(total / (PIECE_KM * 1000)))
    for k in range(n):
        a, b = total * k / n, total * (k + 1) / n
        parts = tf.geometry.between(a, b)
        f = line_facts(parts, [])
        units.append((k + 1, f"abschnitt-{k + 1}", f"Abschnitt {k + 1} / part {k + 1}", a, b, f.parts,
                      f.profile))
    return tf, units


def audit_tour(ds: Dataset, tour: Tour, sources: Sources, *, graph: Any | None = None,
               network_name: str | None = None, dem: Any | None = None, dem_name: str | None = None) -> TourAudit:
    """Every indicator for every stage of one tour."""
    tf, units = _units(ds, tour, dem)
    legs = list(tf.legs)
    cum = [0.0]
    from radweg.geometry import line_length_m

    for _, line in legs:
        cum.append(cum[-1] + line_length_m(line))
    out = []
    for number, uid, name, start_m, end_m, parts, profile in units:
        parts = tuple(p for p in parts if len(p) >= 2)
        if not parts:
            continue
        along = Along(parts, start_m / 1000.0)
        samples = along.samples()
        step = along.length_m / len(samples) if samples else 0.0
        attrs = []
        for s in samples:
            k = min(len(legs) - 1, max(0, bisect.bisect_right(cum, s.km * 1000.0) - 1))
            seg = legs[k][0]
            attrs.append((seg.surface, seg.way_type))
        known = [(start_m / 1000.0 + d / 1000.0, e) for d, e in profile.known()]
        elev_src = (f"{dem_name} (terrain model, sampled along the line)" if dem is not None else
                    "heights stored on the segments (routes/segments.geojson)") if len(known) >= 2 else None
        ctx = ind.Context(along, samples, step, sources, graph, network_name, known if len(known) >= 2 else [],
                          elev_src, attrs, dem)
        start = (float(parts[0][0][0]), float(parts[0][0][1]))
        end = (float(parts[-1][-1][0]), float(parts[-1][-1][1]))
        listed = ind.stations(ctx)
        indicators: list[ind.Indicator] = [ind.barriers(ctx), *ind.steps_and_width(ctx)]
        street = ind.street_indicators(ctx)
        indicators += [i for i in street if i.heading == "oberflaeche"]
        seg_ind = ind.segment_indicators(ctx)
        indicators.append(seg_ind[0])
        indicators += [i for i in street if i.heading == "kfz"]
        indicators.append(seg_ind[1])
        if ctx.graph is None:
            indicators.append(ind.Indicator("kfz", "crossings", "Querungen von Hauptstraßen / crossings of main "
                                                                "roads", {}, "—", "—",
                                            no_data="no street network (use --network NAME)"))
        indicators += [ind.detour(ctx, start, end), *ind.climbs(ctx), ind.guideposts(ctx),
                       ind.infrastructure(ctx, end), ind.transit(ctx, listed, start, end), ind.data_quality(ctx)]
        out.append(ind.Unit(number, uid, name, start_m / 1000.0, end_m / 1000.0, start, end, listed, indicators))
    return TourAudit(tour.id, tour.name, tf.length_m / 1000.0, "stages" if tf.stages else f"{PIECE_KM:.0f} km pieces",
                     out)


def run(ds: Dataset, tours: Sequence[Tour], files: Sequence[Path], *, graph: Any | None = None,
        network_name: str | None = None, dem_file: Path | None = None) -> Audit:
    """The pre-audit of ``tours`` with the data in ``files`` (OSM extracts, Geofabrik layers) and the project's POIs.

    ``graph`` is a street network (a StreetGraph or networkx graph); the audit reads it as networkx.
    """
    from radweg.audit import sources as srcmod
    from radweg.elevation import Dem
    from radweg.osm.streets import as_networkx

    graph = as_networkx(graph) if graph is not None else None

    lines = [c for t in tours for seg in t.legs for c in ds.segment_map()[seg.segment].coords]
    pad = 0.03  # about 2-3 km: stations within 2 km must be found
    bbox = (min(c[0] for c in lines) - pad, min(c[1] for c in lines) - pad,
            max(c[0] for c in lines) + pad, max(c[1] for c in lines) + pad) if lines else None
    sources = srcmod.load(files, bbox, ds.pois.items)
    meta = ds.segments.metadata if isinstance(ds.segments.metadata, dict) else {}
    note = meta.get("disclaimer_en") if meta.get("illustrative") else None
    dem = Dem(dem_file) if dem_file is not None else None  # GeoTIFF, ASCII grid or SRTM .hgt(.zip)
    try:
        audited = [audit_tour(ds, t, sources, graph=graph, network_name=network_name, dem=dem,
                              dem_name=dem_file.name if dem_file else None) for t in tours]
    finally:
        if dem is not None:
            dem.close()
    names = list(sources.names)
    if network_name:
        names.append(f"street network '{network_name}' (radweg network cache, from OpenStreetMap, ODbL)")
    if dem_file:
        names.append(f"{dem_file.name} (terrain model)")
    return Audit(audited, names, network_name, dem_file.name if dem_file else None, note, thresholds())
