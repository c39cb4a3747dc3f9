"""GET group: channels aggregated across runs (mean or median, a band, n), one frame
per channel (docs/server-api.md, "Grouped series").

The same pool, streaming, ETag and gzip rules as runs/<run>/series (series_handlers.py):
frames are computed two at a time in the series pool and written in request order
(SeriesAPIHandler.write_frames).
"""

from __future__ import annotations

import json
from hashlib import sha256

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from .lod import request as lod_request
from .lod import validators
from .lod.rows import RunChannels
from .paths import Refused
from .series_handlers import SeriesAPIHandler


def open_runs(
    service, names: list[str], each_fails_alone: bool = False
) -> tuple[list[tuple[str, RunChannels]], dict[str, str]]:
    """(the runs' channels, {run: reason} for runs whose `_info.json` can't be read);
    Refused naming the run for a bad name or a missing run, unless `each_fails_alone`
    (then it is among the failed too, and the other runs still draw)."""
    runs, failed = [], {}
    for name in names:
        try:
            runs.append((name, service.run(name)))
        except Refused as refused:
            if refused.status != 409 and not each_fails_alone:
                raise Refused(refused.status, f"run: {refused.message}") from None
            failed[name] = refused.message
    return runs, failed


def runs_validator(runs, failed, request, what: str) -> validators.Validator:
    """One validator over every run's: any file of any run that changes changes it."""
    etags, newest = [], 0
    for _, run in runs:
        read = [run.channels[c] for c in request.channels if c in run.channels]
        if request.x in run.channels:
            read.append(run.channels[request.x])
        found = validators.answer_validator(run, read, [what, request])
        etags.append(found.etag)
        newest = max(newest, found.newest_mtime_ns)
    text = json.dumps([etags, failed], separators=(",", ":"))
    return validators.Validator(f'"{sha256(text.encode()).hexdigest()[:32]}"', newest)


class GroupHandler(SeriesAPIHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            request = lod_request.group(self.arguments())
        except lod_request.BadParameter as error:
            raise web.HTTPError(400, str(error)) from None
        runs, failed = await self.in_pool(open_runs, self.service, request.runs)
        for channel in request.channels:
            if not any(channel in run.channels for _, run in runs):
                raise web.HTTPError(400, f"channel: no run given has stats channel {channel!r}")
        self.set_header("Content-Type", "application/octet-stream")
        if await self.group_not_modified(runs, failed, request):
            return
        service = self.service
        await self.write_frames(
            lambda channel: service.group_frame(runs, failed, channel, request),
            request.channels,
            zoomed=request.x_range is not None,
        )

    async def group_not_modified(self, runs, failed, request) -> bool:
        """As `not_modified`, over every run of the group."""
        return self.revalidated(await self.in_pool(runs_validator, runs, failed, request, "group"))


def handlers(base_url: str) -> list[tuple[str, type]]:
    return [(url_path_join(base_url, "runwatch", "api", "group"), GroupHandler)]
