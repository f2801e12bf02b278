"""Atomic file writes: a temporary file beside the target, then one rename."""

from __future__ import annotations

import os
import stat
import tempfile
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

    If preparing any file fails, nothing is replaced.
    """
    items = list(items)
    displays = displays or {}
    for path, _ in items:
        check_writable(path, displays.get(path))
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            payload = data.encode("utf-8") if isinstance(data, str) else data
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            if path.exists():
                os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
            else:
                os.chmod(tmp, 0o644)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        name = displays.get(exc.filename) if exc.filename else None
        raise StorageError(f"{name or exc.filename or 'file'}: cannot write: {exc.strerror or exc}") from exc
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
