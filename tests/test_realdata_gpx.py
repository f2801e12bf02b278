"""Every real-world GPX file in ../shared/realdata imports, or is refused with one clean line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REALDATA

from radweg.cli.main import cli

FOLDERS = ("gpxpy", "georust-gpx", "togeojson", "gpx.studio", "graphhopper")


def _corpus() -> list[str]:
    if not REALDATA.is_dir():
        return []
    return sorted(str(p.relative_to(REALDATA)) for d in FOLDERS for p in (REALDATA / d).rglob("*.gpx"))


NO_LINE = "no track segment or route with at least two distinct points"
NO_WPT = "no waypoints (wpt)"
EMPTY = (NO_LINE, NO_WPT)

# Refused as a whole, with the reason (segments message, POI message). The report lists them too.
REFUSED: dict[str, tuple[str, str]] = {
    "gpx.studio/gpx/test-data/with_power_2.gpx": ("not well-formed XML",) * 2,  # undeclared gpxpx: prefix
    "togeojson/test/data/bad.gpx": ("'undefined' is not a number",) * 2,  # lat="undefined"
    "georust-gpx/tests/fixtures/empty_name_tag.gpx": EMPTY,  # a track without points
    "georust-gpx/tests/fixtures/wahoo_example.gpx": EMPTY,  # 3 points, all at one position
    "georust-gpx/tests/fixtures/wikipedia_example.gpx": EMPTY,  # 3 points, all at one position
    "gpxpy/test_files/custom_schema_locations.gpx": EMPTY,  # an empty <gpx>
    "gpxpy/test_files/default_schema_locations.gpx": EMPTY,  # an empty <gpx>
    "gpxpy/test_files/gpx-with-node-with-comments.gpx": EMPTY,  # a single point
    "gpxpy/test_files/unicode2.gpx": EMPTY,  # a track without points
    "graphhopper/web/src/test/resources/issue-127.gpx": EMPTY,  # 2 points at one position
    "graphhopper/web/src/test/resources/no_trk.gpx": EMPTY,
    "graphhopper/web/src/test/resources/no_trkpt.gpx": EMPTY,
    "graphhopper/web/src/test/resources/no_trkseg.gpx": EMPTY,
    "togeojson/test/data/empty_ele.gpx": EMPTY,  # 2 points at one position
    "togeojson/test/data/empty_trk.gpx": EMPTY,
    "togeojson/test/data/trek_no_rtept.gpx": EMPTY,  # a route without points
    "togeojson/test/data/unique_trkpt.gpx": EMPTY,  # a single point
}
"""Everything else imports as segments, as POIs, or both; a file that has only one of the two gets a
message for the other import saying what the file holds instead."""


def _import(runner: CliRunner, data: Path, kind: str, path: Path) -> tuple[int, str]:
    res = runner.invoke(cli, ["--data", str(data), kind, "import", str(path)])
    assert res.exit_code in (0, 1), f"{path}: exit {res.exit_code}: {res.exception!r}"
    assert "Traceback" not in res.output
    return res.exit_code, res.output


@pytest.mark.realdata
@pytest.mark.parametrize("rel", _corpus() or ["(realdata absent)"])
def test_real_gpx_imports_or_is_refused_cleanly(realdata: Path, rel: str, tmp_path: Path) -> None:
    path = realdata / rel
    runner = CliRunner()
    outcomes = {}
    for kind in ("segments", "pois"):
        data = tmp_path / kind
        assert runner.invoke(cli, ["init", str(data)]).exit_code == 0
        code, out = _import(runner, data, kind, path)
        if code == 1:
            errors = [line for line in out.strip().splitlines() if line.startswith("Error: ")]
            assert len(errors) == 1, out
            assert str(path) in errors[0]
        else:
            check = runner.invoke(cli, ["--data", str(data), "validate"])
            assert check.exit_code == 0, check.output
        outcomes[kind] = (code, out)
    imported = any(code == 0 for code, _ in outcomes.values())
    if rel in REFUSED:
        assert not imported
        assert REFUSED[rel][0] in outcomes["segments"][1] and REFUSED[rel][1] in outcomes["pois"][1]
    else:
        assert imported, f"{rel}: {outcomes}"


@pytest.mark.realdata
def test_the_corpus_is_there(realdata: Path) -> None:
    files = _corpus()
    assert len(files) >= 95, len(files)
    assert set(REFUSED) <= set(files)


@pytest.mark.realdata
def test_the_broken_xml_sample_from_georust_is_refused(realdata: Path, tmp_path: Path) -> None:
    bad = realdata / "georust-gpx/tests/fixtures/badcharacter.xml"
    if not bad.exists():
        pytest.skip("badcharacter.xml absent")
    from radweg.errors import GpxError
    from radweg.gpx.xmlio import read_gpx

    with pytest.raises(GpxError) as exc:
        read_gpx(bad)
    assert "\n" not in str(exc.value) and os.fspath(bad) in str(exc.value)
