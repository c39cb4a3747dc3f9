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
import threading
from collections import OrderedDict

# A stamp is about 200 bytes: about 13 MB at most.
MAX_FILES = 65536


def file_stamp(path: str, st: os.stat_result) -> tuple:
    """What names one version of a file: its path, device, inode, size and mtime."""
    return (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class HeaderMemo:
    """Stamps of files whose header read fine, the least recently used dropped first."""

    def __init__(self, max_files: int = MAX_FILES):
        self._max_files = max_files
        self._fine: OrderedDict[tuple, None] = OrderedDict()
        self._lock = threading.Lock()

    def known_fine(self, stamp: tuple) -> bool:
        with self._lock:
            if stamp in self._fine:
                self._fine.move_to_end(stamp)
                return True
            return False

    def remember_fine(self, stamp: tuple) -> None:
        with self._lock:
            self._fine[stamp] = None
            self._fine.move_to_end(stamp)
            while len(self._fine) > self._max_files:
                self._fine.popitem(last=False)

    def __len__(self) -> int:
        return len(self._fine)


# Shared by every listing in the process (the server's, or a kernel's).
HEADERS_FINE = HeaderMemo()
