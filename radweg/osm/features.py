"""Heritage and cyclist POIs from OSM tags, and de-duplication against the POIs already in the data.

Tag mapping (first match wins; see :data:`RULES`): mine shafts, adits, spoil
heaps, smelters, memorials and monuments, museums, viewpoints, places to stay,
railway stations, drinking water, bicycle repair and shops. Ways and areas
become their centroid. Unnamed objects get a German label ("Trinkwasser").

De-duplication (:func:`plan`): a candidate is

* ``skip`` when an existing POI already carries its OSM id and nothing new;
* ``merge`` into an existing POI within ``radius_m`` whose name is similar
  (≥ 0.6, or ≥ 0.85 within 3 × radius_m for big objects such as heaps), or,
  for a candidate without a name of its own, of the same type within ``radius_m``; merging only fills
  empty fields (website, description, height) and records the OSM id;
* ``add`` otherwise. Candidates are also checked against each other (a museum
  mapped as a node and as a building is added once).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from radweg.errors import DataError, Problem
from radweg.model import Poi, slugify
from radweg.osm.filter import osm_error, osm_failures

Rule = tuple[str, frozenset[str], str]
RULES: tuple[Rule, ...] = (
    ("man_made", frozenset({"mineshaft"}), "schacht"),
    ("historic", frozenset({"mine_shaft", "mine"}), "schacht"),
    ("man_made", frozenset({"adit"}), "stollen"),
    ("historic", frozenset({"mine_adit"}), "stollen"),
    ("man_made", frozenset({"spoil_heap"}), "halde"),
    ("natural", frozenset({"spoil_heap"}), "halde"),
    ("landuse", frozenset({"spoil_heap"}), "halde"),
    ("historic", frozenset({"spoil_heap", "heap"}), "halde"),
    ("industrial", frozenset({"smelter", "metallurgy", "foundry"}), "huette"),
    ("historic", frozenset({"memorial", "monument"}), "denkmal"),
    ("tourism", frozenset({"museum"}), "museum"),
    ("tourism", frozenset({"viewpoint"}), "aussicht"),
    ("tourism", frozenset({"hotel", "guest_house", "camp_site", "hostel", "alpine_hut", "chalet", "apartment",
                           "wilderness_hut"}), "unterkunft"),
    ("railway", frozenset({"station", "halt"}), "bahnhof"),
    ("amenity", frozenset({"drinking_water"}), "trinkwasser"),
    ("amenity", frozenset({"bicycle_repair_station"}), "radservice"),
    ("shop", frozenset({"bicycle"}), "radservice"),
)
"""(key, values, POI type): OSM tags that make a radweg POI."""

LABELS = {
    "schacht": "Schacht", "stollen": "Stollenmundloch", "halde": "Halde", "huette": "Hütte", "denkmal": "Denkmal",
    "museum": "Museum", "aussicht": "Aussichtspunkt", "unterkunft": "Unterkunft", "bahnhof": "Bahnhof",
    "trinkwasser": "Trinkwasser", "radservice": "Fahrrad-Reparaturstation", "gastronomie": "Gastronomie",
    "touristinfo": "Info-Punkt", "unterstand": "Schutzhütte", "other": "Ort",
}


def poi_type(tags: dict[str, str]) -> str | None:
    """The radweg POI type for a set of OSM tags, or None when the object is not a POI."""
    for key, values, kind in RULES:
        if tags.get(key) in values:
            return kind
    return None


@dataclass
class Candidate:
    """A POI found in the extract."""

    osm: str  # "node/123", "way/45", "relation/6"
    type: str
    name: str | None
    coords: tuple[float, float]
    tags: dict[str, str]

    @property
    def label(self) -> str:
        if self.type == "bahnhof" and self.name and not re.search(r"bahnhof|bf\b|haltepunkt", self.name.lower()):
            return f"Bahnhof {self.name}"
        return self.name or LABELS[self.type]


def read_candidates(path: Path, *, types: Iterable[str] | None = None,
                    bbox: tuple[float, float, float, float] | None = None) -> list[Candidate]:
    """Every object of the file that maps to a POI type; areas as their centroid. Sorted by OSM id.

    Areas (closed ways, multipolygons) need a file sorted by type and id; for an
    unsorted file (e.g. saved by an editor), closed ways fall back to the centroid
    of their ring and multipolygon relations are left out.
    """
    if not path.is_file():
        raise DataError(Problem(str(path), "no such file"))
    from radweg.osm import josm

    allowed = set(types) if types else None
    found = list(_scan_josm(josm.read(path), allowed)) if josm.needs_reader(path) else _scan_file(path, allowed)
    if bbox is not None:
        found = [c for c in found if bbox[0] <= c.coords[0] <= bbox[2] and bbox[1] <= c.coords[1] <= bbox[3]]
    order = {"node": 0, "way": 1, "relation": 2}
    unique = {c.osm: c for c in found}
    return sorted(unique.values(), key=lambda c: (order[c.osm.split("/")[0]], int(c.osm.split("/")[1])))


def _scan_file(path: Path, allowed: set[str] | None) -> list[Candidate]:
    """Candidates read with pyosmium: areas first, ring centroids for an unsorted file."""
    try:
        found = list(_scan(path, allowed, areas=True))
    except osm_failures() as exc:
        if "out of order" not in str(exc):
            raise osm_error(path, exc) from exc
        try:
            found = list(_scan(path, allowed, areas=False))
        except osm_failures() as exc2:
            raise osm_error(path, exc2) from exc2
    return found


def _scan_josm(data: Any, allowed: set[str] | None) -> Iterator[Candidate]:
    """Candidates of a file read by :mod:`radweg.osm.josm`: nodes, and ways as the centroid of their line or ring."""
    from shapely.geometry import LineString, Polygon

    for node in data.nodes.values():
        kind = poi_type(node.tags)
        if kind is not None and (allowed is None or kind in allowed):
            yield Candidate(f"node/{node.id}", kind, node.tags.get("name"), (node.lon, node.lat), node.tags)
    for way in data.ways.values():
        kind = poi_type(way.tags)
        if kind is None or (allowed is not None and kind not in allowed):
            continue
        _, pts = data.way_coords(way)
        if not pts:
            continue
        if len(pts) == 1:
            coords = pts[0]
        else:
            closed = way.refs[0] == way.refs[-1] and len(pts) >= 4
            c = (Polygon(pts) if closed else LineString(pts)).centroid
            coords = (c.x, c.y)
        yield Candidate(f"way/{way.id}", kind, way.tags.get("name"), coords, way.tags)


def _scan(path: Path, allowed: set[str] | None, *, areas: bool) -> Iterator[Candidate]:
    import osmium
    from shapely import wkb as shp_wkb
    from shapely.geometry import LineString, Polygon

    keys = sorted({key for key, _, _ in RULES})
    factory = osmium.geom.WKBFactory()
    fp = osmium.FileProcessor(str(path)).with_locations()
    if areas:
        fp = fp.with_areas()
    for obj in fp.with_filter(osmium.filter.KeyFilter(*keys)):
        tags = {t.k: t.v for t in obj.tags}
        kind = poi_type(tags)
        if kind is None or (allowed is not None and kind not in allowed):
            continue
        if isinstance(obj, osmium.osm.Node):
            if obj.location.valid():
                yield Candidate(f"node/{obj.id}", kind, tags.get("name"), (obj.location.lon, obj.location.lat), tags)
        elif isinstance(obj, osmium.osm.Area):
            try:
                c = shp_wkb.loads(bytes.fromhex(factory.create_multipolygon(obj))).centroid
            except RuntimeError:
                continue
            ref = f"{'way' if obj.from_way() else 'relation'}/{obj.orig_id()}"
            yield Candidate(ref, kind, tags.get("name"), (c.x, c.y), tags)
        elif isinstance(obj, osmium.osm.Way):
            closed = obj.is_closed()
            if closed and areas:
                continue  # closed ways come again as areas
            pts = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if not pts:
                continue
            if len(pts) == 1:
                coords = pts[0]
            else:
                geom = Polygon(pts) if closed and len(pts) >= 4 else LineString(pts)
                c = geom.centroid if not geom.is_empty else LineString(pts).centroid
                coords = (c.x, c.y)
            yield Candidate(f"way/{obj.id}", kind, tags.get("name"), coords, tags)


_UML = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STOP = {"der", "die", "das", "am", "im", "an", "in", "von", "und", "zu", "zum", "zur", "bei", "ehemalige", "ehem"}


def _tokens(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", name.lower().translate(_UML))
    return [w for w in words if w not in _STOP]


def name_similarity(a: str, b: str) -> float:
    """0..1: how alike two names are (character ratio, or word containment for names of ≥ 2 words)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    contained = sum(1 for w in short if w in long_) / len(short) if len(short) >= 2 else 0.0
    return max(ratio, contained)


def to_poi(c: Candidate, poi_id: str, source: str) -> Poi:
    """A new POI from a candidate."""
    t = c.tags
    height = None
    if c.type == "halde" and t.get("height"):
        try:
            height = float(t["height"].replace("m", "").strip())
        except ValueError:
            height = None
    return Poi(
        id=poi_id, name=c.label, type=c.type, coords=(round(c.coords[0], 6), round(c.coords[1], 6)),
        description=t.get("description:de") or t.get("description") or t.get("inscription"),
        description_en=t.get("description:en"), height_m=height,
        website=t.get("website") or t.get("contact:website") or t.get("url"), source=source, osm_id=c.osm,
    )


def osm_of(poi: Poi) -> str | None:
    """A POI's OpenStreetMap object: its ``osm_id``, else the ``osm`` property older imports wrote."""
    legacy = poi.extra.get("osm")
    return poi.osm_id or (legacy if isinstance(legacy, str) and legacy else None)


@dataclass
class Action:
    """What importing one candidate does: add, merge into an existing POI, or skip."""

    action: str
    candidate: Candidate
    poi: Poi  # the new POI (add) or the updated existing one (merge/skip)
    match: str | None = None
    distance_m: float | None = None
    similarity: float | None = None
    filled: list[str] = field(default_factory=list)


def plan(existing: list[Poi], candidates: list[Candidate], *, source: str, radius_m: float = 100.0) -> list[Action]:
    """Decide for each candidate: add, merge or skip (see the module docstring)."""
    from radweg.geometry import distance_m

    pool: dict[str, Poi] = {p.id: p for p in existing}
    by_osm = {osm_of(p): p.id for p in existing if osm_of(p)}
    actions: list[Action] = []
    for c in candidates:
        if c.osm in by_osm:
            actions.append(Action("skip", c, pool[by_osm[c.osm]], by_osm[c.osm], 0.0, 1.0))
            continue
        best: tuple[float, Poi, float] | None = None
        for p in pool.values():
            d = distance_m(p.coords, c.coords)
            if d > 3 * radius_m:
                continue
            if c.name:
                sim = name_similarity(c.name, p.name)
                same = (d <= radius_m and sim >= 0.6) or sim >= 0.85
            else:
                sim = 1.0 if p.type == c.type else 0.0
                same = d <= radius_m and sim == 1.0
            if same and (best is None or (d, -sim) < (best[0], -best[2])):
                best = (d, p, sim)
        if best is None:
            base = slugify(c.label, fallback=c.type)
            pid = base if base not in pool and c.name else f"{base}-{c.osm.replace('/', '-')}"
            n = 2
            while pid in pool:
                pid, n = f"{base}-{c.osm.replace('/', '-')}-{n}", n + 1
            poi = to_poi(c, pid, source)
            pool[pid] = poi
            by_osm[c.osm] = pid
            actions.append(Action("add", c, poi))
            continue
        d, p, sim = best
        new = to_poi(c, p.id, source)
        filled = [f for f in ("description", "description_en", "height_m", "website")
                  if getattr(p, f) in (None, "") and getattr(new, f) not in (None, "")]
        changes: dict[str, Any] = {f: getattr(new, f) for f in filled}
        if not osm_of(p):
            changes["osm_id"] = c.osm
            filled.append("osm_id")
        merged = replace(p, **changes)
        pool[p.id] = merged
        by_osm[c.osm] = p.id
        actions.append(Action("merge" if filled else "skip", c, merged, p.id, d, sim, filled))
    return actions
