"""A channel's latest value at a rule, and how the monitor prints it: the one definition.

src/monitor/latest.ts and src/store/format.ts are the TypeScript twins; the cases in
test/vectors/latest.json hold both to docs/run-store.md ("The monitor's latest
values"). Stdlib only, so the kernel's text snapshot needs no numpy.

Rows are `{"_time": [int ns since _created, sorted], field: [float, ...]}`.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from . import kinds

NAN = math.nan
RAW = "raw"  # the rule that shows each channel's last row on its own
DEFAULT_RULE_S = 60  # pavlov's monitor rule
SI_PREFIXES = ("", "k", "M", "G", "T", "P", "E")

Row = dict[str, float]  # one bucket's output columns: value; mu sigma lo hi; 0 25 ...


# --- formatting -------------------------------------------------------------------


def _figures(size: float, digits: int) -> tuple[str, int]:
    """`size` (> 0) rounded half up to `digits` significant figures: (the figures, the
    power of ten of the first). Rounds the exact binary value, as JS toExponential does."""
    exact = Decimal(size)
    exponent = exact.adjusted()
    rounded = exact.quantize(Decimal(1).scaleb(exponent - digits + 1), ROUND_HALF_UP)
    if rounded.adjusted() > exponent:  # 9.999995 → 10.0000: one figure more
        exponent += 1
        rounded = exact.quantize(Decimal(1).scaleb(exponent - digits + 1), ROUND_HALF_UP)
    return "".join(map(str, rounded.as_tuple().digits)), exponent


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(x: float, digits: int = 6) -> str:
    """`digits` significant figures, trailing zeros dropped: `0.523`, `12.5`; an SI
    suffix from 1000 (`256k`, `18.5543G`, as the plots' axes); an exponent below 1e-4
    or from 1e21 (`5e-5`, `1e21`); `nan`, `inf`, `-inf`."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    figures, exponent = _figures(abs(x), digits)
    if exponent < -4 or exponent >= 21:
        return f"{sign}{_trim(figures[0] + '.' + figures[1:])}e{exponent}"
    group = exponent // 3 if exponent >= 3 else 0
    point = exponent - 3 * group + 1  # figures before the decimal point
    if point <= 0:
        text = "0." + "0" * -point + figures
    else:
        whole, fraction = figures[:point].ljust(point, "0"), figures[point:]
        text = f"{whole}.{fraction}" if fraction else whole
    return sign + _trim(text) + SI_PREFIXES[group]


def format_percent(x: float) -> str:
    """pavlov's `{:.2%}`: `12.34%`; from a million percent in the number format
    (`1.5M%`); `nan`, `inf` without a unit."""
    percent = 100 * x
    if not math.isfinite(percent):
        return format_number(percent)
    if abs(percent) >= 1e6:
        return format_number(percent) + "%"
    text = str(Decimal(percent).quantize(Decimal("0.01"), ROUND_HALF_UP))
    return ("0.00" if text == "-0.00" else text) + "%"


def format_confidence(mu: float, sigma: float) -> str:
    """`μ±2σ`: μ to 6 significant figures, 2σ to 2 (`0.523412±0.041`)."""
    return f"{format_number(mu)}±{format_number(2 * sigma, 2)}"


def format_quantiles(row: Row) -> str:
    """The 25–75 range of quantile columns, in column order evenly spaced from 0 to 1,
    interpolated linearly between neighbours (np.interp); 3 significant figures."""
    values = list(row.values())
    if not values:
        return ""

    def at(q: float) -> float:
        position = q * (len(values) - 1)
        i = math.floor(position)
        if i >= len(values) - 1:
            return values[-1]
        return values[i] + (values[i + 1] - values[i]) * (position - i)

    return f"{format_number(at(0.25), 3)}–{format_number(at(0.75), 3)}"


def _each_field(one):
    # A dict-valued channel's row has one column per sub-field: `a=1 b.c=2.5`.
    def fields(row: Row) -> str:
        if "value" in row:
            return one(row["value"])
        return " ".join(f"{name}={one(value)}" for name, value in row.items())

    return fields


FORMATTERS = {
    "simple": _each_field(format_number),
    "percent": _each_field(format_percent),
    "confidence": lambda row: format_confidence(row["mu"], row["sigma"]),
    "quantiles": format_quantiles,
    "null": lambda row: None,
}


def format_value(format: str, row: Row) -> str | None:
    """One bucket's columns as the monitor prints them by the kind's format; None if hidden."""
    return FORMATTERS[format](row)


# --- arithmetic as the TypeScript does it ----------------------------------------


def _div(a: float, b: float) -> float:
    """IEEE division: x/0 → ±inf, 0/0 → nan (Python would raise)."""
    try:
        return a / b
    except ZeroDivisionError:
        if math.isnan(a) or a == 0:
            return NAN
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _kahan(values) -> tuple[float, int]:
    """(sum, count) of the non-NaN values, with pandas' (and reductions.ts') Kahan sum."""
    total = compensation = 0.0
    seen = 0
    for v in values:
        if not math.isnan(v):
            seen += 1
            y = v - compensation
            t = total + y
            compensation = t - total - y
            if math.isnan(compensation):  # an infinity: keep it, not NaN
                compensation = 0.0
            total = t
    return total, seen


def _mean(values) -> float:
    total, seen = _kahan(values)
    return total / seen if seen else NAN


def _std(values) -> float:
    seen, mean, m2 = 0, 0.0, 0.0
    for v in values:
        if not math.isnan(v):
            seen += 1
            old = mean
            mean += (v - old) / seen
            m2 += (v - mean) * (v - old)
    return math.sqrt(m2 / (seen - 1)) if seen > 1 else NAN


def _max(values) -> float:
    found = [v for v in values if not math.isnan(v)]
    return max(found) if found else NAN


def _last_valid(values, end: int) -> float:
    for i in range(end - 1, -1, -1):
        if not math.isnan(values[i]):
            return values[i]
    return NAN


def _running_total(values) -> float:
    found = [v for v in values if not math.isnan(v)]
    try:
        return math.fsum(found)
    except (ValueError, OverflowError):  # inf − inf, or an overflow: as plain addition
        return sum(found)


def seconds(ns: int) -> float:
    """Seconds from int ns, as pandas' `total_seconds()` and secondsFromNs compute them."""
    whole, rest = divmod(ns, 10**9)
    return whole + rest / 1e9


# --- buckets ----------------------------------------------------------------------


class Bucket(NamedTuple):
    lo: int  # its first row
    hi: int  # past its last row
    start_ns: int
    end_ns: int
    seconds: float  # what duty, rate and period divide by


class Latest(NamedTuple):
    complete: Row | None  # the last bucket that has ended (or, at `raw`, the last row)
    partial: Row | None  # the bucket still filling, if it has rows


class LatestText(NamedTuple):
    complete: str  # "" where there is no value
    partial: str


def geometry(times: list[int], rule_s: float, now_s: float) -> tuple[int, int, int, int]:
    """(start ns, rule ns, bucket count, the first bucket ending after now) of sorted
    `times`, with pandas' edges: `min(0, t[0]) + k·rule`, the last bucket holding the
    last row (or 0)."""
    rule_ns = round(rule_s * 1e9)
    if rule_ns <= 0:
        raise ValueError(f"invalid bucket rule {rule_s} s")
    start_ns = min(0, times[0])
    count = (max(0, times[-1]) - start_ns) // rule_ns + 1
    partial_from = count
    while partial_from > 0 and seconds(start_ns + partial_from * rule_ns) > now_s:
        partial_from -= 1
    return start_ns, rule_ns, count, partial_from


# Kinds whose bucket value is a sum over the bucket's seconds: (field, inverted).
PER_SECOND = {"duty": ("duration", False), "rate": ("count", False), "period": ("count", True)}


def _arg(kind: kinds.Kind, rows: dict, name: str) -> list:
    if name in rows:
        return rows[name]
    default = dict(kind.args).get(name, kinds.REQUIRED)
    if default is kinds.REQUIRED:
        fields = ", ".join(f"'{f}'" for f in rows) or "none"
        raise ValueError(f"a '{kind.name}' channel needs a '{name}' field; it has {fields}")
    return [float(default)] * len(rows["_time"])


def quantile_names(n: int) -> list[str]:
    """Column names of n quantiles, `f'{100*q:.0f}'` of linspace(0, 1, n)."""
    step = 1 / (n - 1) if n > 1 else 0
    return [f"{100 * (0 if n == 1 else 1 if i == n - 1 else i * step):.0f}" for i in range(n)]


def _time_average(times: list[int], x: list, b: Bucket) -> float:
    """mean(x·dt) / mean(dt) over the bucket, `dt` each row's gap to the previous one in
    the series with pavlov's NaN row at 0 (after rows before 0, before rows at 0)."""
    nan_at = bisect_left(times, 0)

    def at(j: int) -> tuple[int, float]:  # (ns, x) of series row j
        if j == nan_at:
            return 0, NAN
        i = j if j < nan_at else j - 1
        return times[i], x[i]

    lo = b.lo + (1 if b.start_ns > 0 else 0)
    hi = b.hi + (1 if b.end_ns > 0 else 0)
    weighted, gaps = [], []
    for j in range(lo, hi):
        ns, value = at(j)
        gap = seconds(ns - at(j - 1)[0]) if j > 0 else NAN
        gaps.append(gap)
        weighted.append(NAN if j == nan_at else value * gap)
    return _div(_mean(weighted), _mean(gaps))


def _value(kind: kinds.Kind, arg, times: list[int], b: Bucket) -> float:
    """One bucket's value of a single-column kind; `arg(name)` gives an argument's column."""
    name = kind.name
    if name in ("last", "silent"):
        return _last_valid(arg("x"), b.hi)
    if name in ("max", "max_percent"):
        return _max(arg("x")[b.lo : b.hi])
    if name in ("mean", "mean_percent"):
        return _div(_mean(arg("total")[b.lo : b.hi]), _mean(arg("count")[b.lo : b.hi]))
    if name == "std":
        return _std(arg("x")[b.lo : b.hi])
    if name == "cumsum":
        return _running_total(arg("total")[: b.hi])
    if name == "timeaverage":
        return _time_average(times, arg("x"), b)
    if name == "maxrate":
        return _div(_mean(arg("count")[b.lo : b.hi]), _mean(arg("duration")[b.lo : b.hi]))
    if name in PER_SECOND:
        field, inverted = PER_SECOND[name]
        total, _ = _kahan(arg(field)[b.lo : b.hi])
        return _div(b.seconds, total) if inverted else _div(total, b.seconds)
    raise ValueError(f"no latest value for kind '{name}'")


def _bucket_row(kind: kinds.Kind, rows: dict, b: Bucket) -> Row:
    times = rows["_time"]
    if kind.name == "mean_std":
        mu, sigma = _arg(kind, rows, "μ"), _arg(kind, rows, "σ")
        pairs = list(zip(mu[b.lo : b.hi], sigma[b.lo : b.hi]))
        weight = _mean([_div(1.0, s * s) for _, s in pairs])
        mean = _div(_mean([_div(m, s * s) for m, s in pairs]), weight)
        sd = _div(1.0, math.sqrt(weight))
        return {"mu": mean, "sigma": sd, "lo": mean - 2 * sd, "hi": mean + 2 * sd}
    if kind.name == "quantiles":
        fields = sorted((f for f in rows if f.startswith("qs.")), key=lambda f: int(f[3:]))
        if not fields:
            _arg(kind, rows, "qs.N")  # raises, naming the fields it has
        names = quantile_names(len(fields))
        return {n: _mean(rows[f][b.lo : b.hi]) for n, f in zip(names, fields)}
    nested = {
        name: [f[len(name) + 1 :] for f in rows if f.startswith(name + ".")]
        for name in kind.arg_names
        if name not in rows
    }
    nested = {name: suffixes for name, suffixes in nested.items() if suffixes}
    if not nested:
        return {"value": _value(kind, lambda n: _arg(kind, rows, n), times, b)}
    # A dict-valued argument: one column per sub-field (`x.a` → `a`).
    suffixes = next(iter(nested.values()))
    row = {}
    for suffix in suffixes:

        def arg(name: str, suffix=suffix) -> list:
            if name in nested:
                return rows.get(f"{name}.{suffix}", [NAN] * len(times))
            return _arg(kind, rows, name)

        row[suffix] = _value(kind, arg, times, b)
    return row


def latest_buckets(kind_name: str, rows: dict, rule_s: float, now_s: float) -> Latest:
    """The last complete bucket and the partial one, with the plots' bucket maths except
    that duty, rate and period divide by min(rule, span) when complete (pavlov's
    first duty bucket is NaN) and by the seconds the partial bucket has covered."""
    kind = kinds.BY_NAME.get(kind_name)
    if kind is None:
        raise ValueError(f"unknown stat kind '{kind_name}'")
    times = rows["_time"]
    if not times:
        return Latest(None, None)
    start_ns, rule_ns, count, partial_from = geometry(times, rule_s, now_s)
    last_s = seconds(times[-1])

    def bucket(k: int) -> Bucket:
        start, end = start_ns + k * rule_ns, start_ns + (k + 1) * rule_ns
        if k < partial_from:
            covered = min(rule_s, last_s)
        else:
            covered = min(rule_s, max(now_s, last_s) - seconds(start))
        return Bucket(bisect_left(times, start), bisect_left(times, end), start, end, covered)

    complete = _bucket_row(kind, rows, bucket(partial_from - 1)) if partial_from > 0 else None
    partial = _bucket_row(kind, rows, bucket(partial_from)) if partial_from < count else None
    return Latest(complete, partial)


def latest_raw(kind_name: str, rows: dict) -> Row | None:
    """The channel's last row on its own: `mean` total/count, `maxrate` count/duration,
    `cumsum` the running total, `rate` count over the gap since the previous row
    (`period` its inverse, `duty` duration over it); other kinds their argument."""
    times = rows["_time"]
    n = len(times)
    if n == 0:
        return None

    def at(name: str, fallback: float = NAN) -> float:
        return rows[name][-1] if name in rows else fallback

    if kind_name in ("mean", "mean_percent"):
        return {"value": _div(at("total"), at("count", 1.0))}
    if kind_name == "maxrate":
        return {"value": _div(at("count", 1.0), at("duration"))}
    if kind_name == "cumsum":
        total = 0.0
        for v in rows.get("total", [1.0] * n):
            total += 0.0 if math.isnan(v) else v
        return {"value": total}
    if kind_name in PER_SECOND:
        gap = seconds(times[-1]) - (seconds(times[-2]) if n > 1 else 0)
        field, inverted = PER_SECOND[kind_name]
        amount = at(field, 1.0 if field == "count" else NAN)
        return {"value": _div(gap, amount) if inverted else _div(amount, gap)}
    if kind_name == "mean_std":
        mu, sigma = at("μ"), at("σ")
        return {"mu": mu, "sigma": sigma, "lo": mu - 2 * sigma, "hi": mu + 2 * sigma}
    if kind_name == "quantiles":
        fields = sorted((f for f in rows if f.startswith("qs.")), key=lambda f: int(f[3:]))
        return {name: at(f) for name, f in zip(quantile_names(len(fields)), fields)}
    kind = kinds.BY_NAME.get(kind_name)
    arg = kind.args[0][0] if kind else "x"
    if arg in rows:
        return {"value": at(arg)}
    return {f[len(arg) + 1 :]: at(f) for f in rows if f.startswith(arg + ".")}


def latest(kind_name: str, rows: dict, rule: float | str, now_s: float) -> Latest:
    """What the monitor shows for a channel at `rule` (seconds, or `"raw"`)."""
    if rule == RAW:
        return Latest(latest_raw(kind_name, rows), None)
    return latest_buckets(kind_name, rows, float(rule), now_s)


def latest_text(kind_name: str, rows: dict, rule: float | str, now_s: float) -> LatestText | None:
    """`latest` formatted by the kind: (complete, partial) texts, `""` where there is no
    value; None for a kind hidden from the monitor (`silent`)."""
    kind = kinds.BY_NAME.get(kind_name)
    if kind is not None and kind.silent:
        return None
    values = latest(kind_name, rows, rule, now_s)
    format = kind.format if kind else "simple"

    def text(row: Row | None) -> str:
        return (format_value(format, row) or "") if row is not None else ""

    return LatestText(text(values.complete), text(values.partial))
