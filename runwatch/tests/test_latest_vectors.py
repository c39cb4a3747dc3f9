"""The monitor's latest values and formats (runwatch/store/latest.py) against the shared
cases in test/vectors/latest.json, which test/latest.spec.ts checks the TypeScript by."""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import pytest

import runwatch
from runwatch import widgets
from runwatch.store import clock, latest, latest_rows, layout
from runwatch.store.reading import channels, read_channel
from runwatch.tests import latest_reference, make_vectors

VECTORS = make_vectors.VECTORS / "latest.json"


def number(v) -> float:
    if v is None:
        return math.nan
    return {"Infinity": math.inf, "-Infinity": -math.inf}.get(v, v)


def json_row(row: dict | None) -> dict | None:
    return None if row is None else {k: number(v) for k, v in row.items()}


def rows_of(case: dict) -> dict[str, list]:
    """The case's rows as latest.py takes them: `_time` in int ns, values as floats."""
    t = case["rows"]["t"]
    fields = {k: [number(v) for v in vs] for k, vs in case["rows"].items() if k != "t"}
    return {"_time": [round(s * 1e9) for s in t], **fields}


def same_row(got: dict | None, want: dict | None) -> bool:
    if got is None or want is None:
        return got is want
    return list(got) == list(want) and all(latest_reference.is_close(got[k], want[k]) for k in want)


@pytest.fixture(scope="module")
def vectors() -> dict:
    return json.loads(VECTORS.read_text())


def test_regenerating_gives_the_committed_file():
    assert make_vectors.dumps_latest(make_vectors.latest_vectors()) == VECTORS.read_text()


def test_the_cases_cover_every_kind_and_rule(vectors):
    cases = vectors["cases"]
    assert {c["kind"] for c in cases} == set(latest.kinds.BY_NAME)
    assert {c["rule"] for c in cases} == {60, 10, "raw"}
    assert {c["format"] for c in vectors["formats"]} == {f for f in latest.FORMATTERS}


def test_formats(vectors):
    for case in vectors["formats"]:
        assert latest.format_value(case["format"], json_row(case["row"])) == case["text"], case


def test_latest_values_and_texts(vectors):
    for case in vectors["cases"]:
        rows = rows_of(case)
        got = latest.latest(case["kind"], rows, case["rule"], case["now_s"])
        label = f"{case['name']} ({case['kind']}, {case['rule']})"
        assert same_row(got.complete, json_row(case["complete"])), (label, got)
        assert same_row(got.partial, json_row(case["partial"])), (label, got)
        text = latest.latest_text(case["kind"], rows, case["rule"], case["now_s"])
        want = case["text"]
        assert (text._asdict() if text else None) == want, label


def test_the_first_minute_shows_the_partial_bucket_not_nan(vectors):
    first = {c["kind"]: c for c in vectors["cases"] if c["name"].startswith("first minute")}
    assert first["duty"]["text"] == {"complete": "", "partial": "26.67%"}
    assert first["rate"]["text"]["partial"] == "0.933333"
    shorter = next(c for c in vectors["cases"] if c["name"] == "shorter than a bucket: duty")
    assert shorter["text"]["complete"] == "32.00%"  # 8 s busy in a 25 s run


# --- the kernel's text snapshot reads only what it needs -----------------------------


def write_run(clk: clock.FrozenClock, created_ns: int, seconds: int, per_second: int) -> str:
    """Two threads writing every kind, `per_second` rows a second each."""
    run = runwatch.new_run("latest")

    def write(offset_ns: int) -> None:
        for i in range(seconds * per_second):
            clk.set(created_ns + offset_ns + i * 10**9 // per_second)
            s = runwatch.stats
            s.last("v.last", math.nan if i % 7 == 0 else i / 10)
            s.cumsum("v.cumsum", 128)
            s.mean("v.mean", i % 5, 2)
            s.timeaverage("v.timeaverage", i % 11)
            s.duty("v.duty", 0.25)
            s.rate("v.rate", 3)
            s.quantiles("v.quantiles", [i, i + 1, i + 2])

    with runwatch.to_run(run):
        for offset in (0, 10**9 // (3 * per_second)):
            thread = threading.Thread(target=write, args=(offset,))
            thread.start()
            thread.join()
    return run


def test_the_tail_read_gives_what_every_row_gives(store: Path, monkeypatch):
    monkeypatch.setattr(latest_rows, "CHUNK_ROWS", 64)  # many chunks over 7,200 rows
    created_ns = layout.parse_created("2024-01-02 03:04:05+00:00")
    with clock.frozen(created_ns) as clk:
        run = write_run(clk, created_ns, 360, 10)
    for channel in channels(run).values():
        every = read_channel(run, channel.name)
        every["_time"] = [t - created_ns for t in every["_time"]]
        every = {k: [float(v) if k != "_time" else v for v in vs] for k, vs in every.items()}
        paths = [store / run / f for f in channel.files]
        for now_s in (45.0, 330.5, 365.0, 10_000.0):  # at 45 s, most rows are from the future
            tail = latest_rows.read_latest_rows(paths, channel.kind, created_ns, 60, now_s)
            if now_s > 120 and channel.kind != "cumsum":
                assert len(tail["_time"]) < len(every["_time"]), channel.name
            want = latest.latest_buckets(channel.kind, every, 60, now_s)
            got = latest.latest_buckets(channel.kind, tail, 60, now_s)
            assert same_row(got.complete, want.complete), (channel.name, now_s)
            assert same_row(got.partial, want.partial), (channel.name, now_s)


def test_a_monitor_snapshot_shows_the_kinds_values(store: Path):
    """The saved notebook's text: a cumsum's total, not its last row; SI suffixes; no nan%."""
    created_ns = clock.now_ns()
    with clock.frozen(created_ns) as clk:
        run = runwatch.new_run("snapshot")
        with runwatch.to_run(run):
            for i in range(2000):
                clk.set(created_ns + i * 10**6)  # 2 s of rows: the first minute
                runwatch.stats.cumsum("perf.samples", 128)
                runwatch.stats.duty("perf.busy", 0.0005)
                runwatch.stats.last("perf.flops", 1.85543e10)
    text = widgets.text_snapshot(store, run)
    lines = {line.split()[0]: line.split()[1:] for line in text.splitlines()[2:]}
    assert lines["perf.samples"] == ["256k", "(partial)"]
    assert lines["perf.flops"] == ["18.5543G", "(partial)"]
    assert lines["perf.busy"][0].endswith("%") and "nan" not in text


def test_the_kernel_never_reads_a_huge_channel_for_its_text(store: Path, monkeypatch):
    """A cumsum of more rows than the quick look reads says so instead of reading them."""
    monkeypatch.setattr(latest_rows, "MAX_ROWS", 500)
    created_ns = clock.now_ns()
    with clock.frozen(created_ns) as clk:
        run = runwatch.new_run("huge")
        with runwatch.to_run(run):
            for i in range(2000):
                clk.set(created_ns + i * 10**6)
                runwatch.stats.cumsum("perf.samples", 1)
                runwatch.stats.last("perf.step", i)
    text = widgets.text_snapshot(store, run)
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("  ")}
    assert "needs 2,000 rows, over the 500 the kernel reads" in lines["perf.samples"]
    assert lines["perf.step"].split()[1] == "1.999k"
