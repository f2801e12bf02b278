"""Shared helpers for the benchmarks: timing (best of N) and peak memory (RSS of a fresh process per case)."""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def best_time(fn: Callable[[], Any], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the machine is noisy; the minimum is the most stable)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def peak_rss_mb(script: Path, case: str, *args: str) -> float:
    """Peak resident memory (MB) of a fresh ``python script --case CASE`` that sets up and runs one case.

    The child reports its own ``ru_maxrss``, so C allocations (lxml trees, numpy) count too.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(script.resolve().parent.parent),
                                                        os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, str(script), "--case", case, *args], check=True, capture_output=True,
                         text=True, env=env).stdout
    return float(json.loads(out.strip().splitlines()[-1])["maxrss_mb"])


def report_rss() -> None:
    """Print this process's peak RSS as JSON (the last line a ``--case`` child prints).

    VmHWM from /proc is used where it exists: unlike ``ru_maxrss`` it is not inherited from the parent
    across fork/exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"maxrss_mb": kb / 1024.0}))


def realdata(rel: str) -> Path:
    """A file in ../shared/realdata (or under $RADWEG_SHARED/realdata), as the tests find it."""
    root = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("RADWEG_SHARED", root.parent / "shared")) / "realdata" / rel
