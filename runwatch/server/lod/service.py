"""The level-of-detail service: one channel's frame at a rule, width and range, and a
channel set's CSV. Blocking (file reads, numpy): the handlers run it in their own
thread pool, never on the IOLoop."""

from __future__ import annotations

import logging

import numpy as np

from ..paths import StorePaths
from . import m4, wire
from .cache import SeriesCache
from .disk_cache import DiskCache
from .rows import ChannelError, ChannelSpec, RunChannels, run_channels

log = logging.getLogger(__name__)


def extent(x: np.ndarray) -> tuple[float, float]:
    """x from `min(0, first x)` to the last x: TypeScript's `seriesExtent`."""
    if len(x) == 0:
        return 0.0, 1.0
    lo, hi = min(0.0, float(x[0])), float(x[-1])
    return lo, hi if hi > lo else lo + 1


class SeriesService:
    def __init__(self, paths: StorePaths, cache_bytes: int, disk: DiskCache | None = None):
        self.paths = paths
        self.cache = SeriesCache(paths, cache_bytes, disk)

    def run(self, run: str) -> RunChannels:
        """The run's channels; Refused (-> its HTTP status) for a bad or missing run."""
        return run_channels(self.paths, run)

    def frame(
        self,
        run: RunChannels,
        spec: ChannelSpec,
        rule: str | int,
        width: int,
        x_range: tuple[float, float] | None,
    ) -> bytes:
        """The channel's frame, or its error frame ("<file name>: <reason>")."""
        try:
            return self._frame(run, spec, rule, width, x_range)
        except ChannelError as error:
            return wire.error_frame(spec.name, spec.kind, str(error))
        except OSError as error:
            where = error.filename.rsplit("/", 1)[-1] if error.filename else spec.name
            return wire.error_frame(spec.name, spec.kind, f"{where}: {error.strerror or error}")
        except Exception as error:  # a bug or a file no check foresaw: the others still draw
            log.exception("runwatch: the series of %r failed", spec.name)
            return wire.error_frame(
                spec.name, spec.kind, f"{spec.name}: the server failed ({type(error).__name__})"
            )

    def _frame(self, run, spec, rule, width, x_range) -> bytes:
        if rule == "raw":
            reduced = self.cache.raw(run, spec, width, x_range)
            if reduced is not None:
                return wire.frame(spec.name, spec.kind, *reduced)
        series, rows = self.cache.series(run, spec, rule)
        x0, x1 = x_range or extent(series.x)
        columns = list(series.columns.items())
        if series.band is not None:
            columns += [("band.lo", series.band[0]), ("band.hi", series.band[1])]
        kept = m4.reduce_series(series.x, [c for _, c in columns], x0, x1, width)
        arrays = [("x", m4.gather(kept.rows, series.x))]
        arrays += [(name, m4.gather(kept.rows, column)) for name, column in columns]
        return wire.frame(spec.name, spec.kind, rows, kept.reduced, x0, x1, arrays)
