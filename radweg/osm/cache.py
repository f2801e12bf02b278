"""The network cache: built graphs under ``<data folder>/output/cache/networks/<name>/``.

Each network folder holds ``manifest.json`` (source file, its sha256, the
filter version, the area, counts) and ``graph.npz``: the arrays of a
:class:`radweg.osm.streets.StreetGraph` (numpy's ``.npz``, uncompressed) with the
tag table and graph attributes as one JSON text. The key of a cached graph is the
source file's content hash + :data:`FILTER_VERSION` + the format version + the
area: change any of them and ``network import`` builds again.

Safe and checked: the file is only read when its sha256 matches the manifest;
numpy reads it with ``allow_pickle=False`` (no object arrays, so nothing in it can
run); and :func:`check_arrays` refuses any array of the wrong type or shape, any
index out of range and any position or length that is not finite, so a re-signed
file with garbage inside is refused here, not as an IndexError deep in routing.
On Liechtenstein the reload takes a few milliseconds (``benchmarks/osm_network.py``).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import shutil
from pathlib import Path
from typing import Any

from radweg.errors import NetworkError, StorageError
from radweg.io.atomic import write_many_atomic
from radweg.io.files import read_limited
from radweg.model import slugify
from radweg.osm.filter import FILTER_VERSION

FORMAT_VERSION = 3
CACHE_DIR = Path("output") / "cache" / "networks"
GRAPH_FILE = "graph.npz"
log = logging.getLogger(__name__)
MANIFEST_FILE = "manifest.json"
META = "meta_json"
"""The member of graph.npz that holds the tag table and graph attributes (UTF-8 JSON as bytes)."""


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


_TEXT_TAGS = ("highway", "surface", "tracktype", "smoothness", "bicycle", "name", "ref")


def check_arrays(arrays: dict[str, Any], meta: Any) -> None:
    """ValueError naming the first thing wrong in a cached graph's arrays and JSON part."""
    import numpy as np

    from radweg.osm.streets import ARRAY_FIELDS, EDGE_FIELDS, NODE_FIELDS

    for name, dtype in ARRAY_FIELDS.items():
        a = arrays.get(name)
        if a is None:
            raise ValueError(f"array '{name}' is missing")
        if a.dtype != np.dtype(dtype) or a.ndim != (2 if name == "coords" else 1):
            raise ValueError(f"array '{name}' has type {a.dtype}{list(a.shape)}, not {dtype}")
    if arrays["coords"].shape[1:] != (2,):
        raise ValueError("array 'coords' is not a list of (lon, lat) pairs")
    n, m, c = len(arrays["node_id"]), len(arrays["u"]), len(arrays["coords"])
    for name in NODE_FIELDS:
        if len(arrays[name]) != n:
            raise ValueError(f"array '{name}' has {len(arrays[name])} rows, not {n}")
    for name in EDGE_FIELDS:
        if len(arrays[name]) != m:
            raise ValueError(f"array '{name}' has {len(arrays[name])} rows, not {m}")
    if n > 1 and not bool((np.diff(arrays["node_id"]) > 0).all()):
        raise ValueError("node ids are not unique and sorted")
    x, y, xy = arrays["x"], arrays["y"], arrays["coords"]
    if not (np.isfinite(x).all() and np.isfinite(y).all() and np.isfinite(xy).all()):
        raise ValueError("a position is not a finite number")
    if (np.abs(x) > 180).any() or (np.abs(y) > 90).any() or (np.abs(xy[:, 0]) > 180).any() or \
            (np.abs(xy[:, 1]) > 90).any():
        raise ValueError("a position lies outside -180..180, -90..90")
    for name in ("length", "cost"):
        a = arrays[name]
        if not (np.isfinite(a).all() and (a >= 0).all()):
            raise ValueError(f"an edge has a bad {name}")
    for name, size in (("u", n), ("v", n), ("line_start", c), ("line_end", c)):
        a = arrays[name]
        if m and (a.min() < 0 or a.max() >= size):
            raise ValueError(f"array '{name}' points outside the graph")
    if m and (arrays["line_start"] == arrays["line_end"]).any():
        raise ValueError("an edge line has a single position")
    if not (isinstance(meta, dict) and isinstance(meta.get("tag_table"), list) and isinstance(meta.get("graph"), dict)):
        raise ValueError("the JSON part has no tag table")
    table = meta["tag_table"]
    for row in table:
        if not (isinstance(row, dict) and all(isinstance(k, str) for k in row)
                and all(v is None or isinstance(v, (str, int)) for v in row.values())):
            raise ValueError("a tag row is not a table of text")
        if any(row.get(k) is not None and not isinstance(row[k], str) for k in _TEXT_TAGS):
            raise ValueError("a tag is not text")
    if m and (arrays["tag"].min() < 0 or arrays["tag"].max() >= len(table)):
        raise ValueError("array 'tag' points outside the tag table")


_MANIFEST_TYPES: dict[str, tuple[type, ...]] = {
    "name": (str,), "source": (str,), "source_name": (str,), "source_sha256": (str,), "graph_sha256": (str,),
    "area": (str, type(None)), "filter_version": (int,), "format_version": (int,), "nodes": (int,),
    "edges": (int,), "ways": (int,), "components": (int,), "highway_ways_read": (int,), "ways_kept": (int,),
    "ways_cut_at_border": (int,), "graph_bytes": (int,), "length_km": (int, float),
    "km_by_highway": (dict,), "km_by_surface": (dict,),
}


def manifest_problem(obj: Any) -> str | None:
    """What is wrong with a manifest's fields (type, range), or None. Unknown fields are allowed."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    for key, types in _MANIFEST_TYPES.items():
        if key not in obj:
            continue
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, types):
            return f"field '{key}' has the wrong type"
        if isinstance(value, (int, float)) and not (math.isfinite(value) and value >= 0):
            return f"field '{key}' is not a count"
        if isinstance(value, dict) and not all(isinstance(k, str) and _finite(v) for k, v in value.items()):
            return f"field '{key}' is not a table of km"
    return None


def root(data_root: Path) -> Path:
    """The folder that holds every cached network of a data folder."""
    return data_root / CACHE_DIR


def folder(data_root: Path, name: str) -> Path:
    """The folder of one network; the name is slugified, so it cannot leave the cache."""
    return root(data_root) / slugify(name, fallback="network")


def file_sha256(path: Path) -> str:
    """sha256 of a file's content, read in 1 MB blocks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def cache_key(source_sha256: str, area: str | None) -> dict[str, Any]:
    """What decides whether a cached graph is still valid."""
    return {"source_sha256": source_sha256, "filter_version": FILTER_VERSION, "format_version": FORMAT_VERSION,
            "area": area}


def read_manifest(data_root: Path, name: str) -> dict[str, Any] | None:
    """The manifest of a cached network, or None when there is none (or it is unreadable)."""
    path = folder(data_root, name) / MANIFEST_FILE
    try:
        obj = json.loads(read_limited(path, str(path), 16 * 1024 * 1024).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    problem = manifest_problem(obj)
    if problem:
        log.warning("%s: %s; ignoring it (run 'radweg network import FILE --force' to rebuild)", path, problem)
        return None
    return obj if isinstance(obj, dict) else None


def names(data_root: Path) -> list[str]:
    """Names of the cached networks, sorted."""
    base = root(data_root)
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / MANIFEST_FILE).is_file() and (p / GRAPH_FILE).is_file())


def is_current(manifest: dict[str, Any] | None, key: dict[str, Any]) -> bool:
    """True when a manifest was written for the same source, filter, format and area."""
    return manifest is not None and all(manifest.get(k) == v for k, v in key.items())


def encode(G: Any) -> bytes:
    """A StreetGraph as the bytes of graph.npz."""
    import numpy as np

    from radweg.osm.streets import ARRAY_FIELDS

    meta = json.dumps({"tag_table": G.tag_table, "graph": G.graph}, ensure_ascii=False)  # rows keep their order
    arrays = {name: np.ascontiguousarray(getattr(G, name), dtype=dtype) for name, dtype in ARRAY_FIELDS.items()}
    buf = io.BytesIO()
    arrays[META] = np.frombuffer(meta.encode("utf-8"), dtype=np.uint8)
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def decode(payload: bytes) -> Any:
    """The StreetGraph of graph.npz bytes; ValueError (or numpy's own error) when they are not one."""
    import numpy as np

    from radweg.osm.streets import ARRAY_FIELDS, StreetGraph

    with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
        names = set(npz.files)
        if not names <= {*ARRAY_FIELDS, META}:
            raise ValueError(f"unexpected member {sorted(names - {*ARRAY_FIELDS, META})[0]!r}")
        if META not in names:
            raise ValueError("the JSON part is missing")
        arrays = {name: npz[name] for name in ARRAY_FIELDS if name in names}
        raw = npz[META]
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ValueError("the JSON part is not text")
    meta = json.loads(raw.tobytes().decode("utf-8"))
    check_arrays(arrays, meta)
    return StreetGraph(**arrays, tag_table=meta["tag_table"], graph=meta["graph"])


def save(data_root: Path, name: str, G: Any, manifest: dict[str, Any]) -> Path:
    """Write the graph and its manifest atomically; return the network's folder."""
    target = folder(data_root, name)
    payload = encode(G)
    manifest = {**manifest, "name": target.name, "graph_sha256": hashlib.sha256(payload).hexdigest(),
                "graph_bytes": len(payload), "format_version": FORMAT_VERSION}
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_many_atomic([(target / GRAPH_FILE, payload), (target / MANIFEST_FILE, text)])
    return target


def load(data_root: Path, name: str) -> Any:
    """Load a cached StreetGraph; NetworkError when it is missing, changed or not a graph."""
    target = folder(data_root, name)
    manifest = read_manifest(data_root, name)
    if manifest is None or not (target / GRAPH_FILE).is_file():
        raise NetworkError(f"no cached network '{name}' in {root(data_root)}; "
                           "build one with 'radweg network import FILE.osm.pbf'")
    try:
        payload = read_limited(target / GRAPH_FILE, str(target / GRAPH_FILE), 16 * 1024 * 1024 * 1024)
    except OSError as exc:
        raise NetworkError(f"{exc}") from exc
    if hashlib.sha256(payload).hexdigest() != manifest.get("graph_sha256"):
        raise NetworkError(f"{target / GRAPH_FILE}: does not match its manifest (changed or damaged); "
                           f"rebuild it with 'radweg network import FILE --force'")
    try:
        return decode(payload)
    except Exception as exc:  # any failure here means a damaged or foreign file
        raise NetworkError(f"{target / GRAPH_FILE}: not a radweg network cache ({str(exc)[:120]}); "
                           "rebuild it with 'radweg network import FILE --force'") from exc


def remove(data_root: Path, name: str) -> Path:
    """Delete a cached network's folder."""
    target = folder(data_root, name)
    if not (target / MANIFEST_FILE).is_file():
        raise NetworkError(f"no cached network '{name}'")
    try:
        shutil.rmtree(target)
    except OSError as exc:
        raise StorageError(f"{target}: cannot remove: {exc.strerror or exc}") from exc
    return target
