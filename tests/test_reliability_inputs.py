"""Every input the issue lists gives a one-line error naming the file (and feature and field), exit 1,
and changes nothing: one test case per input."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from radweg.cli.main import cli
from tests.conftest import tree_digest

SEG = '{"type":"Feature","properties":%s,"geometry":{"type":"LineString","coordinates":%s}}'
LINE = "[[11.3,51.46],[11.31,51.47]]"


def _fc(*features: str) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _edit_json(path: Path, change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    obj = json.loads(path.read_text(encoding="utf-8"))
    change(obj)
    path.write_text(json.dumps(obj), encoding="utf-8")


BIG = "9" * 400
OSM_HEAD = '<?xml version="1.0"?><osm version="0.6">'
GPX = ('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk>'
       '<trkseg><trkpt lat="51.46" lon="%s"/><trkpt lat="51.47" lon="11.31"/></trkseg></trk></gpx>')

# (id, setup(data, tmp) -> command args, words the first error line must hold)
CASES: list[tuple[str, Callable[[Path, Path], list[str]], list[str]]] = [
    *[(f"properties-{v}", lambda d, t, v=v: ["segments", "import", str(_write(t, "p.geojson", _fc(SEG % (v, LINE))))],
       ["p.geojson", "field 'properties'", "must be an object"]) for v in ("123", '"abc"', "true")],
    ("400-digit-coordinate", lambda d, t: ["segments", "import", str(_write(
        t, "c.geojson", _fc(SEG % ('{"name":"x","status":"planned"}', f"[[{BIG},51.46],[11.31,51.47]]"))))],
     ["c.geojson", "field 'geometry'", "400 digits"]),
    ("400-digit-height", lambda d, t: ["pois", "import", str(_write(t, "h.geojson", _fc(
        '{"type":"Feature","properties":{"name":"x","type":"halde","height_m":' + BIG + '},'
        '"geometry":{"type":"Point","coordinates":[11.3,51.46]}}')))], ["h.geojson", "field 'height_m'"]),
    ("400-digit-stage-tolerance", lambda d, t: (_edit_json(d / "radweg.json", lambda o: o.update(
        stage_tolerance_m=int(BIG))), ["segments", "list"])[1], ["radweg.json", "field 'stage_tolerance_m'"]),
    ("deep-nesting-import", lambda d, t: ["segments", "import", str(_write(t, "d.geojson", "[" * 50000 + "]" * 50000))],
     ["d.geojson", "nested"]),
    ("deep-nesting-data-file", lambda d, t: (_write(d, "routes/segments.geojson", "[" * 50000 + "]" * 50000),
                                             ["segments", "list"])[1], ["routes/segments.geojson", "nested"]),
    ("deep-nesting-settings", lambda d, t: (_write(d, "radweg.json", "[" * 50000 + "]" * 50000),
                                            ["validate"])[1], ["radweg.json", "nested"]),
    ("5000-digit-integer", lambda d, t: ["segments", "import", str(_write(
        t, "i.geojson", '{"type":"FeatureCollection","features":[],"x":%s}' % ("1" * 5000)))], ["i.geojson", "digits"]),
    ("lone-surrogate-import", lambda d, t: ["segments", "import", str(_write(t, "s.geojson", _fc(
        SEG % ('{"name":"\\ud800","status":"planned"}', LINE))))], ["s.geojson", "surrogate"]),
    ("lone-surrogate-data-file", lambda d, t: (_edit_json(d / "routes/segments.geojson", lambda o: o["features"][0][
        "properties"].update(name="\ud800")), ["segments", "list"])[1], ["routes/segments.geojson", "surrogate"]),
    ("lone-surrogate-set", lambda d, t: ["segments", "set", "kelbra-rossla", "name=\udced\udca0\udc80"],
     ["command line", "surrogate"]),
    ("bbox-of-strings", lambda d, t: (_edit_json(d / "radweg.json", lambda o: o.update(bbox=["a", "b", "c", "d"])),
                                      ["gaps"])[1], ["radweg.json", "field 'bbox'"]),
    ("settings-is-a-folder", lambda d, t: ((d / "radweg.json").unlink(), (d / "radweg.json").mkdir(),
                                           ["segments", "list"])[2], ["radweg.json", "folder"]),
    ("osm-nan", lambda d, t: ["pois", "import", str(_write(t, "n.osm", OSM_HEAD + '<node id="1" lat="NaN" lon="11.3" '
                                                           'version="1"><tag k="historic" v="mine"/></node></osm>'))],
     ["n.osm", "NaN"]),
    ("osm-long-tag", lambda d, t: ["network", "import", str(_write(
        t, "l.osm", OSM_HEAD + '<node id="1" lat="51.4" lon="11.3" version="1"/><node id="2" lat="51.41" lon="11.3" '
        'version="1"/><way id="3" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="cycleway"/>'
        f'<tag k="name" v="{"x" * 2000}"/></way></osm>')), "--name", "l"], ["l.osm", "too long"]),
    ("import-dev-zero", lambda d, t: ["segments", "import", "/dev/zero"], ["/dev/zero", "not a regular file"]),
    ("import-fifo", lambda d, t: (os.mkfifo(t / "x.geojson"), ["segments", "import", str(t / "x.geojson")])[1],
     ["x.geojson", "FIFO"]),
    ("data-file-links-to-dev-zero", lambda d, t: ((d / "pois/pois.geojson").unlink(),
                                                  (d / "pois/pois.geojson").symlink_to("/dev/zero"),
                                                  ["segments", "list"])[2], ["pois/pois.geojson", "character device"]),
    ("height-1e308", lambda d, t: (_edit_json(d / "pois/pois.geojson", lambda o: o["features"][0]["properties"].update(
        height_m=1e308)), ["stages", "nord-sued", "--target-km", "50"])[1], ["pois/pois.geojson", "field 'height_m'"]),
    ("elevation-1e308", lambda d, t: (_edit_json(d / "routes/segments.geojson", lambda o: o["features"][0]["geometry"][
        "coordinates"][0].__setitem__(slice(2, None), [1e308])), ["export", "map"])[1],
     ["routes/segments.geojson", "elevation"]),
    ("duplicate-keys", lambda d, t: ["segments", "import", str(_write(t, "k.geojson", _fc(
        SEG % ('{"name":"x","name":"y","status":"planned"}', LINE))))], ["k.geojson", "duplicate key 'name'"]),
    ("huge-id", lambda d, t: ["segments", "show", "a" * 100_000], ["no segment with id", "…"]),
    *[(f"reserved-id-{n}", lambda d, t, n=n: ["segments", "add", n, "--name", "x", "--coords",
                                               "11.3,51.46 11.31,51.47"],
       ["field 'id'", "reserved"]) for n in ("con", "nul", "aux", "com1")],
    ("gpx-1_1.3", lambda d, t: ["segments", "import", str(_write(t, "u.gpx", GPX % "1_1.3"))],
     ["u.gpx", "field 'lon'", "1_1.3"]),
    ("routes-is-a-file", lambda d, t: (__import__("shutil").rmtree(d / "routes"), _write(d, "routes", "x"),
                                       ["segments", "list"])[2],
     ["routes/segments.geojson", "is a file, not a folder"]),
    ("dry-run-outside-area", lambda d, t: ["segments", "import", "--dry-run", str(_write(
        t, "o.geojson", _fc(SEG % ('{"name":"x","status":"planned"}', "[[1.3,41.46],[1.31,41.47]]"))))],
     ["outside the project area"]),
]


@pytest.mark.parametrize(("setup", "words"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_each_listed_input_gives_one_line_and_exit_1(sample: Path, tmp_path: Path,
                                                     setup: Callable[[Path, Path], list[str]],
                                                     words: list[str]) -> None:
    args = setup(sample, tmp_path)
    before = tree_digest(sample)
    result = CliRunner().invoke(cli, ["--data", str(sample), *args], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert "Traceback" not in result.output and "internal error" not in err
    lines = [line for line in err.splitlines() if line.startswith(("Error: ", "error: "))]  # validate: "error:"
    first = lines[0]
    assert len(first) < 400, first[:500]
    assert all(w in first for w in words), first
    assert tree_digest(sample) == before


def test_a_symlinked_data_file_is_written_through(sample: Path, tmp_path: Path) -> None:
    """Decision (docs/reliability.md): a data file that is a symlink stays one; the save replaces the file it
    points to, atomically, in that file's folder."""
    real = tmp_path / "elsewhere" / "segments.geojson"
    real.parent.mkdir()
    link = sample / "routes/segments.geojson"
    real.write_bytes(link.read_bytes())
    link.unlink()
    link.symlink_to(real)
    result = CliRunner().invoke(cli, ["--data", str(sample), "segments", "set", "kelbra-rossla", "notes=über den Link"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and '"notes": "über den Link"' in real.read_text(encoding="utf-8")
    assert [p.name for p in real.parent.iterdir()] == ["segments.geojson"]


def test_a_full_disk_names_the_file(sample: Path) -> None:
    """Writing fails with ENOSPC (/dev/full as the place of the temporary file): the message names the data file."""
    import errno

    from radweg.data.store import Store
    from radweg.io import journal

    st = Store(sample)
    ds = st.load()
    real = journal.write_temp

    def full(target: Path, data: bytes, display: str, mode: int) -> Path:
        raise journal.StorageError(f"{display}: cannot write: {os.strerror(errno.ENOSPC)}")

    journal.write_temp = full  # type: ignore[assignment]
    try:
        with pytest.raises(Exception, match=r"^routes/segments.geojson: cannot write: No space left on device"):
            st.save(ds, ["segments"])
    finally:
        journal.write_temp = real  # type: ignore[assignment]


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 2 MB tmpfs holding a copy of the sample (needs root; skipped elsewhere)."""
    import shutil
    import subprocess

    mnt = tmp_path / "disk"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        data = mnt / "data"
        data.mkdir()
        root = Path(__file__).resolve().parent.parent
        shutil.copy2(root / "radweg.json", data / "radweg.json")
        shutil.copytree(root / "routes", data / "routes")
        shutil.copytree(root / "pois", data / "pois")
        yield data
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_really_full_disk_names_the_file_and_keeps_the_data(small_disk: Path) -> None:
    """The disk is filled up to the last byte, then `segments set`: exit 1, one line naming the data file,
    every file as it was, no temporary file left."""
    before = tree_digest(small_disk)
    fd = os.open(small_disk.parent / "filler", os.O_WRONLY | os.O_CREAT)
    for block in (65536, 1):
        try:
            while True:
                os.write(fd, b"\0" * block)
        except OSError:
            pass
    os.close(fd)
    result = CliRunner().invoke(cli, ["--data", str(small_disk), "segments", "set", "kelbra-rossla", "notes=x"],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0].startswith("Error: routes/segments.geojson: cannot write: No space left")
    assert tree_digest(small_disk) == before


OSM_WAY = (OSM_HEAD + '<node id="1" lat="51.50" lon="11.30" version="1"/><node id="2" lat="51.51" lon="11.31" '
           'version="1"/><way id="3" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="cycleway"/></way>'
           "</osm>")


def _cli(data: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


def test_a_damaged_cache_manifest_is_ignored_and_rebuilt(sample: Path, tmp_path: Path) -> None:
    """A manifest field of the wrong type: no traceback anywhere; `network import` (as the advice says)
    builds it again."""
    osm = _write(tmp_path, "netz.osm", OSM_WAY)
    assert _cli(sample, "network", "import", str(osm), "--name", "netz").exit_code == 0
    manifest = sample / "output/cache/networks/netz/manifest.json"
    _edit_json(manifest, lambda o: o.update(nodes="viele", km_by_highway=[1, 2]))
    for args in (["network", "info", "netz"], ["network", "route", "11.30,51.50", "11.31,51.51", "--network", "netz"],
                 ["gaps", "--network", "netz"], ["segments", "route", "kelbra-rossla", "--network", "netz"]):
        result = _cli(sample, *args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert "internal error" not in result.output and "Error: " in result.stderr
    again = _cli(sample, "network", "import", str(osm), "--name", "netz")
    assert again.exit_code == 0 and "built network" in again.stderr
    assert _cli(sample, "network", "info", "netz").exit_code == 0


def _npz(arrays: dict[str, object]) -> bytes:
    import io

    import numpy as np

    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def test_a_re_signed_cache_with_garbage_inside_is_refused(sample: Path, tmp_path: Path) -> None:
    """A graph.npz with nonsense inside (an index out of range, a NaN position, a pickled object array, a
    missing array), its SHA-256 written into the manifest: refused with one line that says how to rebuild;
    nothing in it runs; the advice works."""
    import hashlib

    import numpy as np

    from radweg.osm import cache

    osm = _write(tmp_path, "netz.osm", OSM_WAY)
    assert _cli(sample, "network", "import", str(osm), "--name", "netz").exit_code == 0
    folder = sample / "output/cache/networks/netz"
    good = cache.decode((folder / "graph.npz").read_bytes())
    arrays = {name: getattr(good, name) for name in ("node_id", "x", "y", "u", "v", "key", "way", "length", "cost",
                                                    "oneway", "reversed", "tag", "line_start", "line_end",
                                                    "coords")}
    meta = np.frombuffer(b'{"graph": {}, "tag_table": [{"highway": "residential"}]}', dtype=np.uint8)
    garbage = [
        {**arrays, "meta_json": meta, "v": np.full_like(arrays["v"], 99)},
        {**arrays, "meta_json": meta, "x": np.full_like(arrays["x"], np.nan)},
        {**arrays, "meta_json": meta, "tag": np.array([print] * len(arrays["tag"]), dtype=object)},
        {k: v for k, v in arrays.items() if k != "cost"} | {"meta_json": meta},
        {**arrays, "meta_json": np.frombuffer(b'{"graph": {}, "tag_table": [{"highway": 5}]}', dtype=np.uint8)},
    ]
    for bad in garbage:
        payload = _npz(bad)
        (folder / "graph.npz").write_bytes(payload)
        _edit_json(folder / "manifest.json", lambda o, p=payload: o.update(graph_sha256=hashlib.sha256(p).hexdigest(),
                                                                           graph_bytes=len(p)))
        for args in (["network", "route", "11.30,51.50", "11.31,51.51", "--network", "netz"],
                     ["gaps", "--network", "netz"]):
            result = _cli(sample, *args)
            assert result.exit_code == 1, result.output
            first = result.stderr.splitlines()[0]
            assert "not a radweg network cache" in first and "--force" in first, first
    assert _cli(sample, "network", "import", str(osm), "--name", "netz", "--force").exit_code == 0
    assert _cli(sample, "network", "route", "11.30,51.50", "11.31,51.51", "--network", "netz").exit_code == 0


@pytest.mark.parametrize("args", [["gaps", "triage", "{}", "--status", "accepted"], ["network", "info", "{}"],
                                  ["pois", "near", "{}"], ["tours", "show", "{}"],
                                  ["segments", "set", "{}", "notes=x"]])
def test_a_huge_argument_is_not_echoed_whole(sample: Path, args: list[str]) -> None:
    huge = "a" * 100_000
    result = CliRunner().invoke(cli, ["--data", str(sample), *[huge if a == "{}" else a for a in args]])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert len(result.output) < 2500, len(result.output)


def test_dem_heights_outside_the_range_count_as_no_value(tmp_path: Path) -> None:
    """A DEM with an undeclared nodata value (-32768, as many SRTM tiles have) or 3.4e38 gives no height there,
    never -32768 m; the other cells are sampled as usual (checked against the raster read with numpy)."""
    import numpy as np
    import rasterio
    from affine import Affine

    from radweg.elevation import Dem

    data = np.full((10, 10), 150.0, dtype="float32")
    data[:, :5] = -32768.0
    data[0, 9] = 3.4e38
    path = tmp_path / "dgm.tif"
    with rasterio.open(path, "w", driver="GTiff", width=10, height=10, count=1, dtype="float32", crs="EPSG:4326",
                       transform=Affine(0.01, 0.0, 11.0, 0.0, -0.01, 51.6)) as dst:
        dst.write(data, 1)
    with Dem(path) as dem:
        west, east, corner = dem.sample([(11.02, 51.55), (11.085, 51.55), (11.095, 51.595)])
    assert west is None and corner is None
    assert east == float(data[5, 8])
