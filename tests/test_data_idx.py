import numpy as np
import pytest
import torch
from torchvision.datasets.mnist import read_image_file, read_label_file

from zoo.data import FILES, default_root, ensure_mnist
from zoo.data.idx import decode_idx, encode_idx


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


def test_decode_gives_back_what_encode_wrote_as_a_writable_array():
    for array in (np.arange(24, dtype=np.uint8).reshape(2, 3, 4), np.array([7, 0, 255], dtype=np.uint8)):
        decoded = decode_idx(encode_idx(array))
        assert decoded.shape == array.shape and np.array_equal(decoded, array) and decoded.flags.writeable


def test_decode_reads_the_real_files_as_torchvision_does():
    raw = ensure_mnist(default_root())
    images, labels = FILES["test"]
    assert torch.equal(torch.from_numpy(decode_idx((raw / images).read_bytes())), read_image_file(str(raw / images)))
    assert torch.equal(torch.from_numpy(decode_idx((raw / labels).read_bytes())).long(),
                       read_label_file(str(raw / labels)))


@pytest.mark.parametrize("data, message", [
    (b"", "magic number"),
    (bytes([0, 0, 0x0D, 1]) + (2).to_bytes(4, "big") + bytes(8), "magic number"),  # floats, not bytes
    (encode_idx(np.zeros((2, 3), dtype=np.uint8))[:-1], r"does not match its header's shape \(2, 3\)"),
    (bytes([0, 0, 0x08, 2, 0, 0]), "does not match"),  # the header itself is cut short
])
def test_decode_refuses_what_is_not_a_whole_ubyte_idx_file(data, message):
    with pytest.raises(ValueError, match=message):
        decode_idx(data)
