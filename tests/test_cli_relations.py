"""``radweg relations check`` on hand-made files: text, --json fields, JOSM ids, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from radweg.cli.main import cli

DATA = Path(__file__).parent / "data" / "relations"
FIELDS = {"id", "name", "continuous", "forward_continuous", "backward_continuous", "pieces", "gaps", "problems"}


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_json_has_the_fields_for_every_relation() -> None:
    res = invoke("relations", "check", str(DATA / "oneway-pair.osm"), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [r["id"] for r in out] == [200, 201, 202]
    for r in out:
        assert set(r) >= FIELDS
        assert r["continuous"] == (r["forward_continuous"] and r["backward_continuous"] and r["complete"])
        for p in r["problems"]:
            assert set(p) >= {"rule", "member", "message"}
    assert out[2]["forward_continuous"] and not out[2]["backward_continuous"]
    assert out[2]["backward"]["breaks"][0]["distance_m"] > 300


def test_josm_file_with_negative_ids_by_relation() -> None:
    res = invoke("relations", "check", str(DATA / "josm.osm"), "--relation", "-1", "--relation", "-2", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [(r["id"], r["continuous"]) for r in out] == [(-2, False), (-1, True)]
    assert {p["rule"] for p in out[0]["problems"]} >= {"missing-role"}


def test_text_output_and_severity_filter() -> None:
    res = invoke("relations", "check", str(DATA / "order-extra-gap.osm"), "--severity", "error")
    assert res.exit_code == 0
    assert "relation 502 Mit Lücke: forward: 1 break (417 m); backward: 1 break (417 m); 2 pieces" in res.stdout
    assert "error   gap" in res.stdout
    assert "missing-ref" not in res.stdout  # info, filtered out
    assert "5 relation(s), 1 continuous in both directions" in res.stderr


def test_route_filter_and_no_relations() -> None:
    res = invoke("relations", "check", str(DATA / "simple.osm"), "--route", "hiking")
    assert res.exit_code == 0 and "no route relations with route=hiking" in res.stderr


def test_errors_are_one_line(tmp_path: Path) -> None:
    res = invoke("relations", "check", str(DATA / "simple.osm"), "--relation", "12345")
    assert res.exit_code == 1 and res.stderr.strip().endswith("no relation 12345 in this file")
    assert "Traceback" not in res.output
    bad = tmp_path / "bad.osm"
    bad.write_text("<osm version='0.6'><node id='-1' lat='1' lon='2'></osm>")
    res = invoke("relations", "check", str(bad))
    assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1 and str(bad) in res.stderr
    res = invoke("relations", "check", str(tmp_path / "none.osm"))
    assert res.exit_code == 2


def test_neighbours_import_reports_the_direction_verdict(sample: Path) -> None:
    res = CliRunner().invoke(cli, ["--data", str(sample), "-v", "neighbours", "import", str(DATA / "oneway-single.osm"),
                                   "--relation", "300", "--dry-run"])
    assert res.exit_code == 0, res.output
    assert ("relation 300: continuous (1 piece); by direction: forward continuous; backward: 1 break (347 m), "
            "1 member not ridden; gap, not-ridden, missing-role") in res.output


def test_check_flag_gives_exit_status_3() -> None:
    assert invoke("relations", "check", str(DATA / "simple.osm"), "--check").exit_code == 0
    res = invoke("relations", "check", str(DATA / "order-extra-gap.osm"), "--check", "--json")
    assert res.exit_code == 3 and json.loads(res.stdout)
