"""The stdlib `.npr` header codec against numpy, and its errors on bad files."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.lib import _format_impl as npformat

from runwatch.store import npr
from runwatch.store.errors import BadNpr


def numpy_header(descr, version=None) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        npformat._write_array_header(
            out, {"descr": descr, "fortran_order": False, "shape": (0,)}, version
        )
    return out.getvalue()


@pytest.mark.parametrize(
    "descr",
    [
        [("_time", "<M8[ns]"), ("total", "<f8"), ("count", "<i8")],
        [("_time", "<M8[ns]"), ("μ", "<f8"), ("σ", "<f8")],  # not latin-1: version 3
        [("_time", "<M8[ns]")]
        + [(f"qs.{i}" * 40, "<f4") for i in range(800)],  # too long: version 2
        [("_time", "<M8[ns]"), ("x", "|b1"), ("y", "|u1"), ("z", "<i4")],
    ],
)
def test_header_matches_numpy(descr):
    ours = npr.encode_header(descr)
    assert ours == numpy_header(descr)
    layout = npr.parse_header("x.npr", ours)
    assert layout.header_len == len(ours)
    assert layout.itemsize == np.dtype(descr).itemsize
    assert layout.names == tuple(name for name, _ in descr)


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s"])
def test_reads_every_version_and_unit(tmp_path: Path, version, unit):
    dtype = np.dtype([("_time", f"<M8[{unit}]"), ("v", "<f8"), ("b", "|b1")])
    rows = np.array(
        [(np.datetime64(1_700_000_000 + i, "s"), i / 2, i % 2 == 0) for i in range(5)], dtype
    )
    path = tmp_path / "stats.x.0.npr"
    path.write_bytes(
        numpy_header(dtype.descr, version) + rows.tobytes() + b"\x07" * (dtype.itemsize - 1)
    )
    layout, columns = npr.read_columns(path)
    assert layout.version == version[0] and layout.time_unit == unit
    assert columns["_time"] == [(1_700_000_000 + i) * 10**9 for i in range(5)]
    assert columns["v"] == [i / 2 for i in range(5)]
    assert columns["b"] == [i % 2 == 0 for i in range(5)]
    assert npr.file_rows(path) == 5  # the partial last row is ignored


GOOD = npr.encode_header([("_time", "<M8[ns]"), ("x", "<f8")])


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (GOOD[:7], "truncated header"),
        (GOOD[:40], "truncated header"),
        (b"PK\x03\x04 not numpy at all", "bad magic"),
        (GOOD.replace(b"'descr'", b"'descr!"), "garbage header"),
        (GOOD[:8] + GOOD[8:].replace(b"{", b"(", 1), "garbage header"),
        (numpy_header("|O"), "object dtype"),
        (numpy_header([("_time", "<M8[ns]"), ("o", "|O")]), "object dtype"),
        (GOOD.replace(b"(0,), ", b"(3,), "), "shape (3,)"),
        (numpy_header([("_time", "<M8[ns]"), ("x", ">f8")]), "big-endian"),
        (numpy_header([("_time", "<M8[ns]"), ("s", "<U4")]), "unsupported dtype"),
        (numpy_header([("_time", "<M8[D]"), ("x", "<f8")]), "unsupported datetime"),
        (numpy_header([("x", "<f8")]), "no _time field"),
        (b"\x93NUMPY\x09\x00" + GOOD[8:], "unsupported NPY version"),
    ],
)
def test_bad_files_name_the_file_and_reason(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "stats.bad.0.npr"
    path.write_bytes(content)
    with pytest.raises(BadNpr) as caught:
        npr.read_columns(path)
    assert str(path) in str(caught.value)
    assert reason in caught.value.reason
