"""Atomic file writes: a temporary file beside the target, then one rename."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from radweg.errors import StorageError


def check_writable(path: Path, display: str | None = None) -> None:
    """Raise StorageError if ``path`` may not be replaced.

    A file whose mode has no write bit is treated as read-only even for root,
    so that marking a file read-only protects it here as it does in editors.
    """
    name = display or str(path)
    if path.exists():
        if path.is_dir():
            raise StorageError(f"{name}: is a directory, not a file")
        mode = path.stat().st_mode
        if not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(path, os.W_OK):
            raise StorageError(f"{name}: file is not writable (read-only)")
    parent = path.parent
    if parent.exists() and not os.access(parent, os.W_OK):
        raise StorageError(f"{name}: folder {parent} is not writable")


def write_atomic(path: Path, data: bytes | str, display: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically; on any failure the old file stays as it was."""
    write_many_atomic([(path, data)], {path: display} if display else None)


def write_many_atomic(
    items: Iterable[tuple[Path, bytes | str]], displays: dict[Path, str | None] | None = None
) -> None:
    """Write several files: all temporary files first, then the renames.

    If preparing any file fails, nothing is replaced and no temporary file is
    left; a StorageError names the file (``displays`` give its name in
    messages). A symlink is written through, to the file it points to. For a
    set of files that must change together across a kill, use
    :func:`radweg.io.journal.commit`.
    """
    from radweg.io.journal import crash_point, real_target, write_temp

    items = list(items)
    displays = displays or {}
    for path, _ in items:
        check_writable(path, displays.get(path))
    staged: list[tuple[Path, Path, str]] = []
    try:
        for path, data in items:
            name = displays.get(path) or str(path)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            real = real_target(path)
            try:
                real.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"{name}: cannot write: {exc.strerror or exc}") from exc
            mode = stat.S_IMODE(real.stat().st_mode) if real.exists() else 0o644
            staged.append((write_temp(real, payload, name, mode), real, name))
            crash_point("atomic-temp")
        for tmp, real, name in staged:
            try:
                os.replace(tmp, real)
            except OSError as exc:
                raise StorageError(f"{name}: cannot write: {exc.strerror or exc}") from exc
            crash_point("atomic-rename")
    finally:
        for tmp, _, _ in staged:
            if os.path.lexists(tmp):
                os.unlink(tmp)
