"""Make big runs fast, for the plots' bench and Galata specs.

    python bench/review_bench.py '{"channels": [{"name": "loss.train", "kind": "mean",
        "rows": 1000000, "spike": [500000, 1e6]}], "params": {"lr": 0.1}, "suffix": "big"}'

creates a run in `runwatch.store_root()` with the runwatch writer (so `_info.json`
and every header are the writer's own), then replaces each channel's rows with
`rows` rows written straight from numpy: times evenly spread over `span_s` seconds
(default 2 h) after `_created`, values a noisy wave, and an optional spike
`[row, value]` or `[row, value, length]` (that many rows from `row`). With
`ago_s`, `_created` is moved that far back first (rows after `now` are not what a
finished run has). Prints the run's name.
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

import runwatch

# The first call's arguments per kind: it makes the file and its header.
FIRST_ARGS = {
    "last": (0.0,),
    "max": (0.0,),
    "max_percent": (0.0,),
    "mean": (0.0, 1),
    "mean_percent": (0.0, 1),
    "mean_std": (0.0, 1.0),
    "quantiles": ([0.0, 1.0, 2.0, 3.0, 4.0],),
    "rate": (1,),
    "cumsum": (1,),
}


def channel_rows(dtype: np.dtype, rows: int, created_ns: int, span_s: float, seed: int):
    rng = np.random.default_rng(seed)
    out = np.zeros(rows, dtype=dtype)
    out["_time"] = (created_ns + np.linspace(0, span_s * 1e9, rows, dtype=np.int64)).astype(
        "datetime64[ns]"
    )
    phase = np.linspace(0, 6 * np.pi, rows)
    wave = 1.0 + 0.5 * np.sin(phase + seed) + 0.05 * rng.standard_normal(rows)
    for name in dtype.names[1:]:
        if name == "count":
            out[name] = 1
        elif name == "σ":
            out[name] = 0.1
        elif name.startswith("qs."):
            out[name] = wave + int(name[3:]) * 0.2
        elif name in ("total", "x", "μ", "count"):
            out[name] = wave
    return out


def _read_header_3(file):
    import ast
    import struct

    (length,) = struct.unpack("<I", file.read(4))
    header = ast.literal_eval(file.read(length).decode("utf-8"))
    return header["shape"], header["fortran_order"], np.dtype(header["descr"])


def _move_created(folder: str, ago_s: float) -> dict:
    """Move the run's `_created` (and its files') `ago_s` seconds back, so that rows
    spread over `span_s` after it end in the past, as a finished run's do."""
    from datetime import datetime, timedelta

    path = os.path.join(folder, "_info.json")
    with open(path) as file:
        info = json.load(file)
    shift = timedelta(seconds=ago_s)
    for entry in [info, *info.get("_files", {}).values()]:
        entry["_created"] = (datetime.fromisoformat(entry["_created"]) - shift).isoformat(sep=" ")
    with open(path + ".tmp", "w") as file:
        json.dump(info, file)
    os.replace(path + ".tmp", path)
    return info


def make_run(spec: dict) -> str:
    run = runwatch.new_run(spec.get("suffix", ""), params=spec.get("params", {}))
    folder = os.path.join(runwatch.store_root(), run)
    channels = spec["channels"]
    with runwatch.to_run(run):
        for channel in channels:
            kind = channel.get("kind", "last")
            getattr(runwatch.stats, kind)(channel["name"], *FIRST_ARGS[kind])
    info = runwatch.info(run)
    if spec.get("ago_s"):
        info = _move_created(folder, spec["ago_s"])
    created_ns = int(np.datetime64(info["_created"].replace("+00:00", ""), "ns").astype(np.int64))
    for seed, channel in enumerate(channels):
        path = os.path.join(folder, f"stats.{channel['name']}.0.npr")
        with open(path, "rb") as file:
            version = np.lib.format.read_magic(file)
            read = {
                (1, 0): np.lib.format.read_array_header_1_0,
                (2, 0): np.lib.format.read_array_header_2_0,
            }.get(version)
            # Version 3 (UTF-8 field names: μ, σ) reads like 2 with a UTF-8 header.
            _, _, dtype = (read or _read_header_3)(file)
            offset = file.tell()
        # `data_seed` makes runs of one spec differ (a sweep's runs).
        seed += int(spec.get("data_seed", 0))
        rows = channel_rows(dtype, channel["rows"], created_ns, spec.get("span_s", 7200), seed)
        field = "total" if "total" in dtype.names else dtype.names[1]
        if channel.get("kind", "").endswith("percent"):
            rows[field] *= 0.5  # fractions: the plots show 0–100 %
        rows[field] *= channel.get("scale", 1)  # e.g. a counter beside a rate
        if "spike" in channel:
            row, value, length = (*channel["spike"], 1)[:3]
            rows[field][row : row + length] = value
        with open(path, "r+b") as file:
            file.truncate(offset)
            file.seek(offset)
            file.write(rows.tobytes())
    return run


if __name__ == "__main__":
    print(make_run(json.loads(sys.argv[1])), flush=True)
