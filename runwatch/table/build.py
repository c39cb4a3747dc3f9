"""The runs table of a store: the rows a query matches, with the summaries asked for.

One `RunsTable` per store root keeps what makes a second table cheap: each run's
facts (params, channels, host) until its summary in the listing changes, and each
channel's summaries under its files' stamps. The server passes its listing's
summaries (GET runs' cache) and a disk cache (persisted.py), so the first table
after a restart reads back what the last server learned instead of every data
file; the kernel's `runwatch.table()` scans every run, in memory only.
"""

from __future__ import annotations

import gc
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..server.json_text import to_json
from ..server.lod.disk_cache import DiskCache
from ..server.paths import StorePaths
from ..store import layout, safe_read, summary
from ..store.errors import RunNotFound
from ..store.resolve import StoreRootNotAFolder, list_run_dirs, resolve_many
from ..store.run_order import newest_first
from . import run_facts
from .channel_stats import ChannelStatsCache, entry_key
from .columns import ordered_param_keys
from .persisted import PersistedTable
from .rows import add_stats, base_row
from .stat_keys import BadStat, StatKey, parse_stat, stat_or_none

MAX_QUERY = 10_000  # characters, as the query language's own limit
MAX_STATS = 1000
NO_STATS = "none"
Summaries = Callable[[], list[dict]]  # every run's summary, newest first
# A table that learned something is written to disk at once the first time, then at
# most this often: what it learns later is mostly live runs' cells, stale by the next
# start anyway, and a write of 10,000 runs costs ~0.5 s of CPU.
PERSIST_SPACING_S = 120.0


def _query_error(message: str) -> Exception:
    from ..query import QueryError

    return QueryError(message)


def parse_stats(keys: list[str] | None) -> list[StatKey] | None:
    """The requested stat keys (None: the default, `<channel>.last` of every channel;
    `["none"]`: none); BadStat naming a bad one."""
    if keys is None:
        return None
    if list(keys) == [NO_STATS]:
        return []
    if len(keys) > MAX_STATS:
        raise BadStat(f"stat: {len(keys)} given, at most {MAX_STATS}")
    if NO_STATS in keys:
        raise BadStat("stat: 'none' can't be combined with other stats")
    return list({key: parse_stat(key) for key in keys}.values())


class RunsTable:
    def __init__(
        self,
        root: Path,
        stale_after_s: float = summary.STALE_AFTER_S,
        disk: DiskCache | None = None,
    ):
        self.root = root
        self.paths = StorePaths(root)
        self.stale_after_s = stale_after_s
        self.stats_cache = ChannelStatsCache()
        self.disk = disk  # where `persist` writes and the first table reads back
        self.persisted: PersistedTable | None = None  # made with the root's real path
        self._saved_infos: dict = {}  # run -> InfoFacts read back, until used
        self._learned = False  # facts read since the last `persist`
        self._persisted_misses = 0  # stats_cache.misses at the last `persist`
        self._persisted_at: float | None = None
        # run name -> (the listing summary's fingerprint, facts, that summary) for the server
        self._facts: dict[str, tuple] = {}
        # (run name, stat keys) -> (listing summary, facts, [row, JSON text]) it was made from
        self._built: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def table(
        self, query: str | None, stats: list[str] | None, summaries: Summaries | None = None
    ) -> dict:
        """The endpoint's answer (docs/runs-table.md), its rows copies the caller may
        change. QueryError for a bad query, BadStat for a bad stat; StoreRootNotAFolder
        if the root is a file."""
        answer, built = self._answer(query, stats, summaries)
        return {**answer, "runs": [dict(row) for row, _ in built]}

    def table_json(
        self, query: str | None, stats: list[str] | None, summaries: Summaries | None = None
    ) -> str:
        """`table`'s answer as JSON text, joined from each row's cached text."""
        answer, built = self._answer(query, stats, summaries)
        for entry in built:
            if entry[1] is None:
                entry[1] = to_json(entry[0])
        texts = [text for _, text in built]
        head = to_json({**answer, "runs": []})
        return head.replace('"runs": []', '"runs": [' + ",".join(texts) + "]", 1)

    def _answer(self, query, stats, summaries) -> tuple[dict, list]:
        """(the answer without its runs, [(row, its JSON text or None)])."""
        wanted = parse_stats(stats)
        query = query or None
        if query is not None and len(query) > MAX_QUERY:
            raise _query_error(f"q is {len(query):,} characters, over the {MAX_QUERY:,} allowed")
        matches = None
        if query is not None:
            from ..query import is_filter, parse_filter

            if is_filter(query) and not _is_run_dir(self.root, query):  # an exact name wins
                matches = parse_filter(query)
        with self._lock, _no_collections():
            fields, facts, paths = self._rows(query if matches is None else None, summaries)
            if len(self._built) > 3 * len(fields) + 1000:
                self._built.clear()  # rows for stats asked for no longer
            filter_stats = []
            if matches is not None:
                filter_stats = [s for s in map(stat_or_none, sorted(matches.names)) if s]
                names = tuple(s.key for s in filter_stats)
                kept = [
                    i
                    for i, (field, run) in enumerate(zip(fields, facts))
                    if matches.matches(self._row(paths, field, run, filter_stats, names)[0])
                ]
                fields, facts = [fields[i] for i in kept], [facts[i] for i in kept]
            channels = sorted({c for f in facts if f is not None for c in f.info.channels})
            if wanted is None:
                wanted = [parse_stat(f"{channel}.last") for channel in channels]
            keys = list(dict.fromkeys([s.key for s in wanted] + [s.key for s in filter_stats]))
            every, names = [parse_stat(key) for key in keys], tuple(keys)
            built = [
                self._row(paths, field, run, every, names) for field, run in zip(fields, facts)
            ]
        answer = {
            "root": str(self.root),
            "query": query,
            "runs": [],
            "params": ordered_param_keys([f.info.params if f else {} for f in facts]),
            "channels": channels,
            "stats": keys,
        }
        return answer, built

    def _row(self, paths: StorePaths, field: dict, run, stats: list[StatKey], keys: tuple) -> list:
        """[row, its JSON text or None], kept while the run's listing summary (the same
        object: the listing keeps it while the run is unchanged) and facts are."""
        key = (field["name"], keys)
        known = self._built.get(key)
        if known is not None and known[0] is field and known[1] is run:
            return known[2]
        row = base_row(field, run)
        if stats:
            add_stats(row, run, stats, paths, self.stats_cache)
        built = [row, None]
        self._built[key] = (field, run, built)
        return built

    def _rows(
        self, query: str | None, summaries: Summaries | None
    ) -> tuple[list, list, StorePaths]:
        """(summary fields, facts) of the runs `query` selects (None: all), newest first,
        and the paths to read their files by."""
        real_root = self._real_root()
        if real_root is None:
            return [], [], self.paths
        if self.disk is not None and self.persisted is None:
            self._read_back(real_root)
        if summaries is None:
            names = list_run_dirs(self.root) if query is None else self._select(query)
            if query is None:
                for gone in self._facts.keys() - set(names):
                    del self._facts[gone]
            fields, runs = self._scan(names, real_root)
        else:
            fields = summaries()
            if query is None:
                for gone in self._facts.keys() - {f["name"] for f in fields}:
                    del self._facts[gone]
            else:
                selected = set(self._select(query))
                fields = [f for f in fields if f["name"] in selected]
            runs = [self._facts_of(field, real_root) for field in fields]
        for i, (field, run) in enumerate(zip(fields, runs)):
            if run is _DELETED:
                fields[i], runs[i] = _unreadable(field["name"], run_facts.DELETED), None
        if query is None:
            self._saved_infos.clear()  # what no run has now is never asked for
        return fields, runs, _PinnedRoot(self.root, real_root)

    def _select(self, query: str) -> list[str]:
        """The runs an index, name, word or glob matches (none: an empty table)."""
        try:
            return resolve_many(query, self.root)
        except RunNotFound:
            return []

    def _real_root(self) -> str | None:
        """The root's real path; None if it does not exist yet (an empty table)."""
        try:
            if not stat.S_ISDIR(os.stat(self.root).st_mode):
                raise NotADirectoryError(self.root)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreRootNotAFolder(self.root, error) from None
        return self.paths.real_root()

    def _facts_of(self, field: dict, real_root: str):
        """The run's facts, looked at again only when its listing summary changed."""
        name = field["name"]
        known = self._facts.get(name)
        if known is not None and known[2] is field:
            return known[1]  # the listing's very summary: nothing changed
        fingerprint = tuple(
            field.get(k) for k in ("created_ms", "size", "last_write_ms", "status", "error")
        )
        if known is not None and known[0] == fingerprint:
            self._facts[name] = (fingerprint, known[1], field)
            return known[1]
        try:
            facts, _ = self._inspect(real_root, name, known)
        except FileNotFoundError:
            self._facts.pop(name, None)
            return _DELETED
        except OSError:
            return None  # unreadable: the listing's error says why
        self._facts[name] = (fingerprint, facts, field)
        return facts

    def _inspect(self, real_root: str, name: str, known: tuple | None) -> tuple:
        """`run_facts.inspect` given what was known of the run (in memory, else read back
        from disk), noting when its `_info.json` had to be read."""
        previous = known and known[1]
        if not previous:
            saved = self._saved_infos.pop(name, None)
            previous = saved and run_facts.RunFacts({}, saved, None, None, {})
        facts, scan = run_facts.inspect(self.root, real_root, name, previous)
        if not previous or facts.info is not previous.info:
            self._learned = True
        return facts, scan

    def _scan(self, names: list[str], real_root: str) -> tuple[list[dict], list]:
        """Each run's summary and facts from its folder, newest first (the kernel's way)."""
        now_ms = time.time_ns() // 10**6
        found, created = {}, {}
        for name in names:
            try:
                facts, scan = self._inspect(real_root, name, self._facts.get(name))
            except FileNotFoundError:
                found[name] = (_unreadable(name, run_facts.DELETED), None)
                continue
            except safe_read.RefusedFile:
                found[name] = (_unreadable(name, summary.OUTSIDE_ROOT_FOLDER), None)
                continue
            except OSError as error:
                found[name] = (_unreadable(name, f"run folder: {error.strerror or error}"), None)
                continue
            self._facts[name] = (None, facts, None)
            info = facts.info
            fields = summary.run_summary(
                name, info.info, info.error, scan, now_ms, self.stale_after_s
            )
            found[name] = (fields, facts)
            created[name] = info.created_ns
        ordered = [found[name] for name in newest_first(list(found), created)]
        return [fields for fields, _ in ordered], [facts for _, facts in ordered]

    # ---- on disk (persisted.py) ---------------------------------------------------------

    def _read_back(self, real_root: str) -> None:
        """Take what the last server wrote for this root (once, on the first table)."""
        self.persisted = PersistedTable(self.disk, real_root)
        saved = self.persisted.load()
        if saved is not None:
            self._saved_infos = saved.infos
            self.stats_cache.seed(saved.stats)
        self._persisted_misses = self.stats_cache.misses
        self._learned = False

    def persist(self, now_s: float | None = None) -> bool:
        """Write each run's facts and its channels' cells (under their current stamps)
        to disk if a table learned something since the last write: at once the first
        time, then at most every PERSIST_SPACING_S. True if written. Never raises for a
        disk fault (DiskCache logs it once)."""
        now_s = time.monotonic() if now_s is None else now_s
        with self._lock:
            if self.persisted is None:
                return False
            if not self._learned and self.stats_cache.misses == self._persisted_misses:
                return False
            if self._persisted_at is not None and now_s - self._persisted_at < PERSIST_SPACING_S:
                return False
            runs = [(name, known[1]) for name, known in self._facts.items() if known[1]]
            self._learned, self._persisted_misses = False, self.stats_cache.misses
            self._persisted_at = now_s
        with _no_collections():
            return self.persisted.save(self._persisted_runs(runs))

    def _persisted_runs(self, runs: list) -> list:
        """[(run, its info facts or None, [(entry_key, cells)])] as `PersistedTable.save`
        takes them: each channel's cells under its files' stamps now."""
        listed = []
        for name, facts in runs:
            info = facts.info
            stats = []
            for channel, spec in info.channels.items():
                stamps = facts.stamps[channel]
                if info.created_ns is None or None in stamps:
                    continue
                key = entry_key(name, spec, info.created_ns, stamps)
                cells = self.stats_cache.known(key)
                if cells:
                    stats.append((key, cells))
            listed.append((name, info if info.info is not None else None, stats))
        return listed


class _PinnedRoot(StorePaths):
    """The store's paths with the root's real path found once per table (os.path.realpath
    of the root for every file read cost a third of a cold table's file opening)."""

    def __init__(self, root: Path, real_root: str):
        super().__init__(root)
        self._real_root = real_root

    def real_root(self) -> str:
        return self._real_root


@contextmanager
def _no_collections() -> Iterator[None]:
    """No garbage collection while a table is built. A cold table makes a million
    long-lived objects (facts, cells, rows), and the collector's full passes over
    them all took ~0.8 s of a 2.5 s cold table; nothing it makes is cyclic garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_DELETED = object()


def _is_run_dir(root: Path, name: str) -> bool:
    if not layout.is_run_name(name):
        return False
    try:
        return (root / name).is_dir()
    except OSError:  # a name too long to be a folder's
        return False


def _unreadable(name: str, error: str) -> dict:
    return {"name": name, "status": "unreadable", "reason": None, "error": error}


_tables: dict[str, RunsTable] = {}


def store_table(root: Path | None = None) -> RunsTable:
    """The kernel's RunsTable of a store root (its caches last while the kernel does)."""
    root = root or layout.store_root()
    key = str(root)
    if key not in _tables:
        _tables[key] = RunsTable(root)
    return _tables[key]
