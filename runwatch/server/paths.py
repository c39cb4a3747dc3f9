"""The server's boundary: which run and file names are valid, and where they may lead.

A run name is one path component; a file name is a store file's name exactly.
The resolved real path of either must stay under the real store root, so `..`,
absolute paths and symlinks out of the root are refused, and only store files
(never `_lock`, temp files or anything else) are served.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..store import layout

# `_info.json` is served only through GET runs/<name>, which drops `_env`.
SERVED_FILE_TYPES = ("log", "stats")


class Refused(Exception):
    """A request for a path the server will not serve; `status` is the HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def check_run_name(name: object) -> str:
    """`name` if it is a single, non-hidden path component; else Refused(400)."""
    if not isinstance(name, str) or not name:
        raise Refused(400, "a run name is required")
    if name in (".", "..") or any(c in name for c in "/\\\0"):
        raise Refused(400, f"invalid run name {name!r}: must be one path component")
    if not layout.is_run_name(name):
        raise Refused(400, f"invalid run name {name!r}: may not start with '.'")
    return name


def check_file_name(name: object) -> str:
    """`name` if it is a store file that may be served (a log or stats file)."""
    if not isinstance(name, str) or not name:
        raise Refused(400, "a file name is required")
    if name in (".", "..") or any(c in name for c in "/\\\0"):
        raise Refused(400, f"invalid file name {name!r}: must be one path component")
    found = layout.store_file_type(name)
    if found is None:
        raise Refused(
            403, f"{name!r} is not a store file (only logs.N.txt and stats.<channel>.N.npr)"
        )
    if found[0] not in SERVED_FILE_TYPES:
        raise Refused(403, f"{name!r} is served without _env by GET runs/<name>, not as a file")
    return name


class StorePaths:
    """Resolves validated names to paths under the store root (which may not exist yet)."""

    def __init__(self, root: Path):
        self.root = root

    def real_root(self) -> str:
        return os.path.realpath(self.root)

    def run_dir(self, name: object) -> Path:
        """The run's folder; Refused 400 (bad name), 403 (leads out of the root), 404 (none)."""
        name = check_run_name(name)
        path = self.root / name
        real_root = self.real_root()
        real = os.path.realpath(path)
        if not layout.is_within(real, real_root) or real == real_root:
            raise Refused(403, f"run {name!r} is a symlink out of the store root, refused")
        if not os.path.isdir(real):
            raise Refused(404, f"no run named {name!r} in {self.root}")
        return path

    def store_file(self, run: object, file: object) -> Path:
        """A servable store file of a run, checked like `run_dir`."""
        run_dir = self.run_dir(run)
        name = check_file_name(file)
        path = run_dir / name
        if not layout.is_within(os.path.realpath(path), self.real_root()):
            raise Refused(
                403, f"{name!r} in run {run!r} is a symlink out of the store root, refused"
            )
        if not path.is_file():
            raise Refused(404, f"run {run!r} has no file {name!r}")
        return path


def open_store_file(path: Path, real_root: str) -> int:
    """Open a checked store file for reading, and check again what was opened.

    A file swapped for a symlink out of the root between the check and the open
    is caught here: on Linux, /proc/self/fd names the file actually opened.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise Refused(404, f"{path.name!r} was deleted") from None
    try:
        try:
            opened = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            opened = os.path.realpath(path)
        if not layout.is_within(opened, real_root):
            raise Refused(403, f"{path.name!r} leads out of the store root, refused")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused(404, f"{path.name!r} is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd
