"""The ``dem``, ``dem_crs`` and ``dem_source`` settings: checks and the heights note."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from radweg.elevation.settings import check_settings, heights_note


def test_wrong_settings_are_errors_and_a_missing_file_warns(tmp_path: Path) -> None:
    problems = check_settings({"dem": [3]}, tmp_path)
    assert [(p.field, p.warning) for p in problems] == [("dem", False)]
    problems = check_settings({"dem": ["terrain/none.asc"], "dem_crs": "EPSG:nope", "dem_source": 5}, tmp_path)
    assert [(p.field, p.warning) for p in problems] == [("dem", True), ("dem_crs", False), ("dem_source", False)]
    assert "terrain/none.asc" in problems[0].message
    assert check_settings({}, tmp_path) == []


def test_validate_reports_a_bad_dem_setting_by_file_and_field(run: Callable[..., Result], sample: Path) -> None:
    settings = sample / "radweg.json"
    project = json.loads(settings.read_text(encoding="utf-8"))
    project["dem"] = {"path": "x"}
    settings.write_text(json.dumps(project), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert "error: radweg.json: field 'dem': must be a list of file paths" in result.output


def test_the_heights_note_comes_from_dem_source_or_names_the_files() -> None:
    src = {"de": "Höhen: 1-km-Geländemodell", "en": "Heights: 1 km terrain model"}
    assert heights_note({"dem": ["a.tif"], "dem_source": src}, "en") == "Heights: 1 km terrain model"
    assert heights_note({"dem": ["a.tif"], "dem_source": src}, "fr") == "Höhen: 1-km-Geländemodell"
    assert heights_note({"dem": ["t/N51E011.hgt.zip"]}, "de") == "Höhen: Geländemodell N51E011.hgt.zip"
    assert heights_note({}, "de") is None
