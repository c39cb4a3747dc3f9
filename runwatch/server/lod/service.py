"""The level-of-detail service: one channel's frame at a rule, width and range, and a
channel set's CSV. Blocking (file reads, numpy): the handlers run it in their own
thread pool, never on the IOLoop."""

from __future__ import annotations

import logging

import numpy as np

from ..paths import StorePaths
from . import envelope, group_frame, m4, wire, xmap
from .cache import SeriesCache
from .disk_cache import DiskCache
from .rows import ChannelError, ChannelSpec, RunChannels
from .run_listings import RunListings

log = logging.getLogger(__name__)


def extent(x: np.ndarray) -> tuple[float, float]:
    """x from `min(0, first x)` to the last x: TypeScript's `seriesExtent`."""
    return (0.0, 1.0) if len(x) == 0 else m4.span(float(x[0]), float(x[-1]))


class SeriesService:
    def __init__(
        self, paths: StorePaths, cache_bytes: int, disk: DiskCache | None = None, defer=None
    ):
        """`defer(job)`: run a disk cache write later (None: at once)."""
        self.paths = paths
        self.cache = SeriesCache(paths, cache_bytes, disk, defer)
        self.listings = RunListings(paths)

    def run(self, run: str) -> RunChannels:
        """The run's channels; Refused (-> its HTTP status) for a bad or missing run."""
        return self.listings.get(run)

    def frame(
        self,
        run: RunChannels,
        spec: ChannelSpec,
        rule: str | int,
        width: int,
        x_range: tuple[float, float] | None,
        x_name: str | None = None,
        run_name: str | None = None,
        shared_band: list | None = None,
    ) -> bytes:
        """The channel's frame, or its error frame ("<file name>: <reason>"); on the x
        channel `x_name` instead of time when given (xmap.py); `run_name` in its header
        when given (an answer about several runs). With `shared_band` (a list), the
        band is left out of the frame (its header says `"band": "shared"`) and added
        to the list as (x, lo, hi, x0, x1), for the runs' shared band (runs_envelope)."""
        extra = {
            **({} if run_name is None else {"run": run_name}),
            **({} if x_name is None else {"x": x_name}),
        } or None
        try:
            if x_name is not None:
                found = self._mapped_frame(run, spec, rule, width, x_range, x_name, extra)
            else:
                found = self._frame(run, spec, rule, width, x_range, extra)
            if shared_band is not None:
                found = _band_apart(found, shared_band)
            return wire.frame(*found)
        except ChannelError as error:
            return wire.error_frame(spec.name, spec.kind, str(error), extra)
        except OSError as error:
            where = error.filename.rsplit("/", 1)[-1] if error.filename else spec.name
            reason = f"{where}: {error.strerror or error}"
            return wire.error_frame(spec.name, spec.kind, reason, extra)
        except Exception as error:  # a bug or a file no check foresaw: the others still draw
            log.exception("runwatch: the series of %r failed", spec.name)
            reason = f"{spec.name}: the server failed ({type(error).__name__})"
            return wire.error_frame(spec.name, spec.kind, reason, extra)

    def warm(self, run: RunChannels, spec: ChannelSpec, rule: str | int) -> None:
        """Build or extend the channel's series at `rule` before anyone asks (warm.py);
        a channel that can't be read is left for a request to report."""
        try:
            self.cache.series(run, spec, rule)
        except (ChannelError, OSError):
            pass
        except Exception:  # a bug or a file no check foresaw: the request will say
            log.debug("runwatch: warming %r failed", spec.name, exc_info=True)

    def group_frame(self, runs, failed, channel, request) -> bytes:
        """One channel's grouped frame over `runs` (group_frame.py)."""
        return group_frame.frame(
            self.cache,
            runs,
            failed,
            channel,
            request.rule,
            request.width,
            request.x_range,
            request.center,
            request.band,
            request.x,
            request.runs if request.members else None,
        )

    def _frame(self, run, spec, rule, width, x_range, extra=None) -> wire.Frame:
        if rule == "raw":
            reduced = self.cache.raw(run, spec, width, x_range)
            if reduced is not None:
                return wire.Frame(spec.name, spec.kind, *reduced, None, extra)
        series, rows = self.cache.series(run, spec, rule)
        # The raw rule's rows stay M4 (pixel-identical); only buckets get the envelope.
        reduce = envelope.m4_kept if rule == "raw" else envelope.reduce_buckets
        return reduced_frame(spec, series, rows, width, x_range, reduce, extra)

    def _mapped_frame(self, run, spec, rule, width, x_range, x_name, extra) -> wire.Frame:
        """M4 over the series on the x channel's x (non-decreasing, as M4 needs);
        x0/x1 are in the x channel's units."""
        series, rows = xmap.mapped_series(
            self.cache, run, spec, rule, xmap.load(self.cache, run, x_name)
        )
        return reduced_frame(spec, series, rows, width, x_range, envelope.m4_kept, extra)


def reduced_frame(spec, series, rows, width, x_range, reduce, extra=None) -> wire.Frame:
    """`series` over `x_range` (its whole span if None) at `width` pixel columns, kept by
    `reduce` (`envelope.m4_kept` or `envelope.reduce_buckets`), as the channel's frame."""
    x0, x1 = x_range or extent(series.x)
    lines = list(series.columns.items())
    kept = reduce(series.x, [c for _, c in lines], series.band, x0, x1, width)
    arrays = [("x", m4.gather(kept.rows, series.x))]
    arrays += [(name, m4.gather(kept.rows, column)) for name, column in lines]
    if kept.band is not None:
        arrays += [("band.lo", kept.band[0]), ("band.hi", kept.band[1])]
    return wire.Frame(spec.name, spec.kind, rows, kept.reduced, x0, x1, arrays, None, extra)


def _band_apart(found: wire.Frame, shared_band: list) -> wire.Frame:
    """`found` without its band, which goes to `shared_band` as (x, lo, hi, x0, x1)."""
    arrays = dict(found.arrays)
    if "band.lo" not in arrays:
        return found
    shared_band.append(
        (arrays["x"], arrays.pop("band.lo"), arrays.pop("band.hi"), found.x0, found.x1)
    )
    extra = {**(found.extra or {}), "band": "shared"}
    return found._replace(arrays=list(arrays.items()), extra=extra)
