"""The runs table's per-run facts and channel summaries on disk, so that a restarted
server answers its first table without reading every run's `_info.json` and data files.

One entry per store root in `$XDG_CACHE_HOME/runwatch/table/`, beside the series'
summaries (`runwatch/lod/`), written by the same disk cache (lod/disk_cache.py: a temp
file renamed over the old one, a CRC-32, opened O_NOFOLLOW, in a 0700 folder of this
user; least recently used entries deleted past FOLDER_BYTES). The entry holds one array,
zlib-compressed JSON:

    {"runs": [[name, info facts or null, [[channel, kind, created_ns, stamps, {stat: value}], ...]], ...]}

An entry is keyed by the store root's real path and a digest of the code that computes
what it holds (an upgraded runwatch starts afresh). Nothing in it is believed beyond the
stamps it was made at: a run's `_info.json` facts are used only while that file has the
same (dev, inode, size, mtime), and a channel's summaries only under the very key the
memory cache uses (`channel_stats.entry_key`: each file's dev, inode, size, mtime).
Cells with an error are not stored (a permission fixed meanwhile would not change the
stamp); they are computed again after a restart. An entry that can't be read or
doesn't parse is a miss: deleted, logged, rebuilt.
"""

from __future__ import annotations

import functools
import json
import logging
import zlib
from hashlib import sha256
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..server.lod import disk_cache
from ..server.lod.disk_cache import DiskCache
from ..server.lod.rows import ChannelSpec
from .channel_stats import MAX_ENTRIES, Cell
from .run_facts import InfoFacts

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what an entry means changes: old entries then never match
FOLDER_BYTES = 256 * 2**20  # about 150 bytes a channel compressed: 10,000 runs take ~2 MB
ZLIB_LEVEL = 1  # JSON of numbers and repeated names shrinks ~8x even at 1, at ~100 MB/s


def default_folder() -> Path:
    """`$XDG_CACHE_HOME/runwatch/table` (`~/.cache/runwatch/table`), beside the series'."""
    return disk_cache.default_folder().parent / "table"


@functools.cache
def code_digest() -> str:
    """The code the cells and facts come from: the table's, and the series' file reading
    and kinds and the store's readers it calls (other code may compute other values)."""
    from ..server.lod import kinds, rows
    from ..store import info, layout, npr

    here = Path(__file__).resolve().parent
    paths = sorted(here.glob("*.py")) + [Path(m.__file__) for m in (rows, kinds, info, layout, npr)]
    digest = sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class Saved(NamedTuple):
    """What an entry gives back."""

    infos: dict[str, InfoFacts]  # run name -> its `_info.json` facts
    stats: list[tuple[tuple, dict[str, Cell]]]  # (channel_stats.entry_key, {stat: Cell})


class PersistedTable:
    """The entry of one store root (by its real path) in a DiskCache's folder."""

    def __init__(self, disk: DiskCache, real_root: str):
        self.disk = disk
        self.key = ["runs-table", FORMAT, code_digest(), real_root]
        self.loads = 0  # entries read back and used (for tests and the bench)

    def load(self) -> Saved | None:
        """The saved facts and cells, or None (none saved, or broken: then deleted)."""
        entry = self.disk.load(self.key)
        if entry is None:
            return None
        try:
            saved = _decode(json.loads(zlib.decompress(entry[1]["json"])))
        except (ValueError, TypeError, KeyError, IndexError, zlib.error):
            saved = None
        if saved is None:
            log.warning(
                "runwatch: the runs table's disk entry %s is broken: deleted",
                self.disk.path(self.key),
            )
            self.disk.drop(self.key)
            return None
        self.loads += 1
        return saved

    def save(self, runs: list[tuple[str, InfoFacts | None, list]]) -> bool:
        """Write [(run, its info facts or None, [(entry_key, {stat: Cell})])], at most
        MAX_ENTRIES channels; False if it was not written (see DiskCache.store)."""
        listed, channels = [], 0
        for name, info, stats in runs:
            kept = [_encode_stats(key, cells) for key, cells in stats if _storable(cells)]
            kept = kept[: max(0, MAX_ENTRIES - channels)]
            channels += len(kept)
            listed.append([name, None if info is None else _encode_info(info), kept])
        text = json.dumps({"runs": listed}, separators=(",", ":")).encode()
        packed = np.frombuffer(zlib.compress(text, ZLIB_LEVEL), np.uint8)
        return self.disk.store(self.key, {"runs": len(listed)}, {"json": packed})


def _storable(cells: dict[str, Cell]) -> bool:
    for _, error in cells.values():
        if error is not None:
            return False
    return True


def _encode_info(info: InfoFacts) -> list:
    channels = [[s.name, s.kind, list(s.files)] for s in info.channels.values()]
    return [
        list(info.key),
        info.info,
        info.created_ns,
        info.finished_ms,
        info.params,
        info.params_error,
        channels,
    ]


def _encode_stats(key: tuple, cells: dict[str, Cell]) -> list:
    _, channel, kind, created_ns, stamps = key
    values = {name: value for name, (value, _) in cells.items()}
    return [channel, kind, created_ns, [list(stamp) for stamp in stamps], values]


def _decode(document: dict) -> Saved:
    """The entry's facts and cells; ValueError (or TypeError...) if it is not one. The
    CRC-32 and FORMAT vouch for the bytes, so only what would be shown is checked: a
    stamp of another shape just never matches a file's."""
    infos, stats = {}, []
    for name, info, channels in document["runs"]:
        if info is not None:
            infos[name] = _decode_info(info)
        for channel, kind, created_ns, stamps, values in channels:
            key = (name, channel, kind, created_ns, tuple(map(tuple, stamps)))
            stats.append((key, {stat: Cell(_number(value)) for stat, value in values.items()}))
    return Saved(infos, stats)


def _decode_info(fields: list) -> InfoFacts:
    key, info, created_ns, finished_ms, params, params_error, channels = fields
    _check(type(info) is dict and type(params) is dict)
    specs = {name: ChannelSpec(name, kind, tuple(files)) for name, kind, files in channels}
    return InfoFacts(tuple(key), info, None, created_ns, finished_ms, params, params_error, specs)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _check(condition: bool) -> None:
    if not condition:
        raise ValueError("not a runs-table entry")
