"""One channel's grouped frame over many runs (docs/server-api.md, "Grouped series").

Each run's values are its series at the rule, as `runs/<run>/series` serves it, and
come from the same SeriesCache (block summaries, buckets): at the raw rule on time, a
run's bins are read from its file's block summaries (run_bins.from_summary), so a
warm group reads only the blocks a bin edge cuts. A run whose channel fails is named
in `run_errors` and the group draws from the others.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack

import numpy as np

from . import group, run_bins, wire, xmap
from .rows import ChannelError, ChannelSpec, OpenFile, RunChannels

log = logging.getLogger(__name__)


def value_column(kind: str, names) -> str | None:
    """The column a run contributes: `value`; a mean_std's μ; the quantiles' median."""
    names = list(names)
    if "value" in names:
        return "value"
    if kind == "mean_std":
        return "mu" if "mu" in names else None
    if kind == "quantiles" and names:
        return "50" if "50" in names else names[len(names) // 2]
    return None


class SummarySource:
    """A channel of one time-sorted file at the raw rule: bins from its summaries."""

    def __init__(self, cache, run: RunChannels, opened: OpenFile, summary, column: str):
        self.cache, self.run, self.opened = cache, run, opened
        self.summary, self.column = summary, column
        self.rows = summary.rows

    def extent(self) -> tuple[float, float] | None:
        blocks = self.summary.blocks
        if blocks is None or self.rows == 0:
            return None
        return min(0.0, float(blocks.xf[0])), float(blocks.xl[-1])

    def bins(self, x0: float, x1: float, width: int) -> run_bins.RunBins:
        # Kept per grid while the file only grew: a changed center, band or members
        # (or another group sharing the run) bins nothing again.
        opened = self.opened
        key = ("group-bins", str(self.run.run_dir), opened.name, self.summary.kind)
        key += (self.run.created_ns, self.column, opened.stamp, x0, x1, width)
        found = self.cache.lru.get(key)
        if found is None:
            found = run_bins.from_summary(
                self.summary, self.column, opened, self.run.created_ns, x0, x1, width, self.cache
            )
            found = found or run_bins.from_points(np.empty(0), np.empty(0), x0, x1, width)
            self.cache.lru.put(key, found)
        return found


class PointSource:
    """A series in memory: buckets, a channel merged from several files, or x-mapped."""

    def __init__(self, series, column: str, rows: int, from_zero: bool):
        self.x, self.value = series.x, series.columns[column]
        self.band = series.band if column == "value" else None
        self.rows, self.from_zero = rows, from_zero

    def extent(self) -> tuple[float, float] | None:
        finite = np.flatnonzero(np.isfinite(self.x))
        if len(finite) == 0:
            return None
        first, last = float(self.x[finite[0]]), float(self.x[finite[-1]])
        return (min(0.0, first) if self.from_zero else first), last

    def bins(self, x0: float, x1: float, width: int) -> run_bins.RunBins:
        low, high = self.band if self.band is not None else (None, None)
        return run_bins.from_points(self.x, self.value, x0, x1, width, low, high)


def source(cache, stack: ExitStack, run: RunChannels, spec: ChannelSpec, rule, x_name):
    """The run's channel, ready to bin; ChannelError when it can't be."""
    if x_name is not None:
        mapped = xmap.load(cache, run, x_name)
        series, rows = xmap.mapped_series(cache, run, spec, rule, mapped)
        return PointSource(series, _column(spec, series.columns), rows, from_zero=False)
    if rule == "raw":
        files = []
        for name in spec.files:
            opened = OpenFile(cache.paths, run.run_dir, name)
            stack.callback(opened.close)
            if not opened.empty:
                files.append(opened)
        if len(files) == 1:
            summary = cache.summary(run, spec, files[0])
            if summary.sorted and summary.blocks is not None:
                column = _column(spec, summary.blocks.columns)
                return SummarySource(cache, run, files[0], summary, column)
    series, rows = cache.series(run, spec, rule)
    return PointSource(series, _column(spec, series.columns), rows, from_zero=True)


def _column(spec: ChannelSpec, names) -> str:
    column = value_column(spec.kind, names)
    if column is None:
        shown = ", ".join(names) or "none"
        raise ChannelError(f"{spec.name}: no single value per point to group (columns {shown})")
    return column


def _reason(spec: ChannelSpec, error: Exception) -> str:
    """As the series endpoint's error frames say it."""
    if isinstance(error, ChannelError):
        return str(error)
    if isinstance(error, OSError):
        where = error.filename.rsplit("/", 1)[-1] if error.filename else spec.name
        return f"{where}: {error.strerror or error}"
    return f"{spec.name}: the server failed ({type(error).__name__})"


def frame(
    cache,
    runs: list[tuple[str, RunChannels]],
    failed: dict[str, str],
    channel: str,
    rule,
    width: int,
    x_range: tuple[float, float] | None,
    center: str,
    band: str,
    x_name: str | None,
    members: list[str] | None = None,
) -> bytes:
    """The grouped frame of `channel` over `runs`; `failed` holds runs that could not
    be read at all (their reasons go to `run_errors`). With `members` (the request's
    run list), each contributing run's own values come too, as `run.<its index>`."""
    errors = dict(failed)
    missing: list[str] = []
    kind, rows = None, 0
    with ExitStack() as stack:
        sources = []
        for name, run in runs:
            spec = run.channels.get(channel)
            if spec is None:
                missing.append(name)
                continue
            kind = kind or spec.kind
            try:
                sources.append((name, spec, source(cache, stack, run, spec, rule, x_name)))
            except (ChannelError, OSError) as error:  # the group draws from the others
                errors[name] = _reason(spec, error)
            except Exception as error:  # a bug or a file no check foresaw
                log.exception("runwatch: the grouped series of %r failed", spec.name)
                errors[name] = _reason(spec, error)
        extents = [e for _, _, s in sources if (e := s.extent()) is not None]
        if x_range is not None:
            x0, x1 = x_range
        elif extents:
            x0, x1 = min(e[0] for e in extents), max(e[1] for e in extents)
            x1 = x1 if x1 > x0 else x0 + 1
        else:
            x0, x1 = 0.0, 1.0
        centres = run_bins.centres(x0, x1, width)
        values, reduced, own = [], False, []
        for name, spec, found in sources:
            try:
                bins = found.bins(x0, x1, width)
            except (ChannelError, OSError) as error:
                errors[name] = _reason(spec, error)
                continue
            except Exception as error:
                log.exception("runwatch: the grouped series of %r failed", spec.name)
                errors[name] = _reason(spec, error)
                continue
            rows += found.rows
            reduced = reduced or bool(np.any(bins.count > 1))
            values.append(group.run_values(bins, centres))
            if members is not None:
                own.append((f"run.{members.index(name)}", values[-1].value))
    extra = {
        "runs": len(values),
        "run_errors": errors,
        "missing": missing,
        "center": center,
        "band": band,
        "x": x_name,
    }
    kind = kind or ""
    if not values:
        why = "no run of the group could be read (see run_errors)"
        return wire.error_frame(channel, kind, why, extra)
    result = group.aggregate(values, center, band)
    arrays = [("x", centres), ("center", result.center)]
    if result.lo is not None:
        arrays += [("lo", result.lo), ("hi", result.hi)]
    arrays.append(("n", result.n))
    arrays += own
    return wire.frame(channel, kind, rows, reduced, x0, x1, arrays, None, extra)
