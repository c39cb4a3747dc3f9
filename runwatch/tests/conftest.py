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


# The magics tests' IPython shell, with runwatch's extension loaded. IPython is
# imported here rather than above: the writer's tests don't need it.
@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "runwatch")
    yield shell
    InteractiveShell.clear_instance()


@pytest.fixture
def published(shell, monkeypatch):
    """Every bundle the shell's display publisher receives."""
    bundles = []
    monkeypatch.setattr(
        shell.display_pub, "publish", lambda data, metadata=None, **kw: bundles.append(data)
    )
    return bundles
