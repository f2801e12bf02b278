"""``radweg neighbours …``."""

from __future__ import annotations

import json
from pathlib import Path


def test_list_show(run) -> None:
    records = json.loads(run("neighbours", "list", "--json").stdout)
    assert len(records) == 9
    assert {r["network"] for r in records} <= {"icn", "ncn", "rcn", "lcn"}
    kyff = json.loads(run("neighbours", "show", "kyffhaeuser-radweg", "--json").stdout)
    assert kyff["geometry"]["type"] == "MultiLineString"
    assert kyff["properties"]["parts"] == 2
    assert "Kyffhäuser" in run("neighbours", "show", "kyffhaeuser-radweg").stdout
    only = json.loads(run("neighbours", "list", "--network", "ncn", "--json").stdout)
    assert [r["id"] for r in only] == ["r1-europaradweg"]


def test_import_and_remove(run, tmp_path: Path) -> None:
    src = tmp_path / "n.geojson"
    src.write_text(json.dumps({"type": "Feature", "properties": {"name": "Helme-Radweg (Test)"},
                               "geometry": {"type": "MultiLineString",
                                            "coordinates": [[[11.0, 51.4], [11.1, 51.4]], [[11.2, 51.4], [11.3, 51.4]]]}}))
    result = run("neighbours", "import", str(src), "--network", "lcn")
    assert result.exit_code == 0, result.output
    props = json.loads(run("neighbours", "show", "helme-radweg-test", "--json").stdout)["properties"]
    assert props["network"] == "lcn"
    bad = run("neighbours", "import", str(src), "--network", "xyz", "--update")
    assert bad.exit_code == 1 and "field 'network'" in bad.stderr
    assert run("neighbours", "remove", "helme-radweg-test").exit_code == 0
    assert run("neighbours", "show", "helme-radweg-test").exit_code == 1
