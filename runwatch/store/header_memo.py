"""`.npr` headers already read and found fine, remembered by the file's stamp.

A run's listing checks every stats file's header. A finished run's files don't
change, so a listing asked again (each review lists its runs) stats them
instead of opening and parsing each one: 20 runs of 61 files cost 300-350 ms
of the server's CPU, half of it in these reads. Only headers found fine are
remembered: an error is read again (a permission may change without a new
stamp).
"""

from __future__ import annotations

import os

from .recently_used import RecentlyUsed

# A stamp is about 200 bytes: about 13 MB at most.
MAX_FILES = 65536


def file_stamp(path: str, st: os.stat_result) -> tuple:
    """What names one version of a file: its path, device, inode, size and mtime."""
    return (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


# Stamps of files whose header read fine (-> True), shared by every listing in the
# process (the server's, or a kernel's).
HEADERS_FINE = RecentlyUsed(MAX_FILES)
