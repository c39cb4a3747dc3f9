"""The writer on a full disk: whole rows only, each loss said once, and the
training loop never sees an error.

Each test mounts a small tmpfs (root only; skipped elsewhere), fills it with a
filler file, and drives a real writer process through the outage: its stdin and
stdout carry the test's go-aheads, its stderr goes to a file the test reads.
"""

from __future__ import annotations

import errno
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

import runwatch
from runwatch.store import npr
from runwatch.store.errors import StoreError
from runwatch.store.reading import channels, read_channel

REPO = Path(__file__).resolve().parents[2]
HANG_LIMIT_S = 120  # only so a wedged writer fails the test instead of hanging it


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 4 MiB tmpfs, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        if subprocess.run(["umount", str(mountpoint)], check=False).returncode:
            subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def fill(disk: Path) -> Path:
    """Write a filler file until the disk refuses even one more byte."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for chunk in (1 << 20, 1 << 16, 1 << 12, 1):
            while True:
                try:
                    os.write(fd, b"\0" * chunk)
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
                    break
    finally:
        os.close(fd)
    return filler


class Writer:
    """A training script in its own process, taking go-aheads on stdin."""

    def __init__(self, script: str, root: Path, stderr_path: Path):
        env = {**os.environ, "RUNWATCH_ROOT": str(root), "PYTHONPATH": str(REPO)}
        self.stderr_path = stderr_path
        self._stderr = open(stderr_path, "w")  # noqa: SIM115 (closed in finish)
        self.process = subprocess.Popen(
            [sys.executable, "-c", PRELUDE + script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
        )

    def expect(self, word: str) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], HANG_LIMIT_S)
        line = self.process.stdout.readline() if ready else ""
        assert line.startswith(word), (
            f"writer said {line!r}, expected {word!r}; stderr:\n{self.stderr()}"
        )
        return line[len(word) :].strip()

    def go(self, word: str) -> None:
        self.process.stdin.write(word + "\n")
        self.process.stdin.flush()

    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def finish(self) -> int:
        try:
            return self.process.wait(HANG_LIMIT_S)
        finally:
            self.process.kill()
            self.process.wait()
            self._stderr.close()


PRELUDE = """
import logging, sys, time
import runwatch
log = logging.getLogger("train")

def say(word, detail=""):
    print(word, detail, flush=True)

def wait_for(word):
    line = sys.stdin.readline().strip()
    assert line == word, line

def flush():  # rows on disk now, not within 50 ms: the test fills the disk next
    runwatch.store.appender.FLUSHER.flush_all()

step = 0

def train(steps):
    global step
    for _ in range(steps):
        runwatch.stats.mean("loss", float(step), step)  # 24-byte rows: total == count == step
        step += 1
        if step % 1000 == 0:
            log.info("step %d", step)
"""

THROUGH_AN_OUTAGE = """
run = runwatch.new_run()
say("run", run)
with runwatch.to_run(run):
    train(100)  # within the file's first page, so the fill leaves it a partial page
    flush()
    say("fill")
    wait_for("full")
    for _ in range(30):  # many flushes fail, and more rows than the writer may hold
        train(10_000)
        time.sleep(0.01)
    runwatch.stats.mean("late", 1.0, step)  # a channel opened while its file can't be made
    say("wrote", step)
    wait_for("freed")
    train(1_000)
    runwatch.stats.mean("late", 2.0, step)
say("done", step)
"""


def lost_counts(stderr: str, path: Path) -> list[int]:
    """What each `lost N rows` (or `no rows lost`) message about `path` says was lost."""
    return [
        int(match[1] or 0)
        for line in stderr.splitlines()
        if str(path) in line
        for match in [re.search(r"\blost (\d+) (?:rows|lines)\b|\bno (?:rows|lines) lost\b", line)]
        if match
    ]


def assert_whole_rows(path: Path) -> dict[str, list]:
    """Every row read back is one the loop wrote (total == count), in time order."""
    _, columns = npr.read_columns(path)
    times, totals, counts = columns["_time"], columns["total"], columns["count"]
    assert times == sorted(times), f"{path.name}: times jump (misaligned rows?)"
    bad = [(t, c) for t, c in zip(totals, counts) if t != float(c)]
    assert not bad, f"{path.name}: rows that were never written, e.g. {bad[:3]}"
    assert counts == sorted(set(counts)), f"{path.name}: rows out of order or repeated"
    return columns


def test_a_full_disk_loses_whole_rows_says_so_once_and_writing_resumes(
    small_disk: Path, tmp_path: Path
):
    root = small_disk / "store"
    writer = Writer(THROUGH_AN_OUTAGE, root, tmp_path / "stderr.txt")
    run = writer.expect("run")
    writer.expect("fill")
    filler = fill(small_disk)
    writer.go("full")
    wrote = int(writer.expect("wrote"))
    filler.unlink()
    writer.go("freed")
    total_steps = int(writer.expect("done"))
    assert writer.finish() == 0, writer.stderr()
    stderr = writer.stderr()

    stats = root / run / "stats.loss.0.npr"
    counts = assert_whole_rows(stats)["count"]
    assert counts[:100] == list(range(100)), "rows written before the disk filled"
    assert counts[-1000:] == list(range(wrote, total_steps)), "rows written after space returned"
    lost = total_steps - len(counts)
    assert lost > 0, "the loop wrote more rows than the writer may hold, so some were lost"
    assert lost_counts(stderr, stats) == [lost], stderr

    # The channel first called while the disk was full gets its file once there is room.
    assert read_channel(run, "late", root)["total"] == [1.0, 2.0]
    assert channels(run, root)["late"].files == ("stats.late.0.npr",)

    # Log lines are few enough to be held until there is room again: all arrive, whole.
    log_file = root / run / "logs.0.txt"
    lines = log_file.read_text().splitlines()
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d INFO train: step \d+", line) for line in lines), lines
    assert [int(line.split()[-1]) for line in lines] == list(range(1000, total_steps + 1, 1000))
    assert lost_counts(stderr, log_file) == [0], stderr
    assert "Traceback" not in stderr


ENTERING_A_FULL_DISK = """
run = runwatch.new_run()
say("run", run)
wait_for("full")
with runwatch.to_run(run):
    train(100)
    log.info("while full")
    flush()
    say("inside")
    wait_for("freed")
    log.info("after")
    train(100)
say("done")
"""


def test_to_run_on_a_full_disk_creates_its_files_when_space_returns(
    small_disk: Path, tmp_path: Path
):
    root = small_disk / "store"
    writer = Writer(ENTERING_A_FULL_DISK, root, tmp_path / "stderr.txt")
    run = writer.expect("run")
    filler = fill(small_disk)
    writer.go("full")
    writer.expect("inside")
    assert runwatch.info(run, root)["_files"] == {}
    filler.unlink()
    writer.go("freed")
    writer.expect("done")
    assert writer.finish() == 0, writer.stderr()
    stderr = writer.stderr()

    # What was written while the files could not be created fits in what the writer
    # holds, so nothing is lost.
    assert read_channel(run, "loss", root)["count"] == list(range(200))
    log_file = root / run / "logs.0.txt"
    assert [line[9:] for line in log_file.read_text().splitlines()] == [
        "INFO train: while full",
        "INFO train: after",
    ]
    assert lost_counts(stderr, log_file) == [0], stderr
    assert lost_counts(stderr, root / run / "stats.loss.0.npr") == [0], stderr
    assert "_finished" in runwatch.info(run, root)
    assert "Traceback" not in stderr


def test_new_run_on_a_full_disk_is_a_store_error_and_leaves_no_half_run(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
):
    root = small_disk / "store"
    root.mkdir()
    monkeypatch.setenv("RUNWATCH_ROOT", str(root))
    fill(small_disk)
    with pytest.raises(StoreError, match=re.escape(str(root))):
        runwatch.new_run()
    assert os.listdir(root) == []


def test_a_store_root_that_is_a_file_is_a_store_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    file = tmp_path / "not-a-folder"
    file.write_text("")
    for root in (file, file / "below"):
        monkeypatch.setenv("RUNWATCH_ROOT", str(root))
        with pytest.raises(StoreError, match=re.escape(str(file))):
            runwatch.new_run()


def test_a_short_write_is_cut_back_to_whole_rows_where_no_tmpfs_can_be_mounted(
    store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    """The same guarantee with the full disk simulated: half a row fits, then ENOSPC."""
    run = runwatch.new_run()
    path = store / run / "stats.a.0.npr"
    real_write, attempts = os.write, []

    def write(fd: int, data: bytes) -> int:
        if disk_full and os.fstat(fd).st_ino == os.stat(path).st_ino:
            attempts.append(len(data))
            if len(attempts) == 1:
                return real_write(fd, bytes(data[:10]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    disk_full = False
    monkeypatch.setattr(os, "write", write)
    with runwatch.to_run(run):
        runwatch.stats.mean("a", 0.0, 0)
        runwatch.store.appender.FLUSHER.flush_all()
        disk_full = True
        for step in range(1, 10):
            runwatch.stats.mean("a", float(step), step)
            runwatch.store.appender.FLUSHER.flush_all()
        disk_full = False
        for step in range(10, 20):
            runwatch.stats.mean("a", float(step), step)
    assert len(attempts) > 1, "the writer met the full disk"
    assert assert_whole_rows(path)["count"] == list(range(20)), "held, then written whole"
    stderr = capsys.readouterr().err
    assert [line for line in stderr.splitlines() if str(path) in line] == [
        (
            f"runwatch: could not write {path} ([Errno 28] No space left on device);"
            " holding up to 1024 KiB of its rows in memory and retrying"
        ),
        f"runwatch: writing again to {path}; no rows lost",
    ]
