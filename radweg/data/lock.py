"""One lock per data folder: writers exclusive, readers shared.

The lock is ``fcntl.flock`` on ``.radweg.lock`` in the data folder (ignored by
git). The last process to let go deletes the file, so a folder at rest has
none (a lock taken on a file that was deleted meanwhile is taken again on the
new one). A command that writes holds it exclusively from loading to saving, so
two writers never interleave; a reader holds it shared while it reads, so it
never sees half of a save. Waiting is bounded: after ``RADWEG_LOCK_TIMEOUT``
seconds (default 10) the command ends with a one-line "busy" error.

Locks are per process and per folder: every :class:`~radweg.data.store.Store`
of the same folder in one process shares one lock (flock locks belong to an
open file, so two opens in one process would block each other).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from radweg.errors import BusyError, StorageError

LOCK_FILE = ".radweg.lock"
"""The lock file, in the data folder."""

DEFAULT_TIMEOUT_S = 10.0
"""How long a command waits for the lock unless ``RADWEG_LOCK_TIMEOUT`` says otherwise."""


def lock_timeout() -> float:
    """Seconds to wait for the lock: ``RADWEG_LOCK_TIMEOUT`` (a number ≥ 0), else 10."""
    text = os.environ.get("RADWEG_LOCK_TIMEOUT", "")
    try:
        value = float(text) if text else DEFAULT_TIMEOUT_S
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return value if 0 <= value < 86400 else DEFAULT_TIMEOUT_S


class FolderLock:
    """The lock of one data folder in this process (re-entrant; shared can be raised to exclusive)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fd: int | None = None
        self.mode: int | None = None  # fcntl.LOCK_SH or fcntl.LOCK_EX
        self.depth = 0

    def _open(self, exclusive: bool) -> int | None:
        path = self.root / LOCK_FILE
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0),
                           0o644)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
                with contextlib.suppress(OSError):
                    return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
                if not exclusive:
                    return None  # a read-only folder nobody can write: reading needs no lock
            raise StorageError(f"{path}: cannot create the lock file: {exc.strerror or exc}") from exc

    def _flock(self, mode: int, timeout: float) -> None:
        assert self.fd is not None
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            try:
                fcntl.flock(self.fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    what = "writing" if mode == fcntl.LOCK_SH else "using"
                    raise BusyError(f"{self.root}: busy: another radweg command is {what} this data folder; "
                                    f"waited {timeout:g} s (RADWEG_LOCK_TIMEOUT), try again") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.1)

    @contextlib.contextmanager
    def hold(self, exclusive: bool) -> Iterator[None]:
        """Hold the lock (shared or exclusive) for the ``with`` block."""
        self.acquire(exclusive)
        try:
            yield
        finally:
            self.release()

    def acquire(self, exclusive: bool) -> None:
        """Take the lock, or raise it from shared to exclusive; pair with :meth:`release`."""
        want = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        if self.depth == 0:
            timeout = lock_timeout()
            deadline = time.monotonic() + timeout
            while True:
                self.fd = self._open(exclusive)
                if self.fd is None:
                    break
                try:
                    self._flock(want, max(0.0, deadline - time.monotonic()))
                except BaseException:
                    os.close(self.fd)
                    self.fd = None
                    raise
                if self._current():
                    break
                os.close(self.fd)  # the file was deleted by its last holder: lock the new one
            self.mode = want
        elif exclusive and self.mode == fcntl.LOCK_SH:
            if self.fd is not None:
                self._flock(fcntl.LOCK_EX, lock_timeout())
            self.mode = fcntl.LOCK_EX
        self.depth += 1

    def release(self) -> None:
        """Give back one :meth:`acquire`; the last one unlocks."""
        self.depth -= 1
        if self.depth == 0:
            if self.fd is not None:
                with contextlib.suppress(OSError):
                    # The last holder (we get it exclusively at once) deletes the file, then lets go.
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    if self._current():
                        os.unlink(self.root / LOCK_FILE)
                os.close(self.fd)  # closing the file releases the flock
            self.fd = None
            self.mode = None

    def _current(self) -> bool:
        """True when our open lock file is still the one at the path (not deleted meanwhile)."""
        assert self.fd is not None
        try:
            st = os.stat(self.root / LOCK_FILE, follow_symlinks=False)
        except OSError:
            return False
        mine = os.fstat(self.fd)
        return (st.st_ino, st.st_dev) == (mine.st_ino, mine.st_dev)

    @property
    def exclusive(self) -> bool:
        """True while this process holds the lock exclusively."""
        return self.depth > 0 and self.mode == fcntl.LOCK_EX


_LOCKS: dict[Path, FolderLock] = {}


def folder_lock(root: Path) -> FolderLock:
    """The lock of the data folder ``root`` (one per folder and process)."""
    key = Path(os.path.abspath(root))
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = FolderLock(key)
    return lock
