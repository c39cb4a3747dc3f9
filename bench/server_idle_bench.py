"""The server's idle cost, live latency and listing time, against a real `jupyter server`.

    .venv/bin/python bench/server_idle_bench.py [--idle-seconds 20] [--watch-mode poll]

Starts `jupyter server` on 127.0.0.1 (a free port, a random token) with this
checkout's runwatch and a temporary store, then:

1. writes 10 runs, opens 10 websockets each watching one run, waits idle and
   prints the server's CPU share (utime + stime from /proc/<pid>/stat). Target < 5 %.
2. prints the latency from a writer's call (a stats call, which the writer flushes
   every 50 ms, and a log line) to the `grew` message reaching the client:
   p50 / p95. Target p50 <= 150 ms, p95 <= 400 ms (this is the server's share; the
   browser adds its fetch and render).
3. adds 10,000 runs and times GET runwatch/api/runs, cold then warm.

Loopback only; the server is stopped at the end (or after --timeout seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def make_runs(store: Path, count: int) -> None:
    """`count` finished-looking runs, written by hand (fast), in the store format."""
    created = "2023-01-01 00:00:00.000000+00:00"
    for i in range(count):
        run = (
            store / f"2023-01-01 {i // 3600 % 24:02d}-{i // 60 % 60:02d}-{i % 60:02d} bulk-run {i}"
        )
        run.mkdir(parents=True)
        info = {
            "description": f"bulk {i}",
            "params": {"i": i},
            "_created": created,
            "_files": {"logs.0.txt": {"_pattern": "logs.{n}.txt"}},
        }
        (run / "_info.json").write_text(json.dumps(info))
        (run / "logs.0.txt").write_text("a line\n")
        (run / "_lock").write_bytes(b"")


class Client:
    def __init__(self, port: int, token: str):
        self.base = f"127.0.0.1:{port}"
        self.headers = {"Authorization": f"token {token}"}
        self.http = AsyncHTTPClient()

    async def get(self, path: str):
        request = HTTPRequest(
            f"http://{self.base}/{path}", headers=self.headers, request_timeout=120
        )
        return await self.http.fetch(request)

    async def socket(self):
        request = HTTPRequest(f"ws://{self.base}/runwatch/api/watch", headers=self.headers)
        return await websocket_connect(request)


async def wait_until_up(client: Client, server: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"jupyter server exited with {server.returncode}")
        try:
            await client.get("api/status")
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise SystemExit("jupyter server did not start")


async def next_grew(ws, file_prefix: str) -> None:
    while True:
        message = json.loads(await asyncio.wait_for(ws.read_message(), 10))
        if message["type"] == "grew" and message["file"].startswith(file_prefix):
            return


async def measure_latency(ws, samples: int) -> dict[str, list[float]]:
    import runwatch

    log = logging.getLogger("bench")
    delays: dict[str, list[float]] = {"stats": [], "log": []}
    runwatch.stats.last("bench.value", 0.0)  # opens the file
    await asyncio.sleep(0.3)
    while True:  # drain the added/grew of opening
        try:
            await asyncio.wait_for(ws.read_message(), 0.2)
        except asyncio.TimeoutError:
            break
    for i in range(samples):
        started = time.perf_counter()
        runwatch.stats.last("bench.value", float(i))
        await next_grew(ws, "stats.bench.value")
        delays["stats"].append(time.perf_counter() - started)
        await asyncio.sleep(0.05 + (i % 7) * 0.011)  # land anywhere in the flush cycle
        started = time.perf_counter()
        log.info("line %d", i)
        await next_grew(ws, "logs.")
        delays["log"].append(time.perf_counter() - started)
        await asyncio.sleep(0.05)
    return delays


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_server(work: Path, store: Path, port: int, token: str, mode: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "RUNWATCH_ROOT": str(store)}
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={work}",
        "--ServerApp.open_browser=False",
        f"--Runwatch.watch_mode={mode}",
        "--allow-root",
    ]
    with open(work / "server.log", "wb") as log_file:
        return subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def bench(args: argparse.Namespace, server: subprocess.Popen, client: Client, store: Path):
    import runwatch

    runs = runwatch.runs()
    await wait_until_up(client, server, 60)
    sockets = []
    for run in runs:
        ws = await client.socket()
        ws.write_message(json.dumps({"op": "watch", "run": run}))
        assert json.loads(await ws.read_message())["type"] == "snapshot"
        sockets.append(ws)
    await asyncio.sleep(2)
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    before, started = cpu_ticks(server.pid), time.monotonic()
    await asyncio.sleep(args.idle_seconds)
    used = (cpu_ticks(server.pid) - before) / ticks_per_s
    elapsed = time.monotonic() - started
    print(
        f"idle, {len(runs)} runs watched by {len(sockets)} sockets: "
        f"{100 * used / elapsed:.2f} % of a core over {elapsed:.0f} s (target < 5 %)"
    )

    with runwatch.to_run(runs[0]):
        delays = await measure_latency(sockets[0], args.samples)
    for source, values in delays.items():
        print(
            f"latency, {source} append -> grew at the client ({len(values)} samples): "
            f"p50 {1000 * percentile(values, 0.5):.0f} ms, "
            f"p95 {1000 * percentile(values, 0.95):.0f} ms"
        )
    for ws in sockets:
        ws.close()

    made = time.perf_counter()
    make_runs(store, args.runs)
    print(f"made {args.runs} runs in {time.perf_counter() - made:.1f} s")
    for label in ("cold", "warm", "warm"):
        started = time.perf_counter()
        response = await client.get("runwatch/api/runs")
        took = time.perf_counter() - started
        count = len(json.loads(response.body)["runs"])
        print(
            f"GET runs, {count} runs, {label}: {1000 * took:.0f} ms "
            f"({len(response.body) / 1e6:.1f} MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idle-seconds", type=float, default=20)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--watch-mode", choices=["auto", "inotify", "poll"], default="auto")
    parser.add_argument("--timeout", type=float, default=300, help="give up after this long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="runwatch-bench-") as folder:
        work = Path(folder)
        store = work / "store"
        os.environ["RUNWATCH_ROOT"] = str(store)
        import runwatch

        for i in range(10):
            with runwatch.to_run(runwatch.new_run(f"idle-{i}", description="bench")):
                runwatch.stats.mean("loss", 1.0)
        port, token = free_port(), secrets.token_hex(16)
        server = start_server(work, store, port, token, args.watch_mode)
        try:
            client = Client(port, token)
            asyncio.run(asyncio.wait_for(bench(args, server, client, store), args.timeout))
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
