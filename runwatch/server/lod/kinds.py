"""What a plot draws for one channel at one rule, in numpy: the same maths as
TypeScript's `channelSeries` (src/plots/series/series.ts over src/store/aggregate.ts,
buckets.ts and reductions.ts). Both are held to the shared vectors in test/vectors/
(expected.json from the pandas reference, series.json from the TypeScript) at 1e-9.

Columns are dicts in TypeScript's insertion order, since the wire lists them in it.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import numpy as np

from ...store import kinds as kind_table
from .rows import TIME, ChannelError

# Kinds whose raw values share the bucketed value's units: they get a min-max band.
BANDED = frozenset(["last", "silent", "max", "max_percent", "mean", "mean_percent", "timeaverage"])
MAX_BUCKETS = 50_000_000
QUANTILE_FIELD = re.compile(r"qs\.\d+")


class Series(NamedTuple):
    x: np.ndarray
    columns: dict[str, np.ndarray]
    band: tuple[np.ndarray, np.ndarray] | None = None  # (lo, hi)


class Buckets(NamedTuple):
    rule_ns: int
    start_ns: int
    labels: np.ndarray  # left edges, seconds
    row_start: np.ndarray  # int64, len(labels) + 1
    k0: int = 0  # the first bucket's number on the channel's grid (for a slice of it)


# ---- time ---------------------------------------------------------------------------


def ns_from_seconds(seconds: float) -> int:
    """`Math.round(seconds * 1e9)`: halves round up, as in JavaScript."""
    return math.floor(seconds * 1e9 + 0.5)


def seconds_from_ns(ns: np.ndarray) -> np.ndarray:
    """`secondsFromNs` on int64 ns: floored whole seconds plus the remainder / 1e9."""
    ns = np.asarray(ns, np.int64)
    whole = ns // 10**9
    return whole.astype(np.float64) + (ns - whole * 10**9).astype(np.float64) / 1e9


def ns_array(seconds: np.ndarray) -> np.ndarray:
    return np.floor(seconds * 1e9 + 0.5).astype(np.int64)


# ---- buckets and reductions (pandas' groupby kernels, NaN skipped) --------------------


def make_buckets(time: np.ndarray, rule_s: float, name: str = "buckets") -> Buckets:
    """pandas' `resample(rule)` bins after pavlov's NaN row at 0 (see `makeBuckets`)."""
    rule_ns = ns_from_seconds(rule_s)
    if rule_ns <= 0:
        raise ChannelError(f"{name}: invalid bucket rule {rule_s} s")
    n = len(time)
    start_ns = min(0, ns_from_seconds(float(time[0]) if n else 0.0))
    count = grid_count(start_ns, rule_ns, float(time[-1]) if n else 0.0, name)
    return slice_buckets(time, start_ns, rule_ns, count, 0)


def grid_count(start_ns: int, rule_ns: int, last: float, name: str) -> int:
    """How many buckets from `start_ns` hold every row up to `last` (at least one)."""
    end_s = max(0.0, last)

    def edge(k: int) -> float:
        return float(seconds_from_ns(np.int64(start_ns + k * rule_ns)))

    count = (ns_from_seconds(end_s) - start_ns) // rule_ns + 1
    if count > MAX_BUCKETS:
        raise ChannelError(
            f"{name}: a {rule_ns / 1e9:g} s rule over {end_s - start_ns / 1e9:g} s "
            "makes too many buckets"
        )
    while edge(count) <= end_s:
        count += 1
    while count > 1 and edge(count - 1) > end_s:
        count -= 1
    return count


def slice_buckets(
    time: np.ndarray, start_ns: int, rule_ns: int, count: int, k0: int, search=None
) -> Buckets:
    """Buckets `k0` to `count - 1` of the grid over `time`, the rows from bucket `k0`'s
    first row on (all of a channel's rows when `k0` is 0). `search(edges in ns)`, if
    given, finds the first row at or after each edge instead (on integer times)."""
    k = np.arange(k0, count + 1, dtype=np.int64)
    edges_ns = start_ns + k * rule_ns
    edges = seconds_from_ns(edges_ns)
    row_start = np.empty(len(edges), np.int64)
    row_start[0] = 0
    if search is None:
        row_start[1:] = np.searchsorted(time, edges[1:], "left")
    else:
        row_start[1:] = search(edges_ns[1:])
    row_start[-1] = len(time)
    return Buckets(rule_ns, start_ns, edges[:-1], row_start, k0)


def _reduce(ufunc, values: np.ndarray, row_start: np.ndarray, empty: float) -> np.ndarray:
    """`ufunc` over each bucket's rows; `empty` for a bucket without rows."""
    starts, ends = row_start[:-1], row_start[1:]
    out = np.full(len(starts), empty, np.float64)
    filled = ends > starts
    if filled.any():
        # Buckets are contiguous, so each non-empty one runs to the next's start.
        out[filled] = ufunc.reduceat(values[: row_start[-1]], starts[filled])
    return out


def has_no_nan(values: np.ndarray) -> bool:
    """Whether no value is NaN, in one pass with no copy: a NaN makes the sum NaN (a sum
    NaN for another reason, inf - inf, only costs the masked path). Not float64: False,
    so the masked path sums it as doubles, as it always did."""
    if values.dtype != np.float64:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        return not np.isnan(np.add.reduce(values))


def bucket_sum(values: np.ndarray, buckets: Buckets, clean: bool | None = None) -> np.ndarray:
    """Sum of the non-NaN values per bucket; empty -> 0. `clean`: `has_no_nan(values)`,
    if known. Without a NaN the values are summed as they are: the same additions."""
    if has_no_nan(values) if clean is None else clean:
        return _reduce(np.add, values, buckets.row_start, 0.0)
    return _reduce(np.add, np.where(np.isnan(values), 0.0, values), buckets.row_start, 0.0)


def bucket_count(values: np.ndarray, buckets: Buckets, clean: bool | None = None) -> np.ndarray:
    if has_no_nan(values) if clean is None else clean:
        return np.diff(buckets.row_start).astype(np.float64)  # every row counts
    return _reduce(np.add, (~np.isnan(values)).astype(np.float64), buckets.row_start, 0.0)


def bucket_mean(values: np.ndarray, buckets: Buckets) -> np.ndarray:
    """Mean of the non-NaN values per bucket; none -> NaN."""
    clean = has_no_nan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        count = bucket_count(values, buckets, clean)
        return np.where(count > 0, bucket_sum(values, buckets, clean) / count, np.nan)


def bucket_max(values: np.ndarray, buckets: Buckets) -> np.ndarray:
    return _reduce(np.fmax, values, buckets.row_start, np.nan)


def bucket_min(values: np.ndarray, buckets: Buckets) -> np.ndarray:
    return _reduce(np.fmin, values, buckets.row_start, np.nan)


def bucket_last(values: np.ndarray, buckets: Buckets) -> np.ndarray:
    """The last non-NaN value per bucket; none -> NaN."""
    if has_no_nan(values):  # each non-empty bucket's last row
        starts, ends = buckets.row_start[:-1], buckets.row_start[1:]
        out = np.full(len(buckets.labels), np.nan)
        filled = ends > starts
        out[filled] = values[ends[filled] - 1]
        return out
    valid = np.flatnonzero(~np.isnan(values))
    at = np.searchsorted(valid, buckets.row_start[1:], "left") - 1
    found = at >= 0
    found[found] = valid[at[found]] >= buckets.row_start[:-1][found]
    out = np.full(len(buckets.labels), np.nan)
    out[found] = values[valid[at[found]]]
    return out


def bucket_std(values: np.ndarray, buckets: Buckets) -> np.ndarray:
    """Sample std (ddof = 1) of the non-NaN values per bucket; fewer than two -> NaN."""
    count = bucket_count(values, buckets)
    mean = bucket_mean(values, buckets)
    per_row = np.repeat(mean, np.diff(buckets.row_start))
    squares = bucket_sum((values[: len(per_row)] - per_row) ** 2, buckets)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 1, np.sqrt(squares / (count - 1)), np.nan)


def forward_fill(values: np.ndarray) -> np.ndarray:
    filled = np.where(np.isnan(values), 0, np.arange(len(values)))
    np.maximum.accumulate(filled, out=filled)
    return values[filled]  # a leading NaN stays: index 0 holds it


def nan_cumsum(values: np.ndarray) -> np.ndarray:
    """Cumulative sum skipping NaN, which stays NaN in place (pandas `cumsum`)."""
    nan = np.isnan(values)
    out = np.cumsum(np.where(nan, 0.0, values))
    out[nan] = np.nan
    return out


def _divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return a / b


# ---- per-row values -----------------------------------------------------------------


def sub_fields(fields: dict[str, np.ndarray], name: str) -> dict[str, np.ndarray]:
    """A dict-valued argument's fields: `x.a`, `x.b.c` -> `a`, `b.c`."""
    prefix = f"{name}."
    return {f[len(prefix) :]: c for f, c in fields.items() if f.startswith(prefix)}


def raw_columns(kind: str, fields: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each row's own value in `aggregate`'s column names (`rawColumns` in series.ts)."""
    n = len(fields[TIME]) if TIME in fields else 0

    def field(name: str, fallback: float | None = None) -> np.ndarray | None:
        if name in fields:
            return fields[name]
        return None if fallback is None else np.full(n, float(fallback))

    def single(name: str, fallback: float | None = None) -> dict[str, np.ndarray]:
        column = field(name, fallback)
        return {"value": column} if column is not None else sub_fields(fields, name)

    def ratio(top: np.ndarray | None, bottom: np.ndarray | None, top_name: str) -> dict:
        tops = {"value": top} if top is not None else sub_fields(fields, top_name)
        return {k: _divide(c, bottom) if bottom is not None else c / 1 for k, c in tops.items()}

    if kind in ("mean", "mean_percent"):
        return ratio(field("total"), field("count", 1), "total")
    if kind == "maxrate":
        return ratio(field("count", 1), field("duration"), "count")
    if kind == "cumsum":
        total = field("total", 1)
        return {"value": np.cumsum(np.where(np.isnan(total), 0.0, total))}
    if kind in ("rate", "period"):
        return single("count", 1)
    if kind == "duty":
        return single("duration")
    if kind == "mean_std":
        mu, sigma = field("μ"), field("σ")
        if mu is None or sigma is None:
            return {}
        return {"mu": mu, "sigma": sigma, "lo": mu - 2 * sigma, "hi": mu + 2 * sigma}
    if kind == "quantiles":
        names = sorted((f for f in fields if QUANTILE_FIELD.fullmatch(f)), key=lambda f: int(f[3:]))
        return dict(zip(quantile_column_names(len(names)), (fields[f] for f in names)))
    return single("x")


def quantile_column_names(n: int) -> list[str]:
    """`f'{100*q:.0f}'` over `linspace(0, 1, n)`, halves to even as Python rounds them."""
    if n == 1:
        return ["0"]
    step = 1 / (n - 1)
    return [str(round(100 * (1.0 if i == n - 1 else i * step))) for i in range(n)]


# ---- aggregation --------------------------------------------------------------------
#
# In two steps, so a cache can extend a result from appended rows: `bucket_values`
# gives each bucket's own value from its rows alone (recomputing the last bucket and
# adding new ones is exact), and `finish` applies what spans buckets (forward fill,
# cumulative sums, duty's first bucket, rate's data span).


def kind_spec(kind: str, name: str):
    spec = kind_table.BY_NAME.get(kind)
    if spec is None:
        raise ChannelError(f"{name}: unknown stat kind '{kind}'")
    return spec


def aggregate(kind: str, fields: dict[str, np.ndarray], rule_s: float, name: str) -> tuple:
    """(labels, columns, buckets) as `aggregate` gives them; ChannelError for an unknown
    kind or a missing field."""
    spec = kind_spec(kind, name)
    if TIME not in fields:
        raise ChannelError(f"{name}: rows have no time column")
    time = fields[TIME]
    buckets = make_buckets(time, rule_s, name)
    before = bucket_values(spec, fields, buckets, name, None)
    last = float(time[-1]) if len(time) else 0.0
    return buckets.labels, finish(spec, before, buckets, last), buckets


def _field_list(fields: dict) -> str:
    return ", ".join(f"'{n}'" for n in fields) or "none"


def bucket_values(spec, fields, buckets, name, previous: float | None) -> dict[str, np.ndarray]:
    """Each bucket's value before `finish`, from the rows in `fields` (which start at
    bucket `buckets.k0`'s first row); `previous` is the time of the row before them
    (None: they are the channel's first rows), for timeaverage's gaps."""
    time = fields[TIME]
    n = len(time)
    defaults = dict(spec.args)

    def scalar(arg: str) -> np.ndarray:
        if arg in fields:
            return fields[arg]
        fallback = defaults.get(arg, kind_table.REQUIRED)
        if fallback is kind_table.REQUIRED or fallback is None:
            raise ChannelError(
                f"{name}: a '{spec.name}' channel needs a '{arg}' field; "
                f"it has {_field_list(fields)}"
            )
        return np.full(n, float(fallback))

    nested: dict[str, list[str]] = {}
    if spec.columns_from is None:
        for arg, _ in spec.args:
            subs = list(sub_fields(fields, arg))
            if arg not in fields and subs:
                nested[arg] = subs
    if not nested:
        return _bucket_columns(spec, fields, time, buckets, scalar, name, previous)
    if spec.columns is None or len(spec.columns) != 1:
        raise ChannelError(
            f"{name}: a '{spec.name}' channel can't have dict-valued arguments "
            f"({', '.join(nested)})"
        )
    out = {}
    for suffix in next(iter(nested.values())):

        def arg(a: str, suffix: str = suffix) -> np.ndarray:
            if a in nested:
                return fields.get(f"{a}.{suffix}", np.full(n, np.nan))
            return scalar(a)

        columns = _bucket_columns(spec, fields, time, buckets, arg, name, previous)
        out[suffix] = columns[spec.columns[0]]
    return out


def _bucket_columns(spec, fields, time, buckets, arg, name, previous) -> dict[str, np.ndarray]:
    kind = spec.name
    if kind in ("last", "silent"):
        return {"value": bucket_last(arg("x"), buckets)}
    if kind in ("max", "max_percent"):
        return {"value": bucket_max(arg("x"), buckets)}
    if kind in ("mean", "mean_percent"):
        total, count = arg("total"), arg("count")
        return {"value": _divide(bucket_mean(total, buckets), bucket_mean(count, buckets))}
    if kind == "std":
        return {"value": bucket_std(arg("x"), buckets)}
    if kind == "cumsum":
        return {"value": bucket_sum(arg("total"), buckets)}
    if kind == "timeaverage":
        return {"value": time_average(time, arg("x"), buckets, previous)}
    if kind == "duty":
        return {"value": bucket_sum(arg("duration"), buckets)}
    if kind == "maxrate":
        count, duration = arg("count"), arg("duration")
        return {"value": _divide(bucket_mean(count, buckets), bucket_mean(duration, buckets))}
    if kind in ("rate", "period"):
        return {"value": bucket_sum(arg("count"), buckets)}
    if kind == "mean_std":
        return mean_std(arg("μ"), arg("σ"), buckets)
    if kind == "quantiles":
        prefix = f"{spec.columns_from}."
        names = [f for f in fields if f.startswith(prefix)]
        if not names:
            raise ChannelError(
                f"{name}: a '{kind}' channel needs '{prefix}N' fields; it has {_field_list(fields)}"
            )
        labels = quantile_column_names(len(names))
        return {label: bucket_mean(fields[f], buckets) for label, f in zip(labels, names)}
    raise ChannelError(f"{name}: no aggregation for kind '{kind}'")


def finish(spec, before: dict[str, np.ndarray], buckets: Buckets, last_time: float) -> dict:
    """The columns from `bucket_values` over every bucket; `last_time` is the last row's."""
    rule_seconds = float(seconds_from_ns(np.int64(buckets.rule_ns)))
    kind = spec.name
    out = {}
    for name, column in before.items():
        if kind in ("last", "silent"):
            column = forward_fill(column)
        elif kind == "cumsum":
            column = nan_cumsum(column)
        elif kind == "duty":
            column = column / rule_seconds
            column[:1] = np.nan  # pavlov divides by the diff of the labels: none for the first
        elif kind in ("rate", "period"):
            dt = min(rule_seconds, last_time)  # the span from the NaN row at 0, as in pavlov
            column = _divide(column, dt) if kind == "rate" else _divide(dt, column)
        out[name] = column
    return out


def time_average(
    time: np.ndarray, x: np.ndarray, buckets: Buckets, previous: float | None = None
) -> np.ndarray:
    """pavlov's `mean(x * dt) / mean(dt)`, dt = gap to the previous row in the series with
    the NaN row at 0 (after rows before 0, before rows at 0), taken in integer ns.

    `previous`: the time of the row before `time[0]`, when these rows continue a channel
    (then the NaN row is among them only if they reach 0 after `previous` < 0)."""
    at = int(np.searchsorted(time, 0.0, "left"))
    with_nan, values = time, x[: len(time)]
    if previous is None or previous < 0:  # else the NaN row came before these rows
        with_nan = np.insert(time, at, 0.0)
        values = np.insert(values, at, np.nan)
    ns = ns_array(with_nan)
    gaps = np.empty(len(ns))
    if previous is None:
        gaps[:1] = np.nan
    else:
        gaps[:1] = seconds_from_ns(ns[:1] - ns_from_seconds(previous))
    gaps[1:] = seconds_from_ns(np.diff(ns))
    weighted = values * gaps
    edges = _edges(buckets)
    starts = np.searchsorted(with_nan, edges[1:-1], "left")
    shifted = buckets._replace(row_start=np.concatenate([[0], starts, [len(ns)]]))
    return _divide(bucket_mean(weighted, shifted), bucket_mean(gaps, shifted))


def _edges(buckets: Buckets) -> np.ndarray:
    k = buckets.k0 + np.arange(len(buckets.labels) + 1, dtype=np.int64)
    return seconds_from_ns(buckets.start_ns + k * buckets.rule_ns)


def mean_std(mu: np.ndarray, sigma: np.ndarray, buckets: Buckets) -> dict[str, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = sigma * sigma
        precision = bucket_mean(1 / variance, buckets)
        mean = bucket_mean(mu / variance, buckets) / precision
        sd = 1 / np.sqrt(precision)
    return {"mu": mean, "sigma": sd, "lo": mean - 2 * sd, "hi": mean + 2 * sd}


def band(values: np.ndarray, buckets: Buckets) -> tuple[np.ndarray, np.ndarray]:
    """Per-bucket min and max of the non-NaN raw values (`minMaxPerBucket`)."""
    return bucket_min(values, buckets), bucket_max(values, buckets)


def channel_series(
    kind: str, fields: dict[str, np.ndarray], rule: str | float, name: str
) -> Series:
    """The series for a channel at `rule` (`channelSeries` in series.ts)."""
    time = fields.get(TIME)
    if rule == "raw" or time is None:
        return Series(time if time is not None else np.empty(0), raw_columns(kind, fields))
    labels, columns, buckets = aggregate(kind, fields, float(rule), name)
    lo_hi = None
    if kind in BANDED:
        raw = raw_columns(kind, fields)
        values = raw.get("value", next(iter(raw.values()), None))
        if values is not None:
            lo_hi = band(values, buckets)
    return Series(labels, columns, lo_hi)
