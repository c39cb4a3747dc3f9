"""GET runs over 10,000 runs, cold and warm, and /api/status while a hostile store is listed.

    .venv/bin/python bench/listing_bench.py [--runs 10000] [--restarts 3] [--warm 15]

Builds a store of `--runs` runs in a temporary folder (written by hand, in the
store format; 1 % of them written just now, so live, the rest a day ago), starts
a real `jupyter server` over it (as server_idle_bench.py does), and prints:

1. `GET runwatch/api/runs`, cold (the first listing after a server start: the
   median over `--restarts` starts; the OS page cache stays warm) and warm (the
   median of `--warm` listings), beside two same-run baselines timed in this
   process: a bare `os.scandir` of the root, and a scandir + stat of every file
   of every run (what a listing that stats everything pays before reading a byte).
   Target: <= 100 ms warm (PRODUCT.md).
2. The worst and p99 `/api/status` latency, polled back to back from another
   process (so this one's threads never delay it),
   while the same store plus hostile runs is listed over and over: FIFO
   `_info.json`s, a 100,000-deep `[` `_info.json`, a run with 50,000 files, a
   200 MB sparse `_info.json`, and a run whose `_info.json` and folder a thread
   swaps with symlinks out of the root. Beside it, the same poll on the same
   server with nothing listed. Target: no event-loop stall over 100 ms.

Loopback only; the server is stopped at the end (or after --timeout seconds).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import tempfile
import threading
import time
from pathlib import Path

from server_idle_bench import free_port, start_server, stop_server
from socket_stall_bench import StatusPoller

DAY_AGO = time.time() - 86400
FIFO_RUNS = 20
SECRET = "outside-the-store-root"


def make_runs(store: Path, count: int) -> None:
    """`count` runs as the writer leaves them; 1 in 100 written just now (live)."""
    for i in range(count):
        hour, minute, second = i // 3600 % 24, i // 60 % 60, i % 60
        run = store / f"2023-01-01 {hour:02d}-{minute:02d}-{second:02d} bulk-run {i}"
        run.mkdir(parents=True)
        info = {
            "description": f"bulk {i}",
            "params": {"i": i, "lr": 0.001, "name": f"sweep-{i % 7}"},
            "_created": f"2023-01-01 {hour:02d}:{minute:02d}:{second:02d}+00:00",
            "_files": {"logs.0.txt": {"_pattern": "logs.{n}.txt"}},
        }
        (run / "_info.json").write_text(json.dumps(info))
        (run / "logs.0.txt").write_text("a line\n")
        (run / "_lock").write_bytes(b"")
        if i % 100:
            for path in (run / "_info.json", run / "logs.0.txt", run / "_lock", run):
                os.utime(path, (DAY_AGO, DAY_AGO))


def make_hostile_runs(store: Path, outside: Path, files: int) -> None:
    """FIFO infos, a deep info, a 50,000-file run, a 200 MB sparse info."""
    created = "2024-01-01 00:00:00+00:00"
    for i in range(FIFO_RUNS):
        (store / f"2024-01-01 00-00-{i:02d} fifo-info").mkdir()
        os.mkfifo(store / f"2024-01-01 00-00-{i:02d} fifo-info" / "_info.json")
    deep = store / "2024-01-01 00-01-00 deep-info"
    deep.mkdir()
    (deep / "_info.json").write_bytes(b"[" * 100_000)
    many = store / "2024-01-01 00-02-00 many-files"
    many.mkdir()
    (many / "_info.json").write_text(json.dumps({"_created": created}))
    for n in range(files):
        (many / f"logs.{n}.txt").write_bytes(b"")
    huge = store / "2024-01-01 00-03-00 huge-info"
    huge.mkdir()
    with open(huge / "_info.json", "wb") as file:
        file.truncate(200 * 10**6)
    outside.mkdir()
    (outside / "_info.json").write_text(json.dumps({"_created": created, "description": SECRET}))
    swapped = store / "2024-01-01 00-04-00 swapped"
    swapped.mkdir()
    (swapped / "_info.json").write_text(json.dumps({"_created": created}))


class Swapper:
    """Swaps a run's `_info.json`, then the run folder, with symlinks out of the root."""

    def __init__(self, run: Path, outside: Path):
        self.run, self.outside = run, outside
        self.swaps = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        info, temp = self.run / "_info.json", self.run / ".swap"
        parked, link = self.run.with_name(".parked"), self.run.with_name(".link")
        while not self._stop.is_set():
            os.symlink(self.outside / "_info.json", temp)
            os.replace(temp, info)
            temp.write_text('{"_created": "2024-01-01 00:00:00"}')
            os.replace(temp, info)
            os.symlink(self.outside, link)
            os.rename(self.run, parked)
            os.rename(link, self.run)
            os.rename(self.run, link)
            os.rename(parked, self.run)
            os.unlink(link)
            self.swaps += 1
            time.sleep(0.001)


class Api:
    """Blocking GETs with the token, one connection per thread."""

    def __init__(self, port: int, token: str):
        self.port, self.headers = port, {"Authorization": f"token {token}"}

    def get(self, path: str, timeout: float = 120) -> tuple[int, bytes, float]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.perf_counter()
        try:
            connection.request("GET", "/" + path, headers=self.headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        return response.status, body, time.perf_counter() - started

    def wait_until_up(self, server, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"jupyter server exited with {server.returncode}")
            try:
                self.get("api/status", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("jupyter server did not start")


def median_ms(times: list[float]) -> str:
    return f"{1000 * statistics.median(times):6.1f} ms"


def baselines(store: Path, repeats: int) -> tuple[list[float], list[float]]:
    """(bare scandir of the root, scandir + stat of every file of every run), timed."""
    bare, full = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        with os.scandir(store) as entries:
            names = [entry.name for entry in entries]
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        for name in names:
            with os.scandir(store / name) as entries:
                for entry in entries:
                    entry.stat()
        full.append(time.perf_counter() - started)
    return bare, full


def bench_listing(args, work: Path, store: Path) -> None:
    cold, warm, size = [], [], 0
    for start in range(args.restarts):
        port, token = free_port(), secrets.token_hex(16)
        server = start_server(work, store, port, token, "auto")
        try:
            api = Api(port, token)
            api.wait_until_up(server)
            for i in range(1 + (args.warm if start == 0 else 0)):
                code, body, took = api.get("runwatch/api/runs")
                assert code == 200, body[:200]
                (warm if i else cold).append(took)
                size = len(body)
        finally:
            stop_server(server)
    bare, full = baselines(store, args.warm)
    print(f"GET runs, {args.runs:,} runs ({size / 1e6:.1f} MB):")
    print(f"  cold (first after a start, median of {len(cold)}): {median_ms(cold)}")
    print(
        f"  warm (median of {len(warm)}):                    {median_ms(warm)}  (target <= 100 ms)"
    )
    print(f"  baseline, bare scandir of the root:           {median_ms(bare)}")
    print(f"  baseline, scandir + stat of every run's files:{median_ms(full)}")


def bench_hostile(args, work: Path, store: Path) -> None:
    outside = work / "outside"
    made = time.perf_counter()
    make_hostile_runs(store, outside, args.files)
    print(f"hostile runs added in {time.perf_counter() - made:.1f} s")
    port, token = free_port(), secrets.token_hex(16)
    server = start_server(work, store, port, token, "auto")
    try:
        api = Api(port, token)
        api.wait_until_up(server)
        with StatusPoller(port, token) as idle:
            time.sleep(args.seconds)
        listings = []
        with (
            Swapper(store / "2024-01-01 00-04-00 swapped", outside) as swapper,
            StatusPoller(port, token) as busy,
        ):
            deadline = time.monotonic() + args.seconds
            while time.monotonic() < deadline:
                code, body, took = api.get("runwatch/api/runs")
                assert code == 200 and SECRET.encode() not in body, body[:200]
                listings.append(took)
        runs = json.loads(body)["runs"]
        unreadable = sum(1 for run in runs if run["status"] == "unreadable")
    finally:
        stop_server(server)
    print(
        f"GET runs over the hostile store ({len(runs):,} runs, {unreadable} unreadable, "
        f"{swapper.swaps} swaps): first {1000 * listings[0]:.0f} ms, "
        f"then median {median_ms(listings[1:] or listings).strip()} ({len(listings)} listings)"
    )
    print(f"  /api/status while listing:          {busy.summary()}  (target: no stall > 100 ms)")
    print(f"  baseline, /api/status with no listing: {idle.summary()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--restarts", type=int, default=3, help="server starts for the cold time")
    parser.add_argument("--warm", type=int, default=15, help="warm listings")
    parser.add_argument("--files", type=int, default=50_000, help="files in the big hostile run")
    parser.add_argument("--seconds", type=float, default=10, help="polling /api/status, each way")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="runwatch-listing-bench-") as folder:
        work = Path(folder)
        store = work / "store"
        store.mkdir()
        made = time.perf_counter()
        make_runs(store, args.runs)
        print(f"made {args.runs:,} runs in {time.perf_counter() - made:.1f} s")
        bench_listing(args, work, store)
        bench_hostile(args, work, store)


if __name__ == "__main__":
    main()
