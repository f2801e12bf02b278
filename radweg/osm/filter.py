"""Read an OSM extract with pyosmium and keep only the ways a cyclist may use.

osmnx's ``graph_from_xml`` turns every way of a file into edges, buildings and
land use included; on a whole extract most of them are not streets. This
module filters first, in one streaming pass with node locations, so the graph
builder only ever sees cycle-usable ways.

Rules (:func:`cycle_usable`), in order:

* the way needs a ``highway`` tag and must not be an area (``area=yes``);
* never: motorways, construction/proposed/abandoned ways, platforms, steps,
  corridors, raceways, bus guideways, elevators and escalators;
* ``bicycle=no`` (or ``use_sidepath`` is kept, with a cost penalty) excludes the way;
* trunk roads, footways and bridleways only with ``bicycle=yes|designated|permissive``;
* ``access`` or ``vehicle`` = no/private/agricultural/forestry/military/delivery
  excludes the way unless ``bicycle`` explicitly allows it.

Bump :data:`FILTER_VERSION` whenever the rules or the kept tags change: it is
part of the network cache key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radweg.errors import DataError, Problem, StorageError

FILTER_VERSION = 1

KEEP_TAGS = (
    "highway", "name", "ref", "surface", "tracktype", "smoothness", "bicycle", "bicycle_road", "cyclestreet",
    "cycleway", "cycleway:left", "cycleway:right", "cycleway:both", "maxspeed", "lanes", "lit", "oneway",
    "oneway:bicycle", "junction", "access", "segregated", "mtb:scale",
)
"""Way tags kept on the graph's edges; everything else is dropped while reading."""

NEVER = frozenset({
    "motorway", "motorway_link", "construction", "proposed", "planned", "abandoned", "disused", "razed",
    "platform", "steps", "corridor", "raceway", "bus_guideway", "busway", "elevator", "escalator", "no",
    "rest_area", "services", "emergency_bay", "via_ferrata", "bus_stop",
})
ONLY_IF_ALLOWED = frozenset({"trunk", "trunk_link", "footway", "bridleway"})
BICYCLE_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})
NO_ACCESS = frozenset({"no", "private", "agricultural", "forestry", "military", "delivery", "agricultural;forestry"})


def cycle_usable(tags: Mapping[str, str]) -> bool:
    """True when a way with these tags may be ridden (or pushed) by bicycle.

    It reads ``highway``, ``area``, ``bicycle``, ``access`` and ``vehicle`` only:
    :func:`read_way_table` decides each combination of them once.
    """
    highway = tags.get("highway")
    if not highway or highway in NEVER or tags.get("area") == "yes":
        return False
    bicycle = tags.get("bicycle")
    if bicycle == "no":
        return False
    allowed = bicycle in BICYCLE_ALLOWED
    if highway in ONLY_IF_ALLOWED and not allowed:
        return False
    return not ((tags.get("access") in NO_ACCESS or tags.get("vehicle") in NO_ACCESS) and not allowed)


@dataclass(frozen=True)
class OsmWay:
    """A kept way: id, the kept tags, node ids and their lon/lat positions."""

    id: int
    tags: dict[str, str]
    refs: tuple[int, ...]
    coords: tuple[tuple[float, float], ...]


@dataclass
class FilterStats:
    """What reading a file found: all ways with ``highway``, the kept ones, missing nodes."""

    highway_ways: int = 0
    kept_ways: int = 0
    incomplete_ways: int = 0


Area = tuple[float, float, float, float] | Any
"""A W,S,E,N bbox tuple or a shapely (Multi)Polygon in lon/lat."""


def osm_failures() -> tuple[type[Exception], ...]:
    """What pyosmium raises for a file it cannot read: broken XML/PBF, a coordinate such as ``lat="NaN"``
    (InvalidLocationError), a tag value longer than libosmium allows (ValueError). For ``except``."""
    import osmium

    return (RuntimeError, ValueError, osmium.InvalidLocationError)


def osm_error(path: Path, exc: Exception) -> DataError:
    """A pyosmium failure as a one-line data error naming the file."""
    text = str(exc).strip()
    message = text.splitlines()[0][:200] if text else type(exc).__name__
    if "out of order" in message:
        message += " (the file must be sorted by type and id: 'osmium sort IN -o OUT')"
    if "too long" in message:
        message += " (OpenStreetMap allows 255 characters)"
    return DataError(Problem(str(path), f"cannot read as OpenStreetMap data: {message}"))


def _inside(area: Area | None) -> Any:
    if area is None:
        return None
    if isinstance(area, tuple):
        w, s, e, n = area
        return lambda coords: any(w <= x <= e and s <= y <= n for x, y in coords)
    import numpy as np
    import shapely

    shapely.prepare(area)

    def test(coords: Sequence[tuple[float, float]]) -> bool:
        xy = np.asarray(coords, dtype=float)
        return bool(shapely.contains_xy(area, xy[:, 0], xy[:, 1]).any())

    return test


def highway_ways(path: Path) -> Iterator[Any]:
    """pyosmium's ways with a ``highway`` tag, their node locations filled in, in file order."""
    import osmium

    fp = (osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
          .with_locations()
          .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
          .with_filter(osmium.filter.KeyFilter("highway")))
    for way in fp:
        if isinstance(way, osmium.osm.Way):
            yield way


def read_ways(path: Path, *, area: Area | None = None, stats: FilterStats | None = None) -> Iterator[OsmWay]:
    """Stream the cycle-usable ways of an OSM file (any format pyosmium reads).

    Ways with nodes missing from the file (cut at the extract border) keep the
    nodes that are present, if at least two. With ``area`` (bbox or polygon),
    only ways with at least one node inside are kept.
    """

    from radweg.osm import josm

    if not path.is_file():
        raise DataError(Problem(str(path), "no such file"))
    stats = stats if stats is not None else FilterStats()
    inside = _inside(area)
    if josm.needs_reader(path):  # negative ids (an editor's file): pyosmium cannot locate the nodes
        data = josm.read(path)
        for jway in sorted(data.ways.values(), key=lambda w: w.id):
            if "highway" not in jway.tags:
                continue
            stats.highway_ways += 1
            if not cycle_usable(jway.tags):
                continue
            jrefs, jcoords = data.way_coords(jway)
            if len(jrefs) < len(jway.refs):
                stats.incomplete_ways += 1
            if len(jrefs) < 2 or (inside is not None and not inside(jcoords)):
                continue
            stats.kept_ways += 1
            yield OsmWay(jway.id, {k: jway.tags[k] for k in KEEP_TAGS if k in jway.tags}, jrefs, jcoords)
        return
    try:
        for way in highway_ways(path):
            stats.highway_ways += 1
            tags = {t.k: t.v for t in way.tags}
            if not cycle_usable(tags):
                continue
            refs: list[int] = []
            coords: list[tuple[float, float]] = []
            for nd in way.nodes:
                loc = nd.location
                if loc.valid():
                    refs.append(nd.ref)
                    coords.append((loc.lon, loc.lat))
            if len(refs) < len(way.nodes):
                stats.incomplete_ways += 1
            if len(refs) < 2 or (inside is not None and not inside(coords)):
                continue
            stats.kept_ways += 1
            yield OsmWay(way.id, {k: tags[k] for k in KEEP_TAGS if k in tags}, tuple(refs), tuple(coords))
    except osm_failures() as exc:
        raise osm_error(path, exc) from exc


@dataclass
class WayTable:
    """Kept ways as arrays: way ``i`` has id ``ids[i]``, tags ``tags[i]`` and the nodes
    ``refs[ptr[i]:ptr[i + 1]]`` at ``coords[ptr[i]:ptr[i + 1]]`` (lon, lat). Ways with the same tags may
    share one dict: read the rows, never change them."""

    ids: Any
    tags: list[dict[str, str]]
    refs: Any
    coords: Any
    ptr: Any

    def __len__(self) -> int:
        return len(self.tags)

    @classmethod
    def from_ways(cls, ways: Iterable[OsmWay]) -> WayTable:
        """The table of OsmWay records (e.g. from :func:`read_ways`)."""
        import numpy as np

        from radweg.osm.streets import offsets

        ways = list(ways)
        return cls(np.array([w.id for w in ways], dtype=np.int64), [w.tags for w in ways],
                   np.array([r for w in ways for r in w.refs], dtype=np.int64),
                   np.array([c for w in ways for c in w.coords], dtype=np.float64).reshape(-1, 2),
                   offsets([len(w.refs) for w in ways]))


_READ_TAGS = (*KEEP_TAGS, "area", "vehicle")


def read_way_table(path: Path, *, area: Area | None = None, stats: FilterStats | None = None,
                   block_bytes: int | None = None) -> WayTable:
    """The cycle-usable ways of an OSM file as a :class:`WayTable`: what :func:`read_ways` yields, read in
    bulk (libosmium writes the highway ways as OPL text, see :mod:`radweg.osm.opl`) rather than node by node.

    ``block_bytes`` only sets how much of that text is parsed at a time.
    """
    import tempfile

    from radweg.osm import josm, opl

    if not path.is_file():
        raise DataError(Problem(str(path), "no such file"))
    stats = stats if stats is not None else FilterStats()
    if josm.needs_reader(path):
        return WayTable.from_ways(read_ways(path, area=area, stats=stats))
    with tempfile.TemporaryDirectory(prefix="radweg-osm-") as tmp:
        text = Path(tmp) / "highways.opl"
        try:
            opl.write_highway_ways(path, text)
        except osm_failures() as exc:
            if str(text) in str(exc) or "Write failed" in str(exc):  # our temporary file, not the source
                raise StorageError(f"{path}: cannot write its ways to a temporary file in {tmp}: "
                                   f"{str(exc).splitlines()[0]}") from exc
            raise osm_error(path, exc) from exc
        try:
            table = _usable_ways(text, block_bytes or opl.BLOCK_BYTES, stats)
        except ValueError as exc:  # not what libosmium writes: a line, a tag, a character, a node list
            raise DataError(Problem(str(path), f"cannot read the ways libosmium wrote: {exc}")) from exc
    if area is not None and len(table):
        table = _clip(table, area)
    stats.kept_ways += len(table)
    return table


def _usable_ways(text: Path, block_bytes: int, stats: FilterStats) -> WayTable:
    """The cycle-usable ways of an OPL file of highway ways; counts them into ``stats``."""
    import numpy as np

    from radweg.osm import opl
    from radweg.osm.streets import offsets

    ids: list[int] = []
    tag_rows: list[dict[str, str]] = []
    refs: list[Any] = []
    coords: list[Any] = []
    sizes: list[int] = []
    verdicts: dict[tuple[str | None, ...], bool] = {}
    per_text: dict[str, dict[str, str]] = {}  # tag text: the tags read, {} when not usable
    for block in opl.way_lines(text, block_bytes):
        node_lists: list[str] = []
        block_sizes: list[int] = []
        for way_id, tag_text, nodes in block:
            stats.highway_ways += 1
            known = per_text.get(tag_text)
            if known is None:  # ways often share their tags: read each tag text once
                every = opl.parse_tags(tag_text)
                tags = {k: every[k] for k in _READ_TAGS if k in every}
                rule = (tags.get("highway"), tags.get("area"), tags.get("bicycle"), tags.get("access"),
                        tags.get("vehicle"))
                usable = verdicts.get(rule)
                if usable is None:  # the rule reads only these five tags: decide each combination once
                    usable = verdicts[rule] = cycle_usable(tags)
                tags.pop("area", None)
                tags.pop("vehicle", None)
                known = per_text[tag_text] = tags if usable else {}
            if not known:  # not usable (a usable way has at least its highway tag)
                continue
            count = opl.node_count(nodes)
            if not opl.complete(nodes):  # nodes cut off at the extract border
                nodes = opl.located(nodes)
                kept = opl.node_count(nodes)
                stats.incomplete_ways += kept < count
                count = kept
            if count < 2:
                continue
            ids.append(way_id)
            tag_rows.append(known)  # ways with the same tags share one dict
            node_lists.append(nodes)
            block_sizes.append(count)
        block_refs, block_coords = opl.parse_nodes(node_lists, block_sizes)
        refs.append(block_refs)
        coords.append(block_coords)
        sizes.extend(block_sizes)
    return WayTable(np.array(ids, dtype=np.int64), tag_rows,
                    np.concatenate(refs) if refs else np.zeros(0, dtype=np.int64),
                    np.concatenate(coords) if coords else np.zeros((0, 2)), offsets(sizes))


def _clip(table: WayTable, area: Area) -> WayTable:
    """The ways with at least one node inside the area (bbox or polygon)."""
    import numpy as np
    import shapely

    from radweg.osm.streets import concat_ranges, offsets

    x, y = table.coords[:, 0], table.coords[:, 1]
    if isinstance(area, tuple):
        w, s, e, n = area
        inside = (x >= w) & (x <= e) & (y >= s) & (y <= n)
    else:
        shapely.prepare(area)
        inside = shapely.contains_xy(area, x, y)
    keep = np.logical_or.reduceat(inside, table.ptr[:-1]) if len(inside) else np.zeros(0, dtype=bool)
    rows = np.flatnonzero(keep)
    take = concat_ranges(table.ptr[:-1][rows], table.ptr[1:][rows] - 1)
    return WayTable(table.ids[rows], [table.tags[i] for i in rows], table.refs[take], table.coords[take],
                    offsets(np.diff(table.ptr)[rows]))


def write_osm_xml(ways: Sequence[OsmWay], dest: Path) -> None:
    """Write kept ways and their nodes as OSM XML (e.g. for osmnx's ``graph_from_xml``)."""
    import osmium

    if dest.exists():
        dest.unlink()
    nodes: dict[int, tuple[float, float]] = {}
    for way in ways:
        nodes.update(zip(way.refs, way.coords, strict=False))
    writer = osmium.SimpleWriter(str(dest))
    try:
        for nid in sorted(nodes):
            writer.add_node(osmium.osm.mutable.Node(id=nid, location=nodes[nid], version=1))
        for way in sorted(ways, key=lambda w: w.id):
            writer.add_way(osmium.osm.mutable.Way(id=way.id, nodes=list(way.refs), tags=way.tags, version=1))
    finally:
        writer.close()
