"""Entries of numpy arrays kept on disk, so a restarted server needn't read every row again.

One folder outside the run folders (a store may be read-only, or pavlov's own), one
file per entry, `<sha256 of its key>.lod`:

    MAGIC + uint32 LE header length + UTF-8 JSON header + zeros to a multiple of 8
    + each array's raw bytes, each padded with zeros to a multiple of 8

    header = {"key": [...], "meta": {...}, "arrays": [[name, dtype, length], ...],
              "crc32": <of everything after the header>}

Never pickle: arrays come back through `np.frombuffer` with a dtype from `DTYPES`.
An entry is written to a temp file in the folder and renamed over the old one, so a
reader sees a whole entry or none; entries are opened with O_NOFOLLOW, so a symlink
planted in the folder is never followed. Past `limit` bytes the least recently used
entries go (a hit touches its file's mtime).

Nothing here fails a request: an entry that doesn't parse, whose key differs or whose
crc32 doesn't match is a miss and is deleted; a full disk skips the write; a folder
that can't be made or written leaves the server with its memory cache only. Each of
these is logged once.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
import struct
import tempfile
import threading
import time
import zlib
from hashlib import sha256
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAGIC = b"RWLOD01\n"
SUFFIX = ".lod"
TEMP_PREFIX = ".tmp-"
MAX_HEADER = 2**20
DTYPES = frozenset({"<f8", "<i8", "<f4", "<i4", "|b1", "|u1"})
STALE_TEMP_S = 3600  # a temp file this old was left by a server that died mid-write
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def default_folder() -> Path:
    """`$XDG_CACHE_HOME/runwatch/lod`, else `~/.cache/runwatch/lod`.

    The XDG cache folder is where regenerable data belongs (backups skip it, users
    know they may delete it); Jupyter's runtime folder is often a tmpfs cleared at
    logout, and its data folder holds kernelspecs and settings, not caches."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "runwatch" / "lod"


def _pad(n: int) -> int:
    return -n % 8


def encode(key: list, meta: dict, arrays: dict[str, np.ndarray]) -> list[bytes | memoryview]:
    """The entry's bytes, as parts to write one after another."""
    body: list[bytes | memoryview] = []
    listed = []
    crc = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.str not in DTYPES or array.ndim != 1:
            raise ValueError(f"{name}: {array.dtype.str} is not stored")
        listed.append([name, array.dtype.str, len(array)])
        for part in (memoryview(array).cast("B"), b"\0" * _pad(array.nbytes)):
            crc = zlib.crc32(part, crc)
            body.append(part)
    header = {"key": key, "meta": meta, "arrays": listed, "crc32": crc}
    text = json.dumps(header, separators=(",", ":")).encode()
    head = MAGIC + struct.pack("<I", len(text)) + text
    return [head + b"\0" * _pad(len(head)), *body]


def decode(data: bytearray, key: list) -> tuple[dict, dict[str, np.ndarray]] | None:
    """(meta, arrays) of an entry's bytes, or None if it is not a whole entry of `key`.
    The arrays are views of `data` (writable: it is a bytearray)."""
    start = len(MAGIC) + 4
    if len(data) < start or data[: len(MAGIC)] != MAGIC:
        return None
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    if length > MAX_HEADER or start + length > len(data):
        return None
    try:
        header = json.loads(bytes(data[start : start + length]).decode())
        if header.get("key") != key:
            return None
        at = start + length + _pad(start + length)
        if zlib.crc32(memoryview(data)[at:]) != header["crc32"]:
            return None
        arrays = {}
        for name, dtype, count in header["arrays"]:
            if dtype not in DTYPES or not isinstance(count, int) or count < 0:
                return None
            size = np.dtype(dtype).itemsize * count
            if at + size > len(data):
                return None
            arrays[name] = np.frombuffer(data, dtype, count, at)
            at += size + _pad(size)
        if at != len(data):
            return None
        return header["meta"], arrays
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class DiskCache:
    def __init__(self, folder: Path | str, limit: int):
        self.folder = Path(folder)
        self.limit = limit
        self.hits = 0  # whole entries read back
        self.writes = 0
        self._lock = threading.Lock()
        self._usable: bool | None = None  # checked on first use, in a pool thread
        self._writable = True
        self._used = 0  # bytes of entries on disk, as last scanned plus what was written
        self._logged: set[str] = set()

    def _log_once(self, what: str, message: str, *args) -> None:
        if what not in self._logged:
            self._logged.add(what)
            log.warning("runwatch: " + message, *args)

    def usable(self) -> bool:
        """Make the folder (0700) on first use and sum what it holds."""
        with self._lock:
            if self._usable is None:
                self._usable = self._prepare()
            return self._usable

    def _prepare(self) -> bool:
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            st = os.stat(self.folder)
            if not stat.S_ISDIR(st.st_mode):
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(self.folder))
            if st.st_uid != os.getuid():
                # Another user's folder could hand us entries we didn't write.
                raise PermissionError(errno.EPERM, "owned by another user", str(self.folder))
            self._evict()
        except OSError as error:
            self._log_once(
                "folder",
                "the series' disk cache %s can't be used (%s): summaries stay in memory only",
                self.folder,
                error.strerror or error,
            )
            return False
        return True

    def path(self, key: list) -> Path:
        digest = sha256(json.dumps(key, separators=(",", ":")).encode()).hexdigest()
        return self.folder / (digest[:40] + SUFFIX)

    # ---- reading ----------------------------------------------------------------------

    def load(self, key: list) -> tuple[dict, dict[str, np.ndarray]] | None:
        """The entry of `key`, or None (absent, or broken: then it is deleted)."""
        if not self.usable():
            return None
        path = self.path(key)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as error:  # ELOOP: a symlink planted under an entry's name
            self._log_once("open", "the disk cache's entry %s: %s", path, error.strerror)
            if error.errno == errno.ELOOP:
                self.drop(key)
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > self.limit:
                data = None
            else:
                data = bytearray(st.st_size)
                done = 0
                while done < len(data):
                    got = os.readv(fd, [memoryview(data)[done:]])
                    if got <= 0:
                        break
                    done += got
                del data[done:]
            entry = None if data is None else decode(data, key)
            if entry is not None:
                try:
                    stamp = time.time_ns()  # used now: the last to be evicted
                    os.utime(fd, ns=(stamp, stamp))
                except OSError:
                    pass  # a read-only folder: its order stays as it was
        except OSError as error:
            self._log_once("read", "the disk cache's entry %s: %s", path, error.strerror)
            entry = None
        finally:
            os.close(fd)
        if entry is None:
            self._log_once("corrupt", "the disk cache's entry %s is broken: deleted", path)
            self.drop(key)
            return None
        self.hits += 1
        return entry

    def drop(self, key: list) -> None:
        """Delete the entry of `key` (a symlink there is removed, never followed)."""
        try:
            os.unlink(self.path(key))
        except OSError:
            pass

    # ---- writing ----------------------------------------------------------------------

    def store(self, key: list, meta: dict, arrays: dict[str, np.ndarray]) -> bool:
        """Write the entry of `key` (atomically); False if it was not written."""
        if not self._writable or not self.usable():
            return False
        try:
            parts = encode(key, meta, arrays)
        except ValueError as error:  # a dtype this format doesn't hold: a bug, not a fault
            self._log_once("dtype", "the disk cache can't hold an entry: %s", error)
            return False
        size = sum(len(p) if isinstance(p, bytes) else p.nbytes for p in parts)
        if size > self.limit:
            return False
        temp = None
        try:
            fd, temp = tempfile.mkstemp(SUFFIX, TEMP_PREFIX, self.folder)  # O_EXCL, 0600
            with os.fdopen(fd, "wb") as out:
                for part in parts:
                    out.write(part)
                # The LRU order is the files' mtimes: from the fine clock, as the
                # kernel's own stamps tick every few ms and two entries could tie.
                out.flush()
                stamp = time.time_ns()
                os.utime(out.fileno(), ns=(stamp, stamp))
            os.replace(temp, self.path(key))
            temp = None
        except OSError as error:
            if error.errno in FULL:
                self._log_once("full", "the disk cache %s is full: not written", self.folder)
            else:
                self._writable = False
                self._log_once(
                    "write",
                    "the disk cache %s can't be written (%s): summaries stay in memory only",
                    self.folder,
                    error.strerror or error,
                )
            return False
        finally:
            if temp is not None:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
        with self._lock:
            self.writes += 1
            self._used += size
            if self._used > self.limit:
                self._evict()
        return True

    def _evict(self) -> None:
        """Scan the folder and delete the least recently used entries past the bound
        (and temp files a dead server left). Called with the lock held."""
        entries, used, now = [], 0, time.time()
        with os.scandir(self.folder) as scan:
            for item in scan:
                if not item.is_file(follow_symlinks=False):
                    continue
                st = item.stat(follow_symlinks=False)
                if item.name.startswith(TEMP_PREFIX):
                    if now - st.st_mtime > STALE_TEMP_S:
                        _unlink(item.path)
                elif item.name.endswith(SUFFIX):
                    entries.append((st.st_mtime_ns, st.st_size, item.path))
                    used += st.st_size
        entries.sort()
        for _, size, path in entries:
            if used <= self.limit:
                break
            if _unlink(path):
                used -= size
        self._used = used


def _unlink(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False
