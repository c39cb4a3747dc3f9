"""Event-loop stalls of the watch socket, against a real `jupyter server`.

    .venv/bin/python bench/socket_stall_bench.py [--runs 10000] [--files 50000]

Starts `jupyter server` (as server_idle_bench.py does) over a temporary store
holding one run with `--files` stats files and `--runs` small runs, polls
`/api/status` back to back from another process, and prints, each beside a baseline
measured in the same run on the same server with nothing watched:

1. the worst `/api/status` latency while one socket watches the big run;
2. the worst `/api/status` latency while one socket watches every small run,
   and how long until all their snapshots are in;
3. the server's CPU share while those runs stay watched and idle.

Targets: no stall over 100 ms (PRODUCT.md), idle < 5 % of a core.
Loopback only; the server is stopped at the end (or after --timeout seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from server_idle_bench import (
    Client,
    cpu_ticks,
    free_port,
    make_runs,
    start_server,
    stop_server,
    wait_until_up,
)

BIG_RUN = "2023-01-02 00-00-00 many-files"


POLLER = """
import http.client, json, sys, threading, time
port, token = int(sys.argv[1]), sys.argv[2]
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
latencies = []
while not stop.is_set():
    started = time.perf_counter()
    connection.request("GET", "/api/status", headers={"Authorization": f"token {token}"})
    connection.getresponse().read()
    latencies.append(time.perf_counter() - started)
    time.sleep(0.005)
print(json.dumps(latencies))
"""


class StatusPoller:
    """GET /api/status back to back from another process (so this one's work never
    delays it); the latencies while it ran."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token
        self.latencies: list[float] = []

    def __enter__(self):
        command = [sys.executable, "-c", POLLER, str(self.port), self.token]
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        return self

    def __exit__(self, *exc) -> None:
        out, _ = self._process.communicate("", timeout=120)
        self.latencies = json.loads(out)

    def summary(self) -> str:
        ordered = sorted(self.latencies)
        if not ordered:
            return "no GET answered"
        worst, median = ordered[-1], ordered[len(ordered) // 2]
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        return (
            f"worst {1000 * worst:.0f} ms, p99 {1000 * p99:.0f} ms, "
            f"median {1000 * median:.1f} ms ({len(ordered)} GETs)"
        )


def make_big_run(store: Path, files: int) -> None:
    """A pavlov-style run (no `_files`, so every store file in the folder counts)."""
    import runwatch

    with runwatch.to_run(runwatch.new_run("template")):
        runwatch.stats.last("x", 1.0)
    template = next(store.glob("* template"))
    data = (template / "stats.x.0.npr").read_bytes()
    shutil.rmtree(template)
    run = store / BIG_RUN
    run.mkdir(parents=True)
    (run / "_info.json").write_text(json.dumps({"_created": "2023-01-02 00:00:00+00:00"}))
    for i in range(files):
        (run / f"stats.c{i}.0.npr").write_bytes(data)


def written_long_ago(store: Path) -> None:
    """Stale from the start: otherwise 10,000 runs made together turn stale together,
    60 s later, in the middle of the idle measurement."""
    an_hour_ago = time.time() - 3600
    for run in store.iterdir():
        for path in run.iterdir():
            os.utime(path, (an_hour_ago, an_hour_ago))


async def watch_all(client: Client, names: list[str]) -> tuple[object, float]:
    """One socket watching every run in `names`: (the socket, seconds until every snapshot)."""
    ws = await client.socket()
    started = time.perf_counter()
    for name in names:
        ws.write_message(json.dumps({"op": "watch", "run": name}))
    waiting = set(names)
    while waiting:
        message = json.loads(await asyncio.wait_for(ws.read_message(), 120))
        if message["type"] in ("snapshot", "error"):
            waiting.discard(message.get("run"))
    return ws, time.perf_counter() - started


async def idle_cpu(pid: int, seconds: float) -> float:
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    before, started = cpu_ticks(pid), time.monotonic()
    await asyncio.sleep(seconds)
    return 100 * (cpu_ticks(pid) - before) / ticks_per_s / (time.monotonic() - started)


async def bench(args, server, client: Client, port: int, token: str, small_runs: list[str]):
    await wait_until_up(client, server, 60)
    await asyncio.sleep(1)
    with StatusPoller(port, token) as baseline:
        await asyncio.sleep(args.window)
    print(f"/api/status, nothing watched (baseline): {baseline.summary()}")
    idle_baseline = await idle_cpu(server.pid, args.idle_seconds)

    with StatusPoller(port, token) as poller:
        ws, took = await watch_all(client, [BIG_RUN])
        await asyncio.sleep(args.window)
    print(
        f"/api/status while a {args.files}-file run is watched: {poller.summary()}; "
        f"snapshot in {1000 * took:.0f} ms"
    )
    ws.close()
    await asyncio.sleep(1)

    with StatusPoller(port, token) as poller:
        ws, took = await watch_all(client, small_runs)
        await asyncio.sleep(args.window)
    print(
        f"/api/status while {len(small_runs)} runs are watched: {poller.summary()}; "
        f"every snapshot in {took:.2f} s"
    )
    await asyncio.sleep(2)
    idle = await idle_cpu(server.pid, args.idle_seconds)
    print(
        f"idle CPU, {len(small_runs)} runs watched: {idle:.2f} % of a core over "
        f"{args.idle_seconds:.0f} s (nothing watched: {idle_baseline:.2f} %; target < 5 %)"
    )
    ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--window", type=float, default=2.0, help="seconds polled after each")
    parser.add_argument("--idle-seconds", type=float, default=10)
    parser.add_argument("--watch-mode", choices=["auto", "inotify", "poll"], default="auto")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="runwatch-bench-") as folder:
        work = Path(folder)
        store = work / "store"
        os.environ["RUNWATCH_ROOT"] = str(store)
        made = time.perf_counter()
        make_big_run(store, args.files)
        make_runs(store, args.runs)
        written_long_ago(store)
        small_runs = sorted(p.name for p in store.iterdir() if p.name != BIG_RUN)
        print(
            f"made 1 run of {args.files} files and {args.runs} runs in "
            f"{time.perf_counter() - made:.1f} s"
        )
        port, token = free_port(), secrets.token_hex(16)
        server = start_server(work, store, port, token, args.watch_mode)
        try:
            client = Client(port, token)
            run = bench(args, server, client, port, token, small_runs)
            asyncio.run(asyncio.wait_for(run, args.timeout))
        finally:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
