"""runwatch.variants, zipped, sampled and variant_id."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import runwatch

REPO = Path(__file__).resolve().parents[2]


def test_grid_keeps_key_order_first_key_slowest():
    grid = runwatch.variants(lr=[1e-3, 3e-4], seed=range(3))
    assert grid == [
        {"lr": 1e-3, "seed": 0},
        {"lr": 1e-3, "seed": 1},
        {"lr": 1e-3, "seed": 2},
        {"lr": 3e-4, "seed": 0},
        {"lr": 3e-4, "seed": 1},
        {"lr": 3e-4, "seed": 2},
    ]
    assert [list(v) for v in grid] == [["lr", "seed"]] * 6


def test_fixed_values_zips_and_concatenation():
    assert runwatch.variants(model="mlp", depth=[2, 4]) == [
        {"model": "mlp", "depth": 2},
        {"model": "mlp", "depth": 4},
    ]
    pairs = runwatch.zipped(lr=[1e-3, 3e-4], warmup=[100, 300])
    assert pairs == [{"lr": 1e-3, "warmup": 100}, {"lr": 3e-4, "warmup": 300}]
    crossed = runwatch.variants(pairs, seed=[0, 1])
    assert crossed[1] == {"lr": 1e-3, "warmup": 100, "seed": 1} and len(crossed) == 4
    both = pairs + runwatch.variants(lr=[0.1])
    assert len(both) == 3
    with pytest.raises(ValueError, match="one length"):
        runwatch.zipped(a=[1, 2], b=[1, 2, 3])
    with pytest.raises(ValueError, match="varied twice"):
        runwatch.variants(pairs, lr=[1])


def test_sampled_is_reproducible_and_unique():
    choices = {"lr": lambda r: 10 ** r.uniform(-5, -2), "depth": [2, 4, 8]}
    first = runwatch.sampled(5, seed=3, **choices)
    assert first == runwatch.sampled(5, seed=3, **choices)
    assert first != runwatch.sampled(5, seed=4, **choices)
    assert len({runwatch.variant_id(v) for v in first}) == 5
    assert len(runwatch.sampled(3, depth=[2, 4, 8])) == 3
    with pytest.raises(ValueError, match="only 3 distinct variants of the 4"):
        runwatch.sampled(4, depth=[2, 4, 8])


def test_variant_id_ignores_key_order_not_types():
    a = runwatch.variant_id({"lr": 1e-3, "seed": 1})
    assert a == runwatch.variant_id({"seed": 1, "lr": 1e-3})
    assert len(a) == 10 and int(a, 16) >= 0
    assert a != runwatch.variant_id({"lr": 1e-3, "seed": 1.0})
    assert a != runwatch.variant_id({"lr": 1e-3, "seed": 2})


def test_variant_id_is_the_same_in_another_process():
    """Not Python's salted hash(): a sweep relaunched tomorrow finds its variants again."""
    params = {"lr": 3e-4, "name": "é", "layers": [64, 64], "opt": {"b2": 0.99, "b1": 0.9}}
    here = runwatch.variant_id(params)
    code = f"import runwatch; print(runwatch.variant_id({params!r}))"
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "12345"}
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert there.stdout.strip() == here
    # sha256 of the canonical JSON, pinned: a change here would orphan every recorded sweep.
    assert runwatch.variant_id({"lr": 0.001, "seed": 0}) == "3115e8861d"


def test_import_of_the_module_keeps_the_function_callable():
    import runwatch.variants

    assert runwatch.variants(a=[1]) == [{"a": 1}]
