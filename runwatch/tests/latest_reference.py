"""An independent reference for the monitor's latest values (docs/run-store.md, "The
monitor's latest values"), built on the pandas bucket reference. Test-only.

Bucketed values are `reference.bucket`'s rows for the last complete and the partial
bucket; duty, rate and period are then re-divided as the monitor divides them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from runwatch.store import kinds
from runwatch.tests import reference

PER_SECOND = {"duty": ("duration", False), "rate": ("count", False), "period": ("count", True)}


def frame(kind: str, t: list[float], fields: dict[str, list[float]]) -> pd.DataFrame:
    """The rows as the pandas reference takes them, arguments with defaults filled in."""
    ns = np.round(np.asarray(t, dtype=float) * 1e9).astype("int64")  # as Math.round, round
    raw = pd.DataFrame(
        {name: np.asarray(values, dtype=float) for name, values in fields.items()},
        index=pd.to_timedelta(ns, unit="ns"),
    )
    for name, default in kinds.BY_NAME[kind].args:
        nested = any(c.startswith(name + ".") for c in raw.columns)
        if default is not kinds.REQUIRED and name not in raw and not nested:
            raw[name] = float(default)
    return raw


def _row(out: pd.DataFrame, k: int) -> dict[str, float]:
    return {str(c): float(out[c].iloc[k]) for c in out.columns}


def buckets(
    kind: str, t: list[float], fields: dict[str, list[float]], rule_s: float, now_s: float
) -> tuple[dict | None, dict | None]:
    if not t:
        return None, None
    raw = frame(kind, t, fields)
    out = reference.bucket(kind, raw, rule_s)
    ends = out.index.total_seconds() + rule_s
    partial_from = int(np.sum(ends <= now_s))
    complete = _row(out, partial_from - 1) if partial_from > 0 else None
    partial = _row(out, partial_from) if partial_from < len(out) else None
    if kind in PER_SECOND:
        field, inverted = PER_SECOND[kind]
        sums = reference.parts(raw)[field].resample(pd.Timedelta(seconds=rule_s)).sum()
        span = t[-1]

        def per_second(k: int, seconds: float) -> dict[str, float]:
            total, seconds = np.float64(sums.iloc[k]), np.float64(seconds)
            with np.errstate(divide="ignore", invalid="ignore"):
                return {"value": float(seconds / total if inverted else total / seconds)}

        if complete is not None:
            complete = per_second(partial_from - 1, min(rule_s, span))
        if partial is not None:
            start = out.index[partial_from].total_seconds()
            partial = per_second(partial_from, min(rule_s, max(now_s, span) - start))
    return complete, partial


def raw_row(kind: str, t: list[float], fields: dict[str, list[float]]) -> dict | None:
    """The last row on its own, per kind."""
    if not t:
        return None
    last = {name: np.float64(values[-1]) for name, values in fields.items()}
    count = last.get("count", np.float64(1))
    gap = np.float64(t[-1] - (t[-2] if len(t) > 1 else 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind in ("mean", "mean_percent"):
            value = last["total"] / count
        elif kind == "maxrate":
            value = count / last["duration"]
        elif kind == "cumsum":
            value = np.nansum(fields["total"]) if "total" in fields else len(t)
        elif kind == "rate":
            value = count / gap
        elif kind == "period":
            value = gap / count
        elif kind == "duty":
            value = last["duration"] / gap
        elif kind == "mean_std":
            mu, sigma = float(last["μ"]), float(last["σ"])
            return {"mu": mu, "sigma": sigma, "lo": mu - 2 * sigma, "hi": mu + 2 * sigma}
        elif kind == "quantiles":
            n = len(fields)
            names = [f"{100 * q:.0f}" for q in np.linspace(0, 1, n)]
            return {name: float(last[f"qs.{i}"]) for i, name in enumerate(names)}
        elif "x" in last:
            value = last["x"]
        else:
            return {name[2:]: float(v) for name, v in last.items()}
    return {"value": float(value)}


def is_close(a: float, b: float) -> bool:
    if math.isnan(b) or math.isinf(b):
        return a == b or (math.isnan(a) and math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
