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

The runs are listed again only when the store root changed (a run made or deleted):
listing 10,000 runs costs about 0.5 s, which every minute would be most of an idle
server's work. A pass that finds nothing changed costs a `stat` per file and a read
of each run's `_info.json`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable

from tornado.ioloop import IOLoop

from ..store import summary
from ..store.resolve import StoreRootNotAFolder
from .listing import RunListing
from .lod.rows import ChannelSpec, RunChannels
from .lod.service import SeriesService
from .lod.warm import WARM_RULE, FileStamps, newest_runs, opens_at_warm_rule
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
        self.listings = 0  # of them, those that listed the runs (for tests)
        self._names: list[str] | None = None  # the newest runs, as last listed
        self._listed_root: object = None  # the root's stamp then

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
        root = await in_thread(WARM, self._root_stamp)
        if self._names is None or root != self._listed_root:
            summaries = await in_thread(WARM, self.listing.summaries)
            self._names, self._listed_root = newest_runs(summaries, self.runs), root
            self.listings += 1
        warmed_runs, warmed, kept = 0, 0, set()
        for name in self._names:
            if lru.used > lru.limit // 2:
                break
            try:
                run = await in_thread(WARM, service.run, name)
            except (Refused, OSError):
                continue  # deleted since, or unreadable: a request reports why
            kept.add(str(run.run_dir))
            changed = await in_thread(WARM, self._changed, run)
            for spec, stamps in changed:
                await in_thread(WARM, self._warm, service, run, spec, stamps)
            if changed:
                # Its listing's header checks too, as `GET runs/<run>` makes them.
                await in_thread(WARM, self._check_headers, run)
            warmed_runs += bool(changed)
            warmed += len(changed)
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

    def _check_headers(self, run: RunChannels) -> None:
        real_root = self.listing.paths.real_root()
        try:
            scan, info, _ = summary.inspect_run(run.run_dir, real_root)
        except OSError:
            return  # deleted since, or unreadable: a request reports why
        summary.file_entries(run.run_dir, info, scan)

    def _root_stamp(self) -> object:
        try:
            st = os.stat(self.listing.paths.root)
        except OSError as error:
            return error.errno
        return (st.st_dev, st.st_ino, st.st_mtime_ns)

    def _changed(self, run: RunChannels) -> list[tuple[ChannelSpec, tuple]]:
        """The run's channels whose files changed since last read, with their stamps
        now; none when the run is too short to open a review at the warmed rule."""
        now = [(spec, self.stamps.now(run.run_dir, spec)) for spec in run.channels.values()]
        if not opens_at_warm_rule(run.created_ns, [stamps for _, stamps in now]):
            return []
        return [(s, stamps) for s, stamps in now if self.stamps.differs(run.run_dir, s, stamps)]

    def _warm(self, service: SeriesService, run: RunChannels, spec, stamps: tuple) -> None:
        service.warm(run, spec, WARM_RULE)
        self.stamps.seen(run.run_dir, spec, stamps)
