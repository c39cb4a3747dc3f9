"""The store shape of runwatch issue 10, made once and reused.

    python bench/big_store.py ROOT                          # 1 run × 60 channels × 1 M rows (~1.2 GB)
    python bench/big_store.py ROOT --runs 20 --rows 100000  # the glob: 20 runs × 60 × 100 k (~2.4 GB)
    python bench/big_store.py ROOT --channels 6             # the quick run: 6 channels × 1 M rows
    python bench/big_store.py ROOT ... --json               # print the manifest (JSON) on stdout

ROOT is a store root (a `RUNWATCH_ROOT`). Channels come in groups of 3 labels,
`gNN.a`, `gNN.b`, `gNN.c`; a group's kind is the same for its 3 labels: of 20
groups, 8 `last`, 8 `mean`, 2 `max`, 1 `mean_percent`, 1 `max_percent`.
Each channel's rows are evenly spaced over one day after the run's `_created`
(row i at i × 86400 / rows seconds), values a noisy wave around 1. `_created` is
a day and a minute before the store was made (the folder's name keeps the
time it was written): a run that finished a minute ago. Rows dated after
`now` would not be a finished run, and make the kernel's text snapshot read
every row (runwatch/store/latest_rows.py reads back from the end to `now`).

The spike: in the first run, the first `mean` channel (`g08.a` with 60
channels, `g01.a` with 6) holds 1e4 in the 10 rows from rows / 2, which is
exactly 43200 s (12h00) after `_created` (with 1 M rows: 43200.0000 to
43200.7776 s, a row every 86.4 ms). At the 60 s rule the mean line averages it
to ~145; the band and the raw rule show 1e4.

Idempotent: a hidden manifest in ROOT (`.big_store-<runs>x<channels>x<rows>.json`,
ignored by the store's listing) records the spec, the runs and every file's
size. When it matches the spec and every file is there at its size, nothing
is written. The rows are written by `bench/review_bench.py`'s `make_run` (the
runwatch writer for `_info.json` and headers, numpy for the rows).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

VERSION = 2  # bump when the generated data changes
SPAN_S = 86400.0
SPIKE_VALUE = 1e4
SPIKE_ROWS = 10
LABELS = ("a", "b", "c")


def group_kind(group: int, groups: int) -> str:
    """Of 20 groups: 8 last, 8 mean, 2 max, 1 mean_percent, 1 max_percent."""
    share = group / groups
    if share < 0.4:
        return "last"
    if share < 0.8:
        return "mean"
    if share < 0.9:
        return "max"
    return "mean_percent" if share < 0.95 else "max_percent"


def channels_spec(channels: int, rows: int, spike: bool) -> list[dict]:
    groups = -(-channels // len(LABELS))
    out = []
    for index in range(channels):
        group, label = divmod(index, len(LABELS))
        out.append(
            {
                "name": f"g{group:02d}.{LABELS[label]}",
                "kind": group_kind(group, groups),
                "rows": rows,
            }
        )
    if spike:
        target = next(c for c in out if c["kind"] == "mean")
        target["spike"] = [rows // 2, SPIKE_VALUE, SPIKE_ROWS]
    return out


def spec_of(runs: int, channels: int, rows: int) -> dict:
    return {"version": VERSION, "runs": runs, "channels": channels, "rows": rows, "span_s": SPAN_S}


def manifest_path(root: str, spec: dict) -> str:
    return os.path.join(root, f".big_store-{spec['runs']}x{spec['channels']}x{spec['rows']}.json")


def suffix_of(spec: dict) -> str:
    key = f"{spec['channels']}x{spec['rows']}"
    return f"big-{key}" if spec["runs"] == 1 else f"glob-{spec['runs']}x{key}"


def folder_sizes(root: str, run: str) -> dict[str, int]:
    folder = os.path.join(root, run)
    return {
        name: os.path.getsize(os.path.join(folder, name)) for name in sorted(os.listdir(folder))
    }


def existing(root: str, spec: dict) -> dict | None:
    """The manifest, if it matches `spec` and every file is there at its size."""
    try:
        with open(manifest_path(root, spec)) as file:
            manifest = json.load(file)
        if manifest["spec"] != spec:
            return None
        for run, sizes in manifest["files"].items():
            folder = os.path.join(root, run)
            for name, size in sizes.items():
                if os.path.getsize(os.path.join(folder, name)) != size:
                    return None
        return manifest
    except (OSError, ValueError, KeyError):
        return None


def generate(root: str, spec: dict) -> dict:
    os.environ["RUNWATCH_ROOT"] = root  # make_run writes to runwatch.store_root()
    from review_bench import make_run

    os.makedirs(root, exist_ok=True)
    # The rows' spacing gives the spike an exact time: row i at i × span / rows.
    span_s = spec["span_s"] * (spec["rows"] - 1) / spec["rows"]
    runs = []
    for index in range(spec["runs"]):
        channels = channels_spec(spec["channels"], spec["rows"], spike=index == 0)
        params = {"lr": round(1e-3 * (index + 1), 6), "seed": index}
        run = make_run(
            {
                "channels": channels,
                "params": params,
                "suffix": suffix_of(spec),
                "span_s": span_s,
                "ago_s": spec["span_s"] + 60,
            }
        )
        runs.append(run)
        print(f"  wrote {run}", file=sys.stderr, flush=True)
    spike_channel = next(
        c for c in channels_spec(spec["channels"], spec["rows"], True) if "spike" in c
    )
    row = spike_channel["spike"][0]
    manifest = {
        "spec": spec,
        "root": root,
        "runs": runs,
        "glob": f"*{suffix_of(spec)}*",
        "spike": {
            "run": runs[0],
            "channel": spike_channel["name"],
            "rows": [row, row + SPIKE_ROWS],
            "value": SPIKE_VALUE,
            "t_s": [
                row * spec["span_s"] / spec["rows"],
                (row + SPIKE_ROWS - 1) * spec["span_s"] / spec["rows"],
            ],
        },
        "files": {run: folder_sizes(root, run) for run in runs},
    }
    tmp = manifest_path(root, spec) + ".tmp"
    with open(tmp, "w") as file:
        json.dump(manifest, file, indent=1)
    os.replace(tmp, manifest_path(root, spec))
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", help="the store root (RUNWATCH_ROOT) to fill")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--channels", type=int, default=60)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="print the manifest on stdout")
    args = parser.parse_args()
    if args.runs < 1 or args.channels < 1 or args.rows < 2 * SPIKE_ROWS:
        parser.error("--runs and --channels must be ≥ 1 and --rows ≥ 20")
    root = os.path.abspath(os.path.expanduser(args.root))
    spec = spec_of(args.runs, args.channels, args.rows)
    started = time.perf_counter()
    manifest = existing(root, spec)
    made = manifest is None
    if made:
        print(
            f"big_store: writing {args.runs} × {args.channels} × {args.rows} into {root}",
            file=sys.stderr,
        )
        manifest = generate(root, spec)
    size = sum(sum(sizes.values()) for sizes in manifest["files"].values())
    spike = manifest["spike"]
    print(
        f"big_store: {'made' if made else 'reused'} {len(manifest['runs'])} run(s) × {args.channels} channels"
        f" × {args.rows} rows, {size / 1e6:.0f} MB, in {root}"
        f" ({time.perf_counter() - started:.1f} s); glob {manifest['glob']!r}\n"
        f"  spike: {spike['value']:g} in {spike['run']} {spike['channel']} rows {spike['rows'][0]}–"
        f"{spike['rows'][1] - 1}, t = {spike['t_s'][0]:.4f}–{spike['t_s'][1]:.4f} s after _created",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(manifest))


if __name__ == "__main__":
    main()
