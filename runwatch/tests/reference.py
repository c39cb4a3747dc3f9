"""An independent pandas reference for reading channels and bucketing stats.

Test-only (pandas and numpy): it follows docs/run-store.md and is shaped like
pavlov's own resampling, so the expected values in test/vectors/ come from
pandas, not from the code under test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

STATS_FILE = re.compile(r"stats\.(?P<channel>[\w.-]+)\.(?P<n>\d+)\.npr")


def read_npr(path: Path) -> np.ndarray:
    """Whole rows of a `.npr` file, via numpy's own header reader."""
    with open(path, "rb") as file:
        dtype = np.load(file).dtype  # a shape-(0,) array: reads just the header
        offset = file.tell()
    rows = (path.stat().st_size - offset) // dtype.itemsize
    return np.fromfile(path, dtype=dtype, count=rows, offset=offset)


def channel_files(run_dir: Path, channel: str) -> list[str]:
    files = json.loads((run_dir / "_info.json").read_text())["_files"]
    found = [
        (int(m["n"]), name)
        for name in files
        if (m := STATS_FILE.fullmatch(name)) and m["channel"] == channel
    ]
    return [name for _, name in sorted(found)]


def load(run_dir: Path, channel: str) -> tuple[pd.Timestamp, pd.DataFrame, list[str], pd.DataFrame]:
    """(created, raw rows indexed by time since created, files, the stored values)."""
    created = pd.Timestamp(json.loads((run_dir / "_info.json").read_text())["_created"])
    files = channel_files(run_dir, channel)
    arrays = [read_npr(run_dir / name) for name in files]
    times = [a["_time"].astype("datetime64[ns]") for a in arrays]
    values = [pd.DataFrame({n: a[n] for n in a.dtype.names if n != "_time"}) for a in arrays]
    stored = pd.concat(values, ignore_index=True)
    index = pd.DatetimeIndex(np.concatenate(times)).tz_localize("UTC") - created
    order = np.argsort(index.values, kind="stable")  # files in N order, then a stable sort
    stored = stored.iloc[order].reset_index(drop=True)
    raw = stored.astype("float64")
    raw.index = index[order]
    raw.index.name = "_time"
    return created, raw, files, stored


def parts(raw: pd.DataFrame) -> dict[str, pd.Series | pd.DataFrame]:
    """Columns grouped by argument (before the first dot), with the NaN row at t=0 first."""
    raw = pd.concat([pd.DataFrame(np.nan, [pd.Timedelta(0)], raw.columns), raw])
    grouped: dict[str, list[str]] = {}
    for column in raw.columns:
        grouped.setdefault(column.split(".")[0], []).append(column)
    result = {}
    for arg, columns in grouped.items():
        if columns == [arg]:
            result[arg] = raw[arg]
        else:
            frame = raw[columns]
            frame.columns = [c.split(".", 1)[1] for c in columns]
            result[arg] = frame
    return result


def _divide(numerator, denominator):
    if isinstance(numerator, pd.DataFrame) and isinstance(denominator, pd.Series):
        return numerator.div(denominator, axis=0)
    return numerator / denominator


def _span_s(series) -> float:
    return (series.index[-1] - series.index[0]).total_seconds()


def last(x, rule):
    return x.resample(rule).last().ffill()


def max_(x, rule):
    return x.resample(rule).max()


def mean(total, rule, count=1.0):
    return _divide(total.resample(rule).mean(), count.resample(rule).mean())


def std(x, rule):
    return x.resample(rule).std()


def cumsum(total, rule):
    return total.resample(rule).sum().cumsum()


def timeaverage(x, rule):
    y = x.sort_index(kind="stable")
    dt = y.index.to_series().diff().dt.total_seconds()
    weighted = y.mul(dt, axis=0) if isinstance(y, pd.DataFrame) else y * dt
    return _divide(weighted.resample(rule).mean(), dt.resample(rule).mean())


def duty(duration, rule):
    sums = duration.resample(rule).sum()
    periods = sums.index.to_series().diff().dt.total_seconds()
    return _divide(sums, periods)


def maxrate(duration, rule, count=1.0):
    return _divide(count.resample(rule).mean(), duration.resample(rule).mean())


def rate(count, rule):
    counts = count.resample(rule).sum()
    return counts / min(pd.Timedelta(rule).total_seconds(), _span_s(count))


def period(count, rule):
    counts = count.resample(rule).sum()
    return min(pd.Timedelta(rule).total_seconds(), _span_s(count)) / counts


def mean_std(mu, sigma, rule):
    weights = (1 / sigma**2).resample(rule).mean()
    mu_mean = (mu / sigma**2).resample(rule).mean() / weights
    sigma_mean = 1 / weights**0.5
    return pd.DataFrame(
        {
            "mu": mu_mean,
            "sigma": sigma_mean,
            "lo": mu_mean - 2 * sigma_mean,
            "hi": mu_mean + 2 * sigma_mean,
        }
    )


def quantiles(qs, rule):
    averages = qs.resample(rule).mean()
    averages.columns = [f"{100 * q:.0f}" for q in np.linspace(0, 1, averages.shape[1])]
    return averages


def bucket(kind: str, raw: pd.DataFrame, rule_s: float) -> pd.DataFrame:
    """A kind's buckets as a frame: one column `value`, or the kind's own columns."""
    p = parts(raw)
    rule = pd.Timedelta(seconds=rule_s)
    if kind in ("last", "silent"):
        out = last(p["x"], rule)
    elif kind in ("max", "max_percent"):
        out = max_(p["x"], rule)
    elif kind in ("mean", "mean_percent"):
        out = mean(p["total"], rule, p["count"])
    elif kind == "std":
        out = std(p["x"], rule)
    elif kind == "cumsum":
        out = cumsum(p["total"], rule)
    elif kind == "timeaverage":
        out = timeaverage(p["x"], rule)
    elif kind == "duty":
        out = duty(p["duration"], rule)
    elif kind == "maxrate":
        out = maxrate(p["duration"], rule, p["count"])
    elif kind == "rate":
        out = rate(p["count"], rule)
    elif kind == "period":
        out = period(p["count"], rule)
    elif kind == "mean_std":
        out = mean_std(p["μ"], p["σ"], rule)
    elif kind == "quantiles":
        out = quantiles(p["qs"], rule)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return out.to_frame("value") if isinstance(out, pd.Series) else out
