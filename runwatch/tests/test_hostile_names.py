"""Names and roots the file system can't take get a 4xx naming the problem, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest

import runwatch
from runwatch.store.errors import StoreError
from runwatch.tests.conftest_server import pavlov_info, pavlov_run

RUN = "2021-01-01 00-00-00 good-run"


@pytest.fixture
def good_run(store: Path) -> Path:
    files = {"logs.0.txt": {"_pattern": "logs.{n}.txt"}}
    return pavlov_run(store, RUN, pavlov_info(_files=files), {"logs.0.txt": b"fine\n"})


@pytest.mark.parametrize(
    "parts",
    [
        ("runs", "2021-01-01 00-00-00 " + "x" * 300),
        ("runs", "é" * 200),  # 200 characters, 400 bytes
        ("runs", RUN, "files", "logs." + "1" * 300 + ".txt"),
        ("runs", RUN, "files", "stats." + "c" * 300 + ".0.npr"),
        ("runs", "2021-01-01 00-00-00 " + "x" * 300, "files", "logs.0.txt"),
    ],
)
async def test_names_over_255_bytes_are_refused(api, good_run, parts):
    code, body, _ = await api(*parts)
    assert code == 400 and "over the 255-byte limit" in body["message"]


async def test_a_query_over_255_bytes_is_refused(api, good_run):
    code, body, _ = await api("resolve", params={"q": "*" + "x" * 300})
    assert code == 400 and "at most 255 bytes" in body["message"]
    code, body, _ = await api("resolve", params={"q": "2021-01-01 00-00-00 " + "x" * 300})
    assert code == 400


async def test_a_store_root_that_is_a_file(api, store: Path):
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("not a folder")
    for parts, params in [(("resolve",), {"q": "-1"}), (("runs",), None)]:
        code, body, _ = await api(*parts, params=params)
        assert code == 409, parts
        assert f"the store root {store} is a file, not a folder" in body["message"]
    code, body, _ = await api("runs", RUN)
    assert code == 404
    with pytest.raises(StoreError, match="is a file, not a folder"):
        runwatch.runs()
    with pytest.raises(StoreError, match="is a file, not a folder"):
        runwatch.resolve(-1)
