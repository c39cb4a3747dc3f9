"""A sweep's record in the store: `<root>/.sweeps/<name>/sweep.json` (docs/sweeps.md).

The folder starts with a dot, so run listings never see it (layout.is_run_name).
It holds the record (replaced atomically, changed under `lock`), the supervisor's
lock file (held by a live supervisor for its whole life), the pickled target of a
callable sweep, and the supervisor's own log. Stdlib only.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..store import layout

SWEEPS_FOLDER = ".sweeps"
RECORD_FILE = "sweep.json"
LOCK_FILE = "lock"  # guards read-modify-write of the record
SUPERVISOR_LOCK = "supervisor.lock"  # flocked by the live supervisor; holds its pid
SUPERVISOR_LOG = "supervisor.log"
TARGET_PICKLE = "target.pkl"
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")  # also a run-name suffix
MAX_RECORD_BYTES = 16 * 2**20


class NoSuchSweep(LookupError):
    pass


def check_name(name: object) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ValueError(
            f"sweep name {name!r}: use 1-100 letters, digits, '_', '.' or '-', not starting with '.' or '-'"
        )
    return name


def sweeps_dir(root: Path | None = None) -> Path:
    return (root or layout.store_root()) / SWEEPS_FOLDER


def sweep_dir(name: str, root: Path | None = None) -> Path:
    return sweeps_dir(root) / check_name(name)


def names(root: Path | None = None) -> list[str]:
    """Every sweep with a record, by name."""
    try:
        entries = os.listdir(sweeps_dir(root))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(
        n for n in entries if NAME.fullmatch(n) and (sweeps_dir(root) / n / RECORD_FILE).is_file()
    )


def read(folder: Path) -> dict:
    """The record; NoSuchSweep if there is none. Only a regular file, size-capped."""
    path = folder / RECORD_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (FileNotFoundError, NotADirectoryError):
        raise NoSuchSweep(f"no sweep named {folder.name!r} in {folder.parent.parent}") from None
    try:
        st = os.fstat(fd)
        if not (st.st_mode & 0o170000 == 0o100000) or st.st_size > MAX_RECORD_BYTES:
            raise NoSuchSweep(f"{path} is not a readable sweep record")
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(MAX_RECORD_BYTES + 1)
    finally:
        os.close(fd)
    record = json.loads(data)
    if not isinstance(record, dict) or not isinstance(record.get("variants"), list):
        raise NoSuchSweep(f"{path} is not a sweep record")
    return record


def untrusted(folder: Path) -> str | None:
    """Why the server must not act on this sweep's record, or None.

    Relaunch runs the record's command and stop signals its pids: a record
    someone else could have written (another owner than this process, or
    writable by group or others, or its folder so) would make the server run
    their command or kill any process of ours. Only this user's own records are
    acted on."""
    for path in (folder, folder / RECORD_FILE):
        try:
            st = os.lstat(path)
        except OSError as error:
            return f"{path}: {error.strerror or error}"
        if st.st_uid != os.geteuid():
            return f"{path} belongs to uid {st.st_uid}, not this server's user"
        if st.st_mode & 0o022:
            return f"{path} is writable by group or others"
    return None


def write(folder: Path, record: dict) -> None:
    temp = folder / f"{RECORD_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        temp.write_text(json.dumps(record, indent=1))
        os.replace(temp, folder / RECORD_FILE)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """The record's lock: launchers, the supervisor and the server change it in turn."""
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextmanager
def changing(folder: Path) -> Iterator[dict]:
    """Read, let the caller change, and atomically rewrite the record under its lock."""
    with locked(folder):
        record = read(folder)
        yield record
        write(folder, record)


def supervisor_pid(folder: Path) -> int | None:
    """The live supervisor's pid, or None when none holds the supervisor lock."""
    try:
        fd = os.open(folder / SUPERVISOR_LOCK, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else -1  # held, pid not written yet
        return None  # nobody holds it
    finally:
        os.close(fd)


def variant_by_id(record: dict, variant: str) -> dict:
    for entry in record["variants"]:
        if entry["id"] == variant:
            return entry
    raise KeyError(f"sweep {record.get('name')!r} has no variant {variant!r}")
