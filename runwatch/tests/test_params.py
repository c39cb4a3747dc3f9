"""runwatch.params: defaults < config file < variant < command line, typed, recorded in the run."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import runwatch
from runwatch.param_sources import ParamsError

REPO = Path(__file__).resolve().parents[2]
DEFAULTS = {"lr": 3e-4, "epochs": 10, "amp": False, "name": "base", "layers": [64, 64]}


@pytest.fixture(autouse=True)
def no_variant(monkeypatch):
    monkeypatch.delenv("RUNWATCH_VARIANT", raising=False)
    yield
    # A test's params() outside a run waits for the next run opened: not another test's.
    importlib.import_module("runwatch.params")._pending.clear()


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text))
    return path


def test_defaults_alone():
    args = runwatch.params(DEFAULTS, argv=[])
    assert args == DEFAULTS
    assert args.lr == 3e-4 and args.layers == [64, 64]
    assert set(args._sources.values()) == {"default"}


@pytest.mark.parametrize("suffix", ["json", "toml", "ini"])
def test_config_file_beats_defaults(tmp_path, suffix):
    texts = {
        "json": '{"lr": 0.001, "epochs": 20}',
        "toml": "lr = 0.001\n[train]\nepochs = 20\n",
        "ini": "[train]\nlr = 0.001\nepochs = 20\n",
    }
    config = write(tmp_path / f"c.{suffix}", texts[suffix])
    args = runwatch.params(DEFAULTS, argv=[], config=config)
    assert (args.lr, args.epochs, args.amp) == (0.001, 20, False)
    assert type(args.epochs) is int and type(args.lr) is float
    assert args._sources == {
        **dict.fromkeys(DEFAULTS, "default"),
        "lr": "config",
        "epochs": "config",
    }


def test_variant_beats_config_and_argv_beats_variant(tmp_path, monkeypatch):
    config = write(tmp_path / "c.json", '{"lr": 0.001, "epochs": 20, "name": "from-config"}')
    monkeypatch.setenv("RUNWATCH_VARIANT", json.dumps({"lr": 0.002, "epochs": 30}))
    args = runwatch.params(DEFAULTS, argv=["--config", str(config), "epochs=40"])
    assert (args.lr, args.epochs, args.name) == (0.002, 40, "from-config")
    assert args._sources["lr"] == "variant"
    assert args._sources["epochs"] == "argv"
    assert args._sources["name"] == "config"
    assert args._sources["amp"] == "default"


def test_command_line_forms_and_types():
    args = runwatch.params(
        DEFAULTS, argv=["lr=1e-3", "--epochs", "5", "--amp", "--name=x y", "--layers", "[1,2,3]"]
    )
    assert args == {"lr": 1e-3, "epochs": 5, "amp": True, "name": "x y", "layers": [1, 2, 3]}
    assert runwatch.params(DEFAULTS, argv=["amp=0"]).amp is False
    assert runwatch.params(DEFAULTS, argv=["--amp", "true", "--epochs", "2"]).amp is True
    assert runwatch.params({"ent_coef": 0.1}, argv=["--ent-coef", "0.5"]).ent_coef == 0.5


@pytest.mark.parametrize(
    "argv, message",
    [
        (["epochs=2.5"], "epochs='2.5' (command line): expected int, like 10"),
        (["amp=maybe"], "expected a bool (true/false/1/0)"),
        (["lr=fast"], "expected float"),
        (["layers=64"], "expected list"),
        (["--epochs"], "--epochs needs a value"),
        (["epochs"], "expected key=value"),
    ],
)
def test_values_must_read_as_their_defaults_type(argv, message):
    with pytest.raises(ParamsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        runwatch.params(DEFAULTS, argv=argv)


def test_unknown_keys_are_errors_listing_the_known_ones(tmp_path, monkeypatch):
    with pytest.raises(ParamsError) as raised:
        runwatch.params(DEFAULTS, argv=["learning_rate=1e-3"])
    assert str(raised.value) == (
        "unknown param 'learning_rate' (command line); known: lr, epochs, amp, name, layers"
    )
    with pytest.raises(ParamsError, match=r"unknown param 'lrr' \(config file"):
        runwatch.params(DEFAULTS, argv=[], config=write(tmp_path / "c.json", '{"lrr": 1}'))
    monkeypatch.setenv("RUNWATCH_VARIANT", '{"seed": 1}')
    with pytest.raises(ParamsError, match=r"unknown param 'seed' \(the launcher's variant"):
        runwatch.params(DEFAULTS, argv=[])


def test_typed_config_values_are_checked(tmp_path):
    config = write(tmp_path / "c.json", '{"epochs": "many"}')
    with pytest.raises(ParamsError, match="expected int"):
        runwatch.params(DEFAULTS, argv=[], config=config)
    config = write(tmp_path / "c.json", '{"epochs": 2.0}')
    with pytest.raises(ParamsError, match=r"epochs=2.0 \(config file c.json\): expected int"):
        runwatch.params(DEFAULTS, argv=[], config=config)


def test_argparse_defaults():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--amp", action="store_true")
    parser.add_argument("--seed", type=int)
    args = runwatch.params(parser, argv=["--lr", "0.01", "--amp", "seed=3"])
    assert args == {"lr": 0.01, "amp": True, "seed": 3}


def test_recorded_in_the_active_run_with_sources(store):
    run = runwatch.new_run("p", params={"kept": 1})
    with runwatch.to_run(run):
        runwatch.params({"lr": 0.1, "epochs": 1}, argv=["epochs=3"])
    assert runwatch.info(run)["params"] == {
        "kept": 1,
        "lr": 0.1,
        "epochs": 3,
        "_sources": {"lr": "default", "epochs": "argv"},
    }


def test_recorded_in_the_next_run_opened_when_none_is_active(store, tmp_path):
    """In a real script: params() first, then new_run and to_run, as scripts are written."""
    script = write(
        tmp_path / "train.py",
        """
        import runwatch
        args = runwatch.params({"lr": 0.1, "seed": 0})
        run = runwatch.new_run("script")
        with runwatch.to_run(run):
            pass
        print(run)
        """,
    )
    done = subprocess.run(
        [sys.executable, str(script), "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO), "RUNWATCH_VARIANT": '{"lr": 0.5}'},
        check=True,
    )
    run = done.stdout.strip()
    assert runwatch.info(run)["params"] == {
        "lr": 0.5,
        "seed": 7,
        "_sources": {"lr": "variant", "seed": "argv"},
    }
