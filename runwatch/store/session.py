"""Writing to a run: `new_run`, `to_run`, and routing stats calls to appenders.

A stats call goes to the calling thread's innermost `to_run`, else to the newest
`to_run` open anywhere in the process; each (session, thread, channel) gets its
own `.npr` file. Routing is cached per thread and invalidated by an epoch
counter, so the common call is a few dict lookups and one `struct` pack.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from weakref import WeakKeyDictionary

from . import clock, info, layout, record
from .appender import FLUSHER, NprAppender
from .errors import BadInfo
from .logfile import RunLogHandler
from .process import RECORDER
from .resolve import resolve

log = logging.getLogger("runwatch")


class RunSession:
    """One `to_run` block: its log handler and the appenders opened under it."""

    def __init__(self, run: str, run_dir: Path):
        self.run, self.run_dir = run, run_dir
        self.appenders: list[NprAppender] = []
        self._lock = threading.Lock()
        self.log_handler = RunLogHandler(run_dir)

    def open_appender(self, kind: str, channel: str, fields: list[tuple[str, str]]) -> NprAppender:
        if not layout.CHANNEL.fullmatch(channel):
            raise ValueError(f"channel {channel!r} must be dot-separated parts of [A-Za-z0-9_-]")
        run_dir, pattern = self.run_dir, layout.stats_pattern(channel)
        header = NprAppender.header(fields)
        thread = threading.current_thread()
        creator = (thread.ident, thread.name)  # the flusher may create it later, on a full disk

        def create() -> tuple[str, int, int]:
            name, fd = info.register_file(run_dir, pattern, header, creator, kind=kind)
            return str(run_dir / name), fd, len(header)

        unmade = f"{run_dir / pattern.format(n='N')} (not created yet)"
        appender = NprAppender(kind, fields, create, unmade)
        appender.open()
        with self._lock:
            self.appenders.append(appender)
        FLUSHER.add(appender)
        return appender

    def close(self) -> None:
        with self._lock:
            appenders, self.appenders = self.appenders, []
        for appender in appenders:
            FLUSHER.discard(appender)
            appender.close()
        self.log_handler.close()

    def forget_after_fork(self) -> None:
        self.appenders = []  # the parent's files; this process opens its own
        self._lock = threading.Lock()


class _Route(threading.local):
    """Per thread (a new thread never inherits a dead one's files, even if its id is reused)."""

    epoch = -1
    session: RunSession | None = None
    appenders: dict[str, NprAppender] | None = (
        None  # channel -> this thread's appender in `session`
    )
    stack: list[RunSession] | None = None  # this thread's open sessions, innermost last
    by_session: WeakKeyDictionary | None = None


_route = _Route()
_epoch = [0]  # bumped whenever any session opens or closes
_active: list[RunSession] = []  # every open session in the process, newest last
_active_lock = threading.Lock()
_saved_root_level: list[int] = []


def _reroute(route: _Route) -> None:
    epoch = _epoch[0]
    session = route.stack[-1] if route.stack else (_active[-1] if _active else None)
    if route.by_session is None:
        route.by_session = WeakKeyDictionary()
    route.session = session
    route.appenders = route.by_session.setdefault(session, {}) if session else None
    route.epoch = epoch


def current_session() -> RunSession | None:
    """Where this thread's stats calls go: its innermost `to_run`, else the newest one."""
    if _route.epoch != _epoch[0]:
        _reroute(_route)
    return _route.session


def write_stat(kind: str, arg_names: tuple[str, ...], channel: str, values: tuple) -> None:
    """Queue one row; a no-op outside `to_run`, like pavlov."""
    route = _route
    if route.epoch != _epoch[0]:
        _reroute(route)
    appenders = route.appenders
    if appenders is None:
        return
    appender = appenders.get(channel)
    if appender is not None and appender.kind is kind:
        try:
            appender.append(appender.pack(clock.now_ns(), *values))
            return
        except (struct.error, TypeError):
            pass  # nested or differently-typed values: take the slow path
    _write_slow(route, appender, kind, arg_names, channel, values)


def _write_slow(route: _Route, appender, kind, arg_names, channel, values) -> None:
    now = clock.now_ns()
    leaves = record.fields(arg_names, values)
    if appender is None:
        fields = [(name, typestr) for name, typestr, _ in leaves]
        appender = route.appenders[channel] = route.session.open_appender(kind, channel, fields)
    if appender.kind != kind:
        raise ValueError(
            f"channel {channel!r} is a {appender.kind!r} stat; can't write {kind!r} to it"
        )
    names = tuple(name for name, _, _ in leaves)
    if names != appender.names:
        raise ValueError(f"channel {channel!r} has fields {appender.names}, got {names}")
    row = [record.coerce(name, t, v) for (name, _, v), t in zip(leaves, appender.typestrs)]
    if not appender.warned and any(t != t2 for (_, t, _), t2 in zip(leaves, appender.typestrs)):
        appender.warned = True
        log.warning("channel %r: values cast to the file's types %s", channel, appender.typestrs)
    appender.append(appender.pack(now, *row))


LAUNCHED_RUN_ENV = "RUNWATCH_RUN"  # set by the sweep launcher (docs/sweeps.md)
LAUNCHER_FIELDS = ("sweep", "sweep_id", "variant_id")


def new_run(suffix: str = "", **fields) -> str:
    """Create a run folder with its `_info.json`; returns the run's name.

    In a process a sweep launched, the launcher made its run already: that run
    is returned, `fields` merged into its info (the sweep's own fields kept)."""
    launched = os.environ.get(LAUNCHED_RUN_ENV)
    root = layout.store_root()
    if launched and layout.is_run_name(launched) and (root / launched).is_dir():
        json_fields = json.loads(json.dumps(fields))  # fail before changing anything
        with info.updating(root / launched) as existing:
            for key, value in json_fields.items():
                if not key.startswith("_") and key not in LAUNCHER_FIELDS:
                    existing[key] = value
        return launched
    run = info.create_run(root, suffix, fields)
    log.info("Created run %s", run)
    return run


@contextmanager
def to_run(run: int | str | None) -> Iterator[str | None]:
    """Route `logging` records and stats calls (from any thread) to `run` while active."""
    if run is None:
        yield None
        return
    root = layout.store_root()
    name = resolve(run, root)
    _opening(root / name)
    try:
        session = RunSession(name, root / name)
    except BaseException as error:
        _closing(root / name, finished=False, error=error)
        raise
    if _route.stack is None:
        _route.stack = []
    stack = _route.stack
    stack.append(session)
    _activate(session)
    ending = None  # what left the block, for the process's record (process.py)
    try:
        yield name
    except BaseException as error:
        ending = error
        _log_trace(session)
        raise
    finally:
        stack.remove(session)
        _deactivate(session)
        session.close()
        _closing(session.run_dir, error=ending)
        ending = None


_open_counts: dict[Path, int] = {}  # run folder -> `to_run` blocks open on it in this process
_open_lock = threading.Lock()
# Called with a run's folder when this process first opens it; each must not raise
# (runwatch.params records its merged params in the first run opened after it).
OPEN_HOOKS: list = []


def _opening(run_dir: Path) -> None:
    """The process's first `to_run` on a run clears its `_finished` and records the process."""
    with _open_lock:
        _open_counts[run_dir] = _open_counts.get(run_dir, 0) + 1
        if _open_counts[run_dir] == 1:
            try:
                info.clear_finished(run_dir)
            except (OSError, BadInfo) as error:  # RunSession reports a broken run itself
                log.debug("could not clear %s's _finished: %s", run_dir, error)
            RECORDER.opened(run_dir)
            for hook in OPEN_HOOKS:
                hook(run_dir)


def _closing(run_dir: Path, finished: bool = True, error: BaseException | None = None) -> None:
    """The process's last `to_run` on a run records `_finished`, after the final flush,
    and how the process left the run (`error`: what ended the block, if anything)."""
    with _open_lock:
        _open_counts[run_dir] -= 1
        if _open_counts[run_dir]:
            return
        del _open_counts[run_dir]
        RECORDER.closed(run_dir, error)
        if not finished:
            return
        try:
            info.mark_finished(run_dir)
        except (OSError, BadInfo) as problem:  # the run was deleted or broken underneath
            log.debug("could not mark %s finished: %s", run_dir, problem)


def _activate(session: RunSession) -> None:
    root = logging.getLogger()
    with _active_lock:
        if not _active:
            _saved_root_level[:] = [root.level]
            if root.level > logging.INFO:
                root.setLevel(logging.INFO)  # else INFO records never reach the run's log
        _active.append(session)
        _epoch[0] += 1
        root.addHandler(session.log_handler)


def _deactivate(session: RunSession) -> None:
    root = logging.getLogger()
    with _active_lock:
        root.removeHandler(session.log_handler)
        _active.remove(session)
        _epoch[0] += 1
        if not _active and _saved_root_level:
            root.setLevel(_saved_root_level.pop())


def _log_trace(session: RunSession) -> None:
    trace = log.makeRecord(
        log.name, logging.ERROR, __file__, 0, "Trace:\n%s", (traceback.format_exc(),), None
    )
    session.log_handler.handle(trace)


def _after_fork_in_child() -> None:
    global _active_lock, _open_lock
    _active_lock = threading.Lock()
    _open_lock = threading.Lock()
    FLUSHER.reset_after_fork()
    for session in _active:
        session.forget_after_fork()
    _route.by_session = None  # the forking thread is the child's only thread
    _epoch[0] += 1


os.register_at_fork(after_in_child=_after_fork_in_child)
