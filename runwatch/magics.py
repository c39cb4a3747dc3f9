"""IPython magics: `%runs [glob]`, `%monitor [run]`, `%review [runs]` and `%view [runs]`.

`%load_ext runwatch` (run by the start-up code) calls `register_magics`. This is
the only module that imports IPython, so `import runwatch` stays cheap.
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from fnmatch import fnmatchcase

from IPython.core.magic import Magics, line_magic, magics_class

from .store import layout, summary
from .store.resolve import runs as ordered_runs
from .widgets import PLOT_LIMIT, show_plots, show_widget

DESCRIPTION_CHARS = 60


def parse_query(line: str) -> str:
    """The magic's argument as typed, without surrounding quotes; `-1` when empty."""
    query = line.strip()
    if len(query) >= 2 and query[0] == query[-1] and query[0] in "'\"":
        query = query[1:-1]
    return query or "-1"


def parse_plot_args(line: str) -> tuple[str, int]:
    """`[--limit N] [run or glob]` → (query, limit); the query defaults to `-1`.

    Raises ValueError for a bad `--limit`.
    """
    try:
        words = shlex.split(line)
    except ValueError:  # an unbalanced quote: take the line as typed
        return parse_query(line), PLOT_LIMIT
    limit = PLOT_LIMIT
    rest: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--limit" or word.startswith("--limit="):
            value = word.partition("=")[2] if "=" in word else None
            if value is None:
                i += 1
                value = words[i] if i < len(words) else ""
            if not value.isdigit() or int(value) < 1:
                raise ValueError(f"--limit needs a positive integer, got {value!r}")
            limit = int(value)
        else:
            rest.append(word)
        i += 1
    return " ".join(rest) or "-1", limit


def age(ms: int | None, now_ms: int) -> str:
    if ms is None:
        return "?"
    seconds = max(0, (now_ms - ms) // 1000)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def runs_table(glob: str | None = None) -> str:
    """Every run (or those matching `glob`), newest first: name, age, status, description."""
    root = layout.store_root()
    names = [n for n in reversed(ordered_runs(root)) if glob is None or fnmatchcase(n, glob)]
    if not names:
        return f"No runs{f' matching {glob!r}' if glob else ''} in {root}"
    now_ms = time.time_ns() // 10**6
    real_root = os.path.realpath(root)
    rows = []
    for name in names:
        try:
            scan, info, error = summary.inspect_run(root / name, real_root)
        except OSError:
            continue  # deleted meanwhile
        row = summary.run_summary(name, info, error, scan, now_ms)
        description = row["description"] or row["error"] or ""
        if len(description) > DESCRIPTION_CHARS:
            description = description[: DESCRIPTION_CHARS - 1] + "…"
        rows.append((name, age(row["created_ms"], now_ms), row["status"], description))
    header = ("run", "age", "status", "description")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(r[:3], widths)), r[3]]).rstrip()
        for r in [header, *rows]
    ]
    return "\n".join(lines)


@magics_class
class RunwatchMagics(Magics):
    @line_magic
    def runs(self, line: str) -> None:
        """%runs [glob]: list the store's runs, newest first."""
        print(runs_table(parse_query(line) if line.strip() else None))

    @line_magic
    def monitor(self, line: str) -> None:
        """%monitor [run]: a live monitor of a run (default -1, the newest); returns at once."""
        show_widget("monitor", parse_query(line))

    @line_magic
    def review(self, line: str) -> None:
        """%review [--limit N] [run or glob]: plots of every stat of the runs (default -1)."""
        self._plots("review", line)

    @line_magic
    def view(self, line: str) -> None:
        """%view [--limit N] [run or glob]: live plots of the runs (default -1); returns at once."""
        self._plots("view", line)

    def _plots(self, widget: str, line: str) -> None:
        try:
            query, limit = parse_plot_args(line)
        except ValueError as error:
            print(f"runwatch: %{widget}: {error}", file=sys.stderr)
            return
        show_plots(widget, query, limit)


def register_magics(ipython) -> None:
    """Register runwatch's magics with `ipython`."""
    ipython.register_magics(RunwatchMagics)
