"""Where things live in a store, and how runs, files and times are named.

This module is the one place that knows the store's layout; see docs/run-store.md.
"""

from __future__ import annotations

import calendar
import os
import re
from datetime import datetime, timezone
from pathlib import Path

ROOT_ENV = "RUNWATCH_ROOT"
DEFAULT_ROOT = "output/pavlov"  # pavlov's own default, so existing stores just work

INFO_FILE = "_info.json"
LOCK_FILE = "_lock"
LOG_PATTERN = "logs.{n}.txt"

# 'YYYY-MM-DD HH-MM-SS ' in UTC: sorting names sorts runs by creation second.
RUN_STAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d)-(\d\d)-(\d\d)(?= |$)")
RUN_STAMP_FORMAT = "%Y-%m-%d %H-%M-%S"

# What the runwatch writer accepts; readers also accept pavlov's looser `[\w.-]+`.
CHANNEL = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")
STATS_FILE = re.compile(r"stats\.(?P<channel>[\w.-]+)\.(?P<n>\d+)\.npr")
LOG_FILE = re.compile(r"logs\.(?P<n>\d+)\.txt")
FINISHED_FIELD = "_finished"  # (runwatch) set when the last writer's `to_run` exits
# (runwatch) run lifecycle evidence, one pair per writing process (docs/run-store.md)
PROCESS_FILE = re.compile(r"_process\.(?P<key>[\w-]+)\.json")
HEARTBEAT_PREFIX = "_heartbeat."


def process_file_name(key: str) -> str:
    return f"_process.{key}.json"


def heartbeat_file_name(key: str) -> str:
    return f"{HEARTBEAT_PREFIX}{key}"


_CREATED = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?"
    r"(Z|[+-]\d\d:?\d\d)?"
)


def store_root() -> Path:
    """The store root: `$RUNWATCH_ROOT` if set, else `./output/pavlov`, made absolute."""
    root = os.environ.get(ROOT_ENV) or DEFAULT_ROOT
    return Path(os.path.abspath(os.path.expanduser(root)))


def run_path(run: str, root: Path | None = None) -> Path:
    return (root or store_root()) / run


def is_run_name(name: str) -> bool:
    """A run name is a single, non-hidden path component."""
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
        and not name.startswith(".")
    )


def is_within(real_path: str, real_root: str) -> bool:
    """Whether a resolved path is `real_root` or below it (both from `os.path.realpath`)."""
    return real_path == real_root or real_path.startswith(real_root.rstrip(os.sep) + os.sep)


def run_name(created_ns: int, words: str, suffix: str = "") -> str:
    stamp = datetime.fromtimestamp(created_ns // 10**9, timezone.utc).strftime(RUN_STAMP_FORMAT)
    return f"{stamp} {words} {suffix}".strip()


def run_stamp(name: str) -> str | None:
    """The 19-character UTC creation stamp a run name starts with, if any."""
    match = RUN_STAMP.match(name)
    return match.group(0) if match else None


def format_created(ns: int) -> str:
    """ISO 8601 UTC with offset, microsecond precision: pandas' `str(Timestamp)` form."""
    seconds, rest = divmod(ns, 10**9)
    moment = datetime.fromtimestamp(seconds, timezone.utc).replace(microsecond=rest // 1000)
    return str(moment)


def parse_created(text: str) -> int:
    """Nanoseconds since the epoch from an ISO 8601 time; no offset means UTC."""
    match = _CREATED.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not an ISO 8601 time: {text!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    seconds = calendar.timegm(
        (int(year), int(month), int(day), int(hour), int(minute), int(second))
    )
    ns = seconds * 10**9 + int((fraction or "").ljust(9, "0"))
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        ns -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60) * 10**9
    return ns


def store_file_type(name: str) -> tuple[str, str | None] | None:
    """('info' | 'log' | 'stats', channel or None) for a store file's name; None for anything else."""
    if name == INFO_FILE:
        return "info", None
    if LOG_FILE.fullmatch(name):
        return "log", None
    match = STATS_FILE.fullmatch(name)
    return ("stats", match["channel"]) if match else None


def stats_pattern(channel: str) -> str:
    return f"stats.{channel}.{{n}}.npr"


def split_channel(channel: str) -> tuple[str, str]:
    """(group, label): the part before the first dot, and the rest ('' if none)."""
    group, _, label = channel.partition(".")
    return group, label
