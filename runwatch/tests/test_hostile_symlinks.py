"""Symlinks in a hostile store: swapped in mid-request, or pointing at another run's files.

Every read checks what it actually opened (the fd's real path), not the name it
checked before, so a swap between the check and the open reads nothing outside
the root; and a store file's name may only lead to a store file of its own type,
so no `_info.json` is ever served raw (docs/security.md).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from runwatch.tests.conftest_server import FAKE_SECRET, pavlov_info, pavlov_run

INFO_SWAP = "2021-01-01 00-00-00 info-swap"
FOLDER_SWAP = "2021-01-01 00-00-01 folder-swap"
LOG_SWAP = "2021-01-01 00-00-02 log-swap"
OTHER = "2021-01-01 00-00-03 other-run"
LINKS = "2021-01-01 00-00-04 links"
ROUNDS = 300
LOG = {"logs.0.txt": {"_pattern": "logs.{n}.txt"}}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the store: a run-like folder whose every file holds the secret."""
    folder = tmp_path / "outside"
    folder.mkdir()
    info = pavlov_info(description=FAKE_SECRET, params={"key": FAKE_SECRET}, _files=LOG)
    (folder / "_info.json").write_text(json.dumps(info))
    (folder / "logs.0.txt").write_text(FAKE_SECRET)
    return folder


class Swapper:
    """Swaps `path` between what `real()` makes and a symlink to `target`, until stopped.

    Each swap is a rename over `path` (atomic), from a temp name next to it.
    """

    def __init__(self, path: Path, target: Path, real):
        self.path, self.target, self.real = path, target, real
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
        temp = self.path.with_name(".swap-" + self.path.name)
        while not self._stop.is_set():
            self.real(temp)
            os.replace(temp, self.path)
            os.symlink(self.target, temp)
            os.replace(temp, self.path)
            self.swaps += 1


class FolderSwapper(Swapper):
    """Swaps a run folder with a symlink out of the root: a folder can't be renamed over
    a symlink, so it is parked under a hidden name meanwhile (the run is briefly absent)."""

    def _run(self) -> None:
        parked = self.path.with_name(".parked-" + self.path.name)
        link = self.path.with_name(".link-" + self.path.name)
        while not self._stop.is_set():
            os.symlink(self.target, link)
            os.rename(self.path, parked)
            os.rename(link, self.path)
            os.rename(self.path, link)
            os.rename(parked, self.path)
            os.unlink(link)
            self.swaps += 1


def write_info(path: Path) -> None:
    path.write_text(json.dumps(pavlov_info(description="inside", _files=LOG)))


def write_log(path: Path) -> None:
    path.write_text("inside\n")


def shown(body) -> str:
    return body.decode("latin1") if isinstance(body, bytes) else json.dumps(body)


async def test_symlinks_swapped_in_mid_request_read_nothing_outside(
    api, jp_ws_fetch, store, outside
):
    info_run = pavlov_run(store, INFO_SWAP, pavlov_info(_files=LOG), {"logs.0.txt": b"in\n"})
    folder_run = pavlov_run(store, FOLDER_SWAP, pavlov_info(_files=LOG), {"logs.0.txt": b"in\n"})
    log_run = pavlov_run(store, LOG_SWAP, pavlov_info(_files=LOG), {"logs.0.txt": b"in\n"})
    ws = await jp_ws_fetch("runwatch", "api", "watch")
    answers: dict[str, int] = {}
    with (
        Swapper(info_run / "_info.json", outside / "_info.json", write_info) as info_swaps,
        FolderSwapper(folder_run, outside, None) as folder_swaps,
        Swapper(log_run / "logs.0.txt", outside / "logs.0.txt", write_log) as log_swaps,
    ):
        for i in range(ROUNDS):
            for parts in [
                ("runs",),
                ("runs", INFO_SWAP),
                ("runs", FOLDER_SWAP),
                ("runs", FOLDER_SWAP, "files", "logs.0.txt"),
                ("runs", LOG_SWAP, "files", "logs.0.txt"),
            ]:
                code, body, _ = await api(*parts)
                assert FAKE_SECRET not in shown(body), (parts, code)
                answers[f"{parts[-1]} {code}"] = answers.get(f"{parts[-1]} {code}", 0) + 1
            if i % 10 == 0:
                for run in (INFO_SWAP, FOLDER_SWAP):
                    ws.write_message(json.dumps({"op": "watch", "run": run}))
                    reply = await ws.read_message()
                    assert FAKE_SECRET not in reply
                    ws.write_message(json.dumps({"op": "unwatch", "run": run}))
    ws.close()
    assert min(info_swaps.swaps, folder_swaps.swaps, log_swaps.swaps) > 10
    assert answers.get("runs 200") == ROUNDS  # the listing always answered


@pytest.fixture
def linked_run(store: Path) -> Path:
    """A run whose store-file names are symlinks to other files of the store."""
    other = pavlov_run(
        store,
        OTHER,
        pavlov_info(_files=LOG),
        {"logs.0.txt": b"other log\n", "notes.txt": b"notes\n", "_lock": b""},
    )
    files = {
        name: {"_pattern": "logs.{n}.txt"} for name in ("logs.1.txt", "logs.2.txt", "logs.3.txt")
    }
    files["stats.x.0.npr"] = {"_pattern": "stats.x.{n}.npr", "kind": "last"}
    run_dir = pavlov_run(store, LINKS, pavlov_info(_files=files))
    os.symlink(f"../{OTHER}/_info.json", run_dir / "logs.1.txt")
    os.symlink(f"../{OTHER}/logs.0.txt", run_dir / "logs.2.txt")
    os.symlink(f"../{OTHER}/notes.txt", run_dir / "logs.3.txt")
    os.symlink(f"../{OTHER}/logs.0.txt", run_dir / "stats.x.0.npr")
    assert FAKE_SECRET in (other / "_info.json").read_text()
    return run_dir


async def test_a_store_file_name_reaches_only_its_own_type(api, linked_run):
    code, body, _ = await api("runs", LINKS, "files", "logs.1.txt")
    assert code == 403 and "'_info.json'" in body["message"]
    assert FAKE_SECRET not in shown(body)
    for name in ("logs.3.txt", "stats.x.0.npr"):
        code, body, _ = await api("runs", LINKS, "files", name)
        assert code == 403, name
    code, body, _ = await api("runs", LINKS, "files", "logs.2.txt")
    assert code == 200 and body == b"other log\n"  # a log may still lead to a log
    code, detail, _ = await api("runs", LINKS)
    errors = {f["name"]: f["error"] for f in detail["files"]}
    assert "a symlink to '_info.json', not a log file" in errors["logs.1.txt"]
    assert "a symlink to 'notes.txt', not a log file" in errors["logs.3.txt"]
    assert "a symlink to 'logs.0.txt', not a stats file" in errors["stats.x.0.npr"]
    assert errors["logs.2.txt"] is None
    assert FAKE_SECRET not in shown(detail)


async def test_a_symlinked_info_is_not_read(api, store, linked_run):
    (store / "2021-01-01 00-00-05 borrowed").mkdir()
    os.symlink(f"../{OTHER}/_info.json", store / "2021-01-01 00-00-05 borrowed" / "_info.json")
    code, detail, _ = await api("runs", "2021-01-01 00-00-05 borrowed")
    assert code == 200 and detail["status"] == "unreadable" and "symlink" in detail["error"]
    code, listing, _ = await api("runs")
    assert FAKE_SECRET not in shown(listing) + shown(detail)
