"""Peak memory and CPU time of one gap detection in a fresh process.

    PYTHONPATH=. python benchmarks/gaps_memory.py chains 64000
    PYTHONPATH=. python benchmarks/gaps_memory.py corridor 64000

Prints the number of gaps, the CPU seconds of ``find_gaps`` and the process's peak RSS after building
the synthetic dataset and at the end (``ru_maxrss``; run it as its own process so nothing else counts).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from networks import GENERATORS  # noqa: E402

from radweg.gaps.detect import find_gaps  # noqa: E402
from radweg.gaps.model import GapConfig  # noqa: E402


def main() -> None:
    name, size = sys.argv[1], int(sys.argv[2])
    ds = GENERATORS[name](size)
    data_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.process_time()
    gaps = find_gaps(ds, GapConfig(radius_m=10_000))
    cpu = time.process_time() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name} {size}: {len(gaps)} gaps, CPU {cpu:.1f} s, peak RSS {data_mb:.0f} MB after the data, "
          f"{peak_mb:.0f} MB at the end")


if __name__ == "__main__":
    main()
