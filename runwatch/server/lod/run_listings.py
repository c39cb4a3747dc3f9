"""Each run's channel listing (`rows.run_channels`), kept while its `_info.json` is
unchanged.

A glob's review asks for a slice of its grid's channels a request, of every run: the
30 requests of a 20-run glob opened each run again, 600 reads and JSON decodes of
`_info.json` that took a third of the server's CPU for the review's frames. A kept
listing is used while the file's `lstat` (device, inode, size, mtime) is the one
taken before it was read: the writer replaces the file (`os.replace`: a new inode)
whenever it lists a file or records its state. The run's name and folder are checked
on every call, so a refusal (a bad name, a run deleted, a symlink out of the root)
is never served from here.
"""

from __future__ import annotations

import os

from ...store import layout
from ...store.recently_used import RecentlyUsed
from ..paths import StorePaths
from .rows import FileStamp, RunChannels, listed_channels

KEPT_RUNS = 1024


def info_stamp(run_dir) -> FileStamp | None:
    """The run's `_info.json` as `lstat` sees it, or None if it can't be stat'ed."""
    try:
        st = os.lstat(run_dir / layout.INFO_FILE)
    except OSError:
        return None
    return FileStamp(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class RunListings:
    """`run_channels` of the most recently asked runs (at most `limit`)."""

    def __init__(self, paths: StorePaths, limit: int = KEPT_RUNS):
        self.paths = paths
        # run -> (its _info.json's stamp, its channels)
        self._kept = RecentlyUsed(limit)

    def get(self, run: str) -> RunChannels:
        """The run's channels; Refused as `run_channels` refuses."""
        run_dir = self.paths.run_dir(run)
        # Taken before the read: a file replaced meanwhile differs from it next time.
        stamp = info_stamp(run_dir)
        kept = self._kept.get(run)
        if kept is not None and stamp is not None and kept[0] == stamp:
            return kept[1]
        found = listed_channels(self.paths, run_dir)
        if stamp is not None:
            self._kept.put(run, (stamp, found))
        return found
