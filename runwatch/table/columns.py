"""The table's columns: params flattened to `params.<a.b>` keys, and their order."""

from __future__ import annotations

PARAMS_PREFIX = "params."
MAX_PARAM_KEYS = 1000  # per run: a hostile `_info.json` can't make a million columns
MAX_DEPTH = 20  # deeper dicts are kept whole as one value


def flatten_params(params: object) -> tuple[dict[str, object], str | None]:
    """({"params.a.b": value}, None), nested dicts joined with `.` and lists kept as
    they are; or what was left out and why, past MAX_PARAM_KEYS. A `params` that is not
    an object has no columns."""
    flat: dict[str, object] = {}
    if not isinstance(params, dict):
        return flat, None
    stack = [(PARAMS_PREFIX, params, 0)]
    while stack:
        prefix, value, depth = stack.pop()
        for key, item in reversed(list(value.items())):
            name = f"{prefix}{key}"
            if isinstance(item, dict) and item and depth < MAX_DEPTH:
                stack.append((f"{name}.", item, depth + 1))
                continue
            if len(flat) == MAX_PARAM_KEYS:
                return flat, f"params: over {MAX_PARAM_KEYS} values; the rest left out"
            flat[name] = item
    return dict(sorted(flat.items())), None


def ordered_param_keys(params: list[dict[str, object]]) -> list[str]:
    """Every key of the rows' flattened params (`params.a.b`), without the prefix: those
    whose values differ across the rows (or that some rows lack) first, then the rest;
    each group sorted."""
    seen: dict[str, object] = {}
    differ: set[str] = set()
    counts: dict[str, int] = {}
    for row in params:
        for key, value in row.items():
            first = seen.setdefault(key, value)
            counts[key] = counts.get(key, 0) + 1
            if first is not value and key not in differ and not _same(first, value):
                differ.add(key)
    differ |= {key for key, count in counts.items() if count < len(params)}
    first = sorted(differ)
    rest = sorted(seen.keys() - differ)
    return [key[len(PARAMS_PREFIX) :] for key in first + rest]


def _same(a: object, b: object) -> bool:
    """Equal as JSON values: 1 and True, or 1 and 1.0, are different params."""
    return type(a) is type(b) and a == b
