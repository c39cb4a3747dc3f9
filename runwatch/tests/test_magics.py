"""`%runs`, `%monitor` and `runwatch.monitor` in a real IPython shell."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import runwatch
from runwatch import widgets
from runwatch.tests.conftest_server import pavlov_info, pavlov_run
from runwatch.widgets import MIME_TYPE

log = logging.getLogger("train")


def write_run(suffix: str = "", **fields) -> str:
    run = runwatch.new_run(suffix, **fields)
    with runwatch.to_run(run):
        for i in range(15):
            log.info("step %d", i)
        runwatch.stats.mean("loss.value", 0.75, 3)
        runwatch.stats.mean_std("eval.score", 1.5, 0.25)
        runwatch.stats.quantiles("latency", [1, 2, 3, 4, 5])
        runwatch.stats.last("lr", 3e-4)
        runwatch.stats.silent("hidden", 1)
        runwatch.stats.rate("samples", 64)
    return run


def test_monitor_publishes_a_bundle_and_returns_at_once(shell, published, store: Path):
    older, newest = write_run("old"), write_run("new")
    shell.run_line_magic("monitor", "-1")
    (bundle,) = published
    assert bundle[MIME_TYPE] == {
        "widget": "monitor",
        "run": newest,
        "query": "-1",
        "root": str(store),
    }
    text = bundle["text/plain"]
    assert text.startswith(f"runwatch monitor: {newest} [finished]")
    assert "step 14" in text and "step 4" not in text  # the last 10 lines only
    assert "loss.value" in text and "0.25" in text  # mean: 0.75 / 3
    assert "1.5±0.5" in text and "2–4" in text and "0.0003" in text
    assert "hidden" not in text and "count=64" not in text  # a rate, not its last row
    assert next(line for line in text.splitlines() if "samples" in line).endswith("(partial)")
    shell.run_line_magic("monitor", "'*old'")
    assert published[1][MIME_TYPE]["run"] == older and published[1][MIME_TYPE]["query"] == "*old"
    shell.run_line_magic("monitor", "")
    assert published[2][MIME_TYPE]["run"] == newest


def test_text_snapshot_says_the_lifecycle_status_and_why(store: Path):
    run = runwatch.new_run("alive")
    with runwatch.to_run(run):
        runwatch.stats.last("x", 1)
        text = widgets.text_snapshot(store, run)
    first = text.splitlines()[0]
    assert first.startswith(f"runwatch monitor: {run} [running] (")
    assert "heartbeat" in first


def test_python_api(shell, published, store: Path):
    run = write_run()
    assert runwatch.monitor() is None
    assert published[0][MIME_TYPE]["run"] == run and published[0][MIME_TYPE]["query"] == "-1"
    runwatch.monitor(run)
    assert published[1][MIME_TYPE]["query"] == run


def test_unknown_or_ambiguous_runs_print_the_candidates(shell, published, store, capsys):
    first, second = write_run("a"), write_run("b")
    shell.run_line_magic("monitor", "nothing-like-this")
    error = capsys.readouterr().err
    assert "No run matches 'nothing-like-this'" in error and first in error and second in error
    assert "Traceback" not in error
    runwatch.monitor("*")
    error = capsys.readouterr().err
    assert "matches 2 runs" in error and first in error
    assert published == []


def test_runs_shows_the_table_with_a_text_snapshot(shell, store, published):
    run = write_run("sweep", description="learning-rate sweep")
    pavlov_run(store, "2021-01-01 00-00-00 broken-run", "{oops")
    pavlov_run(store, "2021-01-02 00-00-00 pavlov-run", pavlov_info(description="old"))
    shell.run_line_magic("runs", "")
    assert published[-1][MIME_TYPE] == {"widget": "table", "query": "", "root": str(store)}
    lines = published[-1]["text/plain"].splitlines()
    assert lines[0].split() == ["run", "age", "status", "reason", "description"]
    assert lines[1].startswith(run) and "finished" in lines[1] and "learning-rate sweep" in lines[1]
    assert "finished cleanly at" in lines[1]
    assert "no heartbeat recorded; nothing written for 60 s" in lines[2]
    assert "pavlov-run" in lines[2] and "stale" in lines[2] and lines[2].rstrip().endswith("old")
    assert "broken-run" in lines[3] and "unreadable" in lines[3] and "invalid JSON" in lines[3]
    shell.run_line_magic("runs", "*pavlov*")
    assert published[-1][MIME_TYPE]["query"] == "*pavlov*"
    lines = published[-1]["text/plain"].splitlines()
    assert len(lines) == 2 and "pavlov-run" in lines[1]
    shell.run_line_magic("runs", "*nope*")
    assert "No runs matching '*nope*'" in published[-1]["text/plain"]


def test_monitor_text_survives_bad_files(shell, published, store: Path):
    run_dir = pavlov_run(
        store,
        "2021-01-01 00-00-00 odd-run",
        pavlov_info(_files={"logs.0.txt": {}, "stats.bad.0.npr": {"kind": "mean"}}),
        {
            "logs.0.txt": b"ok\n\xff\xfe bad utf8\n" + b"x" * 1000 + b"\n",
            "stats.bad.0.npr": b"junk",
        },
    )
    shell.run_line_magic("monitor", run_dir.name)
    text = published[0]["text/plain"]
    assert "\ufffd" in text and "…" in text and "bad" in text and "unreadable" in text


def test_import_runwatch_stays_cheap():
    import subprocess

    code = "import sys, runwatch; runwatch.monitor; print('IPython' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(runwatch.__file__).parent.parent,
    )
    assert out.stdout.strip() == "False"


def test_an_unknown_option_prints_the_usage_and_shows_nothing(shell, published, store, capsys):
    write_run("lr-sweep")
    for magic, line in [
        ("review", "--limt 5 '*sweep*'"),
        ("monitor", "-1 --rule 10s"),
        ("view", "-l"),
        ("runs", "--all"),
    ]:
        shell.run_line_magic(magic, line)
        error = capsys.readouterr().err
        assert "unrecognized arguments" in error and f"usage: %{magic} " in error, error
        assert "No run matches" not in error and "Traceback" not in error
    assert published == []


def test_negative_indexes_are_runs_not_options(shell, published, store, capsys):
    older, newest = write_run("old"), write_run("new")
    shell.run_line_magic("monitor", "-1")
    shell.run_line_magic("review", "-1")
    shell.run_line_magic("view", "-2")
    assert [b[MIME_TYPE].get("run") or b[MIME_TYPE]["runs"] for b in published] == [
        newest,
        [newest],
        [older],
    ]
    shell.run_line_magic("runs", "-2")
    lines = published[-1]["text/plain"].splitlines()
    assert len(lines) == 2 and lines[1].startswith(older)


def test_a_bare_word_matches_part_of_a_name(shell, published, store, capsys):
    first, second = write_run("lr-sweep a"), write_run("lr-sweep b")
    other = write_run("baseline")
    shell.run_line_magic("runs", "lr-sweep")
    lines = published[-1]["text/plain"].splitlines()
    assert [line.split("  ")[0] for line in lines[1:]] == [second, first]
    shell.run_line_magic("monitor", "baseline")
    assert published[-1][MIME_TYPE]["run"] == other
    shell.run_line_magic("monitor", "lr-sweep")  # one run needed: name the candidates
    error = capsys.readouterr().err
    assert "'lr-sweep' matches 2 runs" in error and first in error and second in error
    assert len(published) == 2


def test_unquoted_names_with_spaces_still_resolve(shell, published, store):
    run = write_run("two words")
    shell.run_line_magic("monitor", run)
    assert published[-1][MIME_TYPE]["run"] == run


def test_the_help_shows_the_usage(shell):
    for magic in ("runs", "monitor", "review", "view"):
        help_text = shell.find_line_magic(magic).__doc__
        assert f"%{magic} " in help_text and "positional arguments" in help_text
    assert "--limit" in shell.find_line_magic("review").__doc__
