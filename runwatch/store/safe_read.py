"""Opening store files so that a hostile store can't hang, flood or redirect a reader.

Every read of the store goes through here (stdlib only: the kernel's readers
use it too). A file is opened non-blocking, so a FIFO can't hang the open; it
is `fstat`ed and refused unless it is a regular file; at most a capped number
of bytes is read. Given the store's real root, what was actually opened
(`/proc/self/fd`) must lie under it, so a symlink swapped in between a check
and the open is caught: the check is made on the open file, not on the name.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from . import layout

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC

_TYPE_NAMES = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFDIR: "a directory",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symlink",
}


class RefusedFile(OSError):
    """A store file that must not be read; `strerror` (and str()) say why."""

    def __init__(self, path: str | Path, reason: str, code: int = errno.EPERM):
        super().__init__(code, reason, str(path))

    def __str__(self) -> str:
        return self.strerror


def file_type(mode: int) -> str:
    """'a FIFO', 'a directory', ...: what a non-regular file is, for messages."""
    return _TYPE_NAMES.get(stat.S_IFMT(mode), "not a regular file")


def _not_regular(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symlink, refused (must be a regular file)"
    return f"{file_type(mode)}, not a regular file, refused"


def size_text(size: int) -> str:
    """1.5 MB, 200 MB, 3 kB: a size for a message."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def limit_text(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit % 2**20 == 0 else f"{limit} bytes"


_PATH_FLAGS = getattr(os, "O_PATH", 0) | os.O_CLOEXEC


def real_path(path: str | Path) -> str:
    """`os.path.realpath(path)`, found by the kernel where it can be (Linux).

    An `O_PATH` descriptor opens nothing (a FIFO or device is not touched), and
    /proc/self/fd names what it resolved to: three system calls, where
    `os.path.realpath` makes a Python `lstat` walk of every component (a glob's
    review resolves thousands of paths). Anything else falls back to it.
    """
    if _PATH_FLAGS & ~os.O_CLOEXEC:
        try:
            fd = os.open(path, _PATH_FLAGS)
        except OSError:
            pass  # missing, a dangling link, a loop: realpath says what it resolves to
        else:
            try:
                found = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                found = None
            finally:
                os.close(fd)
            if found is not None and found.startswith("/") and not found.endswith(" (deleted)"):
                return found
    return os.path.realpath(path)


def opened_path(fd: int, path: str | Path | Callable[[], str]) -> str:
    """The real path of what `fd` is open on; without /proc, the realpath of `path`
    (or of what `path()` returns)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return real_path(path() if callable(path) else path)


def check_within(fd: int, path: str | Path | Callable[[], str], real_root: str) -> str:
    """The real path `fd` is open on; RefusedFile unless it lies under `real_root`."""
    real = opened_path(fd, path)
    if not layout.is_within(real, real_root):
        shown = path() if callable(path) else path
        raise RefusedFile(shown, "leads out of the store root (a symlink?), refused")
    return real


def open_regular(
    path: str | Path,
    *,
    dir_fd: int | None = None,
    follow_symlinks: bool = True,
    real_root: str | None = None,
) -> int:
    """An fd open for reading on a regular file; RefusedFile for anything else.

    `follow_symlinks=False` refuses a final symlink (for names that must not be one).
    With `real_root`, the opened file must lie under it.
    """
    flags = _READ_FLAGS | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        # Refuse a device or FIFO without even opening it; the fstat below decides.
        mode = os.stat(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks).st_mode
        if not stat.S_ISREG(mode):
            raise RefusedFile(path, _not_regular(mode))
        fd = os.open(path, flags, dir_fd=dir_fd)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:
            raise RefusedFile(path, "a symlink, refused (must be a regular file)") from None
        if error.errno == errno.ENXIO:  # a socket (or a FIFO's other end)
            raise RefusedFile(path, "not a regular file, refused") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise RefusedFile(path, _not_regular(mode))
        if real_root is not None:
            fallback = path if dir_fd is None else lambda: _fd_path(dir_fd, path)
            check_within(fd, fallback, real_root)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _fd_path(dir_fd: int, name: str | Path) -> str:
    return os.path.join(opened_path(dir_fd, ""), name)


def read_fd(fd: int, limit: int, path: str | Path) -> bytes:
    """The whole file behind `fd`; RefusedFile if it is over `limit` bytes (checked before reading)."""
    size = os.fstat(fd).st_size
    if size > limit:
        raise RefusedFile(
            path,
            f"{size_text(size)}, over the {limit_text(limit)} limit, refused",
            errno.EFBIG,
        )
    chunks, done = [], 0
    while done <= limit:  # it may grow while read: never past limit + 1
        chunk = os.read(fd, limit + 1 - done)
        if not chunk:
            break
        chunks.append(chunk)
        done += len(chunk)
    if done > limit:
        raise RefusedFile(path, f"grew over the {limit_text(limit)} limit while read", errno.EFBIG)
    return b"".join(chunks)


def read_regular(
    path: str | Path,
    limit: int,
    *,
    dir_fd: int | None = None,
    follow_symlinks: bool = True,
    real_root: str | None = None,
) -> bytes:
    """A regular file's bytes, at most `limit` of them (else RefusedFile); see `open_regular`."""
    fd = open_regular(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks, real_root=real_root)
    try:
        return read_fd(fd, limit, path)
    finally:
        os.close(fd)


def read_head(path: str | Path, count: int, *, real_root: str | None = None) -> bytes:
    """Up to the first `count` bytes of a regular file (for headers)."""
    fd = open_regular(path, real_root=real_root)
    try:
        return os.pread(fd, count, 0)
    finally:
        os.close(fd)


def tail_lines(fd: int, count: int) -> tuple[list[bytes], bool]:
    """The whole lines in the last `count` bytes of the open file `fd` (which it
    closes), and whether the file holds more before them (then the first line, likely
    cut, is left out)."""
    try:
        size = os.fstat(fd).st_size
        start = max(0, size - count)
        data = os.pread(fd, size - start, start)
    finally:
        os.close(fd)
    lines = data.split(b"\n")
    if start > 0:
        lines = lines[1:]
    return lines, start > 0


def open_dir(path: str | Path, real_root: str | None = None, *, dir_fd: int | None = None) -> int:
    """An fd on a folder; reads relative to it (`dir_fd=`) stay in that folder even if
    its name is swapped for a symlink afterwards.

    With `dir_fd` (an fd on a checked folder), `path` is a name in it and must not
    be a symlink (ELOOP otherwise): no further check is needed. Else symlinks are
    followed and, with `real_root`, RefusedFile unless it lies strictly under it.
    """
    if dir_fd is not None:
        return os.open(path, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=dir_fd)
    fd = os.open(path, _DIR_FLAGS)
    if real_root is not None:
        try:
            real = check_within(fd, path, real_root)
            if real == real_root:
                raise RefusedFile(path, "is the store root itself, refused")
        except BaseException:
            os.close(fd)
            raise
    return fd
