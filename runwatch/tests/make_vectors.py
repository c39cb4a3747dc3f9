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
from runwatch.store import clock, info, kinds, layout
from runwatch.tests import reference

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
        channel = next(
            c for c in runwatch.store.reading.channels(run) if c.split(".")[-1] == kind.name
        )
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
    return cases


def dumps_expected(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else VECTORS
    generated = generate(target)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"{len(generated)} cases, {size / 1024:.0f} KiB under {target}")
