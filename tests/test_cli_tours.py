"""``radweg tours …``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import tree_digest


def test_list_show(run) -> None:
    records = json.loads(run("tours", "list", "--json").stdout)
    assert [r["id"] for r in records] == ["nord-sued", "pyramidenrunde", "west-ost"]
    assert all(r["stages"] >= 1 and r["length_km"] > 20 for r in records)
    feat = json.loads(run("tours", "show", "nord-sued", "--json").stdout)
    assert feat["geometry"] is None
    assert feat["properties"]["segments"][0] == "klostermansfeld-arnstein:r"
    assert "Arnstein – Wettelrode" in run("tours", "show", "nord-sued").stdout


def test_add_with_stages(run) -> None:
    result = run("tours", "add", "sued", "--name", "Süd: Kelbra – Röblingen",
                 "--segments", "kelbra-rossla,rossla-sangerhausen,sangerhausen-allstedt,allstedt-roeblingen",
                 "--stage", "Kelbra – Sangerhausen", "start", "11.3,51.46667",
                 "--stage", "Sangerhausen – Röblingen", "11.3,51.46667", "end",
                 "--name-en", "South")
    assert result.exit_code == 0, result.output
    stats = json.loads(run("stats", "sued", "--json").stdout)["tours"][0]
    stages = stats["stages"]
    assert [s["id"] for s in stages] == ["kelbra-sangerhausen", "sangerhausen-roeblingen"]
    assert abs(sum(s["length_km"] for s in stages) - stats["length_km"]) < 0.3
    assert stages[0]["end"] == ""  # a stage end given as LON,LAT has no name


def test_add_refuses_missing_segment_and_bad_stage(run, sample: Path) -> None:
    before = tree_digest(sample)
    missing = run("tours", "add", "t", "--name", "T", "--segments", "kelbra-rossla,fehlt")
    assert missing.exit_code == 1 and "no segment with id 'fehlt'" in missing.stderr
    off = run("tours", "add", "t", "--name", "T", "--segments", "kelbra-rossla",
              "--stage", "Weit weg", "start", "schloss-mansfeld")
    assert off.exit_code == 1 and "field 'stages[0].end'" in off.stderr
    unknown = run("tours", "add", "t", "--name", "T", "--segments", "kelbra-rossla",
                  "--stage", "X", "start", "km:99")
    assert unknown.exit_code == 1 and "beyond the tour" in unknown.stderr
    assert tree_digest(sample) == before


def test_reversed_legs(run) -> None:
    fwd = run("tours", "add", "a", "--name", "A", "--segments", "kelbra-rossla,rossla-sangerhausen")
    rev = run("tours", "add", "b", "--name", "B", "--segments", "rossla-sangerhausen:r,kelbra-rossla:r")
    assert fwd.exit_code == 0 and rev.exit_code == 0
    valid = json.loads(run("validate", "--json").stdout)
    assert not [p for p in valid["problems"] if p["feature"] in ("'a'", "'b'")]
    wrong = run("tours", "add", "c", "--name", "C", "--segments", "rossla-sangerhausen,kelbra-rossla")
    assert wrong.exit_code == 0  # saved, but validate warns that the legs do not meet
    warnings = [p for p in json.loads(run("validate", "--json").stdout)["problems"] if p["feature"] == "'c'"]
    assert warnings and warnings[0]["severity"] == "warning" and "do not meet" in warnings[0]["message"]


def test_set_fields_segments_stages(run) -> None:
    assert run("tours", "set", "pyramidenrunde", "name_en=Heap tour", "description=Neu").exit_code == 0
    props = json.loads(run("tours", "show", "pyramidenrunde", "--json").stdout)["properties"]
    assert (props["name_en"], props["description"]) == ("Heap tour", "Neu")
    staged = run("tours", "set", "pyramidenrunde", "--stage", "Teil 1", "start", "km:10",
                 "--stage", "Teil 2", "km:10", "end")
    assert staged.exit_code == 0, staged.output
    stages = json.loads(run("stats", "pyramidenrunde", "--json").stdout)["tours"][0]["stages"]
    assert [round(s["length_km"]) for s in stages] == [10, round(stages[1]["length_km"])]
    assert abs(stages[0]["length_km"] - 10.0) < 0.05
    assert run("tours", "set", "pyramidenrunde", "--clear-stages").exit_code == 0
    assert json.loads(run("tours", "show", "pyramidenrunde", "--json").stdout)["properties"]["stages"] == []
    assert run("tours", "set", "pyramidenrunde").exit_code == 2
    assert run("tours", "set", "pyramidenrunde", "segments=x").exit_code == 2


def test_remove(run) -> None:
    assert run("tours", "remove", "west-ost").exit_code == 0
    assert [r["id"] for r in json.loads(run("tours", "list", "--json").stdout)] == ["nord-sued", "pyramidenrunde"]
