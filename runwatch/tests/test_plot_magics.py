"""`%review`, `%view`, `runwatch.review` and `runwatch.view` in a real IPython shell."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from IPython.core.error import UsageError

import runwatch
from runwatch import low_priority
from runwatch.magics import parse_plot_args
from runwatch.tests.test_magics import write_run
from runwatch.widgets import MIME_TYPE, PLOT_LIMIT


def short(run: str) -> list[str]:
    """The words of a run's name after its date stamp (`neat-river new`)."""
    return run.split(" ", 2)[2].split()


@pytest.mark.parametrize("widget", ["review", "view"])
def test_magic_publishes_the_runs_bundle_and_a_text_table(widget, shell, published, store: Path):
    older, newest = write_run("old"), write_run("new")
    started = time.perf_counter()
    shell.run_line_magic(widget, "")
    assert time.perf_counter() - started < 1.0
    (bundle,) = published
    assert bundle[MIME_TYPE] == {
        "widget": widget,
        "runs": [newest],
        "query": "-1",
        "root": str(store),
    }
    lines = bundle["text/plain"].splitlines()
    assert lines[0] == f"runwatch {widget}: {newest}"
    assert lines[1].split() == ["channel", *short(newest)]
    table = "\n".join(lines)
    assert "loss.value" in table and "0.25" in table and "1.5±0.5" in table
    assert "hidden" not in table  # silent channels are not plotted either

    shell.run_line_magic(widget, "'*'")  # both runs, oldest first, one column each
    runs_bundle = published[1]
    assert runs_bundle[MIME_TYPE]["runs"] == [older, newest]
    assert runs_bundle[MIME_TYPE]["query"] == "*"
    lines = runs_bundle["text/plain"].splitlines()
    assert lines[0] == f"runwatch {widget}: 2 runs"
    assert lines[1].split() == ["channel", *short(older), *short(newest)]
    loss = next(line for line in lines if line.startswith("loss.value"))
    assert loss.split() == ["loss.value", "0.25", "0.25"]


def test_in_a_kernel_the_plots_go_out_before_their_text_table(shell, monkeypatch, store: Path):
    """The table reads every channel's last rows: the bundle is displayed with its title
    first, then updated in place (same display id) with the whole table, computed in a
    child process at the lowest priority (low_priority.py)."""
    write_run("old")
    write_run("new")
    messages = []
    monkeypatch.setattr(
        shell.display_pub,
        "publish",
        lambda data, metadata=None, transient=None, update=False, **kw: messages.append(
            (data, (transient or {}).get("display_id"), update)
        ),
    )
    monkeypatch.setattr(shell, "kernel", object(), raising=False)
    if sys.platform.startswith("linux"):  # several runs' table: in the idle child, not a thread

        def no_thread(*args):
            raise AssertionError("the table was computed in the kernel's thread")

        monkeypatch.setattr(low_priority, "at_lowest_priority", no_thread)
    shell.run_line_magic("review", "'*'")
    (first, first_id, first_update), (table, table_id, table_update) = messages
    assert first[MIME_TYPE] == table[MIME_TYPE]
    assert first["text/plain"] == "runwatch review: 2 runs"
    assert first_update is False and table_update is True
    assert first_id and table_id == first_id
    lines = table["text/plain"].splitlines()
    assert lines[0] == "runwatch review: 2 runs"
    assert any(line.split()[:2] == ["loss.value", "0.25"] for line in lines)


def test_python_api_takes_a_query_a_list_and_a_limit(shell, published, store: Path):
    first, second, third = write_run("a"), write_run("b"), write_run("c")
    assert runwatch.review() is None
    assert published[-1][MIME_TYPE]["runs"] == [third]
    runwatch.view([first, -1])
    assert published[-1][MIME_TYPE] == {
        "widget": "view",
        "runs": [first, third],
        "query": f"{first} -1",
        "root": str(store),
    }
    runwatch.review("*", limit=3)
    assert published[-1][MIME_TYPE]["runs"] == [first, second, third]


def test_a_glob_over_the_limit_asks_to_narrow_it(shell, published, store, capsys):
    for suffix in "abc":
        write_run(suffix)
    shell.run_line_magic("review", "--limit 2 *")
    error = capsys.readouterr().err
    assert "'*' matches 3 runs, more than the limit of 2" in error
    assert "Narrow the glob, or raise the limit" in error and "--limit 3" in error
    assert published == []
    runwatch.view("*", limit=2)
    assert "limit=3" in capsys.readouterr().err and published == []
    shell.run_line_magic("view", "--limit=3 '*'")
    assert len(published[0][MIME_TYPE]["runs"]) == 3


def test_the_default_limit_stops_a_huge_glob(shell, published, store, capsys):
    for i in range(PLOT_LIMIT + 1):
        (store / f"2024-01-01 00-00-{i:02d} many-runs").mkdir(parents=True)
        (store / f"2024-01-01 00-00-{i:02d} many-runs" / "_info.json").write_text(
            f'{{"_created": "2024-01-01 00:00:{i:02d}+00:00"}}'
        )
    runwatch.review("*many*")
    assert f"matches {PLOT_LIMIT + 1} runs, more than the limit of {PLOT_LIMIT}" in (
        capsys.readouterr().err
    )
    assert published == []


def test_unknown_run_prints_the_candidates(shell, published, store, capsys):
    run = write_run("known")
    shell.run_line_magic("review", "nothing-like-this")
    error = capsys.readouterr().err
    assert "No run matches 'nothing-like-this'" in error and run in error
    assert "Traceback" not in error and published == []
    shell.run_line_magic("view", "--limit zero -1")
    error = capsys.readouterr().err
    assert "--limit: needs a positive integer, got 'zero'" in error and "usage: %view" in error


def test_a_run_without_stats_says_so(shell, published, store):
    run = runwatch.new_run("empty")
    runwatch.review(run)
    assert published[0]["text/plain"].endswith("(no stats yet)")


def test_a_bare_word_or_a_quoted_glob_with_spaces_overlays_runs(shell, published, store, capsys):
    first, second = write_run("lr sweep a"), write_run("lr sweep b")
    write_run("baseline")
    shell.run_line_magic("review", "'lr sweep'")  # a bare word: part of the name
    assert published[-1][MIME_TYPE]["runs"] == [first, second]
    shell.run_line_magic("view", "'*lr sweep*'")
    assert published[-1][MIME_TYPE]["runs"] == [first, second]
    shell.run_line_magic("review", "*lr sweep*")  # unquoted: the words join again
    assert published[-1][MIME_TYPE]["runs"] == [first, second]
    shell.run_line_magic("review", "--limit 1 'lr sweep'")
    assert "'lr sweep' matches 2 runs, more than the limit of 1" in capsys.readouterr().err
    assert len(published) == 3


def test_parse_plot_args():
    assert parse_plot_args("") == ("-1", PLOT_LIMIT)
    assert parse_plot_args("'*lr sweep*' --limit 40") == ("*lr sweep*", 40)
    assert parse_plot_args("--limit=5 -2") == ("-2", 5)
    assert parse_plot_args("-1 --limit 3") == ("-1", 3)
    assert parse_plot_args("2024-01-02 03-04-05 neat-river") == (
        "2024-01-02 03-04-05 neat-river",
        PLOT_LIMIT,
    )
    assert parse_plot_args("bob's-run") == ("bob's-run", PLOT_LIMIT)  # as typed
    assert parse_plot_args("-- -sweep") == ("-sweep", PLOT_LIMIT)
    for bad in ["--limit", "--limit 0", "--limt 5 x", "-l"]:
        with pytest.raises(UsageError):
            parse_plot_args(bad)


def test_group_option_goes_into_the_bundle(shell, published, store: Path, capsys):
    first, second = write_run("a"), write_run("b")
    shell.run_line_magic("review", "'*' --group auto")
    assert published[-1][MIME_TYPE]["group"] == "auto"
    assert published[-1][MIME_TYPE]["runs"] == [first, second]
    shell.run_line_magic("review", "--group lr,batch '*'")
    assert published[-1][MIME_TYPE]["group"] == ["lr", "batch"]
    runwatch.review("*", group=["lr"])
    assert published[-1][MIME_TYPE]["group"] == ["lr"]
    runwatch.review("*", group="none")
    assert published[-1][MIME_TYPE]["group"] == "none"
    shell.run_line_magic("review", "'*'")
    assert "group" not in published[-1][MIME_TYPE]  # the runs decide
    shell.run_line_magic("review", "'*' --group lr --split optim")
    assert published[-1][MIME_TYPE]["split"] == "optim"
    count = len(published)
    shell.run_line_magic("review", "'*' --group ,")
    assert len(published) == count
    assert "group: give auto, none, or param names" in capsys.readouterr().err


def test_a_filter_keeps_its_quoted_strings():
    assert parse_plot_args('lr < 1e-3 and status == "finished"') == (
        'lr < 1e-3 and status == "finished"',
        PLOT_LIMIT,
    )
    assert parse_plot_args("name ~ '*sweep*' --limit 3") == ("name ~ '*sweep*'", 3)
    assert parse_plot_args("'*lr sweep*'") == ("*lr sweep*", PLOT_LIMIT)  # a glob: unquoted


def test_x_option_goes_into_the_bundle(shell, published, store: Path):
    write_run("a")
    shell.run_line_magic("review", "-1 --x step")
    assert published[-1][MIME_TYPE]["x"] == "step"
    shell.run_line_magic("view", "--x samples -1")
    assert published[-1][MIME_TYPE]["x"] == "samples"
    runwatch.review(-1, x="perf.samples")
    assert published[-1][MIME_TYPE]["x"] == "perf.samples"
    for time_again in ("-1", "-1 --x time"):  # time is the default: no field
        shell.run_line_magic("review", time_again)
        assert "x" not in published[-1][MIME_TYPE]


def test_a_grouped_review_may_hold_more_runs_than_one_line_each(shell, published, store, capsys):
    for i in range(PLOT_LIMIT + 2):
        write_run(f"many{i}")
    shell.run_line_magic("review", "'*many*'")
    assert "more than the limit of 20" in capsys.readouterr().err
    assert published == []
    shell.run_line_magic("review", "'*many*' --group auto")
    assert len(published[-1][MIME_TYPE]["runs"]) == PLOT_LIMIT + 2
