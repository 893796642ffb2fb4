"""Pictures as the server sends them: 28x28 PNGs inside the HTML (data URLs), drawn large and crisp by the page's CSS.

No file for the server to write or the browser to fetch. The Zoo tab draws its pictures in the page
itself; these serve the API's /reconstruct, Explore's map neighbours and the Train tab.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np
import torch
from PIL import Image

from zoo.comparison import as_pixels
from zoo.model import IMAGE_SIZE


def picture_src(image: np.ndarray) -> str:
    """A uint8 image as a PNG data URL."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return f"data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}"


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
