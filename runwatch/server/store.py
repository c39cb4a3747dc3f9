"""The store as one server serves it: its root, path checks, listing cache and watcher."""

from __future__ import annotations

import os
from pathlib import Path

from ..steering.declaration import DECLARATION_FILE, LOG_FILE
from ..store import summary
from .config import Runwatch
from .listing import RunListing
from .paths import Refused, StorePaths
from .watcher import StoreWatcher

MAX_READ = 16 * 2**20


class ServedStore:
    def __init__(self, root: Path, settings: Runwatch):
        self.root = root
        self.settings = settings
        self.paths = StorePaths(root)
        self.listing = RunListing(self.paths, settings.stale_after)
        self._watcher: StoreWatcher | None = None

    @property
    def watcher(self) -> StoreWatcher:
        """Created on the first socket, on the IOLoop thread."""
        if self._watcher is None:
            self._watcher = StoreWatcher(
                self.paths,
                self.settings.stale_after,
                self.settings.watch_mode,
                self.settings.poll_interval,
            )
        return self._watcher

    def run_detail(self, name: str, now_ms: int) -> dict:
        """GET runs/<name>: the run's info (without `_env`), status and store files;
        Refused (its HTTP status) for a bad, refused, missing or just deleted run."""
        path = self.paths.run_dir(name)
        try:
            scan, info, error = summary.inspect_run(path, self.paths.real_root())
        except FileNotFoundError:
            raise Refused(404, f"no run named {name!r} (deleted)") from None
        except OSError as problem:  # e.g. a folder without read permission
            raise Refused(403, f"run {name!r} can't be read: {problem.strerror}") from None
        return {
            "name": name,
            "info": info,
            **summary.status_fields(info, scan, now_ms, self.settings.stale_after),
            "error": error,
            "size": scan.size,
            "files": summary.file_entries(path, info, scan),
            # Only then has GET runs/<name>/steer anything to say.
            "steering": DECLARATION_FILE in scan.files or LOG_FILE in scan.files,
        }

    def run_details(self, names: list[str], now_ms: int) -> list[dict]:
        """GET run-details: each run's `run_detail`, in the order given, or what
        refused it: `{"name", "status", "message"}` (the status `GET runs/<name>`
        would answer), so one run that can't be listed never hides the others."""
        details = []
        for name in names:
            try:
                details.append(self.run_detail(name, now_ms))
            except Refused as refused:
                details.append({"name": name, "status": refused.status, "message": refused.message})
        return details

    def read_file(self, run: str, file: str, offset: int, length: int) -> tuple[bytes, int, int]:
        """(bytes, file size when read, start offset); a negative offset counts from the end.

        One size is observed first and nothing past it is returned, so a file
        that grows meanwhile never yields a torn view.
        """
        _, fd = self.paths.open_file(run, file)
        try:
            size = os.fstat(fd).st_size
            start = max(0, size + offset) if offset < 0 else offset
            count = max(0, min(length, MAX_READ, size - start))
            chunks, done = [], 0
            while done < count:
                chunk = os.pread(fd, count - done, start + done)
                if not chunk:
                    break  # truncated underneath
                chunks.append(chunk)
                done += len(chunk)
            return b"".join(chunks), size, start
        finally:
            os.close(fd)
