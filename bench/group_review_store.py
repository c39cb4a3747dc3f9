"""The 30-run sweep group_review_bench.js reviews: lr (3 values) × seed (10).

    .venv/bin/python bench/group_review_store.py [--runs 30] [--rows 100000]

Each run is written as bench/group_bench.py writes its runs (its `write_run`: the
real writer on a frozen clock, 20 channels × `--rows` rows over 1.5-2.5 h, a step
counter, one spike), in the same store ($GROUP_BENCH_ROOT, default
/tmp/runwatch-group-bench), but with params `lr` and `seed`, so `--group auto`
makes 3 groups of 10. Runs already there are reused. Prints a JSON line:
{"root": ..., "suffix": ..., "runs": [...]}.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from group_bench import ROOT, write_run  # sets RUNWATCH_ROOT to ROOT

import runwatch
from runwatch.store import clock

LRS = (1e-3, 3e-3, 1e-2)
SEEDS = 10


def ensure_sweep(count: int, rows: int) -> tuple[str, list[str]]:
    suffix = f"group-review-{rows}"
    found = sorted(p.name for p in ROOT.glob(f"* {suffix}-*")) if ROOT.is_dir() else []
    if len(found) >= count:
        return suffix, found[:count]
    started = time.perf_counter()
    jobs = []
    three_hours_ago = time.time_ns() - 3 * 3600 * 10**9
    for index in range(len(found), count):
        params = {"lr": LRS[(index // SEEDS) % len(LRS)], "seed": index % SEEDS}
        with clock.frozen(three_hours_ago + index * 10**9):
            run = runwatch.new_run(f"{suffix}-{index:02d}", params=params)
        jobs.append((run, index, rows, 5400 + 3600 * (index % 3) / 2))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(write_run, jobs)
    took = time.perf_counter() - started
    print(f"built {len(jobs)} runs in {took:.0f} s with the writer", file=sys.stderr)
    return suffix, sorted(p.name for p in ROOT.glob(f"* {suffix}-*"))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    suffix, runs = ensure_sweep(args.runs, args.rows)
    print(json.dumps({"root": str(ROOT), "suffix": suffix, "runs": runs}))


if __name__ == "__main__":
    main()
