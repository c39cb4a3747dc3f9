"""Typed errors for the run store: each names the run or file and the reason."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class for run-store errors."""


class RunNotFound(StoreError, LookupError):
    """No run matches a query."""


class AmbiguousRun(StoreError, ValueError):
    """Several runs match a query where exactly one is needed."""

    def __init__(self, message: str, matches: list[str]):
        super().__init__(message)
        self.matches = matches


class BadStoreFile(StoreError, ValueError):
    """A store file exists but cannot be read; `path` and `reason` say why."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class BadInfo(BadStoreFile):
    """An `_info.json` that is missing, half-written, not an object, or lacks `_created`."""


class BadNpr(BadStoreFile):
    """A `.npr` file with an unreadable header or an unsupported layout."""
