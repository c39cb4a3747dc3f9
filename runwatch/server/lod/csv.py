"""Every row of a run's channels as tidy CSV, streamed: the same text as the browser's
export (`csvChunks` in src/plots/series/csv.ts), numbers written as JavaScript's
`String(number)` writes them. Columns: `run,channel,t_seconds,value`, then the union
of the channels' stored fields (empty where a channel lacks one). `value` is the row's
own value as the raw rule plots it (`row_value`).

Rows are read a chunk at a time (about 1 MB of text), never a whole file at once;
a channel of several files is merged by time first, which needs its rows in memory.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np

from ..paths import Refused, StorePaths
from .cache import MAX_MERGED_ROWS
from .kinds import raw_columns
from .rows import TIME, ChannelError, ChannelSpec, OpenFile, RunChannels, merge_by_time

CHUNK_BYTES = 2**20
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def csv_cell(text: str) -> str:
    """Quote a cell if it holds a comma, quote or line break."""
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text


def js_number(value: float) -> str:
    """`String(value)` in JavaScript: the shortest round-trip digits, positional
    from 1e-7 to 1e21, `1e+21` and `1.5e-7` beyond, `NaN`, `Infinity`, `0` for -0."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    text = repr(value)
    if "e" not in text and not text.endswith(".0"):
        return text  # Python and JavaScript agree for these
    sign, digits, exponent = Decimal(text).as_tuple()
    digits = "".join(map(str, digits)).rstrip("0") or "0"
    k = len(digits)
    n = exponent + len(Decimal(text).as_tuple().digits)  # the decimal point's place
    head = "-" if sign else ""
    if k <= n <= 21:
        return head + digits + "0" * (n - k)
    if 0 < n <= 21:
        return head + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return head + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{head}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def format_column(values: np.ndarray) -> list[str]:
    return [js_number(v) for v in values.tolist()]


def row_value(kind: str, fields: dict[str, np.ndarray]) -> np.ndarray | None:
    """Each row's one value (`rowValue` in csv.ts): the raw rule's `value` column
    (`total/count` for mean, `count/duration` for maxrate, the running total for
    cumsum), μ for mean_std, the 50th percentile for quantiles (the mean of the two
    middle fields when their count is even); None when a row holds several values
    (a dict-valued argument), whose raw fields then carry them."""
    raw = raw_columns(kind, fields)
    if "value" in raw:
        return raw["value"]
    if kind == "mean_std":
        return raw.get("mu")
    if kind == "quantiles" and raw:
        columns = list(raw.values())
        middle = len(columns) // 2
        if len(columns) % 2:
            return columns[middle]
        return (columns[middle - 1] + columns[middle]) / 2
    return None


def file_name(run: str, channels: list[str]) -> str:
    """`<run> <group>.csv` made safe, as the browser's export names it."""
    groups = {c.partition(".")[0] for c in channels}
    what = groups.pop() if len(groups) == 1 else f"{len(channels)}-channels"
    return re.sub(r"[^\w.-]+", "_", f"{run} {what}", flags=re.ASCII) + ".csv"


class CsvChunks:
    """The CSV text of `specs`' rows, a chunk at a time (`next`), from files opened
    (and their headers checked) up front: a bad file is a 409 before any byte is sent."""

    def __init__(self, paths: StorePaths, run: RunChannels, specs: list[ChannelSpec], name: str):
        self.run, self.name = run, name
        self._running = 0.0  # cumsum's total so far: chunks continue it
        self.files: list[list[OpenFile]] = []
        try:
            for spec in specs:
                self.files.append([])
                for file in spec.files:
                    self.files[-1].append(OpenFile(paths, run.run_dir, file))
        except ChannelError as error:
            self.close()
            raise Refused(409, f"channel {spec.name!r}: {error}") from None
        except BaseException:
            self.close()
            raise
        for spec, files in zip(specs, self.files):
            rows = [f.rows for f in files if not f.empty]
            if len(rows) > 1 and sum(rows) > MAX_MERGED_ROWS:
                self.close()
                raise Refused(
                    409,
                    f"channel {spec.name!r}: {sum(rows):,} rows in {len(rows)} files, over the "
                    f"{MAX_MERGED_ROWS:,} the server merges in memory",
                )
        self.specs = specs
        self.fields: list[str] = []
        for opened in self._all():
            if not opened.empty:
                self.fields += [
                    f for f in opened.layout.names if f != TIME and f not in self.fields
                ]
        self._chunks = self._generate()

    def _all(self):
        return [f for files in self.files for f in files]

    def close(self) -> None:
        for opened in self._all():
            opened.close()

    def next(self) -> bytes | None:
        return next(self._chunks, None)

    def _generate(self):
        yield (
            ",".join(map(csv_cell, ["run", "channel", "t_seconds", "value", *self.fields])) + "\n"
        ).encode()
        for spec, files in zip(self.specs, self.files):
            prefix = f"{csv_cell(self.name)},{csv_cell(spec.name)},"
            self._running = 0.0
            for columns in self._row_chunks([f for f in files if not f.empty]):
                yield self._text(prefix, spec.kind, columns).encode()

    def _row_chunks(self, files: list[OpenFile]):
        """The channel's rows as column sets of about CHUNK_BYTES of text each."""
        origin = self.run.created_ns
        if len(files) > 1:
            merged = merge_by_time([f.columns(origin) for f in files])
            yield from _split(merged, self._rows_per_chunk())
            return
        for opened in files:
            step = self._rows_per_chunk()
            if not _time_sorted(opened, origin, step):
                # Out of time order (or NaT rows): sort every row, as the browser does.
                if opened.rows > MAX_MERGED_ROWS:
                    raise ChannelError(f"{opened.name}: too many rows out of time order")
                yield from _split(merge_by_time([opened.columns(origin)]), step)
                continue
            for start in range(0, opened.rows, step):
                columns = opened.columns(origin, start, start + step)
                if not len(columns[TIME]):
                    break
                yield columns

    def _rows_per_chunk(self) -> int:
        return max(1, CHUNK_BYTES // (20 * (len(self.fields) + 2) + len(self.name) + 20))

    def _values(self, kind: str, columns: dict[str, np.ndarray]) -> np.ndarray | None:
        if kind != "cumsum":
            return row_value(kind, columns)
        # The running total goes on from the last chunk, added in the same order
        # as one pass over every row (as the browser adds them).
        n = len(columns[TIME])
        total = columns.get("total", np.ones(n))
        steps = np.concatenate([[self._running], np.where(np.isnan(total), 0.0, total)])
        values = np.cumsum(steps)[1:]
        if n:
            self._running = float(values[-1])
        return values

    def _text(self, prefix: str, kind: str, columns: dict[str, np.ndarray]) -> str:
        n = len(columns[TIME])
        values = self._values(kind, columns)
        cells = [
            format_column(columns[TIME]),
            [","] * n if values is None else [f",{v}" for v in format_column(values)],
        ]
        for field in self.fields:
            cells.append(
                [f",{v}" for v in format_column(columns[field])] if field in columns else [","] * n
            )
        lines = [prefix + "".join(parts) for parts in zip(*cells)]
        return "\n".join(lines) + "\n"


def _split(columns: dict[str, np.ndarray], step: int):
    n = len(columns.get(TIME, ()))
    for start in range(0, n, step):
        yield {name: column[start : start + step] for name, column in columns.items()}


def _time_sorted(opened: OpenFile, origin: int, step: int) -> bool:
    """Whether the file's times are sorted with no NaT (read a chunk at a time)."""
    last = -np.inf
    for start in range(0, opened.rows, step):
        time = opened.columns(origin, start, start + step)[TIME]
        if np.isnan(time).any() or (len(time) and time[0] < last) or np.any(time[1:] < time[:-1]):
            return False
        last = float(time[-1]) if len(time) else last
    return True
