"""The runs table: one row per run (status, params, channel summaries) for a query.

`runwatch.table(query)` in a kernel; `GET runwatch/api/table` on the server (the
same rows, see docs/runs-table.md). numpy is used here: import it lazily from the
store side.
"""

from __future__ import annotations

import sys
import types

from .build import RunsTable, store_table
from .rows import BASE_KEYS
from .stat_keys import BadStat


def table(query: str | int | None = None, stats: list[str] | str | None = None, root=None):
    """The runs `query` matches (an index, a name, a bare word, a glob or a filter
    expression such as `lr < 1e-3 and loss.val.last < 0.3`; None: every run), newest
    first, with the channel summaries `stats` (e.g. `["loss.val.min", "acc.mean10"]`;
    None: `<channel>.last` of every channel; `"none"`: none).

    A pandas DataFrame indexed by run name if pandas imports, else a list of dicts.
    """
    if isinstance(query, int) and not isinstance(query, bool):
        query = str(query)
    if isinstance(stats, str):
        stats = [stats]
    answer = store_table(root).table(query, None if stats is None else list(stats))
    rows = answer["runs"]
    try:
        import pandas
    except ImportError:
        return rows
    params = [f"params.{key}" for key in answer["params"]]
    errors = ["errors"] if any("errors" in row for row in rows) else []
    columns = [*BASE_KEYS, *params, *answer["stats"], *errors]
    frame = pandas.DataFrame(rows, columns=columns or ["name"])
    return frame.set_index("name")


__all__ = ["BadStat", "RunsTable", "table"]


class _CallableModule(types.ModuleType):
    """`import runwatch.table` binds `runwatch.table` to this package, which would hide
    the function of the same name; calling the package calls it, so both work."""

    def __call__(self, query=None, stats=None, root=None):
        return table(query, stats, root)


sys.modules[__name__].__class__ = _CallableModule
