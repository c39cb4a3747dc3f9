"""`python -m runwatch.sweeps.call <pickle>`: call a sweep's pickled callable with the
variant's params as keyword arguments (`$RUNWATCH_VARIANT`, JSON)."""

from __future__ import annotations

import json
import os
import pickle
import sys

VARIANT_ENV = "RUNWATCH_VARIANT"


def variant_params() -> dict:
    text = os.environ.get(VARIANT_ENV) or "{}"
    params = json.loads(text)
    if not isinstance(params, dict):
        raise ValueError(f"${VARIANT_ENV} must be a JSON object, got {text[:200]!r}")  # noqa: TRY004
    return params


def call_pickled(path: str, module_path: str | None = None):
    """Unpickle the callable at `path` (its module found under `module_path`) and call it."""
    if module_path and module_path not in sys.path:
        sys.path.insert(0, module_path)
    with open(path, "rb") as file:
        target = pickle.load(file)
    return target(**variant_params())


if __name__ == "__main__":
    call_pickled(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
