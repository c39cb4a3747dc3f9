"""What the server summarises before anyone asks (warmup.py runs it): the newest runs'
channels at the rule a review opens at, each file again only once it changed.

A review opens at 60 s for runs spanning 10 minutes or more (the browser's
`defaultRule`, src/plots/series/defaultRule.ts); shorter runs open at 10 s, 1 s or
raw, and their few rows are read quickly when asked, so they are left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from .rows import ChannelSpec

WARM_RULE = 60
MIN_SPAN_S = 10 * WARM_RULE  # the browser's MIN_DEFAULT_BUCKETS buckets of 60 s


def runs_to_warm(summaries: list[dict], limit: int) -> list[str]:
    """The names of the newest `limit` runs (`summaries` is the listing, newest first)
    whose span, creation to last write, opens a review at `WARM_RULE`."""
    names = []
    for run in summaries[: max(0, limit)]:
        created, last = run.get("created_ms"), run.get("last_write_ms")
        if (
            isinstance(created, int)
            and isinstance(last, int)
            and last - created >= MIN_SPAN_S * 1000
        ):
            names.append(run["name"])
    return names


class FileStamps:
    """Each warmed channel's files as last seen (inode, size, mtime), so a pass reads
    only what changed; blocking (os.stat)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple] = {}

    def changed(self, run_dir: Path, spec: ChannelSpec) -> tuple | None:
        """The channel's files' stamps now if they differ from those last `seen`, else
        None. Taken before the files are read: what grows meanwhile is read next pass."""
        now = self._now(run_dir, spec)
        return None if now == self._seen.get((str(run_dir), spec.name)) else now

    def seen(self, run_dir: Path, spec: ChannelSpec, stamps: tuple) -> None:
        self._seen[(str(run_dir), spec.name)] = stamps

    def keep_only(self, run_dirs: set[str]) -> None:
        """Forget the channels of runs no longer warmed (deleted, or no longer newest)."""
        for key in [k for k in self._seen if k[0] not in run_dirs]:
            del self._seen[key]

    @staticmethod
    def _now(run_dir: Path, spec: ChannelSpec) -> tuple:
        stamps = []
        for name in spec.files:
            try:
                st = os.stat(run_dir / name)
            except OSError as error:
                stamps.append(error.errno)
            else:
                stamps.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
        return (spec.kind, *stamps)
