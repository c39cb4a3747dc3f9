"""The job's side of steering: `runwatch.steerable(...)` and `p.update()` in the training loop.

    p = runwatch.steerable(lr=3e-4, ent_coef=0.01, bounds={"lr": (1e-6, 1e-2)})
    for step in range(n):
        p.update()               # applies pending requests; ~1 µs when there are none
        if p.should_stop: break
        train(lr=p.lr)

The declaration (keys, types, bounds, current values) is `_steer.json`, replaced
atomically. `update()` looks for request files at most every `check_every_s`,
and then only if the run folder changed (one `os.stat`), with a full look every
FULL_LOOK_S in case the folder's mtime was too coarse to show a change. Each
request is checked again here, applied whole or rejected whole, answered in the
audit log `_steer.log.jsonl`, and removed; an applied value is also written as a
`last` stat `steer.<key>`. Stdlib only.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

from .. import stats
from ..store import layout, npr, safe_read, session
from ..store.errors import StoreError
from .declaration import (
    DECLARATION_FILE,
    LOG_FILE,
    MAX_REQUEST_BYTES,
    REQUEST_FILE,
    SteerRefused,
    check_request,
    key_spec,
)

CHECK_EVERY_S = 0.05
FULL_LOOK_S = 1.0  # look even if the folder's mtime is unchanged (coarse or cached mtimes)
RECENT_NS = 100 * 10**6  # a folder changed this recently may change again in the same tick
STEP_CHANNEL = "step"
_NO_CHANGES: dict = {}

log = logging.getLogger("runwatch")


def _now_text() -> str:
    return layout.format_created(time.time_ns())


class Steerable:
    """Steerable params of the run open when it was made; read them as attributes."""

    def __init__(self, run_dir: Path, values: dict, bounds: dict, check_every_s: float):
        unknown = set(bounds) - set(values)
        if unknown:
            raise KeyError(f"bounds for undeclared keys: {', '.join(sorted(unknown))}")
        for key in values:
            if not key.isidentifier() or key.startswith("_"):
                raise ValueError(f"steerable key {key!r} must be an identifier, not _private")
            if hasattr(Steerable, key):
                raise ValueError(f"steerable key {key!r} would hide Steerable.{key}: rename it")
        specs = {key: key_spec(key, value, bounds.get(key)) for key, value in values.items()}
        values = {
            key: (float(v) if specs[key]["type"] == "float" else v) for key, v in values.items()
        }
        self.__dict__.update(values)  # attribute reads cost nothing extra
        object.__setattr__(self, "_state", _State(run_dir, specs, values, check_every_s))
        self._state.write_declaration()
        for key, value in values.items():
            _record_stat(key, value)

    def update(self, step: int | None = None) -> dict:
        """Apply the requests that arrived since the last call; returns {key: new value}.

        `step` is recorded with each answer; if None, the run's last `step` stat is.
        """
        state = self._state
        now = time.monotonic()
        if now < state.next_check:
            return _NO_CHANGES
        state.next_check = now + state.check_every_s
        try:
            mtime = os.stat(state.run_dir).st_mtime_ns
        except OSError:
            return _NO_CHANGES  # the run was deleted: nothing will come
        if mtime == state.seen_mtime and now < state.next_full_look:
            return _NO_CHANGES
        return self._look(mtime, now, step)

    @property
    def should_stop(self) -> bool:
        """True once a stop request was applied: end the loop, and the run, cleanly."""
        return self._state.stop_requested

    def values(self) -> dict:
        return dict(self._state.values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("steerable values change through requests (runwatch.steer)")

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._state.values.items())
        return f"Steerable({shown})"

    def _look(self, mtime: int, now: float, step: int | None) -> dict:
        state = self._state
        # A folder changed within the timestamps' granularity may change again unseen.
        state.seen_mtime = None if time.time_ns() - mtime < RECENT_NS else mtime
        state.next_full_look = now + FULL_LOOK_S
        with state.lock:
            try:
                with os.scandir(state.run_dir) as entries:
                    names = sorted(e.name for e in entries if REQUEST_FILE.fullmatch(e.name))
            except OSError:
                return _NO_CHANGES
            applied: dict = {}
            for name in names:
                applied.update(self._answer(name, step))
            if names:
                state.write_declaration()
        if applied:
            self.__dict__.update(applied)
        return applied

    def _answer(self, name: str, step: int | None) -> dict:
        """Apply or reject one request file, log the answer, remove the file."""
        state = self._state
        request_id = REQUEST_FILE.fullmatch(name)["id"]
        path = state.run_dir / name
        changes, stop, source = {}, False, None
        try:
            request = json.loads(
                safe_read.read_regular(path, MAX_REQUEST_BYTES, follow_symlinks=False)
            )
            if not isinstance(request, dict):
                raise SteerRefused(400, "unreadable request: not a JSON object")
            source = request.get("source")
            stop = request.get("stop", False)
            changes = request.get("changes") or {}
            checked = check_request(state.specs, changes, stop)
            reason = None
        except FileNotFoundError:
            return {}  # answered meanwhile by another thread's update()
        except SteerRefused as refused:
            checked, reason = None, refused.message
        except (OSError, ValueError, RecursionError) as error:
            checked, reason = None, f"unreadable request: {str(error)[:200]}"
        step = _last_step(state.run_dir) if step is None else step
        entries = []
        base = {"id": request_id, "time": _now_text(), "step": step, "source": source}
        keys = list(changes) if isinstance(changes, dict) else []
        applied = checked is not None
        answer = {"status": "applied" if applied else "rejected", "reason": reason}
        for key in keys:
            new = checked[key] if applied else changes[key]
            entries.append({**base, "key": key, "old": state.values.get(key), "new": new, **answer})
        if stop is True or not keys:
            entries.append({**base, "key": None, "stop": stop is True, **answer})
        if checked is not None:
            state.values.update(checked)
            for key, value in checked.items():
                _record_stat(key, value)
            if stop:
                state.stop_requested = True
        else:
            log.warning("steer request %s rejected: %s", request_id, reason)
        state.append_log(entries)
        try:
            os.unlink(path)
        except OSError as error:
            log.warning("could not remove the answered steer request %s: %s", name, error)
        return checked or {}


class _State:
    """What a Steerable keeps besides its values (kept off its attribute namespace)."""

    def __init__(self, run_dir: Path, specs: dict, values: dict, check_every_s: float):
        self.run_dir = run_dir
        self.specs = specs
        self.values = dict(values)
        self.initial = dict(values)
        self.check_every_s = check_every_s
        self.next_check = 0.0
        self.next_full_look = 0.0
        self.seen_mtime: int | None = None
        self.stop_requested = False
        self.declared = _now_text()
        self.lock = threading.Lock()

    def write_declaration(self) -> None:
        declaration = {
            "keys": self.specs,
            "values": self.values,
            "initial": self.initial,
            "stop_requested": self.stop_requested,
            "pid": os.getpid(),
            "declared": self.declared,
            "updated": _now_text(),
        }
        temp = self.run_dir / f"{DECLARATION_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            temp.write_text(json.dumps(declaration, ensure_ascii=False))
            os.replace(temp, self.run_dir / DECLARATION_FILE)
        except OSError as error:  # a full disk must not stop training
            temp.unlink(missing_ok=True)
            log.warning("could not write %s: %s", DECLARATION_FILE, error)

    def append_log(self, entries: list[dict]) -> None:
        """One write per entry, on an O_APPEND file: lines never interleave."""
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(self.run_dir / LOG_FILE, flags, 0o644)
        except OSError as error:
            log.warning("could not answer steer requests in %s: %s", LOG_FILE, error)
            return
        try:
            for entry in entries:
                os.write(fd, (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode())
        except OSError as error:
            log.warning("could not answer steer requests in %s: %s", LOG_FILE, error)
        finally:
            os.close(fd)


def _record_stat(key: str, value: object) -> None:
    if type(value) in (int, float, bool):
        stats.last(f"steer.{key}", float(value))


def _last_step(run_dir: Path) -> int | float | None:
    """The run's last `step` stat on disk (a flush, ~50 ms, behind the loop at most)."""
    last, last_time = None, -1
    try:
        names = [e.name for e in os.scandir(run_dir)]
    except OSError:
        return None
    for name in names:
        match = layout.STATS_FILE.fullmatch(name)
        if not match or match["channel"] != STEP_CHANNEL:
            continue
        try:
            row = npr.last_row(run_dir / name)
        except (OSError, ValueError, StoreError):
            continue
        if row and row[npr.TIME_FIELD] > last_time:
            last_time = row[npr.TIME_FIELD]
            last = next((v for k, v in row.items() if k != npr.TIME_FIELD), None)
    if isinstance(last, float) and last.is_integer():
        return int(last)
    return last


def steerable(
    bounds: dict | None = None, check_every_s: float = CHECK_EVERY_S, **values: object
) -> Steerable:
    """Declare the params that may change while the run trains, with their initial values
    (whose types they keep) and optional `bounds` {key: (low, high)}. Call inside `to_run`."""
    current = session.current_session()
    if current is None:
        raise RuntimeError(
            "runwatch.steerable needs a run: call it inside `with runwatch.to_run(run):`"
        )
    if not values:
        raise ValueError("declare at least one steerable value: steerable(lr=3e-4)")
    return Steerable(current.run_dir, values, bounds or {}, check_every_s)
