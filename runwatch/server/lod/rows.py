"""A channel's rows as numpy columns: every `stats.<channel>.<N>.npr` file of a run,
decoded like src/store/decode.ts and merged by time like src/store/merge.ts.

Files are read with `os.pread` on an fd opened by `paths.open_store_file` (a
regular file under the root, non-blocking), not memory-mapped: a file truncated
under a mapping raises SIGBUS, which would kill the whole server.
"""

from __future__ import annotations

import functools
import os
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ...store import info as info_file
from ...store import layout, npr, safe_read
from ...store.errors import BadInfo, BadNpr
from ..paths import Refused, StorePaths

TIME = npr.TIME_FIELD
NAT = np.iinfo(np.int64).min
READ_CHUNK_BYTES = 64 * 2**20  # one pread at most this big: bounded temporary memory


class ChannelError(Exception):
    """A channel that can't be read or aggregated; str() is "<file name>: <reason>"."""


class FileStamp(NamedTuple):
    """What identifies a file's bytes: same inode and no shrink means only appends."""

    dev: int
    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, fd: int) -> FileStamp:
        st = os.fstat(fd)
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def grew_from(self, older: FileStamp) -> bool:
        """Same file (inode), not shorter, and if no longer then untouched (mtime): what
        `older` covered is still there, only appended to."""
        if (self.dev, self.ino) != (older.dev, older.ino) or self.size < older.size:
            return False
        return self.size > older.size or self.mtime_ns == older.mtime_ns


class ChannelSpec(NamedTuple):
    name: str
    kind: str
    files: tuple[str, ...]  # ordered by N


class RunChannels(NamedTuple):
    run_dir: Path
    created_ns: int
    channels: dict[str, ChannelSpec]


def run_channels(paths: StorePaths, run: str) -> RunChannels:
    """The run's `_created` and its stats channels (from `_files`, kind of the first file).

    Refused (400/403/404) for a bad run name, one out of the root, or no such run;
    Refused 409 when `_info.json` can't be read (nothing can be placed in time).
    """
    return listed_channels(paths, paths.run_dir(run))


def listed_channels(paths: StorePaths, run_dir: Path) -> RunChannels:
    """`run_channels` of a folder `paths.run_dir` has checked."""
    run = run_dir.name
    try:
        info = info_file.read_info(run_dir, real_root=paths.real_root())
        created = info_file.created_ns(run_dir, info)
    except BadInfo as error:
        raise Refused(409, f"run {run!r}: {error}") from None
    return RunChannels(run_dir, created, channel_specs(info))


def channel_specs(info: dict) -> dict[str, ChannelSpec]:
    """The run's stats channels from `_files`, by name: each with its files by N and the
    first file's kind (the series endpoint's and the runs table's one rule)."""
    listed = info.get("_files")
    found: dict[str, list[tuple[int, str, str]]] = {}
    for filename, entry in (listed if isinstance(listed, dict) else {}).items():
        match = layout.STATS_FILE.fullmatch(filename) if isinstance(filename, str) else None
        kind = entry.get("kind") if isinstance(entry, dict) else None
        if match and isinstance(kind, str):
            found.setdefault(match["channel"], []).append((int(match["n"]), filename, kind))
    specs = {}
    for name in sorted(found):
        entries = sorted(found[name])
        specs[name] = ChannelSpec(name, entries[0][2], tuple(f for _, f, _ in entries))
    return specs


def _missing_reason(path: Path) -> str:
    """Why a listed file can't be served: not there, or not a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "listed in _info.json but missing"
    return f"{safe_read.file_type(mode)}, not a regular file, refused"


@functools.lru_cache(maxsize=1024)  # a glob's review opens 1,200 files of a few layouts
def record_dtype(layout_: npr.NprLayout) -> np.dtype:
    """The rows' numpy dtype; `_time` is read as int64 units (NaT is its minimum)."""
    names, formats, offsets = [], [], []
    for field in layout_.fields:
        if field.code == "x":
            continue
        names.append(field.name)
        formats.append("<i8" if field.name == TIME else field.typestr)
        offsets.append(field.offset)
    return np.dtype(
        {"names": names, "formats": formats, "offsets": offsets, "itemsize": layout_.itemsize}
    )


class OpenFile:
    """One open `.npr` file: its layout, stamp and rows, read with pread."""

    def __init__(self, paths: StorePaths, run_dir: Path, name: str):
        self.name = name
        try:
            self.path, self.fd = paths.open_in_run(run_dir.name, name)
        except Refused as refused:
            reason = refused.message.removeprefix(f"{name!r}: ")
            if refused.status == 404:
                reason = _missing_reason(run_dir / name)
            raise ChannelError(f"{name}: {reason}") from None
        try:
            self.stamp = FileStamp.of(self.fd)
            # An empty file (a writer that has not written its header yet) is skipped,
            # as the browser skips it.
            self.empty = self.stamp.size == 0
            self.layout = (
                None
                if self.empty
                else npr.parse_header(self.path, npr._header_bytes(self.path, self.fd))
            )
            self.dtype = None if self.empty else record_dtype(self.layout)
        except BadNpr as error:
            os.close(self.fd)
            raise ChannelError(f"{name}: {error.reason}") from None
        except BaseException:
            os.close(self.fd)
            raise

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    @property
    def rows(self) -> int:
        """Whole rows as of the stamp (a partial last row is ignored)."""
        return 0 if self.empty else self.layout.row_count(self.stamp.size)

    def records(self, start: int, stop: int, into: np.ndarray | None = None) -> np.ndarray:
        """Rows [start, stop) as a structured array; fewer if the file shrank meanwhile.
        With `into` (bytes, big enough), the rows are a view of it, valid until it is
        reused: no new memory to fault in, which two threads reading at once contend on."""
        itemsize = self.layout.itemsize
        stop = max(start, min(stop, self.rows))
        if into is None:
            out = np.empty(stop - start, self.dtype)
        else:
            out = into[: (stop - start) * itemsize].view(self.dtype)
        buffer = out.view(np.uint8).reshape(-1) if out.size else np.empty(0, np.uint8)
        done, total = 0, (stop - start) * itemsize
        base = self.layout.header_len + start * itemsize
        while done < total:
            want = min(READ_CHUNK_BYTES, total - done)
            got = os.preadv(self.fd, [memoryview(buffer[done : done + want])], base + done)
            if got <= 0:
                break  # truncated underneath: keep the whole rows read
            done += got
        return out[: done // itemsize]

    def records_in(self, ranges: list[tuple[int, int]]) -> np.ndarray:
        """The rows of several [start, stop) ranges, concatenated: one array, one pread each."""
        total = sum(stop - start for start, stop in ranges)
        out = np.empty(total, self.dtype)
        buffer = out.view(np.uint8).reshape(-1) if total else np.empty(0, np.uint8)
        itemsize, at = self.layout.itemsize, 0
        for start, stop in ranges:
            want = (stop - start) * itemsize
            got = os.preadv(
                self.fd,
                [memoryview(buffer[at : at + want])],
                self.layout.header_len + start * itemsize,
            )
            if got < want:
                raise OSError(0, "file shrank while read", self.name)
            at += want
        return out

    def columns(self, origin_ns: int, start: int = 0, stop: int | None = None) -> dict:
        """Rows [start, stop) decoded to float64 columns (see `decode`)."""
        return decode(
            self.records(start, self.rows if stop is None else stop), self.layout, origin_ns
        )


def decode(
    records: np.ndarray, layout_: npr.NprLayout, origin_ns: int, seconds: bool = True
) -> dict[str, np.ndarray]:
    """float64 columns in header order: `_time` in seconds since `origin_ns` (NaT -> NaN),
    numbers and bools as doubles, as `decodeRows` gives them. `seconds=False` leaves
    `_time` in its int64 units (for callers that convert only a few)."""
    out = {}
    for name in records.dtype.names:
        if name == TIME:
            units = records[name]
            out[name] = seconds_since(units, layout_.time_unit, origin_ns) if seconds else units
        else:
            out[name] = records[name].astype(np.float64)
    return out


def in_time_order(units: np.ndarray) -> bool:
    """Whether int64 time units never decrease and none is NaT (none at all: True)."""
    # Sorted, then a NaT (int64's least) can only be first.
    return len(units) == 0 or (units[0] != NAT and not np.any(units[1:] < units[:-1]))


def seconds_since(units: np.ndarray, unit: str, origin_ns: int) -> np.ndarray:
    """datetime64 values (int64 `unit`s) as seconds since `origin_ns`, exactly as
    `secondsFromNs` (floored whole seconds plus the remainder / 1e9) gives them."""
    unit_ns = npr.TIME_UNITS_NS[unit]
    origin_units, remainder = divmod(origin_ns, unit_ns)
    units = np.asarray(units, np.int64)
    if len(units) == 0:
        return np.empty(0)
    nat = units == NAT if int(units.min()) == NAT else None
    with np.errstate(over="ignore"):
        ns = units - np.int64(origin_units)
        if unit_ns != 1:
            ns *= np.int64(unit_ns)
        if remainder:
            ns -= np.int64(remainder)
    # secondsFromNs: the floored whole seconds plus the rest / 1e9 (exact integers).
    whole = ns // np.int64(10**9)
    ns -= whole * np.int64(10**9)
    seconds = whole.astype(np.float64)
    rest = ns.astype(np.float64)
    rest /= 1e9
    seconds += rest
    if nat is not None:
        seconds[nat] = np.nan
    return seconds


def merge_by_time(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """One column set sorted by time, as `mergeByTime` makes it: a stable sort of the
    files' rows in N order, NaT rows dropped, a field missing from a file NaN in its rows.
    One sorted non-empty file is returned as it is."""
    lengths = [len(p[TIME]) if TIME in p else 0 for p in parts]
    non_empty = [p for p, n in zip(parts, lengths) if n > 0]
    if len(non_empty) == 1 and _sorted_finite(non_empty[0][TIME]):
        return non_empty[0]
    names: list[str] = []
    for part in parts:
        names += [n for n in part if n not in names]
    merged = {
        name: np.concatenate(
            [p[name] if name in p else np.full(n, np.nan) for p, n in zip(parts, lengths)]
            or [np.empty(0)]
        )
        for name in names
    }
    time = merged.get(TIME)
    if time is None:
        return merged
    keep = np.flatnonzero(~np.isnan(time))
    order = keep[np.argsort(time[keep], kind="stable")]
    if len(order) == len(time) and bool(np.all(order == np.arange(len(time)))):
        return merged
    return {name: column[order] for name, column in merged.items()}


def _sorted_finite(time: np.ndarray | None) -> bool:
    return time is not None and not np.isnan(time).any() and bool(np.all(time[1:] >= time[:-1]))


def read_channel(paths: StorePaths, run: RunChannels, spec: ChannelSpec) -> dict[str, np.ndarray]:
    """Every whole row of a channel, merged by time (the brute-force path)."""
    parts = []
    for name in spec.files:
        with closing(OpenFile(paths, run.run_dir, name)) as opened:
            if not opened.empty:
                parts.append(opened.columns(run.created_ns))
    if not parts:
        return {TIME: np.empty(0)}
    return merge_by_time(parts)
