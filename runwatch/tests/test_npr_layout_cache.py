"""npr's cache of parsed headers (a run's channels share a few): it never hides a bad
file, never answers for different bytes, and stays bounded."""

from __future__ import annotations

import pytest

from runwatch.store import npr
from runwatch.store.errors import BadNpr

MEAN = [("_time", "<M8[ns]"), ("total", "<f8"), ("count", "<i8")]


def test_a_file_like_a_good_one_but_cut_short_is_still_flagged():
    header = npr.encode_header(MEAN)
    assert npr.parse_header("a.npr", header + b"\0" * 48).itemsize == 24
    with pytest.raises(BadNpr, match="truncated header") as error:
        npr.parse_header("b.npr", header[:-1])
    assert error.value.path == "b.npr"


def test_a_bad_header_is_flagged_every_time_and_a_different_one_parsed_afresh():
    bad = npr.encode_header([("_time", "<M8[ns]"), ("x", ">f8")])
    for _ in range(2):
        with pytest.raises(BadNpr, match="big-endian"):
            npr.parse_header("bad.npr", bad)
    quantiles = npr.encode_header([("_time", "<M8[us]"), *((f"qs.{i}", "<f4") for i in range(3))])
    assert npr.parse_header("q.npr", quantiles).names == ("_time", "qs.0", "qs.1", "qs.2")
    assert npr.parse_header("q.npr", quantiles).time_unit == "us"
    assert npr.parse_header("m.npr", npr.encode_header(MEAN)).names == ("_time", "total", "count")


def test_the_cache_stays_bounded():
    for i in range(npr.MAX_CACHED_LAYOUTS + 10):
        npr.parse_header("f.npr", npr.encode_header([("_time", "<M8[ns]"), (f"x{i}", "<f8")]))
    assert len(npr._LAYOUTS) <= npr.MAX_CACHED_LAYOUTS
