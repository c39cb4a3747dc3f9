"""Where `runwatch.params` finds values: defaults, config files, the launcher's variant,
the command line; and how each value is read as its default's type. Stdlib only.
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
from pathlib import Path

VARIANT_ENV = "RUNWATCH_VARIANT"  # JSON of the variant, set by the launcher (docs/sweeps.md)
CONFIG_FLAG = "--config"
TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")


class ParamsError(ValueError):
    """A value or key `runwatch.params` can't take; the message says which and from where."""


# Defaults


def defaults_of(defaults: object) -> tuple[dict, dict]:
    """({key: default}, {key: type for values given as text}) of a dict or an argparse parser."""
    if isinstance(defaults, argparse.ArgumentParser):
        values, types = {}, {}
        for action in defaults._actions:
            if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
                continue
            if action.dest is argparse.SUPPRESS:
                continue
            values[action.dest] = action.default
            if callable(action.type) and action.default is None:
                types[action.dest] = action.type
        return values, types
    if isinstance(defaults, dict):
        for key in defaults:
            if not isinstance(key, str) or not key.isidentifier():
                raise ParamsError(f"param names must be identifiers, got {key!r}")
        return dict(defaults), {}
    raise TypeError(f"defaults must be a dict or an argparse parser, got {type(defaults).__name__}")


# Values, read by their default's type


def type_name(default: object) -> str:
    return "any" if default is None else type(default).__name__


def from_text(key: str, text: str, default: object, parse=None, where: str = "") -> object:
    """A value given as text (the command line, an ini file), read as `default`'s type."""
    where = f" ({where})" if where else ""
    if parse is not None:
        try:
            return parse(text)
        except (TypeError, ValueError) as error:
            raise ParamsError(f"{key}={text!r}{where}: {error}") from None
    if isinstance(default, bool):
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ParamsError(f"{key}={text!r}{where}: expected a bool (true/false/1/0)")
    if isinstance(default, (int, float)):
        try:
            return type(default)(text.strip())
        except ValueError:
            raise ParamsError(
                f"{key}={text!r}{where}: expected {type_name(default)}, like {default!r}"
            ) from None
    if isinstance(default, str):
        return text
    if isinstance(default, (list, tuple, dict)) or default is None:
        try:
            value = json.loads(text)
        except ValueError:
            if default is None:
                return text  # untyped: plain text stays text
            raise ParamsError(
                f"{key}={text!r}{where}: expected JSON {type_name(default)}, "
                f"like {json.dumps(default)}"
            ) from None
        return from_json(key, value, default, where)
    return text


def from_json(key: str, value: object, default: object, where: str = "") -> object:
    """A value that arrives typed (JSON, TOML, the variant), checked against `default`'s type."""
    where_text = f" ({where.strip(' ()')})" if where else ""
    if default is None:
        return value
    if isinstance(value, str) and not isinstance(default, str):
        return from_text(key, value, default, where=where.strip(" ()"))
    wanted = type(default)
    if isinstance(default, bool):
        ok = isinstance(value, bool) or (isinstance(value, int) and value in (0, 1))
        value = bool(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, (list, tuple)):
        ok = isinstance(value, (list, tuple))
        value = wanted(value) if ok else value
    else:
        ok = isinstance(value, wanted)
    if not ok:
        raise ParamsError(
            f"{key}={value!r}{where_text}: expected {type_name(default)}, like {default!r}"
        )
    return value


# Config files


def read_config(path: str | os.PathLike) -> tuple[dict, bool]:
    """(values, typed): a JSON or TOML file's values are typed, an ini file's are text."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ParamsError(f"config file {path}: {error.strerror or error}") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            values = json.loads(text)
        except ValueError as error:
            raise ParamsError(f"config file {path}: invalid JSON: {error}") from None
        if not isinstance(values, dict):
            raise ParamsError(f"config file {path}: expected a JSON object of params")
        return values, True
    if suffix == ".toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            raise ParamsError(f"config file {path}: TOML needs Python 3.11 or later") from None
        try:
            return _flat(tomllib.loads(text)), True
        except tomllib.TOMLDecodeError as error:
            raise ParamsError(f"config file {path}: invalid TOML: {error}") from None
    if suffix in (".ini", ".cfg", ".conf"):
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # keep the keys' case
        try:
            parser.read_string(text, source=str(path))
        except configparser.Error as error:
            raise ParamsError(f"config file {path}: invalid ini: {error}") from None
        values = dict(parser.defaults())
        for section in parser.sections():  # sections only group keys: params are flat
            values.update({k: v for k, v in parser.items(section)})
        return values, False
    raise ParamsError(f"config file {path}: expected .json, .toml or .ini, got {suffix!r}")


def _flat(table: dict) -> dict:
    """TOML tables (`[train]`) only group keys: their keys join the top level's."""
    values = {}
    for key, value in table.items():
        if isinstance(value, dict):
            values.update(_flat(value))
        else:
            values[key] = value
    return values


# The launcher's variant


def read_variant() -> dict:
    text = os.environ.get(VARIANT_ENV)
    if not text:
        return {}
    try:
        variant = json.loads(text)
    except ValueError as error:
        raise ParamsError(f"${VARIANT_ENV} is not JSON: {error}") from None
    if not isinstance(variant, dict):
        raise ParamsError(f"${VARIANT_ENV} must be a JSON object, got {type(variant).__name__}")
    return variant


# The command line


def split_argv(argv: list[str], bool_keys: set[str]) -> tuple[list[tuple[str, str]], str | None]:
    """([(key, text)], config path) from `key=value`, `--key value`, `--key=value` and
    `--config path`; a bool key may stand alone (`--flag` is true). Dashes in keys
    become underscores (`--ent-coef` is `ent_coef`)."""
    pairs: list[tuple[str, str]] = []
    config = None
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token.startswith("--"):
            key, equals, text = token[2:].partition("=")
            if not key:
                raise ParamsError(f"{token!r}: expected --key value or --key=value")
            if not equals:
                name = key.replace("-", "_")
                # `--flag` alone is true: the next token is its value only if a bool word.
                if name in bool_keys and (
                    i == len(argv) or argv[i].strip().lower() not in (*TRUE_WORDS, *FALSE_WORDS)
                ):
                    text = "true"
                elif i < len(argv):
                    text = argv[i]
                    i += 1
                else:
                    raise ParamsError(f"{token} needs a value")
        elif "=" in token:
            key, _, text = token.partition("=")
        else:
            raise ParamsError(f"{token!r}: expected key=value, --key value or --key=value")
        if f"--{key}" == CONFIG_FLAG:
            config = text
            continue
        pairs.append((key.replace("-", "_"), text))
    return pairs, config
