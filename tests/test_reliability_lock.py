"""The data folder's lock and the check for files changed on disk: no update is ever lost."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from radweg.cli.main import cli
from radweg.data.lock import LOCK_FILE
from radweg.data.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _radweg(data: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "radweg", "--data", str(data), *args], env=_env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _notes(data: Path) -> dict[str, object]:
    obj = json.loads((data / "routes/segments.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f["properties"]["notes"] for f in obj["features"]}


def test_twenty_concurrent_pairs_of_set_lose_no_update(sample: Path) -> None:
    """20 pairs of `segments set` started at the same time, on the same and on different segments: after each
    pair both changes are in the file (or the one that did not get the lock said "busy")."""
    ids = sorted(_notes(sample))
    outcomes = {"both": 0, "busy": 0}
    for pair in range(20):
        a, b = (ids[0], ids[0]) if pair % 2 else (ids[pair % len(ids)], ids[(pair + 1) % len(ids)])
        field_a, field_b = ("notes", "municipality") if a == b else ("notes", "notes")
        procs = [_radweg(sample, "segments", "set", a, f"{field_a}=A{pair}"),
                 _radweg(sample, "segments", "set", b, f"{field_b}=B{pair}")]
        results = [(p.wait(60), p.communicate()) for p in procs]
        obj = json.loads((sample / "routes/segments.geojson").read_text(encoding="utf-8"))
        props = {f["properties"]["id"]: f["properties"] for f in obj["features"]}
        for (code, (_, err)), seg, fld, value in zip(results, (a, b), (field_a, field_b), (f"A{pair}", f"B{pair}"),
                                                     strict=True):
            assert "Traceback" not in err
            if code == 0:
                assert props[seg][fld] == value, f"pair {pair}: the update of {seg}.{fld} was lost"
            else:
                assert code == 1 and "busy" in err, err
                outcomes["busy"] += 1
        if all(code == 0 for code, _ in results):
            outcomes["both"] += 1
    assert outcomes["both"] + outcomes["busy"] >= 20
    assert not (sample / LOCK_FILE).exists()
    assert not list(sample.rglob("*.radweg-tmp"))


def test_a_held_lock_gives_the_busy_error_after_the_wait(sample: Path) -> None:
    """A writer waits RADWEG_LOCK_TIMEOUT seconds for a lock held elsewhere, then one line, exit 1; nothing changed."""
    before = (sample / "routes/segments.geojson").read_bytes()
    with open(sample / LOCK_FILE, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        proc = _radweg(sample, "segments", "set", "kelbra-rossla", "notes=x", RADWEG_LOCK_TIMEOUT="0.5")
        code, (_, err) = proc.wait(60), proc.communicate()
        reader = _radweg(sample, "segments", "list", RADWEG_LOCK_TIMEOUT="0.3")
        rcode, (_, rerr) = reader.wait(60), reader.communicate()
    assert code == 1 and err.count("\n") == 1 and "busy" in err and "RADWEG_LOCK_TIMEOUT" in err, err
    assert rcode == 1 and "busy" in rerr, rerr
    assert (sample / "routes/segments.geojson").read_bytes() == before


def test_readers_share_the_lock(sample: Path) -> None:
    """A shared lock held elsewhere (another reader) does not stop a reader."""
    with open(sample / LOCK_FILE, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_SH)
        proc = _radweg(sample, "validate", RADWEG_LOCK_TIMEOUT="0.5")
        code, (_, err) = proc.wait(60), proc.communicate()
    assert code == 0, err


def test_a_change_made_meanwhile_is_not_overwritten(sample: Path) -> None:
    """Someone edits a file between load and save (an editor, QGIS): the save refuses, naming the file."""
    st = Store(sample)
    ds = st.load()
    path = sample / "routes/tours.geojson"
    edited = path.read_text(encoding="utf-8").replace('"name": "', '"name": "Edited ', 1)
    path.write_text(edited, encoding="utf-8")
    seg = ds.segments.items[0]
    from dataclasses import replace
    ds.segments.items[0] = replace(seg, notes="mine")
    try:
        st.save(ds, ["segments"])
    except Exception as exc:  # noqa: BLE001 - checked below
        assert type(exc).__name__ == "StaleDataError"
        assert str(exc).startswith("routes/tours.geojson: changed on disk since it was loaded")
    else:
        raise AssertionError("the save overwrote a change made meanwhile")
    assert path.read_text(encoding="utf-8") == edited
    assert '"notes": "mine"' not in (sample / "routes/segments.geojson").read_text(encoding="utf-8")


def test_the_cli_names_the_changed_file(sample: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Through the CLI: the edit happens while `segments set` runs (after its load): exit 1, one line."""
    import radweg.data.edit as edit

    real = edit.set_fields

    def set_and_edit(*args, **kwargs):  # type: ignore[no-untyped-def]
        target = sample / "pois/pois.geojson"
        target.write_bytes(target.read_bytes() + b"\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(edit, "set_fields", set_and_edit)
    result = CliRunner().invoke(cli, ["--data", str(sample), "segments", "set", "kelbra-rossla", "notes=x"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[0].startswith("Error: pois/pois.geojson: changed on disk")
