"""The network cache: built graphs under ``<data folder>/output/cache/networks/<name>/``.

Each network folder holds ``manifest.json`` (source file, its sha256, the
filter version, the area, counts) and ``graph.pickle``. The key of a cached
graph is the source file's content hash + :data:`FILTER_VERSION` + the area:
change any of them and ``network import`` builds again.

Why pickle: on the Liechtenstein network it reloads in ~0.1 s, against
~0.8 s for a JSON form and seconds for GraphML (see
``benchmarks/osm_network.py``). Pickle can run code, so it is only ever read
(1) from this cache folder, (2) when its sha256 matches the manifest, and
(3) through an unpickler that refuses every class: the file holds only plain
dicts, lists, tuples, numbers and strings (the graph's internal dicts), so a
planted pickle cannot run anything.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import logging
import math
import pickle
import shutil
from pathlib import Path
from typing import Any, cast

from radweg.errors import NetworkError, StorageError
from radweg.io.atomic import write_many_atomic
from radweg.io.files import read_limited
from radweg.model import slugify
from radweg.osm.filter import FILTER_VERSION

FORMAT_VERSION = 2
CACHE_DIR = Path("output") / "cache" / "networks"
GRAPH_FILE = "graph.pickle"
log = logging.getLogger(__name__)
MANIFEST_FILE = "manifest.json"

class _PlainUnpickler(pickle.Unpickler):
    """Loads plain values only (dicts, lists, tuples, numbers, strings): every class is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def _to_plain(G: Any) -> tuple[Any, ...]:
    """A graph as plain containers: (graph attrs, node dict, successor dict, predecessor dict)."""
    return (FORMAT_VERSION, dict(G.graph), G._node, G._succ, G._pred)


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


_EDGE_TEXT = ("highway", "surface", "tracktype", "smoothness", "bicycle", "name", "ref")


def check_plain(state: Any) -> None:
    """ValueError naming the first thing wrong in an unpickled graph: every node needs finite x/y in degrees;
    every edge a node at each end, the same attribute dict from both sides, a finite length and cost, and
    coordinates that are pairs of finite numbers; tags are text. A re-signed pickle of plain dicts with
    garbage inside is refused here, not as a KeyError deep in routing."""
    if not (isinstance(state, tuple) and len(state) == 5 and state[0] == FORMAT_VERSION
            and all(isinstance(x, dict) for x in state[1:])):
        raise ValueError("unexpected content")
    nodes, succ, pred = state[2], state[3], state[4]
    for n, attrs in nodes.items():
        if not (isinstance(attrs, dict) and _finite(attrs.get("x")) and _finite(attrs.get("y"))
                and -180 <= attrs["x"] <= 180 and -90 <= attrs["y"] <= 90):
            raise ValueError(f"node {str(n)[:40]} has no valid x/y")
    if succ.keys() != nodes.keys() or pred.keys() != nodes.keys():
        raise ValueError("adjacency does not match the nodes")
    for u, nbrs in succ.items():
        if not isinstance(nbrs, dict):
            raise ValueError(f"node {str(u)[:40]}: adjacency is not a mapping")
        for v, keyed in nbrs.items():
            back = pred.get(v)
            if not isinstance(keyed, dict) or not isinstance(back, dict) or back.get(u) is not keyed:
                raise ValueError(f"edge {str(u)[:40]}-{str(v)[:40]} is not stored from both ends")
            attr_dicts = cast("dict[Any, Any]", keyed)
            for d in attr_dicts.values():
                if not isinstance(d, dict):
                    raise ValueError(f"edge {str(u)[:40]}-{str(v)[:40]} has no attributes")
                for key in ("length", "cost"):
                    if key in d and not (_finite(d[key]) and d[key] >= 0):
                        raise ValueError(f"edge {str(u)[:40]}-{str(v)[:40]}: bad {key}")
                coords = d.get("coords")
                if coords is not None and not (isinstance(coords, (tuple, list)) and all(
                        isinstance(c, (tuple, list)) and len(c) == 2 and _finite(c[0]) and _finite(c[1])
                        for c in coords)):
                    raise ValueError(f"edge {str(u)[:40]}-{str(v)[:40]}: bad coords")
                if any(d.get(k) is not None and not isinstance(d[k], str) for k in _EDGE_TEXT):
                    raise ValueError(f"edge {str(u)[:40]}-{str(v)[:40]}: a tag is not text")


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


def _from_plain(state: Any) -> Any:
    import networkx as nx

    check_plain(state)
    G = nx.MultiDiGraph()
    G.graph.update(state[1])
    G._node = state[2]
    G._adj = G._succ = state[3]
    G._pred = state[4]
    return G


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


def save(data_root: Path, name: str, G: Any, manifest: dict[str, Any]) -> Path:
    """Write the graph and its manifest atomically; return the network's folder."""
    target = folder(data_root, name)
    buf = io.BytesIO()
    pickle.dump(_to_plain(G), buf, protocol=5)
    payload = buf.getvalue()
    manifest = {**manifest, "name": target.name, "graph_sha256": hashlib.sha256(payload).hexdigest(),
                "graph_bytes": len(payload)}
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_many_atomic([(target / GRAPH_FILE, payload), (target / MANIFEST_FILE, text)])
    return target


def load(data_root: Path, name: str) -> Any:
    """Load a cached graph; NetworkError when it is missing, changed or not a graph."""
    target = folder(data_root, name)
    manifest = read_manifest(data_root, name)
    if manifest is None or not (target / GRAPH_FILE).is_file():
        raise NetworkError(f"no cached network '{name}' in {root(data_root)}; "
                           "build one with 'radweg network import FILE.osm.pbf'")
    try:
        payload = read_limited(target / GRAPH_FILE, str(target / GRAPH_FILE), 8 * 1024 * 1024 * 1024)
    except OSError as exc:
        raise NetworkError(f"{exc}") from exc
    if hashlib.sha256(payload).hexdigest() != manifest.get("graph_sha256"):
        raise NetworkError(f"{target / GRAPH_FILE}: does not match its manifest (changed or damaged); "
                           f"rebuild it with 'radweg network import FILE --force'")
    enabled = gc.isenabled()
    gc.disable()  # the graph is millions of small dicts: the cyclic GC only slows loading down
    try:
        G = _from_plain(_PlainUnpickler(io.BytesIO(payload)).load())
    except Exception as exc:  # any failure here means a damaged or foreign file
        raise NetworkError(f"{target / GRAPH_FILE}: not a radweg network cache ({str(exc)[:120]}); "
                           "rebuild it with 'radweg network import FILE --force'") from exc
    finally:
        if enabled:
            gc.enable()
    return G


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
