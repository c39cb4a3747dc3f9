"""Write the small `.npr` fixtures the src/store specs decode.

Run from the repo root: `.venv/bin/python src/store/__fixtures__/make_fixtures.py`.
Headers are written by NumPy itself (as pavlov does), so the TypeScript
parser is tested against the real thing. `expected.json` holds what each file
must decode to: times as seconds since ORIGIN_NS, computed in integer ns.
"""

import json
from io import BytesIO
from pathlib import Path

import numpy as np

try:  # numpy >= 2 keeps the private writer pavlov used here
    from numpy.lib import _format_impl as npformat
except ImportError:
    from numpy.lib import format as npformat

HERE = Path(__file__).parent
ORIGIN_NS = 1614602096789012345  # 2021-03-01 12:34:56.789012345 UTC


def header(dtype, version, shape=(0,)):
    bs = BytesIO()
    descr = npformat.dtype_to_descr(np.dtype(dtype))
    npformat._write_array_header(bs, {"descr": descr, "fortran_order": False, "shape": shape}, version=version)
    return bs.getvalue()


def seconds(ns):
    import pandas as pd

    return pd.Timedelta(int(ns) - ORIGIN_NS, unit="ns").total_seconds()


def write(name, dtype, rows, version, extra=b""):
    arr = np.array(rows, dtype=dtype)
    (HERE / name).write_bytes(header(dtype, version) + arr.tobytes() + extra)
    expected = {}
    for field in arr.dtype.names or [""]:
        col = arr[field] if field else arr
        if col.dtype.kind == "M":
            ns = col.astype("datetime64[ns]").astype(np.int64)
            expected[field] = [seconds(v) for v in ns]
        else:
            expected[field] = [float(v) if np.isfinite(v) else str(float(v)) for v in col]
    return {"version": list(version), "rows": len(arr), "columns": expected}


def main():
    rng = np.random.default_rng(0)
    expected = {}

    base = np.datetime64(ORIGIN_NS, "ns")
    times = base + np.cumsum(rng.integers(1, 3_000_000_000, 40)).astype("timedelta64[ns]")
    basic = [(t, rng.normal(), 1.0) for t in times]
    expected["basic.npr"] = write(
        "basic.npr", [("_time", "<M8[ns]"), ("total", "<f8"), ("count", "<f8")], basic, (3, 0), extra=b"\x01\x02\x03"
    )

    qs = [(t, *np.sort(rng.normal(size=5))) for t in times[:25]]
    expected["quantiles.npr"] = write(
        "quantiles.npr", [("_time", "<M8[ns]")] + [(f"qs.{i}", "<f8") for i in range(5)], qs, (2, 0)
    )

    mixed_dtype = [
        ("_time", "<M8[us]"),
        ("f4", "<f4"),
        ("i2", "<i2"),
        ("b1", "|b1"),
        ("i8", "<i8"),
        ("u4", "<u4"),
        ("u1", "|u1"),
        ("i1", "|i1"),
        ("u2", "<u2"),
        ("u8", "<u8"),
        ("it's", "<i4"),
        ("μ", "<f8"),
        ("f2", "<f2"),
    ]
    mixed = [
        (
            np.datetime64(ORIGIN_NS // 1000 + i * 1_234_567 - 5_000_000, "us"),
            i / 8,
            -i * 1000,
            i % 3 == 0,
            (-1) ** i * (2**40 + i),
            3_000_000_000 + i,
            200 + i,
            -100 + i,
            60000 + i,
            2**63 + 2**12 * i,
            -(2**31) + i,
            i * 1.5,
            [0.0, -2.5, 65504.0, 1e-7, np.inf, -np.inf][i % 6] if i < 12 else 0.1,
        )
        for i in range(13)
    ]
    expected["mixed.npr"] = write("mixed.npr", mixed_dtype, mixed, (3, 0))

    plain = [1.5, -2.25, 1e300]
    expected["plain_v1.npr"] = write("plain_v1.npr", "<f8", plain, (1, 0))

    secs = [(np.datetime64(ORIGIN_NS // 10**9 + i * 61, "s"), i) for i in range(-2, 5)]
    expected["seconds_v1.npr"] = write("seconds_v1.npr", [("_time", "<M8[s]"), ("x", "<i4")], secs, (1, 0))

    expected["_origin_ns"] = str(ORIGIN_NS)
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()


# --- Aggregation cases: pavlov's kinds, evaluated by pandas -----------------
# Each kind below restates pavlov/stats/timeseries/kinds.py in pandas 2/3
# syntax; the TypeScript aggregate must match these to 1e-9.


def _pavlov_frame(t_ns, fields):
    """pavlov's TimeseriesReader.resample input: a NaN row at 0, then the rows."""
    import pandas as pd

    raw = pd.DataFrame(fields, index=pd.to_timedelta(np.asarray(t_ns, dtype=np.int64), unit="ns"))
    nan_row = pd.DataFrame(np.nan, [pd.Timedelta(0)], raw.columns)
    raw = pd.concat([nan_row, raw])
    raw.index.name = "_time"
    return raw


def _aggregate(kind, raw, rule):
    import pandas as pd

    r = dict(rule=rule)
    if kind in ("last", "silent"):
        return {"value": raw["x"].resample(**r).last().ffill()}
    if kind in ("max", "max_percent"):
        return {"value": raw["x"].resample(**r).max()}
    if kind in ("mean", "mean_percent"):
        return {"value": raw["total"].resample(**r).mean() / raw["count"].resample(**r).mean()}
    if kind == "std":
        return {"value": raw["x"].resample(**r).std()}
    if kind == "cumsum":
        return {"value": raw["total"].resample(**r).sum().cumsum()}
    if kind == "timeaverage":
        y = raw["x"].sort_index()
        dt = y.index.to_series().diff().dt.total_seconds()
        return {"value": (y * dt).resample(**r).mean() / dt.resample(**r).mean()}
    if kind == "duty":
        sums = raw["duration"].resample(**r).sum()
        return {"value": sums / sums.index.to_series().diff().dt.total_seconds()}
    if kind == "maxrate":
        return {"value": raw["count"].resample(**r).mean() / raw["duration"].resample(**r).mean()}
    if kind in ("rate", "period"):
        count = raw["count"]
        counts = count.resample(**r).sum()
        dt = pd.to_timedelta(counts.index.freq).total_seconds()
        dt = min(dt, (count.index[-1] - count.index[0]).total_seconds())
        return {"value": counts / dt if kind == "rate" else dt / counts}
    if kind == "mean_std":
        mu, sigma = raw["μ"], raw["σ"]
        mean = (mu / sigma**2).resample(**r).mean() / (1 / sigma**2).resample(**r).mean()
        sd = 1 / (1 / sigma**2).resample(**r).mean() ** 0.5
        return {"mu": mean, "sigma": sd, "lo": mean - 2 * sd, "hi": mean + 2 * sd}
    if kind == "quantiles":
        qs = raw[[c for c in raw.columns if c.startswith("qs.")]]
        averages = qs.resample(**r).mean()
        names = [f"{100 * q:.0f}" for q in np.linspace(0, 1, averages.shape[1])]
        return dict(zip(names, (averages[c] for c in averages.columns)))
    raise ValueError(kind)


ARGS = {
    "last": ["x"], "silent": ["x"], "max": ["x"], "max_percent": ["x"], "std": ["x"], "timeaverage": ["x"],
    "mean": ["total", "count"], "mean_percent": ["total", "count"], "cumsum": ["total"],
    "duty": ["duration"], "maxrate": ["duration", "count"], "rate": ["count"], "period": ["count"],
    "mean_std": ["μ", "σ"], "quantiles": [f"qs.{i}" for i in range(5)],
}


def _json_number(v):
    v = float(v)
    if np.isnan(v):
        return None
    if np.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _times(rng, shape):
    """Integer ns offsets from _created for a few awkward shapes of data."""
    if shape == "dense":
        return np.sort(rng.integers(0, 600 * 10**9, 120))
    if shape == "sparse":  # long empty stretches, so empty buckets
        return np.sort(np.concatenate([rng.integers(0, 10**11, 10), rng.integers(5 * 10**11, 6 * 10**11, 10)]))
    if shape == "edges":  # rows exactly on bucket edges, and duplicates
        edges = np.array([0, 0, 15, 30, 60, 60, 60, 75, 120, 180, 181, 239]) * 10**9
        return np.sort(np.concatenate([edges, edges[:4] + 1, edges[4:8] - 1]))
    if shape == "fine":  # the edges pattern at 1/100 scale, for a sub-second rule
        edges = np.array([0, 0, 15, 30, 60, 60, 60, 75, 120, 180, 181, 239]) * 10**7
        return np.sort(np.concatenate([edges, edges[:4] + 1, edges[4:8] - 1]))
    if shape == "negative":  # rows before _created, as with clock skew
        return np.sort(rng.integers(-100 * 10**9, 200 * 10**9, 30))
    if shape == "single":
        return np.array([42 * 10**9])
    if shape == "late":  # first row long after _created
        return np.sort(rng.integers(3600 * 10**9, 3700 * 10**9, 30))
    raise ValueError(shape)


def _values(rng, kind, name, n, with_specials):
    if name in ("count", "duration") or name == "σ":
        v = rng.uniform(0.5, 3, n)
    elif name.startswith("qs."):
        v = rng.normal(int(name[3:]), 1, n)
    else:
        v = rng.normal(0, 10, n)
    if with_specials and n > 8:
        v[rng.integers(0, n, 3)] = np.nan
        if name not in ("σ", "count", "duration"):
            v[rng.integers(0, n)] = np.inf
    return v


def aggregate_cases():
    rng = np.random.default_rng(1)
    cases = []
    for kind in ARGS:
        for shape in ("dense", "sparse", "edges", "fine", "negative", "single", "late"):
            for rule in (60.0, 15.0, 0.25):
                if (rule == 0.25) != (shape in ("fine", "single")) and shape != "single":
                    continue
                if shape in ("late", "dense") and rule != 60.0:
                    continue
                t = _times(rng, shape)
                with_specials = shape in ("dense", "sparse")
                fields = {a: _values(rng, kind, a, len(t), with_specials) for a in ARGS[kind]}
                out = _aggregate(kind, _pavlov_frame(t, fields), f"{int(rule * 1000)}ms")
                index = next(iter(out.values())).index
                cases.append(
                    {
                        "kind": kind,
                        "shape": shape,
                        "rule_s": rule,
                        "t_ns": [int(v) for v in t],
                        "fields": {a: [_json_number(v) for v in vs] for a, vs in fields.items()},
                        "index": [s.total_seconds() for s in index],
                        "columns": {c: [_json_number(v) for v in s.to_numpy()] for c, s in out.items()},
                    }
                )
    (HERE / "aggregate_cases.json").write_text(json.dumps(cases, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    aggregate_cases()
