"""The widgets' Python API: `runwatch.monitor(run)`, `runwatch.review(runs)` and
`runwatch.view(runs)` resolve in the kernel and emit a bundle.

The frontend renders the bundle's `application/vnd.runwatch.v1+json` part as a
live widget that talks to the server; the kernel only resolves the run and
returns at once, so it is never blocked. The bundle's `text/plain` part is a
static snapshot that a notebook saved and reopened without runwatch still shows.
IPython is imported only when a bundle is displayed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .low_priority import at_lowest_priority, in_idle_process
from .store import latest, latest_rows, layout, safe_read, summary
from .store.errors import AmbiguousRun, BadNpr, RunNotFound
from .store.reading import resolve, resolve_many

MIME_TYPE = "application/vnd.runwatch.v1+json"
LOG_LINES = 10
LOG_TAIL_BYTES = 16 * 1024
MAX_LINE_CHARS = 300
PLOT_LIMIT = 20
GROUPED_LIMIT = 200  # runs in one grouped request (server/lod/request.py MAX_RUNS)
RULE_S = latest.DEFAULT_RULE_S  # the text snapshots show the monitor's default rule


def monitor(run: int | str = -1) -> None:
    """Show a live monitor of `run` (an index, a name or a glob matching one run)."""
    show_widget("monitor", run)


def review(
    runs: int | str | list | tuple = -1,
    limit: int = PLOT_LIMIT,
    group: str | list | tuple | None = None,
    x: str | None = None,
    split: str | None = None,
) -> None:
    """Plot every stat of `runs` (an index, a name, a glob, a filter, or a list): a snapshot.

    Several runs are overlaid per channel, each in its own colour, above a table of
    the params that differ. A glob matching more than `limit` runs draws nothing and
    says so: narrow it or raise `limit`. `group` draws one line per group of runs
    (mean or median, with a band): `"auto"` groups by every differing param but the
    seed, a param name or a list of them by those, `"none"` never; by default the runs
    are grouped when they are seeds of a sweep (docs/plots.md, "Grouped comparison").
    `x` plots against a channel (a step or counter, e.g. `"step"`) instead of time;
    runs without it are left out and named (docs/plots.md, "x by step"). `split`
    draws one column of plots per value of that param.
    """
    show_plots("review", runs, limit, group, x=x, split=split)


def view(
    runs: int | str | list | tuple = -1, limit: int = PLOT_LIMIT, x: str | None = None
) -> None:
    """Like `review`, but the plots follow the runs live; returns at once. A live view
    draws against time only: `x` opens it there, with the x control saying so."""
    show_plots("view", runs, limit, x=x)


def group_spec(group: str | list | tuple | None) -> str | list[str] | None:
    """`--group`'s value as the bundle carries it: `auto`, `none` or param names."""
    if group is None:
        return None
    if isinstance(group, str):
        if group in ("auto", "none"):
            return group
        group = group.split(",")
    keys = [str(k).strip() for k in group if str(k).strip()]
    if not keys:
        raise ValueError("group: give auto, none, or param names (lr or lr,batch)")
    return keys


def show_plots(
    widget: str,
    query: int | str | list | tuple,
    limit: int = PLOT_LIMIT,
    group: str | list | tuple | None = None,
    x: str | None = None,
    split: str | None = None,
) -> None:
    """Display the `review` or `view` plots of every run `query` resolves to.

    An unknown run, or more than `limit` matches, prints why instead of raising into
    the cell (the kernel is never blocked either way).
    """
    root = layout.store_root()
    try:
        names = resolve_many(query, root)
    except RunNotFound as error:
        print(f"runwatch: {error}", file=sys.stderr)
        return
    if group not in (None, "none") and limit == PLOT_LIMIT:
        # Grouped, the grid draws a line per group, not per run: the server's
        # bound on a group's runs is the one that matters.
        limit = GROUPED_LIMIT
    if len(names) > limit:
        print(
            f"runwatch: {query_text(query)!r} matches {len(names)} runs, more than the "
            f"limit of {limit} for one plot grid. Narrow the glob, or raise the limit: "
            f"%{widget} --limit {len(names)} ... or runwatch.{widget}(..., limit={len(names)}).",
            file=sys.stderr,
        )
        return
    from IPython.display import display

    spec = {"widget": widget, "runs": names, "query": query_text(query), "root": str(root)}
    try:
        grouping = group_spec(group)
    except ValueError as error:
        print(f"runwatch: {error}", file=sys.stderr)
        return
    if grouping is not None:
        spec["group"] = grouping
    if x is not None and str(x).strip() not in ("", "time"):
        spec["x"] = str(x).strip()
    if split:
        spec["split"] = str(split)
    if not in_kernel():
        display({MIME_TYPE: spec, "text/plain": plots_snapshot(widget, root, names)}, raw=True)
        return
    # The text table reads every channel's last rows (0.4-0.5 s of CPU for 20 runs x 60
    # channels): the plots go out first, and the table follows into the same output,
    # computed at the lowest priority while the page draws. Several runs' in a child
    # process (low_priority.py); one run's (about 30 ms) costs less than starting one.
    title = plots_title(widget, names)
    handle = display({MIME_TYPE: spec, "text/plain": title}, raw=True, display_id=True)
    lowest = in_idle_process if len(names) > 1 else at_lowest_priority
    text = lowest(plots_snapshot, widget, str(root), names)
    handle.update({MIME_TYPE: spec, "text/plain": text}, raw=True)


def in_kernel() -> bool:
    """Whether a Jupyter kernel (whose frontend can update an output) runs this; not
    in a terminal IPython, where an update would print the text again."""
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


def plots_title(widget: str, runs: list[str]) -> str:
    """The first line of the plots' text: the widget and its run, or how many."""
    return f"runwatch {widget}: " + (runs[0] if len(runs) == 1 else f"{len(runs)} runs")


def show_table(query: str | None, text: str) -> None:
    """Display the runs table of `query` (every run if None); `text` is its snapshot."""
    from IPython.display import display

    root = layout.store_root()
    spec = {"widget": "table", "query": query or "", "root": str(root)}
    display({MIME_TYPE: spec, "text/plain": text}, raw=True)


def query_text(query: int | str | list | tuple) -> str:
    if isinstance(query, (list, tuple)):
        return " ".join(str(q) for q in query)
    return str(query)


def plots_snapshot(widget: str, root: Path | str, runs: list[str]) -> str:
    """A compact table of each channel's latest value per run: the plots' static
    fallback where no browser drew them (the frontend adds an `image/png` too)."""
    root = Path(root)
    newest: dict[str, dict[str, str]] = {}
    now_ns = time.time_ns()
    real_root = os.path.realpath(root)
    for run in runs:
        run_dir = root / run
        try:
            scan, info, _ = summary.inspect_run(run_dir, real_root)
            entries = summary.file_entries(run_dir, info, scan)
        except OSError:
            continue
        for channel, value in channel_values(run_dir, info, entries, now_ns, real_root):
            newest.setdefault(channel, {})[run] = newest_value(value)
    title = plots_title(widget, runs)
    if not newest:
        return f"{title}\n  (no stats yet)"
    header = ["channel", *(short_run_name(run) for run in runs)]
    rows = [
        [channel, *(values.get(run, "") for run in runs)]
        for channel, values in sorted(newest.items())
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]
    ]
    return "\n".join([title, *lines])


def short_run_name(run: str) -> str:
    """The run's name without its date stamp (`neat-river lr-sweep`), as table headers use."""
    parts = run.split(" ", 2)
    stamped = len(parts) == 3 and parts[0][:4].isdigit() and parts[1][:2].isdigit()
    return parts[2] if stamped else run


def show_widget(widget: str, query: int | str) -> None:
    """Display `widget` for the run `query` resolves to; an unknown or ambiguous run
    prints the error (with the candidates) instead of raising into the cell."""
    root = layout.store_root()
    try:
        name = resolve(query, root)
    except (RunNotFound, AmbiguousRun) as error:
        print(f"runwatch: {error}", file=sys.stderr)
        return
    from IPython.display import display

    spec = {"widget": widget, "run": name, "query": str(query), "root": str(root)}
    display({MIME_TYPE: spec, "text/plain": text_snapshot(root, name)}, raw=True)


def text_snapshot(root: Path, run: str) -> str:
    """The run's name and status, each log's last lines, each channel's latest values."""
    run_dir, real_root = root / run, os.path.realpath(root)
    try:
        scan, info, error = summary.inspect_run(run_dir, real_root)
    except OSError as problem:
        return f"runwatch monitor: {run} (unreadable: {problem})"
    now_ms = time.time_ns() // 10**6
    status = summary.run_lifecycle(info, scan, now_ms)
    reason = f" ({status.reason})" if status.reason else ""
    lines = [f"runwatch monitor: {run} [{status.status}]{reason}" + (f" {error}" if error else "")]
    entries = summary.file_entries(run_dir, info, scan)
    for entry in entries:
        if entry["type"] == "log" and not entry["error"]:
            writer = entry["writer"] or {}
            lines.append(f"--- {entry['name']} (pid {writer.get('_process_id', '?')})")
            lines.extend(f"  {line}" for line in log_tail(run_dir / entry["name"]))
    stats = channel_values(run_dir, info, entries, now_ms * 10**6, real_root)
    if stats:
        lines.append(f"--- latest values ({RULE_S}s buckets)")
        width = max(len(channel) for channel, _ in stats)
        lines.extend(
            f"  {channel.ljust(width)}  {monitor_value(value)}" for channel, value in stats
        )
    return "\n".join(lines)


def log_tail(path: Path, count: int = LOG_LINES) -> list[str]:
    """The last `count` lines, reading only the file's tail; bad UTF-8 replaced, long lines cut.

    Only a regular file is opened (safe_read): a FIFO swapped in can't hang the kernel.
    """
    try:
        fd = safe_read.open_regular(path)
    except OSError as error:
        return [f"(unreadable: {error.strerror or error})"]
    raw, _ = safe_read.tail_lines(fd, LOG_TAIL_BYTES)
    lines = b"\n".join(raw).decode("utf-8", "replace").splitlines()
    return [
        line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + "…"
        for line in lines[-count:]
    ]


def channel_values(
    run_dir: Path, info: dict | None, entries: list[dict], now_ns: int, real_root: str
):
    """(channel, its latest texts at the monitor's default rule, or why it has none) for
    every channel the monitor shows; silent ones and ones without rows are left out."""
    created_ns = summary.created_ms(info) * 10**6 if summary.created_ms(info) is not None else 0
    now_s = (now_ns - created_ns) / 1e9
    channels: dict[str, list[dict]] = {}
    for entry in entries:
        if entry["type"] == "stats":
            channels.setdefault(entry["channel"] or entry["name"], []).append(entry)
    values: list[tuple[str, latest.LatestText | str]] = []
    for channel, group in channels.items():
        errors = [entry["error"] for entry in group if entry["error"]]
        kind = group[0]["kind"]
        if errors:
            values.append((channel, f"(unreadable: {errors[0]})"))
            continue
        paths = [run_dir / entry["name"] for entry in group]
        try:
            rows = latest_rows.read_latest_rows(paths, kind, created_ns, RULE_S, now_s, real_root)
            text = latest.latest_text(kind, rows, RULE_S, now_s)
        except latest_rows.TooManyRows as error:
            values.append((channel, f"(not in this text: {error})"))
            continue
        except (BadNpr, OSError, ValueError) as error:
            values.append((channel, f"(unreadable: {error})"))
            continue
        if text is not None and (text.complete or text.partial):
            values.append((channel, text))
    return values


def newest_value(value: latest.LatestText | str) -> str:
    """One cell: the still-filling bucket's value, else the last complete one."""
    return value if isinstance(value, str) else value.partial or value.complete


def monitor_value(value: latest.LatestText | str) -> str:
    """As the monitor's stats tree shows it: `0.25  0.24 (partial)`."""
    if isinstance(value, str):
        return value
    partial = f"{value.partial} (partial)" if value.partial else ""
    return "  ".join(text for text in (value.complete, partial) if text)
