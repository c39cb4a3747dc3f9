"""The background pass: the newest runs summarised before anyone asks (lod/warm.py says
what it builds; docs/server-api.md, "Summaries built ahead").

A first review of runs the server never read reads every row: a 20-run comparison of
60 channels × 100 k rows is 120 M rows, about 1.8 s of numpy on 2 cores before a plot
can draw. So, from a few seconds after the server starts and then every `interval_s`,
the newest runs' channels are built, or extended from the rows appended since, at the
rule a review opens at. One file at a time, in the series pool's last rank: a
request's jobs always go first and the pass holds at most one of the pool's threads.
A pass stops once the memory cache is half full, so it never pushes out what requests
use. Each pass that read anything is logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from tornado.ioloop import IOLoop

from ..store.resolve import StoreRootNotAFolder
from .listing import RunListing
from .lod.service import SeriesService
from .lod.warm import WARM_RULE, FileStamps, runs_to_warm
from .paths import Refused
from .series_handlers import WARM, in_thread

log = logging.getLogger(__name__)

START_DELAY_S = 2.0  # the server's own start-up goes first


class Warmup:
    def __init__(
        self,
        listing: RunListing,
        service: Callable[[], SeriesService],
        runs: int,
        interval_s: float,
        logger: logging.Logger = log,
    ):
        self.listing = listing
        self.service = service
        self.runs = runs
        self.interval_s = interval_s
        self.log = logger  # the server's, so the pass shows in its log
        self.stamps = FileStamps()
        self.passes = 0  # finished passes (for tests and the bench)

    def start(self) -> None:
        IOLoop.current().call_later(START_DELAY_S, self._loop)

    async def _loop(self) -> None:
        while True:
            try:
                await self.one_pass()
            except StoreRootNotAFolder:
                pass  # the listing says so to whoever asks
            except Exception:  # a bug: log it, try again next time
                self.log.warning("runwatch: the background summaries' pass failed", exc_info=True)
            await asyncio.sleep(self.interval_s)

    async def one_pass(self) -> tuple[int, int]:
        """Warm the newest runs' changed channels; (runs, channels) read."""
        started = time.monotonic()
        service = self.service()
        lru = service.cache.lru
        summaries = await in_thread(WARM, self.listing.summaries)
        warmed_runs, warmed, kept = 0, 0, set()
        for name in runs_to_warm(summaries, self.runs):
            if lru.used > lru.limit // 2:
                break
            try:
                run = await in_thread(WARM, service.run, name)
            except (Refused, OSError):
                continue  # deleted since, or unreadable: a request reports why
            kept.add(str(run.run_dir))
            read = 0
            for spec in run.channels.values():
                read += await in_thread(WARM, self._warm, service, run, spec)
            warmed_runs += read > 0
            warmed += read
        self.stamps.keep_only(kept)
        self.passes += 1
        if warmed:
            self.log.info(
                "runwatch: summarised %d channels of %d runs ahead (%d s buckets) in %.1f s",
                warmed,
                warmed_runs,
                WARM_RULE,
                time.monotonic() - started,
            )
        return warmed_runs, warmed

    def _warm(self, service: SeriesService, run, spec) -> int:
        """1 if the channel changed since last seen and was read again, else 0."""
        stamps = self.stamps.changed(run.run_dir, spec)
        if stamps is None:
            return 0
        service.warm(run, spec, WARM_RULE)
        self.stamps.seen(run.run_dir, spec, stamps)
        return 1
