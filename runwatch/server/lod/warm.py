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


def newest_runs(summaries: list[dict], limit: int) -> list[str]:
    """The names of the newest `limit` runs (`summaries` is the listing, newest first)."""
    return [run["name"] for run in summaries[: max(0, limit)]]


def opens_at_warm_rule(created_ns: int, stamps: list[tuple]) -> bool:
    """Whether a run created at `created_ns` whose channels' files are as `stamps` say
    (`FileStamps.now` of each) spans the 10 minutes a review opens at 60 s for."""
    written = [stamp[3] for channel in stamps for stamp in channel[1:] if isinstance(stamp, tuple)]
    return bool(written) and max(written) - created_ns >= MIN_SPAN_S * 10**9


class FileStamps:
    """Each warmed channel's files as last seen (inode, size, mtime), so a pass reads
    only what changed; blocking (os.stat)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple] = {}

    def differs(self, run_dir: Path, spec: ChannelSpec, stamps: tuple) -> bool:
        """Whether `stamps` (`now`, taken before the files are read: what grows meanwhile
        is read next pass) differ from those last `seen`."""
        return stamps != self._seen.get((str(run_dir), spec.name))

    def seen(self, run_dir: Path, spec: ChannelSpec, stamps: tuple) -> None:
        self._seen[(str(run_dir), spec.name)] = stamps

    def keep_only(self, run_dirs: set[str]) -> None:
        """Forget the channels of runs no longer warmed (deleted, or no longer newest)."""
        for key in [k for k in self._seen if k[0] not in run_dirs]:
            del self._seen[key]

    @staticmethod
    def now(run_dir: Path, spec: ChannelSpec) -> tuple:
        """(kind, then per file (device, inode, size, mtime_ns) or the errno of its stat)."""
        stamps: list[object] = []
        for name in spec.files:
            try:
                st = os.stat(run_dir / name)
            except OSError as error:
                stamps.append(error.errno)
            else:
                stamps.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
        return (spec.kind, *stamps)
