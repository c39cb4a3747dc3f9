"""Every route of the server extension: the store's endpoints and the series ones."""

from __future__ import annotations

from . import (
    group_handlers,
    handlers,
    runs_series_handlers,
    series_handlers,
    steer_handlers,
    sweep_handlers,
    table_handlers,
)


def routes(base_url: str) -> list[tuple[str, type]]:
    return (
        handlers.handlers(base_url)
        + series_handlers.handlers(base_url)
        + group_handlers.handlers(base_url)
        + runs_series_handlers.handlers(base_url)
        + table_handlers.handlers(base_url)
        + steer_handlers.handlers(base_url)
        + sweep_handlers.handlers(base_url)
    )
