"""safe_read.real_path: the kernel's resolution of a path, the same as os.path.realpath."""

import os

import pytest

from runwatch.store.safe_read import real_path


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.npr").write_bytes(b"x")
    os.symlink(tmp_path / "a", tmp_path / "link")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    os.mkfifo(tmp_path / "fifo")
    return tmp_path


@pytest.mark.parametrize(
    "path",
    [
        ".",
        "a/b/f.npr",
        "link/b/f.npr",
        "link/../a",
        "link/b/",
        "dangling",
        "loop",
        "fifo",
        "missing/x",
    ],
)
def test_real_path_resolves_as_realpath_does(tree, path):
    assert real_path(tree / path) == os.path.realpath(tree / path)


def test_real_path_of_a_fifo_does_not_open_it(tree):
    # An open for reading would block until a writer came; O_PATH opens nothing.
    assert real_path(tree / "fifo") == str(tree / "fifo")


def test_real_path_of_a_deleted_file_is_its_name(tree):
    path = tree / "a" / "b" / "f.npr"
    path.unlink()
    assert real_path(path) == os.path.realpath(path)
