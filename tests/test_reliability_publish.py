"""Publishing always recovers: a publish killed at any point is followed by a good one without --force, and
no file radweg did not write is ever deleted (whatever a planted manifest says, never through a symlink)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from radweg.data.store import Store
from radweg.site import SiteOptions, publish
from radweg.site.deploy import MANIFEST

ROOT = Path(__file__).resolve().parent.parent


def _publish(data: Path, out: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "radweg", "--data", str(data), "publish", "-o", str(out), *extra],
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env}, capture_output=True, text=True,
                          timeout=300)


def _complete(out: Path) -> None:
    """The site in ``out`` is whole: every file its manifest lists is there with the recorded SHA-256."""
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"] and "index.html" in manifest["files"]
    for rel, digest in manifest["sha256"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest, rel


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if ".radweg-" in p.name)


BEFORE_SWAP = ["atomic-temp", "atomic-rename", "site-build", "site-manifest"]
CASES = [(p, True) for p in BEFORE_SWAP] + [(p, False) for p in BEFORE_SWAP + ["site-aside", "site-swap",
                                                                              "site-retire"]]


@pytest.mark.parametrize(("point", "first"), CASES,
                         ids=[f"{'first' if f else 'again'}-{p}" for p, f in CASES])
def test_a_publish_killed_at_each_point_is_followed_by_a_good_one(sample: Path, tmp_path: Path, point: str,
                                                                   first: bool) -> None:
    """The first publish (GPX step included: it used to block every later run) and a later one, killed at
    each step of building and swapping: the next publish, without --force, gives a whole site and leaves
    nothing beside it; the user's own file in the site survives."""
    out = tmp_path / "www" / "site"
    if not first:
        assert _publish(sample, out, "--no-gpx").returncode == 0
        (out / "notiz.txt").write_text("vom Tourismusbüro", encoding="utf-8")  # the user's own file
    killed = _publish(sample, out, RADWEG_TEST_CRASH_AFTER=point)
    assert killed.returncode == 75, killed.stderr
    assert (not out.exists()) if first else (out.is_dir() or point == "site-aside")  # the old site, or none
    again = _publish(sample, out)
    assert again.returncode == 0, again.stderr
    _complete(out)
    assert _leftovers(out) == []
    if not first:
        assert (out / "notiz.txt").read_text(encoding="utf-8") == "vom Tourismusbüro"


def test_sigkill_at_random_moments_during_publish(sample: Path, tmp_path: Path) -> None:
    """SIGKILL at 3 moments spread over a publish: each time the next publish (no --force) succeeds."""
    out = tmp_path / "site"
    t0 = time.monotonic()
    assert _publish(sample, out).returncode == 0
    span = time.monotonic() - t0
    (out / "eigene-datei.txt").write_text("bleibt", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for k in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "radweg", "--data", str(sample), "publish", "-o", str(out)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(span * (0.3 + k * 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
        assert out.is_dir() or any(".radweg-old-" in n for n in _leftovers(out))  # the old site, or none
        again = _publish(sample, out)
        assert again.returncode == 0, again.stderr
        _complete(out)
        assert _leftovers(out) == []
        assert (out / "eigene-datei.txt").read_text(encoding="utf-8") == "bleibt"


def test_a_planted_manifest_deletes_nothing_of_the_users(sample: Path, tmp_path: Path) -> None:
    """A .radweg-site.json planted in a folder (listing the user's files, even with their correct SHA-256)
    does not make publish delete them; only radweg's own paths with radweg's content are ever removed."""
    ds = Store(sample).load()
    out = tmp_path / "site"
    out.mkdir()
    files = {"brief.txt": b"Sehr geehrte", "fotos/halde.jpg": b"\xff\xd8jpeg", "index.html": b"<p>mine</p>"}
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    listed = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    (out / MANIFEST).write_text(json.dumps({"files": sorted(listed), "sha256": listed}), encoding="utf-8")
    publish(ds, out, SiteOptions(gpx=False))
    assert (out / "brief.txt").read_bytes() == files["brief.txt"]
    assert (out / "fotos/halde.jpg").read_bytes() == files["fotos/halde.jpg"]
    _complete(out)


def test_a_symlink_in_the_site_is_never_followed_nor_its_target_deleted(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    out = tmp_path / "site"
    publish(ds, out, SiteOptions(gpx=False))
    victim = tmp_path / "wichtig.txt"
    victim.write_text("nicht löschen", encoding="utf-8")
    (out / "pois.html").unlink()
    (out / "pois.html").symlink_to(victim)  # a radweg path, now a link to a file outside
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["sha256"]["pois.html"] = hashlib.sha256(victim.read_bytes()).hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    publish(ds, out, SiteOptions(gpx=False))
    assert victim.read_text(encoding="utf-8") == "nicht löschen"
    _complete(out)


def test_a_foreign_folder_is_still_refused_and_force_deletes_nothing(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<p>Startseite der Gemeinde</p>", encoding="utf-8")
    refused = _publish(sample, out)
    assert refused.returncode == 1 and "not made by 'radweg publish'" in refused.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]
    forced = _publish(sample, out, "--force")
    assert forced.returncode == 0, forced.stderr
    _complete(out)
    kept = [p for p in tmp_path.iterdir() if ".radweg-old-" in p.name]  # same name as a new file: set aside
    assert len(kept) == 1 and (kept[0] / "index.html").read_text(encoding="utf-8") == "<p>Startseite der Gemeinde</p>"


def test_every_file_publish_writes_is_one_it_may_later_remove(sample: Path, tmp_path: Path) -> None:
    """The paths deploy may delete (SITE_PATHS) cover every file of a public and a planner build, so a stale
    page of either is removed by the next publish rather than kept as the user's."""
    from radweg.site.deploy import SITE_PATHS

    ds = Store(sample).load()
    for planner in (False, True):
        out = tmp_path / f"site-{planner}"
        publish(ds, out, SiteOptions(planner=planner))
        written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
        assert written and [r for r in written if not SITE_PATHS.fullmatch(r)] == []
