"""The variant's stdout and stderr once their pipe is gone (orphan_output.py)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from runwatch.store.info import create_run
from runwatch.sweeps.orphan_output import PipeOrRunLog, RunLogFallback


def log_text(run_dir: Path) -> str:
    return "".join(p.read_text() for p in sorted(run_dir.glob("logs.*.txt")))


def test_a_broken_pipe_sends_the_lines_to_the_run_log(tmp_path: Path):
    run_dir = tmp_path / create_run(tmp_path, "orphan", {})
    read_end, write_end = os.pipe()
    pipe = io.TextIOWrapper(io.FileIO(write_end, "w"), line_buffering=True)
    fallback = RunLogFallback(run_dir)
    stream = PipeOrRunLog(pipe, "stdout", fallback)

    print("before", file=stream)
    assert os.read(read_end, 100) == b"before\n"
    os.close(read_end)  # the supervisor is gone
    print("after", file=stream)
    print("and more", file=stream)
    stream.flush()
    fallback.log.close()

    assert stream.broken
    log = log_text(run_dir)
    assert "INFO stdout: after\n" in log
    assert "INFO stdout: and more\n" in log
    assert "before" not in log  # it reached the pipe
    # The descriptor now points at /dev/null: a last flush at exit can't fail.
    pipe.write("pending")
    pipe.flush()


def test_what_a_text_stream_has_beyond_write_is_still_there(tmp_path: Path):
    pipe = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stream = PipeOrRunLog(pipe, "stderr", RunLogFallback(tmp_path))
    assert stream.buffer is pipe.buffer
    stream.reconfigure(line_buffering=True)
    assert pipe.line_buffering
    assert stream.encoding == "utf-8"
    assert stream.write("x") == 1
