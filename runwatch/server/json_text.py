"""JSON the browser can parse, for every HTTP answer and socket message."""

from __future__ import annotations

import json
import math


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def to_json(data: object) -> str:
    """JSON the browser can parse: a NaN or Infinity in someone's params becomes null."""
    try:
        return json.dumps(data, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(data))
