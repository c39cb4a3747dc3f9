"""The rows of a channel that its latest values at a rule need, read from its files' ends.

`latest.latest_buckets` looks at the last two buckets only, plus the row before them
(`timeaverage`), the last non-NaN value (`last`) or every row (`cumsum`). Reading just
those keeps the kernel's text snapshot quick on a run of millions of rows. Each file
is assumed to be in time order (one writer appends with its clock); a chunk that is
not sends that file back to a whole read. Stdlib only.
"""

from __future__ import annotations

import itertools
import math
import os
import struct
from pathlib import Path

from . import latest, npr, safe_read

CHUNK_ROWS = 4096
# The kernel reads these rows in pure Python while a cell runs: past this many for one
# channel (a cumsum of millions of rows, rows dated after "now"), it says so instead.
MAX_ROWS = 100_000


class TooManyRows(ValueError):
    """The latest value needs more rows than the kernel's quick look reads."""

    def __init__(self, rows: int):
        super().__init__(
            f"needs {rows:,} rows, over the {MAX_ROWS:,} the kernel reads: see the plots"
        )


class _File:
    """One open `.npr` file: its layout and whole-row count."""

    def __init__(self, path: Path, created_ns: int, real_root: str | None):
        self.path, self.created_ns = path, created_ns
        self.layout = npr.read_header(path, real_root=real_root)
        # Non-blocking, regular files only (a FIFO swapped in can't hang the kernel).
        self.fd = safe_read.open_regular(path, real_root=real_root)
        self.rows = self.layout.row_count(os.fstat(self.fd).st_size)

    def read(self, first: int, end: int) -> dict[str, list]:
        """Rows [first, end) as columns, `_time` in ns since `_created`, values as floats."""
        size = self.layout.itemsize
        data = os.pread(self.fd, (end - first) * size, self.layout.header_len + first * size)
        if len(data) < (end - first) * size:
            raise OSError(f"{self.path.name}: shrank while being read")
        records = list(struct.iter_unpack(self.layout.struct_format, data))
        scale = npr.TIME_UNITS_NS[self.layout.time_unit]
        columns = {}
        for name, values in zip(self.layout.names, zip(*records) if records else ()):
            if name == npr.TIME_FIELD:
                columns[name] = [t * scale - self.created_ns for t in values]
            else:
                columns[name] = [float(v) for v in values]
        return columns or {name: [] for name in self.layout.names}

    def time_at(self, row: int) -> int:
        return self.read(row, row + 1)[npr.TIME_FIELD][0]


def _has_values_before(columns: dict[str, list], before_ns: int) -> bool:
    """Every value field has a non-NaN value in a row before `before_ns`."""
    times = columns[npr.TIME_FIELD]
    early = [i for i, t in enumerate(times) if t < before_ns]
    return all(
        any(not math.isnan(values[i]) for i in early)
        for name, values in columns.items()
        if name != npr.TIME_FIELD
    )


def _tail(file: _File, kind: str, from_ns: int | None) -> dict[str, list]:
    """The file's rows from a chunk that starts before `from_ns` (None: every row),
    and its first row, which sets where the buckets start."""
    if from_ns is None:
        return _whole(file)
    end, step = file.rows, CHUNK_ROWS
    parts: list[dict[str, list]] = []
    while end > 0:
        first = max(0, end - step)
        part = file.read(first, end)
        times = part[npr.TIME_FIELD]
        later = parts[0][npr.TIME_FIELD][:1] if parts else []
        if any(a > b for a, b in itertools.pairwise([*times, *later])):
            return _whole(file)  # out of order: read the whole file
        parts.insert(0, part)
        if file.rows - first > MAX_ROWS and first > 0:
            raise TooManyRows(file.rows - first)
        end, step = first, step * 2
        enough = kind not in ("last", "silent") or _has_values_before(part, from_ns)
        if times and times[0] < from_ns and enough:
            break
    if end > 0:
        parts.insert(0, file.read(0, 1))
    return {name: [v for part in parts for v in part[name]] for name in parts[0]}


def _whole(file: _File) -> dict[str, list]:
    if file.rows > MAX_ROWS:
        raise TooManyRows(file.rows)
    return file.read(0, file.rows)


def read_latest_rows(
    paths: list[Path],
    kind: str,
    created_ns: int,
    rule_s: float,
    now_s: float,
    real_root: str | None = None,
) -> dict[str, list]:
    """Rows of a channel's files (in N order) that give the same `latest.latest_buckets`
    as all of them: merged, then stably sorted by time. With `real_root`, only files
    under it are read."""
    files: list[_File] = []
    try:
        for path in paths:
            files.append(_File(path, created_ns, real_root))
        names = list(dict.fromkeys(name for f in files for name in f.layout.names))
        filled = [f for f in files if f.rows > 0]
        if not filled:
            return {name: [] for name in names or [npr.TIME_FIELD]}
        firsts = [f.time_at(0) for f in filled]
        lasts = [f.time_at(f.rows - 1) for f in filled]
        start_ns, rule_ns, _, partial_from = latest.geometry(
            [min(firsts), max(lasts)], rule_s, now_s
        )
        from_ns = None if kind == "cumsum" else start_ns + max(0, partial_from - 1) * rule_ns
        parts = [_tail(f, kind, from_ns) for f in filled]
    finally:
        for f in files:
            os.close(f.fd)
    # Files of one channel may differ in fields (a writer's schema changed): NaN-fill.
    merged: dict[str, list] = {name: [] for name in names}
    for part in parts:
        count = len(part[npr.TIME_FIELD])
        for name in names:
            merged[name].extend(part.get(name, [latest.NAN] * count))
    times = merged[npr.TIME_FIELD]
    order = sorted(range(len(times)), key=times.__getitem__)
    return {name: [values[i] for i in order] for name, values in merged.items()}
