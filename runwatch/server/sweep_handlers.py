"""Sweeps over HTTP (docs/server-api.md "Sweeps"): list, status rows, stop, relaunch.

Stop and relaunch are writes: authenticated, XSRF-checked (Jupyter's APIHandler
checks POSTs), authorised as "write" on "contents" (docs/security.md). Names are
validated; every file and process operation runs off the IOLoop.
"""

from __future__ import annotations

import json

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from ..sweeps import record
from ..sweeps.launcher import relaunch
from ..sweeps.sweep import Sweep
from .handlers import AUTH_RESOURCE, StoreAPIHandler

SWEEP = r"(?P<name>[^/]+)"
MAX_BODY_BYTES = 4096


def _sweep(root, name: str) -> Sweep:
    try:
        record.check_name(name)
    except ValueError as error:
        raise web.HTTPError(400, str(error)) from None
    try:
        return Sweep(name, root)
    except record.NoSuchSweep:
        raise web.HTTPError(404, f"no sweep named {name!r}") from None


class SweepsHandler(StoreAPIHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.send_json({"sweeps": await self.in_thread(self._list)})

    def _list(self) -> list[dict]:
        found = []
        for name in record.names(self.store.root):
            try:
                found.append(Sweep(name, self.store.root).summary())
            except (record.NoSuchSweep, ValueError, KeyError):
                continue  # removed or unreadable meanwhile: the others still list
        return found


class SweepHandler(StoreAPIHandler):
    @web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.send_json(await self.in_thread(lambda: _sweep(self.store.root, name).detail()))


class SweepActionHandler(StoreAPIHandler):
    """POST sweeps/<name>/stop and sweeps/<name>/relaunch, body `{"variant": id | null}`."""

    def _variant(self) -> str | None:
        body = self.request.body or b"{}"
        if len(body) > MAX_BODY_BYTES:
            raise web.HTTPError(413, f"the body is over {MAX_BODY_BYTES} bytes")
        try:
            data = json.loads(body)
        except ValueError:
            raise web.HTTPError(400, 'the body must be JSON: {"variant": id | null}') from None
        if not isinstance(data, dict):
            raise web.HTTPError(400, 'the body must be a JSON object: {"variant": id | null}')
        variant = data.get("variant")
        if variant is not None and not (isinstance(variant, str) and len(variant) <= 64):
            raise web.HTTPError(400, "variant must be a variant id (a string) or null")
        return variant

    @web.authenticated
    @authorized("write", resource=AUTH_RESOURCE)
    async def post(self, name: str, action: str) -> None:
        variant = self._variant()
        root = self.store.root

        def act() -> dict:
            sweep = _sweep(root, name)
            why = record.untrusted(record.sweeps_dir(root) / name)
            if why is not None:
                self.log.warning("runwatch: refused to %s sweep %r: %s", action, name, why)
                raise web.HTTPError(403, f"sweep {name!r} can't be acted on from here: {why}")
            try:
                if action == "stop":
                    return {"stopped": sweep.stop(variant)}
                return relaunch(name, variant, root)
            except KeyError as error:  # no such variant
                raise web.HTTPError(404, error.args[0]) from None

        answer = await self.in_thread(act)
        self.log.info("runwatch: %s of sweep %r (variant %s): %s", action, name, variant, answer)
        self.send_json(answer)


def handlers(base_url: str) -> list[tuple[str, type]]:
    api = url_path_join(base_url, "runwatch", "api")
    return [
        (url_path_join(api, "sweeps"), SweepsHandler),
        (url_path_join(api, "sweeps", SWEEP), SweepHandler),
        (url_path_join(api, "sweeps", SWEEP, r"(?P<action>stop|relaunch)"), SweepActionHandler),
    ]
