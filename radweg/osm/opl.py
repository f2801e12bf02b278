"""The highway ways of an OSM file in bulk: written by libosmium as OPL text, parsed here.

pyosmium hands Python one object per way and one more per node; on a whole extract, taking every
tag and node that way costs three and a half times the reading itself (Liechtenstein, measured by
``benchmarks/osm_network.py``). Here libosmium reads the file, fills in the node positions,
keeps the ways with a ``highway`` tag and writes them as OPL (its one-line-per-object text
format, https://osmcode.org/opl-file-format/) without a Python call per object; Python then
splits the lines and parses all positions with one numpy call. The result is tested against
the node-by-node reader on real extracts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

OPL_FORMAT = "opl,locations_on_ways=true,add_metadata=false"
"""Ways only with id, tags and ``n<id>x<lon>y<lat>`` per node (``n<id>xy`` where the node is missing)."""

BLOCK_BYTES = 1 << 20
"""How much OPL text is parsed at a time (memory only: the result does not depend on it)."""

WRITE_BUFFER_BYTES = 1 << 18
"""The OPL writer's buffer (libosmium's default is 4 MiB)."""

_ESCAPE = re.compile(r"%([0-9a-fA-F]{1,6})%")


def write_highway_ways(src: Path, dest: Path) -> None:
    """Write the ways of ``src`` that have a ``highway`` tag, with node positions, to ``dest`` as OPL.

    Runs in libosmium alone. Nodes missing from the file are written without a position.
    Raises what pyosmium raises for a broken file (see ``filter.osm_failures``).
    """
    import osmium

    # small buffers hand the ways to libosmium's output thread sooner (measured: less memory, no slower)
    writer = osmium.SimpleWriter(osmium.io.File(str(dest), OPL_FORMAT), WRITE_BUFFER_BYTES)
    try:
        locations = osmium.NodeLocationsForWays(osmium.index.create_map("flex_mem"))
        locations.ignore_errors()
        osmium.apply(str(src), locations, osmium.filter.EntityFilter(osmium.osm.WAY),
                     osmium.filter.KeyFilter("highway"), writer)
    finally:
        writer.close()


def unescape(text: str) -> str:
    """OPL text with its ``%<hex code point>%`` escapes decoded; ValueError for one that is not a character."""
    return _ESCAPE.sub(_character, text) if "%" in text else text


def _character(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise ValueError(f"not a Unicode character in OPL text: %{match.group(1)}%")
    return chr(code)


WayLine = tuple[int, str, str]
"""One way line of OPL: the way id, its tag text (see :func:`parse_tags`) and its node list text."""


def parse_tags(text: str) -> dict[str, str]:
    """The tags of an OPL tag text (``k=v,k=v``) with their escapes decoded."""
    if not text:
        return {}
    pairs = [kv.split("=") for kv in text.split(",")]
    if any(len(p) != 2 for p in pairs):
        raise ValueError(f"not OPL tags: {text[:80]!r}")
    if "%" not in text:
        return dict(pairs)
    return {unescape(k): unescape(v) for k, v in pairs}


def node_count(nodes: str) -> int:
    """How many node references an OPL node list has."""
    return nodes.count(",") + 1 if nodes else 0


def complete(nodes: str) -> bool:
    """True when every node of an OPL node list has a position."""
    return "xy" not in nodes


def located(nodes: str) -> str:
    """An OPL node list without the nodes that have no position."""
    return ",".join(t for t in nodes.split(",") if t[-1] != "y") if nodes else ""


def parse_way_line(line: str) -> WayLine:
    """A ``w<id> T<tags> N<nodes>`` line (as :data:`OPL_FORMAT` writes it); ValueError for anything else."""
    ways = _parse_block(line)
    if len(ways) != 1:
        raise ValueError(f"not one OPL way line: {line[:80]!r}")
    return ways[0]


def way_lines(path: Path, block_bytes: int = BLOCK_BYTES) -> Iterator[list[WayLine]]:
    """The way lines of an OPL file, a block of about ``block_bytes`` at a time, in file order."""
    with path.open("rb") as fh:
        rest = b""
        while chunk := fh.read(block_bytes):
            chunk = rest + chunk
            cut = chunk.rfind(b"\n") + 1
            rest = chunk[cut:]
            if cut:
                yield _parse_block(chunk[:cut].decode("utf-8"))
        if rest.strip():
            yield _parse_block(rest.decode("utf-8"))


def _parse_block(text: str) -> list[WayLine]:
    ways: list[WayLine] = []
    for line in text.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0][:1] != "w" or parts[1][:1] != "T" or parts[2][:1] != "N":
            raise ValueError(f"not an OPL way line: {line[:80]!r}")
        ways.append((int(parts[0][1:]), parts[1][1:], parts[2][1:]))
    return ways


def parse_nodes(node_lists: list[str], sizes: list[int]) -> tuple[Any, Any]:
    """The node ids (int64) and (lon, lat) positions (float64) of located OPL node lists.

    All lists are parsed with one numpy call; ValueError when the counts are not what ``sizes`` say.
    """
    import warnings

    import numpy as np

    total = int(sum(sizes))
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    text = ",".join(node_lists).replace("n", "").replace("x", ",").replace("y", ",")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy warns (and stops) at text it cannot read
        try:
            values = np.fromstring(text, sep=",")
        except (DeprecationWarning, ValueError) as exc:
            raise ValueError("OPL node lists that are not n<id>x<lon>y<lat>") from exc
    if len(values) != 3 * total:
        raise ValueError("OPL node lists do not match their node counts")
    values = values.reshape(-1, 3)
    ids = values[:, 0]
    if np.abs(ids).max() < 2**53:  # exact in a float64
        refs = ids.astype(np.int64)
    else:
        refs = np.array([int(t.split("x", 1)[0][1:]) for nodes in node_lists for t in nodes.split(",")],
                        dtype=np.int64)
    return refs, np.ascontiguousarray(values[:, 1:])
