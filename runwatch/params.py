"""`runwatch.params`: a script's params from defaults < config file < variant < command line.

    args = runwatch.params({"lr": 3e-4, "epochs": 10, "amp": False})
    # python train.py --config base.toml lr=1e-3 --epochs 20 --amp

Each later source wins. Every value is read as its default's type, and a key the
defaults don't have is an error naming the known ones. The result is recorded
in the run's `params` in `_info.json`, with `_sources` saying where each value came
from: in the run open with `to_run` when `params` is called, else in the next run
this process opens with `to_run` (so `params` may come before `new_run`).
Stdlib only. See docs/steering.md ("Params").
"""

from __future__ import annotations

import json
import logging
import os
import sys
import types
from pathlib import Path

from .param_sources import (
    VARIANT_ENV,
    ParamsError,
    defaults_of,
    from_json,
    from_text,
    read_config,
    read_variant,
    split_argv,
)
from .store import info, session
from .store.errors import BadInfo

__all__ = ["Params", "ParamsError", "params"]

log = logging.getLogger("runwatch")


class Params(dict):
    """The merged params: a dict whose keys are also attributes (`args.lr`).

    `args._sources` maps each key to where its value came from.
    """

    def __getattr__(self, name: str) -> object:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no param {name!r}; the params are {', '.join(self)}") from None

    def __setattr__(self, name: str, value: object) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value


def _unknown(keys: list[str], known: dict, where: str) -> ParamsError:
    listed = ", ".join(known) or "(none)"
    return ParamsError(f"unknown param {', '.join(map(repr, keys))} ({where}); known: {listed}")


def _kernel_argv() -> bool:
    """Whether sys.argv is a Jupyter kernel's own (`-f connection.json`), not the user's."""
    return bool(sys.argv) and os.path.basename(sys.argv[0]).startswith("ipykernel")


def params(
    defaults: dict | object,
    argv: list[str] | None = None,
    config: str | os.PathLike | None = None,
) -> Params:
    """Merge `defaults` (a dict or an argparse parser) < `config` (or `--config PATH` on
    the command line: .json, .toml or .ini) < the launcher's variant (`$RUNWATCH_VARIANT`)
    < `argv` (`sys.argv[1:]` if None; empty in a notebook's kernel).

    Raises ParamsError for an unknown key or a value that isn't its default's type.
    """
    values, parsers = defaults_of(defaults)
    sources = dict.fromkeys(values, "default")
    if argv is None:
        argv = [] if _kernel_argv() else sys.argv[1:]
    bools = {key for key, value in values.items() if isinstance(value, bool)}
    pairs, argv_config = split_argv(list(argv), bools)
    config = argv_config if argv_config is not None else config

    if config is not None:
        given, typed = read_config(config)
        unknown = [key for key in given if key not in values]
        if unknown:
            raise _unknown(unknown, values, f"config file {config}")
        where = f"config file {Path(config).name}"
        for key, value in given.items():
            if typed:
                values[key] = from_json(key, value, values[key], where)
            else:
                values[key] = from_text(key, value, values[key], parsers.get(key), where)
            sources[key] = "config"

    variant = read_variant()
    unknown = [key for key in variant if key not in values]
    if unknown:
        raise _unknown(unknown, values, f"the launcher's variant, ${VARIANT_ENV}")
    for key, value in variant.items():
        values[key] = from_json(key, value, values[key], "variant")
        sources[key] = "variant"

    unknown = [key for key, _ in pairs if key not in values]
    if unknown:
        raise _unknown(unknown, values, "command line")
    for key, text in pairs:
        values[key] = from_text(key, text, values[key], parsers.get(key), "command line")
        sources[key] = "argv"

    result = Params(values)
    result._sources = sources
    record(result, sources)
    return result


# Recording the result in a run


_pending: list[dict] = []  # the record waiting for the next run this process opens


def record(values: dict, sources: dict) -> None:
    """Record in the run open now in this process, else in the next one opened."""
    entry = json.loads(json.dumps({**values, "_sources": sources}, default=str))
    current = session.current_session()
    if current is not None:
        _write(current.run_dir, entry)
        _pending.clear()
        return
    _pending[:] = [entry]
    if _record_pending not in session.OPEN_HOOKS:
        session.OPEN_HOOKS.append(_record_pending)


def _record_pending(run_dir: Path) -> None:
    if _pending:
        entry = _pending.pop()
        _write(run_dir, entry)


def _write(run_dir: Path, entry: dict) -> None:
    """Merge into the run's `params` (keys the run already had stay); never raises."""
    try:
        with info.updating(run_dir) as fields:
            existing = fields.get("params")
            fields["params"] = {**(existing if isinstance(existing, dict) else {}), **entry}
    except (OSError, BadInfo) as error:
        log.warning("could not record the params in %s: %s", run_dir.name, error)


class _CallableModule(types.ModuleType):
    """`import runwatch.params` binds `runwatch.params` to this module, which would hide
    the function of the same name; calling the module calls it, so both work."""

    def __call__(self, defaults, argv=None, config=None):
        return params(defaults, argv, config)


sys.modules[__name__].__class__ = _CallableModule
