"""`.npr` files: an NPY header with shape (0,), then fixed-width records forever.

Stdlib only: the writer builds headers with it and readers parse them without
numpy. Byte-for-byte the headers match `numpy.lib.format` (see tests).
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path
from typing import NamedTuple

from . import safe_read
from .errors import BadNpr

MAGIC = b"\x93NUMPY"
ALIGN = 64
GROWTH_AXIS_MAX_DIGITS = 21  # numpy pads the header so the shape could be rewritten in place
TIME_FIELD = "_time"
TIME_UNITS_NS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9}
# A header is a few hundred bytes; a version 2/3 length field can claim 4 GB.
MAX_HEADER_BYTES = 2**20
MAX_COLUMNS_BYTES = 2**31  # read_columns reads a whole file into lists
# Layouts parsed, by their header's bytes: a run's channels share a few headers, and
# parsing one (ast) costs far more than reading it; the kernel's text snapshot of 60
# channels parsed 120. Only small headers, and only ones that parsed.
_LAYOUTS: dict[bytes, NprLayout] = {}
MAX_CACHED_LAYOUTS = 256
MAX_CACHED_HEADER_BYTES = 4096

# typestr (without byte order) -> struct code
STRUCT_CODES = {
    "b1": "?",
    "i1": "b",
    "i2": "h",
    "i4": "i",
    "i8": "q",
    "u1": "B",
    "u2": "H",
    "u4": "I",
    "u8": "Q",
    "f2": "e",
    "f4": "f",
    "f8": "d",
}
_TYPESTR = re.compile(r"([<>|=])([a-zA-Z])(\d*)(?:\[(\w+)\])?")


class Field(NamedTuple):
    name: str
    typestr: str  # as in the header, e.g. '<f8', '|b1', '<M8[ns]'
    offset: int
    size: int
    code: str  # struct code, 'x' for padding


class NprLayout(NamedTuple):
    version: int
    header_len: int  # bytes before the first record
    fields: tuple[Field, ...]
    itemsize: int
    time_unit: str  # 'ns', 'us', 'ms' or 's'

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.code != "x")

    @property
    def struct_format(self) -> str:
        return "<" + "".join(f.code if f.code != "x" else f"{f.size}x" for f in self.fields)

    def row_count(self, file_size: int) -> int:
        """Whole rows in a file of `file_size` bytes; a partial last row is ignored."""
        return max(file_size - self.header_len, 0) // self.itemsize


def encode_header(descr: list[tuple[str, str]]) -> bytes:
    """The NPY header numpy would write for a shape-(0,) array of this record dtype.

    Version 1 when it fits, else 2, or 3 when a field name is not latin-1.
    """
    text = f"{{'descr': {descr!r}, 'fortran_order': False, 'shape': (0,), }}"
    text += " " * (GROWTH_AXIS_MAX_DIGITS - 1)
    try:
        body, versions = text.encode("latin1"), (1, 2)
    except UnicodeEncodeError:
        body, versions = text.encode("utf8"), (3,)
    for version in versions:
        size_format = "<H" if version == 1 else "<I"
        pad = ALIGN - ((len(MAGIC) + 2 + struct.calcsize(size_format) + len(body) + 1) % ALIGN)
        length = len(body) + pad + 1
        if version != 1 or length < 65536:
            size = struct.pack(size_format, length)
            return MAGIC + bytes([version, 0]) + size + body + b" " * pad + b"\n"
    raise AssertionError("unreachable")


def _parse_field(path: Path, entry: object, offset: int) -> Field:
    if not (
        isinstance(entry, tuple) and len(entry) == 2 and all(isinstance(p, str) for p in entry)
    ):
        raise BadNpr(
            path, f"unsupported field {entry!r} (nested or sub-array fields are not supported)"
        )
    name, typestr = entry
    match = _TYPESTR.fullmatch(typestr)
    if not match:
        raise BadNpr(path, f"unsupported dtype {typestr!r} for field {name!r}")
    order, char, size, unit = (
        match.group(1),
        match.group(2),
        int(match.group(3) or 0),
        match.group(4),
    )
    if char == "O":
        raise BadNpr(path, f"object dtype in field {name!r}: pickled objects cannot be appended to")
    if order == ">" and size > 1:
        raise BadNpr(path, f"big-endian dtype {typestr!r} for field {name!r} is not supported")
    if char == "V" and name == "":
        return Field(name, typestr, offset, size, "x")
    if char == "M":
        if name != TIME_FIELD or size != 8 or unit not in TIME_UNITS_NS:
            raise BadNpr(
                path,
                f"unsupported datetime field {name!r} {typestr!r} (want _time in ns, us, ms or s)",
            )
        return Field(name, typestr, offset, 8, "q")
    code = STRUCT_CODES.get(f"{char}{size}")
    if code is None:
        raise BadNpr(path, f"unsupported dtype {typestr!r} for field {name!r}")
    return Field(name, typestr, offset, size, code)


def parse_header(path: str | Path, data: bytes) -> NprLayout:
    """Parse the header at the start of `data` (the file's first bytes)."""
    path = Path(path)
    if not data:
        raise BadNpr(path, "empty file (no NPY header)")
    if not data.startswith(MAGIC[: len(data)]) or len(data) < len(MAGIC):
        if data.startswith(MAGIC[: len(data)]):
            raise BadNpr(path, "truncated header")
        raise BadNpr(path, "not an NPY file (bad magic)")
    if len(data) < 10:
        raise BadNpr(path, "truncated header")
    version = data[6]
    if version == 1:
        start, (length,) = 10, struct.unpack_from("<H", data, 8)
    elif version in (2, 3):
        if len(data) < 12:
            raise BadNpr(path, "truncated header")
        start, (length,) = 12, struct.unpack_from("<I", data, 8)
    else:
        raise BadNpr(path, f"unsupported NPY version {version}.{data[7]}")
    if len(data) < start + length:
        raise BadNpr(path, f"truncated header (needs {start + length} bytes, file has {len(data)})")
    header = bytes(data[: start + length])
    cached = _LAYOUTS.get(header)  # get: another thread may clear it meanwhile
    if cached is not None:
        return cached
    import ast  # only readers need it

    try:
        text = header[start:].decode("utf8" if version == 3 else "latin1")
        meta = ast.literal_eval(text)
    except (UnicodeDecodeError, ValueError, SyntaxError, MemoryError, RecursionError) as error:
        raise BadNpr(path, f"garbage header ({type(error).__name__})") from None
    if not isinstance(meta, dict) or not {"descr", "fortran_order", "shape"} <= set(meta):
        raise BadNpr(path, "garbage header (not a dict with descr, fortran_order and shape)")
    if meta["shape"] != (0,):
        raise BadNpr(path, f"shape {meta['shape']!r}, expected (0,) for an appendable record file")
    descr = meta["descr"]
    if descr == "|O" or descr == "O":
        raise BadNpr(path, "object dtype: pickled objects cannot be appended to")
    if not isinstance(descr, list) or not descr:
        raise BadNpr(path, f"dtype {descr!r} is not a record dtype")
    fields, offset = [], 0
    for entry in descr:
        field = _parse_field(path, entry, offset)
        fields.append(field)
        offset += field.size
    times = [f for f in fields if f.name == TIME_FIELD]
    if not times:
        raise BadNpr(path, "no _time field")
    unit = _TYPESTR.fullmatch(times[0].typestr).group(4)
    layout = NprLayout(version, start + length, tuple(fields), offset, unit)
    if len(header) <= MAX_CACHED_HEADER_BYTES:
        if len(_LAYOUTS) >= MAX_CACHED_LAYOUTS:
            _LAYOUTS.clear()
        _LAYOUTS[header] = layout
    return layout


def _header_bytes(path: Path, fd: int) -> bytes:
    data = os.pread(fd, 4096, 0)
    if len(data) >= 12 and data[6] in (2, 3):
        need = 12 + struct.unpack_from("<I", data, 8)[0]
        if need > MAX_HEADER_BYTES:
            raise BadNpr(path, f"header of {need} bytes, over the {MAX_HEADER_BYTES} limit")
        if need > len(data):
            data += os.pread(fd, need - len(data), len(data))
    return data


def read_header(path: str | Path, real_root: str | None = None) -> NprLayout:
    """The file's layout; only a regular file is read (a FIFO or device is refused),
    and with `real_root` only one under it."""
    path = Path(path)
    fd = safe_read.open_regular(path, real_root=real_root)
    try:
        data = _header_bytes(path, fd)
    finally:
        os.close(fd)
    return parse_header(path, data)


def read_header_fd(path: str | Path, fd: int) -> NprLayout:
    """The layout of the file open at `fd` (`path` names it in errors): for a reader
    that keeps the fd, one open and one root check instead of two."""
    return parse_header(path, _header_bytes(path, fd))  # path: only for errors


def read_columns(path: str | Path) -> tuple[NprLayout, dict[str, list]]:
    """Every whole row of a file as columns; `_time` becomes int ns since the epoch."""
    path = Path(path)
    fd = safe_read.open_regular(path)
    try:
        data = safe_read.read_fd(fd, MAX_COLUMNS_BYTES, path)
    finally:
        os.close(fd)
    layout = parse_header(path, data[:65536] if len(data) > 65536 else data)
    if len(data) > 65536 and layout.header_len > 65536:
        layout = parse_header(path, data)
    rows = layout.row_count(len(data))
    body = memoryview(data)[layout.header_len : layout.header_len + rows * layout.itemsize]
    names = layout.names
    if rows:
        columns = {
            name: list(values)
            for name, values in zip(names, zip(*struct.iter_unpack(layout.struct_format, body)))
        }
    else:
        columns = {name: [] for name in names}
    scale = TIME_UNITS_NS[layout.time_unit]
    if scale != 1:
        columns[TIME_FIELD] = [t * scale for t in columns[TIME_FIELD]]
    return layout, columns


def file_rows(path: str | Path) -> int:
    """Whole rows currently in a file."""
    return read_header(path).row_count(os.stat(path).st_size)


def last_row(path: str | Path) -> dict[str, object] | None:
    """The last whole row as {field: value} (`_time` in ns), reading only its bytes; None if empty."""
    path = Path(path)
    fd = safe_read.open_regular(path)
    try:
        layout = parse_header(path, _header_bytes(path, fd))
        rows = layout.row_count(os.fstat(fd).st_size)
        if not rows:
            return None
        data = os.pread(fd, layout.itemsize, layout.header_len + (rows - 1) * layout.itemsize)
    finally:
        os.close(fd)
    if len(data) < layout.itemsize:
        return None  # truncated underneath
    row = dict(zip(layout.names, struct.unpack(layout.struct_format, data)))
    row[TIME_FIELD] *= TIME_UNITS_NS[layout.time_unit]
    return row
