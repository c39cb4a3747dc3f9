"""The tail of a log, as the monitor and the steering audit read it: whole lines only,
from the last bytes of the file, and the file closed after."""

from __future__ import annotations

import os

import pytest

from runwatch.store import safe_read


def opened(path) -> int:
    return safe_read.open_regular(path)


def test_a_short_file_is_every_line(tmp_path):
    path = tmp_path / "log"
    path.write_bytes(b"one\ntwo\n")
    assert safe_read.tail_lines(opened(path), 1024) == ([b"one", b"two", b""], False)


def test_a_long_file_leaves_out_the_cut_line(tmp_path):
    path = tmp_path / "log"
    path.write_bytes(b"".join(b"line %04d\n" % i for i in range(1000)))
    lines, cut = safe_read.tail_lines(opened(path), 25)  # 2.5 lines of 10 bytes
    assert cut and lines == [b"line 0998", b"line 0999", b""]


def test_the_file_is_closed_after(tmp_path):
    path = tmp_path / "log"
    path.write_bytes(b"x\n")
    fd = opened(path)
    safe_read.tail_lines(fd, 10)
    with pytest.raises(OSError):
        os.fstat(fd)
