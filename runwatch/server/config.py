"""The server extension's settings: `c.Runwatch.<trait>` in jupyter_server_config."""

from __future__ import annotations

import os
from pathlib import Path

from traitlets import Bool, Enum, Float, Int, Unicode
from traitlets.config import Configurable

from ..store import layout, summary


class Runwatch(Configurable):
    """Settings of the runwatch server extension."""

    root = Unicode(
        "",
        help=(
            "The store root, used when $RUNWATCH_ROOT is not set. A relative path is "
            "relative to the server's root_dir. Default: output/pavlov under root_dir."
        ),
    ).tag(config=True)

    export_root = Bool(
        True,
        help=(
            "Set RUNWATCH_ROOT in the server's environment to the resolved store root, "
            "so the kernels and terminals it starts write to and resolve runs in the "
            "store the server serves, whatever their working directory."
        ),
    ).tag(config=True)

    stale_after = Float(
        summary.STALE_AFTER_S,
        help="A run not written to for this many seconds (and not finished) is stale.",
    ).tag(config=True)

    watch_mode = Enum(
        ["auto", "inotify", "poll"],
        "auto",
        help="Change detection: inotify where available (auto), or polling the folders.",
    ).tag(config=True)

    poll_interval = Float(0.1, help="Seconds between scans when polling.").tag(config=True)

    lod_cache_mb = Int(
        512,
        help=(
            "Memory for the series endpoint's cached summaries and bucketed results, in MB; "
            "least recently used entries are dropped past it (docs/plots.md)."
        ),
    ).tag(config=True)

    lod_disk_cache_dir = Unicode(
        "",
        help=(
            "Folder of the series endpoint's summaries on disk, kept across restarts; "
            "delete it to clear them. Default: $XDG_CACHE_HOME/runwatch/lod "
            "(~/.cache/runwatch/lod)."
        ),
    ).tag(config=True)

    lod_disk_cache_mb = Int(
        2048,
        help=(
            "Disk for the series endpoint's summaries, in MB; least recently used files "
            "are deleted past it. 0 keeps them in memory only."
        ),
    ).tag(config=True)

    lod_warm_runs = Int(
        50,
        help=(
            "How many of the newest runs the server summarises in the background, at the "
            "rule a review opens at (60 s), so their first review reads no rows; 0: none "
            "(docs/server-api.md)."
        ),
    ).tag(config=True)

    lod_warm_interval = Float(
        60.0,
        help=(
            "Seconds between the background passes, which extend the summaries of runs "
            "being written from their appended rows."
        ),
    ).tag(config=True)

    lod_gzip_frames = Bool(
        False,
        help=(
            "Gzip the series endpoints' binary frames when the browser accepts it. Off: "
            "float64 frames shrink about 14 % for 19 ms of server CPU a MB, which pays "
            "only on links slower than about 60 Mbit/s (docs/server-api.md)."
        ),
    ).tag(config=True)

    def store_root(self, root_dir: str) -> Path:
        """$RUNWATCH_ROOT (relative to the cwd, as the writer reads it), else `root`, else
        `output/pavlov`, both relative to `root_dir`; absolute, and need not exist."""
        from_env = os.environ.get(layout.ROOT_ENV)
        if from_env:
            return layout.store_root()
        path = Path(os.path.expanduser(self.root or layout.DEFAULT_ROOT))
        return Path(os.path.abspath(Path(os.path.expanduser(root_dir)) / path))
