"""A safe reader for OSM XML saved by editors (JOSM): negative ids, no versions, ``action`` attributes.

pyosmium reads such files but cannot look up node locations or filter by id
when ids are negative (its location index and ``IdFilter`` take unsigned ids),
so every radweg reader that meets a file with negative ids reads it with this
module instead (:func:`needs_reader`). Objects marked ``action="delete"`` or
``visible="false"`` are left out, as JOSM would upload them.

Parsing is streaming (lxml ``iterparse``) and hardened: no DTD, no entity
expansion, no network access; a DOCTYPE is refused. ``.gz`` and ``.bz2`` files
are read through their decompressor.
"""

from __future__ import annotations

import bz2
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from radweg.errors import DataError, Problem

Coord = tuple[float, float]

_NEGATIVE_ID = re.compile(rb"""\s(?:id|ref)\s*=\s*["']-\d""")
_SCAN_BYTES = 1 << 20


@dataclass
class Node:
    """An OSM node: id, position and tags."""

    id: int
    lon: float
    lat: float
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Way:
    """An OSM way: id, node ids and tags."""

    id: int
    refs: tuple[int, ...]
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class RelMember:
    """A relation member: ``type`` (node, way, relation), ``ref`` and ``role``."""

    type: str
    ref: int
    role: str


@dataclass
class Relation:
    """An OSM relation: id, members in order and tags."""

    id: int
    members: list[RelMember]
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class OsmData:
    """Everything a file holds, by id."""

    nodes: dict[int, Node] = field(default_factory=dict)
    ways: dict[int, Way] = field(default_factory=dict)
    relations: dict[int, Relation] = field(default_factory=dict)

    def way_coords(self, way: Way) -> tuple[tuple[int, ...], tuple[Coord, ...]]:
        """The way's node ids and positions, leaving out nodes missing from the file."""
        refs = tuple(r for r in way.refs if r in self.nodes)
        return refs, tuple((self.nodes[r].lon, self.nodes[r].lat) for r in refs)


def _open(path: Path) -> IO[bytes]:
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".bz2"):
        return bz2.open(path, "rb")
    return path.open("rb")


def is_xml(path: Path) -> bool:
    """True for OSM XML (plain or compressed), False for PBF."""
    return not path.name.lower().endswith(".pbf")


def needs_reader(path: Path) -> bool:
    """True when ``path`` is OSM XML with negative ids (checked in its first MiB), so pyosmium cannot be used."""
    if not is_xml(path) or not path.is_file():
        return False
    try:
        with _open(path) as f:
            head = f.read(_SCAN_BYTES)
    except (OSError, EOFError, ValueError):
        return False
    return bool(_NEGATIVE_ID.search(head))


def _tags(elem: Any) -> dict[str, str]:
    return {str(t.get("k")): str(t.get("v", "")) for t in elem.iterfind("tag") if t.get("k") is not None}


def _int(elem: Any, attr: str, path: Path) -> int:
    value = elem.get(attr)
    try:
        return int(value)
    except (TypeError, ValueError):
        line = getattr(elem, "sourceline", None)
        raise DataError(Problem(str(path), f"line {line}: <{elem.tag}> has {attr}={value!r}, not an integer",
                                field=attr)) from None


def _float(elem: Any, attr: str, path: Path) -> float:
    value = elem.get(attr)
    try:
        return float(value)
    except (TypeError, ValueError):
        line = getattr(elem, "sourceline", None)
        raise DataError(Problem(str(path), f"line {line}: node {elem.get('id')} has {attr}={value!r}, "
                                           "not a number", feature=str(elem.get("id")), field=attr)) from None


def iter_objects(path: Path) -> Iterator[Node | Way | Relation]:
    """Stream the nodes, ways and relations of an OSM XML file, in file order (deleted ones left out)."""
    from lxml import etree  # type: ignore[import-untyped]

    if not path.is_file():
        raise DataError(Problem(str(path), "no such file"))
    try:
        with _open(path) as f:
            events = etree.iterparse(f, events=("start", "end"), resolve_entities=False, no_network=True,
                                     load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True,
                                     remove_pis=True)
            root_seen = False
            for event, elem in events:
                if event == "start":
                    if not root_seen:
                        root_seen = True
                        tree = elem.getroottree()
                        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
                            raise DataError(Problem(str(path), "has a DOCTYPE; OSM XML needs none and DTDs "
                                                               "(entity expansion) are refused"))
                        if elem.tag != "osm":
                            raise DataError(Problem(str(path), f"root element is <{elem.tag}>, not <osm>; "
                                                               "not an OSM XML file"))
                    continue
                tag = elem.tag
                if tag not in ("node", "way", "relation"):
                    continue
                if elem.get("action") == "delete" or elem.get("visible") == "false":
                    elem.clear()
                    continue
                oid = _int(elem, "id", path)
                obj: Node | Way | Relation
                if tag == "node":
                    obj = Node(oid, _float(elem, "lon", path), _float(elem, "lat", path), _tags(elem))
                elif tag == "way":
                    obj = Way(oid, tuple(_int(nd, "ref", path) for nd in elem.iterfind("nd")), _tags(elem))
                else:
                    obj = Relation(oid, [RelMember(str(m.get("type", "")), _int(m, "ref", path), str(m.get("role", "")))
                                         for m in elem.iterfind("member")], _tags(elem))
                elem.clear()
                yield obj
    except etree.XMLSyntaxError as exc:
        msg = re.sub(r",? line \d+, column \d+$", "", str(exc).splitlines()[0] if str(exc) else "syntax error")
        line = getattr(exc, "lineno", None)
        raise DataError(Problem(str(path), f"{f'line {line}: ' if line else ''}not well-formed XML: {msg}")) from None
    except (OSError, EOFError) as exc:
        raise DataError(Problem(str(path), f"cannot read: {exc}")) from None


def read(path: Path) -> OsmData:
    """Every object of an OSM XML file (see :func:`iter_objects`), by id; a repeated id keeps its last copy."""
    data = OsmData()
    for obj in iter_objects(path):
        if isinstance(obj, Node):
            data.nodes[obj.id] = obj
        elif isinstance(obj, Way):
            data.ways[obj.id] = obj
        else:
            data.relations[obj.id] = obj
    return data
