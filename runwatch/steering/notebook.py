"""`runwatch.steer(run, lr=1e-4)` from a notebook: write a request, wait for the job's answer."""

from __future__ import annotations

import os
import time

from ..store import layout, resolve
from .declaration import SteerRefused
from .requests import open_run, read_log_tail, submit

POLL_S = 0.02


def steer(
    run: int | str,
    changes: dict | None = None,
    *,
    stop: bool = False,
    timeout: float = 10.0,
    **more: object,
) -> dict:
    """Ask `run`'s job to change steerable params (`lr=1e-4`, or `changes={...}` for keys
    named like this function's arguments), or to stop (`stop=True`).

    The request is checked first as the server checks it (SteerRefused, a ValueError,
    says why), then this waits up to `timeout` s for the job's answer. Returns
    {"id", "status": "applied" | "rejected" | "pending", "entries": [audit log entries]}.
    """
    root = layout.store_root()
    name = resolve.resolve(run, root)
    run_dir = root / name
    real_root = os.path.realpath(root)
    request = submit(
        run_dir, real_root, {**(changes or {}), **more}, stop, "notebook", time.time_ns() // 10**6
    )
    deadline = time.monotonic() + timeout
    while True:
        entries = _answers(run_dir, real_root, request["id"])
        if entries or time.monotonic() >= deadline:
            break
        time.sleep(POLL_S)
    status = "pending"
    if entries:
        status = "rejected" if any(e.get("status") == "rejected" for e in entries) else "applied"
    return {"id": request["id"], "status": status, "entries": entries}


def _answers(run_dir, real_root: str, request_id: str) -> list[dict]:
    fd = open_run(run_dir, real_root)
    try:
        entries, _ = read_log_tail(fd, limit=1000)
    finally:
        os.close(fd)
    return [e for e in entries if e.get("id") == request_id]


__all__ = ["SteerRefused", "steer"]
