"""GET table: the runs table's rows (docs/runs-table.md), from the listing's cache.

The work (the listing, each run's facts, its channel summaries, the JSON and its
gzip) runs in one thread of its own, never on the IOLoop: two tables asked at once
take turns (their caches are shared), and the series' pool stays free for plots.
After an answer, the same thread writes what the table learned to disk
(table/persisted.py), so the first table after a restart needn't read every run.
"""

from __future__ import annotations

import logging
import zlib
from concurrent.futures import ThreadPoolExecutor

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop

from ..store.resolve import StoreRootNotAFolder
from .handlers import StoreAPIHandler
from .lod import validators

log = logging.getLogger(__name__)
GZIP_LEVEL = 1  # JSON of 10,000 rows shrinks about 5x even at 1, in a few ms a MB
_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(1, thread_name_prefix="runwatch-table")
    return _executor


class TableHandler(StoreAPIHandler):
    @property
    def runs_table(self):
        """One per server: its caches serve every request."""
        found = self.settings.get("runwatch_table")
        if found is None:
            from ..table import RunsTable  # numpy: loaded on the first table

            found = RunsTable(self.store.root, self.store.settings.stale_after, table_disk(self))
            self.settings["runwatch_table"] = found
        return found

    @web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.get_argument("q", None)
        stats = self.get_arguments("stat") or None
        gzip = validators.accepts_gzip(self.request.headers.get("Accept-Encoding"))
        try:
            body = await IOLoop.current().run_in_executor(
                executor(), self._answer, query, stats, gzip
            )
        except ValueError as error:  # QueryError, BadStat: the client's to fix
            raise web.HTTPError(400, str(error)) from None
        except StoreRootNotAFolder as error:
            raise web.HTTPError(409, str(error)) from None
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Vary", "Accept-Encoding")
        if gzip:
            self.set_header("Content-Encoding", "gzip")
        self.finish(body)
        executor().submit(_persist, self.runs_table)

    def _answer(self, query: str | None, stats: list[str] | None, gzip: bool) -> bytes:
        body = self.runs_table.table_json(query, stats, self.store.listing.summaries).encode()
        return zlib.compress(body, GZIP_LEVEL, wbits=31) if gzip else body


def table_disk(handler: StoreAPIHandler):
    """The runs table's disk cache (`$XDG_CACHE_HOME/runwatch/table`), or None when
    `lod_disk_cache_mb` is 0 (disk caches off)."""
    from ..table.persisted import FOLDER_BYTES, default_folder
    from .lod.disk_cache import DiskCache

    if int(getattr(handler.store.settings, "lod_disk_cache_mb", 1)) <= 0:
        return None
    return DiskCache(default_folder(), FOLDER_BYTES)


def _persist(table) -> None:
    try:
        table.persist()
    except Exception:  # a cache: never the request's failure, but never silent
        log.exception("runwatch: the runs table could not be written to disk")


def handlers(base_url: str) -> list[tuple[str, type]]:
    api = url_path_join(base_url, "runwatch", "api")
    return [(url_path_join(api, "table"), TableHandler)]
