"""Listing runs and resolving a query (index, exact name, glob or word) to run names.

Ordering is by `_created`. The folder name starts with the UTC creation second,
so runs are ordered by name and `_info.json` is read only to break ties within
one second: resolving `-1` reads one or two small files, not thousands.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from pathlib import Path

from . import info as info_file
from . import layout
from .errors import AmbiguousRun, BadInfo, RunNotFound, StoreError

MAX_LISTED = 10
_INTEGER = re.compile(r"[+-]?\d+")
_GLOB_CHARS = re.compile(r"[*?[]")


class BadQuery(StoreError, ValueError):
    """A filter expression that does not parse; str() is the query language's message."""


class StoreRootNotAFolder(StoreError):
    """The store root exists but is not a folder, or can't be listed."""

    def __init__(self, root: Path, error: OSError):
        if isinstance(error, NotADirectoryError):
            problem = "is a file, not a folder (set $RUNWATCH_ROOT to a folder)"
        else:
            problem = f"can't be listed: {error.strerror or error}"
        super().__init__(f"the store root {root} {problem}")


def list_run_dirs(root: Path) -> list[str]:
    """Names of the run folders under `root`, unordered; none if it doesn't exist yet."""
    try:
        with os.scandir(root) as entries:
            return [e.name for e in entries if layout.is_run_name(e.name) and e.is_dir()]
    except FileNotFoundError:
        return []
    except OSError as error:
        raise StoreRootNotAFolder(root, error) from None


def _created_or_none(run_dir: Path) -> int | None:
    try:
        raw = info_file.read_info_raw(run_dir)
        return info_file.created_ns(run_dir, raw)
    except (BadInfo, OSError):
        return None


def _stamp_of(ns: int) -> str:
    return datetime.fromtimestamp(ns // 10**9, timezone.utc).strftime(layout.RUN_STAMP_FORMAT)


def _groups(root: Path, names: list[str]) -> dict[str, list[str]]:
    """Names keyed by creation second; unstamped names are placed by reading `_created`."""
    groups: dict[str, list[str]] = {}
    for name in names:
        stamp = layout.run_stamp(name)
        if stamp is None:
            created = _created_or_none(root / name)
            if created is None:
                continue
            stamp = _stamp_of(created)
        groups.setdefault(stamp, []).append(name)
    return groups


def _tiebreak(root: Path, group: list[str], readable_only: bool) -> list[str]:
    """One second's runs ordered by `_created`, then name."""
    if len(group) == 1 and not readable_only:
        return group
    keyed = []
    for name in group:
        created = _created_or_none(root / name)
        if created is None and readable_only:
            continue
        keyed.append((created if created is not None else -1, name))
    return [name for _, name in sorted(keyed)]


def ordered(root: Path, names: list[str]) -> list[str]:
    """`names` oldest first; unstamped runs without a readable `_created` come last."""
    groups = _groups(root, names)
    placed = [
        n for stamp in sorted(groups) for n in _tiebreak(root, groups[stamp], readable_only=False)
    ]
    unplaced = sorted(set(names) - set(placed))
    return placed + unplaced


def runs(root: Path | None = None) -> list[str]:
    """All run names in the store, oldest first."""
    root = root or layout.store_root()
    return ordered(root, list_run_dirs(root))


def _newest_names(names: list[str]) -> list[str]:
    return sorted(names, reverse=True)[:MAX_LISTED]


def _describe(names: list[str], total: int | None = None) -> str:
    total = len(names) if total is None else total
    shown = ", ".join(repr(n) for n in names[:MAX_LISTED])
    more = f" (and {total - MAX_LISTED} more)" if total > MAX_LISTED else ""
    return f"{shown}{more}" if shown else "none"


def _not_found(root: Path, query: object, names: list[str], why: str) -> RunNotFound:
    return RunNotFound(
        f"{why} {query!r} in {root} ({len(names)} runs); newest: {_describe(_newest_names(names), len(names))}"
    )


def _by_index(root: Path, index: int, names: list[str]) -> str:
    groups = _groups(root, names)
    stamps = sorted(groups, reverse=index < 0)
    wanted = -index if index < 0 else index + 1
    seen: list[str] = []
    for stamp in stamps:
        group = _tiebreak(root, groups[stamp], readable_only=True)
        seen.extend(reversed(group) if index < 0 else group)
        if len(seen) >= wanted:
            return seen[wanted - 1]
    raise _not_found(
        root, index, names, f"Index out of range ({len(seen)} runs with a readable _created):"
    )


def _matches(root: Path, query: object, names: list[str]) -> list[str]:
    if isinstance(query, bool) or not isinstance(query, (int, str)):
        raise TypeError(f"a run query is an int or a str, not {type(query).__name__}")
    if isinstance(query, int):
        return [_by_index(root, query, names)]
    if _is_run_dir(root, query):
        return [query]  # an exact name wins, even if it looks like a glob
    if _INTEGER.fullmatch(query.strip()):
        return [_by_index(root, int(query), names)]
    return ordered(root, [n for n in names if name_matches(n, query)])


def _is_run_dir(root: Path, name: str) -> bool:
    """`name` is a run folder of `root`; a name no folder can have (too long) is not."""
    if not layout.is_run_name(name):
        return False
    try:
        return (root / name).is_dir()
    except OSError:  # ENAMETOOLONG and the like: no such run
        return False


def name_matches(name: str, query: str) -> bool:
    """A glob (with `*`, `?` or `[`) matches the whole name, case-sensitive
    (`fnmatchcase`); any other non-blank query matches as a substring."""
    if _GLOB_CHARS.search(query):
        return fnmatchcase(name, query)
    return bool(query.strip()) and query in name


def resolve(query: int | str, root: Path | None = None) -> str:
    """One run's name: an int indexes runs by `_created` (-1 newest), an exact name wins, a glob
    matches whole names and a bare word substrings (docs/run-store.md, "Resolving runs")."""
    root = root or layout.store_root()
    exact = isinstance(query, str) and _is_run_dir(root, query)
    names = [] if exact else list_run_dirs(root)
    found = _matches(root, query, names)
    if not found:
        raise _not_found(root, query, names, "No run matches")
    if len(found) > 1:
        newest = list(reversed(found))
        raise AmbiguousRun(
            f"{query!r} matches {len(found)} runs in {root}: {_describe(newest)}", found
        )
    return found[0]


def _is_filter(query: object) -> bool:
    if not isinstance(query, str):
        return False
    from ..query.detect import is_filter  # stdlib only, and small

    return is_filter(query)


def resolve_many(
    query: int | str | list | tuple,
    root: Path | None = None,
    filtered: Callable[[Path, str], list[str]] | None = None,
) -> list[str]:
    """Every run a query (or list of queries) matches, oldest first; none is an error.
    A filter expression (`lr < 1e-3`) keeps the runs `filtered(root, expression)` gives
    (oldest first): the runs table's rows it matches, which `reading.resolve_many`
    passes; without `filtered` it is matched as a name."""
    root = root or layout.store_root()
    names = list_run_dirs(root)
    queries = list(query) if isinstance(query, (list, tuple)) else [query]
    found: list[str] = []
    for q in queries:
        # An exact name still wins over a filter.
        is_filter = filtered is not None and _is_filter(q) and not _is_run_dir(root, q)
        matched = filtered(root, q) if is_filter else _matches(root, q, names)
        if not matched:
            why = "No run's table row matches the filter" if is_filter else "No run matches"
            raise _not_found(root, q, names, why)
        found.extend(n for n in matched if n not in found)
    return found if len(queries) == 1 else ordered(root, found)
