"""The one table of stat kinds, shared with TypeScript as JSON.

`python -m runwatch.store.kinds` prints it; test/vectors/kinds.json is a copy
that the TypeScript side asserts its own table against. Aggregation semantics
are specified in docs/run-store.md.
"""

from __future__ import annotations

import json

REQUIRED = object()  # marks an argument without a default


class Kind:
    """One row of the table."""

    def __init__(
        self,
        name: str,
        args: tuple[tuple[str, object], ...],  # (name, default or REQUIRED), in call order
        aggregation: str,  # one-line summary of the bucket maths
        columns: tuple[str, ...] | None = ("value",),  # None: one per field of `columns_from`
        columns_from: str | None = None,
        format: str = "simple",  # monitor format: simple, percent, confidence, quantiles, null
        plot: str = "line",  # plot style: line, percent, confidence, quantiles, null
        silent: bool = False,  # hidden from the monitor
    ):
        self.name, self.args, self.aggregation = name, args, aggregation
        self.columns, self.columns_from = columns, columns_from
        self.format, self.plot, self.silent = format, plot, silent

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    @property
    def arg_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.args)

    def to_json(self) -> dict:
        args = [{"name": n} if d is REQUIRED else {"name": n, "default": d} for n, d in self.args]
        return {
            "name": self.name,
            "args": args,
            "aggregation": self.aggregation,
            "columns": list(self.columns) if self.columns is not None else None,
            "columns_from": self.columns_from,
            "format": self.format,
            "plot": self.plot,
            "silent": self.silent,
        }


X = (("x", REQUIRED),)
TOTAL_COUNT = (("total", REQUIRED), ("count", 1))
COUNT = (("count", 1),)

KINDS: tuple[Kind, ...] = (
    Kind("last", X, "last non-NaN value, forward-filled"),
    Kind("max", X, "max"),
    Kind("max_percent", X, "max", format="percent", plot="percent"),
    Kind("mean", TOTAL_COUNT, "mean(total) / mean(count)"),
    Kind(
        "mean_percent", TOTAL_COUNT, "mean(total) / mean(count)", format="percent", plot="percent"
    ),
    Kind("std", X, "sample std (ddof=1)"),
    Kind("cumsum", (("total", 1),), "cumulative sum of sum(total)"),
    Kind("timeaverage", X, "mean(x*dt) / mean(dt), dt = gap to the previous row"),
    Kind(
        "duty",
        (("duration", REQUIRED),),
        "sum(duration) / diff(bucket labels); first bucket NaN",
        format="percent",
        plot="percent",
    ),
    Kind("maxrate", (("duration", REQUIRED), ("count", 1)), "mean(count) / mean(duration)"),
    Kind("rate", COUNT, "sum(count) / min(rule, data span)"),
    Kind("period", COUNT, "min(rule, data span) / sum(count)"),
    Kind(
        "mean_std",
        (("μ", REQUIRED), ("σ", REQUIRED)),
        "mu = mean(μ/σ²)/mean(1/σ²), sigma = 1/sqrt(mean(1/σ²)), lo/hi = mu ∓ 2 sigma",
        columns=("mu", "sigma", "lo", "hi"),
        format="confidence",
        plot="confidence",
    ),
    Kind(
        "quantiles",
        (("qs", REQUIRED),),
        "mean of each qs.i column; column i named f'{100*q:.0f}', q = linspace(0, 1, n)[i]",
        columns=None,
        columns_from="qs",
        format="quantiles",
        plot="quantiles",
    ),
    Kind(
        "silent", X, "last non-NaN value, forward-filled", format="null", plot="null", silent=True
    ),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}


def kinds_json() -> dict:
    return {"version": 1, "kinds": [kind.to_json() for kind in KINDS]}


def dumps() -> str:
    return json.dumps(kinds_json(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(dumps(), end="")
