"""Read GPX 1.0/1.1 safely and write GPX 1.1 deterministically.

Reading uses lxml with a hardened parser (no entity expansion, no network, no
DTD loading, size limits kept). Elements are matched by local name in the GPX
1.0 or 1.1 namespace or in no namespace, so files without a namespace work;
``<extensions>`` and foreign elements are skipped. Every point is
range-checked: latitude -90..90, longitude -180..180, finite numbers, a
plausible elevation. A bad value refuses the whole file with one line naming
the file, the element, its line and the attribute.

Writing builds the text directly (no wall-clock time, fixed number formats,
characters that XML 1.0 forbids removed), so the same input always gives the
same bytes and every file validates against the official GPX 1.1 XSD.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radweg.errors import GpxError, Problem

GPX10_NS = "http://www.topografix.com/GPX/1/0"
GPX11_NS = "http://www.topografix.com/GPX/1/1"
_GPX_NS = {GPX10_NS, GPX11_NS, None}
_GPX_NS_ORDER = (GPX11_NS, GPX10_NS, None)

ELE_RANGE = (-1000.0, 9000.0)
"""Accepted elevations in metres; anything else is a broken value, not a place on Earth."""

MAX_FILE_BYTES = 512 * 1024 * 1024


# ---------------------------------------------------------------- the read model


@dataclass(frozen=True)
class GpxLine:
    """A track (several segments) or a route (one segment) as lon/lat(/ele) lines."""

    kind: str  # "trk" or "rte"
    index: int  # 1-based among its kind
    name: str | None
    description: str | None
    segments: tuple[tuple[tuple[float, ...], ...], ...]
    type: str | None = None


@dataclass(frozen=True)
class GpxWaypoint:
    """A ``wpt``."""

    index: int
    lon: float
    lat: float
    ele: float | None
    name: str | None
    description: str | None
    comment: str | None
    sym: str | None
    type: str | None
    link: str | None


@dataclass(frozen=True)
class GpxDocument:
    """What a GPX file holds, in file order."""

    version: str
    creator: str | None
    name: str | None
    description: str | None
    tracks: tuple[GpxLine, ...] = ()
    routes: tuple[GpxLine, ...] = ()
    waypoints: tuple[GpxWaypoint, ...] = ()


# ---------------------------------------------------------------- reading


_PARSE_OPTIONS: dict[str, Any] = {"resolve_entities": False, "no_network": True, "huge_tree": False,
                                  "load_dtd": False, "dtd_validation": False, "remove_comments": True,
                                  "remove_pis": True}
"""The hardened lxml settings: no entity expansion, no network, no DTD, lxml's size limits kept."""


class _Limited:
    """A file opened for reading as a stream of at most ``limit`` bytes (for lxml's iterparse)."""

    def __init__(self, fd: int, name: str, limit: int) -> None:
        self.fd, self.name, self.limit = fd, name, limit
        self.total = 0
        self.content = False

    def read(self, size: int = -1) -> bytes:
        import os

        chunk = os.read(self.fd, 1 << 20 if size is None or size < 0 else min(size, 1 << 20))
        self.total += len(chunk)
        if self.total > self.limit:
            raise GpxError(f"{self.name}: larger than {self.limit // (1024 * 1024)} MB; GPX files over "
                           f"{self.limit // (1024 * 1024)} MB are refused")
        if not self.content and chunk.strip():
            self.content = True
        return chunk


def read_gpx(path: Path, display: str | None = None) -> GpxDocument:
    """Read a GPX file as a stream; GpxError with one line (file, place, reason) if it cannot be used.

    Only regular files are read (a FIFO or device is refused, never waited
    on); the size limit holds for the bytes read, whatever ``stat`` says.
    Memory stays a small multiple of what the points need: each point is
    dropped from the XML tree as soon as it is read.
    """
    import os

    from radweg.io.files import open_regular

    name = display or str(path)
    fd, st = open_regular(path, name, GpxError)
    try:
        if st.st_size > MAX_FILE_BYTES:
            raise GpxError(f"{name}: file is {st.st_size // (1024 * 1024)} MB; GPX files over "
                           f"{MAX_FILE_BYTES // (1024 * 1024)} MB are refused")
        return _stream(_Limited(fd, name, MAX_FILE_BYTES), name)
    except OSError as exc:
        raise GpxError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def parse_gpx(raw: bytes, file: str = "<gpx>") -> GpxDocument:
    """Parse GPX bytes (a UTF-8 BOM and any declared encoding are fine)."""
    import io

    if not raw.strip():
        raise GpxError(f"{file}: file is empty")
    source = io.BytesIO(raw)
    return _stream(source, file)


def _stream(source: Any, file: str) -> GpxDocument:
    """Parse GPX from a file object with lxml's iterparse, dropping every point, track and waypoint from the
    tree once it is read; the same checks and messages as a whole-tree parse."""
    from lxml import etree  # type: ignore[import-untyped]

    reader = _Reader(file)
    try:
        tags = [f"{{{ns}}}{name}" if ns else name for ns in _GPX_NS_ORDER
                for name in ("trkpt", "rtept", "trkseg", "trk", "rte", "wpt")]
        events = etree.iterparse(source, events=("end",), tag=tags, **_PARSE_OPTIONS)
        return reader.stream(events)
    except etree.XMLSyntaxError as exc:
        if isinstance(source, _Limited) and not source.content:
            raise GpxError(f"{file}: file is empty") from None
        msg = re.sub(r",? line \d+, column \d+$", "", str(exc).splitlines()[0] if str(exc) else "syntax error")
        line = getattr(exc, "lineno", None)
        where = f"line {line}: " if line else ""
        raise GpxError(f"{file}: {where}not well-formed XML: {msg}") from None
    except ValueError as exc:  # e.g. unicode strings with an encoding declaration
        raise GpxError(f"{file}: not readable as XML: {exc}") from None


def _split(tag: Any) -> tuple[str | None, str]:
    if not isinstance(tag, str):
        return "#", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return None, tag


_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*\Z")
"""A number as GPX writes it (xsd:decimal, plus exponents some devices write); no '1_1.3', 'nan', 'inf'."""


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, message: str, where: str, el: Any, attr: str | None = None) -> GpxError:
        line = getattr(el, "sourceline", None)
        feature = f"{where} (line {line})" if line else where
        return GpxError(Problem(self.file, message, feature, attr))

    def children(self, el: Any, name: str) -> list[Any]:
        """Child elements called ``name`` in a GPX namespace or in none (extensions are skipped)."""
        return list(el.iterchildren(*(f"{{{ns}}}{name}" if ns else name for ns in _GPX_NS_ORDER)))

    def text(self, el: Any, name: str) -> str | None:
        for child in self.children(el, name):
            value = "".join(child.itertext()).strip()
            return value or None
        return None

    def number(self, value: str | None, where: str, el: Any, attr: str) -> float:
        if value is None:
            raise self.fail("missing", where, el, attr)
        try:
            out = float(value.strip())
        except ValueError:
            raise self.fail(f"'{value[:40]}' is not a number", where, el, attr) from None
        if not math.isfinite(out):
            raise self.fail(f"'{value[:40]}' is not a finite number", where, el, attr)
        if not _DECIMAL.match(value):
            raise self.fail(f"'{value[:40]}' is not a number as GPX writes it", where, el, attr)
        return out

    def point(self, el: Any, where: str) -> tuple[float, float, float | None]:
        lat = self.number(el.get("lat"), where, el, "lat")
        lon = self.number(el.get("lon"), where, el, "lon")
        if not -90.0 <= lat <= 90.0:
            raise self.fail(f"latitude {lat:g} is out of range -90..90", where, el, "lat")
        if not -180.0 <= lon <= 180.0:
            raise self.fail(f"longitude {lon:g} is out of range -180..180", where, el, "lon")
        ele_el = self.children(el, "ele")
        ele: float | None = None
        if ele_el:
            text = "".join(ele_el[0].itertext()).strip()
            if text:
                ele = self.number(text, where, ele_el[0], "ele")
                if not ELE_RANGE[0] <= ele <= ELE_RANGE[1]:
                    raise self.fail(f"elevation {ele:g} m is outside {ELE_RANGE[0]:g}..{ELE_RANGE[1]:g} m",
                                    where, ele_el[0], "ele")
        return lon, lat, ele

    def fast_point(self, pt: Any, ele_tag: str) -> tuple[float, ...] | None:
        """One point as (lon, lat) or (lon, lat, ele), or None when anything is odd (then :meth:`point` says
        what). Ranges are checked with chained comparisons, which are false for NaN and infinity."""
        lo, hi = ELE_RANGE
        try:
            lat_s, lon_s = pt.get("lat"), pt.get("lon")
            text = None
            for child in pt:
                if child.tag == ele_tag:
                    text = child.text
                    break
            if not (lat_s.isascii() and lon_s.isascii() and (text is None or text.isascii())) or "_" in lat_s \
                    or "_" in lon_s or (text is not None and "_" in text):
                return None  # float() takes "1_1.3" as 11.3 and "٣" as 3
            lat = float(lat_s)
            lon = float(lon_s)
            ele = float(text) if text is not None and text.strip() else None
        except (TypeError, ValueError, AttributeError):  # AttributeError: lat or lon missing
            return None
        if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0 and (ele is None or lo <= ele <= hi):
            return (lon, lat) if ele is None else (lon, lat, ele)
        return None

    def stream(self, events: Any) -> GpxDocument:
        """Build the document from iterparse "end" events of the GPX elements that matter (``trkpt``,
        ``rtept``, ``trkseg``, ``trk``, ``rte``, ``wpt``); each is checked to sit where GPX puts it (else it is
        ignored, like an element inside ``<extensions>``) and removed from the tree once read, so memory holds
        the numbers, not the XML."""
        root: Any = None
        points: list[tuple[float, ...]] = []
        segments: list[tuple[tuple[float, ...], ...]] = []
        tracks: list[GpxLine] = []
        routes: list[GpxLine] = []
        waypoints: list[GpxWaypoint] = []
        ele_tag = "ele"
        checked: Any = None  # the trkseg or rte whose place in the document was last checked
        for _event, el in events:
            if root is None:
                root = self.check_root(el.getroottree().getroot())
                ns = _split(root.tag)[0]
                ele_tag = f"{{{ns}}}ele" if ns else "ele"
            local = el.tag.rpartition("}")[2]
            parent = el.getparent()
            if local in ("trkpt", "rtept"):
                if parent is not checked:
                    holder = "trkseg" if local == "trkpt" else "rte"
                    grand = parent.getparent() if parent is not None else None
                    if parent is None or _split(parent.tag)[1] != holder or grand is None or (
                            local == "trkpt" and (_split(grand.tag)[1] != "trk" or grand.getparent() is not root)) \
                            or (local == "rtept" and grand is not root):
                        continue
                    checked = parent
                pt = self.fast_point(el, ele_tag)
                if pt is None:
                    where = (f"trk {len(tracks) + 1} segment {len(segments) + 1}" if local == "trkpt"
                             else f"rte {len(routes) + 1}") + f" point {len(points) + 1}"
                    lon, lat, ele = self.point(el, where)  # raises with the reason
                    pt = (lon, lat) if ele is None else (lon, lat, ele)
                points.append(pt)
                parent.remove(el)
            elif local == "trkseg":
                if parent is None or _split(parent.tag)[1] != "trk" or parent.getparent() is not root:
                    continue
                segments.append(tuple(points))
                points = []
                parent.remove(el)
            elif parent is not root:
                continue
            elif local == "trk":
                tracks.append(GpxLine("trk", len(tracks) + 1, self.text(el, "name"), self.text(el, "desc"),
                                      tuple(segments), self.text(el, "type")))
                segments = []
                _drop(el)
            elif local == "rte":
                routes.append(GpxLine("rte", len(routes) + 1, self.text(el, "name"), self.text(el, "desc"),
                                      (tuple(points),), self.text(el, "type")))
                points = []
                _drop(el)
            elif local == "wpt":
                i = len(waypoints) + 1
                lon, lat, ele = self.point(el, f"wpt {i}")
                waypoints.append(GpxWaypoint(i, lon, lat, ele, self.text(el, "name"), self.text(el, "desc"),
                                             self.text(el, "cmt"), self.text(el, "sym"), self.text(el, "type"),
                                             self.link(el)))
                _drop(el)
        root = self.check_root(getattr(events, "root", None)) if root is None else root
        version = root.get("version") or ("1.0" if _split(root.tag)[0] == GPX10_NS else "1.1")
        meta = (self.children(root, "metadata") or [root])[0]
        return GpxDocument(version, root.get("creator"), self.text(meta, "name"), self.text(meta, "desc"),
                           tuple(tracks), tuple(routes), tuple(waypoints))

    def check_root(self, root: Any) -> Any:
        """The root element if it is <gpx> in a GPX namespace (or none) and the file has no DOCTYPE."""
        if root is None:
            raise GpxError(f"{self.file}: no XML root element")
        docinfo = root.getroottree().docinfo
        if docinfo.internalDTD is not None or docinfo.doctype:
            raise GpxError(f"{self.file}: has a DOCTYPE; GPX needs none and DTDs (entity expansion) are refused")
        ns, local = _split(root.tag)
        if local != "gpx":
            raise GpxError(f"{self.file}: root element is <{local}>, not <gpx>; not a GPX file")
        if ns not in _GPX_NS:
            raise GpxError(f"{self.file}: <gpx> is in namespace '{ns}', not GPX 1.0 or 1.1")
        return root

    def link(self, el: Any) -> str | None:
        for child in self.children(el, "link"):
            href = child.get("href")
            if href:
                return str(href).strip()
        url = self.text(el, "url")  # GPX 1.0
        return url

def _drop(el: Any) -> None:
    """Remove an element that has been read from the tree iterparse builds (its end event has passed)."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


# ---------------------------------------------------------------- writing

_ILLEGAL_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> str:
    """Remove characters that XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF)."""
    return _ILLEGAL_XML.sub("", text)


def _esc(text: str) -> str:
    text = clean_text(text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;"))


def fmt_coord(value: float) -> str:
    """A coordinate as xsd:decimal: fixed 7 decimals trimmed, never scientific notation."""
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_ele(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


@dataclass(frozen=True)
class Link:
    href: str
    text: str | None = None


@dataclass(frozen=True)
class Waypoint:
    """A ``wpt`` to write."""

    lon: float
    lat: float
    name: str
    ele: float | None = None
    comment: str | None = None
    description: str | None = None
    links: tuple[Link, ...] = ()
    sym: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class Metadata:
    """The ``metadata`` element (everything optional but the name)."""

    name: str
    description: str | None = None
    author: str | None = None
    copyright_holder: str | None = None
    copyright_year: int | None = None
    license: str | None = None
    links: tuple[Link, ...] = ()
    time: str | None = None  # xsd:dateTime, e.g. 2026-11-22T00:00:00Z
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class GpxPath:
    """A track (one or more segments) or a route (one segment) to write."""

    kind: str  # "trk" | "rte"
    name: str
    parts: tuple[Sequence[Sequence[float]], ...]
    description: str | None = None
    links: tuple[Link, ...] = ()
    type: str | None = None


CREATOR = "radweg"


def _links(links: Iterable[Link], indent: str) -> list[str]:
    out = []
    for link in links:
        if link.text:
            out.append(f'{indent}<link href="{_esc(link.href)}"><text>{_esc(link.text)}</text></link>')
        else:
            out.append(f'{indent}<link href="{_esc(link.href)}"/>')
    return out


def _opt(tag: str, value: str | None, indent: str) -> list[str]:
    return [f"{indent}<{tag}>{_esc(value)}</{tag}>"] if value else []


def bounds_of(paths: Sequence[GpxPath], waypoints: Sequence[Waypoint]) -> tuple[float, float, float, float] | None:
    """(minlat, minlon, maxlat, maxlon) of everything in the file, or None if empty."""
    lats: list[float] = []
    lons: list[float] = []
    for p in paths:
        for part in p.parts:
            if part:
                lons.extend((min(c[0] for c in part), max(c[0] for c in part)))
                lats.extend((min(c[1] for c in part), max(c[1] for c in part)))
    for w in waypoints:
        lons.append(w.lon)
        lats.append(w.lat)
    if not lats:
        return None
    return min(lats), min(lons), max(lats), max(lons)


def _point_lines(tag: str, coords: Sequence[Sequence[float]], indent: str) -> list[str]:
    """One line per point; 7 decimals (about 1 cm) in fixed notation, elevation to 0.1 m."""
    out = []
    for c in coords:
        if len(c) > 2 and c[2] is not None:
            out.append(f'{indent}<{tag} lat="{c[1]:.7f}" lon="{c[0]:.7f}"><ele>{c[2]:.1f}</ele></{tag}>')
        else:
            out.append(f'{indent}<{tag} lat="{c[1]:.7f}" lon="{c[0]:.7f}"/>')
    return out


def write_gpx(meta: Metadata, paths: Sequence[GpxPath], waypoints: Sequence[Waypoint] = ()) -> bytes:
    """A GPX 1.1 document: metadata, then waypoints, routes and tracks (the schema's order)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             (f'<gpx xmlns="{GPX11_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              f'version="1.1" creator="{CREATOR}" '
              f'xsi:schemaLocation="{GPX11_NS} http://www.topografix.com/GPX/1/1/gpx.xsd">'),
             "  <metadata>"]
    i2, i3 = "    ", "      "
    lines += _opt("name", meta.name, i2)
    lines += _opt("desc", meta.description, i2)
    if meta.author:
        lines += [f"{i2}<author>", f"{i3}<name>{_esc(meta.author)}</name>", f"{i2}</author>"]
    if meta.copyright_holder:
        lines.append(f'{i2}<copyright author="{_esc(meta.copyright_holder)}">')
        if meta.copyright_year is not None:
            lines.append(f"{i3}<year>{meta.copyright_year:04d}</year>")
        lines += _opt("license", meta.license, i3)
        lines.append(f"{i2}</copyright>")
    lines += _links(meta.links, i2)
    lines += _opt("time", meta.time, i2)
    if meta.keywords:
        lines += _opt("keywords", ", ".join(meta.keywords), i2)
    bounds = bounds_of(paths, waypoints)
    if bounds:
        minlat, minlon, maxlat, maxlon = (fmt_coord(v) for v in bounds)
        lines.append(f'{i2}<bounds minlat="{minlat}" minlon="{minlon}" maxlat="{maxlat}" maxlon="{maxlon}"/>')
    lines.append("  </metadata>")
    for w in waypoints:
        lines.append(f'  <wpt lat="{fmt_coord(w.lat)}" lon="{fmt_coord(w.lon)}">')
        if w.ele is not None:
            lines.append(f"{i2}<ele>{fmt_ele(w.ele)}</ele>")
        lines += _opt("name", w.name, i2)
        lines += _opt("cmt", w.comment, i2)
        lines += _opt("desc", w.description, i2)
        lines += _links(w.links, i2)
        lines += _opt("sym", w.sym, i2)
        lines += _opt("type", w.type, i2)
        lines.append("  </wpt>")
    for kind in ("rte", "trk"):
        for p in paths:
            if p.kind != kind:
                continue
            lines.append(f"  <{kind}>")
            lines += _opt("name", p.name, i2)
            lines += _opt("desc", p.description, i2)
            lines += _links(p.links, i2)
            lines += _opt("type", p.type, i2)
            if kind == "rte":
                for part in p.parts:
                    lines += _point_lines("rtept", part, i2)
            else:
                for part in p.parts:
                    lines.append(f"{i2}<trkseg>")
                    lines += _point_lines("trkpt", part, i3)
                    lines.append(f"{i2}</trkseg>")
            lines.append(f"  </{kind}>")
    lines.append("</gpx>")
    return ("\n".join(lines) + "\n").encode("utf-8")
