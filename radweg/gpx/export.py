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
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from radweg.elevation.settings import heights_note
from radweg.errors import DataError, OutputPathError, StorageError
from radweg.gpx.xmlio import GpxPath, Link, Metadata, Waypoint, write_gpx
from radweg.io.paths import inside
from radweg.model import Dataset, Line, Poi, Segment, Tour, slugify
from radweg.tours.facts import LineFacts, StageFacts, TourFacts, gap_rule, round_km

log = logging.getLogger(__name__)

FILE_KINDS = ("tour", "stage", "segment", "route", "zip")

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
    per_stage: bool = True
    per_segment: bool = False
    bundle: bool = True


def export_gpx(ds: Dataset, out_dir: Path, *, tour_ids: Sequence[str] | None = None, per_stage: bool = True,
               per_segment: bool = False, as_route: bool = False, max_points: int = 250,
               simplify_m: float | None = None, reverse: bool = False, corridor_m: float = 500.0,
               bundle: bool = True, track_max_points: int | None = None, timestamp: bool = False,
               dem_path: Path | None = None, write: bool = True, force: bool = False) -> list[ExportedFile]:
    """Write GPX files for tours (all tours when ``tour_ids`` is None); see the module doc for names.

    ``as_route`` also writes ``rte`` files capped at ``max_points``;
    ``simplify_m`` bounds the deviation of tracks and routes;
    ``track_max_points`` caps tracks too. Caps always hold; the deviation they
    cost is reported per file. ``dem_path`` (a terrain model, see
    docs/elevation.md) replaces the project's terrain model; heights are
    sampled every 20 m. Nothing is written if anything fails.
    A folder that holds files but no ``.radweg-gpx.json`` (the list of files an
    export wrote there) is refused unless ``force``, as ``publish`` does.
    Lengths and heights come from :func:`radweg.tours.facts.tour_facts`.
    """
    from radweg.data.edit import find

    _check_options(max_points, simplify_m, corridor_m)
    if dem_path is not None:  # the files name the terrain model their heights come from
        ds = replace(ds, project={**ds.project, "dem": [Path(dem_path).name], "dem_source": None})
    tours = [find(ds.tours, "tours", t) for t in tour_ids] if tour_ids is not None else list(ds.tours.items)
    opts = _Options(as_route, max_points, track_max_points, simplify_m, reverse, corridor_m,
                    metadata_time(timestamp), per_stage, per_segment, bundle)
    out_dir = Path(out_dir)
    if write:
        check_gpx_folder(out_dir, force)
    files: list[tuple[ExportedFile, bytes]] = []
    used: set[str] = set()
    pois = tuple(ds.pois.items)
    for facts in _all_facts(ds, sorted(tours, key=lambda t: t.id), opts, dem_path):
        files += _TourFiles(ds, facts, out_dir, opts, used, pois).all()
    if write and files:
        from radweg.io.atomic import write_many_atomic

        out_dir.mkdir(parents=True, exist_ok=True)
        for f, _ in files:
            safe_path(out_dir, f.path.name)
        mark = json.dumps({"generator": "radweg export gpx", "files": sorted(f.path.name for f, _ in files)},
                          indent=1) + "\n"
        write_many_atomic([(f.path, data) for f, data in files] + [(out_dir / GPX_MARK, mark)])
    return [f for f, _ in files]


GPX_MARK = ".radweg-gpx.json"
"""Written into every folder ``export gpx`` fills: the files it wrote, and the sign that radweg made it."""


def check_gpx_folder(out_dir: Path, force: bool = False) -> None:
    """StorageError when ``out_dir`` is not a folder, or holds files but was not made by an export (unless
    ``force``; even then no file is deleted, only files of the same name are replaced)."""
    if out_dir.is_symlink():
        raise StorageError(f"{out_dir}: is a symbolic link; choose the folder itself as output")
    if out_dir.exists() and not out_dir.is_dir():
        raise StorageError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and not (out_dir / GPX_MARK).is_file() and any(out_dir.iterdir()) and not force:
        raise StorageError(f"{out_dir}: folder is not empty and was not made by 'radweg export gpx'; choose "
                           "another -o or use --force")


def _check_options(max_points: int, simplify_m: float | None, corridor_m: float) -> None:
    if max_points < 2:
        raise DataError(f"max_points must be at least 2, not {max_points}")
    if simplify_m is not None and simplify_m <= 0:
        raise DataError(f"simplify_m must be a positive number of metres, not {simplify_m}")
    if corridor_m < 0:
        raise DataError(f"corridor_m must not be negative, not {corridor_m}")


def _all_facts(ds: Dataset, tours: Sequence[Tour], opts: _Options, dem_path: Path | None) -> list[TourFacts]:
    """The facts of each tour in the direction exported (with the DEM's elevations when given)."""
    from radweg.tours.facts import tours_facts

    if dem_path is None:
        return tours_facts(ds, tours, corridor_m=opts.corridor_m, reverse=opts.reverse)
    from radweg.elevation import Dem

    crs = ds.project.get("dem_crs")
    with Dem(Path(dem_path), str(crs) if crs else None) as dem:
        return tours_facts(ds, tours, dem=dem, corridor_m=opts.corridor_m, reverse=opts.reverse)


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


class _TourFiles:
    """The files of one tour: whole tour, stages, segments, ZIP."""

    def __init__(self, ds: Dataset, facts: TourFacts, out_dir: Path, opts: _Options, used: set[str],
                 pois: tuple[Poi, ...]) -> None:
        self.facts = facts
        self.tour = facts.tour
        self.out_dir = out_dir
        self.opts = opts
        self.used = used
        self.texts = _Texts(ds.project or {}, facts, [seg for seg, _ in facts.legs])
        self.pois = pois  # one tuple for all tours: the POI index knows it by identity, no copy per tour
        self.base = slugify(self.tour.id, fallback="tour") + ("-gegenrichtung" if opts.reverse else "")
        self.out: list[tuple[ExportedFile, bytes]] = []

    def all(self) -> list[tuple[ExportedFile, bytes]]:
        """Every file of the tour, in the order written."""
        title = self.tour.name + (" (Gegenrichtung)" if self.opts.reverse else "")
        self.emit("tour", self.base, None, title, self.texts.tour_desc(), self.facts, self.opts.as_route)
        if self.opts.per_stage and self.tour.stages:
            for stage in self.facts.stages:
                self.stage(stage)
        if self.opts.per_segment:
            for n, (seg, line) in enumerate(self.facts.legs, 1):
                self.segment(n, seg, line)
        if self.opts.bundle:
            self.zip()
        return self.out

    def stage(self, stage: StageFacts) -> None:
        if not stage.parts:
            log.warning("tour '%s': stage '%s' has no length on the tour; no file written", self.tour.id, stage.id)
            return
        reverse = self.opts.reverse
        sname = f"{stage.start.name} – {stage.end.name}" if reverse and stage.start.name and stage.end.name \
            else stage.name
        title = f"Etappe {stage.number}: {sname}"
        name = f"{self.base}-{stage.number:02d}-{_short_slug(sname, 'etappe')}"
        self.emit("stage", name, stage.id, title, self.texts.stage_desc(stage), stage, self.opts.as_route)

    def segment(self, n: int, seg: Segment, line: Line) -> None:
        from radweg.tours.facts import line_facts

        facts = line_facts((line,), self.pois, self.opts.corridor_m)
        self.emit("segment", f"{self.base}-seg-{n:02d}-{slugify(seg.id, fallback='segment')}", None,
                  f"{n}. {seg.name}", self.texts.segment_desc(seg, facts), facts, False)

    def emit(self, kind: str, name: str, stage_id: str | None, title: str, desc: list[str], facts: LineFacts,
             route: bool) -> None:
        """The track file, and the route file too with ``route``."""
        self.out.append(self.file(kind, _unique(f"{name}.gpx", self.used), stage_id, title, desc, facts))
        if route:
            self.out.append(self.file("route", _unique(f"{name}.route.gpx", self.used), stage_id, title, desc,
                                      facts))

    def file(self, kind: str, name: str, stage_id: str | None, title: str, desc: list[str],
             facts: LineFacts) -> tuple[ExportedFile, bytes]:
        from radweg.geometry import join_lines
        from radweg.simplify import simplify_parts

        path = safe_path(self.out_dir, name)
        opts = self.opts
        summary = "\n".join(desc) or None
        if kind == "route":
            simp = simplify_parts([join_lines(list(facts.parts))], tolerance_m=opts.simplify_m,
                                  max_points=opts.max_points)
            lines = [GpxPath("rte", title, simp.parts, summary, type="cycling")]
        else:
            simp = simplify_parts(facts.parts, tolerance_m=opts.simplify_m, max_points=opts.track_max_points)
            lines = [GpxPath("trk", title, simp.parts, summary, type="cycling")]
        pois = [n.poi for n in facts.pois] if opts.corridor_m > 0 else []
        wpts = [poi_waypoint(p) for p in pois]
        data = write_gpx(self.texts.metadata(title, desc, pois, opts.time), lines, wpts)
        return ExportedFile(path, kind, self.tour.id, stage_id, simp.points, simp.max_deviation_m, len(wpts),
                            simp.points_before), data

    def zip(self) -> None:
        zname = _unique(f"{self.base}.zip", self.used)
        out = self.out
        data = zip_bytes([(f.path.name, b) for f, b in out])
        out.append((ExportedFile(safe_path(self.out_dir, zname), "zip", self.tour.id, None,
                                 sum(f.points for f, _ in out), max((f.max_deviation_m for f, _ in out), default=0.0)),
                    data))


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


class _Texts:
    """The descriptions and metadata of one tour's files."""

    def __init__(self, project: dict[str, object], facts: TourFacts, segments: list[Segment]) -> None:
        self.project = project
        self.facts = facts
        self.tour = facts.tour
        self.segments = segments

    def tour_desc(self) -> list[str]:
        facts = self.facts
        lines = [t for t in (self.tour.description, self.tour.description_en) if t]
        km = _km_text(facts.length_m)
        by = facts.by_status_m
        if len(by) > 1 or "existing" not in by:
            shares = ", ".join(f"{STATUS_LABELS.get(k, k)} {_km_text(v)}" for k, v in sorted(by.items()))
            lines.append(f"Länge {km} ({shares}).")
        else:
            lines.append(f"Länge {km}.")
        lines += _climb_text(facts)
        if len(facts.parts) > 1:
            lines.append(f"Achtung: {len(facts.parts) - 1} Lücke(n) im Verlauf; "
                         f"jede Lücke beginnt ein neues Track-Segment. {gap_rule('de')}")
        return lines

    def stage_desc(self, stage: StageFacts) -> list[str]:
        a, b = stage.start.name, stage.end.name
        km = _km_text(stage.length_m)
        gap = [f"Achtung: Lücke im Verlauf. {gap_rule('de')}"] if len(stage.parts) > 1 else []
        return [f"Von {a} nach {b}: {km}." if a and b else f"Länge {km}."] + _climb_text(stage) + gap

    def segment_desc(self, seg: Segment, facts: LineFacts) -> list[str]:
        bits = [f"Status: {STATUS_LABELS.get(seg.status, seg.status)}"]
        if seg.surface:
            bits.append(f"Belag: {seg.surface}")
        if seg.way_type:
            bits.append(f"Wegart: {seg.way_type}")
        return ["; ".join(bits) + f"; {_km_text(facts.length_m)}."] + ([seg.notes] if seg.notes else [])

    def metadata(self, title: str, desc: list[str], pois: Sequence[Poi], time: str | None) -> Metadata:
        """Name, description with disclaimer and attribution, author, copyright, links, keywords."""
        proj = self.project
        project_name = str(proj.get("name") or "radweg")
        author = str(proj.get("author") or project_name)
        osm = self._osm(pois)
        texts = list(desc) + [n for n in (heights_note(proj, "de"), heights_note(proj, "en")) if n] + _disclaimers(proj)
        attribution = _attribution(proj, osm)
        if attribution:
            texts.append("Daten: " + "; ".join(attribution))
        license_url = proj.get("license") or (ODBL_URL if osm else None)
        links = tuple(Link(str(u), project_name) for u in [proj.get("website")] if u)
        if license_url:
            links += (Link(str(license_url), "Lizenz / licence"),)
        return Metadata(name=title, description="\n".join(texts) or None, author=author,
                        copyright_holder=str(proj.get("copyright") or author), copyright_year=self._year(),
                        license=str(license_url) if license_url else None, links=links, time=time,
                        keywords=_keywords(proj, project_name, self.tour))

    def _osm(self, pois: Sequence[Poi]) -> bool:
        if self.project.get("osm_data"):
            return True
        sources = [s.source for s in self.segments] + [p.source for p in pois]
        return any(s and _OSM_SOURCE.search(s) for s in sources)

    def _year(self) -> int | None:
        years = [int(s.updated[:4]) for s in self.segments if s.updated and s.updated[:4].isdigit()]
        return max(years) if years else None


def _short_slug(name: str, fallback: str, limit: int = 36) -> str:
    """A file-name slug of at most ``limit`` characters, cut at a hyphen where possible."""
    slug = slugify(name, fallback=fallback)
    if len(slug) <= limit:
        return slug
    cut = slug[:limit + 1].rsplit("-", 1)[0]
    return cut if len(cut) >= limit // 2 else slug[:limit].rstrip("-")


def _km_text(metres: float) -> str:
    """A length as German text: '12,3 km' (rounded like every output, :func:`round_km`)."""
    from radweg.i18n import km

    return km("de", round_km(metres), sep=" ")


def _m_text(value: int | None) -> str:
    from radweg.i18n import number

    return "?" if value is None else number("de", value)


def _climb_text(facts: LineFacts) -> list[str]:
    figs = facts.figures()
    if figs.ascent_m is None:
        return []
    return [f"Anstieg {_m_text(figs.ascent_m)} m, Abstieg {_m_text(figs.descent_m)} m "
            f"(Höhen {_m_text(figs.min_ele_m)}–{_m_text(figs.max_ele_m)} m)."]


def _disclaimers(proj: dict[str, object]) -> list[str]:
    if not proj.get("illustrative"):
        return []
    return [str(proj[key]) for key in ("disclaimer_de", "disclaimer_en") if proj.get(key)]


def _attribution(proj: dict[str, object], osm: bool) -> list[str]:
    value = proj.get("attribution")
    attribution = [str(a) for a in value] if isinstance(value, list) else ([str(value)] if value else [])
    if osm and OSM_ATTRIBUTION not in attribution:
        attribution.append(OSM_ATTRIBUTION)
    return attribution


def _keywords(proj: dict[str, object], project_name: str, tour: Tour) -> tuple[str, ...]:
    keywords = [project_name, tour.name, "Radtour", "Fahrrad", "cycling"]
    extra = proj.get("keywords") or []
    if isinstance(extra, list):
        keywords += [str(k) for k in extra]
    seen: list[str] = []
    for k in keywords:
        k = k.replace(",", " ").strip()
        if k and k not in seen:
            seen.append(k)
    return tuple(seen)


def poi_waypoint(poi: Poi) -> Waypoint:
    """A POI as a ``wpt``: German description first, English second, link to its website."""
    desc = "\n\n".join(t for t in (poi.description, poi.description_en) if t) or None
    links = (Link(poi.website, poi.name),) if poi.website and re.match(r"^https?://", poi.website) else ()
    ele = poi.coords[2] if len(poi.coords) > 2 else None
    return Waypoint(lon=poi.lon, lat=poi.lat, name=poi.name, ele=ele, description=desc, links=links,
                    sym=GARMIN_SYMBOLS.get(poi.type, "Pin, Blue"), type=POI_TYPE_LABELS.get(poi.type, poi.type))
