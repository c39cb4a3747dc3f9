"""`_info.json`: reading it safely, and changing it under the run's lock file."""

from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from . import clock, layout, safe_read, words
from .errors import BadInfo, StoreError

SECRET_FIELDS = ("_env",)  # pavlov stored the whole environment; never pass it on
# Readers refuse bigger files unread (docs/security.md): room for ~8,000 `_files`
# entries, and parsing one holds the GIL ~20 ms, so a server thread can't stall the loop.
MAX_BYTES = 2 * 2**20
MAX_DEPTH = 100


@contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Exclusive `flock` on the run's `_lock` file, as pavlov (portalocker) took it."""
    fd = os.open(run_dir / layout.LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _depth_within(value: object, limit: int) -> bool:
    """Whether no container in `value` is nested more than `limit` deep (iteratively)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, (dict, list)):
                if depth >= limit:
                    return False
                stack.append((child, depth + 1))
    return True


def _decode(path: Path, data: bytes) -> dict:
    if not data:
        raise BadInfo(path, "empty file (half-written?)")
    try:
        info = json.loads(data)
    except UnicodeDecodeError:
        raise BadInfo(path, "invalid JSON: not UTF-8 text") from None
    except RecursionError:
        raise BadInfo(path, "invalid JSON: nested too deeply") from None
    except MemoryError:
        raise BadInfo(path, "invalid JSON: too large to parse") from None
    except ValueError as error:  # JSONDecodeError, and integers too long to convert
        raise BadInfo(path, f"invalid JSON (half-written?): {str(error)[:200]}") from None
    if not isinstance(info, dict):
        raise BadInfo(path, f"expected a JSON object, got {type(info).__name__}")
    # Deeper values would break whoever serialises them again (the server, a widget).
    if not _depth_within(info, MAX_DEPTH):
        raise BadInfo(path, f"nested more than {MAX_DEPTH} levels deep")
    return info


def read_info_raw(
    run_dir: Path, *, dir_fd: int | None = None, real_root: str | None = None
) -> dict:
    """The file as stored, `_env` included; only the writer should need this.

    Read only if it is a regular file (never a symlink, FIFO or device) of at
    most MAX_BYTES. With `dir_fd` (an fd on `run_dir`, checked by the caller) it
    is read in that folder; else with `real_root`, only if it lies under that root.
    """
    path = run_dir / layout.INFO_FILE
    try:
        data = safe_read.read_regular(
            layout.INFO_FILE if dir_fd is not None else path,
            MAX_BYTES,
            dir_fd=dir_fd,
            follow_symlinks=False,
            # In a checked folder, a name that is not a symlink can't lead elsewhere.
            real_root=real_root if dir_fd is None else None,
        )
    except FileNotFoundError:
        raise BadInfo(path, "missing (run not created yet, or not a run)") from None
    except safe_read.RefusedFile as refused:
        raise BadInfo(path, refused.strerror) from None
    return _decode(path, data)


def created_ns(run_dir: Path, info: dict) -> int:
    path = run_dir / layout.INFO_FILE
    if "_created" not in info:
        raise BadInfo(path, "missing _created")
    try:
        ns = layout.parse_created(info["_created"])
        datetime.fromtimestamp(ns // 10**9, timezone.utc)  # orders runs and names them
    except (ValueError, OverflowError, OSError) as error:
        raise BadInfo(path, f"bad _created: {error}") from None
    return ns


def read_info(run_dir: Path, *, dir_fd: int | None = None, real_root: str | None = None) -> dict:
    """The run's info with secrets removed; raises BadInfo naming the file and reason."""
    info = read_info_raw(run_dir, dir_fd=dir_fd, real_root=real_root)
    created_ns(run_dir, info)
    for key in SECRET_FIELDS:
        info.pop(key, None)
    return info


def write_info(run_dir: Path, info: dict) -> None:
    """Replace `_info.json` atomically, so readers never see it half-written."""
    temp = run_dir / f"{layout.INFO_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        temp.write_text(json.dumps(info, ensure_ascii=False))
        os.replace(temp, run_dir / layout.INFO_FILE)
    except BaseException:
        temp.unlink(missing_ok=True)  # a full disk must not leave half a copy behind
        raise


@contextmanager
def updating(run_dir: Path) -> Iterator[dict]:
    """Read, let the caller change, and atomically rewrite `_info.json` under the lock."""
    with run_lock(run_dir):
        info = read_info_raw(run_dir)
        yield info
        write_info(run_dir, info)


def create_run(root: Path, suffix: str, fields: dict) -> str:
    """Make a new run folder with its `_info.json`; returns the run's name."""
    if any(c in suffix for c in "/\\\0") or suffix.startswith("."):
        raise ValueError(
            f"run suffix {suffix!r} may not contain '/', '\\' or NUL, nor start with '.'"
        )
    import socket

    json.dumps(fields)  # fail before creating anything if a field isn't JSON
    _make_root(root)
    now = clock.now_ns()
    for _ in range(1000):
        name = layout.run_name(now, words.two_words(), suffix)
        try:
            (root / name).mkdir()
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise StoreError(f"could not create a run in {root}: {error.strerror}") from error
    else:
        raise FileExistsError(f"could not find a free run name in {root}")
    info = {
        **fields,
        "_created": layout.format_created(now),
        "_host": socket.gethostname(),
        "_files": {},
    }
    for key in SECRET_FIELDS:
        info.pop(key, None)
    try:
        write_info(root / name, info)
    except OSError as error:
        (root / name).rmdir()  # no run without an `_info.json`
        raise StoreError(f"could not create run {root / name}: {error.strerror}") from error
    return name


def _make_root(root: Path) -> None:
    """Create the store root, or say clearly why it can't be one."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        where = f"${layout.ROOT_ENV}" if os.environ.get(layout.ROOT_ENV) else "the default"
        blocker = next((p for p in (root, *root.parents) if p.exists()), root)
        if not blocker.is_dir():
            reason = f"{blocker} is a file, not a folder"
        else:
            reason = error.strerror or str(error)
        raise StoreError(f"store root {root} (from {where}) is unusable: {reason}") from error


def _process_name() -> str:
    multiprocessing = sys.modules.get("multiprocessing")  # loaded in any multiprocessing child
    return multiprocessing.current_process().name if multiprocessing else "MainProcess"


def register_file(
    run_dir: Path,
    pattern: str,
    initial: bytes = b"",
    creator: tuple[int | None, str] | None = None,
    **extra,
) -> tuple[str, int]:
    """Allocate `pattern`'s next N, create the file holding `initial`, and list it in `_files`.

    N counts the files already listed with this `_pattern` (as pavlov), skipping
    names already taken. The file exists, header written, before it is listed;
    if either fails (a full disk), the file is removed again and the error raised.
    `creator` is the (ident, name) of the thread the file is for, if not this one.
    Returns the file name and an fd open for appending.
    """
    if creator is None:
        thread = threading.current_thread()
        creator = (thread.ident, thread.name)
    fd, name = -1, ""
    try:
        with updating(run_dir) as info:
            files = info.setdefault("_files", {})
            n = sum(
                1
                for entry in files.values()
                if isinstance(entry, dict) and entry.get("_pattern") == pattern
            )
            while True:
                name = pattern.format(n=n)
                if name not in files:
                    try:
                        fd = os.open(
                            run_dir / name,
                            os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL,
                            0o644,
                        )
                        break
                    except FileExistsError:
                        pass
                n += 1
            _write_all(fd, initial)
            files[name] = {
                "_pattern": pattern,
                "_created": layout.format_created(clock.now_ns()),
                "_process_id": str(os.getpid()),
                "_process_name": _process_name(),
                "_thread_id": str(creator[0]),
                "_thread_name": creator[1],
                **extra,
            }
    except BaseException:
        if fd >= 0:  # created but not listed: a later attempt may take its name
            os.close(fd)
            (run_dir / name).unlink(missing_ok=True)
        raise
    return name, fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def mark_finished(run_dir: Path) -> None:
    """Record `_finished` (now): this process's last `to_run` on the run has exited."""
    with updating(run_dir) as info:
        info[layout.FINISHED_FIELD] = layout.format_created(clock.now_ns())


def clear_finished(run_dir: Path) -> None:
    """Drop `_finished` when a `to_run` opens the run again (rewrites only if it was set)."""
    try:
        if layout.FINISHED_FIELD not in read_info_raw(run_dir):
            return
    except BadInfo:
        return
    with updating(run_dir) as info:
        info.pop(layout.FINISHED_FIELD, None)
