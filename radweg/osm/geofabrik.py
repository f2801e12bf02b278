"""POIs from Geofabrik's free OpenStreetMap shapefiles ("OSM data in layered GIS format").

A layer is a ``.shp`` (with its ``.dbf``, ``.shx``, ``.prj``), a ``.zip``
holding one or more layers, or a GeoJSON export of a layer; each feature has
``osm_id``, ``code``, ``fclass`` and ``name``. Point layers
(``gis_osm_pois_free_1``, ``gis_osm_transport_free_1``, ``gis_osm_natural_free_1``
…) give nodes; area layers (``…_a_free_1``) give a representative point
inside the polygon. The ``fclass`` becomes a radweg POI type by
:data:`FCLASS_TYPES` (and :func:`fclass_type` for peaks named as heaps);
other classes are left out. The candidates are :class:`radweg.osm.features.Candidate`
objects, so the de-duplication of :func:`radweg.osm.features.plan` applies.

Area layers do not say whether an area was a closed way or a multipolygon
relation, so their features get the ``osm_id`` ``area/ID``; point features are
``node/ID``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from radweg.errors import DataError, Problem
from radweg.osm import GEOFABRIK_SUFFIXES
from radweg.osm.features import Candidate

FCLASS_TYPES: dict[str, str] = {
    "museum": "museum",
    "viewpoint": "aussicht", "observation_tower": "aussicht",
    "railway_station": "bahnhof", "railway_halt": "bahnhof",
    "hotel": "unterkunft", "guesthouse": "unterkunft", "guest_house": "unterkunft", "hostel": "unterkunft",
    "camp_site": "unterkunft", "chalet": "unterkunft", "motel": "unterkunft", "alpine_hut": "unterkunft",
    "caravan_site": "unterkunft",
    "restaurant": "gastronomie", "cafe": "gastronomie", "pub": "gastronomie", "biergarten": "gastronomie",
    "fast_food": "gastronomie",
    "bicycle_shop": "radservice", "bicycle_rental": "radservice",
    "drinking_water": "trinkwasser",
    "tourist_info": "touristinfo",
    "shelter": "unterstand",
    "ruins": "denkmal", "memorial": "denkmal", "monument": "denkmal", "archaeological": "denkmal",
}
"""Geofabrik ``fclass`` -> radweg POI type (see docs/data.md); ``peak`` is a heap only by its name."""

HEAP_NAME = re.compile(r"halde", re.IGNORECASE)
"""A ``peak`` whose name says Halde (spoil heap): "Halde Thälmannschacht", "Schachthalde Hohe Linde",
also "Kalihalde …" (potash), which are heaps all the same."""

SUFFIXES = GEOFABRIK_SUFFIXES
"""Files read as Geofabrik layers; GeoJSON exports are recognised by their ``fclass`` properties."""


def fclass_type(fclass: str | None, name: str | None) -> str | None:
    """The POI type of a Geofabrik feature, or None when radweg has no use for it."""
    if fclass == "peak":
        return "halde" if name and HEAP_NAME.search(name) else None
    return FCLASS_TYPES.get(fclass or "")


@dataclass(frozen=True)
class Layer:
    """One layer read from a file: its name, its features as candidates, and its extract date (if known)."""

    name: str
    candidates: list[Candidate]
    extracted: date | None


def is_geofabrik_geojson(obj: Any) -> bool:
    """True for a GeoJSON FeatureCollection whose features carry Geofabrik's ``osm_id`` and ``fclass``."""
    if not isinstance(obj, dict) or not isinstance(obj.get("features"), list) or not obj["features"]:
        return False
    props = [f.get("properties") for f in obj["features"] if isinstance(f, dict)]
    return all(isinstance(p, dict) and "fclass" in p and "osm_id" in p and "type" not in p for p in props)


def read_layers(path: Path, *, bbox: tuple[float, float, float, float] | None = None) -> list[Layer]:
    """Every layer of a ``.zip``, ``.shp`` or GeoJSON file, as candidates of the mapped types (sorted by id).

    ``bbox`` (W, S, E, N in lon/lat) keeps only features inside it. Raises
    DataError naming the file for a file that is not such a layer.
    """
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    file = str(path)
    if not path.is_file():
        raise DataError(Problem(file, "no such file"))
    try:
        names = [str(n) for n, _ in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError) as exc:
        raise DataError(Problem(file, f"not a readable Shapefile or GeoJSON layer: {exc}")) from exc
    layers = []
    for name in names:
        try:
            info = pyogrio.read_info(path, layer=name)
            fields = {str(f) for f in info["fields"]}
            if not {"osm_id", "fclass"} <= fields:
                raise DataError(Problem(file, f"layer {name} has no osm_id and fclass fields: not a Geofabrik "
                                              "layer", field="fclass"))
            frame = pyogrio.read_dataframe(path, layer=name, columns=["osm_id", "fclass", "name"]
                                           if "name" in fields else ["osm_id", "fclass"])
        except (DataSourceError, DataLayerError) as exc:
            raise DataError(Problem(file, f"cannot read layer {name}: {exc}")) from exc
        if info.get("crs") not in (None, "EPSG:4326") and len(frame):
            frame = frame.to_crs(4326)
        layers.append(Layer(name, _candidates(frame, file, name, bbox), extract_date(path, name)))
    return layers


def _candidates(frame: Any, file: str, layer: str,
                bbox: tuple[float, float, float, float] | None) -> list[Candidate]:
    out: dict[str, Candidate] = {}
    for i, row in enumerate(frame.itertuples(index=False)):
        rec = row._asdict()
        name = _text(rec.get("name"))
        fclass = _text(rec["fclass"])
        kind = fclass_type(fclass, name)
        geom = rec["geometry"]
        if kind is None or geom is None or geom.is_empty:
            continue
        osm_id = _text(rec["osm_id"]) or ""
        if not osm_id.isdigit() or osm_id.startswith("0"):
            raise DataError(Problem(file, f"{osm_id!r} is not an OSM id", feature=f"{layer} #{i}", field="osm_id"))
        if geom.geom_type == "Point":
            ref, pt = f"node/{osm_id}", geom
        else:
            ref, pt = f"area/{osm_id}", geom.representative_point()
        if bbox is not None and not (bbox[0] <= pt.x <= bbox[2] and bbox[1] <= pt.y <= bbox[3]):
            continue
        # a node can be listed once per class (a monument that is also an artwork): the first mapped one counts
        out.setdefault(ref, Candidate(ref, kind, name, (pt.x, pt.y), {"fclass": fclass or ""}))
    return sorted(out.values(), key=lambda c: (c.osm.split("/")[0] != "node", int(c.osm.split("/")[1])))


def _text(value: Any) -> str | None:
    """A field's text; None for empty and missing values (pandas reads those as None or NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def extract_date(path: Path, layer: str) -> date | None:
    """When the layer was extracted: the date of its ``.shp`` inside a Geofabrik ``.zip``; None otherwise.

    The ``.dbf`` header's date is no help: the shapefile library that writes
    the layers always puts 1995-07-26 there. A loose ``.shp``'s file time says
    when it was copied, not extracted, so it is not used either.
    """
    if path.suffix.lower() != ".zip":
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            info = next((i for i in zf.infolist() if Path(i.filename).stem == layer
                         and i.filename.lower().endswith(".shp")), None)
    except (OSError, zipfile.BadZipFile):
        return None
    if info is None:
        return None
    y, m, d = info.date_time[:3]
    return date(y, m, d)


def source_text(path: Path, layers: Iterable[Layer]) -> str:
    """The ``source`` of imported POIs: the extract, its date, and the licence."""
    names = [lay.name for lay in layers]
    dates = sorted({lay.extracted.isoformat() for lay in layers if lay.extracted is not None})
    when = f" vom {dates[-1]}" if dates else ""
    return (f"OpenStreetMap, Geofabrik-Auszug {', '.join(names) or path.name}{when}; "
            "© OpenStreetMap contributors (ODbL)")


_HEAP_WORDS = re.compile(r"spitzkegelhalde|schachthalde|suedhalde|nordhalde|halde|\bder\b|\bdes\b")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def heap_core(name: str) -> list[str]:
    """The distinctive part of a heap's name, and of each name in brackets: "Spitzkegelhalde
    Ernst-Thälmann-Schacht (Vitzthumschacht)" -> ["ernstthaelmannschacht", "vitzthumschacht"]."""
    text = name.lower().translate(_UMLAUTS)
    parts = [text.split("(")[0]] + re.findall(r"\(([^)]*)\)", text)
    cores = [re.sub(r"[^a-z0-9]", "", _HEAP_WORDS.sub(" ", p)) for p in parts]
    return [c for c in cores if len(c) >= 4]


def heap_names_match(a: str, b: str) -> bool:
    """True when two heap names share their distinctive part (one contains the other, or nearly equal)."""
    import difflib

    for x in heap_core(a):
        for y in heap_core(b):
            short, long_ = sorted((x, y), key=len)
            if len(short) >= 6 and short in long_:
                return True
            if difflib.SequenceMatcher(None, x, y).ratio() >= 0.85:
                return True
    return False


@dataclass(frozen=True)
class HeapMatch:
    """A heap POI and the OSM peak that is the same heap (or None), with their distance."""

    poi_id: str
    candidate: Candidate | None
    distance_m: float | None


def match_heaps(heaps: Iterable[Any], candidates: Iterable[Candidate], *, max_m: float = 1000.0) -> list[HeapMatch]:
    """For each heap POI (``id``, ``name``, ``coords``), the nearest heap candidate within ``max_m`` whose
    name matches (:func:`heap_names_match`); each candidate is used once, nearest pairs first."""
    from radweg.geometry import distance_m

    heaps = list(heaps)
    cands = [c for c in candidates if c.type == "halde" and c.name]
    pairs = sorted((distance_m(h.coords, c.coords), h.id, c.osm, c) for h in heaps for c in cands
                   if heap_names_match(h.name, c.name or ""))
    taken: dict[str, tuple[Candidate, float]] = {}
    used: set[str] = set()
    for d, hid, osm, c in pairs:
        if d <= max_m and hid not in taken and osm not in used:
            taken[hid] = (c, d)
            used.add(osm)
    return [HeapMatch(h.id, *taken[h.id]) if h.id in taken else HeapMatch(h.id, None, None) for h in heaps]
