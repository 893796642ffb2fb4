import numpy as np
import pytest
import torch
from torchvision.datasets.mnist import read_image_file, read_label_file

from zoo.idx import encode_idx


def test_encode_matches_hand_built_bytes():
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    expected = bytes([0, 0, 0x08, 3]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big") + (4).to_bytes(4, "big")
    expected += bytes(range(24))
    assert encode_idx(images) == expected


def test_torchvision_reads_what_we_write(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=(5,), dtype=np.uint8)
    (tmp_path / "images").write_bytes(encode_idx(images))
    (tmp_path / "labels").write_bytes(encode_idx(labels))
    assert torch.equal(read_image_file(str(tmp_path / "images")), torch.from_numpy(images))
    assert torch.equal(read_label_file(str(tmp_path / "labels")), torch.from_numpy(labels).long())


def test_encode_refuses_non_bytes():
    with pytest.raises(TypeError, match="uint8"):
        encode_idx(np.zeros((2, 2), dtype=np.float32))
