"""The public Python API: docs/api.md runs as a doctest; ``import radweg`` stays light."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import radweg

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_the_api_documentation_runs(sample: Path) -> None:
    result = doctest.testfile(str(DOCS), module_relative=False, globs={"SAMPLE": str(sample)},
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 15
    assert result.failed == 0


def test_every_public_name_resolves() -> None:
    for name in radweg.__all__:
        assert getattr(radweg, name) is not None
    assert set(radweg.__all__) <= set(dir(radweg))


def test_importing_radweg_loads_no_heavy_library() -> None:
    code = ("import sys, radweg; heavy = {'click', 'numpy', 'shapely', 'folium', 'networkx', 'osmnx', 'lxml', "
            "'scipy', 'pyproj'}; print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_api_works_without_the_cli(sample: Path) -> None:
    # (rasterio, which reads the terrain model, imports click itself: the promise is that radweg's own
    # functions need no Click context, not that no library ever loads it)
    code = ("import sys, radweg; ds = radweg.load(sys.argv[1]); r = radweg.find_gaps(ds); "
            "radweg.export_gpx(ds, sys.argv[1] + '/output/gpx'); "
            "print(len(r.gaps), any(m.startswith('radweg.cli') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(radweg.find_gaps(radweg.load(sample)).gaps)), "False"]
