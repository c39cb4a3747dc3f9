"""The server's level-of-detail service on a 60 channels × 1 M rows run (1.1 GB):

    .venv/bin/python bench/lod_bench.py

Builds the run once with bench/review_bench.py's generator (20 groups × 3 labels,
1 M rows each over 2 h, a 10-row spike of 1e4 in one channel) in
$LOD_BENCH_ROOT (default /tmp/runwatch-lod-bench) and reuses it after. Starts
`jupyter server` on 127.0.0.1 (server_idle_bench.py's harness) and times
`GET runs/<run>/series` for all 60 channels in one request, to the last byte,
beside a baseline from the same files: numpy reading every row (np.fromfile,
`_time` to seconds), what any reduction that reads every row must beat.

Figures: cold (a fresh server, empty caches in memory and on disk; the OS page
cache is warm) and warm series at the 60 s rule and at raw with W = 420, zooms to
1%-wide ranges at raw, the bytes of each response, whether the spike arrives, and
the server's RSS growth over idle. Then the server is restarted on the same disk
cache ($XDG_CACHE_HOME points at a temp folder for both): the same first requests
with the summaries read back from disk instead of from every row.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import numpy as np
from tornado.httpclient import HTTPRequest

ROOT = Path(os.environ.get("LOD_BENCH_ROOT", "/tmp/runwatch-lod-bench"))
os.environ["RUNWATCH_ROOT"] = str(ROOT)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_bench import make_run
from server_idle_bench import Client, free_port, start_server, stop_server, wait_until_up

from runwatch.server.lod import wire
from runwatch.store import npr

SUFFIX = "lod-bench"
ROWS = 1_000_000
SPIKE_CHANNEL = "g07.b"
KINDS = ["mean", "last", "max"]


def find_run(suffix: str) -> str | None:
    if ROOT.is_dir():
        for name in sorted(os.listdir(ROOT)):
            if name.endswith(f" {suffix}"):
                return name
    return None


def ensure_one_channel_run(rows: int) -> str:
    """A run of one `last` channel of `rows` rows over 2 h, with the spike."""
    suffix = f"lod-one-{rows}"
    spec = {"name": "one.x", "kind": "last", "rows": rows, "spike": [rows * 6 // 10, 1e4, 1]}
    return find_run(suffix) or make_run({"channels": [spec], "suffix": suffix})


def ensure_run() -> str:
    found = find_run(SUFFIX)
    if found:
        return found
    channels = []
    for g in range(20):
        for k, label in enumerate("abc"):
            channel = {"name": f"g{g:02d}.{label}", "kind": KINDS[k], "rows": ROWS}
            if channel["name"] == SPIKE_CHANNEL:
                channel["spike"] = [612_345, 1e4, 10]
            channels.append(channel)
    started = time.perf_counter()
    name = make_run({"channels": channels, "suffix": SUFFIX})
    print(f"built the run in {time.perf_counter() - started:.1f} s: {name}")
    return name


def baseline(run_dir: Path) -> float:
    """Seconds to read every row of every channel with numpy (time to seconds too)."""
    started = time.perf_counter()
    for path in sorted(run_dir.glob("stats.*.npr")):
        layout = npr.read_header(path)
        names = [f for f in layout.fields if f.code != "x"]
        dtype = np.dtype(
            {
                "names": [f.name for f in names],
                "formats": ["<i8" if f.name == "_time" else f.typestr for f in names],
                "offsets": [f.offset for f in names],
                "itemsize": layout.itemsize,
            }
        )
        rows = np.fromfile(path, dtype, offset=layout.header_len)
        _ = (rows["_time"] - rows["_time"][0]) / 1e9
    return time.perf_counter() - started


async def request(client, name, channels, rule, width, x_range) -> tuple[float, bytes, int]:
    """(seconds to the last byte, the frames, bytes on the wire): gzip accepted, as a
    browser's fetch accepts it, and decoded after the clock stops."""
    query = [("channel", c) for c in channels] + [("rule", str(rule)), ("width", str(width))]
    if x_range:
        query += [("x0", str(x_range[0])), ("x1", str(x_range[1]))]
    path = f"runwatch/api/runs/{quote(name)}/series?{urlencode(query, quote_via=quote)}"
    started = time.perf_counter()
    response = await client.http.fetch(
        HTTPRequest(
            f"http://{client.base}/{path}",
            headers={**client.headers, "Accept-Encoding": "gzip"},
            decompress_response=False,
            request_timeout=120,
        )
    )
    seconds = time.perf_counter() - started
    body = response.body
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return seconds, body, len(response.body)


def spike_seen(body: bytes) -> bool:
    for header, arrays in wire.parse_frames(body):
        if header["channel"] == SPIKE_CHANNEL:
            return any(
                np.nanmax(arrays[name]) >= 1e4
                for name in ("value", "band.hi")
                if name in arrays and len(arrays[name])
            )
    return False


def rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def time_requests(name, channels, client, requests, read_all) -> dict[str, int]:
    """Print each request's time, bytes (on the wire, gzip; and of the frames) and
    spike; the bytes sent per label."""
    print(
        f"{'GET series, 60 channels':<40}{'time':>10}{'wire':>10}{'frames':>10}"
        f"{'vs baseline':>14}  spike"
    )
    sent = {}
    for label, rule, width, x_range in requests:
        seconds, body, on_wire = await request(client, name, channels, rule, width, x_range)
        sent[label] = on_wire
        print(
            f"{label:<40}{seconds * 1000:>8.0f} ms{on_wire / 1e6:>7.2f} MB{len(body) / 1e6:>7.2f} MB"
            f"{read_all / seconds:>12.1f}×  {'yes' if spike_seen(body) else 'no'}"
        )
    return sent


async def measure(name: str, channels: list[str], server, client, read_all: float) -> None:
    await wait_until_up(client, server, 60)
    await client.get("runwatch/api/runs")  # imports and first-request costs, not ours
    rss_idle = rss_of(server.pid)
    sent = await time_requests(name, channels, client, ROWS_TO_TIME, read_all)
    print()
    print(f"server RSS: {rss_of(server.pid) - rss_idle:.0f} MB over idle ({rss_idle:.0f} MB)")
    review = sent["cold, 60 s rule"] + sent["cold, raw, W=420"]
    print(f"bytes to the browser: {review / 1e6:.2f} MB for both first reviews")
    print()
    # Cost grows with pixels, not rows: one channel, warm, raw at W=420, median of 7.
    medians = {}
    for rows in (100_000, 10_000_000):
        name = ensure_one_channel_run(rows)
        await request(client, name, ["one.x"], "raw", 420, None)  # builds the summary
        times = sorted(
            [(await request(client, name, ["one.x"], "raw", 420, None))[0] for _ in range(7)]
        )
        medians[rows] = times[3]
    print(
        f"warm raw review of 1 channel, W=420: 100 k rows {medians[100_000] * 1000:.1f} ms, "
        f"10 M rows {medians[10_000_000] * 1000:.1f} ms "
        f"({medians[10_000_000] / medians[100_000]:.2f}×; target ≤ 1.5×)"
    )


ROWS_TO_TIME = [
    ("cold, 60 s rule", 60, 420, None),
    ("cold, raw, W=420", "raw", 420, None),
    ("warm, 60 s rule", 60, 420, None),
    ("warm, raw, W=420", "raw", 420, None),
    ("zoom to 1% (72 s) at raw, W=420", "raw", 420, (3600.0, 3672.0)),
    ("zoom onto the spike (1%), W=420", "raw", 420, (4380.0, 4452.0)),
    ("cold, 10 min rule", 600, 420, None),
]

RESTARTED = [
    ("restarted, 60 s rule (disk cache)", 60, 420, None),
    ("restarted, raw, W=420 (disk cache)", "raw", 420, None),
    ("restarted, 10 min rule (disk cache)", 600, 420, None),
]


async def measure_restarted(name, channels, server, client, read_all, cache: Path) -> None:
    await wait_until_up(client, server, 60)
    await client.get("runwatch/api/runs")
    on_disk = sum(p.stat().st_size for p in cache.rglob("*.lod"))
    print(f"the server restarted; {on_disk / 1e6:.0f} MB of summaries on disk")
    await time_requests(name, channels, client, RESTARTED, read_all)


def main() -> None:
    name = ensure_run()
    run_dir = ROOT / name
    on_disk = sum(p.stat().st_size for p in run_dir.glob("stats.*.npr"))
    read_all = min(baseline(run_dir) for _ in range(2))
    print(f"run: 60 channels × {ROWS:,} rows, {on_disk / 1e9:.2f} GB of .npr files")
    print(f"baseline: numpy reads every row of every channel in {read_all * 1000:.0f} ms")
    print()
    channels = sorted(
        p.name.removeprefix("stats.").removesuffix(".0.npr") for p in run_dir.glob("stats.*.npr")
    )
    with tempfile.TemporaryDirectory() as work:
        # Both servers' disk cache: empty for the first (cold), kept for the second.
        os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")
        for measure_one in (measure, measure_restarted):
            port, token = free_port(), secrets.token_hex(16)
            server = start_server(Path(work), ROOT, port, token, "poll")
            extra = (Path(work) / "cache",) if measure_one is measure_restarted else ()
            try:
                client = Client(port, token)
                asyncio.run(measure_one(name, channels, server, client, read_all, *extra))
            finally:
                stop_server(server)


if __name__ == "__main__":
    main()
