"""GET runs/<run>/series and runs/<run>/csv: a run's channels reduced to what a plot's
pixels need, or every row as CSV (docs/server-api.md, "Series" and "CSV").

All file work runs in this module's own pool of 2 threads, never on the IOLoop, so
a big or hostile file can't stall the server's other requests. Each channel's frame
is written and flushed as soon as it is computed, in request order.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError

from ..store.resolve import StoreRootNotAFolder
from .handlers import RUN, StoreAPIHandler
from .lod import csv as lod_csv
from .lod import request as lod_request
from .lod.cache import DEFAULT_CACHE_BYTES
from .lod.service import SeriesService
from .paths import Refused

WORKERS = 2
_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="runwatch-lod")
    return _executor


class SeriesAPIHandler(StoreAPIHandler):
    @property
    def service(self) -> SeriesService:
        """One per server (its cache is shared by every request)."""
        service = self.settings.get("runwatch_lod")
        if service is None:
            limit_mb = getattr(self.store.settings, "lod_cache_mb", DEFAULT_CACHE_BYTES >> 20)
            service = SeriesService(self.store.paths, int(limit_mb) * 2**20)
            self.settings["runwatch_lod"] = service
        return service

    async def in_pool(self, function, *args):
        """Run blocking work in the pool; Refused becomes its HTTP error."""
        try:
            return await IOLoop.current().run_in_executor(executor(), function, *args)
        except Refused as refused:
            raise web.HTTPError(refused.status, refused.message) from None
        except StoreRootNotAFolder as error:
            raise web.HTTPError(409, str(error)) from None

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
        self.set_header("Cache-Control", "no-store")
        service = self.service
        loop = IOLoop.current()
        pending: deque = deque()
        queue = deque(specs)
        try:
            while queue or pending:
                # Both threads busy, in request order; frames go out in that order.
                while queue and len(pending) < WORKERS:
                    pending.append(
                        loop.run_in_executor(
                            executor(),
                            service.frame,
                            found,
                            queue.popleft(),
                            request.rule,
                            request.width,
                            request.x_range,
                        )
                    )
                self.write(await pending.popleft())
                await self.flush()
        except StreamClosedError:
            return  # the browser went away (a newer zoom): compute no more
        finally:
            for future in pending:
                future.cancel()
        self.finish()


class CsvHandler(SeriesAPIHandler):
    @web.authenticated
    @authorized
    async def get(self, run: str) -> None:
        try:
            names = lod_request.channels(self.arguments().get("channel", []))
        except lod_request.BadParameter as error:
            raise web.HTTPError(400, str(error)) from None
        found, specs = await self.channels_of(run, names)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        filename = lod_csv.file_name(run, names)
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        chunks = await self.in_pool(lod_csv.CsvChunks, self.service.paths, found, specs, run)
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


def handlers(base_url: str) -> list[tuple[str, type]]:
    api = url_path_join(base_url, "runwatch", "api")
    return [
        (url_path_join(api, "runs", RUN, "series"), SeriesHandler),
        (url_path_join(api, "runs", RUN, "csv"), CsvHandler),
    ]
