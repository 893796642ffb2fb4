"""zoo.system.atomic: a write that fails leaves the old file whole and no temporary file behind."""

import os

import pytest

from zoo.system import atomic


def test_write_replaces_the_file_and_makes_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "card.json"
    atomic.write_text(path, "old")
    atomic.write_text(path, "new ±")
    assert path.read_text(encoding="utf-8") == "new ±"
    assert os.listdir(path.parent) == ["card.json"]  # no temporary file left


def test_a_failing_write_keeps_the_old_file_and_cleans_up(tmp_path):
    path = tmp_path / "weights.safetensors"
    path.write_bytes(b"old weights")
    with pytest.raises(RuntimeError, match="disk full"):
        with atomic.atomic_path(path) as tmp:
            tmp.write_bytes(b"half of the new")
            raise RuntimeError("disk full")
    assert path.read_bytes() == b"old weights"
    assert os.listdir(tmp_path) == ["weights.safetensors"]


def test_the_file_gets_the_mode_open_would_give(tmp_path):
    mask = os.umask(0o022)
    try:
        atomic.write_bytes(tmp_path / "figure.png", b"png")
        (tmp_path / "plain.png").write_bytes(b"png")
    finally:
        os.umask(mask)
    assert (tmp_path / "figure.png").stat().st_mode & 0o777 == (tmp_path / "plain.png").stat().st_mode & 0o777 == 0o644
