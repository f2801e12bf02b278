"""The pre-audit's indicators per stage, under the ADFC-Qualitätsradroute headings.

Each :class:`Indicator` has figures, the data it came from, a threshold that
flags it and, for every flag, the place to look at (km on the tour and
coordinates). The thresholds are radweg's own documented choices (constants
below, listed in ``docs/audit.md``); the ADFC does not publish numeric limits,
and this is not the ADFC's rating.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from radweg.audit.match import Along, Sample, edges_near, match_edges
from radweg.audit.sources import OsmLine, Place, Sources

HEADINGS = (
    ("befahrbarkeit", "Befahrbarkeit", "Rideability"),
    ("oberflaeche", "Oberfläche", "Surface"),
    ("kfz", "Kfz-Verkehr", "Motor traffic"),
    ("routenfuehrung", "Routenführung", "Route choice"),
    ("wegweisung", "Wegweisung", "Signposting"),
    ("infrastruktur", "Touristische Infrastruktur", "Tourist infrastructure"),
    ("oepnv", "ÖPNV", "Public transport"),
    ("datenqualitaet", "Datenqualität im Korridor", "Data quality in the corridor"),
)

STATION_RADIUS_M = 2000.0
BARRIER_M = 10.0
GUIDEPOST_M = 25.0
GUIDEPOST_GAP_KM = 5.0
NARROW_WIDTH_M = 2.0
UNPAVED_STRETCH_M = 200.0
ROUGH_STRETCH_M = 100.0
FAST_STRETCH_M = 100.0
FAST_KMH = 50
CROSSING_SECURE_M = 20.0
DETOUR_FACTOR = 1.5
GRADE_100M = 8.0
GRADE_1KM = 5.0
WINDOW_KM = 10.0
CORRIDOR_M = 200.0
UNDERSHOOT_M = 5.0
VARIANTS = 3
VARIANT_LENGTH = 1.5
VARIANT_GAIN_PCT = 2.0
INFRA_RADII_M = {"accommodation": 1000.0, "food": 500.0, "bike_service": 1000.0, "tourist_info": 1000.0,
                 "information": 1000.0, "shelter": 100.0, "bench": 50.0, "drinking_water": 200.0, "toilet": 200.0}
INFRA_LABELS = {"accommodation": "Unterkünfte / places to stay", "food": "Gastronomie / food",
                "bike_service": "Fahrradservice / bike service", "tourist_info": "Tourist-Information (Büro)",
                "information": "Infopunkte (Geofabrik tourist_info)", "shelter": "Schutzhütten, Rastplätze / shelters",
                "bench": "Bänke / benches", "drinking_water": "Trinkwasser / drinking water",
                "toilet": "Toiletten / toilets"}

SURFACE_CLASSES = {
    "paved": ("asphalt", "concrete", "concrete:plates", "concrete:lanes", "paved", "chipseal"),
    "rough_paved": ("paving_stones", "sett", "cobblestone", "unhewn_cobblestone", "metal", "wood", "bricks",
                    "grass_paver"),
    "water_bound": ("compacted", "fine_gravel"),
    "unpaved": ("gravel", "pebblestone", "ground", "dirt", "earth", "grass", "sand", "mud", "unpaved", "rock",
                "woodchips"),
}
TRACKTYPE_CLASS = {"grade1": "paved", "grade2": "water_bound", "grade3": "unpaved", "grade4": "unpaved",
                   "grade5": "unpaved"}
BAD_SMOOTHNESS = frozenset({"bad", "very_bad", "horrible", "very_horrible", "impassable"})
CAR_FREE = frozenset({"cycleway", "path", "footway", "bridleway", "pedestrian", "track"})
QUIET = frozenset({"living_street", "residential", "service"})
MINOR = frozenset({"unclassified", "tertiary", "tertiary_link", "road"})
MAJOR = frozenset({"secondary", "secondary_link", "primary", "primary_link", "trunk", "trunk_link"})
NO_LANE = frozenset({"no", "none", "separate", ""})


@dataclass(frozen=True)
class Flag:
    """A place to look at: km on the tour, coordinates, what is wrong."""

    km: float
    lon: float
    lat: float
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"km": round(self.km, 2), "coordinates": [round(self.lon, 6), round(self.lat, 6)],
                "message": self.message}


@dataclass
class Indicator:
    """One indicator of one stage."""

    heading: str
    id: str
    label: str
    figures: dict[str, Any]
    source: str
    threshold: str
    flags: list[Flag] = field(default_factory=list)
    no_data: str | None = None

    @property
    def status(self) -> str:
        return "no data" if self.no_data else ("flag" if self.flags else "ok")

    def as_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "id": self.id, "label": self.label, "status": self.status,
                "figures": self.figures, "source": self.source, "threshold": self.threshold,
                "flags": [f.as_dict() for f in self.flags], "no_data": self.no_data}


@dataclass
class Unit:
    """A stage (or a 50 km piece of a tour without stages) and its indicators."""

    number: int
    id: str
    name: str
    start_km: float
    end_km: float
    start: tuple[float, float]
    end: tuple[float, float]
    stations: list[dict[str, Any]]
    indicators: list[Indicator]

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "id": self.id, "name": self.name, "start_km": round(self.start_km, 2),
                "end_km": round(self.end_km, 2), "length_km": round(self.end_km - self.start_km, 2),
                "start": [round(c, 6) for c in self.start], "end": [round(c, 6) for c in self.end],
                "stations_within_2km": self.stations,
                "flags": sum(len(i.flags) for i in self.indicators),
                "indicators": [i.as_dict() for i in self.indicators]}


@dataclass
class Context:
    """Everything the indicators of one stage read."""

    along: Along
    samples: list[Sample]
    step_m: float
    sources: Sources
    graph: Any | None
    network_name: str | None
    profile: list[tuple[float, float]]  # (km on the tour, elevation)
    elevation_source: str | None
    segment_attrs: list[tuple[str | None, str | None]]  # (surface, way_type) of each sample, from the segments
    dem: Any | None = None  # an open radweg.elevation.Dem


def _fmt_km(km: float) -> str:
    return f"km {km:.1f}"


def _clean(text: str | None) -> str | None:
    from radweg.io.text import printable

    return None if text is None else printable(text)


def _near(ctx: Context, places: Sequence[Place], radius_m: float) -> list[tuple[Place, float, float]]:
    """(place, distance m, km) of places within radius of the line, in order along it."""
    if not places:
        return []
    dists, kms = ctx.along.locate([(p.lon, p.lat) for p in places])
    out = [(p, d, k) for p, d, k in zip(places, dists, kms, strict=True) if d <= radius_m]
    return sorted(out, key=lambda t: (t[2], t[0].ref))


def _stretches(samples: Sequence[Sample], hits: Sequence[bool]) -> list[tuple[int, int]]:
    """Runs of consecutive True samples as (first, last) indices."""
    out = []
    start: int | None = None
    for k, h in enumerate(hits):
        if h and start is None:
            start = k
        if not h and start is not None:
            out.append((start, k - 1))
            start = None
    if start is not None:
        out.append((start, len(hits) - 1))
    return out


def _share(m: float, total: float) -> float:
    return round(100.0 * m / total, 1) if total else 0.0


# ------------------------------------------------------------------ Befahrbarkeit


def barriers(ctx: Context) -> Indicator:
    places = ctx.sources.of("barrier")
    ind = Indicator("befahrbarkeit", "barriers", "Sperren auf dem Weg / barriers on the way", {},
                    "barrier=* nodes of the OSM extracts (--osm)",
                    f"every barrier within {BARRIER_M:.0f} m of the line is flagged")
    if not ctx.sources.osm_files:
        ind.no_data = "no OSM extract given (--osm FILE.osm.pbf): barriers are not in the Geofabrik layers"
        return ind
    found = _near(ctx, places, BARRIER_M)
    counts: dict[str, int] = {}
    for p, _, km in found:
        kind = p.tags.get("barrier", "barrier")
        counts[kind] = counts.get(kind, 0) + 1
        ind.flags.append(Flag(km, p.lon, p.lat, f"{kind} ({p.ref})"))
    ind.figures = {"count": len(found), "by_type": dict(sorted(counts.items()))}
    return ind


def _osm_way_matches(ctx: Context) -> list[OsmLine | None]:
    ways = ctx.sources.ways
    idx = match_edges(ctx.along, ctx.samples, [w.coords for w in ways])
    return [None if i is None else ways[i] for i in idx]


def steps_and_width(ctx: Context) -> list[Indicator]:
    steps = Indicator("befahrbarkeit", "steps", "Treppen / steps", {}, "highway=steps ways of the OSM extracts",
                      "every flight of steps the line runs on is flagged")
    narrow = Indicator("befahrbarkeit", "narrow", "Schmale Wege / narrow ways", {},
                       "width=* of the OSM ways the line runs on (--osm)",
                       f"ways with width below {NARROW_WIDTH_M:.1f} m are flagged (only where width is tagged)")
    if not ctx.sources.ways:
        why = "no OSM extract given (--osm FILE.osm.pbf)"
        steps.no_data = narrow.no_data = why
        return [steps, narrow]
    matched = _osm_way_matches(ctx)
    is_steps = [w is not None and w.tags.get("highway") == "steps" for w in matched]
    for a, b in _stretches(ctx.samples, is_steps):
        s = ctx.samples[a]
        w = matched[a]
        assert w is not None
        steps.flags.append(Flag(s.km, s.lon, s.lat, f"steps, about {(b - a + 1) * ctx.step_m:.0f} m (way/{w.id})"))
    steps.figures = {"count": len(steps.flags), "m": round(sum(is_steps) * ctx.step_m)}
    widths: list[float | None] = []
    for w in matched:
        widths.append(_width(w.tags.get("width")) if w is not None else None)
    tagged = sum(1 for x in widths if x is not None)
    is_narrow = [x is not None and x < NARROW_WIDTH_M for x in widths]
    for a, b in _stretches(ctx.samples, is_narrow):
        s = ctx.samples[a]
        w = matched[a]
        assert w is not None
        narrow.flags.append(Flag(s.km, s.lon, s.lat, f"width {w.tags.get('width')} over about "
                                                     f"{(b - a + 1) * ctx.step_m:.0f} m (way/{w.id})"))
    narrow.figures = {"km_with_width_tagged": round(tagged * ctx.step_m / 1000, 2),
                      "km_narrow": round(sum(is_narrow) * ctx.step_m / 1000, 2),
                      "share_tagged_pct": _share(tagged, len(widths))}
    return [steps, narrow]


def _width(value: str | None) -> float | None:
    if not value:
        return None
    m = re.match(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(m)?\s*$", value)
    return float(m.group(1).replace(",", ".")) if m else None


# ------------------------------------------------------------------ the street network


def _edge_matches(ctx: Context) -> list[Mapping[str, Any] | None]:
    assert ctx.graph is not None
    b = ctx.along
    lons = [s.lon for s in ctx.samples]
    lats = [s.lat for s in ctx.samples]
    pad = 0.002
    edges = edges_near(ctx.graph, (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad))
    idx = match_edges(b, ctx.samples, [c for _, c in edges])
    return [None if i is None else edges[i][0] for i in idx]


def surface_class(attrs: Mapping[str, Any]) -> str:
    """paved, rough_paved, water_bound, unpaved or unknown, from ``surface`` (else ``tracktype``)."""
    surface = attrs.get("surface")
    for cls, values in SURFACE_CLASSES.items():
        if surface in values:
            return cls
    return TRACKTYPE_CLASS.get(str(attrs.get("tracktype")), "unknown")


def traffic_class(attrs: Mapping[str, Any]) -> str:
    """car_free, quiet, minor_road or major_road, from ``highway`` and bicycle-road tags."""
    hw = str(attrs.get("highway"))
    if attrs.get("bicycle_road") == "yes" or attrs.get("cyclestreet") == "yes":
        return "quiet"
    if hw in CAR_FREE:
        return "car_free"
    if hw in QUIET:
        return "quiet"
    if hw in MAJOR:
        return "major_road"
    return "minor_road"


def has_cycleway(attrs: Mapping[str, Any]) -> bool:
    return any(str(attrs.get(k) or "") not in NO_LANE
               for k in ("cycleway", "cycleway:left", "cycleway:right", "cycleway:both"))


def street_indicators(ctx: Context) -> list[Indicator]:
    """Surface, smoothness, push sections, traffic classes and fast roads from the network's edges."""
    surf = Indicator("oberflaeche", "surface", "Oberfläche / surface", {},
                     f"surface=* and tracktype=* of the street network '{ctx.network_name}' (OSM) under the line",
                     f"stretches of {UNPAVED_STRETCH_M:.0f} m or more unpaved (gravel, ground, grass …) and of "
                     f"{ROUGH_STRETCH_M:.0f} m or more with smoothness bad or worse are flagged")
    push = Indicator("oberflaeche", "push", "Schiebestrecken / push sections", {},
                     f"bicycle=dismount on the street network '{ctx.network_name}'",
                     "every push section is flagged")
    traffic = Indicator("kfz", "traffic", "Kfz-Verkehr / motor traffic", {},
                        f"highway=*, maxspeed=*, cycleway*=* of the street network '{ctx.network_name}'",
                        f"stretches of {FAST_STRETCH_M:.0f} m or more on roads signed above {FAST_KMH} km/h "
                        "without a cycle lane or track are flagged")
    if ctx.graph is None:
        for ind in (surf, push, traffic):
            ind.no_data = "no street network (use --network NAME; see 'radweg network import')"
            ind.source = "—"
        return [surf, push, traffic]
    matched = _edge_matches(ctx)
    total = len(matched) * ctx.step_m
    on = [m for m in matched if m is not None]
    classes = [surface_class(m) if m is not None else "off_network" for m in matched]
    by_class: dict[str, float] = {}
    by_surface: dict[str, float] = {}
    for m, c in zip(matched, classes, strict=True):
        by_class[c] = by_class.get(c, 0.0) + ctx.step_m
        if m is not None:
            key = str(m.get("surface") or "(not tagged)")
            by_surface[key] = by_surface.get(key, 0.0) + ctx.step_m
    rough = [m is not None and m.get("smoothness") in BAD_SMOOTHNESS for m in matched]
    surf.figures = {
        "matched_share_pct": _share(len(on), len(matched)),
        "km_by_class": {k: round(v / 1000, 2) for k, v in sorted(by_class.items())},
        "share_by_class_pct": {k: _share(v, total) for k, v in sorted(by_class.items())},
        "km_by_surface": {k: round(v / 1000, 2) for k, v in sorted(by_surface.items())},
        "km_bad_smoothness": round(sum(rough) * ctx.step_m / 1000, 2),
    }
    for a, b in _stretches(ctx.samples, [c == "unpaved" for c in classes]):
        if (b - a + 1) * ctx.step_m >= UNPAVED_STRETCH_M:
            s, m = ctx.samples[a], matched[a]
            assert m is not None
            surf.flags.append(Flag(s.km, s.lon, s.lat, f"{(b - a + 1) * ctx.step_m:.0f} m unpaved "
                                                       f"({m.get('surface') or m.get('tracktype')})"))
    for a, b in _stretches(ctx.samples, rough):
        if (b - a + 1) * ctx.step_m >= ROUGH_STRETCH_M:
            s, m = ctx.samples[a], matched[a]
            assert m is not None
            surf.flags.append(Flag(s.km, s.lon, s.lat, f"{(b - a + 1) * ctx.step_m:.0f} m smoothness="
                                                       f"{m.get('smoothness')}"))
    surf.flags.sort(key=lambda f: f.km)
    dismount = [m is not None and m.get("bicycle") == "dismount" for m in matched]
    for a, b in _stretches(ctx.samples, dismount):
        s = ctx.samples[a]
        push.flags.append(Flag(s.km, s.lon, s.lat, f"push section, about {(b - a + 1) * ctx.step_m:.0f} m"))
    push.figures = {"count": len(push.flags), "km": round(sum(dismount) * ctx.step_m / 1000, 2)}
    tclass = [traffic_class(m) if m is not None else "off_network" for m in matched]
    by_t: dict[str, float] = {}
    for c in tclass:
        by_t[c] = by_t.get(c, 0.0) + ctx.step_m
    fast = [m is not None and traffic_class(m) in ("minor_road", "major_road") and not has_cycleway(m)
            and isinstance(m.get("maxspeed"), int) and m["maxspeed"] > FAST_KMH for m in matched]
    unknown_speed = [m is not None and traffic_class(m) in ("minor_road", "major_road")
                     and not isinstance(m.get("maxspeed"), int) for m in matched]
    traffic.figures = {
        "km_by_class": {k: round(v / 1000, 2) for k, v in sorted(by_t.items())},
        "share_by_class_pct": {k: _share(v, total) for k, v in sorted(by_t.items())},
        "km_above_50_without_cycleway": round(sum(fast) * ctx.step_m / 1000, 2),
        "share_above_50_without_cycleway_pct": _share(sum(fast), len(matched)),
        "km_motor_roads_speed_not_tagged": round(sum(unknown_speed) * ctx.step_m / 1000, 2),
    }
    for a, b in _stretches(ctx.samples, fast):
        if (b - a + 1) * ctx.step_m >= FAST_STRETCH_M:
            s, m = ctx.samples[a], matched[a]
            assert m is not None
            name = _clean(m.get("name") or m.get("ref")) or m.get("highway")
            traffic.flags.append(Flag(s.km, s.lon, s.lat, f"{(b - a + 1) * ctx.step_m:.0f} m on {name} "
                                                          f"({m.get('highway')}, {m.get('maxspeed')} km/h) "
                                                          "without a cycle lane"))
    return [surf, push, traffic, crossings(ctx, matched)]


def _crossing_kind(places: Sequence[tuple[Place, float, float]]) -> str:
    kinds = set()
    for p, _, _ in places:
        t = p.tags
        c = t.get("crossing", "")
        if p.category == "signals" or c == "traffic_signals" or t.get("crossing:signals") == "yes":
            kinds.add("signals")
        elif t.get("crossing:island") == "yes" or c == "island" or t.get("traffic_calming") == "island":
            kinds.add("island")
        elif c in ("marked", "zebra", "uncontrolled") or t.get("crossing_ref") in ("zebra", "pelican", "toucan") \
                or t.get("crossing:markings") not in (None, "no"):
            kinds.add("marked")
        elif p.category == "crossing" and t.get("fclass") == "crossing":
            kinds.add("crossing (kind not in the layer)")
        elif c == "unmarked" or p.category == "crossing":
            kinds.add("unmarked")
    for k in ("signals", "island", "marked", "crossing (kind not in the layer)", "unmarked"):
        if k in kinds:
            return k
    return "none mapped"


def crossings(ctx: Context, matched: Sequence[Mapping[str, Any] | None]) -> Indicator:
    """Where the line crosses a primary, secondary or trunk road, and whether that crossing is secured."""
    import shapely
    from shapely.geometry import LineString

    ind = Indicator("kfz", "crossings", "Querungen von Hauptstraßen / crossings of main roads", {},
                    f"primary/secondary/trunk edges of the network '{ctx.network_name}'; crossing and signal nodes "
                    "of the OSM extracts or the Geofabrik traffic layer (--osm)",
                    "every crossing without signals, an island or markings within "
                    f"{CROSSING_SECURE_M:.0f} m is flagged")
    assert ctx.graph is not None
    lons = [s.lon for s in ctx.samples]
    lats = [s.lat for s in ctx.samples]
    pad = 0.001
    major = [(a, c) for a, c in edges_near(ctx.graph, (min(lons) - pad, min(lats) - pad, max(lons) + pad,
                                                        max(lats) + pad)) if a.get("highway") in MAJOR]
    way_tags = ctx.sources.way_tags()
    points: list[tuple[float, Mapping[str, Any]]] = []
    for attrs, coords in major:
        tags = way_tags.get(int(attrs.get("osmid") or 0), {})
        if tags.get("bridge") not in (None, "no") or tags.get("tunnel") not in (None, "no"):
            continue  # grade-separated
        road = LineString(ctx.along.frame.to_xy(coords))
        hit = shapely.intersection(ctx.along.lines, road)
        for g in getattr(hit, "geoms", [hit]):
            if g.is_empty or g.geom_type != "Point":
                continue
            lon, lat = ctx.along.frame.to_lonlat([(g.x, g.y)])[0]
            _, (km,) = ctx.along.locate([(lon, lat)])
            points.append((km, attrs))
    points.sort(key=lambda t: t[0])
    kept: list[tuple[float, Mapping[str, Any]]] = []
    for km, attrs in points:
        near = [m for s, m in zip(ctx.samples, matched, strict=True) if abs(s.km - km) * 1000 <= 25.0]
        if any(m is not None and m.get("osmid") == attrs.get("osmid") for m in near):
            continue  # the route runs along this road here: not a crossing
        if kept and (km - kept[-1][0]) * 1000 < 40.0:
            continue  # the other carriageway of the same crossing
        kept.append((km, attrs))
    have_nodes = bool(ctx.sources.of("crossing", "signals"))
    counts: dict[str, int] = {}
    for km, attrs in kept:
        lon, lat = ctx.along.point_at(km)
        nearby = _near_point(ctx, ctx.sources.of("crossing", "signals"), lon, lat, CROSSING_SECURE_M)
        kind = _crossing_kind(nearby) if have_nodes else "unknown (no crossing data)"
        counts[kind] = counts.get(kind, 0) + 1
        name = _clean(attrs.get("name") or attrs.get("ref")) or "unnamed"
        if kind not in ("signals", "island", "marked"):
            ind.flags.append(Flag(km, lon, lat, f"crossing of {name} ({attrs.get('highway')}): {kind}"))
    ind.figures = {"count": len(kept), "by_kind": dict(sorted(counts.items())),
                   "secured": sum(v for k, v in counts.items() if k in ("signals", "island", "marked"))}
    if not have_nodes:
        ind.figures["note"] = "no crossing or signal nodes given (--osm): whether crossings are secured is unknown"
    return ind


def _near_point(ctx: Context, places: Sequence[Place], lon: float, lat: float,
                radius_m: float) -> list[tuple[Place, float, float]]:
    from radweg.geometry import distance_m

    out = []
    for p in places:
        if abs(p.lat - lat) > 0.001 or abs(p.lon - lon) > 0.002:
            continue
        d = distance_m((lon, lat), (p.lon, p.lat))
        if d <= radius_m:
            out.append((p, d, 0.0))
    return out


def segment_indicators(ctx: Context) -> list[Indicator]:
    """Surface and way type from the project's own segments (always there, whatever the network)."""
    by_s: dict[str, float] = {}
    by_w: dict[str, float] = {}
    for surface, way_type in ctx.segment_attrs:
        by_s[surface or "unknown"] = by_s.get(surface or "unknown", 0.0) + ctx.step_m
        by_w[way_type or "unknown"] = by_w.get(way_type or "unknown", 0.0) + ctx.step_m
    total = sum(by_s.values())
    surf = Indicator("oberflaeche", "segment_surface", "Oberfläche laut Segmenten / surface of the segments",
                     {"km_by_surface": {k: round(v / 1000, 2) for k, v in sorted(by_s.items())},
                      "share_by_surface_pct": {k: _share(v, total) for k, v in sorted(by_s.items())}},
                     "the 'surface' field of routes/segments.geojson (the project's own data)",
                     "figures only (no flag): the segments' surface is the planners' own statement")
    way = Indicator("kfz", "segment_way_type", "Wegeart laut Segmenten / way type of the segments",
                    {"km_by_way_type": {k: round(v / 1000, 2) for k, v in sorted(by_w.items())},
                     "share_by_way_type_pct": {k: _share(v, total) for k, v in sorted(by_w.items())}},
                    "the 'way_type' field of routes/segments.geojson (the project's own data)",
                    "the share on 'road' (shared with motor traffic) is flagged above 25 %")
    road = by_w.get("road", 0.0)
    if total and road / total > 0.25:
        s = ctx.samples[0]
        way.flags.append(Flag(s.km, s.lon, s.lat, f"{_share(road, total)} % of the stage on roads"))
    return [surf, way]


# ------------------------------------------------------------------ Routenführung


def detour(ctx: Context, start: tuple[float, float], end: tuple[float, float]) -> Indicator:
    from radweg.geometry import distance_m

    straight = distance_m(start, end)
    length = ctx.along.length_m
    ind = Indicator("routenfuehrung", "detour", "Umweg / detour", {"length_km": round(length / 1000, 2),
                                                                    "straight_km": round(straight / 1000, 2)},
                    "the stage line against the straight line between its ends",
                    f"a detour factor above {DETOUR_FACTOR} is flagged (radweg's choice: the RIN's targets were "
                    "not available)")
    if straight < 500.0:
        ind.figures["factor"] = None
        ind.figures["note"] = "start and end less than 500 m apart (a round tour): no detour factor"
        return ind
    factor = length / straight
    ind.figures["factor"] = round(factor, 2)
    if factor > DETOUR_FACTOR:
        ind.flags.append(Flag(ctx.along.start_km, start[0], start[1], f"detour factor {factor:.2f}"))
    return ind


def steepest(profile: Sequence[tuple[float, float]], window_m: float, step_m: float = 10.0
             ) -> tuple[float, float] | None:
    """(grade %, km at the window's start) of the steepest climb over ``window_m`` in riding direction."""
    import numpy as np

    if len(profile) < 2:
        return None
    km = np.array([p[0] for p in profile])
    ele = np.array([p[1] for p in profile])
    span = (km[-1] - km[0]) * 1000.0
    if span < window_m:
        return None
    grid = np.arange(0.0, span + 1e-9, step_m) / 1000.0 + km[0]
    h = np.interp(grid, km, ele)
    w = int(round(window_m / step_m))
    rise = h[w:] - h[:-w]
    k = int(np.argmax(rise))
    return float(rise[k] / window_m * 100.0), float(grid[k])


def climbs(ctx: Context) -> list[Indicator]:
    src = ctx.elevation_source or "—"
    out = []
    for window, limit, ident in ((100.0, GRADE_100M, "steepest_100m"), (1000.0, GRADE_1KM, "steepest_1km")):
        label = "Steilste 100 m / steepest 100 m" if window == 100 else "Steilster Kilometer / steepest km"
        ind = Indicator("routenfuehrung", ident, label, {}, src,
                        f"a climb of {limit:.0f} % or more over {window:.0f} m in riding direction is flagged")
        if not ctx.profile:
            ind.no_data = "no heights on the line (use --dem FILE)"
            out.append(ind)
            continue
        up = steepest(ctx.profile, window)
        down = steepest([(-k, e) for k, e in reversed(ctx.profile)], window)
        if up is None:
            ind.no_data = f"the stage is shorter than {window:.0f} m"
            out.append(ind)
            continue
        ind.figures = {"grade_pct": round(up[0], 1), "at_km": round(up[1], 2),
                       "steepest_descent_pct": None if down is None else round(down[0], 1)}
        if up[0] >= limit:
            lon, lat = ctx.along.point_at(min(max(up[1], ctx.along.start_km),
                                              ctx.along.start_km + ctx.along.length_m / 1000))
            ind.flags.append(Flag(up[1], lon, lat, f"{up[0]:.1f} % over {window:.0f} m"))
        out.append(ind)
    out.append(flatter_variant(ctx, out[1]))
    return out


def _grade_profile(coords: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    from radweg.geometry import cumulative_m

    dist = cumulative_m(coords)
    return [(d / 1000.0, float(c[2])) for d, c in zip(dist, coords, strict=True) if len(c) > 2 and c[2] is not None]


def flatter_variant(ctx: Context, steep_km: Indicator) -> Indicator:
    """Alternatives on the network for the stage's steepest kilometre, when it is flagged."""
    ind = Indicator("routenfuehrung", "flatter_variant", "Flachere Variante / a flatter variant", {},
                    f"up to {VARIANTS} routes on the street network '{ctx.network_name}' between the ends of the "
                    "steepest kilometre (each after penalising the edges of the earlier ones ×4), heights from the "
                    "terrain model",
                    f"flagged when a variant at most {VARIANT_LENGTH}× as long has its steepest 100 m at least "
                    f"{VARIANT_GAIN_PCT:.0f} points flatter than the route's kilometre")
    if ctx.graph is None or ctx.dem is None:
        ind.no_data = "needs a street network (--network) and a terrain model (--dem)"
        return ind
    if not steep_km.flags:
        ind.figures = {"note": "the steepest kilometre is not flagged: no variant sought"}
        return ind
    from radweg.elevation import drape
    from radweg.geometry import cumulative_m
    from radweg.osm.router import router_for

    at = float(steep_km.figures["at_km"])
    a, b = ctx.along.point_at(at), ctx.along.point_at(min(at + 1.0, ctx.along.start_km + ctx.along.length_m / 1000))
    own = [(k, e) for k, e in ctx.profile if at <= k <= at + 1.0]
    own_100 = steepest(own, 100.0)
    router = router_for(ctx.graph)
    penalties: dict[tuple[Any, Any], float] = {}
    variants: list[dict[str, Any]] = []
    for _ in range(VARIANTS):
        r = router.route(a, b, penalties=penalties or None)
        if r is None:
            break
        line = drape(r.coords, ctx.dem)
        prof = _grade_profile(line)
        g100 = steepest(prof, 100.0) if prof else None
        eles = [c[2] for c in line if len(c) > 2 and c[2] is not None]
        ascent = sum(max(0.0, float(y) - float(x)) for x, y in zip(eles, eles[1:], strict=False))
        variant = {"length_km": round(cumulative_m(line)[-1] / 1000.0, 2),
                   "steepest_100m_pct": None if g100 is None else round(g100[0], 1), "ascent_m": round(ascent)}
        if variant not in variants:  # the network may have no other way there
            variants.append(variant)
        for u, v in zip(r.nodes, r.nodes[1:], strict=False):
            penalties[(u, v)] = penalties.get((u, v), 1.0) * 4.0
            penalties[(v, u)] = penalties.get((v, u), 1.0) * 4.0
    ind.figures = {"route_steepest_100m_pct": None if own_100 is None else round(own_100[0], 1),
                   "variants": variants}
    if own_100 is not None:
        better = [v for v in variants if v["steepest_100m_pct"] is not None and v["length_km"] <= VARIANT_LENGTH
                  and v["steepest_100m_pct"] <= own_100[0] - VARIANT_GAIN_PCT]
        if better:
            best = min(better, key=lambda v: (v["steepest_100m_pct"], v["length_km"]))
            ind.flags.append(Flag(at, a[0], a[1], f"a variant of {best['length_km']} km with at most "
                                                  f"{best['steepest_100m_pct']} % over 100 m (the route: "
                                                  f"{own_100[0]:.1f} %)"))
    return ind


# ------------------------------------------------------------------ Wegweisung


def guideposts(ctx: Context) -> Indicator:
    ind = Indicator("wegweisung", "guideposts", "Wegweiser / guideposts", {},
                    "tourism=information + information=guidepost nodes of the OSM extracts; Geofabrik "
                    "'tourist_info' points (offices, boards and guideposts together)",
                    f"stretches longer than {GUIDEPOST_GAP_KM:.0f} km without a mapped guidepost within "
                    f"{GUIDEPOST_M:.0f} m are flagged (only where the data has guideposts at all)")
    posts = _near(ctx, ctx.sources.of("guidepost"), GUIDEPOST_M)
    info = _near(ctx, ctx.sources.of("information"), GUIDEPOST_M)
    length_km = ctx.along.length_m / 1000
    ind.figures = {"guideposts": len(posts), "per_10km": round(len(posts) / length_km * 10, 1) if length_km else 0,
                   "information_points": len(info)}
    if not ctx.sources.osm_files and not ctx.sources.geofabrik_files:
        ind.no_data = "no OSM extract or Geofabrik layer given (--osm)"
        return ind
    if not ctx.sources.of("guidepost"):
        ind.no_data = "the data given has no guideposts (information=guidepost) at all"
        return ind
    marks = [ctx.along.start_km] + [k for _, _, k in posts] + [ctx.along.start_km + length_km]
    for a, b in zip(marks, marks[1:], strict=False):
        if b - a > GUIDEPOST_GAP_KM:
            lon, lat = ctx.along.point_at(a)
            ind.flags.append(Flag(a, lon, lat, f"{b - a:.1f} km without a mapped guidepost"))
    return ind


# ------------------------------------------------------------------ Infrastruktur, ÖPNV


def infrastructure(ctx: Context, end: tuple[float, float]) -> Indicator:
    from radweg.geometry import distance_m

    ind = Indicator("infrastruktur", "infrastructure", "Touristische Infrastruktur / tourist infrastructure", {},
                    "the project's POIs; the OSM extracts and Geofabrik POI layers given (--osm)",
                    "flagged: no place to stay within 1 km of the stage end; a 10 km window without food within "
                    "500 m; no bike service on the stage. Counted within: " +
                    ", ".join(f"{k} {int(v)} m" for k, v in INFRA_RADII_M.items()))
    start_km = ctx.along.start_km
    length_km = ctx.along.length_m / 1000
    windows = max(1, math.ceil(length_km / WINDOW_KM - 1e-9))
    have = {p.category for p in ctx.sources.places}
    if not have & set(INFRA_RADII_M):
        ind.no_data = "no places to stay, food, bike service … in the data given (--osm with an extract or the " \
                      "Geofabrik POI layer)"
        return ind
    counts: dict[str, Any] = {}
    per_window: dict[str, list[int]] = {}
    found_by: dict[str, list[tuple[Place, float, float]]] = {}
    for cat, radius in INFRA_RADII_M.items():
        found = _near(ctx, ctx.sources.of(cat), radius)
        found_by[cat] = found
        counts[cat] = len(found)
        per = [0] * windows
        for _, _, km in found:
            per[min(windows - 1, int((km - start_km) / WINDOW_KM))] += 1
        per_window[cat] = per
    ind.figures = {"counts": counts, "per_10km": per_window,
                   "windows_km": [[round(start_km + k * WINDOW_KM, 1),
                                   round(min(start_km + (k + 1) * WINDOW_KM, start_km + length_km), 1)]
                                  for k in range(windows)]}
    ind.figures["not_in_the_data"] = sorted(set(INFRA_RADII_M) - have)
    for cat in ind.figures["not_in_the_data"]:
        counts[cat] = None
    stay = [p for p in ctx.sources.of("accommodation") if distance_m(end, (p.lon, p.lat)) <= 1000.0]
    ind.figures["accommodation_within_1km_of_end"] = len(stay) if "accommodation" in have else None
    if not stay and "accommodation" in have:
        ind.flags.append(Flag(start_km + length_km, end[0], end[1], "no place to stay within 1 km of the stage end"))
    for k, n in enumerate(per_window["food"]):
        if n == 0 and "food" in have:
            km = start_km + k * WINDOW_KM
            lon, lat = ctx.along.point_at(km)
            ind.flags.append(Flag(km, lon, lat, f"km {km:.1f}–{min(km + WINDOW_KM, start_km + length_km):.1f}: "
                                                "no food within 500 m"))
    if counts["bike_service"] == 0 and "bike_service" in have:
        lon, lat = ctx.along.point_at(start_km)
        ind.flags.append(Flag(start_km, lon, lat, "no bike shop, rental or repair station within 1 km of the stage"))
    ind.flags.sort(key=lambda f: f.km)
    return ind


def stations(ctx: Context) -> list[dict[str, Any]]:
    """Railway stations and halts within 2 km of the line: name, distance, km, coordinates, source (deduplicated)."""
    found = _near(ctx, ctx.sources.of("station"), STATION_RADIUS_M)
    out: list[tuple[Place, float, float, list[str]]] = []
    for p, d, km in sorted(found, key=lambda t: (t[1], t[0].ref)):
        twin = next((o for o in out if _same_station(o[0], p)), None)
        if twin is not None:
            if p.source not in twin[3]:
                twin[3].append(p.source)
            continue
        out.append((p, d, km, [p.source]))
    out.sort(key=lambda t: (t[2], t[0].ref))
    return [{"name": _clean(p.name), "distance_m": round(d), "km": round(km, 2),
             "coordinates": [round(p.lon, 6), round(p.lat, 6)], "osm": p.ref if not p.ref.startswith("poi/") else None,
             "sources": sorted(src)} for p, d, km, src in out]


def _same_station(a: Place, b: Place) -> bool:
    from radweg.geometry import distance_m

    d = distance_m((a.lon, a.lat), (b.lon, b.lat))
    if d <= 50.0:
        return True
    if a.name and b.name and d <= 800.0:
        na, nb = (re.sub(r"\b(bahnhof|bf|hbf|haltepunkt)\b|[^a-z0-9äöüß]+", " ", x.lower()).split()
                  for x in (a.name, b.name))
        return bool(na) and (na == nb or set(na) <= set(nb) or set(nb) <= set(na))
    return False


def transit(ctx: Context, listed: Sequence[dict[str, Any]], start: tuple[float, float],
            end: tuple[float, float]) -> Indicator:
    from radweg.geometry import distance_m

    ind = Indicator("oepnv", "stations", "Bahnhöfe und Haltepunkte / railway stations and halts",
                    {"within_2km": len(listed)},
                    "railway=station|halt of the OSM extracts, Geofabrik 'railway_station'/'railway_halt', the "
                    "project's 'bahnhof' POIs",
                    f"a stage whose start or end has no station within {STATION_RADIUS_M / 1000:.0f} km is flagged")
    if not ctx.sources.of("station"):
        ind.no_data = "no stations in the data given"
        return ind
    for label, pt, km in (("start", start, ctx.along.start_km), ("end", end,
                                                               ctx.along.start_km + ctx.along.length_m / 1000)):
        near = min((distance_m(pt, (p.lon, p.lat)) for p in ctx.sources.of("station")), default=math.inf)
        ind.figures[f"nearest_to_{label}_m"] = None if near == math.inf else round(near)
        if near > STATION_RADIUS_M:
            ind.flags.append(Flag(km, pt[0], pt[1], f"no station within 2 km of the stage {label}"))
    return ind


# ------------------------------------------------------------------ Datenqualität


def data_quality(ctx: Context) -> Indicator:
    """Mapping problems near the line: dead ends just short of another way, missing surface and speed tags."""
    import numpy as np
    import shapely
    from shapely.geometry import LineString, Point

    ind = Indicator("datenqualitaet", "corridor", "Datenqualität im Korridor / data quality in the corridor", {},
                    f"the street network '{ctx.network_name}' within {CORRIDOR_M:.0f} m of the line",
                    f"every dead end within {UNDERSHOOT_M:.0f} m of a way it does not join (an undershoot: a gap or "
                    "a mapping error?) is flagged")
    if ctx.graph is None:
        ind.no_data = "no street network (use --network NAME)"
        return ind
    G = ctx.graph
    lons = [s.lon for s in ctx.samples]
    lats = [s.lat for s in ctx.samples]
    pad = 0.004
    edges = edges_near(G, (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad))
    frame = ctx.along.frame
    geoms = [LineString(frame.to_xy(c)) for _, c in edges]
    dists = shapely.distance(np.array(geoms, dtype=object), ctx.along.lines) if geoms else np.array([])
    near = [k for k, d in enumerate(dists) if d <= CORRIDOR_M]
    km_total = sum(float(edges[k][0].get("length") or 0.0) for k in near) / 1000
    no_surface = sum(float(edges[k][0].get("length") or 0.0) for k in near
                     if not edges[k][0].get("surface") and not edges[k][0].get("tracktype")) / 1000
    motor = [k for k in near if traffic_class(edges[k][0]) in ("minor_road", "major_road")]
    no_speed = sum(float(edges[k][0].get("length") or 0.0) for k in motor
                   if not isinstance(edges[k][0].get("maxspeed"), int)) / 1000
    ends: set[Any] = set()
    for k in near:
        ends.update(n for n in (edges[k][0].get("u"), edges[k][0].get("v")) if n is not None)
    tree = shapely.STRtree(geoms) if geoms else None
    dead = 0
    for node in sorted(ends, key=str):
        nbrs = set(G.successors(node)) | set(G.predecessors(node))
        nbrs.discard(node)
        if len(nbrs) != 1:
            continue
        x, y = frame.to_xy([(G.nodes[node]["x"], G.nodes[node]["y"])])[0]
        pt = Point(x, y)
        if float(shapely.distance(ctx.along.lines, pt)) > CORRIDOR_M:
            continue
        dead += 1
        assert tree is not None
        own = {j for j, (d, _) in enumerate(edges) if node in (d.get("u"), d.get("v"))}
        for j in tree.query(pt, predicate="dwithin", distance=UNDERSHOOT_M):
            if int(j) in own:
                continue
            other = edges[int(j)][0]
            gap = float(shapely.distance(geoms[int(j)], pt))
            lon, lat = G.nodes[node]["x"], G.nodes[node]["y"]
            _, (km,) = ctx.along.locate([(lon, lat)])
            name = _clean(other.get("name") or other.get("ref")) or other.get("highway")
            ind.flags.append(Flag(km, lon, lat, f"dead end {gap:.1f} m from {name} (way {other.get('osmid')}) "
                                                "without joining it"))
            break
    ind.flags.sort(key=lambda f: (f.km, f.lon, f.lat))
    ind.figures = {"km_of_ways": round(km_total, 2), "km_without_surface": round(no_surface, 2),
                   "km_motor_roads_without_maxspeed": round(no_speed, 2), "dead_ends": dead,
                   "undershoots": len(ind.flags)}
    return ind
