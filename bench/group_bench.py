"""A grouped review's server side: 30 runs × 20 channels × 100 k rows.

    .venv/bin/python bench/group_bench.py [--runs 30] [--rows 100000]

Builds the runs once in $GROUP_BENCH_ROOT (default /tmp/runwatch-group-bench) with
the real writer (`runwatch.new_run`, `to_run`, `runwatch.stats.*`), two processes
at a time, the store's clock frozen and moved forward row by row so each run's
100 k rows spread over 1.5-2.5 h (runs of different speeds); each run also logs
`runwatch.stats.step(i)`. Then, through a real `jupyter server` (each with a fresh
XDG_CACHE_HOME, so the summaries on disk start empty; the OS page cache is warm):

- `GET group` for all 20 channels over the 30 runs, raw rule, W = 420: cold (the
  server's first request, nothing cached: at 238 rows a bin each file is binned
  from its rows, lod/row_bins.py) and warm (median of 5 on other grids, so no
  run's bins are kept), and warm at the 60 s rule, zoomed to 10 %, and by
  `x=step`;
- the baseline, on a second fresh server: the same 30 runs' per-run
  `GET runs/<run>/series` of the 20 channels (what a grouped review would fetch
  without the group endpoint), one after the other, summed, cold and warm.

Prints medians and the ratio, and for the grouped requests the server process's CPU
time (user + system, from /proc), which other processes' load inflates less than
the wall time (it still does: two threads on a busy 2-core machine share caches). The issue's target is ≤ 1.5 s for the grouped review to draw in
the browser, so the server's part must be well under that, cold or warm.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import numpy as np
from tornado.httpclient import HTTPRequest

ROOT = Path(os.environ.get("GROUP_BENCH_ROOT", "/tmp/runwatch-group-bench"))
os.environ["RUNWATCH_ROOT"] = str(ROOT)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from server_idle_bench import Client, free_port, start_server, stop_server, wait_until_up

import runwatch
from runwatch.server.lod import wire
from runwatch.store import clock

KINDS = ["mean", "last", "max", "mean"]
CHANNELS = [f"g{g}.{label}" for g in range(5) for label in "abcd"]
WIDTH = 420
REPEATS = 5


# ---- the runs -------------------------------------------------------------------------


def write_run(job: tuple[str, int, int, float]) -> None:
    """One run's rows through the real writer, on a frozen clock moved row by row."""
    run, seed, rows, span_s = job
    rng = np.random.default_rng(seed)
    created_ns = runwatch_created_ns(run)
    times = created_ns + np.linspace(1e9, span_s * 1e9, rows).astype(np.int64)
    walks = np.cumsum(rng.normal(0, 0.01, (len(CHANNELS), rows)), axis=1) + seed % 3
    if seed == 7:
        walks[3, rows // 2] = 1e4  # a one-row spike: the group's band must show it
    values = walks.T.tolist()
    calls = [getattr(runwatch.stats, KINDS[k % 4]) for k in range(len(CHANNELS))]
    with clock.frozen(int(times[0])) as frozen, runwatch.to_run(run):
        for i, (at, row) in enumerate(zip(times.tolist(), values)):
            frozen.set(at)
            runwatch.stats.step(i)
            for call, channel, value in zip(calls, CHANNELS, row):
                call(channel, value)


def runwatch_created_ns(run: str) -> int:
    from runwatch.store import layout

    return layout.parse_created(runwatch.info(run)["_created"])


def ensure_runs(count: int, rows: int) -> list[str]:
    suffix = f"group-bench-{rows}"
    found = sorted(p.name for p in ROOT.glob(f"* {suffix}-*")) if ROOT.is_dir() else []
    if len(found) >= count:
        return found[:count]
    started = time.perf_counter()
    jobs = []
    three_hours_ago = time.time_ns() - 3 * 3600 * 10**9
    for seed in range(len(found), count):
        with clock.frozen(three_hours_ago + seed * 10**9):
            run = runwatch.new_run(f"{suffix}-{seed:02d}", params={"seed": seed})
        jobs.append((run, seed, rows, 5400 + 3600 * (seed % 3) / 2))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(write_run, jobs)
    print(f"built {len(jobs)} runs in {time.perf_counter() - started:.0f} s with the writer")
    return sorted(p.name for p in ROOT.glob(f"* {suffix}-*"))[:count]


# ---- requests -------------------------------------------------------------------------


async def fetch(client: Client, path: str, query: list[tuple[str, str]]):
    """(seconds to the last byte, frames, bytes on the wire), gzip accepted."""
    url = f"http://{client.base}/runwatch/api/{path}?{urlencode(query, quote_via=quote)}"
    started = time.perf_counter()
    response = await client.http.fetch(
        HTTPRequest(
            url,
            headers={**client.headers, "Accept-Encoding": "gzip"},
            decompress_response=False,
            request_timeout=300,
        )
    )
    seconds = time.perf_counter() - started
    body = response.body
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return seconds, wire.parse_frames(body), len(response.body)


def series_query(rule, x_range=None, x=None, width=WIDTH) -> list[tuple[str, str]]:
    query = [("channel", c) for c in CHANNELS] + [("rule", str(rule)), ("width", str(width))]
    if x_range:
        query += [("x0", str(x_range[0])), ("x1", str(x_range[1]))]
    if x:
        query.append(("x", x))
    return query


async def group(client, runs, rule="raw", x_range=None, x=None, width=WIDTH, center="mean"):
    query = [("run", r) for r in runs] + series_query(rule, x_range, x, width)
    query.append(("center", center))
    return await fetch(client, "group", query)


async def per_run(client, runs, rule="raw"):
    """The baseline: every run's series, one request after the other, summed."""
    seconds, wire_bytes = 0.0, 0
    for run in runs:
        took, _, sent = await fetch(client, f"runs/{quote(run)}/series", series_query(rule))
        seconds += took
        wire_bytes += sent
    return seconds, wire_bytes


def server_cpu_s(pid: int) -> float:
    """The process's CPU time so far (user + system), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def check(frames) -> str:
    errors = [h["error"] or h["run_errors"] for h, _ in frames if h["error"] or h["run_errors"]]
    if errors:
        return f"ERRORS: {errors[:2]}"
    spiky = [a for h, a in frames if h["channel"] == CHANNELS[3]]
    spike = bool(spiky) and np.nanmax(spiky[0]["hi"]) >= 1e4
    n = max(int(np.nanmax(a["n"])) for _, a in frames)
    return f"n up to {n}, spike {'shown' if spike else 'not in range'}"


async def measure_group(client, server, runs) -> dict[str, float]:
    await wait_until_up(client, server, 60)
    await client.get("runwatch/api/runs")  # imports and first-request costs, not ours
    out = {}
    cpu = server_cpu_s(server.pid)
    seconds, frames, sent = await group(client, runs)
    cpu = server_cpu_s(server.pid) - cpu
    out["cold"] = seconds
    print(
        f"{'group, raw, cold':<44}{seconds * 1000:>8.0f} ms {sent / 1e6:>6.2f} MB  {check(frames)}"
        f"; server CPU {cpu * 1000:.0f} ms"
    )
    # The browser's grouped review of these runs opens at the 60 s rule (defaultRule):
    # its first request is cold too (buckets, not rows, are what it builds).
    cpu = server_cpu_s(server.pid)
    seconds, frames60, sent = await group(client, runs, rule=60)
    cpu = server_cpu_s(server.pid) - cpu
    out["cold 60 s"] = seconds
    print(
        f"{'group, 60 s rule, cold':<44}{seconds * 1000:>8.0f} ms {sent / 1e6:>6.2f} MB  "
        f"{check(frames60)}; server CPU {cpu * 1000:.0f} ms"
    )
    x1 = max(h["x1"] for h, _ in frames)
    # Summaries warm; "another grid" changes W each time so no run's bins are kept.
    cases = [
        ("group, raw, warm, another grid", {}, True),
        ("group, raw, warm, same grid, median", {"center": "median"}, False),
        ("group, 60 s rule, warm", {"rule": 60}, True),
        ("group, raw, zoom to 10 %, warm", {"x_range": (0.45 * x1, 0.55 * x1)}, True),
        ("group, raw, x=step, warm", {"x": "step"}, True),
    ]
    for label, options, new_grid in cases:
        await group(client, runs, **options)  # its first time: buckets or rows built
        times, cpus, sent, frames = [], [], 0, []
        for i in range(REPEATS):
            width = WIDTH + 1 + i if new_grid else WIDTH
            cpu = server_cpu_s(server.pid)
            seconds, frames, sent = await group(client, runs, width=width, **options)
            cpus.append(server_cpu_s(server.pid) - cpu)
            times.append(seconds)
        out[label] = statistics.median(times)
        print(
            f"{label:<44}{out[label] * 1000:>8.0f} ms {sent / 1e6:>6.2f} MB  {check(frames)}"
            f"; server CPU {statistics.median(cpus) * 1000:.0f} ms"
        )
    return out


async def measure_baseline(client, server, runs) -> dict[str, float]:
    await wait_until_up(client, server, 60)
    await client.get("runwatch/api/runs")
    seconds, sent = await per_run(client, runs)
    out = {"cold": seconds}
    print(f"{'30 × series, raw, cold (summed)':<44}{seconds * 1000:>8.0f} ms {sent / 1e6:>6.2f} MB")
    for label, rule in (
        ("30 × series, raw, warm (summed)", "raw"),
        ("30 × series, 60 s, warm", 60),
    ):
        await per_run(client, runs, rule)
        times = []
        for _ in range(REPEATS):
            seconds, sent = await per_run(client, runs, rule)
            times.append(seconds)
        out[label] = statistics.median(times)
        print(f"{label:<44}{out[label] * 1000:>8.0f} ms {sent / 1e6:>6.2f} MB")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    runs = ensure_runs(args.runs, args.rows)
    size = sum(p.stat().st_size for r in runs for p in (ROOT / r).glob("stats.*.npr"))
    print(
        f"{len(runs)} runs × {len(CHANNELS)} channels × {args.rows:,} rows "
        f"(+ step), {size / 1e9:.2f} GB; W = {WIDTH}, medians of {REPEATS}"
    )
    results = []
    for measure in (measure_group, measure_baseline):
        with tempfile.TemporaryDirectory() as work:
            os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")  # fresh: cold
            port, token = free_port(), secrets.token_hex(16)
            server = start_server(Path(work), ROOT, port, token, "poll")
            try:
                results.append(asyncio.run(measure(Client(port, token), server, runs)))
            finally:
                stop_server(server)
    grouped, baseline = results
    print()
    print(
        f"cold: group {grouped['cold'] * 1000:.0f} ms vs per-run {baseline['cold'] * 1000:.0f} ms "
        f"({baseline['cold'] / grouped['cold']:.1f}× faster)"
    )
    warm_group = grouped["group, raw, warm, another grid"]
    warm_base = baseline["30 × series, raw, warm (summed)"]
    print(
        f"warm: group {warm_group * 1000:.0f} ms vs per-run {warm_base * 1000:.0f} ms "
        f"({warm_base / warm_group:.1f}× faster); target: well under 1.5 s"
    )


if __name__ == "__main__":
    main()
