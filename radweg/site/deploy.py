"""Putting a built site in place so that an interrupted publish never breaks the next one.

:func:`deploy` builds into a staging folder beside the target
(``.NAME.radweg-build-XXXX``, same file system), writes the manifest
``.radweg-site.json`` with every file's SHA-256 last, then swaps it in with
two renames (old site aside as ``.NAME.radweg-old-XXXX``, staging to the
target). A kill at any moment leaves the old site, or none, plus left-overs
that the next run clears; it never blocks the next publish.

Files are never deleted on trust:

- a file of the old site is deleted only when its path is one radweg writes,
  it is a regular file (symlinks are never followed, nor deleted) and its
  content still has the SHA-256 the manifest recorded; a planted or edited
  manifest can therefore only name files whose exact content radweg wrote;
- every other file of the old site (the user's own, or one changed since) is
  moved back into the new site; if the new site has a file of that name, it
  stays in the old folder, which is then kept and reported;
- a folder that holds files but no manifest is refused unless ``force``; with
  ``force`` its files are kept in the same way, none deleted.

Test hook: ``RADWEG_TEST_CRASH_AFTER`` = ``site-build``, ``site-manifest``,
``site-aside``, ``site-swap`` or ``site-retire`` ends the process at that point
(see :func:`radweg.io.journal.crash_point`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from radweg.errors import StorageError
from radweg.io.journal import crash_point

MANIFEST = ".radweg-site.json"
STAGING_MARK = ".radweg-staging"
"""Written first into every staging folder: only folders with it are cleared as left-overs."""

SITE_PATHS = re.compile(r"(en/)?(index|pois|gaps|downloads|licences|imprint|privacy|tour-[a-z0-9_-]+"
                        r"|poi-[a-z0-9_-]+)\.html|sitemap\.xml|assets/[A-Za-z0-9._-]+"
                        r"|gpx/[A-Za-z0-9._-]+\.(gpx|zip)|gpx/\.radweg-gpx\.json|data/[a-z]+\.geojson|\.radweg-site\.json")
"""The paths radweg publish writes (relative, '/'-separated); nothing else is ever deleted."""


@dataclass
class Deployment:
    """What a deploy did besides putting the new site in place."""

    removed: list[str] = field(default_factory=list)
    """Files of the previous site that the new one no longer has."""
    kept: list[str] = field(default_factory=list)
    """Files radweg did not write (or that changed since), moved into the new site."""
    set_aside: str | None = None
    """A folder with files that could not be moved back (a name the new site uses too)."""
    files: list[str] = field(default_factory=list)
    """Every file of the new site, as its manifest lists them."""


def sha256(path: Path) -> str:
    """SHA-256 of a regular file (never through a symlink)."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(root: Path) -> dict[str, str] | None:
    """The files of the site in ``root`` as its manifest lists them (path -> SHA-256), or None if it has none.

    A manifest that is not a regular file, not JSON or of an older kind (no hashes) lists nothing: its
    files then count as the user's and are kept.
    """
    path = root / MANIFEST
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > 16 * 1024 * 1024:
        return {}
    try:
        obj = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    hashes = obj.get("sha256") if isinstance(obj, dict) else None
    if not isinstance(hashes, dict):
        return {}
    return {k: v for k, v in hashes.items() if isinstance(k, str) and isinstance(v, str)}


def check_target(root: Path, force: bool, what: str = "radweg publish") -> None:
    """StorageError when ``root`` is not a folder, or holds files without a radweg manifest (unless ``force``)."""
    if os.path.islink(root):
        raise StorageError(f"{root}: is a symbolic link; choose the folder itself as output")
    if root.exists() and not root.is_dir():
        raise StorageError(f"{root}: exists and is not a folder")
    if root.is_dir() and read_manifest(root) is None and any(root.iterdir()) and not force:
        raise StorageError(f"{root}: folder is not empty and was not made by '{what}'; "
                           "choose another output folder or use --force (no file in it is deleted)")


def _leftovers(root: Path, kind: str) -> list[Path]:
    parent = root.parent
    if not parent.is_dir():
        return []
    pattern = re.compile(rf"\.{re.escape(root.name)}\.radweg-{kind}-[0-9a-f]{{8}}")
    return sorted(p for p in parent.iterdir() if pattern.fullmatch(p.name) and not p.is_symlink() and p.is_dir())


def clear_leftovers(root: Path) -> Deployment:
    """Clear what an interrupted deploy left beside ``root``: staging folders (with radweg's mark) are
    deleted; old sites are emptied of radweg's files and their other files moved into ``root``."""
    for staging in _leftovers(root, "build"):
        if (staging / STAGING_MARK).is_file():
            shutil.rmtree(staging, ignore_errors=True)  # rmtree removes symlinks, never what they point to
    result = Deployment()
    olds = _leftovers(root, "old")
    if olds and not os.path.lexists(root):
        os.rename(olds[0], root)  # killed between its two renames: the old site goes back in place
        olds = olds[1:]
    if root.is_dir():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / STAGING_MARK)  # killed right after the swap
        new = read_manifest(root) or {}
        for old in olds:
            _retire(old, root, new, result)
    return result


def deploy(root: Path, build: Callable[[Path], dict[str, bytes | str]], *, force: bool = False) -> Deployment:
    """Build a site with ``build(staging)`` (it returns the files to write, relative path -> content; it may
    also have written into ``staging`` itself) and swap it in for ``root``. Returns what happened to the
    previous site's files."""
    check_target(root, force)
    root.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(root)
    staging = root.parent / f".{root.name}.radweg-build-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        (staging / STAGING_MARK).write_bytes(b"")
        files = build(staging)
        crash_point("site-build")
        for rel, data in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        hashes = {}
        for path in sorted(staging.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.name not in (STAGING_MARK, MANIFEST):
                hashes[path.relative_to(staging).as_posix()] = sha256(path)
        previous = staging / MANIFEST  # what the build wrote (its own keys are kept), now with every hash
        try:
            manifest = json.loads(previous.read_text(encoding="utf-8")) if previous.is_file() else {}
        except ValueError:
            manifest = {}
        manifest = {**manifest, "generator": manifest.get("generator", "radweg publish"), "files": sorted(hashes),
                    "sha256": hashes}
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        crash_point("site-manifest")
        _fsync_tree(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = Deployment(files=sorted(hashes))
    try:
        if root.is_dir():
            old = root.parent / f".{root.name}.radweg-old-{secrets.token_hex(4)}"
            os.rename(root, old)
            crash_point("site-aside")
            os.rename(staging, root)
            crash_point("site-swap")
            os.unlink(root / STAGING_MARK)
            _retire(old, root, hashes, result)
        else:
            os.rename(staging, root)
            os.unlink(root / STAGING_MARK)
    except OSError as exc:
        raise StorageError(f"{root}: cannot put the new site in place: {exc.strerror or exc}") from exc
    return result


def _retire(old: Path, root: Path, new: dict[str, str], result: Deployment) -> None:
    """Empty the previous site ``old``: delete radweg's unchanged files, move the others into ``root``."""
    listed = read_manifest(old) or {}
    for dirpath, dirnames, filenames in os.walk(old, topdown=True, followlinks=False):
        here = Path(dirpath)
        # the manifest last: a retire killed half-way still has its proof for the files that are left
        names = sorted(filenames, key=lambda n: (n == MANIFEST, n))
        for name in names + sorted(d for d in dirnames if (here / d).is_symlink()):
            path = here / name
            rel = path.relative_to(old).as_posix()
            if _ours(path, rel, listed):
                os.unlink(path)
                crash_point("site-retire")
                if rel not in new and rel != MANIFEST:
                    result.removed.append(rel)
                continue
            dest = root / rel
            if _same_file_content(path, dest):
                os.unlink(path)  # the new site has this very content: nothing is lost
                continue
            if os.path.lexists(dest) or _blocked(root, rel):
                result.set_aside = str(old)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, dest)
            result.kept.append(rel)
    for dirpath, _dirs, _files in sorted(os.walk(old, topdown=False, followlinks=False), key=lambda w: -len(w[0])):
        with contextlib.suppress(OSError):
            os.rmdir(dirpath)
    result.removed.sort()
    result.kept.sort()


def _ours(path: Path, rel: str, listed: dict[str, str]) -> bool:
    """True for a file radweg wrote and nobody changed since: a radweg path, a regular file, the recorded hash."""
    if rel not in listed or not SITE_PATHS.fullmatch(rel):
        return rel in (MANIFEST, STAGING_MARK) and path.is_file() and not path.is_symlink()
    try:
        st = os.lstat(path)
        return stat.S_ISREG(st.st_mode) and sha256(path) == listed[rel]
    except OSError:
        return False


def _same_file_content(a: Path, b: Path) -> bool:
    """True when both are regular files (not symlinks) with the same bytes."""
    try:
        sa, sb = os.lstat(a), os.lstat(b)
        return (stat.S_ISREG(sa.st_mode) and stat.S_ISREG(sb.st_mode) and sa.st_size == sb.st_size
                and sha256(a) == sha256(b))
    except OSError:
        return False


def _blocked(root: Path, rel: str) -> bool:
    """True when a parent of ``root/rel`` exists but is not a folder."""
    parent = (root / rel).parent
    while parent != root:
        if os.path.lexists(parent) and not parent.is_dir():
            return True
        parent = parent.parent
    return False


def _fsync_tree(folder: Path) -> None:
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                fd = os.open(os.path.join(dirpath, name), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
