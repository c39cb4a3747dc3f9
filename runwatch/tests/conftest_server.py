"""Fixtures for the server tests: a Jupyter server with runwatch, and runs to serve.

conftest.py star-imports this module, so pytest-jupyter's fixtures come along;
those defined here override its own (`jp_server_config`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytest_jupyter.jupyter_server import *  # its fixtures and async-test hooks

FAKE_SECRET = "FAKE-SECRET-d41d8cd98f00"


@pytest.fixture(autouse=True)
def no_background_pass(request, monkeypatch):
    """A test's server runs its background summaries (warmup.py) only when the test
    calls them, so no test's counts of rows read or entries written depend on when a
    timer fired; test_lod_warmup.py runs the timer itself."""
    if "jp_serverapp" not in request.fixturenames:
        return  # no server: nothing of it imported
    from runwatch.server import warmup

    monkeypatch.setattr(warmup, "START_DELAY_S", 10**6)


@pytest.fixture
def jp_server_config(store: Path):
    return {"ServerApp": {"jpserver_extensions": {"runwatch": True}}}


@pytest.fixture
def api(jp_fetch):
    """GET runwatch/api/<parts>, returning (status, parsed JSON or bytes, headers)."""

    async def get(*parts: str, params: dict | None = None, **kwargs):
        response = await jp_fetch(
            "runwatch", "api", *parts, params=params, raise_error=False, **kwargs
        )
        body = response.body
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(body) if body else None
        return response.code, body, response.headers

    return get


OLD_MTIME_S = 1609459300  # 2021-01-01: hand-made runs were last written long ago (stale)


def pavlov_run(store: Path, name: str, info: dict | str | None = None, files: dict | None = None):
    """A hand-made run folder, last written in 2021: `_info.json` (a dict, raw text, or
    absent) and files."""
    run_dir = store / name
    run_dir.mkdir(parents=True)
    if info is not None:
        text = info if isinstance(info, str) else json.dumps(info)
        (run_dir / "_info.json").write_text(text)
    for filename, data in (files or {}).items():
        (run_dir / filename).write_bytes(data)
    for path in run_dir.iterdir():
        os.utime(path, (OLD_MTIME_S, OLD_MTIME_S))
    return run_dir


def pavlov_info(**fields) -> dict:
    return {
        "_created": "2021-01-01 00:00:00.5+00:00",
        "_files": {},
        "_env": {"AWS_SECRET_ACCESS_KEY": FAKE_SECRET},
        **fields,
    }
