"""Pictures as the server sends them: 28x28 PNGs inside the HTML (data URLs), drawn large and crisp by the page's CSS.

No file for the server to write or the browser to fetch. The Zoo tab draws its pictures in the page
itself; these serve the API's /reconstruct, Explore's map neighbours and the Train tab.
"""

from __future__ import annotations

import base64
import html
import struct
import zlib

import numpy as np
import torch

from zoo.analysis.comparison import as_pixels
from zoo.model import IMAGE_SIZE


def png(image: np.ndarray) -> bytes:
    """A greyscale uint8 image (H, W) as a PNG file: the signature, then IHDR, IDAT and IEND chunks (RFC 2083).

    Pillow spends ~170 µs on a 28x28 picture in its plugin machinery, 11 of them per /reconstruct; this ~15.
    """
    height, width = image.shape
    rows = np.zeros((height, width + 1), dtype=np.uint8)  # each row: filter type 0 (none), then its pixels
    rows[:, 1:] = image

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8 bits, greyscale, deflate, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes())) + chunk(b"IEND", b"")


def picture_src(image: np.ndarray) -> str:
    """A uint8 image as a PNG data URL."""
    return f"data:image/png;base64,{base64.b64encode(png(np.ascontiguousarray(image, dtype=np.uint8))).decode()}"


def picture_html(image: np.ndarray, alt: str) -> str:
    """A uint8 image as an inline <img> (`picture_src`)."""
    return f'<img alt="{html.escape(alt)}" src="{picture_src(image)}">'


def digit_html(x: torch.Tensor, alt: str) -> str:
    """A digit (784 numbers in [0, 1]) as an inline <img>."""
    return picture_html(as_pixels(x.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy()), alt)


def as_canvas(x: torch.Tensor, size: int) -> np.ndarray:
    """An MNIST digit (784,) drawn as a canvas shows it: black ink on white, each pixel a size // 28 square."""
    ink = x.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy()
    scale = size // IMAGE_SIZE
    image = np.kron(ink, np.ones((scale, scale), dtype=np.float32))
    return (255 * (1 - image)).round().astype(np.uint8)
