"""``radweg export gpx`` on the sample data folder."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import tree_digest


def test_default_output_folder_and_table(run, sample: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("export", "gpx")
    assert res.exit_code == 0, res.output
    out = sample / "output" / "gpx"
    names = sorted(p.name for p in out.iterdir())
    assert "nord-sued.gpx" in names and "west-ost-03-klostermansfeld-roeblingen-am-see.gpx" in names
    assert "nord-sued.zip" in names and "nord-sued.route.gpx" in names
    assert "nord-sued-02-wettelrode-kelbra.route.gpx" in names
    assert "wrote" in res.output and "illustrative" in res.output


def test_rerun_is_byte_identical(run, sample: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("export", "gpx", "--per-segment").exit_code == 0
    first = tree_digest(sample / "output")
    assert run("export", "gpx", "--per-segment").exit_code == 0
    assert tree_digest(sample / "output") == first and len(first) == 40  # 39 files and .radweg-gpx.json


def test_one_tour_as_route_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("export", "gpx", "west-ost", "--as-route", "--max-points", "5", "--simplify", "10", "--json",
              "-o", str(tmp_path / "gpx"))
    assert res.exit_code == 0, res.output
    records = json.loads(res.stdout)
    routes = [r for r in records if r["kind"] == "route"]
    assert len(routes) == 4 and all(r["points"] <= 5 for r in routes)
    assert {r["tour"] for r in records} == {"west-ost"}
    assert all(Path(r["file"]).parent == tmp_path / "gpx" for r in records)


def test_cap_that_costs_more_than_simplify_is_reported(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("export", "gpx", "west-ost", "--as-route", "--max-points", "3", "--simplify", "10",
              "-o", str(tmp_path / "gpx"))
    assert res.exit_code == 0
    assert "warning: west-ost.route.gpx: the point cap cost" in res.output


def test_reverse_and_per_segment(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("export", "gpx", "nord-sued", "--reverse", "--per-segment", "--no-zip", "--no-route",
              "-o", str(tmp_path / "gpx"))
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "gpx").iterdir())
    assert "nord-sued-gegenrichtung-01-kelbra-roehrigschacht-wettelrode.gpx" in names
    assert "nord-sued-gegenrichtung-seg-01-kelbra-rossla.gpx" in names
    assert not any(n.endswith((".zip", ".route.gpx")) for n in names)


def test_errors(run, sample: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = tree_digest(sample)
    res = run("export", "gpx", "nope", "-o", str(tmp_path / "x"))
    assert res.exit_code == 1 and res.output.startswith("Error: no tour with id 'nope'")
    assert run("export", "gpx", "--max-points", "1").exit_code == 2
    assert run("export", "gpx", "--simplify", "0").exit_code == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = run("export", "gpx", "-o", str(blocker))
    assert res.exit_code in (1, 2) and "Traceback" not in res.output
    assert tree_digest(sample) == before
    assert not (tmp_path / "x").exists()


def test_export_group_is_importable_for_other_subcommands() -> None:
    from radweg.cli.export import export

    assert "gpx" in export.commands


def test_a_foreign_non_empty_folder_is_refused(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`export gpx -o` treats a folder radweg did not make as publish does: refused (exit 1), untouched;
    --force writes into it and deletes nothing; a folder an export made is reused without --force."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "nord-sued.gpx").write_text("my own track")
    res = run("export", "gpx", "-o", str(mine))
    assert res.exit_code == 1 and "not made by 'radweg export gpx'" in res.stderr
    assert [p.name for p in mine.iterdir()] == ["nord-sued.gpx"]
    assert run("export", "gpx", "-o", str(mine), "--force").exit_code == 0
    assert run("export", "gpx", "-o", str(mine)).exit_code == 0
