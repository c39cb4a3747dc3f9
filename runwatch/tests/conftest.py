"""Every test gets its own empty store: RUNWATCH_ROOT points at a tmp dir."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (still runs by default)")


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("RUNWATCH_ROOT", str(root))
    return root


# The server tests' fixtures, with pytest-jupyter's (jp_fetch, jp_ws_fetch, ...).
# Imported rather than named in `pytest_plugins`, which pytest refuses outside the
# rootdir's conftest (`pytest .` would fail).
from runwatch.tests.conftest_server import *
