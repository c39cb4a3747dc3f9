"""The server's boundary: which run and file names are valid, and where they may lead.

A run name is one path component; a file name is a store file's name exactly.
The resolved real path of either must stay under the real store root, so `..`,
absolute paths and symlinks out of the root are refused, and only store files
(never `_lock`, temp files or anything else) are served.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..store import layout, safe_read, summary

# `_info.json` is served only through GET runs/<name>, which drops `_env`.
SERVED_FILE_TYPES = ("log", "stats")
MAX_NAME_BYTES = 255  # NAME_MAX: a longer name can't exist, and os calls fail on it


class Refused(Exception):
    """A request for a path the server will not serve; `status` is the HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _shown(name: str) -> str:
    return repr(name) if len(name) <= 80 else repr(name[:60]) + f"… ({len(name)} characters)"


def _check_component(what: str, name: object) -> str:
    """`name` if it can be one path component; else Refused(400) saying why."""
    if not isinstance(name, str) or not name:
        raise Refused(400, f"a {what} name is required")
    if name in (".", "..") or any(c in name for c in "/\\\0"):
        raise Refused(400, f"invalid {what} name {_shown(name)}: must be one path component")
    try:
        size = len(os.fsencode(name))
    except UnicodeError:
        raise Refused(400, f"invalid {what} name {_shown(name)}: not valid text") from None
    if size > MAX_NAME_BYTES:
        raise Refused(
            400,
            f"invalid {what} name {_shown(name)}: {size} bytes, over the "
            f"{MAX_NAME_BYTES}-byte limit of a file name",
        )
    return name


def check_run_name(name: object) -> str:
    """`name` if it is a single, non-hidden path component; else Refused(400)."""
    name = _check_component("run", name)
    if not layout.is_run_name(name):
        raise Refused(400, f"invalid run name {_shown(name)}: may not start with '.'")
    return name


def check_file_name(name: object) -> str:
    """`name` if it is a store file that may be served (a log or stats file)."""
    name = _check_component("file", name)
    found = layout.store_file_type(name)
    if found is None:
        raise Refused(
            403,
            f"{_shown(name)} is not a store file (only logs.N.txt and stats.<channel>.N.npr)",
        )
    if found[0] not in SERVED_FILE_TYPES:
        raise Refused(403, f"{name!r} is served without _env by GET runs/<name>, not as a file")
    return name


class StorePaths:
    """Resolves validated names to paths under the store root (which may not exist yet)."""

    def __init__(self, root: Path):
        self.root = root
        self._root_text = str(root)

    def real_root(self) -> str:
        return safe_read.real_path(self.root)

    def run_dir(self, name: object, real_root: str | None = None) -> Path:
        """The run's folder; Refused 400 (bad name), 403 (leads out of the root), 404 (none).
        `real_root`: the root's real path, when the caller has it."""
        name = check_run_name(name)
        path = self.root / name
        real_root = real_root or self.real_root()
        real = safe_read.real_path(path)
        if not layout.is_within(real, real_root) or real == real_root:
            raise Refused(403, f"run {name!r} is a symlink out of the store root, refused")
        if not os.path.isdir(real):
            raise Refused(404, f"no run named {name!r} in {self.root}")
        return path

    def store_file(self, run: object, file: object, real_root: str | None = None) -> Path:
        """A servable store file of a run, checked like `run_dir`; a symlink must also
        lead to a store file of the type its name claims (see `open_store_file`).
        `real_root`: the root's real path, when the caller has it."""
        real_root = real_root or self.real_root()
        run_dir = self.run_dir(run, real_root)
        name = check_file_name(file)
        path = run_dir / name
        # A file that is no symlink lies in its run's folder, checked above (and
        # `open_store_file` checks what was opened).
        if os.path.islink(path):
            why = summary.symlink_refusal(name, str(path), real_root)
            if why:
                raise Refused(403, f"{name!r} in run {run!r} is {why}")
            if not layout.is_within(safe_read.real_path(path), real_root):
                raise Refused(
                    403, f"{name!r} in run {run!r} is a symlink out of the store root, refused"
                )
        if not path.is_file():
            raise Refused(404, f"run {run!r} has no file {name!r}")
        return path

    def open_file(self, run: object, file: object) -> tuple[Path, int]:
        """(path, a read-only fd) of a servable store file: `store_file`, then
        `open_store_file`, with the root's real path found once."""
        real_root = self.real_root()
        path = self.store_file(run, file, real_root)
        return path, open_store_file(path, real_root)

    def open_in_run(self, run: object, file: object) -> tuple[Path, int]:
        """`open_file`'s answer, the common case in fewer system calls: through an fd
        on the run folder, checked to lie under the root once opened, a regular file
        of that name, no symlink, is opened relative to it (so it lies in that folder,
        whatever its name leads to by then). Anything else (a symlink, a missing file,
        a refused folder) is left to `open_file`, which says why.

        A series frame opens its files on every request: `open_file` resolves and
        checks the root, the folder and the name in turn (91 µs a file against 43 µs,
        about a tenth of a frame computed from summaries in memory)."""
        run, file = check_run_name(run), check_file_name(file)
        real_root = self.real_root()
        folder = os.path.join(self._root_text, run)
        try:
            dir_fd = safe_read.open_dir(folder, real_root)
        except OSError:
            return self.open_file(run, file)
        try:
            fd = safe_read.open_regular(file, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return self.open_file(run, file)
        finally:
            os.close(dir_fd)
        return Path(folder, file), fd


def open_store_file(path: Path, real_root: str) -> int:
    """Open a checked store file for reading, and check again what was opened.

    A file swapped for a symlink between the check and the open is caught here:
    on Linux, /proc/self/fd names the file actually opened. It must be a regular
    file under the root whose own name is a store file of the type `path`'s name
    claims, so a `logs.1.txt` leading to another run's `_info.json` is refused.
    """
    claimed = layout.store_file_type(path.name)
    try:
        fd = safe_read.open_regular(path, real_root=real_root)
    except FileNotFoundError:
        raise Refused(404, f"{path.name!r} was deleted") from None
    except safe_read.RefusedFile as refused:
        raise Refused(403, f"{path.name!r}: {refused.strerror}") from None
    opened = safe_read.opened_path(fd, path)
    found = layout.store_file_type(os.path.basename(opened))
    if claimed is None or found is None or found[0] != claimed[0] or found[0] == "info":
        os.close(fd)
        raise Refused(403, f"{path.name!r} leads to {os.path.basename(opened)!r}, refused")
    return fd
