"""GET runs: every run's summary, newest first, cached so that listing again is cheap.

Each listing stats every run folder (one `stat` each, from the root's scandir)
and keeps a run's summary, and its JSON text, while the folder is unchanged.
A folder changes when a file is created, removed or renamed in it (the writer
replaces `_info.json` by a rename), not when a file grows, so:

- a live run (written within `stale_after`) is scanned again on every listing:
  its sizes and last write move, and it turns stale with time;
- an unreadable run also when its `_info.json` changed (rewritten in place);
- a quiet run (stale or finished) when its folder changed, and at least every
  QUIET_RECHECK_S (at most QUIET_RECHECKS of them per listing, oldest first),
  so a paused writer that resumes by appending shows live within seconds.

A run's `_info.json` is read again only when its inode, size or mtime changed;
data files are never read. Everything is read through an fd on the run folder
checked to lie under the root (summary.inspect_run's rules). A run that can't
be read is listed as unreadable; it never breaks the listing.
"""

from __future__ import annotations

import errno
import heapq
import os
import stat
import threading
import time
from fnmatch import fnmatchcase
from typing import NamedTuple

from ..store import layout, safe_read, summary
from ..store.resolve import StoreRootNotAFolder
from ..store.run_order import order_key
from .json_text import to_json
from .paths import StorePaths
from .startup_heap import freeze_startup_heap

QUIET_RECHECK_S = 10.0
QUIET_RECHECKS = 500
# A run whose scan took over SLOW_SCAN_S (tens of thousands of files) is scanned
# again at most every SLOW_SCAN_SPACING scans' time, so it takes at most 1/10 of
# the listing thread (and of the GIL the event loop needs) however often it lists.
SLOW_SCAN_S = 0.02
SLOW_SCAN_SPACING = 10


class _Info(NamedTuple):
    """What a listing keeps of one read of `_info.json`."""

    key: tuple[int, int, int] | None  # (inode, size, mtime) when read, None if absent
    for_status: dict | None  # `_finished` only, or None if unreadable
    error: str | None
    created_ns: int | None
    summary: dict  # run_summary's fields that come from the info


class _Run(NamedTuple):
    folder_key: tuple  # (is a symlink, dev, inode, mtime) of the run folder
    info: _Info | None  # None: the folder was refused
    order: tuple  # run_order.order_key
    summary: dict
    text: str  # the summary as JSON
    scanned_s: float  # time.monotonic() of the scan
    scan_s: float = 0.0  # how long the scan took


def _info_key(scan: summary.RunDir) -> tuple[int, int, int] | None:
    st = scan.files.get(layout.INFO_FILE)
    return (st.st_ino, st.st_size, st.st_mtime_ns) if st else None


def _created_ns(info: dict | None) -> int | None:
    try:
        return layout.parse_created(info["_created"]) if info else None
    except (KeyError, ValueError):
        return None


class _Pass(NamedTuple):
    """One listing: the root's fd and real path, and the time."""

    root_fd: int
    real_root: str
    now_ms: int
    now_s: float


class RunListing:
    """The store's runs as RunSummary dicts (docs/server-api.md)."""

    def __init__(self, paths: StorePaths, stale_after_s: float):
        self.paths = paths
        self.stale_after_s = stale_after_s
        self._runs: dict[str, _Run] = {}
        self._orders: dict[str, tuple] = {}  # what `_names` was sorted from
        self._names: list[str] = []
        self._lock = threading.Lock()

    def summaries(self, glob: str | None = None) -> list[dict]:
        with self._lock:
            return [run.summary for run in self._list(glob)]

    def summaries_json(self, glob: str | None = None) -> str:
        """The same list as JSON text, joined from each run's cached text."""
        with self._lock:
            return "[" + ",".join([run.text for run in self._list(glob)]) + "]"

    def _list(self, glob: str | None) -> list[_Run]:
        freeze_startup_heap()  # before this cache grows: full GC passes walk what is not frozen
        try:
            root_fd = os.open(self.paths.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            self._runs.clear()
            return []  # the store root need not exist yet
        except OSError as error:
            raise StoreRootNotAFolder(self.paths.root, error) from None
        try:
            now = _Pass(
                root_fd,
                safe_read.opened_path(root_fd, self.paths.root),
                time.time_ns() // 10**6,
                time.monotonic(),
            )
            return self._list_in(now, glob)
        finally:
            os.close(root_fd)

    def _list_in(self, now: _Pass, glob: str | None) -> list[_Run]:
        folders = _run_dirs(now.root_fd, glob)
        listed: dict[str, _Run] = {}
        due: list[tuple[float, str]] = []
        for name, folder_key in folders.items():
            cached = self._runs.get(name)
            if cached is None or (
                (cached.folder_key != folder_key or self._changed(name, cached))
                and not _slow_and_recent(cached, now.now_s)
            ):
                run = self._scan(now, name, folder_key, cached)
                if run is not None:
                    listed[name] = run
                continue
            listed[name] = cached
            if now.now_s - cached.scanned_s >= QUIET_RECHECK_S:
                due.append((cached.scanned_s, name))
        for _, name in heapq.nsmallest(QUIET_RECHECKS, due):
            run = self._scan(now, name, folders[name], listed[name])
            if run is None:
                del listed[name]
            else:
                listed[name] = run
        for gone in self._runs.keys() - listed.keys():
            if glob is None or fnmatchcase(gone, glob):
                del self._runs[gone]
        self._runs.update(listed)
        return [listed[name] for name in self._ordered(listed)]

    def _ordered(self, listed: dict[str, _Run]) -> list[str]:
        """The names newest first; sorted again only when a run or its order changed."""
        orders = {name: run.order for name, run in listed.items()}
        if orders != self._orders:
            self._orders = orders
            self._names = sorted(orders, key=orders.__getitem__, reverse=True)
        return self._names

    def _changed(self, name: str, cached: _Run) -> bool:
        """Whether a run whose folder is unchanged must be scanned again now."""
        status = cached.summary["status"]
        if status in summary.CHANGING:  # live, running, stalled: time alone changes them
            return True
        if status != "unreadable" or cached.info is None:
            return False
        try:  # a half-written info may be rewritten in place
            st = os.stat(self.paths.root / name / layout.INFO_FILE, follow_symlinks=False)
            key = (st.st_ino, st.st_size, st.st_mtime_ns)
        except OSError:
            key = None
        return key != cached.info.key

    def _open_run(self, now: _Pass, name: str, is_symlink: bool) -> tuple[int, str | None]:
        """(fd on the run folder, its real path if known); RefusedFile if out of the root.

        A real folder is opened in the root's fd without following a symlink, so it
        needs no check; one swapped for a symlink meanwhile, or an alias, is followed
        and checked.
        """
        if not is_symlink:
            try:
                return safe_read.open_dir(name, dir_fd=now.root_fd), f"{now.real_root}/{name}"
            except OSError as error:
                if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
        return safe_read.open_dir(self.paths.root / name, now.real_root), None

    def _scan(self, now: _Pass, name: str, folder_key: tuple, cached: _Run | None) -> _Run | None:
        """Scan a run folder (and read its info if it changed); None if it is gone."""
        started = time.monotonic()
        run = self._scan_folder(now, name, folder_key, cached)
        return run and run._replace(scan_s=time.monotonic() - started)

    def _scan_folder(
        self, now: _Pass, name: str, folder_key: tuple, cached: _Run | None
    ) -> _Run | None:
        try:
            fd, real_dir = self._open_run(now, name, folder_key[0])
        except FileNotFoundError:
            return None  # deleted while listing
        except safe_read.RefusedFile:
            return _refused(name, folder_key, summary.OUTSIDE_ROOT_FOLDER, now.now_s)
        except OSError as error:
            return _refused(name, folder_key, f"run folder: {error.strerror or error}", now.now_s)
        try:
            scan = summary.scan_dir_fd(fd, now.real_root, real_dir)
            key = _info_key(scan)
            info = cached.info if cached is not None else None
            if info is None or key is None or info.key != key:
                info = self._read_info(now, name, fd, scan, key)
        except OSError as error:
            return _refused(name, folder_key, f"run folder: {error.strerror or error}", now.now_s)
        finally:
            os.close(fd)
        last_write_ms = scan.last_write_ms
        fields = {
            **info.summary,
            **summary.status_fields(info.for_status, scan, now.now_ms, self.stale_after_s),
            "size": scan.size,
            "last_write_ms": last_write_ms,
        }
        # Most rescans change nothing: keep the JSON text (and the order) already made.
        same = cached is not None and cached.summary == fields
        text = cached.text if same else to_json(fields)
        same_info = cached is not None and cached.info is info
        order = cached.order if same_info else order_key(name, info.created_ns)
        return _Run(folder_key, info, order, fields, text, now.now_s)

    def _read_info(self, now: _Pass, name: str, fd: int, scan, key) -> _Info:
        if layout.INFO_FILE in scan.refused:
            info, error = None, f"{layout.INFO_FILE}: {scan.refused[layout.INFO_FILE]}"
        else:
            path = self.paths.root / name
            info, error = summary.read_info(path, dir_fd=fd, real_root=now.real_root)
        fields = summary.run_summary(name, info, error, scan, now.now_ms, self.stale_after_s)
        for_status = (
            None if info is None else {layout.FINISHED_FIELD: info.get(layout.FINISHED_FIELD)}
        )
        return _Info(key, for_status, error, _created_ns(info), fields)


def _slow_and_recent(run: _Run, now_s: float) -> bool:
    return run.scan_s > SLOW_SCAN_S and now_s - run.scanned_s < SLOW_SCAN_SPACING * run.scan_s


def _run_dirs(root_fd: int, glob: str | None) -> dict[str, tuple]:
    """{name: folder key} for every run folder in the root (symlinks followed)."""
    found = {}
    with os.scandir(root_fd) as entries:
        for entry in entries:
            name = entry.name
            if name[0] == "." or "\\" in name or (glob and not fnmatchcase(name, glob)):
                continue  # not a run name (layout.is_run_name; '/' and NUL can't occur)
            try:
                st = entry.stat()
            except OSError:
                continue  # gone, or a dangling symlink
            if stat.S_ISDIR(st.st_mode):
                found[name] = (entry.is_symlink(), st.st_dev, st.st_ino, st.st_mtime_ns)
    return found


def _refused(name: str, folder_key: tuple, error: str, now_s: float) -> _Run:
    """An unreadable run whose folder can't be read at all."""
    fields = {
        "name": name,
        "created": None,
        "created_ms": None,
        "status": "unreadable",
        "reason": None,
        "error": error,
        "size": 0,
        "last_write_ms": None,
        "description": None,
        "params": None,
        "params_truncated": False,
    }
    return _Run(folder_key, None, order_key(name, None), fields, to_json(fields), now_s)
