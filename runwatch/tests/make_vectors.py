"""Generate the shared test vectors: `python -m runwatch.tests.make_vectors [OUT_DIR]`.

Writes OUT_DIR/store/ (runs written by the runwatch writer under a frozen
clock, plus hand-made pavlov-style files), OUT_DIR/kinds.json and
OUT_DIR/expected.json, whose values come from the pandas reference.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import re
import shutil
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
from numpy.lib import _format_impl as npformat

import runwatch
from runwatch.store import clock, info, kinds, latest, layout, reading
from runwatch.tests import latest_reference, reference

VECTORS = Path(__file__).resolve().parents[2] / "test" / "vectors"
CREATED = "2024-01-02 03:04:05+00:00"
CREATED_NS = layout.parse_created(CREATED)
# Irregular times (s since created) over five 60 s buckets: [120, 180) is empty
# and the last bucket, [240, 300), is still filling.
TIMES = [
    0.5,
    3.0,
    7.25,
    12.0,
    31.0,
    44.0,
    58.9,
    60.0,
    61.0,
    62.5,
    185.0,
    190.5,
    211.0,
    239.99,
    240.0,
    241.5,
    243.0,
]
RULES = (60, 10)
FINE_RULE_KINDS = ("last", "mean", "rate", "duty", "timeaverage")  # also at 1 s


def _round(x: float) -> float:
    return round(x, 3)


def _write_every_kind(clk: clock.FrozenClock) -> list[tuple[str, str, str]]:
    random.seed(1)
    run = runwatch.new_run("every-kind", description="one channel per kind", params={"lr": 0.001})
    rng = random.Random(2)
    with runwatch.to_run(run):
        for i, t in enumerate(TIMES):
            clk.set(CREATED_NS + round(t * 1e9))
            s = runwatch.stats
            s.last("values.last", math.nan if i == 5 else _round(rng.uniform(-1, 1)))
            s.max("values.max", _round(rng.uniform(0, 10)))
            s.max_percent("values.max_percent", _round(rng.uniform(0, 1)))
            s.mean("loss.mean", _round(rng.uniform(0, 5)), rng.randint(1, 4))
            s.mean_percent("loss.mean_percent", _round(rng.uniform(0, 1)), rng.randint(1, 3))
            s.std("values.std", _round(rng.gauss(0, 1)))
            s.cumsum("progress.cumsum", rng.randint(1, 5))
            s.timeaverage("gpu.timeaverage", _round(rng.uniform(0, 100)))
            s.duty("gpu.duty", _round(rng.uniform(0, 3)))
            s.maxrate("speed.maxrate", _round(rng.uniform(0.1, 2)), rng.randint(1, 8))
            s.rate("speed.rate", rng.randint(1, 16))
            s.period("speed.period", rng.randint(1, 16))
            s.mean_std("eval.mean_std", _round(rng.uniform(-1, 1)), _round(rng.uniform(0.1, 0.5)))
            s.quantiles("latency.quantiles", sorted(_round(rng.uniform(0, 100)) for _ in range(5)))
            s.silent("misc.silent", _round(rng.uniform(0, 1)))
        logging.getLogger("vectors").info("wrote %d rows per channel", len(TIMES))
    cases = []
    for kind in kinds.KINDS:
        channel = next(c for c in reading.channels(run) if c.split(".")[-1] == kind.name)
        rules = RULES + ((1,) if kind.name in FINE_RULE_KINDS else ())
        cases += [(run, channel, kind.name, rule) for rule in rules]
    return cases


def _write_two_writers(clk: clock.FrozenClock) -> list[tuple]:
    """Two threads, one after the other, each with its own file on the same channels."""
    random.seed(3)
    run = runwatch.new_run("two-writers")
    times = {
        "a": [1.0, 5.0, 20.0, 70.0, 75.0],
        "b": [2.0, 5.0, 21.0, 70.0, 130.0],
    }  # 5.0 and 70.0 tie

    def write(name: str, base: float) -> None:
        for i, t in enumerate(times[name]):
            clk.set(CREATED_NS + round(t * 1e9))
            runwatch.stats.last("shared.last", base + i)
            runwatch.stats.mean("shared.mean", base + i)

    with runwatch.to_run(run):
        for name, base in (("a", 100.0), ("b", 200.0)):
            thread = threading.Thread(target=write, args=(name, base))
            thread.start()
            thread.join()
    return [
        (run, c, k, rule)
        for c, k in (("shared.last", "last"), ("shared.mean", "mean"))
        for rule in RULES
    ]


def _write_types(clk: clock.FrozenClock) -> list[tuple]:
    random.seed(4)
    run = runwatch.new_run("types", description="nested, bool, int and narrow fields")
    with runwatch.to_run(run):
        for i, t in enumerate([1.0, 30.0, 65.0, 200.0]):
            clk.set(CREATED_NS + round(t * 1e9))
            runwatch.stats.last("nested.dict", {"a": i, "b": {"c": i / 4}})
            runwatch.stats.last("flags.bool", i % 2 == 0)
            runwatch.stats.max("counts.int", 10 * i - 7)
            runwatch.stats.mean("narrow.f4", np.float32(i + 0.5), np.int32(i + 1))
            runwatch.stats.max("narrow.u1", np.uint8(250 + i))
    channels = [("nested.dict", "last"), ("flags.bool", "last"), ("counts.int", "max")]
    channels += [("narrow.f4", "mean"), ("narrow.u1", "max")]
    return [(run, c, k, 60) for c, k in channels]


def _pavlov_entry(pattern: str, kind: str | None = None) -> dict:
    entry = {
        "_pattern": pattern,
        "_created": CREATED.replace("+", ".000123+"),
        "_process_id": "4242",
        "_process_name": "MainProcess",
        "_thread_id": "140000000000000",
        "_thread_name": "MainThread",
    }
    return {**entry, "kind": kind} if kind else entry


def _write_npr(
    path: Path, fields: list[tuple[str, str]], rows: list[tuple], version, partial: bytes = b""
) -> None:
    dtype = np.dtype(fields)
    with open(path, "wb") as file:
        header = {"descr": dtype.descr, "fortran_order": False, "shape": (0,)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            npformat._write_array_header(file, header, version=version)
        file.write(np.array(rows, dtype).tobytes() + partial)


def _hand_made_run(root: Path, name: str, info_fields: dict, files: dict[str, tuple]) -> None:
    run_dir = root / name
    run_dir.mkdir()
    entries = {}
    for filename, (kind, fields, rows, version, partial) in files.items():
        _write_npr(run_dir / filename, fields, rows, version, partial)
        pattern = re.sub(r"\.\d+\.npr$", ".{n}.npr", filename)
        entries[filename] = _pavlov_entry(pattern, kind)
    (run_dir / "logs.0.txt").write_text("03:04:06 INFO __main__: pavlov says hi\n")
    entries["logs.0.txt"] = _pavlov_entry("logs.{n}.txt")
    (run_dir / "_info.json").write_text(json.dumps({**info_fields, "_files": entries}))


def _stamp(created: str, t: float, unit: str) -> np.datetime64:
    """`t` seconds after `created`, truncated to `unit` as numpy does."""
    ns = layout.parse_created(created) + round(t * 1e9)
    return np.datetime64(ns, "ns").astype(f"datetime64[{unit}]")


def _write_units(root: Path) -> list[tuple]:
    """Older pandas wrote other units; one file per unit and NPY version, some with a partial row."""
    name = "2024-01-02 03-04-06 plain-unit time-units"
    created = "2024-01-02 03:04:06+00:00"
    files = {}
    for unit, version, partial in (
        ("us", (3, 0), b"\x01\x02\x03"),
        ("ms", (2, 0), b""),
        ("s", (1, 0), b"\xff" * 9),
    ):
        rows = [
            (_stamp(created, t, unit), float(i), 1)
            for i, t in enumerate([0.25, 2.0, 59.0, 61.0, 125.0])
        ]
        fields = [("_time", f"<M8[{unit}]"), ("total", "<f8"), ("count", "<i8")]
        files[f"stats.unit.{unit}.0.npr"] = ("mean", fields, rows, version, partial)
    _hand_made_run(root, name, {"_created": created, "_host": "vectors"}, files)
    return [(name, f"unit.{unit}", "mean", rule) for unit in ("us", "ms", "s") for rule in RULES]


def _write_pavlov(root: Path) -> list[tuple]:
    """A run as pavlov wrote it: `_env` in the info, v3 headers, `<M8[us]`, μ/σ field names.

    Its first row is 2 s before `_created` (clock skew between hosts), so its
    buckets start at -2 s rather than 0.
    """
    name = "2024-01-02 03-04-07 mango-beryllium"
    created = "2024-01-02 03:04:07.000001+00:00"
    times = [-2.0, 0.0, 1.0, 30.5, 90.0, 95.0]
    files = {
        "stats.test.0.npr": (
            "mean",
            [("_time", "<M8[us]"), ("total", "<i8"), ("count", "<i8")],
            [(_stamp(created, t, "us"), 4 * (i + 1), 2) for i, t in enumerate(times)],
            (3, 0),
            b"\x00" * 7,
        ),
        "stats.eval.score.0.npr": (
            "mean_std",
            [("_time", "<M8[us]"), ("μ", "<f8"), ("σ", "<f8")],
            [(_stamp(created, t, "us"), 0.1 * i, 0.2 + 0.05 * i) for i, t in enumerate(times)],
            (3, 0),
            b"",
        ),
    }
    info_fields = {
        "description": "written by pavlov",
        "_created": created,
        "_host": "pavlov-box",
        "_env": {"HOME": "/root", "AWS_SECRET_ACCESS_KEY": "do-not-leak"},
    }
    _hand_made_run(root, name, info_fields, files)
    return [(name, "test", "mean", rule) for rule in RULES] + [(name, "eval.score", "mean_std", 60)]


def _normalise_hosts(root: Path) -> None:
    """Pin machine-specific ids so regenerating doesn't churn the committed store."""
    for run_dir in root.iterdir():
        with info.updating(run_dir) as fields:
            if "_env" in fields:
                continue
            fields["_host"] = "vectors"
            for index, entry in enumerate(fields["_files"].values()):
                entry.update(_process_id="1000", _thread_id=str(2000 + index))
        (run_dir / layout.LOCK_FILE).unlink(missing_ok=True)


def _json_value(x):
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def expected_case(root: Path, run: str, channel: str, kind: str, rule_s: int) -> dict:
    created, raw, files, stored = reference.load(root / run, channel)
    out = reference.bucket(kind, raw, rule_s)
    t = [td.value / 1e9 for td in raw.index]  # Timedelta.value is ns
    return {
        "run": run,
        "channel": channel,
        "kind": kind,
        "rule_s": rule_s,
        "created_ns": str(created.value),
        "files": files,
        "rows": len(raw),
        "raw": {"t": t, **{c: [_json_value(v) for v in stored[c]] for c in stored.columns}},
        "index": [td.total_seconds() for td in out.index],
        "columns": {str(c): [_json_value(v) for v in out[c]] for c in out.columns},
    }


def expected(root: Path, cases: list[tuple]) -> dict:
    return {"kinds": kinds.kinds_json(), "cases": [expected_case(root, *case) for case in cases]}


# The monitor's latest values (test/vectors/latest.json): number formats pinned by hand,
# then channels whose expected values come from the pandas reference.
INF = math.inf
FORMAT_CASES = [
    # (format, row, text): 6 significant figures, SI suffixes as the plots' axes
    ("simple", {"value": 0.0}, "0"),
    ("simple", {"value": -0.0}, "0"),
    ("simple", {"value": 1.0}, "1"),
    ("simple", {"value": 0.1 + 0.2}, "0.3"),
    ("simple", {"value": 1 / 3}, "0.333333"),
    ("simple", {"value": -2.5}, "-2.5"),
    ("simple", {"value": 999.0}, "999"),
    ("simple", {"value": 999.9995}, "1k"),  # rounds up into the next suffix
    ("simple", {"value": 1500.0}, "1.5k"),
    ("simple", {"value": 123456.0}, "123.456k"),
    ("simple", {"value": 256000.0}, "256k"),
    ("simple", {"value": -42000.0}, "-42k"),
    ("simple", {"value": 999999.5}, "1M"),  # a tie rounds up, as JS does
    ("simple", {"value": 1234565.0}, "1.23457M"),  # Python's :g would say 1.23456e+06
    ("simple", {"value": 1.85543e10}, "18.5543G"),
    ("simple", {"value": 3.25e15}, "3.25P"),
    ("simple", {"value": 9.99999e20}, "999.999E"),
    ("simple", {"value": 1e21}, "1e21"),
    ("simple", {"value": 1.7976931348623157e308}, "1.79769e308"),
    ("simple", {"value": 0.001}, "0.001"),
    ("simple", {"value": 3e-4}, "0.0003"),
    ("simple", {"value": 1.234567e-4}, "0.000123457"),
    ("simple", {"value": 9.9999996e-5}, "0.0001"),
    ("simple", {"value": 5e-5}, "5e-5"),
    ("simple", {"value": -2.5e-7}, "-2.5e-7"),
    ("simple", {"value": 5e-324}, "4.94066e-324"),
    ("simple", {"value": math.nan}, "nan"),
    ("simple", {"value": INF}, "inf"),
    ("simple", {"value": -INF}, "-inf"),
    ("simple", {"a": 1.0, "b.c": 2.5}, "a=1 b.c=2.5"),
    # percent: pavlov's {:.2%}, ties up
    ("percent", {"value": 0.1234}, "12.34%"),
    ("percent", {"value": 1.0}, "100.00%"),
    ("percent", {"value": 2.5}, "250.00%"),
    ("percent", {"value": 0.000049}, "0.00%"),
    ("percent", {"value": -0.00001}, "0.00%"),
    ("percent", {"value": 0.00125}, "0.13%"),
    ("percent", {"value": 12345.0}, "1.2345M%"),
    ("percent", {"value": math.nan}, "nan"),
    ("percent", {"value": INF}, "inf"),
    ("percent", {"a": 0.5, "b": 0.25}, "a=50.00% b=25.00%"),
    # confidence: μ to 6 figures, 2σ to 2
    ("confidence", {"mu": 0.5, "sigma": 0.02, "lo": 0.46, "hi": 0.54}, "0.5±0.04"),
    ("confidence", {"mu": 0.523412, "sigma": 0.0206, "lo": 0.0, "hi": 0.0}, "0.523412±0.041"),
    ("confidence", {"mu": 0.0012, "sigma": 0.0001, "lo": 0.0, "hi": 0.0}, "0.0012±0.0002"),
    ("confidence", {"mu": 2e7, "sigma": 1.0, "lo": 0.0, "hi": 0.0}, "20M±2"),
    ("confidence", {"mu": 1.85543e10, "sigma": 1.2e8, "lo": 0.0, "hi": 0.0}, "18.5543G±240M"),
    ("confidence", {"mu": math.nan, "sigma": math.nan, "lo": math.nan, "hi": math.nan}, "nan±nan"),
    # quantiles: the 25–75 range, interpolated, 3 figures
    ("quantiles", {"0": 0.0, "25": 10.0, "50": 20.0, "75": 30.0, "100": 40.0}, "10–30"),
    ("quantiles", {"0": 0.0, "50": 1.0, "100": 2.0}, "0.5–1.5"),
    ("quantiles", {"0": 0.0, "33": 3.0, "67": 6.0, "100": 9.0}, "2.25–6.75"),
    ("quantiles", {"0": 1234.0, "100": 5678.0}, "2.35k–4.57k"),
    ("quantiles", {"0": 7.0}, "7–7"),
    ("quantiles", {"0": 0.0, "50": math.nan, "100": 2.0}, "nan–nan"),
    ("null", {"value": 1.0}, None),
]


def _every_kind_rows(n_quantiles: int = 5) -> dict[str, dict[str, list]]:
    """Per kind, seeded rows at TIMES (a NaN among `last`'s, an inf among `max`'s)."""
    rng = random.Random(5)
    u = lambda a, b: [_round(rng.uniform(a, b)) for _ in TIMES]
    ints = lambda a, b: [float(rng.randint(a, b)) for _ in TIMES]
    x = u(-1, 1)
    x[-3] = math.nan
    spiky = u(0, 10)
    spiky[9] = INF
    qs = [sorted(_round(rng.uniform(0, 100)) for _ in range(n_quantiles)) for _ in TIMES]
    return {
        "last": {"x": x},
        "silent": {"x": u(0, 1)},
        "max": {"x": spiky},
        "max_percent": {"x": u(0, 1)},
        "mean": {"total": u(0, 5), "count": ints(1, 4)},
        "mean_percent": {"total": u(0, 1), "count": ints(1, 3)},
        "std": {"x": [_round(rng.gauss(0, 1)) for _ in TIMES]},
        "cumsum": {"total": ints(1, 5)},
        "timeaverage": {"x": u(0, 100)},
        "duty": {"duration": u(0, 3)},
        "maxrate": {"duration": u(0.1, 2), "count": ints(1, 8)},
        "rate": {"count": ints(1, 16)},
        "period": {},  # count defaults to 1
        "mean_std": {"μ": u(-1, 1), "σ": u(0.1, 0.5)},
        "quantiles": {f"qs.{i}": [row[i] for row in qs] for i in range(n_quantiles)},
    }


def _latest_inputs() -> list[tuple]:
    """(name, kind, t, fields, rule, now_s) of every latest-value case."""
    cases = []
    for kind, fields in _every_kind_rows().items():
        for rule in (60, 10, latest.RAW):
            cases.append((f"every kind: {kind}", kind, TIMES, fields, rule, 245.5))
    first = [1.0, 4.0, 9.5, 17.0, 25.0]
    minute = {
        "duty": {"duration": [0.5, 1.5, 2.0, 3.0, 1.0]},
        "rate": {"count": [4.0, 8.0, 8.0, 2.0, 6.0]},
        "period": {"count": [4.0, 8.0, 8.0, 2.0, 6.0]},
        "mean": {"total": [3.0, 1.0, 2.0, 5.0, 4.0]},
        "maxrate": {"duration": [0.5, 1.5, 2.0, 3.0, 1.0], "count": [1.0, 2.0, 2.0, 5.0, 3.0]},
        "timeaverage": {"x": [10.0, 20.0, 30.0, 40.0, 50.0]},
        "cumsum": {"total": [1.0, 2.0, 3.0, 4.0, 5.0]},
        "mean_percent": {"total": [0.5, 0.25, 1.0, 0.75, 0.5]},
    }
    for kind, fields in minute.items():
        # the first minute: only the partial bucket, never nan%
        cases.append((f"first minute: {kind}", kind, first, fields, 60, 30.0))
        # a run shorter than a bucket, long finished: one complete bucket
        cases.append((f"shorter than a bucket: {kind}", kind, first, fields, 60, 3600.0))
    samples = [0.5 * (i + 1) for i in range(500)]
    cumsum = {"total": [512.0] * 500}
    for rule in (60, latest.RAW):
        cases.append(("cumsum of 500 rows", "cumsum", samples, cumsum, rule, 260.0))
    nan, inf = math.nan, INF
    odd = [
        ("trailing NaN", "last", [1.0, 2.0, 61.0, 62.0], {"x": [1.5, 2.5, nan, nan]}, 70.0),
        ("only NaN", "last", [1.0, 2.0], {"x": [nan, nan]}, 30.0),
        ("an infinite mean", "mean", [1.0, 61.0], {"total": [inf, 1.0], "count": [1.0, 0.0]}, 70),
        ("zero over zero", "mean", [1.0, 61.0], {"total": [0.0, 0.0], "count": [0.0, 0.0]}, 70),
        ("a NaN max", "max", [1.0, 61.0], {"x": [2.0, nan]}, 70.0),
        ("σ = 0", "mean_std", [1.0, 61.0], {"μ": [1.0, 2.0], "σ": [0.0, 0.5]}, 70.0),
        ("huge", "last", [1.0, 61.0], {"x": [1.85543e10, 2.5e13]}, 70.0),
        ("tiny", "mean", [1.0, 61.0], {"total": [3e-4, 1e-7], "count": [1.0, 1.0]}, 70.0),
        ("dict-valued", "last", [1.0, 61.0], {"x.a": [1.0, 2.0], "x.b.c": [0.25, nan]}, 70.0),
        ("3 quantiles", "quantiles", [1.0, 61.0], {f"qs.{i}": [i, 2 * i] for i in range(3)}, 70),
        (
            "before created",
            "mean",
            [-2.0, 0.0, 1.0, 30.5, 90.0, 95.0],
            {"total": [1, 2, 3, 4, 5, 6]},
            100,
        ),
        (
            "before created",
            "timeaverage",
            [-2.0, 0.0, 1.0, 30.5, 90.0, 95.0],
            {"x": [1, 2, 3, 4, 5, 6]},
            100,
        ),
        ("now past the last bucket", "rate", [1.0, 61.0, 62.0], {"count": [2.0, 3.0, 4.0]}, 500.0),
        ("rows after now (skew)", "mean", [1.0, 61.0, 125.0, 190.0], {"total": [1, 2, 3, 4]}, 70),
        ("no rows", "mean", [], {"total": [], "count": []}, 30.0),
    ]
    for name, kind, t, fields, now in odd:
        fields = {k: [float(v) for v in vs] for k, vs in fields.items()}
        for rule in (60, latest.RAW):
            cases.append((name, kind, t, fields, rule, float(now)))
    return cases


def _json_row(row: dict | None) -> dict | None:
    return None if row is None else {k: _json_value(v) for k, v in row.items()}


def latest_case(name: str, kind: str, t: list, fields: dict, rule, now_s: float) -> dict:
    if rule == latest.RAW:
        complete, partial = latest_reference.raw_row(kind, t, fields), None
    else:
        complete, partial = latest_reference.buckets(kind, t, fields, rule, now_s)
    spec = kinds.BY_NAME[kind]

    def text(row: dict | None) -> str:
        return (latest.format_value(spec.format, row) or "") if row is not None else ""

    return {
        "name": name,
        "kind": kind,
        "rule": rule,
        "now_s": now_s,
        "rows": {"t": list(t), **{k: [_json_value(v) for v in vs] for k, vs in fields.items()}},
        "complete": _json_row(complete),
        "partial": _json_row(partial),
        "text": None if spec.silent else {"complete": text(complete), "partial": text(partial)},
    }


def latest_vectors() -> dict:
    return {
        "version": 1,
        "formats": [
            {"format": f, "row": _json_row(row), "text": text} for f, row, text in FORMAT_CASES
        ],
        "cases": [latest_case(*case) for case in _latest_inputs()],
    }


def generate(out: Path) -> list[tuple]:
    """Write the store, kinds.json and expected.json under `out`; returns the cases."""
    root = out / "store"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    previous = os.environ.get(layout.ROOT_ENV)
    os.environ[layout.ROOT_ENV] = str(root)
    try:
        with clock.frozen(CREATED_NS) as clk:
            cases = _write_every_kind(clk)
            clk.set(CREATED_NS + 10**9 // 2)
            cases += _write_two_writers(clk)
            clk.set(CREATED_NS + 10**9 // 4)
            cases += _write_types(clk)
        _normalise_hosts(root)
        cases += _write_units(root)
        cases += _write_pavlov(root)
    finally:
        if previous is None:
            os.environ.pop(layout.ROOT_ENV)
        else:
            os.environ[layout.ROOT_ENV] = previous
    (out / "kinds.json").write_text(kinds.dumps())
    (out / "expected.json").write_text(dumps_expected(expected(root, cases)))
    (out / "cases.json").write_text(json.dumps([list(c) for c in cases], ensure_ascii=False) + "\n")
    (out / "latest.json").write_text(dumps_latest(latest_vectors()))
    return cases


def dumps_latest(data: dict) -> str:
    """One case per line: small enough to read, and diffs name the case."""
    lines = [json.dumps(c, ensure_ascii=False, allow_nan=False) for c in data["formats"]]
    cases = [json.dumps(c, ensure_ascii=False, allow_nan=False) for c in data["cases"]]
    return (
        f'{{"version": {data["version"]},\n"formats": [\n'
        + ",\n".join(lines)
        + '\n],\n"cases": [\n'
        + ",\n".join(cases)
        + "\n]}\n"
    )


def dumps_expected(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else VECTORS
    generated = generate(target)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"{len(generated)} cases, {size / 1024:.0f} KiB under {target}")
