"""HTTP validators of the series and CSV answers (docs/server-api.md, "Caching").

An answer's ETag hashes what it is computed from: the request's parameters, the
run's `_info.json` and each file of the channels (device, inode, size, mtime), and
this package's code. A file that grows, shrinks or is replaced changes it, so a
browser that revalidates is never answered 304 for bytes it hasn't seen.
"""

from __future__ import annotations

import functools
import json
import os
import time
from hashlib import sha256
from pathlib import Path
from typing import NamedTuple

from .rows import ChannelSpec, RunChannels


class Validator(NamedTuple):
    etag: str
    newest_mtime_ns: int  # of the files the answer reads


@functools.cache
def code_digest() -> str:
    """The series code itself: a server with other code may answer differently."""
    digest = sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def answer_validator(run: RunChannels, specs: list[ChannelSpec], params: object) -> Validator:
    """The validator of an answer to `params` about `specs`; blocking (stats files)."""
    paths = [run.run_dir / "_info.json"]
    paths += [run.run_dir / name for spec in specs for name in spec.files]
    stamps: list[object] = []
    newest = 0
    for path in paths:
        try:
            st = os.stat(path)
        except OSError as error:  # the answer says why: part of what it is computed from
            stamps.append(error.errno)
            continue
        stamps.append([st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns])
        newest = max(newest, st.st_mtime_ns)
    what = [code_digest(), str(run.run_dir), run.created_ns, specs, params, stamps]
    text = json.dumps(what, separators=(",", ":"), default=str)
    return Validator(f'"{sha256(text.encode()).hexdigest()[:32]}"', newest)


def unchanging(validator: Validator, quiet_s: float) -> bool:
    """No file the answer reads was written for `quiet_s` seconds (the run isn't live):
    a browser may keep the answer, revalidating it each time."""
    return time.time_ns() - validator.newest_mtime_ns > quiet_s * 1e9


def accepts_gzip(header: str | None) -> bool:
    """Accept-Encoding names gzip (or *) with a q above 0."""
    for item in (header or "").split(","):
        name, _, parameters = item.partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        q = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        return q > 0
    return False
