"""GET runs: every run's summary, newest first, cached so that listing again is cheap.

Each listing stats every run folder's files (sizes and the last write move
without touching the folder), but re-reads a run's `_info.json` only when its
inode, size or mtime changed, and never reads data files. A run that can't be
read is listed as unreadable; it never breaks the listing.
"""

from __future__ import annotations

import os
import threading
import time
from fnmatch import fnmatchcase
from typing import NamedTuple

from ..store import layout, summary
from .paths import StorePaths


class _CachedInfo(NamedTuple):
    key: tuple[int, int, int] | None  # (inode, size, mtime) of `_info.json`, None if absent
    info: dict | None
    error: str | None
    created_ns: int | None


def _info_key(scan: summary.RunDir) -> tuple[int, int, int] | None:
    st = scan.files.get(layout.INFO_FILE)
    return (st.st_ino, st.st_size, st.st_mtime_ns) if st else None


def _created_ns(info: dict | None) -> int | None:
    try:
        return layout.parse_created(info["_created"]) if info else None
    except (KeyError, ValueError):
        return None


def newest_first(names: list[str], created_ns: dict[str, int | None]) -> list[str]:
    """The reverse of `runwatch.runs()`'s order (by name stamp, then `_created`, then name);
    runs with neither a stamp nor a readable `_created` come last, by name."""
    placed, unplaced = [], []
    for name in names:
        created = created_ns.get(name)
        stamp = layout.run_stamp(name)
        if stamp is None and created is not None:
            stamp = layout.run_name(created, "")
        if stamp is None:
            unplaced.append(name)
        else:
            placed.append((stamp, -1 if created is None else created, name))
    placed.sort(reverse=True)
    return [name for _, _, name in placed] + sorted(unplaced)


class RunListing:
    """The store's runs as RunSummary dicts (docs/server-api.md)."""

    def __init__(self, paths: StorePaths, stale_after_s: float):
        self.paths = paths
        self.stale_after_s = stale_after_s
        self._infos: dict[str, _CachedInfo] = {}
        self._lock = threading.Lock()

    def summaries(self, glob: str | None = None) -> list[dict]:
        with self._lock:
            return self._summaries(glob)

    def _summaries(self, glob: str | None) -> list[dict]:
        now_ms = time.time_ns() // 10**6
        real_root = self.paths.real_root()
        found: dict[str, dict] = {}
        created: dict[str, int | None] = {}
        for name, is_symlink in self._run_dirs(glob):
            if is_symlink and not layout.is_within(
                os.path.realpath(self.paths.root / name), real_root
            ):
                found[name] = _refused_summary(name)
                continue
            try:
                scan = summary.scan_run_dir(self.paths.root / name, real_root)
            except OSError:
                continue  # deleted while listing
            cached = self._info(name, scan)
            created[name] = cached.created_ns
            found[name] = summary.run_summary(
                name, cached.info, cached.error, scan, now_ms, self.stale_after_s
            )
        for gone in self._infos.keys() - found.keys():
            if glob is None or fnmatchcase(gone, glob):
                del self._infos[gone]
        return [found[name] for name in newest_first(list(found), created)]

    def _run_dirs(self, glob: str | None) -> list[tuple[str, bool]]:
        try:
            with os.scandir(self.paths.root) as entries:
                return [
                    (e.name, e.is_symlink())
                    for e in entries
                    if layout.is_run_name(e.name)
                    and (glob is None or fnmatchcase(e.name, glob))
                    and e.is_dir()
                ]
        except (FileNotFoundError, NotADirectoryError):
            return []  # the store root need not exist yet

    def _info(self, name: str, scan: summary.RunDir) -> _CachedInfo:
        key = _info_key(scan)
        cached = self._infos.get(name)
        if cached is None or key is None or cached.key != key:
            if layout.INFO_FILE in scan.refused:
                info, error = None, f"{layout.INFO_FILE}: {summary.OUTSIDE_ROOT}"
            else:
                info, error = summary.read_info(self.paths.root / name)
            cached = _CachedInfo(key, info, error, _created_ns(info))
            self._infos[name] = cached
        return cached


def _refused_summary(name: str) -> dict:
    return {
        "name": name,
        "created": None,
        "created_ms": None,
        "status": "unreadable",
        "error": f"run folder is a {summary.OUTSIDE_ROOT}",
        "size": 0,
        "last_write_ms": None,
        "description": None,
        "params": None,
    }
