"""GET runs/<run>/series and runs/<run>/csv: a run's channels reduced to what a plot's
pixels need, or every row as CSV (docs/server-api.md, "Series" and "CSV").

All file work runs in this module's own pool of 2 threads, never on the IOLoop, so
a big or hostile file can't stall the server's other requests. The pool runs short
jobs (a run's listing, a validator) first, then a zoom's frames, then whole-span ones,
each request's in the order the requests came (frame_pool.py). The channels' frames
are written and flushed as they are computed, in request order, quick ones in
batches (gzip-compressed when the browser accepts it, one flush per batch).

Answers carry an ETag (lod/validators.py) and an If-None-Match that matches is a 304
with no body; the answer about a run not written to lately may be kept by the
browser (`private, no-cache`: it revalidates every time), a live one is `no-store`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
import zlib
from collections import deque
from pathlib import Path

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError

from ..store.resolve import StoreRootNotAFolder
from .frame_pool import FramePool
from .handlers import RUN, StoreAPIHandler
from .lod import csv as lod_csv
from .lod import request as lod_request
from .lod import validators
from .lod.cache import DEFAULT_CACHE_BYTES
from .lod.disk_cache import DiskCache, default_folder
from .lod.service import SeriesService
from .paths import Refused

log = logging.getLogger(__name__)

# Two threads, but a series' frames are computed one batch at a time (`SERIAL`): they
# are short numpy calls between Python lines, and two at once fought over the GIL on 2
# cores: the glob's 1,200 frames took 1.3 s on two threads against 0.9 s on one, for
# 1.5-1.6 s of CPU against 0.9 s (docs/server-api.md, "Threads"). Grouped frames bin
# long arrays, where numpy lets go of the GIL: cold, 2.3-2.7 s on two threads against
# 3.2-3.4 s on one.
WORKERS = 2
SERIAL = threading.Lock()
# Jobs a request keeps queued: the next batch is computed while one is sent.
QUEUED = 2
# Frames are deflated with Huffman coding only (no match search): float64 frames hardly
# repeat, so level 1's matching saved 25 % of a 20-run glob's 55 MB at 29-44 MB/s, and
# Huffman alone saves 17 % at 88 MB/s. The glob's first review through the 100 Mbit/s
# link took 7.0 and 6.5 s against 11.0 and 9.8 s (docs/server-api.md, "Compression").
GZIP_LEVEL = 1
GZIP_STRATEGY = zlib.Z_HUFFMAN_ONLY
CSV_GZIP_LEVEL = 1  # CSV text shrinks about 3x even at 1; its chunks are 1 MB
# A pool job computes about this long a batch of frames, at most MAX_BATCH (a zoom
# waits for at most one running job per thread).
BATCH_S = 0.005
MAX_BATCH = 16
# The pool's ranks: short jobs, then a zoom's frames, then whole-span loads, the
# summaries' disk entries once no frame waits, and last the background pass (warmup.py).
SHORT, ZOOM, SPAN, PERSIST, WARM = 0, 1, 2, 3, 4
_pool: FramePool | None = None
_arrivals = itertools.count()


def pool() -> FramePool:
    global _pool
    if _pool is None:
        _pool = FramePool(WORKERS, "runwatch-lod")
    return _pool


def lod_service(settings: dict) -> SeriesService:
    """The server's one SeriesService (its cache is shared by every request and the
    background pass), made on first use from the web app's `settings`."""
    service = settings.get("runwatch_lod")
    if service is None:
        config = settings["runwatch"].settings
        limit_mb = getattr(config, "lod_cache_mb", DEFAULT_CACHE_BYTES >> 20)
        disk_mb = int(getattr(config, "lod_disk_cache_mb", 0))
        folder = getattr(config, "lod_disk_cache_dir", "")
        folder = Path(folder).expanduser() if folder else default_folder()
        disk = DiskCache(folder, disk_mb * 2**20) if disk_mb > 0 else None
        service = SeriesService(settings["runwatch"].paths, int(limit_mb) * 2**20, disk, later)
        settings["runwatch_lod"] = service
    return service


def in_thread(rank: int, function, *args) -> asyncio.Future:
    """`function(*args)` in the pool, ranked (then first come, first served)."""
    return asyncio.wrap_future(pool().submit((rank, next(_arrivals)), function, *args))


def later(job) -> None:
    """Run `job` in the pool after every waiting frame (a disk cache write); a job
    that raises is logged (nobody awaits it)."""
    future = pool().submit((PERSIST, next(_arrivals)), job)
    future.add_done_callback(_log_failure)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("runwatch: a summaries' disk write failed", exc_info=future.exception())


class SeriesAPIHandler(StoreAPIHandler):
    @property
    def service(self) -> SeriesService:
        return lod_service(self.settings)

    async def not_modified(self, found, specs, params) -> bool:
        """Set the answer's ETag and Cache-Control; True (and a 304 sent) when the
        browser's copy is current."""
        validator = await self.in_pool(validators.answer_validator, found, specs, params)
        return self.revalidated(validator)

    def revalidated(self, validator: validators.Validator) -> bool:
        """`not_modified` with the validator computed (the grouped series' spans runs)."""
        gzip = self.gzip
        self.set_header("Etag", validator.etag[:-1] + '-gzip"' if gzip else validator.etag)
        self.set_header("Vary", "Accept-Encoding")
        quiet_s = getattr(self.store.settings, "stale_after", 60.0)
        cacheable = validators.unchanging(validator, quiet_s)
        self.set_header("Cache-Control", "private, no-cache" if cacheable else "no-store")
        if self.check_etag_header():
            self.set_status(304)
            self.finish()
            return True
        if gzip:
            self.set_header("Content-Encoding", "gzip")
        return False

    @property
    def gzip(self) -> bool:
        """Frames are gzipped only when the server is set to (`lod_gzip_frames`) and the
        browser accepts it: float64 hardly shrinks (docs/server-api.md)."""
        wanted = getattr(self.store.settings, "lod_gzip_frames", False)
        return wanted and self.accepts_gzip

    @property
    def accepts_gzip(self) -> bool:
        return validators.accepts_gzip(self.request.headers.get("Accept-Encoding"))

    async def in_pool(self, function, *args):
        """Run blocking work in the pool; Refused becomes its HTTP error."""
        try:
            return await in_thread(SHORT, function, *args)
        except Refused as refused:
            raise web.HTTPError(refused.status, refused.message) from None
        except StoreRootNotAFolder as error:
            raise web.HTTPError(409, str(error)) from None

    async def write_frames(self, frame_of, items, zoomed: bool, serial: bool = False) -> None:
        """Compute each item's frame (`frame_of(item)`, blocking) in the pool and write it,
        gzip-compressed when the browser accepts it, flushed in item order; stop
        computing when the browser goes away. A zoom's frames go before whole-span
        ones; else this request's go after those of the requests that came before it.

        A pool job computes a batch of consecutive frames, as many as took about
        BATCH_S in the job before (one at first): a frame from warm summaries takes
        a fraction of a millisecond, less than its trip through the pool, the
        compressor and the loop; a cold one stays alone, so it streams as soon as
        it is computed."""
        gzip = (
            zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31, 8, GZIP_STRATEGY) if self.gzip else None
        )
        loop = IOLoop.current()
        rank, arrival = (ZOOM if zoomed else SPAN), next(_arrivals)
        pending: deque = deque()
        queue = deque(enumerate(items))
        batch = 1
        try:
            while queue or pending:
                # The next batch computes while this one is compressed and sent.
                while queue and len(pending) < QUEUED:
                    chunk = [queue.popleft() for _ in range(min(batch, len(queue)))]
                    key = (rank, arrival, chunk[0][0])
                    job = serial_frames_of if serial else frames_of
                    future = pool().submit(key, job, frame_of, [i for _, i in chunk])
                    pending.append(asyncio.wrap_future(future))
                frames, seconds = await pending.popleft()
                batch = next_batch(seconds / len(frames))
                data = b"".join(frames)
                if gzip is not None:  # off the loop; in order, as the stream needs
                    data = await loop.run_in_executor(None, compress, gzip, data)
                self.write(data)
                await self.flush()
            if gzip is not None:
                self.write(gzip.flush())
        except StreamClosedError:
            return  # the browser went away (a newer zoom): compute no more
        finally:
            for future in pending:
                future.cancel()
        self.finish()

    def arguments(self) -> dict[str, list[str]]:
        return {
            name: [self.decode_argument(v, name) for v in values]
            for name, values in self.request.query_arguments.items()
        }

    async def channels_of(self, run: str, names: list[str]):
        """The run's channels and the requested ones' specs; 400 for an unknown one."""
        found = await self.in_pool(self.service.run, run)
        for name in names:
            if name not in found.channels:
                raise web.HTTPError(400, f"channel: run {run!r} has no stats channel {name!r}")
        return found, [found.channels[name] for name in names]


class SeriesHandler(SeriesAPIHandler):
    @web.authenticated
    @authorized
    async def get(self, run: str) -> None:
        try:
            request = lod_request.series(self.arguments())
        except lod_request.BadParameter as error:
            raise web.HTTPError(400, str(error)) from None
        found, specs = await self.channels_of(run, request.channels)
        self.set_header("Content-Type", "application/octet-stream")
        x_spec = found.channels.get(request.x) if request.x else None  # its rows place x
        read = specs + ([x_spec] if x_spec else [])
        if await self.not_modified(found, read, ["series", request]):
            return
        service = self.service
        await self.write_frames(
            lambda spec: service.frame(
                found, spec, request.rule, request.width, request.x_range, request.x
            ),
            specs,
            zoomed=request.x_range is not None,
            serial=True,
        )


class CsvHandler(SeriesAPIHandler):
    @property
    def gzip(self) -> bool:
        return self.accepts_gzip  # text: about 3x smaller even at level 1

    @web.authenticated
    @authorized
    async def get(self, run: str) -> None:
        try:
            names = lod_request.channels(self.arguments().get("channel", []))
        except lod_request.BadParameter as error:
            raise web.HTTPError(400, str(error)) from None
        found, specs = await self.channels_of(run, names)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        filename = lod_csv.file_name(run, names)
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        if await self.not_modified(found, specs, ["csv", names]):
            return
        chunks = await self.in_pool(lod_csv.CsvChunks, self.service.paths, found, specs, run)
        if self.gzip:
            chunks = GzipChunks(chunks)
        try:
            while True:
                chunk = await self.in_pool(chunks.next)
                if chunk is None:
                    break
                self.write(chunk)
                await self.flush()
        except StreamClosedError:
            return
        finally:
            chunks.close()
        self.finish()


def frames_of(frame_of, items) -> tuple[list[bytes], float]:
    """(each item's frame, the seconds they took): one pool job's batch."""
    started = time.perf_counter()
    return [frame_of(item) for item in items], time.perf_counter() - started


def serial_frames_of(frame_of, items) -> tuple[list[bytes], float]:
    """`frames_of`, one such batch at a time across the pool (SERIAL)."""
    with SERIAL:
        return frames_of(frame_of, items)


def next_batch(seconds_a_frame: float) -> int:
    """How many frames the next job computes: about BATCH_S of them, 1 to MAX_BATCH."""
    if not seconds_a_frame > 0:
        return MAX_BATCH
    return max(1, min(MAX_BATCH, int(BATCH_S / seconds_a_frame)))


def compress(gzip, data: bytes) -> bytes:
    """`data` through the answer's gzip stream, flushed: the browser can decode it now."""
    return gzip.compress(data) + gzip.flush(zlib.Z_SYNC_FLUSH)


class GzipChunks:
    """CSV chunks through one gzip stream; the stream's end comes after the last."""

    def __init__(self, chunks: lod_csv.CsvChunks):
        self.chunks = chunks
        self.gzip = zlib.compressobj(CSV_GZIP_LEVEL, zlib.DEFLATED, 31)
        self.ended = False

    def next(self) -> bytes | None:
        if self.ended:
            return None
        chunk = self.chunks.next()
        if chunk is None:
            self.ended = True
            return self.gzip.flush()
        return compress(self.gzip, chunk)

    def close(self) -> None:
        self.chunks.close()


def handlers(base_url: str) -> list[tuple[str, type]]:
    api = url_path_join(base_url, "runwatch", "api")
    return [
        (url_path_join(api, "runs", RUN, "series"), SeriesHandler),
        (url_path_join(api, "runs", RUN, "csv"), CsvHandler),
    ]
