"""Turn a drawing into an MNIST-like model input.

MNIST digits are white ink on black, size-normalised into a 20x20 box with their aspect ratio
kept (anti-aliased), and centred by centre of mass in a 28x28 field (LeCun et al., the MNIST
page). A canvas shrunk naively to 28x28 looks nothing like that, so `preprocess_sketch` redoes
those steps on whatever the sketchpad gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from PIL import Image

from zoo.model import IMAGE_SIZE

FIELD = IMAGE_SIZE  # output size: MNIST's 28x28
BOX = 20  # the digit's longer side after size normalisation
INK_THRESHOLD = 0.1  # ink level that counts as drawn, on a 0..1 scale
CROP_THRESHOLD = 0.02  # ink level kept inside the crop: MNIST's 20-pixel box includes its faint anti-aliased edge


LUMA = (0.299, 0.587, 0.114)  # ITU-R 601: the grey level of an RGB pixel
EMPTY = "Draw a digit first: the canvas is empty."  # the message for a blank canvas
DOT = "That is only a dot: draw a whole digit, filling most of the canvas."


class SketchError(ValueError):
    """The image holds no usable digit; the message is meant for the person drawing."""


def _as_array(image: Any) -> np.ndarray:
    """A float array (H, W) or (H, W, C) in [0, 1] from an editor dict, a PIL image or an array."""
    if isinstance(image, dict):  # Gradio's ImageEditor/Sketchpad value: background + layers -> composite
        image = image.get("composite") if image.get("composite") is not None else image.get("background")
    if image is None:
        raise SketchError(EMPTY)
    if isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGBA") if image.mode in ("P", "LA", "PA") else image)
    array = np.asarray(image)
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3, 4)) or min(array.shape[:2]) < 1:
        raise SketchError(f"Expected a 2-D image (grey, RGB or RGBA), got an array of shape {array.shape}.")
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255.0
    array = array.astype(np.float32)
    return array / 255.0 if array.max() > 1.0 else array


def to_ink(image: Any) -> np.ndarray:
    """Ink intensity (H, W) in [0, 1]: 1 where drawn, 0 on the background, whatever the polarity.

    Transparent pixels are background (a stroke on a transparent layer). For opaque images the
    border tells the background's brightness, so dark-on-light and light-on-dark both work.
    """
    array = _as_array(image)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    alpha = None
    if array.ndim == 3:
        if array.shape[2] == 4:
            alpha = array[:, :, 3]
        array = array[:, :, :3] @ np.array(LUMA, dtype=np.float32)
    if alpha is not None and alpha.min() < 0.99:
        # Composite over the colour that contrasts with the strokes, so any ink colour shows.
        stroke = array[alpha > 0.5]
        background = 0.0 if stroke.size and stroke.mean() > 0.5 else 1.0
        array = alpha * array + (1 - alpha) * background
    border = np.concatenate([array[0], array[-1], array[:, 0], array[:, -1]])
    background = float(np.median(border))
    ink = (1.0 - array) if background > 0.5 else array
    ink_background = (1.0 - background) if background > 0.5 else background
    return np.clip((ink - ink_background) / max(1.0 - ink_background, 1e-6), 0.0, 1.0)


def normalise_ink(ink: np.ndarray) -> np.ndarray:
    """Crop, scale into a 20x20 box (aspect kept), centre by mass in 28x28; returns (28, 28) in [0, 1]."""
    mask = ink > INK_THRESHOLD
    if not mask.any():
        raise SketchError(EMPTY)
    keep = ink > CROP_THRESHOLD
    rows, cols = np.flatnonzero(keep.any(axis=1)), np.flatnonzero(keep.any(axis=0))
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if max(height, width) < max(3, 0.04 * max(ink.shape)):
        raise SketchError(DOT)
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    scale = BOX / max(height, width)
    new_h, new_w = max(1, round(height * scale)), max(1, round(width * scale))
    # PIL's resize widens its filter when shrinking, which anti-aliases like MNIST's own normalisation.
    small = np.asarray(Image.fromarray(crop.astype(np.float32), mode="F").resize((new_w, new_h), Image.LANCZOS))
    small = np.clip(small, 0.0, None)
    small /= max(float(small.max()), 1e-6)  # MNIST strokes peak at full white
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    total = small.sum()
    ys, xs = np.indices(small.shape)
    centre_y, centre_x = (ys * small).sum() / total, (xs * small).sum() / total
    # MNIST puts the centre of mass at pixel (14, 14) (measured: mean 13.99 / 14.01 on the test set).
    top, left = int(round(FIELD / 2 - centre_y)), int(round(FIELD / 2 - centre_x))
    top, left = min(max(top, 0), FIELD - new_h), min(max(left, 0), FIELD - new_w)
    field[top:top + new_h, left:left + new_w] = small
    return field


def preprocess_sketch(image: Any) -> torch.Tensor:
    """The model input for a drawing: float32 (784,) in [0, 1], white digit on black, MNIST-normalised.

    Args:
        image: Gradio's editor value (a dict with "composite"), a numpy array or a PIL image;
            any size; L, RGB or RGBA; dark ink on a light or transparent background, or light on dark.

    Raises:
        SketchError: an empty canvas, a lone dot, or an unusable array, with a message for a person.
    """
    return torch.from_numpy(normalise_ink(to_ink(image)).reshape(FIELD * FIELD).copy())
