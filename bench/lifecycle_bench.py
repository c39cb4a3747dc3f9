"""How soon a killed run reads `crashed`, against its declared heartbeat interval.

    .venv/bin/python bench/lifecycle_bench.py [--reps 5] [--intervals 1 5]

For each interval: a real writer process (`RUNWATCH_HEARTBEAT_S`) logs a stat
every 50 ms; once it reads `running`, it is killed with SIGKILL (no exit hook
runs) half an interval after a beat, and `runwatch.status` is polled every
20 ms until it says `crashed`. Prints the time from the kill to `crashed`
(median and worst) in seconds and in intervals: the interval itself is the
baseline. Target: within two intervals.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import runwatch

WRITER = """
import time, runwatch
run = runwatch.new_run('lifecycle-bench')
print(run, flush=True)
with runwatch.to_run(run):
    for i in range(10**9):
        runwatch.stats.last('step', i)
        time.sleep(0.05)
"""


def poll(run: str, root: Path, wanted: str, deadline_s: float) -> float | None:
    """Seconds until `runwatch.status(run)` says `wanted`, polling every 20 ms."""
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        if runwatch.status(run, root).status == wanted:
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def once(root: Path, interval_s: float) -> tuple[float | None, str]:
    env = {**os.environ, "RUNWATCH_ROOT": str(root), "RUNWATCH_HEARTBEAT_S": str(interval_s)}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        run = writer.stdout.readline().strip()
        if poll(run, root, "running", 30) is None:
            return None, "never read running"
        time.sleep(interval_s * 1.5)  # mid-interval, not just after a beat
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        took = poll(run, root, "crashed", interval_s * 10 + 10)
        return took, runwatch.status(run, root).reason or ""
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--intervals", type=float, nargs="+", default=[1.0, 5.0])
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"kill -9 -> crashed ({args.reps} writers per interval, load {load:.1f})")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for interval in args.intervals:
            times, reason = [], ""
            for _ in range(args.reps):
                took, reason = once(root, interval)
                times.append(took)
            done = [t for t in times if t is not None]
            missed = len(times) - len(done)
            if not done:
                print(f"  heartbeat {interval:g} s: never read crashed ({reason})")
                continue
            print(
                f"  heartbeat {interval:g} s: median {statistics.median(done):.2f} s, "
                f"worst {max(done):.2f} s = {max(done) / interval:.2f} intervals "
                f"(target <= 2){f'; {missed} never' if missed else ''}; reason: {reason}"
            )


if __name__ == "__main__":
    main()
