"""Time `%review '<run>'` in the kernel: its own time before the bundle leaves it.

    python bench/magic_bench.py                                 # 1 run × 60 channels × 1 M rows
    python bench/magic_bench.py --runs 20 --channels 6 --rows 100000   # the glob of 20 runs
    python bench/magic_bench.py --root DIR --reps 9

The store is issue 10's shape from `big_store.py` (made in ROOT if missing, reused
if there). The magic runs in an IPython shell with runwatch loaded; the bundle it
publishes is kept, not printed. Its text part, the plots' static fallback, reads each
channel's last buckets (runwatch/store/latest_rows.py); the baseline, measured in the
same process between the magic's repetitions, opens every `.npr` file of the same runs
and reads its first 4 kB (the header) and its last 4 kB: the least a snapshot of them
can cost, and untouched by runwatch's code (its parsed headers are cached).
"""

from __future__ import annotations

import argparse
import glob as globbing
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)  # the source tree, not an installed copy
sys.path.insert(0, os.path.join(REPO, "bench"))

import big_store

TARGET_MS = 60


def store_glob(root: str, runs: int, channels: int, rows: int) -> tuple[str, list[str]]:
    """(the glob of the store's runs, their folders), writing the store if needed."""
    spec = big_store.spec_of(runs, channels, rows)
    manifest = big_store.existing(root, spec)
    if manifest is None:
        print(f"magic_bench: writing {runs} × {channels} × {rows} into {root}", file=sys.stderr)
        manifest = big_store.generate(root, spec)
    return manifest["glob"], [os.path.join(root, run) for run in manifest["runs"]]


def shell_with_runwatch():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "runwatch")
    published: list[dict] = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: published.append(data)
    return shell, published


def timed_ms(call) -> tuple[float, float]:
    """(wall, this process's CPU) ms of `call()`: on a busy machine the wall time swings
    with the load, the CPU time much less."""
    start, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - start) * 1e3, (time.process_time() - cpu) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default="/tmp/runwatch-big-store")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--channels", type=int, default=60)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    root = os.path.abspath(os.path.expanduser(args.root))
    query, folders = store_glob(root, args.runs, args.channels, args.rows)
    os.environ["RUNWATCH_ROOT"] = root

    shell, published = shell_with_runwatch()
    files = [path for folder in folders for path in globbing.glob(os.path.join(folder, "*.npr"))]
    query = query if args.runs > 1 else os.path.basename(folders[0])

    def review() -> None:
        shell.run_line_magic("review", repr(query))

    def ends() -> None:
        for path in files:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.pread(fd, 4096, 0)
                os.pread(fd, 4096, max(0, os.fstat(fd).st_size - 4096))
            finally:
                os.close(fd)

    first_ms, _ = timed_ms(review)  # imports IPython's display on its first call
    magic, magic_cpu, baseline = [], [], []
    for _ in range(args.reps):
        wall, cpu = timed_ms(review)
        magic.append(wall)
        magic_cpu.append(cpu)
        baseline.append(timed_ms(ends)[0])
    text = published[-1]["text/plain"] if published else "(nothing published)"
    lines = text.splitlines()
    print(
        f"%review {query!r}: {len(folders)} run(s) × {args.channels} channels × {args.rows:,} rows"
        f" ({len(files)} files); the text snapshot has {len(lines) - 2} channel rows"
    )
    print(f"  first call in this process:       {first_ms:7.1f} ms")
    print(
        f"  %review, median of {args.reps}:           {statistics.median(magic):7.1f} ms"
        f"  ({min(magic):.1f}–{max(magic):.1f}; target ≤ {TARGET_MS} ms for 60 × 1 M)"
    )
    print(f"  %review's CPU time, median:       {statistics.median(magic_cpu):7.1f} ms")
    print(
        f"  baseline: read every file's ends, median {statistics.median(baseline):5.1f} ms"
        f"  ({min(baseline):.1f}–{max(baseline):.1f})"
    )


if __name__ == "__main__":
    main()
