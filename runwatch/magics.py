"""IPython magics: `%runs [run]`, `%monitor [run]`, `%review [--limit N] [run]` and `%view`.

`%load_ext runwatch` (run by the start-up code) calls `register_magics`. This is
the only module that imports IPython, so `import runwatch` stays cheap.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from .query import is_filter
from .store import layout, summary
from .store.errors import RunNotFound, StoreError
from .store.reading import resolve_many
from .store.resolve import runs as ordered_runs
from .widgets import PLOT_LIMIT, show_plots, show_table, show_widget

DESCRIPTION_CHARS = 60
GROUP_HELP = (
    "one line per group of runs, with a band: auto (every differing param but the seed), "
    "none, or param names (lr or lr,batch); default: grouped when the runs are seeds of a sweep"
)
X_HELP = (
    "plot against this channel (a step or counter: a last or cumsum channel, e.g. step) "
    "instead of the time since the run started; runs without it are left out and named"
)
LIMIT_HELP = f"draw nothing if more than N runs match (default {PLOT_LIMIT})"
RUN_HELP = (
    "an index (-1 is the newest), a run's exact name, a glob (*, ?, [seq]) or a word found in "
    "the name; a name's words may go unquoted; put -- before a word that starts with -"
)


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"needs a positive integer, got {text!r}")
    return int(text)


def parse_line(magic, line: str) -> argparse.Namespace:
    """`line` parsed by `magic`'s `magic_arguments` parser.

    Quotes group words as in a shell; a line with an unbalanced quote (`bob's-run`) is
    split on spaces, as typed. `-1` is a run, not an option: argparse takes a negative
    number as a positional while no option looks like one; other words that start with
    `-` go after `--`. Raises UsageError.
    """
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    args = magic.parser.parse_args(words)
    run = getattr(args, "run", None)
    if run and is_filter(" ".join(run)):
        # A filter's string literals keep their quotes (`status == "finished"`):
        # the same words again, split without taking quotes off.
        try:
            kept = magic.parser.parse_args(shlex.split(line, posix=False)).run
        except (ValueError, UsageError):
            kept = None
        if kept and len(kept) == len(run):
            args.run = kept
    return args


def joined_query(words: list[str], default: str | None = "-1") -> str | None:
    """The positional words as one query: a name's words may go unquoted."""
    return " ".join(words) or default


def usage(magic) -> str:
    """`usage: %name ...`: the parser's usage line without IPython's reST prefix."""
    return "usage: %" + magic.parser.format_usage().strip().removeprefix("::").strip().lstrip("%")


def parse_plot_args(line: str) -> tuple[str, int]:
    """`%review`'s and `%view`'s `[--limit N] [run ...]` → (query, limit); raises UsageError."""
    args = parse_line(RunwatchMagics.review, line)
    return joined_query(args.run), args.limit


def age(ms: int | None, now_ms: int) -> str:
    if ms is None:
        return "?"
    seconds = max(0, (now_ms - ms) // 1000)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def status_text(state, now_ms: int) -> tuple[str, str]:
    """(status, reason) for the table; a running or stalled run's reason says how long ago
    it last beat."""
    reason = state.reason or ""
    if state.status in ("running", "stalled") and state.last_beat_ms is not None:
        reason += f"; last heartbeat {age(state.last_beat_ms, now_ms)} ago"
    return state.status, reason


def runs_table(query: str | None = None) -> str:
    """Every run (or those `query` matches, as `runwatch.resolve_many`), newest first:
    name, age, status, its reason, description."""
    root = layout.store_root()
    try:
        names = list(reversed(ordered_runs(root) if query is None else resolve_many(query, root)))
    except RunNotFound:
        names = []
    if not names:
        return f"No runs{f' matching {query!r}' if query else ''} in {root}"
    now_ms = time.time_ns() // 10**6
    real_root = os.path.realpath(root)
    rows = []
    for name in names:
        try:
            scan, info, error = summary.inspect_run(root / name, real_root)
        except OSError:
            continue  # deleted meanwhile
        row = summary.run_summary(name, info, error, scan, now_ms)
        status, reason = status_text(summary.run_lifecycle(info, scan, now_ms), now_ms)
        description = row["description"] or row["error"] or ""
        if len(description) > DESCRIPTION_CHARS:
            description = description[: DESCRIPTION_CHARS - 1] + "…"
        rows.append((name, age(row["created_ms"], now_ms), status, reason, description))
    header = ("run", "age", "status", "reason", "description")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(r[:4], widths)), r[4]]).rstrip()
        for r in [header, *rows]
    ]
    return "\n".join(lines)


@magics_class
class RunwatchMagics(Magics):
    @magic_arguments()
    @argument("run", nargs="*", help=RUN_HELP + "; none lists every run")
    @line_magic
    def runs(self, line: str) -> None:
        """The store's runs (or those a query matches), newest first: the runs table
        (sort, filter, select to compare), and the same as text where it can't show."""
        args = self._parse(RunwatchMagics.runs, line)
        if args is None:
            return
        query = joined_query(args.run, None)
        try:
            text = runs_table(query)
        except StoreError as error:  # a filter that can't be read says why, no traceback
            print(f"runwatch: %runs: {error}", file=sys.stderr)
            return
        show_table(query, text)

    @magic_arguments()
    @argument("run", nargs="*", help=RUN_HELP + " (one run); default -1")
    @line_magic
    def monitor(self, line: str) -> None:
        """A live monitor of a run: its log tails and latest stats. Returns at once."""
        args = self._parse(RunwatchMagics.monitor, line)
        if args is not None:
            show_widget("monitor", joined_query(args.run))

    @magic_arguments()
    @argument("--limit", type=positive_int, default=PLOT_LIMIT, metavar="N", help=LIMIT_HELP)
    @argument("--group", metavar="KEYS", help=GROUP_HELP)
    @argument("--split", metavar="PARAM", help="one column of plots per value of PARAM")
    @argument("--x", metavar="CHANNEL", help=X_HELP)
    @argument("run", nargs="*", help=RUN_HELP + "; default -1")
    @line_magic
    def review(self, line: str) -> None:
        """Plots of every stat of the runs, a snapshot; several runs are overlaid."""
        self._plots(RunwatchMagics.review, line)

    @magic_arguments()
    @argument("--limit", type=positive_int, default=PLOT_LIMIT, metavar="N", help=LIMIT_HELP)
    @argument("--x", metavar="CHANNEL", help=X_HELP)
    @argument("run", nargs="*", help=RUN_HELP + "; default -1")
    @line_magic
    def view(self, line: str) -> None:
        """Live plots of every stat of the runs; several runs are overlaid. Returns at once."""
        self._plots(RunwatchMagics.view, line)

    @magic_arguments()
    @argument("name", nargs="?", help="a sweep's name; none lists every sweep")
    @line_magic
    def sweep(self, line: str) -> None:
        """A sweep launched by runwatch.launch: one row per variant (status, run, metrics)."""
        args = self._parse(RunwatchMagics.sweep, line)
        if args is not None:
            from .sweeps.sweep_magic import show

            show(args.name)

    def _plots(self, magic, line: str) -> None:
        args = self._parse(magic, line)
        if args is not None:
            group, split = getattr(args, "group", None), getattr(args, "split", None)
            show_plots(
                magic.__name__, joined_query(args.run), args.limit, group, x=args.x, split=split
            )

    @staticmethod
    def _parse(magic, line: str) -> argparse.Namespace | None:
        """The parsed line, or None after printing why and the usage to stderr
        (a usage error shows no traceback and displays nothing)."""
        try:
            return parse_line(magic, line)
        except UsageError as error:
            print(f"runwatch: %{magic.__name__}: {error}\n{usage(magic)}", file=sys.stderr)
            return None


def register_magics(ipython) -> None:
    """Register runwatch's magics with `ipython`."""
    ipython.register_magics(RunwatchMagics)
