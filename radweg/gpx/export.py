"""What goes into which GPX file: whole tours, stages, segments, routes, the ZIP bundle.

File names inside ``out_dir`` (``T`` is the tour id as a slug, ``-gegenrichtung``
appended with ``reverse``; ``NN`` counts in riding order)::

    T.gpx                     whole tour, track (one trkseg per connected piece)
    T.route.gpx               whole tour, route capped at max_points    (as_route)
    T-NN-STAGE.gpx            one stage, track                          (per_stage)
    T-NN-STAGE.route.gpx      one stage, route                          (per_stage and as_route)
    T-seg-NN-SEGMENT.gpx      one leg of the tour, track                (per_segment)
    T.zip                     every file above of that tour             (bundle)

Every file carries the corridor POIs as ``wpt`` (Garmin-safe ``sym``, a
``type``), and metadata with name, description, author, copyright/licence
and attribution, link, keywords and bounds. All names are slugs and every
path is checked to stay inside ``out_dir``. Output is byte-identical for the
same data; ``metadata/time`` is written only with ``timestamp=True`` or when
``SOURCE_DATE_EPOCH`` is set (then that time is used).
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from radweg.errors import DataError, OutputPathError, StorageError
from radweg.gpx.xmlio import Link, Metadata, Path_, Waypoint, write_gpx
from radweg.io.paths import inside
from radweg.model import Dataset, Line, Poi, Segment, Tour, slugify

log = logging.getLogger(__name__)

KINDS = ("tour", "stage", "segment", "route", "zip")

GARMIN_SYMBOLS: dict[str, str] = {
    "halde": "Summit", "schacht": "Mine", "museum": "Museum", "huette": "Building", "stollen": "Tunnel",
    "denkmal": "Civil", "bahnhof": "Flag, Blue", "aussicht": "Scenic Area", "unterkunft": "Lodging",
    "gastronomie": "Restaurant", "trinkwasser": "Drinking Water", "radservice": "Bike Trail", "other": "Pin, Blue",
}
"""POI type -> a symbol name from Garmin's standard waypoint set (shown by Garmin, OsmAnd, Locus …)."""

POI_TYPE_LABELS: dict[str, str] = {
    "halde": "Halde", "schacht": "Schacht", "museum": "Museum", "huette": "Hütte", "stollen": "Stollen",
    "denkmal": "Denkmal", "bahnhof": "Bahnhof", "aussicht": "Aussicht", "unterkunft": "Unterkunft",
    "gastronomie": "Gastronomie", "trinkwasser": "Trinkwasser", "radservice": "Radservice", "other": "Sonstiges",
}
"""POI type -> the German label written to ``wpt/type`` (read back by the GPX importer)."""

STATUS_LABELS = {"existing": "befahrbar", "planned": "geplant", "construction": "im Bau", "closed": "gesperrt"}

ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0)"
_OSM_SOURCE = re.compile(r"openstreetmap|\bosm\b", re.IGNORECASE)


@dataclass(frozen=True)
class ExportedFile:
    """One file written by :func:`export_gpx`."""

    path: Path
    kind: str  # "tour" | "stage" | "segment" | "route" | "zip"
    tour_id: str
    stage_id: str | None
    points: int
    max_deviation_m: float
    waypoints: int = 0
    points_before: int = 0


@dataclass(frozen=True)
class _Options:
    as_route: bool
    max_points: int
    track_max_points: int | None
    simplify_m: float | None
    reverse: bool
    corridor_m: float
    time: str | None


def export_gpx(ds: Dataset, out_dir: Path, *, tour_ids: Sequence[str] | None = None, per_stage: bool = True,
               per_segment: bool = False, as_route: bool = False, max_points: int = 250,
               simplify_m: float | None = None, reverse: bool = False, corridor_m: float = 500.0,
               bundle: bool = True, track_max_points: int | None = None, timestamp: bool = False,
               dem_path: Path | None = None, write: bool = True) -> list[ExportedFile]:
    """Write GPX files for tours (all tours when ``tour_ids`` is None); see the module doc for names.

    ``as_route`` also writes ``rte`` files capped at ``max_points``;
    ``simplify_m`` bounds the deviation of tracks and routes;
    ``track_max_points`` caps tracks too. Caps always hold; the deviation they
    cost is reported per file. ``dem_path`` (a GeoTIFF) replaces elevations by
    the DEM's, sampled every 20 m. Nothing is written if anything fails.
    """
    from radweg.data.edit import find

    if max_points < 2:
        raise DataError(f"max_points must be at least 2, not {max_points}")
    if simplify_m is not None and simplify_m <= 0:
        raise DataError(f"simplify_m must be a positive number of metres, not {simplify_m}")
    if corridor_m < 0:
        raise DataError(f"corridor_m must not be negative, not {corridor_m}")
    tours = [find(ds.tours, "tours", t) for t in tour_ids] if tour_ids is not None else list(ds.tours.items)
    opts = _Options(as_route, max_points, track_max_points, simplify_m, reverse, corridor_m,
                    metadata_time(timestamp))
    if dem_path is not None:
        ds = _with_dem(ds, tours, Path(dem_path))
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise StorageError(f"{out_dir}: exists and is not a folder")
    files: list[tuple[ExportedFile, bytes]] = []
    used: set[str] = set()
    for tour in sorted(tours, key=lambda t: t.id):
        files += _tour_files(ds, tour, out_dir, opts, per_stage, per_segment, bundle, used)
    if write and files:
        from radweg.io.atomic import write_many_atomic

        out_dir.mkdir(parents=True, exist_ok=True)
        for f, _ in files:
            safe_path(out_dir, f.path.name)
        write_many_atomic([(f.path, data) for f, data in files])
    return [f for f, _ in files]


def _with_dem(ds: Dataset, tours: Sequence[Tour], dem_path: Path) -> Dataset:
    """A copy of the dataset whose tour segments carry DEM elevations (densified to 20 m)."""
    from dataclasses import replace

    from radweg.elevation import Dem, drape
    from radweg.model import Collection

    used = {leg.segment for t in tours for leg in t.legs}
    with Dem(dem_path) as dem:
        items = [replace(s, coords=drape(s.coords, dem)) if s.id in used else s for s in ds.segments.items]
    return replace(ds, segments=Collection(items, ds.segments.metadata))


def metadata_time(timestamp: bool) -> str | None:
    """``SOURCE_DATE_EPOCH`` as xsd:dateTime if set; the current time with ``timestamp``; else None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip():
        try:
            when = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise DataError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds") from None
    elif timestamp:
        when = datetime.now(UTC)
    else:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def safe_path(out_dir: Path, name: str) -> Path:
    """``out_dir / name``, refusing anything that would land outside ``out_dir``."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        raise OutputPathError(f"refusing file name {name!r}: not a plain file name")
    target = inside(out_dir, name)
    if target.parent != out_dir.resolve():  # e.g. a symlink into a subfolder: still not a plain file here
        raise OutputPathError(f"refusing to write {name!r}: it resolves to {target}, not a file in {out_dir}")
    return out_dir / name


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.partition(".")
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}{dot}{ext}", n + 1
    used.add(candidate)
    return candidate


# ---------------------------------------------------------------- per tour


def _tour_files(ds: Dataset, tour: Tour, out_dir: Path, opts: _Options, per_stage: bool, per_segment: bool,
                bundle: bool, used: set[str]) -> list[tuple[ExportedFile, bytes]]:
    from radweg.tours.parts import locate_stages, reverse_parts, tour_geometry

    segs = ds.segment_map()
    geo = tour_geometry(tour, segs)
    base = slugify(tour.id, fallback="tour") + ("-gegenrichtung" if opts.reverse else "")
    used_segments = [segs[leg.segment] for leg in tour.legs]
    ctx = _Context(ds, tour, used_segments, opts)
    out: list[tuple[ExportedFile, bytes]] = []

    def orient(parts: tuple[Line, ...]) -> tuple[Line, ...]:
        return reverse_parts(parts) if opts.reverse else parts

    def emit(kind: str, name: str, stage_id: str | None, title: str, desc: list[str], parts: tuple[Line, ...],
             route_name: str | None) -> None:
        out.append(ctx.file(out_dir, _unique(f"{name}.gpx", used), kind, stage_id, title, desc, parts))
        if route_name is not None:
            out.append(ctx.file(out_dir, _unique(f"{route_name}.route.gpx", used), "route", stage_id, title,
                                desc, parts))

    title = tour.name + (" (Gegenrichtung)" if opts.reverse else "")
    whole = orient(geo.pieces)
    emit("tour", base, None, title, ctx.tour_desc(whole), whole, base if opts.as_route else None)
    if per_stage and tour.stages:
        positions = locate_stages(tour, geo)
        order = list(reversed(positions)) if opts.reverse else positions
        for n, pos in enumerate(order, 1):
            stage = pos.stage
            parts = orient(geo.between(pos.start_m, pos.end_m))
            if not parts:
                log.warning("tour '%s': stage '%s' has no length on the tour; no file written", tour.id, stage.id)
                continue
            sname = (f"{stage.end.name} – {stage.start.name}" if opts.reverse and stage.start.name
                     and stage.end.name else stage.name)
            stitle = f"{tour.name}: Etappe {n}: {sname}" + (" (Gegenrichtung)" if opts.reverse else "")
            sbase = f"{base}-{n:02d}-{slugify(sname, fallback='etappe')}"
            emit("stage", sbase, stage.id, stitle, ctx.stage_desc(stage, parts, opts.reverse), parts,
                 sbase if opts.as_route else None)
    if per_segment:
        from radweg.tours.line import leg_lines

        legs = list(zip(tour.legs, leg_lines(tour, segs), strict=False))
        if opts.reverse:
            legs.reverse()
        for n, (leg, line) in enumerate(legs, 1):
            seg = segs[leg.segment]
            emit("segment", f"{base}-seg-{n:02d}-{slugify(seg.id, fallback='segment')}", None,
                 f"{tour.name}: {n}. {seg.name}", ctx.segment_desc(seg), orient((line,)), None)
    if bundle:
        zname = _unique(f"{base}.zip", used)
        data = zip_bytes([(f.path.name, b) for f, b in out])
        out.append((ExportedFile(safe_path(out_dir, zname), "zip", tour.id, None, sum(f.points for f, _ in out),
                                 max((f.max_deviation_m for f, _ in out), default=0.0)), data))
    return out


def zip_bytes(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A deterministic ZIP: sorted names, fixed time stamps (SOURCE_DATE_EPOCH or 1980-01-01), mode 0644."""
    import zipfile

    stamp = (1980, 1, 1, 0, 0, 0)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        when = datetime.fromtimestamp(int(epoch), UTC)
        if when.year >= 1980:
            stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()


class _Context:
    """What the files of one tour share: POIs, metadata texts, options."""

    def __init__(self, ds: Dataset, tour: Tour, segments: list[Segment], opts: _Options) -> None:
        self.ds = ds
        self.tour = tour
        self.segments = segments
        self.opts = opts
        self.project = ds.project or {}
        self._wpt_cache: dict[int, tuple[tuple[Line, ...], tuple[list[Poi], list[Waypoint]]]] = {}

    # -- texts

    def _osm(self, pois: Sequence[Poi]) -> bool:
        if self.project.get("osm_data"):
            return True
        sources = [s.source for s in self.segments] + [p.source for p in pois]
        return any(s and _OSM_SOURCE.search(s) for s in sources)

    def _status_km(self, parts: Sequence[Line]) -> str:
        from radweg.geometry import line_length_m

        total = sum(line_length_m(p) for p in parts) / 1000.0
        return f"{total:.1f} km".replace(".", ",")

    def tour_desc(self, parts: tuple[Line, ...]) -> list[str]:
        from radweg.geometry import line_length_m

        lines = [t for t in (self.tour.description, self.tour.description_en) if t]
        by: dict[str, float] = {}
        for seg in self.segments:
            by[seg.status] = by.get(seg.status, 0.0) + line_length_m(seg.coords) / 1000.0
        km = self._status_km(parts)
        if len(by) > 1 or "existing" not in by:
            shares = ", ".join(f"{STATUS_LABELS.get(k, k)} {v:.1f} km".replace(".", ",") for k, v in sorted(by.items()))
            lines.append(f"Länge {km} ({shares}).")
        else:
            lines.append(f"Länge {km}.")
        lines += self._climb_text(parts)
        if len(parts) > 1:
            lines.append(f"Achtung: {len(parts) - 1} Lücke(n) im Verlauf; jede Lücke beginnt ein neues Track-Segment.")
        return lines

    def stage_desc(self, stage: Any, parts: tuple[Line, ...], reverse: bool) -> list[str]:
        a, b = (stage.end.name, stage.start.name) if reverse else (stage.start.name, stage.end.name)
        lines = [f"Von {a} nach {b}: {self._status_km(parts)}." if a and b else f"Länge {self._status_km(parts)}."]
        return lines + self._climb_text(parts)

    def segment_desc(self, seg: Segment) -> list[str]:
        bits = [f"Status: {STATUS_LABELS.get(seg.status, seg.status)}"]
        if seg.surface:
            bits.append(f"Belag: {seg.surface}")
        if seg.way_type:
            bits.append(f"Wegart: {seg.way_type}")
        return ["; ".join(bits) + f"; {self._status_km((seg.coords,))}."] + ([seg.notes] if seg.notes else [])

    def _climb_text(self, parts: Sequence[Line]) -> list[str]:
        from radweg.elevation import climb_parts

        c = climb_parts(parts)
        if c is None:
            return []
        return [f"Anstieg {c.ascent_m:.0f} m, Abstieg {c.descent_m:.0f} m (Höhen {c.min_m:.0f}–{c.max_m:.0f} m)."]

    def metadata(self, title: str, desc: list[str], pois: Sequence[Poi]) -> Metadata:
        proj = self.project
        project_name = str(proj.get("name") or "radweg")
        author = str(proj.get("author") or project_name)
        texts = list(desc)
        if proj.get("illustrative"):
            for key in ("disclaimer_de", "disclaimer_en"):
                if proj.get(key):
                    texts.append(str(proj[key]))
        osm = self._osm(pois)
        attribution = [str(a) for a in (proj.get("attribution") or [])] if isinstance(
            proj.get("attribution"), list) else ([str(proj["attribution"])] if proj.get("attribution") else [])
        if osm and OSM_ATTRIBUTION not in attribution:
            attribution.append(OSM_ATTRIBUTION)
        if attribution:
            texts.append("Daten: " + "; ".join(attribution))
        license_url = proj.get("license") or (ODBL_URL if osm else None)
        links = tuple(Link(str(u), project_name) for u in [proj.get("website")] if u)
        if license_url:
            links += (Link(str(license_url), "Lizenz / licence"),)
        keywords = [project_name, self.tour.name, "Radtour", "Fahrrad", "cycling"]
        extra = proj.get("keywords") or []
        if isinstance(extra, list):
            keywords += [str(k) for k in extra]
        seen: list[str] = []
        for k in keywords:
            k = k.replace(",", " ").strip()
            if k and k not in seen:
                seen.append(k)
        return Metadata(name=title, description="\n".join(texts) or None, author=author,
                        copyright_holder=str(proj.get("copyright") or author), copyright_year=self._year(),
                        license=str(license_url) if license_url else None, links=links, time=self.opts.time,
                        keywords=tuple(seen))

    def _year(self) -> int | None:
        years = [int(s.updated[:4]) for s in self.segments if s.updated and s.updated[:4].isdigit()]
        return max(years) if years else None

    # -- files

    def waypoints(self, parts: tuple[Line, ...]) -> tuple[list[Poi], list[Waypoint]]:
        """Corridor POIs as waypoints (cached: a route file shares its track file's line)."""
        cached = self._wpt_cache.get(id(parts))
        if cached is not None and cached[0] is parts:
            return cached[1]
        result = self._waypoints(parts)
        self._wpt_cache[id(parts)] = (parts, result)
        return result

    def _waypoints(self, parts: tuple[Line, ...]) -> tuple[list[Poi], list[Waypoint]]:
        from radweg.geometry import join_lines

        line = join_lines(list(parts))
        from radweg.tours.corridor import along_line

        near = along_line(list(self.ds.pois.items), line, self.opts.corridor_m) if self.opts.corridor_m > 0 else []
        pois = [n.poi for n in near]
        return pois, [poi_waypoint(p) for p in pois]

    def file(self, out_dir: Path, name: str, kind: str, stage_id: str | None, title: str, desc: list[str],
             parts: tuple[Line, ...]) -> tuple[ExportedFile, bytes]:
        from radweg.geometry import join_lines
        from radweg.simplify import simplify_parts

        path = safe_path(out_dir, name)
        opts = self.opts
        summary = "\n".join(desc) or None
        if kind == "route":
            simp = simplify_parts([join_lines(list(parts))], tolerance_m=opts.simplify_m, max_points=opts.max_points)
            paths = [Path_("rte", title, simp.parts, summary, type="cycling")]
        else:
            simp = simplify_parts(parts, tolerance_m=opts.simplify_m, max_points=opts.track_max_points)
            paths = [Path_("trk", title, simp.parts, summary, type="cycling")]
        pois, wpts = self.waypoints(parts)
        meta = self.metadata(title, desc, pois)
        data = write_gpx(meta, paths, wpts)
        return ExportedFile(path, kind, self.tour.id, stage_id, simp.points, simp.max_deviation_m, len(wpts),
                            simp.points_before), data


def poi_waypoint(poi: Poi) -> Waypoint:
    """A POI as a ``wpt``: German description first, English second, link to its website."""
    desc = "\n\n".join(t for t in (poi.description, poi.description_en) if t) or None
    links = (Link(poi.website, poi.name),) if poi.website and re.match(r"^https?://", poi.website) else ()
    ele = poi.coords[2] if len(poi.coords) > 2 else None
    return Waypoint(lon=poi.lon, lat=poi.lat, name=poi.name, ele=ele, description=desc, links=links,
                    sym=GARMIN_SYMBOLS.get(poi.type, "Pin, Blue"), type=POI_TYPE_LABELS.get(poi.type, poi.type))
