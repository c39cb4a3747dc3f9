"""GET and POST runs/<run>/steer: a running job's steerable params, and asking it to change
them or stop (docs/steering.md, docs/security.md "Writes").

POST is the server's first write to the store. Jupyter authenticates it and, for
cookie logins, checks XSRF (APIHandler); the authorizer must allow "write" on
"contents". The request is checked against the run's declaration and status,
then written as one file in that run's folder; the job checks it again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from ..steering.declaration import MAX_REQUEST_BYTES, SteerRefused
from ..steering.requests import steer_state, submit
from ..store.safe_read import RefusedFile
from .handlers import AUTH_RESOURCE, RUN, StoreAPIHandler


def _now_ms() -> int:
    return time.time_ns() // 10**6


class SteerHandler(StoreAPIHandler):
    @web.authenticated
    @authorized("read", resource=AUTH_RESOURCE)
    async def get(self, run: str) -> None:
        state = await self.in_thread(self._state, run)
        self.send_json(state)

    @web.authenticated
    @authorized("write", resource=AUTH_RESOURCE)
    async def post(self, run: str) -> None:
        try:
            changes, stop = self._parse_body()
            request = await self.in_thread(self._submit, run, changes, stop)
        except web.HTTPError as error:
            self.log.warning(
                "runwatch: steer of run %r refused (%d): %s",
                run,
                error.status_code,
                error.log_message,
            )
            raise
        self.log.info("runwatch: steer request %s written for run %r", request["id"], run)
        self.set_status(202)
        self.send_json({"run": run, **request})

    def _parse_body(self) -> tuple[object, object]:
        body = self.request.body or b""
        if len(body) > MAX_REQUEST_BYTES:
            raise web.HTTPError(413, f"a steer request is at most {MAX_REQUEST_BYTES} bytes")
        try:
            data = json.loads(body or b"null")
        except (ValueError, RecursionError):
            raise web.HTTPError(400, "the body must be JSON") from None
        if not isinstance(data, dict) or set(data) - {"changes", "stop"}:
            raise web.HTTPError(400, 'the body must be {"changes": {...}} and/or {"stop": true}')
        return data.get("changes"), data.get("stop", False)

    def _paths(self, run: str):
        run_dir = self.store.paths.run_dir(run)  # Refused: bad name 400, out of root 403, none 404
        return run_dir, self.store.paths.real_root()

    def _state(self, run: str) -> dict:
        run_dir, real_root = self._paths(run)
        with _refusals(run):
            return steer_state(run_dir, real_root, _now_ms())

    def _submit(self, run: str, changes: object, stop: object) -> dict:
        run_dir, real_root = self._paths(run)
        with _refusals(run, writing=True):
            return submit(run_dir, real_root, changes, stop, "server", _now_ms())


@contextmanager
def _refusals(run: str, writing: bool = False) -> Iterator[None]:
    """A refused request, a deleted run, a refused file (and, `writing`, a failed
    write) as the HTTP error it is."""
    try:
        yield
    except SteerRefused as refused:
        raise web.HTTPError(refused.status, refused.message) from None
    except FileNotFoundError:
        raise web.HTTPError(404, f"no run named {run!r} (deleted)") from None
    except RefusedFile as refused:
        raise web.HTTPError(403, f"run {run!r}: {refused.strerror}") from None
    except OSError as error:  # a full disk, a read-only store
        if not writing:
            raise
        raise web.HTTPError(
            500, f"could not write the request in run {run!r}: {error.strerror}"
        ) from None


def handlers(base_url: str) -> list[tuple[str, type]]:
    api = url_path_join(base_url, "runwatch", "api")
    return [(url_path_join(api, "runs", RUN, "steer"), SteerHandler)]
