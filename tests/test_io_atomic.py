"""Atomic writes leave the old file intact when anything fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from radweg.errors import StorageError
from radweg.io.atomic import write_atomic, write_many_atomic


def test_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    write_atomic(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_read_only_target_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("old")
    os.chmod(path, 0o444)
    with pytest.raises(StorageError, match="not writable"):
        write_atomic(path, "new")
    assert path.read_text() == "old"


def test_directory_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "a.json").mkdir()
    with pytest.raises(StorageError, match="is a directory"):
        write_atomic(tmp_path / "a.json", "x")


def test_many_writes_nothing_if_one_cannot_be_written(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text("old")
    bad.write_text("old")
    os.chmod(bad, 0o444)
    with pytest.raises(StorageError):
        write_many_atomic([(good, "new"), (bad, "new")])
    assert good.read_text() == "old" and bad.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "good.json"]
