"""The raw rule straight from a file's rows, when reading them all is cheaper.

M4 over every row (`m4.reduce_series`) costs about 26-40 ns a row and builds
nothing; it is by definition the rows M4 gives (test/vectors/series.json). From
block summaries (summaries.py) a cold answer first builds them (a few ms, then
about 24 ns a row) and a warm one costs by pixels (about 10-17 us a pixel column:
blocks cut by a pixel edge are read). Measured a channel (bench/big_store.py's
runs, this machine):

    rows   W      rows a pixel   every row   summaries cold / warm
    100 k  100    1000           2.5 ms       4.0 / 1.5 ms
    100 k  308    324            2.6          5.8 / 3.3
    100 k  1000   100            3.0         12.8 / 10.2
    1 M    308    324            42          28   / 5.2
    1 M    1000   1000           44          32   / 10
    1 M    4000   250            43          72   / 58

So a file of up to DIRECT_ROWS rows (a glob's 100 k-row runs: 2-4x faster cold,
within 1 ms warm), or of up to DIRECT_ROWS_PER_PIXEL rows a pixel column, is read
whole; a longer one goes through its summaries.
"""

from __future__ import annotations

from . import m4
from .rows import TIME, OpenFile, decode, in_time_order, seconds_since
from .summaries import raw_rows

DIRECT_ROWS = 200_000
DIRECT_ROWS_PER_PIXEL = 256


def suits(rows: int, width: int) -> bool:
    """Whether reading the whole file beats its summaries (see above)."""
    return 0 < rows and (rows <= DIRECT_ROWS or rows <= DIRECT_ROWS_PER_PIXEL * max(1, width))


def m4_of_rows(opened: OpenFile, kind: str, origin_ns: int, width: int, x_range, counter):
    """(rows, reduced, x0, x1, arrays) as `FileSummary.m4` gives them, from every row;
    None when the rows are out of time order or one has no time (then every row is
    merged by time instead)."""
    fields = decode(opened.records(0, opened.rows), opened.layout, origin_ns, seconds=False)
    counter.rows_decoded += len(fields[TIME])
    units = fields[TIME]
    if len(units) == 0 or not in_time_order(units):
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
