"""GET series: the series of several runs in one answer, a frame per run and channel,
channel by channel (docs/server-api.md, "Series of several runs").

A glob's review asked for each run's series on its own: 80 requests for 20 runs of 60
channels, each costing the server about 3.6 ms of CPU besides its frames (and the
browser as much again). One request per slice of the grid carries every run's frames
of those channels, in the grid's order, so each plot fills in as soon as its channels
of every run are in. The frames are those of runs/<run>/series, with the run's name in
the header; the same pool, streaming, ETag and gzip rules.
"""

from __future__ import annotations

import logging

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from .group_handlers import open_runs, runs_validator
from .lod import request as lod_request
from .lod import wire
from .lod.runs_envelope import runs_envelope
from .series_handlers import SeriesAPIHandler

log = logging.getLogger(__name__)


def frames_wanted(request, runs, failed) -> list[tuple]:
    """Each frame the answer holds, in order: for each channel, each run that has it
    (with the x channel, when one is given), or whose listing failed (its error)."""
    by_name = {name: run for name, run in runs}
    items = []
    for channel in request.channels:
        for name in request.runs:
            if name in failed:
                items.append((name, channel, None, failed[name]))
                continue
            run = by_name[name]
            if channel not in run.channels:
                continue
            if request.x is not None and request.x not in run.channels:
                why = f"run {name!r} has no stats channel {request.x!r}"
                items.append((name, channel, None, why))
                continue
            items.append((name, channel, run, None))
    return items


class RunsSeriesHandler(SeriesAPIHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            request = lod_request.runs_series(self.arguments())
        except lod_request.BadParameter as error:
            raise web.HTTPError(400, str(error)) from None
        # A deleted or refused run gets its error in its frames; the others draw.
        runs, failed = await self.in_pool(open_runs, self.service, request.runs, True)
        for channel in request.channels:
            if not failed and not any(channel in run.channels for _, run in runs):
                raise web.HTTPError(400, f"channel: no run given has stats channel {channel!r}")
        self.set_header("Content-Type", "application/octet-stream")
        if self.revalidated(await self.in_pool(runs_validator, runs, failed, request, "series")):
            return
        service = self.service

        def frame_of(item, shared_band: list | None = None) -> bytes:
            name, channel, run, error = item
            if run is None:
                return wire.error_frame(channel, "", error, {"run": name})
            spec = run.channels[channel]
            return service.frame(
                run,
                spec,
                request.rule,
                request.width,
                request.x_range,
                request.x,
                name,
                shared_band,
            )

        def channel_of(items) -> bytes:
            """A channel's frames with the runs' bands folded into one frame, first."""
            bands: list = []
            frames = [frame_of(item, bands) for item in items]
            kind = next((run.channels[c].kind for _, c, run, _ in items if run), "")
            try:
                fold = shared_band_frame(items[0][1], kind, bands, request)
            except Exception:  # a bug: each run's own band then, as without band=shared
                log.exception("runwatch: folding the bands of %r failed", items[0][1])
                return b"".join(frame_of(item) for item in items)
            return fold + b"".join(frames)

        wanted = frames_wanted(request, runs, failed)
        shared = request.band == "shared"
        await self.write_frames(
            channel_of if shared else frame_of,
            by_channel(wanted) if shared else wanted,
            zoomed=request.x_range is not None,
            serial=True,
        )


def by_channel(items: list[tuple]) -> list[list[tuple]]:
    """`frames_wanted`'s items, a list per channel (they come channel by channel)."""
    out: list[list[tuple]] = []
    for item in items:
        if not out or out[-1][0][1] != item[1]:
            out.append([])
        out[-1].append(item)
    return out


def shared_band_frame(channel: str, kind: str, bands: list, request) -> bytes:
    """The frame of a channel's runs' bands folded into one (runs_envelope.py), with
    the runs' names; nothing when no run's frame had a band."""
    if not bands:
        return b""
    x0 = min(band[3] for band in bands)
    x1 = max(band[4] for band in bands)
    x, lo, hi = runs_envelope([band[:3] for band in bands], x0, x1, request.width)
    arrays = [("x", x), ("band.lo", lo), ("band.hi", hi)]
    extra = {"band": "shared", **({} if request.x is None else {"x": request.x})}
    return wire.frame(channel, kind, 0, True, x0, x1, arrays, None, extra)


def handlers(base_url: str) -> list[tuple[str, type]]:
    return [(url_path_join(base_url, "runwatch", "api", "series"), RunsSeriesHandler)]
