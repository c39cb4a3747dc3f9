"""Block summaries of one `.npr` file, so M4 over a wide range costs by pixels, not rows.

Every BLOCK rows of a time-sorted file are summarised per raw column (`raw_columns`):
the count, sum and sum of squares of the non-NaN values, the min and max with their
first rows, the first and last non-NaN rows, the first NaN row (each picked row with
its time and value), and the block's first and last times. A second level merges
every FAN blocks (4096 rows) by the same rules. M4 over [x0, x1] at W pixels then
uses the coarse blocks that lie inside one pixel column, the blocks of the coarse
blocks a pixel edge cuts, and the rows of the blocks a pixel edge cuts (at most
W + 1 blocks read), so its cost is about N / 4096 + 2·64·W entries: by pixels.
The result is the same rows as M4 over every row (`m4.py`).

One level was not enough: at 10 M rows a warm review took 3× the 100 k-row one
(bench/lod_bench.py); with two it is within 1.1×.

Built in one vectorised pass over the rows (read in chunks of whole blocks), and
extended from the last block's first row when the file grows (the coarse level is
derived again from the blocks, O(N / 64)).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import kinds, m4
from .rows import TIME, OpenFile, decode, in_time_order, seconds_since

BLOCK = 64
CHUNK_ROWS = BLOCK * 2**11  # 128 k rows a read: bounded memory that stays in cache
PREFIX_SAMPLES = 16  # blocks whose first time is read again before extending
# Per block and raw column: the first and last non-NaN rows, the min and max and their
# first rows, the first NaN row; count, sum and sum of squares of the non-NaN values;
# and the times (x*) and values (v*) at the picked rows.
PICKED = ("xfv", "vfv", "xlv", "vlv", "xmn", "xmx", "xfn")
FIELDS = ("fv", "lv", "mn", "amn", "mx", "amx", "fn", "count", "sum", "squares", *PICKED)


def raw_rows(kind: str, fields: dict[str, np.ndarray], running: float) -> dict[str, np.ndarray]:
    """`raw_columns` of rows that follow others: cumsum's running sum starts at `running`
    and adds row by row, as one pass over every row would."""
    if kind != "cumsum":
        return kinds.raw_columns(kind, fields)
    total = fields.get("total", np.ones(len(fields[TIME])))
    steps = np.concatenate([[running], np.where(np.isnan(total), 0.0, total)])
    return {"value": np.cumsum(steps)[1:]}


def _firsts(rows: np.ndarray, owner: np.ndarray, count: int, last: bool = False) -> np.ndarray:
    """Per group (owner, sorted), the first (or last) of `rows`; -1 for a group without."""
    out = np.full(count, -1, np.int64)
    if len(rows):
        edge = np.ones(len(rows), bool)
        if last:
            edge[:-1] = owner[1:] != owner[:-1]
        else:
            edge[1:] = owner[1:] != owner[:-1]
        out[owner[edge]] = rows[edge]
    return out


def summarise(
    values: np.ndarray, units: np.ndarray, starts: np.ndarray, first_row: int, seconds
) -> dict[str, np.ndarray]:
    """The block summaries of one column whose blocks begin every BLOCK rows (local),
    with the times (and values) of the rows they pick, so M4 needs no read for them."""
    n, count = len(values), len(starts)
    if n == count * BLOCK:
        table = values.reshape(count, BLOCK)
    else:  # a partial last block: pad it with NaN (never picked, see `nan` below)
        padded = np.full(count * BLOCK, np.nan)
        padded[:n] = values
        table = padded.reshape(count, BLOCK)
    nan = np.isnan(table)
    valid = ~nan
    valid_count = valid.sum(axis=1)
    has = valid_count > 0
    picked: dict[str, np.ndarray] = {}

    def at(hit: np.ndarray, where: np.ndarray, name: str, last: bool = False) -> np.ndarray:
        """The first (last) hit's row per block where `where`, else -1; its time and
        value go to `picked`."""
        local = BLOCK - 1 - np.argmax(hit[:, ::-1], axis=1) if last else np.argmax(hit, axis=1)
        rows = np.minimum(starts + local, n - 1)  # a block without a hit points anywhere
        picked["x" + name] = seconds(units[rows])
        picked["v" + name] = values[rows]
        return np.where(where, first_row + starts + local, -1)

    zeroed = np.where(nan, 0.0, table)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf sums are NaN, as they are
        total = zeroed.sum(axis=1)
        zeroed *= zeroed
        squares = zeroed.sum(axis=1)
    mn = np.fmin.reduce(table, axis=1)
    mx = np.fmax.reduce(table, axis=1)
    if n < count * BLOCK:
        nan[-1, n - (count - 1) * BLOCK :] = False  # the padding is no NaN row
    out = {
        "fv": at(valid, has, "fv"),
        "lv": at(valid, has, "lv", last=True),
        "mn": mn,
        "amn": at(table == mn[:, None], has, "mn"),
        "mx": mx,
        "amx": at(table == mx[:, None], has, "mx"),
        "fn": at(nan, nan.any(axis=1), "fn"),
        "count": valid_count.astype(np.float64),
        "sum": total,
        "squares": squares,
    }
    return out | {name: picked[name] for name in PICKED}


class Blocks(NamedTuple):
    xf: np.ndarray  # each block's first time
    xl: np.ndarray  # and last
    running: np.ndarray  # cumsum's running sum before each block (zeros for other kinds)
    columns: dict[str, dict[str, np.ndarray]]  # raw column -> FIELDS -> per block

    @property
    def nbytes(self) -> int:
        arrays = [self.xf, self.xl, self.running]
        arrays += [a for c in self.columns.values() for a in c.values()]
        return sum(a.nbytes for a in arrays)

    def head(self, count: int) -> Blocks:
        return Blocks(
            self.xf[:count],
            self.xl[:count],
            self.running[:count],
            {n: {f: a[:count] for f, a in c.items()} for n, c in self.columns.items()},
        )

    @staticmethod
    def join(parts: list[Blocks]) -> Blocks:
        names = list(parts[-1].columns)
        return Blocks(
            np.concatenate([p.xf for p in parts]),
            np.concatenate([p.xl for p in parts]),
            np.concatenate([p.running for p in parts]),
            {
                n: {f: np.concatenate([p.columns[n][f] for p in parts]) for f in FIELDS}
                for n in names
            },
        )


FAN = 64  # blocks per coarse block: 4096 rows


def coarsen(blocks: Blocks) -> Blocks:
    """The next level up: each FAN blocks merged into one, by the same rules (first of
    the firsts, the least of the minima at its first row, ...), so a range wider
    than a coarse block costs one entry instead of FAN."""
    count = len(blocks.xf)
    groups = -(-count // FAN)
    pad = groups * FAN - count
    g = np.arange(groups)

    def table(array: np.ndarray, fill) -> np.ndarray:
        return np.concatenate([array, np.full(pad, fill, array.dtype)]).reshape(groups, FAN)

    def first(hit: np.ndarray, last: bool = False) -> np.ndarray:
        return FAN - 1 - np.argmax(hit[:, ::-1], axis=1) if last else np.argmax(hit, axis=1)

    columns = {}
    for name, c in blocks.columns.items():
        out: dict[str, np.ndarray] = {}
        for field, last in (("fv", False), ("lv", True), ("fn", False)):
            rows = table(c[field], -1)
            k = first(rows >= 0, last)
            out[field] = rows[g, k]  # -1 where no block has one
            for picked in ("x" + field, "v" + field):
                if picked in c:
                    out[picked] = table(c[picked], np.nan)[g, k]
        for field, where, ufunc in (("mn", "amn", np.fmin), ("mx", "amx", np.fmax)):
            values = table(c[field], np.nan)
            best = ufunc.reduce(values, axis=1)
            k = np.argmax(values == best[:, None], axis=1)
            out[field] = best
            out[where] = np.where(np.isnan(best), -1, table(c[where], -1)[g, k])
            out["x" + field] = table(c["x" + field], np.nan)[g, k]
        with np.errstate(invalid="ignore", over="ignore"):
            for field in ("count", "sum", "squares"):
                out[field] = table(c[field], 0.0).sum(axis=1)
        columns[name] = out
    last_of = np.minimum((g + 1) * FAN, count) - 1
    return Blocks(blocks.xf[::FAN], blocks.xl[last_of], blocks.running[::FAN], columns)


class FileSummary(NamedTuple):
    kind: str
    stamp: object  # the FileStamp when built (`rows` says what it covers)
    rows: int
    sorted: bool  # time-sorted with no NaT: else M4 goes through every row
    blocks: Blocks | None
    end_running: float  # cumsum's running sum after the last row
    coarse: Blocks | None = None  # `coarsen(blocks)`

    @property
    def nbytes(self) -> int:
        return sum(b.nbytes for b in (self.blocks, self.coarse) if b is not None)

    def still_covers(self, opened: OpenFile) -> bool:
        """The file only grew since (same inode, not shorter): the summary still holds."""
        return opened.stamp.grew_from(self.stamp) and opened.rows >= self.rows

    @classmethod
    def build(cls, kind: str, opened: OpenFile, origin_ns: int, counter) -> FileSummary:
        return cls._summarise(kind, opened, origin_ns, counter, None)

    def extended(self, opened: OpenFile, origin_ns: int, counter) -> FileSummary:
        """This summary with the rows appended since: the last block is read again."""
        if opened.rows == self.rows:
            return self
        if not self.sorted or not self._prefix_unchanged(opened, origin_ns, counter):
            return self.build(self.kind, opened, origin_ns, counter)
        return self._summarise(self.kind, opened, origin_ns, counter, self)

    def _prefix_unchanged(self, opened: OpenFile, origin_ns: int, counter) -> bool:
        """Sampled blocks still begin at the times summarised: a file rewritten in place
        (same inode, longer, e.g. `cp` over it) is caught without reading it all."""
        if self.blocks is None:
            return True
        ids = np.unique(np.linspace(0, len(self.blocks.xf) - 1, PREFIX_SAMPLES).astype(np.int64))
        records = opened.records_in([(int(b) * BLOCK, int(b) * BLOCK + 1) for b in ids])
        counter.rows_decoded += len(records)
        x = seconds_since(records[TIME], opened.layout.time_unit, origin_ns)
        return bool(np.array_equal(x, self.blocks.xf[ids]))

    @classmethod
    def _summarise(cls, kind, opened, origin_ns, counter, old) -> FileSummary:
        kept = 0 if old is None or old.blocks is None else max(0, len(old.blocks.xf) - 1)
        start = kept * BLOCK
        parts = [old.blocks.head(kept)] if kept else []
        running = float(old.blocks.running[kept]) if kept else 0.0
        last_time = float(old.blocks.xl[kept - 1]) if kept else -np.inf
        rows = opened.rows
        unit = opened.layout.time_unit if not opened.empty else "ns"

        def seconds(units: np.ndarray) -> np.ndarray:
            return seconds_since(units, unit, origin_ns)

        for chunk in range(start, rows, CHUNK_ROWS):
            records = opened.records(chunk, min(rows, chunk + CHUNK_ROWS))
            counter.rows_decoded += len(records)
            if len(records) == 0:
                break
            # Times stay integers: only the few a summary keeps become seconds.
            fields = decode(records, opened.layout, origin_ns, seconds=False)
            units = fields[TIME]
            first = float(seconds(units[:1])[0])
            if old is not None and chunk == start and first != old.blocks.xf[kept]:
                return cls.build(kind, opened, origin_ns, counter)  # rewritten in place
            if not in_time_order(units) or first < last_time:
                return cls(kind, opened.stamp, rows, False, None, 0.0)
            starts = np.arange(0, len(units), BLOCK)
            raw = raw_rows(kind, fields, running)
            before = np.full(len(starts), running)
            if kind == "cumsum" and len(starts) > 1:
                before[1:] = raw["value"][starts[1:] - 1]
            running = float(raw["value"][-1]) if kind == "cumsum" else 0.0
            columns = {name: summarise(v, units, starts, chunk, seconds) for name, v in raw.items()}
            ends = np.append(starts[1:], len(units)) - 1
            parts.append(Blocks(seconds(units[starts]), seconds(units[ends]), before, columns))
            last_time = float(parts[-1].xl[-1])
        blocks = Blocks.join(parts) if parts else None
        coarse = coarsen(blocks) if blocks is not None else None
        return cls(kind, opened.stamp, rows, True, blocks, running, coarse)

    # ---- reading rows back ---------------------------------------------------------------

    def read_blocks(self, opened: OpenFile, origin_ns: int, ids: np.ndarray, counter):
        """(rows, x, raw columns) of the blocks `ids` (sorted, unique), read in runs."""
        ids = np.unique(ids)
        if len(ids) == 0:
            return np.empty(0, np.int64), np.empty(0), {}
        breaks = np.flatnonzero(np.diff(ids) != 1) + 1
        runs = np.split(ids, breaks)
        ranges = [(int(run[0]) * BLOCK, min(self.rows, (int(run[-1]) + 1) * BLOCK)) for run in runs]
        fields = decode(opened.records_in(ranges), opened.layout, origin_ns)
        counter.rows_decoded += len(fields[TIME])
        rows = np.concatenate([np.arange(start, stop) for start, stop in ranges])
        if self.kind != "cumsum":
            return rows, fields[TIME], kinds.raw_columns(self.kind, fields)
        # The running sum restarts at each run's own running value.
        values, at = [], 0
        for run, (start, stop) in zip(runs, ranges):
            part = {n: c[at : at + stop - start] for n, c in fields.items()}
            values.append(raw_rows(self.kind, part, float(self.blocks.running[run[0]]))["value"])
            at += stop - start
        return rows, fields[TIME], {"value": np.concatenate(values)}

    def gather(self, opened, origin_ns, rows: np.ndarray, counter):
        """x and raw columns at `rows` (sorted, unique), reading only their blocks."""
        got, x, columns = self.read_blocks(opened, origin_ns, rows // BLOCK, counter)
        at = np.searchsorted(got, rows)
        if (
            len(got) == 0
            or np.any(at >= len(got))
            or np.any(got[np.minimum(at, len(got) - 1)] != rows)
        ):
            raise OSError(0, "file shrank while read", opened.name)
        return x[at], {n: c[at] for n, c in columns.items()}

    # ---- M4 --------------------------------------------------------------------------------

    def m4(self, opened: OpenFile, origin_ns: int, width: int, x_range, counter):
        """(rows, reduced, x0, x1, arrays) as `reduce_series` over every raw row gives."""
        blocks, n = self.blocks, self.rows
        if blocks is None or n == 0 or not blocks.columns:
            return None
        x0, x1 = x_range or m4.span(float(blocks.xf[0]), float(blocks.xl[-1]))
        begin, end = self._bounds(opened, origin_ns, x0, x1, counter)
        names = list(blocks.columns)
        if end - begin <= 4 * width:
            start, stop = max(0, begin - 1), min(n, end + 1)
            rows = np.arange(start, stop)
            if start > 0:
                rows = np.concatenate([[0], rows])
            if stop < n:
                rows = np.concatenate([rows, [n - 1]])
            x, columns = self.gather(opened, origin_ns, rows, counter)
            arrays = [("x", x)] + [(name, columns[name]) for name in names]
            return n, False, x0, x1, arrays
        picks = [np.array([0, n - 1]), np.array([begin - 1]) if begin > 0 else np.empty(0, int)]
        if end < n:
            picks.append(np.array([end]))
        found = self._pixel_picks(opened, origin_ns, begin, end, x0, x1, width, counter)
        if len(names) == 1:
            # One column: the picks come with their times and values; read only the ends.
            ends = np.unique(np.concatenate(picks).astype(np.int64))
            x_ends, v_ends = self.gather(opened, origin_ns, ends, counter)
            rows = np.concatenate([found[0], ends])
            rows, first = np.unique(rows, return_index=True)
            x = np.concatenate([found[1], x_ends])[first]
            values = np.concatenate([found[2], v_ends[names[0]]])[first]
            columns = {names[0]: values}
        else:
            rows = np.unique(np.concatenate([*picks, found[0]]).astype(np.int64))
            x, columns = self.gather(opened, origin_ns, rows, counter)
        in_range = np.count_nonzero((rows >= begin) & (rows < end))
        arrays = [("x", x)] + [(name, columns[name]) for name in names]
        return n, bool(in_range < end - begin), x0, x1, arrays

    def _bounds(self, opened, origin_ns, x0, x1, counter):
        """[begin, end): the rows with x0 <= x <= x1, reading at most two blocks."""
        xf, xl = self.blocks.xf, self.blocks.xl

        def first_row(value: float, side: str) -> int:
            # The first row with x >= value ('left') or x > value ('right').
            b = int(np.searchsorted(xl, value, side))
            if b == len(xl):
                return self.rows
            if (xf[b] >= value) if side == "left" else (xf[b] > value):
                return b * BLOCK
            rows, x, _ = self.read_blocks(opened, origin_ns, np.array([b]), counter)
            return int(rows[0] + np.searchsorted(x, value, side))

        return first_row(x0, "left"), first_row(x1, "right")

    def _pixel_picks(self, opened, origin_ns, begin, end, x0, x1, width, counter):
        blocks, coarse = self.blocks, self.coarse

        def level(xf, xl, ids, size):
            """Of blocks `ids` of `size` rows: their pixels, first rows, and which lie
            wholly inside the range and one pixel column."""
            pf = m4.pixel_of(xf[ids], x0, x1, width)
            pl = m4.pixel_of(xl[ids], x0, x1, width)
            lo, hi = ids * size, np.minimum((ids + 1) * size, self.rows)
            return pf, lo, (lo >= begin) & (hi <= end) & (pf == pl)

        # Coarse blocks inside one pixel, then the blocks of the others, then rows.
        span = BLOCK * FAN
        cids = np.arange(begin // span, (end - 1) // span + 1)
        cpf, clo, cwhole = level(coarse.xf, coarse.xl, cids, span)
        ids = (cids[~cwhole][:, None] * FAN + np.arange(FAN)).ravel()
        ids = ids[(ids >= begin // BLOCK) & (ids <= (end - 1) // BLOCK)]
        pf, lo, whole = level(blocks.xf, blocks.xl, ids, BLOCK)
        rows, x, raw = self.read_blocks(opened, origin_ns, ids[~whole], counter)
        inside = (rows >= begin) & (rows < end)
        rows, x = rows[inside], x[inside]
        # Elements in row order: whole blocks (their summaries) and single rows.
        element_row = np.concatenate([clo[cwhole], lo[whole], rows])
        order = np.argsort(element_row, kind="stable")
        pixel = np.concatenate([cpf[cwhole], pf[whole], m4.pixel_of(x, x0, x1, width)])[order]
        starts = np.flatnonzero(np.diff(pixel, prepend=-1))
        group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(pixel))))
        count = len(starts)
        picked_rows, picked_x, picked_v = [], [], []
        for name, summary in blocks.columns.items():
            values = raw[name][inside] if len(raw) else np.empty(0)
            nan = np.isnan(values)
            own = np.where(nan, -1, rows)

            def element(
                field: str, row_value: np.ndarray, s=summary, c=coarse.columns[name]
            ) -> np.ndarray:
                parts = [c[field][cids][cwhole], s[field][ids][whole], row_value]
                return np.concatenate(parts)[order]

            def keep(chosen: np.ndarray, where: np.ndarray, xs: str, vs: np.ndarray) -> None:
                chosen = chosen[chosen >= 0]
                picked_rows.append(where[chosen])
                picked_x.append(element(xs, x)[chosen])
                picked_v.append(vs[chosen])

            fv, lv = element("fv", own), element("lv", own)
            fn = element("fn", np.where(nan, rows, -1))
            gap = np.full(len(fn), np.nan)  # a NaN row's value
            for first_of, last, xs, vs in (
                (fv, False, "xfv", element("vfv", values)),
                (lv, True, "xlv", element("vlv", values)),
                (fn, False, "xfn", gap),
            ):
                at = np.flatnonzero(first_of >= 0)
                keep(_firsts(at, group[at], count, last), first_of, xs, vs)
            for ufunc, field, where_field in ((np.fmin, "mn", "amn"), (np.fmax, "mx", "amx")):
                extreme, where = element(field, values), element(where_field, own)
                best = ufunc.reduceat(extreme, starts)
                at = np.flatnonzero(extreme == best[group])
                keep(_firsts(at, group[at], count), where, "x" + field, extreme)
        return (
            np.concatenate(picked_rows).astype(np.int64),
            np.concatenate(picked_x),
            np.concatenate(picked_v),
        )
