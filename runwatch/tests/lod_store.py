"""Runs for the series tests and the bench: `.npr` files written with numpy directly,
so a test can make a million rows, a spike, a corrupt header or a file out of order."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from runwatch.store import npr

CREATED = "2024-01-01 00:00:00+00:00"
CREATED_AT = np.datetime64("2024-01-01T00:00:00", "ns")


def records(seconds: np.ndarray, dtype: list[tuple[str, str]], **values) -> np.ndarray:
    """Rows at `seconds` since CREATED; fields from `values` (NaN-free ints allowed)."""
    array = np.zeros(len(seconds), [("_time", "<M8[ns]"), *dtype])
    array["_time"] = CREATED_AT + np.round(np.asarray(seconds) * 1e9).astype("timedelta64[ns]")
    for name, column in values.items():
        array[name] = column
    return array


def write_npr(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as f:
        f.write(npr.encode_header(np.lib.format.dtype_to_descr(array.dtype)))
        f.write(array.tobytes())


def append_npr(path: Path, array: np.ndarray) -> None:
    with open(path, "ab") as f:
        f.write(array.tobytes())


def make_run(store: Path, name: str, channels: dict[str, tuple[str, list[np.ndarray]]]) -> Path:
    """A run folder: channel -> (kind, one array per file `stats.<channel>.<N>.npr`)."""
    run_dir = store / name
    run_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for channel, (kind, arrays) in channels.items():
        for n, array in enumerate(arrays):
            filename = f"stats.{channel}.{n}.npr"
            write_npr(run_dir / filename, array)
            files[filename] = {"kind": kind, "_pattern": f"stats.{channel}.{{n}}.npr"}
    (run_dir / "_info.json").write_text(json.dumps({"_created": CREATED, "_files": files}))
    return run_dir
