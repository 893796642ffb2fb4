"""The IDX format MNIST ships in (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS").

A file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions),
one big-endian uint32 per dimension, then the data in C order. MNIST uses unsigned bytes
(type code 0x08): images are (N, 28, 28), labels are (N,).
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

