"""The widgets' Python API: `runwatch.monitor(run)` resolves in the kernel and emits a bundle.

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

from .store import kinds, layout, npr, summary
from .store.errors import AmbiguousRun, BadNpr, RunNotFound
from .store.reading import resolve

MIME_TYPE = "application/vnd.runwatch.v1+json"
LOG_LINES = 10
LOG_TAIL_BYTES = 16 * 1024
MAX_LINE_CHARS = 300


def monitor(run: int | str = -1) -> None:
    """Show a live monitor of `run` (an index, a name or a glob matching one run)."""
    show_widget("monitor", run)


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
    """The run's name and status, each log's last lines, each channel's latest row."""
    run_dir = root / run
    try:
        scan, info, error = summary.inspect_run(run_dir, os.path.realpath(root))
    except OSError as problem:
        return f"runwatch monitor: {run} (unreadable: {problem})"
    now_ms = time.time_ns() // 10**6
    status = summary.run_status(info, scan.last_write_ms, now_ms, summary.STALE_AFTER_S)
    lines = [f"runwatch monitor: {run} [{status}]" + (f" {error}" if error else "")]
    entries = summary.file_entries(run_dir, info, scan)
    for entry in entries:
        if entry["type"] == "log" and not entry["error"]:
            writer = entry["writer"] or {}
            lines.append(f"--- {entry['name']} (pid {writer.get('_process_id', '?')})")
            lines.extend(f"  {line}" for line in log_tail(run_dir / entry["name"]))
    stats = [latest_value(run_dir, entry) for entry in entries if entry["type"] == "stats"]
    stats = [(channel, value) for channel, value in stats if value is not None]
    if stats:
        lines.append("--- latest values")
        width = max(len(channel) for channel, _ in stats)
        lines.extend(f"  {channel.ljust(width)}  {value}" for channel, value in stats)
    return "\n".join(lines)


def log_tail(path: Path, count: int = LOG_LINES) -> list[str]:
    """The last `count` lines, reading only the file's tail; bad UTF-8 replaced, long lines cut."""
    with open(path, "rb") as file:
        size = file.seek(0, os.SEEK_END)
        start = max(0, size - LOG_TAIL_BYTES)
        file.seek(start)
        data = file.read(size - start)
    lines = data.decode("utf-8", "replace").splitlines()
    if start > 0 and lines:
        lines = lines[1:]  # the first line is cut
    return [
        line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + "…"
        for line in lines[-count:]
    ]


def _number(value: float, style: str = "simple") -> str:
    if style == "percent":
        return f"{100 * value:.6g}%"
    return f"{value:.6g}"


def _ratio(top: float, bottom: float) -> float:
    try:
        return top / bottom
    except ZeroDivisionError:
        return float("nan") if top == 0 else float("inf") * (1 if top > 0 else -1)


def format_row(kind_name: str | None, row: dict) -> str | None:
    """One channel's latest row as the monitor would show its value; None if hidden.

    Kinds whose value needs a whole bucket (rates, sums) show the raw row instead.
    """
    kind = kinds.BY_NAME.get(kind_name or "")
    fields = {k: v for k, v in row.items() if k != npr.TIME_FIELD}
    if kind is None:
        return " ".join(f"{k}={_number(v)}" for k, v in fields.items())
    if kind.silent:
        return None
    if kind.name in ("mean", "mean_percent"):
        return _number(_ratio(fields["total"], fields["count"]), kind.format)
    if kind.name in ("last", "max", "max_percent", "timeaverage"):
        return _number(fields["x"], kind.format)
    if kind.name == "mean_std":
        return f"{_number(fields['μ'])}±{_number(2 * fields['σ'])}"
    if kind.name == "quantiles":
        values = [v for k, v in sorted(fields.items(), key=lambda kv: int(kv[0].split(".")[1]))]
        low, high = round(0.25 * (len(values) - 1)), round(0.75 * (len(values) - 1))
        return f"{_number(values[low])}–{_number(values[high])}"
    return "last row: " + " ".join(f"{k}={_number(v)}" for k, v in fields.items())


def latest_value(run_dir: Path, entry: dict) -> tuple[str, str | None]:
    channel = entry["channel"] or entry["name"]
    if entry["error"]:
        return channel, f"(unreadable: {entry['error']})"
    try:
        row = npr.last_row(run_dir / entry["name"])
    except (BadNpr, OSError) as error:
        return channel, f"(unreadable: {error})"
    if row is None:
        return channel, None
    try:
        return channel, format_row(entry["kind"], row)
    except (KeyError, ValueError, IndexError):
        return channel, " ".join(f"{k}={v}" for k, v in row.items() if k != npr.TIME_FIELD)
