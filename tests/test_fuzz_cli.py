"""Fuzzing the command line with hostile documents (hypothesis, deterministic).

Generated: GeoJSON import files and data files (wrong types everywhere, numbers too large for a float,
5,000-digit integers, NaN, deep nesting, lone surrogates, duplicate keys, Windows device names, huge ids,
markup in names, broken bytes), GPX files (bad numbers such as "1_1.3", "NaN", "1e999", Arabic digits,
DOCTYPEs and entities, foreign namespaces, deep nesting), OpenStreetMap XML (NaN and out-of-range
coordinates, over-long tags, missing nodes, negative ids) and radweg.json settings.

For every document, each command (import, validate, gaps, export, publish) must end with exit status 0, 1 or
2, print no traceback and no "internal error" (every failure has its own message), and leave every data file
as it was when it fails. Runs are derandomized (the same examples every run) and bounded in number.
Set RADWEG_FUZZ_REPORT=FILE to get the counts (documents tried, runs, refused, crashed) as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radweg.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
COUNTS: Counter[str] = Counter()

FUZZ = settings(derandomize=True, deadline=None, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])

# ---------------------------------------------------------------- hostile atoms

HUGE_INT = int("9" * 400)
TEXTS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "con", "nul", "aux", "com1", "lpt9", "a" * 100_000, "\ud800", "x\udfff",
                     "[klick](javascript:alert(1))", "![](https://evil.example/p.png)", "<img src=x onerror=1>",
                     " =1+1", "kelbra-rossla", "neu-1", "Ä", "1_1.3", "../../etc/passwd", "\x00", "\u202e"]),
)
NUMBERS = st.one_of(
    st.integers(-200, 200), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([HUGE_INT, -HUGE_INT, 1e308, -1e308, 9001, -1001, 11.3, 51.47, 0, True, False]),
)
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, TEXTS)
JSON_VALUES = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(TEXTS, inner, max_size=4)),
                           max_leaves=12)
POSITION = st.one_of(
    st.tuples(st.floats(10.9, 11.8), st.floats(51.25, 51.75)).map(list),
    st.tuples(st.floats(10.9, 11.8), st.floats(51.25, 51.75), NUMBERS).map(list),
    st.lists(NUMBERS, max_size=4), JSON_VALUES,
)
GEOMETRY = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(["LineString", "Point", "MultiLineString", "Polygon", 5]),
                           "coordinates": st.one_of(st.lists(POSITION, max_size=5), POSITION, JSON_VALUES)}),
    JSON_VALUES,
)
PROPS = st.one_of(
    st.fixed_dictionaries({}, optional={
        "id": TEXTS, "name": TEXTS, "status": st.sampled_from(["planned", "existing", "bogus", 3]),
        "type": st.sampled_from(["halde", "museum", "bogus", None]), "height_m": NUMBERS,
        "surface": TEXTS, "notes": JSON_VALUES, "approx": LEAVES, "osm_id": NUMBERS, "network": TEXTS}),
    JSON_VALUES,
)
FEATURE = st.one_of(st.fixed_dictionaries({"type": st.just("Feature"), "properties": PROPS, "geometry": GEOMETRY}),
                    JSON_VALUES)
COLLECTION = st.one_of(
    st.fixed_dictionaries({"type": st.just("FeatureCollection"), "features": st.lists(FEATURE, max_size=4)},
                          optional={"metadata": JSON_VALUES, "crs": JSON_VALUES}),
    FEATURE, JSON_VALUES,
)


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=True)


RAW_TRICKS = st.sampled_from([
    lambda t: t, lambda t: t, lambda t: t,
    lambda t: "[" * 5000 + "]" * 5000,
    lambda t: t.replace("{", '{"id": "a", "id": "b", ', 1),  # duplicate keys
    lambda t: t[: len(t) // 2],  # truncated
    lambda t: '{"type": "FeatureCollection", "features": [], "n": ' + "1" * 5000 + "}",
    lambda t: "\ufeff" + t,
])


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@st.composite
def geojson_docs(draw: st.DrawFn) -> bytes:
    obj = draw(COLLECTION)
    # as ASCII, a lone surrogate is the escape "\ud800" (valid JSON, not valid text); else raw bytes
    text = draw(RAW_TRICKS)(json.dumps(obj, ensure_ascii=draw(st.booleans()), allow_nan=True))
    raw = _bytes(text)
    if draw(st.integers(0, 9)) == 0:
        raw = raw + b"\xff\xfe"
    return raw


GPX_NUMBERS = st.one_of(st.floats(-200, 200).map(str),
                        st.sampled_from(["51.4", "11.3", "1_1.3", "NaN", "inf", "1e999", "", " 51.4 ", "٥١",
                                         "+51", "51,4", "0x1F", "-0", "1e2", "9" * 400]))


@st.composite
def gpx_docs(draw: st.DrawFn) -> bytes:
    ns = draw(st.sampled_from(['xmlns="http://www.topografix.com/GPX/1/1"', 'xmlns="http://www.topografix.com/GPX/1/0"',
                               "", 'xmlns="urn:other"']))

    def pt(tag: str) -> str:
        ele = draw(st.one_of(st.just(""), GPX_NUMBERS.map(lambda e: f"<ele>{e}</ele>")))
        name = _xml(draw(TEXTS))
        return f'<{tag} lat="{draw(GPX_NUMBERS)}" lon="{draw(GPX_NUMBERS)}">{ele}<name>{name}</name></{tag}>'

    body = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["trk", "rte", "wpt", "extensions"]))
        if kind == "trk":
            segs = "".join("<trkseg>" + "".join(pt("trkpt") for _ in range(draw(st.integers(0, 4)))) + "</trkseg>"
                           for _ in range(draw(st.integers(0, 2))))
            body.append(f"<trk><name>{_xml(draw(TEXTS))}</name>{segs}</trk>")
        elif kind == "rte":
            body.append("<rte>" + "".join(pt("rtept") for _ in range(draw(st.integers(0, 4)))) + "</rte>")
        elif kind == "wpt":
            body.append(pt("wpt"))
        else:
            body.append("<extensions>" + "<x>" * draw(st.integers(0, 300)) + "</x>" * 0 + "</extensions>")
    head = draw(st.sampled_from(['<?xml version="1.0" encoding="UTF-8"?>', "",
                                 '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY e "&#x41;">]>',
                                 '<?xml version="1.0" encoding="latin-1"?>']))
    root = draw(st.sampled_from(["gpx", "gpx", "kml"]))
    return _bytes(f'{head}<{root} version="1.1" creator="fuzz" {ns}>{"".join(body)}</{root}>')


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


@st.composite
def osm_docs(draw: st.DrawFn) -> bytes:
    coords = st.one_of(st.floats(51.3, 51.7).map(str), st.sampled_from(["NaN", "inf", "91", "-181", "", "1e999"]))
    ids = st.one_of(st.integers(1, 50), st.sampled_from([-1, -2, 0, 2**63, 2**70]))
    long_tag = st.sampled_from(["x" * 300, "ä" * 600, "x" * 2000, "Halde", "<b>&amp;"])
    nodes = []
    for i in range(1, draw(st.integers(0, 5)) + 1):
        tags = "".join(f'<tag k="{k}" v="{_xml(draw(long_tag))}"/>'
                       for k in draw(st.lists(st.sampled_from(["name", "historic", "man_made", "highway"]),
                                              max_size=2, unique=True)))
        nodes.append(f'<node id="{draw(st.one_of(st.just(i), ids))}" lat="{draw(coords)}" '
                     f'lon="{draw(coords).replace("51.", "11.")}" version="1">{tags}</node>')
    ways = []
    for w in range(draw(st.integers(0, 2))):
        refs = "".join(f'<nd ref="{draw(ids)}"/>' for _ in range(draw(st.integers(0, 4))))
        highway = draw(st.sampled_from(["cycleway", "track", "x" * 2000]))
        ways.append(f'<way id="{100 + w}" version="1">{refs}<tag k="highway" v="{highway}"/>'
                    f'<tag k="name" v="{_xml(draw(long_tag))}"/></way>')
    rels = []
    if draw(st.booleans()):
        rels.append('<relation id="900" version="1"><member type="way" ref="100" role=""/>'
                    '<tag k="type" v="route"/><tag k="route" v="bicycle"/>'
                    f'<tag k="name" v="{_xml(draw(long_tag))}"/></relation>')
    return _bytes(f'<?xml version="1.0"?><osm version="0.6">{"".join(nodes + ways + rels)}</osm>')


SETTINGS = st.one_of(
    st.fixed_dictionaries({}, optional={"name": TEXTS, "bbox": st.one_of(JSON_VALUES, st.lists(NUMBERS, max_size=5)),
                                        "stage_tolerance_m": NUMBERS, "illustrative": LEAVES}),
    JSON_VALUES,
)

# ---------------------------------------------------------------- running


CREATED: list[Path] = []


def _fresh() -> Path:
    CREATED.append(Path(tempfile.mkdtemp(prefix="radweg-fuzz-")))
    data = CREATED[-1] / "data"
    data.mkdir()
    shutil.copy2(ROOT / "radweg.json", data / "radweg.json")
    shutil.copytree(ROOT / "routes", data / "routes")
    shutil.copytree(ROOT / "pois", data / "pois")
    return data


def _data_digest(data: Path) -> dict[str, str]:
    return {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*")) if p.is_file() and p.relative_to(data).parts[0] != "output"}


def _run(data: Path, *args: str) -> int:
    """One command; asserts the promises; returns the exit status."""
    before = _data_digest(data)
    result = CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)
    out = result.output
    COUNTS["runs"] += 1
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, out[-500:])
    assert "Traceback" not in out and "internal error" not in out, (args, out[-1500:])
    if result.exit_code != 0:
        COUNTS["refused"] += 1
        assert _data_digest(data) == before, f"{args}: failed but changed data files"
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert errors or result.exit_code == 2 or args[0] == "validate", (args, out[-500:])
        assert all(len(line) < 2000 for line in errors), "an error line echoes a huge input"
    leftovers = [p for p in data.rglob("*") if p.name.endswith(".radweg-tmp") or p.name == ".radweg-journal.json"]
    assert not leftovers, leftovers
    return result.exit_code


def _try(data: Path, name: str, raw: bytes, commands: list[list[str]]) -> None:
    COUNTS["documents"] += 1
    path = data.parent / name
    path.write_bytes(raw)
    for command in commands:
        _run(data, *[str(path) if part == "{}" else part for part in command])


@pytest.fixture(scope="module", autouse=True)
def _report() -> object:
    yield
    for folder in CREATED:
        shutil.rmtree(folder, ignore_errors=True)
    target = os.environ.get("RADWEG_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps({**COUNTS, "crashed": 0}, indent=1) + "\n", encoding="utf-8")


@settings(FUZZ, max_examples=150)
@given(doc=geojson_docs(), kind=st.sampled_from(["segments", "pois", "neighbours", "tours"]),
       flags=st.sampled_from([[], ["--update"], ["--dry-run"]]))
def test_fuzz_geojson_import(doc: bytes, kind: str, flags: list[str]) -> None:
    data = _fresh()
    _try(data, "eingabe.geojson", doc, [[kind, "import", "{}", *flags], ["validate"]])


@settings(FUZZ, max_examples=60)
@given(doc=geojson_docs(), kind=st.sampled_from(["segments", "pois", "neighbours", "tours"]))
def test_fuzz_geojson_data_files(doc: bytes, kind: str) -> None:
    """A hostile data file (as an editor could leave it): every reading command refuses it cleanly."""
    data = _fresh()
    target = data / {"segments": "routes/segments.geojson", "pois": "pois/pois.geojson",
                     "neighbours": "routes/neighbours.geojson", "tours": "routes/tours.geojson"}[kind]
    target.write_bytes(doc)
    COUNTS["documents"] += 1
    for command in (["validate"], ["segments", "list"], ["gaps", "--format", "md"],
                    ["segments", "set", "kelbra-rossla", "notes=x"]):
        _run(data, *command)


@settings(FUZZ, max_examples=100)
@given(doc=gpx_docs(), kind=st.sampled_from(["segments", "pois", "neighbours"]))
def test_fuzz_gpx_import(doc: bytes, kind: str) -> None:
    data = _fresh()
    _try(data, "fahrt.gpx", doc, [[kind, "import", "{}"], [kind, "import", "{}", "--dry-run"]])


@settings(FUZZ, max_examples=40)
@given(doc=osm_docs())
def test_fuzz_osm_import(doc: bytes) -> None:
    data = _fresh()
    _try(data, "auszug.osm", doc, [["pois", "import", "{}"], ["neighbours", "import", "{}", "--all"],
                                   ["network", "import", "{}", "--name", "fuzz"]])


@settings(FUZZ, max_examples=30)
@given(obj=SETTINGS, trick=RAW_TRICKS)
def test_fuzz_settings(obj: object, trick: object) -> None:
    """A hostile radweg.json: validate, gaps and export refuse it cleanly or work; publish too (sometimes)."""
    data = _fresh()
    (data / "radweg.json").write_bytes(_bytes(trick(_dump(obj))))  # type: ignore[operator]
    COUNTS["documents"] += 1
    _run(data, "validate")
    _run(data, "gaps", "--format", "csv")
    code = _run(data, "export", "gpx", "nord-sued", "-o", str(data.parent / "gpx"))
    if code == 0 and COUNTS["published"] < 3:
        COUNTS["published"] += 1
        _run(data, "publish", "--no-gaps", "-o", str(data.parent / "site"))


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "dir.geojson", "link-to-dev-zero.geojson"])
def test_special_files_are_refused_without_waiting(special: str, tmp_path: Path) -> None:
    """Only regular files are read: a device, a FIFO, a folder, a symlink to a device: one line, exit 1, at once."""
    data = _fresh()
    if special == "fifo":
        path = tmp_path / "x.geojson"
        os.mkfifo(path)
    elif special == "dir.geojson":
        path = tmp_path / special
        path.mkdir()
    elif special == "link-to-dev-zero.geojson":
        path = tmp_path / special
        path.symlink_to("/dev/zero")
    else:
        path = Path(special)
    for kind, suffix in (("segments", ""), ("segments", ".gpx"), ("pois", ".osm")):
        target = path
        if suffix and special != "/dev/zero":
            target = path.with_name(path.name + suffix)
            os.rename(path, target) if not path.is_symlink() else (target.symlink_to("/dev/zero"), path.unlink())
            path = target
        code = _run(data, kind, "import", str(target))
        assert code in (1, 2)
    # a data file that is a symlink to /dev/zero, and radweg.json that is a folder
    (data / "pois/pois.geojson").unlink()
    (data / "pois/pois.geojson").symlink_to("/dev/zero")
    assert _run(data, "validate") == 1
