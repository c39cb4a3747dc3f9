"""`_info.json`: what new runs hold, `_env` handling, errors, and concurrent updates."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

import runwatch
from runwatch.store import clock, info, layout
from runwatch.store.errors import BadInfo


def test_new_run_fields_and_name(store: Path):
    with clock.frozen(layout.parse_created("2024-05-06 07:08:09.123456789+00:00")):
        run = runwatch.new_run("sweep-3", description="d", params={"lr": 0.1})
    date, time, words, suffix = run.split(" ")
    assert (date, time, suffix) == ("2024-05-06", "07-08-09", "sweep-3")
    adjective, noun = words.split("-")
    assert adjective in runwatch.store.words.ADJECTIVES and noun in runwatch.store.words.NOUNS
    stored = json.loads((store / run / "_info.json").read_text())
    assert stored["_created"] == "2024-05-06 07:08:09.123456+00:00"  # pandas' str(Timestamp) form
    assert stored["description"] == "d" and stored["params"] == {"lr": 0.1}
    assert stored["_files"] == {} and stored["_host"]
    assert runwatch.info(run) == stored


def test_env_is_never_written(store: Path):
    run = runwatch.new_run(_env={"SECRET": "x"})
    with runwatch.to_run(run):
        runwatch.stats.mean("a", 1)
    assert "_env" not in json.loads((store / run / "_info.json").read_text())


def test_env_is_dropped_when_reading_a_pavlov_run(store: Path):
    run_dir = store / "2021-01-01 00-00-00 old-run"
    run_dir.mkdir(parents=True)
    pavlov = {
        "_created": "2021-01-01 00:00:00.5+00:00",
        "_files": {},
        "_env": {"AWS_SECRET_ACCESS_KEY": "k"},
    }
    (run_dir / "_info.json").write_text(json.dumps(pavlov))
    assert "_env" not in runwatch.info(-1)
    assert "_env" not in runwatch.info("2021-01-01 00-00-00 old-run")


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "missing"),
        ("", "empty file"),
        ('{"_created": "2021-01-01 00:00:00+00:00", "_fi', "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"_files": {}}', "missing _created"),
        ('{"_created": "yesterday"}', "bad _created"),
    ],
)
def test_bad_info_names_the_file_and_reason(store: Path, content, reason):
    run_dir = store / "2021-01-01 00-00-00 bad-info"
    run_dir.mkdir(parents=True)
    if content is not None:
        (run_dir / "_info.json").write_text(content)
    with pytest.raises(BadInfo) as caught:
        runwatch.info(run_dir.name)
    assert str(run_dir / "_info.json") in str(caught.value)
    assert reason in caught.value.reason


def test_created_parses_pavlov_and_iso_forms():
    assert layout.parse_created("1970-01-01 00:00:00+00:00") == 0
    assert layout.parse_created("1970-01-01T00:00:01.5Z") == 1_500_000_000
    assert layout.parse_created("1970-01-01 01:00:00.000000001+01:00") == 1
    assert layout.parse_created("1970-01-01 00:00:02") == 2 * 10**9  # no offset: UTC


def _register_many(run_dir: str, count: int) -> None:
    for _ in range(count):
        _, fd = info.register_file(Path(run_dir), "logs.{n}.txt")
        os.close(fd)


@pytest.mark.slow
def test_info_stays_valid_under_concurrent_updates(store: Path):
    run = runwatch.new_run()
    run_dir = store / run
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_register_many, args=(str(run_dir), 40)) for _ in range(8)]
    for worker in workers:
        worker.start()
    seen_invalid = 0
    while any(w.is_alive() for w in workers):
        try:
            runwatch.info(run)  # readers never take the lock, and never see half-written JSON
        except BadInfo:
            seen_invalid += 1
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    files = runwatch.info(run)["_files"]
    assert seen_invalid == 0
    assert sorted(files) == sorted(f"logs.{n}.txt" for n in range(8 * 40))
    assert len({entry["_process_id"] for entry in files.values()}) == 8
