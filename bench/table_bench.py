"""GET table over 10,000 runs: cold (first ever, and after a restart), warm, and a filter.

    .venv/bin/python bench/table_bench.py [--runs 10000] [--writers 4] [--store DIR]

Builds a store of `--runs` small runs with the real runwatch writer, in
`--writers` processes: each run has 3 params (lr, seed, width), 4 channels
(loss.train and loss.val `mean`, lr `last`, steps `cumsum`) of 100 rows, and
its writer's lifecycle records, as a sweep leaves them. `--store DIR` keeps the
store there and reuses it when it already holds the runs. Then it starts a real
`jupyter server` over it (as listing_bench.py does) and prints the medians of:

1. cold: the first `GET table` (default summaries) after a server start, the
   listing's cold scan included (median over `--restarts` starts; the OS page
   cache stays warm), twice: with the table's disk cache cleared (the first
   table ever) and kept from the server before (what a restart is); beside
   the cold `GET runs` of a restarted server (the listing alone, the floor of
   a cold table). The disk caches live in the bench's own XDG_CACHE_HOME;
2. warm: `GET runs` (the same-run baseline: the listing the table builds on),
   `GET table?stat=none`, `GET table` (each channel's `last`), a filter
   (`q=lr < 2e-3 and loss.val.last < 50`) and four summaries per channel
   (`last`, `min`, `max`, `mean10`), each `--warm` times, gzip-accepting as a
   browser does (and the default once more without gzip).

Target (PRODUCT.md): the table paints within 500 ms over 10,000 runs, so the warm
`stat=none` and default answers must be well under it. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from listing_bench import Api, median_ms
from server_idle_bench import free_port, start_server, stop_server

CHANNELS = ("loss.train", "loss.val", "lr", "steps")
ROWS = 100


def write_runs(store: str, first: int, count: int) -> None:
    """`count` runs by the real writer (one process of several)."""
    os.environ["RUNWATCH_ROOT"] = store
    import runwatch

    for i in range(first, first + count):
        lr = (1, 2, 5, 10)[i % 4] * 1e-3
        run = runwatch.new_run("bulk", params={"lr": lr, "seed": i % 3, "width": 64})
        with runwatch.to_run(run):
            for step in range(ROWS):
                loss = 100 / (1 + step * lr * 10) + i % 7
                runwatch.stats.mean("loss.train", loss)
                runwatch.stats.mean("loss.val", loss * 1.1)
                runwatch.stats.last("lr", lr)
                runwatch.stats.cumsum("steps", 1)


def make_store(store: Path, runs: int, writers: int) -> None:
    have = sum(1 for _ in os.scandir(store)) if store.exists() else 0
    if have >= runs:
        print(f"reusing {have:,} runs in {store}")
        return
    store.mkdir(parents=True, exist_ok=True)
    made = time.perf_counter()
    todo = runs - have
    share = -(-todo // writers)
    jobs = [(str(store), have + w * share, min(share, todo - w * share)) for w in range(writers)]
    # close + join, not the context manager's terminate(): the writer handles SIGTERM
    # (it records the ending), so a terminated worker would not die and the pool would hang.
    pool = multiprocessing.get_context("spawn").Pool(writers)
    try:
        pool.starmap(write_runs, [job for job in jobs if job[2] > 0])
        pool.close()
    finally:
        pool.join()
    print(f"wrote {todo:,} runs with the runwatch writer in {time.perf_counter() - made:.0f} s")


class GzipApi(Api):
    """Api's GETs, asking for gzip as a browser does (or not)."""

    def get_as_browser(self, path: str, gzip: bool = True) -> tuple[int, bytes, float]:
        headers = {**self.headers, "Accept-Encoding": "gzip"} if gzip else self.headers
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        started = time.perf_counter()
        try:
            connection.request("GET", "/" + path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        return response.status, body, time.perf_counter() - started


def table_path(**params) -> str:
    return "runwatch/api/table?" + urlencode(params, doseq=True, quote_via=quote)


WARM = {
    "GET runs (baseline)": ("runwatch/api/runs", False),
    "GET table?stat=none": (table_path(stat="none"), True),
    "GET table (each channel's last)": (table_path(), True),
    "GET table, no gzip": (table_path(), False),
    "GET table?q=lr < 2e-3 and loss.val.last < 50": (
        table_path(q="lr < 2e-3 and loss.val.last < 50"),
        True,
    ),
    "GET table, last min max mean10 of 4 channels": (
        table_path(stat=[f"{c}.{s}" for c in CHANNELS for s in ("last", "min", "max", "mean10")]),
        True,
    ),
}


def started(work: Path, store: Path) -> tuple:
    port, token = free_port(), secrets.token_hex(16)
    server = start_server(work, store, port, token, "auto")
    api = GzipApi(port, token)
    api.wait_until_up(server)
    return server, api


def first_answer(work: Path, store: Path, path: str, gzip: bool = True) -> float:
    """Seconds to a fresh server's first GET `path`; the server is stopped after the
    table's thread is done (its disk write follows the answer, in the same thread)."""
    server, api = started(work, store)
    try:
        code, body, took = api.get_as_browser(path, gzip)
        assert code == 200, body[:300]
        if path.startswith("runwatch/api/table"):
            api.get_as_browser(table_path(stat="none"))  # queued behind the disk write
        return took
    finally:
        stop_server(server)


def cold(args, work: Path, store: Path) -> dict[str, list[float]]:
    cache = work / "cache"
    os.environ["XDG_CACHE_HOME"] = str(cache)  # the servers' disk caches: ours alone
    times = {"first ever (disk cache cleared)": [], "after a restart (disk cache kept)": []}
    times["GET runs after a restart (baseline)"] = []
    for _ in range(args.restarts):
        shutil.rmtree(cache, ignore_errors=True)
        for name, path, gzip in (
            ("first ever (disk cache cleared)", table_path(), True),
            ("after a restart (disk cache kept)", table_path(), True),
            ("GET runs after a restart (baseline)", "runwatch/api/runs", False),
        ):
            times[name].append(first_answer(work, store, path, gzip))
    return times


def warm(args, work: Path, store: Path) -> tuple[dict, dict]:
    times, sizes = {name: [] for name in WARM}, {}
    server, api = started(work, store)
    try:
        for name, (path, gzip) in WARM.items():
            api.get_as_browser(path, gzip)  # the first of each fills its summaries
            for _ in range(args.warm):
                code, body, took = api.get_as_browser(path, gzip)
                assert code == 200, body[:300]
                times[name].append(took)
            sizes[name] = len(body)
    finally:
        stop_server(server)
    return times, sizes


def bench(args, work: Path, store: Path) -> None:
    colds = cold(args, work, store)
    warms, sizes = warm(args, work, store)
    print(f"GET table over {args.runs:,} runs x {len(CHANNELS)} channels x {ROWS} rows:")
    for name, times in colds.items():
        shown = ", ".join(f"{t:.2f} s" for t in times)
        print(f"  cold, {name:42} {median_ms(times)}  (median of {len(times)}: {shown})")
    for name, times in warms.items():
        print(f"  warm, {name:48} {median_ms(times)}  ({sizes[name] / 1e6:.2f} MB sent)")
    print("  target: the table paints <= 500 ms; the warm answers well under it;")
    print("  a restarted server's first table <= ~2 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=4, help="writing processes")
    parser.add_argument("--store", type=Path, help="keep (and reuse) the store here")
    parser.add_argument("--restarts", type=int, default=3, help="server starts for the cold time")
    parser.add_argument("--warm", type=int, default=10, help="warm calls of each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="runwatch-table-bench-") as folder:
        work = Path(folder)
        store = args.store.resolve() if args.store else work / "store"
        make_store(store, args.runs, args.writers)
        bench(args, work, store)


if __name__ == "__main__":
    main()
