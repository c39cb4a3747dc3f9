"""The raw rule straight from a file's rows, when they are few a pixel column.

With about 100 rows a pixel (100 k rows at W = 1000: a glob's runs), most blocks are
cut by a pixel edge, so M4 from block summaries (summaries.py) reads most rows anyway
and then picks per element: about 10 ms a channel warm, 13 cold. One read of every
row and `m4.reduce_series` over it takes 3 ms, builds nothing, and is by definition
the rows M4 over every row gives (test/vectors/series.json). Measured a channel
(bench/big_store.py's runs, this machine):

    rows   rows a pixel   every row   summaries cold / warm
    100 k  1000 / 250     2.5 / 2.7   4.0 / 1.5  6.5 / 3.8 ms
    1 M    1000 / 250      40 / 40     23 / 2.0   27 / 5.3 ms
    1 M      25             43          72 / 58 ms
"""

from __future__ import annotations

import numpy as np

from . import m4
from .rows import NAT, TIME, OpenFile, decode, seconds_since
from .summaries import raw_rows

# Rows a pixel column up to which reading every row beats the summaries, warm or cold.
DIRECT_ROWS_PER_PIXEL = 256


def suits(rows: int, width: int) -> bool:
    """Whether the whole file is few enough rows a pixel column to read them all."""
    return 0 < rows <= DIRECT_ROWS_PER_PIXEL * max(1, width)


def m4_of_rows(opened: OpenFile, kind: str, origin_ns: int, width: int, x_range, counter):
    """(rows, reduced, x0, x1, arrays) as `FileSummary.m4` gives them, from every row;
    None when the rows are out of time order or one has no time (then every row is
    merged by time instead)."""
    fields = decode(opened.records(0, opened.rows), opened.layout, origin_ns, seconds=False)
    counter.rows_decoded += len(fields[TIME])
    units = fields[TIME]
    if len(units) == 0 or units.min() == NAT or np.any(units[1:] < units[:-1]):
        return None
    x = seconds_since(units, opened.layout.time_unit, origin_ns)
    fields[TIME] = x
    columns = raw_rows(kind, fields, 0.0)
    if not columns:
        return None
    x0, x1 = x_range or m4.span(float(x[0]), float(x[-1]))
    kept = m4.reduce_series(x, list(columns.values()), x0, x1, width)
    arrays = [("x", m4.gather(kept.rows, x))]
    arrays += [(name, m4.gather(kept.rows, column)) for name, column in columns.items()]
    return len(x), kept.reduced, x0, x1, arrays
