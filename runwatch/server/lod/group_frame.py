"""One channel's grouped frame over many runs (docs/server-api.md, "Grouped series").

Each run's values are its series at the rule, as `runs/<run>/series` serves it, and
come from the same SeriesCache (buckets, block summaries). At the raw rule on time,
a run's file with few rows a bin (row_bins.DIRECT_ROWS_PER_BIN) is binned straight
from its rows, in one read and with no summaries built (a cold group of 100 k-row
runs); a longer one from its block summaries (run_bins.from_summary), which read
only the blocks a bin edge cuts. A file whose rows turn out to be out of time order
is binned from its merged series instead, and the grid is drawn again. A run whose
channel fails is named in `run_errors` and the group draws from the others.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack, contextmanager

import numpy as np

from . import group, row_bins, run_bins, wire, xmap
from .rows import ChannelError, ChannelSpec, OpenFile, RunChannels
from .summaries import BLOCK

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


def _kept_bins(cache, source, x0: float, x1: float, width: int, compute) -> run_bins.RunBins:
    """A file's bins, kept per grid until the file changes: a changed center, band or
    members (or another group sharing the run) bins nothing again."""
    opened, run = source.opened, source.run
    key = ("group-bins", str(run.run_dir), opened.name, source.kind)
    key += (run.created_ns, source.column, opened.stamp, x0, x1, width)
    found = cache.lru.get(key)
    if found is None:
        found = compute()
        cache.lru.put(key, found)
    return found


class RowSource:
    """A channel of one file at the raw rule, few rows a bin: bins from its rows."""

    def __init__(self, cache, run: RunChannels, opened: OpenFile, kind: str, column: str):
        self.cache, self.run, self.opened = cache, run, opened
        self.kind, self.column = kind, column
        self.rows = opened.rows
        self.first, self.last = row_bins.ends(opened, run.created_ns)

    def extent(self) -> tuple[float, float] | None:
        return min(0.0, self.first), self.last

    def bins(self, x0: float, x1: float, width: int) -> run_bins.RunBins:
        def compute():
            return row_bins.from_rows(
                self.opened, self.kind, self.column, self.run.created_ns, x0, x1, width, self.cache
            )

        return _kept_bins(self.cache, self, x0, x1, width, compute)


class SummarySource:
    """A channel of one time-sorted file at the raw rule: bins from its summaries, or
    from the rows in range where a bin holds few."""

    def __init__(self, cache, run: RunChannels, opened: OpenFile, summary, column: str):
        self.cache, self.run, self.opened = cache, run, opened
        self.summary, self.column = summary, column
        self.kind = summary.kind
        self.rows = summary.rows

    def extent(self) -> tuple[float, float] | None:
        blocks = self.summary.blocks
        if blocks is None or self.rows == 0:
            return None
        return min(0.0, float(blocks.xf[0])), float(blocks.xl[-1])

    def bins(self, x0: float, x1: float, width: int) -> run_bins.RunBins:
        return _kept_bins(self.cache, self, x0, x1, width, lambda: self._bins(x0, x1, width))

    def _bins(self, x0: float, x1: float, width: int) -> run_bins.RunBins:
        summary, opened, cache = self.summary, self.opened, self.cache
        origin, column = self.run.created_ns, self.column
        if column in summary.blocks.columns:
            begin, end = summary._bounds(opened, origin, x0, x1, cache)
            if end - begin <= row_bins.DIRECT_ROWS_PER_BIN * width:
                start = begin // BLOCK * BLOCK  # where cumsum's running sum is known
                running = float(summary.blocks.running[start // BLOCK]) if end > begin else 0.0
                found = row_bins.from_rows(
                    opened, self.kind, column, origin, x0, x1, width, cache, start, end, running
                )
                before = run_bins.neighbour(summary, column, opened, origin, begin - 1, -1, cache)
                after = run_bins.neighbour(summary, column, opened, origin, end, 1, cache)
                return found._replace(before=before, after=after)
        found = run_bins.from_summary(summary, column, opened, origin, x0, x1, width, cache)
        return found or run_bins.from_points(np.empty(0), np.empty(0), x0, x1, width)


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


def source(cache, stack: ExitStack, run: RunChannels, spec: ChannelSpec, rule, x_name, width):
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
            found = _one_file_source(cache, run, spec, files[0], width)
            if found is not None:
                return found
    return merged_source(cache, run, spec, rule)


def merged_source(cache, run: RunChannels, spec: ChannelSpec, rule) -> PointSource:
    """The channel's series as the series endpoint merges it (every row, sorted)."""
    series, rows = cache.series(run, spec, rule)
    return PointSource(series, _column(spec, series.columns), rows, from_zero=True)


def _order_key(run: RunChannels, opened: OpenFile) -> tuple:
    return ("out-of-order", str(run.run_dir), opened.name)


def _known_out_of_order(cache, run: RunChannels, opened: OpenFile) -> bool:
    """Found out of order before, and only appended to since: its rows still are.
    (One entry per file, holding the stamp it was found at.)"""
    found_at = cache.lru.get(_order_key(run, opened))
    return found_at is not None and opened.stamp.grew_from(found_at)


def _one_file_source(cache, run: RunChannels, spec: ChannelSpec, opened: OpenFile, width: int):
    """Rows for few a bin (no summaries needed), else summaries; None: out of order."""
    if not _known_out_of_order(cache, run, opened):
        if 0 < opened.rows <= row_bins.DIRECT_ROWS_PER_BIN * width:
            column = _column(spec, row_bins.raw_names(opened, spec.kind))
            found = RowSource(cache, run, opened, spec.kind, column)
            if found.first <= found.last:  # else a NaT or rows out of order
                return found
        summary = cache.summary(run, spec, opened)
        if summary.sorted and summary.blocks is not None:
            return SummarySource(cache, run, opened, summary, _column(spec, summary.blocks.columns))
    return None


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


@contextmanager
def _failing(errors: dict[str, str], name: str, spec: ChannelSpec):
    """A run whose channel fails is named in `errors`; the group draws from the others."""
    try:
        yield
    except (ChannelError, OSError) as error:
        errors[name] = _reason(spec, error)
    except Exception as error:  # a bug or a file no check foresaw
        log.exception("runwatch: the grouped series of %r failed", spec.name)
        errors[name] = _reason(spec, error)


def _grid(sources, x_range) -> tuple[float, float]:
    """[x0, x1]: as asked, else the union of the runs' extents."""
    if x_range is not None:
        return x_range
    extents = [e for *_, found in sources if (e := found.extent()) is not None]
    if not extents:
        return 0.0, 1.0
    x0, x1 = min(e[0] for e in extents), max(e[1] for e in extents)
    return x0, x1 if x1 > x0 else x0 + 1


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
            with _failing(errors, name, spec):
                found = source(cache, stack, run, spec, rule, x_name, width)
                sources.append((name, spec, run, found))
        while True:
            x0, x1 = _grid(sources, x_range)
            binned, out_of_order = [], []
            for name, spec, run, found in sources:
                with _failing(errors, name, spec):
                    try:
                        binned.append((name, found, found.bins(x0, x1, width)))
                    except row_bins.OutOfOrder:
                        out_of_order.append((name, spec, run, found))
            if not out_of_order:
                break
            # Rare (a clock that stepped back): bin those runs' merged series, and
            # draw the grid again, as their extents may differ from their ends.
            sources = [s for s in sources if not any(s[3] is o[3] for o in out_of_order)]
            for name, spec, run, found in out_of_order:
                cache.lru.put(_order_key(run, found.opened), found.opened.stamp)
                with _failing(errors, name, spec):
                    sources.append((name, spec, run, merged_source(cache, run, spec, rule)))
        centres = run_bins.centres(x0, x1, width)
        values, reduced, own = [], False, []
        for name, found, bins in binned:
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
