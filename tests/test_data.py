import shutil

import pytest
import torch

from zoo import data


def test_real_mnist_shapes_and_order(mnist_train, mnist_test):
    (x_train, y_train), (x_test, y_test) = mnist_train, mnist_test
    assert x_train.shape == (60000, 784) and x_test.shape == (10000, 784)
    assert x_train.dtype == torch.float32 and y_train.dtype == torch.int64
    assert 0.0 == float(x_test.min()) and float(x_test.max()) == 1.0
    # The original order: the first training digit is a 5, the first test digit a 7.
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9] and y_test[:5].tolist() == [7, 2, 1, 0, 4]
    assert tuple(torch.bincount(y_test, minlength=10).tolist()) == data.LABEL_COUNTS["test"]
    # byte/255: every pixel is a multiple of 1/255
    assert torch.allclose(x_test * 255, (x_test * 255).round(), atol=1e-4)


def test_unknown_split_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown MNIST split 'valid'"):
        data.load_mnist("valid", root=tmp_path)


@pytest.fixture
def copied_root(tmp_path, mnist_test):
    """A private copy of the verified raw files, to damage."""
    source = data.raw_dir(data.default_root())
    shutil.copytree(source, data.raw_dir(tmp_path))
    return tmp_path


@pytest.mark.slow
def test_truncated_file_is_rebuilt(copied_root, mnist_test, capsys):
    path = data.raw_dir(copied_root) / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:1000])
    x, y = data.load_mnist("test", root=copied_root)
    assert "t10k-images-idx3-ubyte is corrupt or incomplete; rebuilding it" in capsys.readouterr().err
    assert torch.equal(x, mnist_test[0]) and torch.equal(y, mnist_test[1])


def test_corrupt_file_that_cannot_be_rebuilt_is_one_clear_error(copied_root, tmp_path, monkeypatch):
    path = data.raw_dir(copied_root) / "train-labels-idx1-ubyte"
    path.write_bytes(b"\x00" * path.stat().st_size)  # same size, wrong bytes: the stamp must not hide it
    import os
    os.utime(path, ns=(1, 1))
    bogus = tmp_path / "not-a-wheel.whl"
    bogus.write_bytes(b"garbage")
    monkeypatch.setenv("AE_ZOO_NO_DOWNLOAD", "1")
    monkeypatch.setenv("AE_ZOO_MNIST_WHEEL", str(bogus))
    with pytest.raises(data.MnistDataError) as info:
        data.load_mnist("train", root=copied_root)
    message = str(info.value)
    assert "\n" not in message
    assert str(data.raw_dir(copied_root)) in message and "not-a-wheel.whl has sha256" in message
    assert "AE_ZOO_MNIST_WHEEL" in message


def test_default_root_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AE_ZOO_DATA", str(tmp_path / "d"))
    assert data.default_root() == tmp_path / "d"
    monkeypatch.delenv("AE_ZOO_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert data.default_root() == tmp_path / "c" / "ae-zoo"
