"""Variants over hyperparameters: grids, zips, random samples, and a stable id for each.

A variant is a plain dict of params; a set of variants is a plain list of them, so
lists concatenate with `+`. Stdlib only (training code imports it).

    runwatch.variants(lr=[1e-3, 3e-4], seed=range(3))      # 6 dicts, lr varying slowest
    runwatch.zipped(lr=[1e-3, 3e-4], warmup=[100, 300])    # 2 dicts, side by side
    runwatch.sampled(8, seed=0, lr=lambda r: 10 ** r.uniform(-5, -2), depth=[2, 4, 8])
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import sys
import types
from collections.abc import Callable, Iterable, Mapping

__all__ = ["sampled", "variant_id", "variants", "zipped"]

ID_LENGTH = 10  # hex characters of the sha256: 40 bits, no collision in any real sweep
MAX_SAMPLE_TRIES = 1000  # per wanted variant, before `sampled` says the space is too small


def _values(key: str, choice: object) -> list:
    """The values a keyword takes: a list, tuple or range gives each; anything else is one value."""
    if isinstance(choice, (list, tuple, range)):
        values = list(choice)
        if not values:
            raise ValueError(f"{key} has no values to vary over")
        return values
    if isinstance(choice, (set, frozenset)):
        raise TypeError(f"{key}: a set has no order; give a list so the variants' order is kept")
    return [choice]


def _check_variant_list(given: object, position: int) -> list[dict]:
    if not isinstance(given, list) or not all(isinstance(v, Mapping) for v in given):
        raise TypeError(
            f"positional argument {position} must be a list of variants (dicts), "
            f"such as variants(...) returns; got {type(given).__name__}"
        )
    return [dict(v) for v in given]


def _merge(parts: Iterable[Mapping]) -> dict:
    merged: dict = {}
    for part in parts:
        for key, value in part.items():
            if key in merged:
                raise ValueError(f"{key!r} is varied twice in one grid")
            merged[key] = value
    return merged


def variants(*lists: list[dict], **choices: object) -> list[dict]:
    """The grid over `choices` (each a list, tuple or range; other values are fixed),
    crossed with any variant lists given positionally, as a list of dicts.

    The first key varies slowest and each dict keeps the keywords' order, so
    `variants(lr=[1e-3, 3e-4], seed=range(3))` gives lr=1e-3 with seeds 0, 1, 2 first.
    """
    axes = [_check_variant_list(given, i) for i, given in enumerate(lists)]
    axes += [[{key: value} for value in _values(key, choice)] for key, choice in choices.items()]
    return [_merge(parts) for parts in itertools.product(*axes)]


def zipped(**choices: object) -> list[dict]:
    """Variants taking the i-th value of every list together (all the same length;
    a value that is not a list, tuple or range is the same in each)."""
    columns = {key: _values(key, choice) for key, choice in choices.items()}
    lengths = {len(v) for v in columns.values() if len(v) > 1}
    if len(lengths) > 1:
        shown = ", ".join(f"{k}: {len(v)}" for k, v in columns.items())
        raise ValueError(f"zipped needs lists of one length, got {shown}")
    n = lengths.pop() if lengths else 1
    return [{key: v[i] if len(v) > 1 else v[0] for key, v in columns.items()} for i in range(n)]


def sampled(n: int, seed: int = 0, *, unique: bool = True, **choices: object) -> list[dict]:
    """`n` random variants, the same ones for the same `seed`.

    Each choice is a list, tuple or range (one value drawn uniformly), a function
    of a `random.Random` (`lambda r: 10 ** r.uniform(-5, -2)`), or a fixed value.
    With `unique` (the default) no variant repeats: a repeat would have the same
    id, and a sweep would run it once.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a count (an int >= 0), got {n!r}")
    rng = random.Random(seed)
    draws: dict[str, Callable[[random.Random], object]] = {}
    for key, choice in choices.items():
        if callable(choice):
            draws[key] = choice
        else:
            values = _values(key, choice)
            draws[key] = lambda r, values=values: r.choice(values)
    found: list[dict] = []
    seen: set[str] = set()
    for _ in range(n * MAX_SAMPLE_TRIES if unique else n):
        if len(found) == n:
            break
        variant = {key: draw(rng) for key, draw in draws.items()}
        if unique:
            key = variant_id(variant)
            if key in seen:
                continue
            seen.add(key)
        found.append(variant)
    if len(found) < n:
        raise ValueError(f"found only {len(found)} distinct variants of the {n} asked for")
    return found


def _plain(value: object) -> object:
    """JSON's value for what canonical JSON can't take as is (numpy scalars, tuples)."""
    item = getattr(value, "item", None)
    if callable(item):
        return item()  # numpy scalar -> Python scalar
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    raise TypeError(f"a variant's value must be JSON (numbers, text, lists, dicts): {value!r}")


def canonical_json(params: Mapping) -> str:
    """Sorted keys, no spaces, floats by repr: the same params give the same text anywhere."""
    for value in params.values():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"a variant's value can't be {value!r}: it has no JSON form")
    return json.dumps(
        dict(params),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_plain,
    )


def variant_id(params: Mapping) -> str:
    """A short, stable id of a variant: its params' canonical JSON, hashed (sha256, 10 hex).

    Key order doesn't matter; value types do (`1` and `1.0` are different variants).
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    digest = hashlib.sha256(canonical_json(params).encode("utf-8")).hexdigest()
    return digest[:ID_LENGTH]


class _CallableModule(types.ModuleType):
    """`import runwatch.variants` binds `runwatch.variants` to this module, which would hide
    the function of the same name; calling the module calls it, so both work."""

    def __call__(self, *lists, **choices):
        return variants(*lists, **choices)


sys.modules[__name__].__class__ = _CallableModule
