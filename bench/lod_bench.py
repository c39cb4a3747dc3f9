"""The server's level-of-detail service on a 60 channels × 1 M rows run (1.4 GB):

    .venv/bin/python bench/lod_bench.py

Builds the run once with bench/review_bench.py's generator (20 groups × 3 labels,
1 M rows each over 2 h, a 10-row spike of 1e4 in one channel) in
$LOD_BENCH_ROOT (default /tmp/runwatch-lod-bench) and reuses it after. Then, in
this process, with the handler's pool of 2 threads computing every channel's frame
(HTTP excluded), prints each figure beside a baseline from the same files: numpy
reading every row (np.fromfile, `_time` to seconds) — what any reduction must beat
when it reads every row.

Figures: cold (a new service, empty cache; the OS page cache is warm) and warm
series for all 60 channels at the 60 s rule and at raw with W = 420, a zoom to a
1%-wide range at raw, the bytes of each response, whether the spike arrives, and
the RSS the service's cache adds.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(os.environ.get("LOD_BENCH_ROOT", "/tmp/runwatch-lod-bench"))
os.environ["RUNWATCH_ROOT"] = str(ROOT)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_bench import make_run

from runwatch.server.lod import wire
from runwatch.server.lod.service import SeriesService
from runwatch.server.paths import StorePaths
from runwatch.store import npr

SUFFIX = "lod-bench"
ROWS = 1_000_000
SPIKE_CHANNEL = "g07.b"
KINDS = ["mean", "last", "max"]


def ensure_run() -> str:
    if ROOT.is_dir():
        for name in sorted(os.listdir(ROOT)):
            if name.endswith(SUFFIX):
                return name
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


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


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


def request(service, run, specs, rule, width, x_range, pool) -> tuple[float, int, list]:
    started = time.perf_counter()
    frames = list(pool.map(lambda spec: service.frame(run, spec, rule, width, x_range), specs))
    return time.perf_counter() - started, sum(len(f) for f in frames), frames


def spike_seen(frames: list[bytes]) -> bool:
    for frame in frames:
        header, arrays = wire.parse_frames(frame)[0]
        if header["channel"] == SPIKE_CHANNEL:
            return any(
                np.nanmax(arrays[name]) >= 1e4
                for name in ("value", "band.hi")
                if name in arrays and len(arrays[name])
            )
    return False


def main() -> None:
    name = ensure_run()
    run_dir = ROOT / name
    on_disk = sum(p.stat().st_size for p in run_dir.glob("stats.*.npr"))
    read_all = min(baseline(run_dir) for _ in range(2))
    print(f"run: 60 channels × {ROWS:,} rows, {on_disk / 1e9:.2f} GB of .npr files")
    print(f"baseline: numpy reads every row of every channel in {read_all * 1000:.0f} ms")
    print()
    rss_idle = rss_mb()
    service = SeriesService(StorePaths(ROOT), 512 * 2**20)
    run = service.run(name)
    specs = sorted(run.channels.values(), key=lambda s: s.name)
    pool = ThreadPoolExecutor(2)
    print(f"{'request (60 channels)':<40}{'time':>10}{'bytes':>12}{'vs baseline':>14}  spike")
    rows = [
        ("cold, 60 s rule", 60, 420, None),
        ("cold, raw, W=420", "raw", 420, None),
        ("warm, 60 s rule", 60, 420, None),
        ("warm, raw, W=420", "raw", 420, None),
        ("zoom to 1% (72 s) at raw, W=420", "raw", 420, (3600.0, 3672.0)),
        ("zoom onto the spike (1%), W=420", "raw", 420, (4380.0, 4452.0)),
        ("warm, 10 min rule", 600, 420, None),
    ]
    sent = {}
    for label, rule, width, x_range in rows:
        seconds, size, frames = request(service, run, specs, rule, width, x_range, pool)
        sent[label] = size
        ratio = read_all / seconds
        print(
            f"{label:<40}{seconds * 1000:>8.0f} ms{size / 1e6:>9.2f} MB{ratio:>12.1f}×"
            f"  {'yes' if spike_seen(frames) else 'no'}"
        )
    growth = rss_mb() - rss_idle
    print()
    print(f"RSS growth of this process for the service and its cache: {growth:.0f} MB")
    print(
        f"cache holds {service.cache.lru.used / 2**20:.0f} MB in {len(service.cache.lru)} entries"
    )
    review = sent["cold, 60 s rule"] + sent["cold, raw, W=420"]
    print(
        f"bytes to the browser: {review / 1e6:.2f} MB for both reviews vs {on_disk / 1e9:.2f} GB of rows"
    )


if __name__ == "__main__":
    main()
