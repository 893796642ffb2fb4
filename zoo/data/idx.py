"""The IDX format MNIST ships in (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS").

A file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions),
one big-endian uint32 per dimension, then the data in C order. MNIST uses unsigned bytes
(type code 0x08): images are (N, 28, 28), labels are (N,). torchvision reads the same files, but
importing it costs 1.7 s, paid by every worker process that trains a model.
"""

from __future__ import annotations

import struct

import numpy as np

UBYTE = 0x08


def encode_idx(array: np.ndarray) -> bytes:
    """Return the IDX bytes of a uint8 array of any rank (1 to 255 dimensions)."""
    if array.dtype != np.uint8:
        raise TypeError(f"IDX writer takes uint8 arrays, got {array.dtype}")
    header = struct.pack(">BBBB", 0, 0, UBYTE, array.ndim)
    dims = struct.pack(f">{array.ndim}I", *array.shape)
    return header + dims + np.ascontiguousarray(array).tobytes()


def decode_idx(data: bytes) -> np.ndarray:
    """The uint8 array in IDX bytes (a writable copy); raises ValueError if the bytes are not a ubyte IDX file."""
    if len(data) < 4 or data[:3] != bytes([0, 0, UBYTE]):
        raise ValueError("not an IDX file of unsigned bytes (its magic number should start 00 00 08)")
    ndim = data[3]
    start = 4 + 4 * ndim
    shape = struct.unpack(f">{ndim}I", data[4:start]) if len(data) >= start else None
    if shape is None or len(data) - start != int(np.prod(shape)):
        raise ValueError(f"IDX file of {len(data)} bytes does not match its header's shape {shape}")
    return np.frombuffer(data, dtype=np.uint8, offset=start).reshape(shape).copy()
