"""`%sweep [name]`: a sweep's widget, or every sweep of the store listed as text."""

from __future__ import annotations

import sys

from ..store import layout
from . import record
from .display import bundle
from .sweep import Sweep


def list_text(root=None) -> str:
    names = record.names(root)
    if not names:
        return f"no sweeps in {layout.store_root() if root is None else root}"
    lines = []
    for name in names:
        summary = Sweep(name, root).summary()
        tally = ", ".join(f"{n} {status}" for status, n in summary["counts"].items())
        lines.append(f"{name}  {summary['target']}  {summary['variants']} variants: {tally}")
    return "\n".join(lines)


def show(name: str | None) -> None:
    """`%sweep [name]`: the sweep's widget, or the list of sweeps as text."""
    if not name:
        print(list_text())
        return
    try:
        found = Sweep(name)
    except (record.NoSuchSweep, ValueError) as error:
        print(f"runwatch: %sweep: {error}", file=sys.stderr)
        return
    from IPython.display import display

    display(bundle(found), raw=True)
