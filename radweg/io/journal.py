"""Saving several files as one: all of them or none, also across a kill or a power cut.

A save (:func:`commit`):

1. writes each new file as a temporary file beside its target
   (``.NAME.XXXX.radweg-tmp``) and flushes it to disk;
2. writes the journal ``.radweg-journal.json`` in the folder (itself atomically),
   naming every temporary file, its target and the SHA-256 of its content;
3. renames each temporary file over its target;
4. deletes the journal.

Until step 2 is on disk the old files are untouched; from then on the new files
are complete, so :func:`recover` (run by the next command) finishes the
renames of a journal it finds and deletes it; temporary files that no journal
names are left-overs of a save killed before step 2 and are deleted.

Test hook: with ``RADWEG_TEST_CRASH_AFTER=K`` in the environment the process
ends with ``os._exit(75)`` right after point K of a save (``temp1`` … ``tempN`` =
after writing each temporary file, ``journal`` = after step 2, ``rename1`` …
``renameN`` = after each rename), so tests can kill a save at every point.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from radweg.errors import StorageError

JOURNAL_FILE = ".radweg-journal.json"
"""The journal of a save in progress, in the data folder."""

TEMP_SUFFIX = ".radweg-tmp"
"""Every temporary file radweg writes ends with this."""


@dataclass(frozen=True)
class Item:
    """One file of a save: where it goes, its bytes, and its name in messages."""

    path: Path
    data: bytes
    display: str


def crash_point(name: str) -> None:
    """End the process at once (``os._exit(75)``) when ``RADWEG_TEST_CRASH_AFTER`` names this point (tests)."""
    if os.environ.get("RADWEG_TEST_CRASH_AFTER") == name:
        os._exit(75)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temp_path(target: Path) -> Path:
    """A fresh temporary file name beside ``target``."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def write_temp(target: Path, data: bytes, display: str, mode: int) -> Path:
    """Write ``data`` to a new temporary file beside ``target``, flushed to disk; StorageError naming ``display``."""
    tmp = temp_path(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise StorageError(f"{display}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StorageError(f"{display}: cannot write: {exc.strerror or exc}") from exc
    return tmp


def _rel(root: Path, path: Path) -> str:
    return os.path.relpath(path, root)


def real_target(path: Path) -> Path:
    """Where writing ``path`` goes: a symlinked data file is written through, to the file it points to."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def commit(root: Path, items: Sequence[Item], modes: dict[Path, int] | None = None) -> None:
    """Replace every item's file as one transaction (see the module docstring); StorageError naming the file.

    ``root`` is the folder that holds the journal (the data folder). Before
    the journal is written a failure leaves every old file and no temporary
    file; after it, the save is completed here or by :func:`recover`.
    """
    modes = modes or {}
    staged: list[tuple[Path, Path, Item]] = []
    journal = root / JOURNAL_FILE
    try:
        for item in items:
            real = real_target(item.path)
            real.parent.mkdir(parents=True, exist_ok=True)
            tmp = write_temp(real, item.data, item.display, modes.get(item.path, 0o644))
            staged.append((tmp, real, item))
            crash_point(f"temp{len(staged)}")
        entries = [{"target": _rel(root, it.path), "temp": tmp.name,
                    "sha256": hashlib.sha256(it.data).hexdigest()} for tmp, _, it in staged]
        text = json.dumps({"radweg_journal": 1, "files": entries}, indent=1) + "\n"
        jtmp = write_temp(journal, text.encode("utf-8"), JOURNAL_FILE, 0o644)
        os.replace(jtmp, journal)
        _fsync_dir(root)
    except BaseException:
        for tmp, _, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    crash_point("journal")
    _finish(root, [(tmp, real, it.display) for tmp, real, it in staged])


def _finish(root: Path, renames: Iterable[tuple[Path, Path, str]]) -> None:
    folders: set[Path] = set()
    for k, (tmp, target, display) in enumerate(renames, start=1):
        if tmp.exists():
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise StorageError(f"{display}: cannot write: {exc.strerror or exc}; the save will be completed "
                                   "by the next radweg command") from exc
        folders.add(target.parent)
        crash_point(f"rename{k}")
    for folder in sorted(folders):
        _fsync_dir(folder)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(root / JOURNAL_FILE)
    _fsync_dir(root)


def pending(root: Path, folders: Iterable[Path]) -> bool:
    """True when a journal or a temporary file is left in ``root`` or ``folders`` (cheap; no lock needed)."""
    if (root / JOURNAL_FILE).exists():
        return True
    return any(_temps(f) for f in [root, *folders])


def _temps(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as it:
            return [Path(e.path) for e in it if e.name.startswith(".") and e.name.endswith(TEMP_SUFFIX)
                    and e.is_file(follow_symlinks=False)]
    except OSError:
        return []


def _entry(root: Path, raw: object) -> tuple[Path, Path, str]:
    """One journal entry checked: the data file inside ``root``, its temporary file beside where it is written."""
    if not isinstance(raw, dict) or not isinstance(raw.get("target"), str) or not isinstance(raw.get("temp"), str):
        raise ValueError("an entry is not {target, temp}")
    target, temp = raw["target"], raw["temp"]
    base = os.path.abspath(root)
    path = Path(os.path.abspath(root / target))
    if os.path.commonpath([base, str(path)]) != base or path == Path(base):
        raise ValueError(f"names {target!r}, outside the data folder")
    real = real_target(path)
    if "/" in temp or not (temp.startswith(f".{real.name}.") and temp.endswith(TEMP_SUFFIX)):
        raise ValueError(f"names {temp!r}, not a temporary file of {target}")
    return real.parent / temp, real, target


def recover(root: Path, folders: Iterable[Path]) -> list[str]:
    """Complete a save left by a killed command, then delete left-over temporary files; call under the lock.

    Returns what was done, one line each (empty when nothing was left). A
    journal that cannot be used is a StorageError naming it.
    """
    done: list[str] = []
    journal = root / JOURNAL_FILE
    if journal.exists():
        try:
            obj = json.loads(journal.read_text(encoding="utf-8"))
            entries = [_entry(root, e) for e in obj["files"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StorageError(f"{JOURNAL_FILE}: cannot complete an interrupted save ({exc}); "
                               "check the files with git and delete the journal") from exc
        _finish(root, entries)
        done.append(f"completed an interrupted save of {', '.join(e[2] for e in entries)}")
    for folder in [root, *folders]:
        for tmp in _temps(folder):
            with contextlib.suppress(OSError):
                tmp.unlink()
                done.append(f"deleted left-over temporary file {tmp.name}")
    return done
