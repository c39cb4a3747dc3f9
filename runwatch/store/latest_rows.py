"""The rows of a channel that its latest values at a rule need, read from its files' ends.

`latest.latest_buckets` looks at the last two buckets only, plus the row before them
(`timeaverage`), the last non-NaN value (`last`) or every row (`cumsum`). Reading just
those keeps the kernel's text snapshot quick on a run of millions of rows: the first
row of the last buckets is found by bisecting on one-row reads, then only the rows from
just before it are decoded. Each file is assumed to be in time order (one writer appends
with its clock); rows read that are not send that file back to a whole read. Stdlib only.
"""

from __future__ import annotations

import math
import os
import struct
import sys
from pathlib import Path

from . import latest, npr, safe_read

# Rows read before the first one the buckets need: the row before them (timeaverage)
# and, mostly, an earlier non-NaN value for `last` without a second read.
MARGIN_ROWS = 16
# Where `last` still lacks a value, it walks back by this many rows, doubling each time.
CHUNK_ROWS = 4096
# The kernel reads these rows in pure Python while a cell runs: past this many for one
# channel (a cumsum of millions of rows, rows dated after "now"), it says so instead.
MAX_ROWS = 100_000
_FLOAT_CODES = frozenset("efd")  # struct already gives floats: no conversion
# memoryview.cast takes these; not f2, nor b1 (a byte other than 0 or 1 in a C bool).
_CASTABLE_CODES = frozenset("bBhHiIqQfd")


class TooManyRows(ValueError):
    """The latest value needs more rows than the kernel's quick look reads."""

    def __init__(self, rows: int):
        super().__init__(
            f"needs {rows:,} rows, over the {MAX_ROWS:,} the kernel reads: see the plots"
        )


class _OutOfOrder(Exception):
    """Rows read from a file's end are not in time order."""


class _File:
    """One open `.npr` file: its layout and whole-row count."""

    def __init__(self, path: Path, created_ns: int, real_root: str | None):
        self.path, self.created_ns = path, created_ns
        # Non-blocking, regular files only (a FIFO swapped in can't hang the kernel).
        self.fd = safe_read.open_regular(path, real_root=real_root)
        try:
            self.layout = npr.read_header_fd(path, self.fd)
        except BaseException:
            os.close(self.fd)
            raise
        # Rows appended later are not read: every read stays below this count.
        self.rows = self.layout.row_count(os.fstat(self.fd).st_size)
        self.scale = npr.TIME_UNITS_NS[self.layout.time_unit]
        time_field = next(f for f in self.layout.fields if f.name == npr.TIME_FIELD)
        self.time_offset = time_field.offset
        self.fields = [(f.name, f.code) for f in self.layout.fields if f.code != "x"]
        self.strided = _strided_columns(self.layout)

    def _bytes(self, offset: int, size: int) -> bytes:
        data = os.pread(self.fd, size, self.layout.header_len + offset)
        if len(data) < size:
            raise OSError(f"{self.path.name}: shrank while being read")
        return data

    def read(self, first: int, end: int) -> dict[str, list]:
        """Rows [first, end) as columns, `_time` in ns since `_created`, values as floats."""
        size = self.layout.itemsize
        data = self._bytes(first * size, (end - first) * size)
        if self.strided is not None:
            view = memoryview(data)
            raw = [view.cast(code)[start::step].tolist() for code, start, step in self.strided]
        else:
            records = struct.iter_unpack(self.layout.struct_format, data)
            raw = list(zip(*records)) or [()] * len(self.fields)
        return {
            name: self._column(name, code, values) for (name, code), values in zip(self.fields, raw)
        }

    def _column(self, name: str, code: str, values) -> list:
        if name == npr.TIME_FIELD:
            return self._times(values)
        return list(values) if code in _FLOAT_CODES else list(map(float, values))

    def _times(self, values) -> list[int]:
        created, scale = self.created_ns, self.scale
        if scale == 1:  # the writer's ns: a multiplication less per row
            return [t - created for t in values]
        return [t * scale - created for t in values]

    def time_at(self, row: int) -> int:
        """Row `row`'s `_time` in ns since `_created`, reading its 8 bytes only."""
        offset = row * self.layout.itemsize + self.time_offset
        (t,) = struct.unpack("<q", self._bytes(offset, 8))
        return t * self.scale - self.created_ns

    def first_at_or_after(self, from_ns: int) -> int:
        """The first row dated at or after `from_ns` (`rows` if none), by bisection."""
        lo, hi = 0, self.rows
        while lo < hi:
            mid = (lo + hi) // 2
            if self.time_at(mid) < from_ns:
                lo = mid + 1
            else:
                hi = mid
        return lo


def _strided_columns(layout: npr.NprLayout) -> list[tuple[str, int, int]] | None:
    """(code, first item, items a row) of each field, read as a strided view of
    the rows' bytes: several times quicker than struct for the writer's aligned 8-byte
    fields. None where a field is unaligned, a half float, or the host is big-endian."""
    columns = []
    for field in layout.fields:
        if field.code == "x":
            continue
        aligned = field.offset % field.size == 0 and layout.itemsize % field.size == 0
        if not (
            sys.byteorder == "little"
            and field.code in _CASTABLE_CODES
            and struct.calcsize(field.code) == field.size
            and aligned
        ):
            return None
        columns.append((field.code, field.offset // field.size, layout.itemsize // field.size))
    return columns


def _in_order(times: list[int]) -> bool:
    return times == sorted(times)  # linear on sorted input (Timsort finds one run)


def _still_without_values(part: dict[str, list], before_ns: int, missing: set[str]) -> set[str]:
    """The fields of `missing` with no non-NaN value in `part`'s rows before `before_ns`."""
    early = [i for i, t in enumerate(part[npr.TIME_FIELD]) if t < before_ns]
    return {name for name in missing if all(math.isnan(part[name][i]) for i in early)}


def _tail(file: _File, kind: str, from_ns: int | None) -> dict[str, list]:
    """The file's rows from just before the first at/after `from_ns` (None: every
    row) to its end, and its first row, which sets where the buckets start. `last`
    walks back further until every value field has a non-NaN value before `from_ns`."""
    if from_ns is None:
        return _whole(file)
    needed = file.first_at_or_after(from_ns)
    first = max(0, needed - 1 - MARGIN_ROWS)  # the row before `needed` is before from_ns
    end, step = file.rows, CHUNK_ROWS
    missing = set(file.layout.names) - {npr.TIME_FIELD} if kind in ("last", "silent") else set()
    parts: list[dict[str, list]] = []
    try:
        while True:
            # Checked before decoding them; a file of one chunk is read whole, as it was.
            if file.rows - first > MAX_ROWS and (first > 0 or file.rows > CHUNK_ROWS):
                raise TooManyRows(file.rows - first)
            part = file.read(first, end)
            later = parts[0][npr.TIME_FIELD][:1] if parts else []
            if not _in_order(part[npr.TIME_FIELD] + later):
                raise _OutOfOrder
            parts.insert(0, part)
            missing = _still_without_values(part, from_ns, missing) if missing else missing
            if first == 0 or not missing:
                break
            end, first, step = first, max(0, first - step), step * 2
        if first > 0:
            parts.insert(0, file.read(0, 1))
    except _OutOfOrder:
        return _whole(file)
    return _joined(parts)


def _joined(parts: list[dict[str, list]]) -> dict[str, list]:
    if len(parts) == 1:
        return parts[0]
    columns: dict[str, list] = {name: [] for name in parts[0]}
    for part in parts:
        for name, values in columns.items():
            values += part[name]
    return columns


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
    if len(parts) == 1 and list(parts[0]) == names and _in_order(parts[0][npr.TIME_FIELD]):
        return parts[0]  # one file in order: merging and sorting would change nothing
    # Files of one channel may differ in fields (a writer's schema changed): NaN-fill.
    merged: dict[str, list] = {name: [] for name in names}
    for part in parts:
        count = len(part[npr.TIME_FIELD])
        for name in names:
            merged[name].extend(part.get(name, [latest.NAN] * count))
    times = merged[npr.TIME_FIELD]
    order = sorted(range(len(times)), key=times.__getitem__)
    return {name: [values[i] for i in order] for name, values in merged.items()}
