"""Shared fixtures: a CLI runner, a private copy of the sample data, the shared real data, Chromium."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from radweg.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("RADWEG_SHARED", ROOT.parent / "shared"))
REALDATA = SHARED / "realdata"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the repository's sample data folder."""
    dest = tmp_path / "data"
    dest.mkdir()
    shutil.copy2(ROOT / "radweg.json", dest / "radweg.json")
    shutil.copytree(ROOT / "routes", dest / "routes")
    shutil.copytree(ROOT / "pois", dest / "pois")
    shutil.copytree(ROOT / "terrain", dest / "terrain")
    return dest


@pytest.fixture
def run(runner: CliRunner, sample: Path) -> Callable[..., Result]:
    """Run radweg on the sample copy: run("stats", "--json")."""

    def _run(*args: str, data: Path | None = None, **kwargs: object) -> Result:
        return runner.invoke(cli, ["--data", str(data or sample), *args], **kwargs)

    return _run


@pytest.fixture
def realdata() -> Path:
    """../shared/realdata, or skip the test when it is absent (a fresh clone)."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not present")
    return REALDATA


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file below root, to prove a failed command changed nothing."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module; the test is skipped without it."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
