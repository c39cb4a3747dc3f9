"""The store's runs newest first, as the runs panel, `GET runs` and the runs table list
them: by the stamp in the run's name, else its `_created`, then by name."""

from __future__ import annotations

from . import layout


def order_key(name: str, created_ns: int | None) -> tuple:
    """(placed, stamp, created, name): sorted in reverse, newest first, unplaced last."""
    stamp = layout.run_stamp(name)
    if stamp is None and created_ns is not None:
        stamp = layout.run_name(created_ns, "")
    if stamp is None:
        return (0, "", 0, _reversed_name(name))
    return (1, stamp, -1 if created_ns is None else created_ns, name)


def _reversed_name(name: str) -> tuple:
    return tuple(-ord(c) for c in name) + (1,)  # unplaced runs: by name, ascending


def newest_first(names: list[str], created_ns: dict[str, int | None]) -> list[str]:
    """The reverse of `runwatch.runs()`'s order (by name stamp, then `_created`, then name);
    runs with neither a stamp nor a readable `_created` come last, by name."""
    return sorted(names, key=lambda n: order_key(n, created_ns.get(n)), reverse=True)
