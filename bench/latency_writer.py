"""The writer side of `latency_bench.js`: a run written like a busy training loop.

    python bench/latency_writer.py --seconds 60 [--channels 50] [--rate 100]

Creates a run in `$RUNWATCH_ROOT`, prints its name on stdout, then for
`--seconds` writes `--channels` `last` channels (`bench.c00` …) at `--rate`
rows per second each, plus a log line every 100 ms, through the real runwatch
writer. Each value carries the wall-clock time of its call so the browser can
measure latency on the same machine clock:

- every channel's value is `ms % 100000` (ms since the epoch, an integer that
  float64 and the monitor's 6 significant figures both show exactly);
- every log line is `probe <ms>`.

Stops by itself after `--seconds` (or when its parent's stdin closes).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

import runwatch

MODULUS = 100_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--rate", type=float, default=100, help="rows/s per channel")
    parser.add_argument("--log-every", type=float, default=0.1, help="seconds")
    args = parser.parse_args()

    run = runwatch.new_run("latency-bench", description="latency_bench.js writer")
    names = [f"bench.c{i:02d}" for i in range(args.channels)]
    log = logging.getLogger("bench")
    last = runwatch.stats.last
    period = 1 / args.rate
    with runwatch.to_run(run):
        # One row per channel first, so every file exists before the browser looks.
        ms = time.time_ns() // 1_000_000
        for name in names:
            last(name, ms % MODULUS)
        log.info("probe %d", ms)
        print(run, flush=True)
        start = time.monotonic()
        deadline = start + args.seconds
        next_tick = next_log = start
        rows = logs = 0
        while True:
            now = time.monotonic()
            if now >= deadline:
                break
            if now < next_tick:
                time.sleep(next_tick - now)
                continue
            next_tick += period
            if next_tick < now - 1:  # fell far behind: don't burst to catch up
                next_tick = now
            ms = time.time_ns() // 1_000_000
            value = ms % MODULUS
            for name in names:
                last(name, value)
            rows += len(names)
            if now >= next_log:
                next_log += args.log_every
                log.info("probe %d", time.time_ns() // 1_000_000)
                logs += 1
    elapsed = time.monotonic() - start
    print(
        f"writer: {rows} rows ({rows / elapsed:.0f}/s), {logs} log lines in {elapsed:.1f} s",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    main()
