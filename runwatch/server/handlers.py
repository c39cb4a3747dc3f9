"""HTTP and WebSocket handlers under <base_url>runwatch/api/ (docs/server-api.md).

Every handler needs Jupyter's authentication (and XSRF, as Jupyter applies it)
and the authorizer's "read" permission on "contents": the store is files on disk.
"""

from __future__ import annotations

import asyncio
import time

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized, ws_authenticated
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ..store.errors import RunNotFound, StoreError
from ..store.reading import resolve_many
from ..store.resolve import StoreRootNotAFolder
from .json_text import to_json
from .lod import request as lod_request
from .loop_slices import SLICE_S
from .paths import MAX_NAME_BYTES, Refused
from .store import MAX_READ, ServedStore
from .watch_requests import MAX_FRAME_BYTES, parse_request

AUTH_RESOURCE = "contents"
RUN = r"(?P<run>[^/]+)"
FILE = r"(?P<file>[^/]+)"


def _now_ms() -> int:
    return time.time_ns() // 10**6


class StoreAPIHandler(APIHandler):
    auth_resource = AUTH_RESOURCE

    @property
    def store(self) -> ServedStore:
        return self.settings["runwatch"]

    def compute_etag(self) -> None:
        return None  # live data: never answer 304

    def send_json(self, data: object) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish(to_json(data))

    async def in_thread(self, function, *args):
        """Run blocking file work off the IOLoop; Refused becomes its HTTP error,
        and so does a store root that is not a folder (409: the server's setup)."""
        try:
            return await IOLoop.current().run_in_executor(None, function, *args)
        except Refused as refused:
            raise web.HTTPError(refused.status, refused.message) from None
        except StoreRootNotAFolder as error:
            raise web.HTTPError(409, str(error)) from None


class RunsHandler(StoreAPIHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        glob = self.get_argument("glob", None) or None
        runs = await self.in_thread(self.store.listing.summaries_json, glob)
        self.set_header("Cache-Control", "no-store")
        # The runs are JSON already: each run's text is cached with its summary.
        self.finish(f'{{"root": {to_json(str(self.store.root))}, "runs": {runs}}}')


class ResolveHandler(StoreAPIHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.get_argument("q", None)
        if not query:
            raise web.HTTPError(400, "q (an index, a run name or a glob) is required")
        if len(query.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            raise web.HTTPError(
                400, f"q is {len(query)} characters: a run name or glob is at most 255 bytes"
            )
        try:
            names = await self.in_thread(resolve_many, query, self.store.root)
        except RunNotFound as error:
            raise web.HTTPError(404, str(error)) from None
        except (StoreError, TypeError) as error:
            raise web.HTTPError(400, str(error)) from None
        self.send_json({"runs": names})


class RunHandler(StoreAPIHandler):
    @web.authenticated
    @authorized
    async def get(self, run: str) -> None:
        detail = await self.in_thread(self.store.run_detail, run, _now_ms())
        self.send_json(detail)


class RunDetailsHandler(StoreAPIHandler):
    """GET run-details?run=<r>[&run=<r>…]: several runs' GET runs/<name> in one answer
    (a glob's review lists its runs at once: 20 requests cost the page 4 round trips
    of 6, and the server a request's overhead each)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            names = lod_request.runs({"run": self.get_arguments("run", strip=False)})
        except lod_request.BadParameter as error:
            raise web.HTTPError(400, str(error)) from None
        details = await self.in_thread(self.store.run_details, names, _now_ms())
        self.send_json({"runs": details})


class FileHandler(StoreAPIHandler):
    def _int_argument(self, name: str, default: int) -> int:
        value = self.get_argument(name, None)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise web.HTTPError(400, f"{name} must be an integer, got {value!r}") from None

    @web.authenticated
    @authorized
    async def get(self, run: str, file: str) -> None:
        offset = self._int_argument("offset", 0)
        length = self._int_argument("length", MAX_READ)
        if length < 0:
            raise web.HTTPError(400, f"length must be >= 0, got {length}")
        data, size, start = await self.in_thread(self.store.read_file, run, file, offset, length)
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Runwatch-File-Size", str(size))
        self.set_header("X-Runwatch-Offset", str(start))
        self.finish(data, set_content_type="application/octet-stream")


class WatchSocket(WebSocketMixin, WebSocketHandler, JupyterHandler):
    """Client ops: watch/unwatch a run, watch-store/unwatch-store. See docs/server-api.md."""

    auth_resource = AUTH_RESOURCE
    max_message_size = MAX_FRAME_BYTES  # tornado closes with 1009 past it, unread

    @property
    def store(self) -> ServedStore:
        return self.settings["runwatch"]

    def set_default_headers(self) -> None:
        """JupyterHandler's headers make no sense for a websocket (as in jupyter_server's own)."""

    async def pre_get(self) -> None:
        user = self.current_user
        allowed = await ensure_async(
            self.authorizer.is_authorized(self, user, "read", AUTH_RESOURCE)
        )
        if not allowed:
            raise web.HTTPError(403)

    @ws_authenticated
    async def get(self, *args, **kwargs) -> None:
        await self.pre_get()
        result = super().get(*args, **kwargs)
        if result is not None:
            await result

    def send(self, message: dict) -> None:
        try:
            self.write_message(to_json(message))
        except WebSocketClosedError:
            self.store.watcher.drop(self)

    _slice_started: float | None = None

    def on_message(self, text: str | bytes):
        """Act on one request; every problem is answered with an error, never a closed socket.

        Nothing here reads a file: a snapshot comes later, from the watcher's threads.
        """
        self._handle(text)
        return self._pause_after_a_slice()

    def _pause_after_a_slice(self):
        """After SLICE_S of back-to-back messages (10,000 watches sent at once), let the
        loop serve other requests: tornado reads the next frame once this sleep is over."""
        now = time.perf_counter()
        if self._slice_started is None:
            self._slice_started = now
        elif now - self._slice_started > SLICE_S:
            self._slice_started = None
            return asyncio.sleep(0)
        return None

    def _handle(self, text: str | bytes) -> None:
        run = None
        try:
            op, run = parse_request(text)
            watcher = self.store.watcher
            if op == "watch":
                watcher.watch(self, run)
            elif op == "unwatch":
                watcher.unwatch(self, run)
            elif op == "watch-store":
                watcher.watch_store(self)
            else:
                watcher.unwatch_store(self)
        except Refused as refused:
            self.send_error_message(refused.message, run)
        except Exception as error:
            self.log.exception("runwatch: a watch socket message failed")
            self.send_error_message(
                f"the server failed on this message: {type(error).__name__}", run
            )

    def send_error_message(self, message: str, run: object = None) -> None:
        error = {"type": "error", "message": message}
        if isinstance(run, str):
            error["run"] = run
        self.send(error)

    def on_close(self) -> None:
        self.store.watcher.drop(self)


def handlers(base_url: str) -> list[tuple[str, type]]:
    api = url_path_join(base_url, "runwatch", "api")
    return [
        (url_path_join(api, "runs"), RunsHandler),
        (url_path_join(api, "resolve"), ResolveHandler),
        (url_path_join(api, "runs", RUN), RunHandler),
        (url_path_join(api, "run-details"), RunDetailsHandler),
        (url_path_join(api, "runs", RUN, "files", FILE), FileHandler),
        (url_path_join(api, "watch"), WatchSocket),
    ]
