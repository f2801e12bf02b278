"""Golden outputs: a sha256 of everything radweg makes from the sample data.

The hashes in ``tests/data/golden.json`` were recorded before a refactoring; a
refactoring must leave them unchanged. A change that is meant to change an
output updates them (``RADWEG_GOLDEN_UPDATE=1 python -m pytest tests/test_golden.py``)
and says so in its commit message.

The GeoPackage is compared by its content as GDAL reads it back (GDAL writes
timestamps into the file itself); every other output byte by byte.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from radweg.cli.main import cli

GOLDEN = Path(__file__).parent / "data" / "golden.json"
EPOCH = "1700000000"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree(root: Path, prefix: str) -> dict[str, str]:
    return {f"{prefix}/{p.relative_to(root).as_posix()}": _sha(p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


def _gpkg_content(path: Path) -> str:
    import pyogrio

    frame = pyogrio.read_dataframe(path)
    return _sha(frame.to_json(sort_keys=True).encode())


def outputs(sample: Path, out: Path) -> dict[str, str]:
    """Run every output command on the sample and hash what it writes and prints."""
    runner = CliRunner()
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    digests: dict[str, str] = {}

    def run(name: str, *args: str) -> None:
        result = runner.invoke(cli, ["--data", str(sample), *args], env=env)
        assert result.exit_code == 0, (args, result.output)
        digests[f"stdout/{name}"] = _sha(result.stdout.replace(str(out), "OUT").encode())

    run("validate", "validate")
    run("stats", "stats", "--json")
    run("stats-nord-sued", "stats", "nord-sued", "--json")
    for tour in ("nord-sued", "west-ost", "pyramidenrunde"):
        run(f"stages-{tour}", "stages", tour)
    run("stages-plan", "stages", "nord-sued", "--target-km", "40")
    run("pois-list", "pois", "list")
    run("pois-list-json", "pois", "list", "--json")
    run("neighbours-list", "neighbours", "list", "--json")
    run("segments-list", "segments", "list", "--json")
    run("tours-show", "tours", "show", "nord-sued", "--json")
    run("export-gpx", "export", "gpx", "-o", str(out / "gpx"))
    digests.update(_tree(out / "gpx", "gpx"))
    for fmt in ("md", "html", "csv", "geojson"):
        run(f"gaps-{fmt}", "gaps", "--format", fmt, "-o", str(out / f"gaps.{fmt}"))
        digests[f"gaps.{fmt}"] = _sha((out / f"gaps.{fmt}").read_bytes())
    run("gaps-gpkg", "gaps", "--format", "gpkg", "-o", str(out / "gaps.gpkg"))
    digests["gaps.gpkg"] = _gpkg_content(out / "gaps.gpkg")
    run("gaps-text", "gaps")
    run("export-map", "export", "map", "-o", str(out / "map.html"))
    digests["map.html"] = _sha((out / "map.html").read_bytes())
    run("publish", "publish", "-o", str(out / "site"))
    digests.update(_tree(out / "site", "site"))
    return digests


def test_outputs_match_the_recorded_hashes(sample: Path, tmp_path: Path) -> None:
    got = outputs(sample, tmp_path / "out")
    if os.environ.get("RADWEG_GOLDEN_UPDATE"):
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("golden hashes rewritten")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    assert not changed, f"outputs changed: {changed}"
