"""Reading files safely: only regular files, sizes enforced while reading, JSON parsed strictly.

``stat`` is not trusted for the size (``/dev/zero`` says 0 bytes): the limit
is enforced on the bytes actually read. FIFOs, devices and sockets are
refused without blocking (the file is opened with ``O_NONBLOCK`` and checked
with ``fstat`` before the first read); a symlink is followed, and what it
points to must be a regular file too.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from radweg.errors import RadwegError, StorageError
from radweg.io.text import shorten

MAX_DATA_BYTES = 512 * 1024 * 1024
"""The largest file radweg reads (data files, import files, GPX): 512 MB."""

MAX_JSON_DEPTH = 64
"""JSON nested deeper than this is refused (GeoJSON needs at most 5 levels for a MultiLineString)."""

_KINDS = {stat.S_IFREG: "a file", stat.S_IFDIR: "a folder", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket"}


def file_kind(mode: int) -> str:
    """What a file of this mode is, in words ('a FIFO (named pipe)', 'a folder' …)."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def check_regular(path: Path, display: str | None = None) -> None:
    """StorageError unless ``path`` is (or links to) a regular file."""
    name = display or str(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise StorageError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        raise StorageError(f"{name}: is {file_kind(mode)}, not a regular file; only regular files are read")


def open_regular(path: Path, display: str | None = None,
                 error: type[RadwegError] = StorageError) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file opened for reading, and its ``fstat``; ``error`` with one line naming the
    file when it cannot be opened or is not a regular file (a FIFO is refused, never waited on: it is
    opened with ``O_NONBLOCK``). The caller closes the descriptor."""
    name = display or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise error(f"{name}: cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise error(f"{name}: is {file_kind(st.st_mode)}, not a regular file; only regular files are read")
    return fd, st


def read_limited(path: Path, display: str | None = None, limit: int = MAX_DATA_BYTES) -> bytes:
    """The bytes of a regular file, or StorageError (not a regular file, unreadable, over ``limit`` bytes)."""
    name = display or str(path)
    fd, _ = open_regular(path, name)
    try:
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise StorageError(f"{name}: larger than {limit // (1024 * 1024)} MB; refused")
        return b"".join(chunks)
    except StorageError:
        raise
    except OSError as exc:
        raise StorageError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


class JsonProblem(ValueError):
    """A JSON text that radweg does not accept; the message says where and why."""


_SURROGATE_ESCAPE = re.compile(r"\\[uU][dD][89a-fA-F]")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JsonProblem(f"duplicate key {shorten(key)!r} in one object (which value is meant?)")
        out[key] = value
    return out


def _depth_and_text(obj: Any, check_text: bool) -> None:
    """JsonProblem when ``obj`` nests deeper than MAX_JSON_DEPTH or (``check_text``) holds a lone surrogate."""
    stack: list[tuple[Any, int]] = [(obj, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_JSON_DEPTH:
                raise JsonProblem(f"nested deeper than {MAX_JSON_DEPTH} levels")
            for key, item in value.items():
                if check_text:
                    _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth >= MAX_JSON_DEPTH:
                raise JsonProblem(f"nested deeper than {MAX_JSON_DEPTH} levels")
            stack.extend((item, depth + 1) for item in value)
        elif check_text and isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise JsonProblem(f"text {shorten(text)!r} holds a lone UTF-16 surrogate (\\u{ord(text[exc.start]):04x}), "
                          "which is not a character") from None


def has_bad_text(obj: Any) -> str | None:
    """A message when ``obj`` (decoded JSON, or values from the command line) holds text that is not Unicode."""
    try:
        _depth_and_text(obj, True)
    except JsonProblem as exc:
        return str(exc)
    return None


def loads_strict(text: str) -> Any:
    """JSON text to a value; JsonProblem for invalid JSON, duplicate keys, lone surrogates, nesting too deep for
    the parser, integers of thousands of digits (never RecursionError, ValueError or OverflowError)."""
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise JsonProblem("JSON nested too deeply") from None
    except JsonProblem:
        raise
    except ValueError as exc:  # the limit on digits of an integer
        if "digits" in str(exc):
            raise JsonProblem(f"a number with more than {sys.get_int_max_str_digits()} digits; refused") from None
        raise JsonProblem(f"invalid JSON: {shorten(str(exc), 120)}") from None
    if _SURROGATE_ESCAPE.search(text):  # only then can a lone surrogate be in there: look for it
        _depth_and_text(obj, True)
    return obj


def decode_json(raw: bytes) -> Any:
    """UTF-8 bytes (a BOM is fine) to a JSON value; JsonProblem naming the byte or place that is wrong."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonProblem(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    return loads_strict(text)


def read_json(path: Path, display: str | None = None, limit: int = MAX_DATA_BYTES) -> Any:
    """A JSON file's value; StorageError (cannot read) or JsonProblem (bad content)."""
    return decode_json(read_limited(path, display, limit))
