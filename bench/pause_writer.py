"""The writer side of `view_pause_bench.js`: one `last` channel written in phases.

    python bench/pause_writer.py 4:5 pause:4 100:5 pause:4 1000:5 pause:4 10000:5

Each `rate:seconds` writes `probe.token` at `rate` rows/s for `seconds`; each
`pause:seconds` writes nothing. Every value is the wall-clock ms of its call
modulo 100,000, so the browser measures latency on the same clock. Prints the
run's name first, then `phase <spec>` as each phase starts.
"""

from __future__ import annotations

import sys
import time

import runwatch

MODULUS = 100_000


def write_phase(rate: float, seconds: float) -> int:
    last = runwatch.stats.last
    period = 1 / rate
    start = time.monotonic()
    next_tick = start
    rows = 0
    while (now := time.monotonic()) < start + seconds:
        if now < next_tick:
            time.sleep(min(next_tick - now, 0.01))
            continue
        due = int((now - next_tick) / period) + 1  # rows owed at this rate
        ms = time.time_ns() // 1_000_000
        for _ in range(min(due, 1000)):
            last("probe.token", ms % MODULUS)
        rows += min(due, 1000)
        next_tick += due * period
    return rows


def main() -> None:
    phases = [arg.split(":") for arg in sys.argv[1:]]
    run = runwatch.new_run("pause-bench", description="view_pause_bench.js writer")
    with runwatch.to_run(run):
        runwatch.stats.last("probe.token", time.time_ns() // 1_000_000 % MODULUS)
        print(run, flush=True)
        time.sleep(3)  # the browser opens the view
        for kind, seconds in phases:
            print(f"phase {kind}:{seconds}", flush=True)
            if kind == "pause":
                time.sleep(float(seconds))
            else:
                rows = write_phase(float(kind), float(seconds))
                print(f"wrote {rows} rows", file=sys.stderr, flush=True)
        time.sleep(1)


if __name__ == "__main__":
    main()
