"""One run's table row: its listing summary, params and channel summaries, flat."""

from __future__ import annotations

from ..server.paths import StorePaths
from .channel_stats import Cell, ChannelStatsCache
from .run_facts import RunFacts
from .stat_keys import StatKey

BASE_KEYS = (
    "name",
    "status",
    "reason",
    "error",
    "created",
    "created_ms",
    "duration",
    "host",
    "sweep",
    "description",
)


def base_row(fields: dict, facts: RunFacts | None) -> dict:
    """The row's own columns and params from the run's summary (`summary.run_summary`'s
    fields, or the listing's) and its facts (None: the folder could not be read)."""
    row = {key: fields.get(key) for key in BASE_KEYS}
    if facts is None:
        return row
    row["host"] = facts.host
    sweep = (facts.info.info or {}).get("sweep")
    row["sweep"] = sweep if isinstance(sweep, str) else None  # launched by runwatch.launch
    row["duration"] = _duration(fields, facts)
    row.update(facts.info.params)
    if facts.info.params_error:
        row["errors"] = {"params": facts.info.params_error}
    return row


def _duration(fields: dict, facts: RunFacts) -> float | None:
    """Seconds from `_created` to the last write, or to its end once finished."""
    created_ms = fields.get("created_ms")
    end_ms = fields.get("last_write_ms")
    if fields.get("status") == "finished":
        end_ms = facts.ended_ms or facts.info.finished_ms or end_ms
    if created_ms is None or end_ms is None:
        return None
    return (end_ms - created_ms) / 1000


def add_stats(
    row: dict,
    facts: RunFacts | None,
    wanted: list[StatKey],
    paths: StorePaths,
    cache: ChannelStatsCache,
) -> None:
    """Add the wanted summaries of the run's channels to `row` (a channel the run lacks
    gets no key); a cell that can't be computed is null, its reason in `errors`."""
    if facts is None or facts.info.created_ns is None:
        return
    by_channel: dict[str, list[StatKey]] = {}
    for stat in wanted:
        if stat.channel in facts.info.channels:
            by_channel.setdefault(stat.channel, []).append(stat)
    for channel, stats in by_channel.items():
        spec = facts.info.channels[channel]
        stamps = facts.stamps[channel]
        if None in stamps:
            cells = _unseen(facts, spec.files, stamps, stats)
        else:
            cells = cache.cells(paths, row["name"], spec, facts.info.created_ns, stamps, stats)
        for key, (value, error) in cells.items():
            row[key] = value
            if error is not None:
                row.setdefault("errors", {})[key] = error


def _unseen(facts: RunFacts, files, stamps, stats: list[StatKey]) -> dict[str, Cell]:
    """Cells of a channel one of whose files is not a regular file in the folder."""
    file = next(f for f, stamp in zip(files, stamps) if stamp is None)
    why = facts.refused.get(file, "listed in _info.json but missing")
    return {stat.key: Cell(None, f"{file}: {why}") for stat in stats}
