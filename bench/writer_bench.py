"""Stats calls per second: the runwatch writer vs a naive per-call numpy write.

The baseline is what pavlov did per call: build a one-row structured array,
`tobytes()`, `write` and `flush`. Both write `mean(total, count)` rows to the
same run. Prints calls/s for each and the ratio (target: runwatch >= 5x).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

import runwatch
from runwatch.store import npr

CALLS = 200_000
REPEATS = 5


def naive_calls_per_s(path: Path) -> float:
    dtype = np.dtype([("_time", "<M8[ns]"), ("total", "<f8"), ("count", "<i8")])
    with open(path, "wb", buffering=4096) as file:
        file.write(npr.encode_header(dtype.descr))
        start = time.perf_counter()
        for i in range(CALLS):
            row = np.array([(time.time_ns(), float(i), 1)], dtype)
            file.write(row.tobytes())
            file.flush()
        return CALLS / (time.perf_counter() - start)


def runwatch_calls_per_s(run: str) -> float:
    """Includes the flusher thread's work, which shares the GIL with the caller."""
    mean = runwatch.stats.mean
    with runwatch.to_run(run):
        mean("bench.runwatch", 0.0)  # opens the file; not what we're timing
        start = time.perf_counter()
        for i in range(CALLS):
            mean("bench.runwatch", float(i))
        elapsed = time.perf_counter() - start
    return CALLS / elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as root:
        os.environ["RUNWATCH_ROOT"] = root
        run = runwatch.new_run("writer-bench")
        naives, ours_all = [], []
        for repeat in range(REPEATS):  # interleaved, so background load hits both alike
            naives.append(
                naive_calls_per_s(runwatch.store_root() / run / f"stats.bench.naive.{repeat}.npr")
            )
            ours_all.append(runwatch_calls_per_s(run))
        naive, ours = statistics.median(naives), statistics.median(ours_all)
        rows = npr.file_rows(runwatch.store_root() / run / "stats.bench.runwatch.0.npr")
        assert rows == CALLS + 1, rows
    print(f"calls per repeat:     {CALLS:,} (median of {REPEATS} repeats)")
    print(f"naive numpy baseline: {naive:12,.0f} calls/s  ({1e6 / naive:.2f} µs/call)")
    print(f"runwatch writer:      {ours:12,.0f} calls/s  ({1e6 / ours:.2f} µs/call)")
    print(f"ratio:                {ours / naive:12.1f}x  (target >= 5x)")


if __name__ == "__main__":
    main()
