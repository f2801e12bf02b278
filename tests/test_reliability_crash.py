"""A save killed at any point leaves a consistent folder: the next command completes it or it never happened."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from radweg.data.lock import LOCK_FILE
from radweg.io.journal import JOURNAL_FILE, TEMP_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
FILES = ("routes/segments.geojson", "routes/tours.geojson", "pois/pois.geojson")

# Renames segment kelbra-rossla in segments and in the tour that uses it, and changes a POI: three files that
# are only consistent together (a tour naming a missing segment fails validation).
RENAME = """
import sys
from dataclasses import replace
from pathlib import Path
from radweg.data.store import Store
from radweg.model import Leg
st = Store(Path(sys.argv[1]))
ds = st.load()
seg = ds.segments.get("kelbra-rossla")
ds.segments.items = [replace(seg, id="kelbra-rossla-neu") if s.id == seg.id else s for s in ds.segments.items]
ds.tours.items = [replace(t, legs=tuple(Leg("kelbra-rossla-neu", lg.reverse) if lg.segment == seg.id else lg
                                        for lg in t.legs)) for t in ds.tours.items]
ds.pois.items[0] = replace(ds.pois.items[0], description="geändert")
st.save(ds, ["segments", "tours", "pois"])
"""


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _digests(data: Path) -> tuple[str, ...]:
    return tuple(hashlib.sha256((data / f).read_bytes()).hexdigest() for f in FILES)


def _validate(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "radweg", "--data", str(data), "validate"], env=_env(),
                          capture_output=True, text=True, timeout=120)


def _leftovers(data: Path) -> list[Path]:
    return [p for p in data.rglob("*") if p.name.endswith(TEMP_SUFFIX) or p.name in (JOURNAL_FILE, LOCK_FILE)]


@pytest.fixture
def states(sample: Path, tmp_path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The digests of the three files before and after a complete save."""
    import shutil

    done = tmp_path / "done"
    shutil.copytree(sample, done)
    subprocess.run([sys.executable, "-c", RENAME, str(done)], env=_env(), check=True, timeout=120)
    return _digests(sample), _digests(done)


@pytest.mark.parametrize("point", ["temp1", "temp2", "temp3", "journal", "rename1", "rename2", "rename3"])
def test_a_save_killed_after_each_step_leaves_a_consistent_folder(sample: Path, states, point: str) -> None:
    """Killed after each temporary file, after the journal and after each rename: `validate` passes, the files
    are all old (killed before the journal) or all new (after it), and no temporary file, journal or lock is left."""
    before, after = states
    crashed = subprocess.run([sys.executable, "-c", RENAME, str(sample)], env=_env(RADWEG_TEST_CRASH_AFTER=point),
                             capture_output=True, text=True, timeout=120)
    assert crashed.returncode == 75, crashed.stderr
    assert _leftovers(sample), "the crash left nothing to recover: the hook did not fire where expected"
    result = _validate(sample)
    assert result.returncode == 0, result.stderr
    assert _digests(sample) == (before if point.startswith("temp") else after)
    assert _leftovers(sample) == []


def test_sigkill_at_random_moments_never_leaves_half_a_save(sample: Path, states) -> None:
    """SIGKILL at 6 moments spread over a save's run time: every time the folder is old or new as a whole."""
    before, after = states
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", RENAME, str(sample)], env=_env(), check=True, timeout=120)
    span = time.monotonic() - start
    for k in range(6):
        import shutil

        shutil.rmtree(sample)
        shutil.copytree(ROOT / "routes", sample / "routes")
        shutil.copytree(ROOT / "pois", sample / "pois")
        shutil.copy2(ROOT / "radweg.json", sample / "radweg.json")
        proc = subprocess.Popen([sys.executable, "-c", RENAME, str(sample)], env=_env())
        time.sleep(span * (0.5 + k / 10))
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
        result = _validate(sample)
        assert result.returncode == 0, result.stderr
        state = _digests(sample)
        assert state in (before, after)
        assert _leftovers(sample) == []


def test_a_clean_run_leaves_no_working_files(sample: Path) -> None:
    """After a successful save nothing of radweg's own is left in the folder: no lock, journal or temp file."""
    subprocess.run([sys.executable, "-c", RENAME, str(sample)], env=_env(), check=True, timeout=120)
    assert _leftovers(sample) == []
    assert list(sample.rglob(".*")) == []
