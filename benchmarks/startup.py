"""Start-up cost of the CLI, against a bare `python -c "import click"` in the same run.

    python benchmarks/startup.py [--repeat 15]

Each command runs as a fresh process (as a user would run it); the figure is
the median wall time. The machine is shared and noisy, so compare the ratios,
not the absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_s(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    cases = {
        'python -c "import click"': [py, "-c", "import click"],
        "radweg --help": [py, "-m", "radweg", "--help"],
        "radweg validate (sample)": [py, "-m", "radweg", "--data", str(ROOT), "validate"],
        "radweg stats --json (sample)": [py, "-m", "radweg", "--data", str(ROOT), "stats", "--json"],
    }
    median_s(cases['python -c "import click"'], 2)  # warm the file cache
    results = {name: median_s(cmd, args.repeat) for name, cmd in cases.items()}
    base = results['python -c "import click"']
    print(f"{'command':32} {'median ms':>10} {'x import click':>15}")
    for name, secs in results.items():
        print(f"{name:32} {secs * 1000:10.1f} {secs / base:15.2f}")


if __name__ == "__main__":
    main()
