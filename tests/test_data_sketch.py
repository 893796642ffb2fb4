import numpy as np
import pytest
import torch
from PIL import Image

from zoo.data.sketch import SketchError, preprocess_sketch

# A digit rescaled onto a canvas and brought back passes through two resamplings, so it cannot
# come back exactly. Measured by test_real_digits_come_back_at_any_scale_and_position (see it with
# `pytest -s tests/test_data_sketch.py -k any_scale`): over its 200 digits at 2-12x, mean MSE 0.0097,
# max 0.043.
# The thresholds sit just above that and ten times below the MSE between two test digits of the
# same class (0.095): a misplaced or misscaled digit fails them by far.
MEAN_MSE_LIMIT = 0.015
MAX_MSE_LIMIT = 0.06


def paste(digit: torch.Tensor, scale: float, canvas_hw: tuple[int, int], top_left: tuple[int, int]) -> np.ndarray:
    """The digit (784,) enlarged by `scale` onto a black canvas of float ink, at top_left."""
    size = int(28 * scale)
    big = np.asarray(Image.fromarray(digit.reshape(28, 28).numpy(), mode="F").resize((size, size), Image.BILINEAR))
    canvas = np.zeros(canvas_hw, dtype=np.float32)
    canvas[top_left[0]:top_left[0] + size, top_left[1]:top_left[1] + size] = np.clip(big, 0, 1)
    return canvas


def _styles(ink: np.ndarray) -> dict[str, object]:
    """The same drawing as each kind of input the sketchpad (or a user) may give."""
    u8 = (255 * ink).round().astype(np.uint8)
    rgba_transparent = np.zeros((*ink.shape, 4), dtype=np.uint8)
    rgba_transparent[..., 3] = u8  # black strokes on a transparent layer
    return {
        "L dark on light": 255 - u8,
        "L light on dark": u8,
        "RGB dark on light": np.repeat((255 - u8)[..., None], 3, axis=2),
        "RGBA on transparent": rgba_transparent,
        "PIL": Image.fromarray(255 - u8, mode="L"),
        "editor dict": {"background": None, "layers": [], "composite": 255 - u8},
        "float light on dark": ink,
    }


def test_real_digits_come_back_at_any_scale_and_position(mnist_test):
    x = mnist_test[0]
    rng = np.random.default_rng(0)
    errors = []
    for i in range(200):
        scale = rng.uniform(2, 12)
        size = int(28 * scale)
        h, w = size + int(rng.integers(10, 300)), size + int(rng.integers(10, 300))
        top_left = (int(rng.integers(0, h - size)), int(rng.integers(0, w - size)))
        ink = paste(x[i], scale, (h, w), top_left)
        out = preprocess_sketch((255 * (1 - ink)).round().astype(np.uint8))
        assert out.shape == (784,) and out.dtype == torch.float32 and 0 <= out.min() and out.max() <= 1
        errors.append(torch.mean((out - x[i]) ** 2).item())
    print(f"round trip MSE over {len(errors)} digits: mean {np.mean(errors):.4f}, max {np.max(errors):.4f}")
    assert np.mean(errors) < MEAN_MSE_LIMIT and np.max(errors) < MAX_MSE_LIMIT


def test_every_input_style_gives_the_same_digit(mnist_test):
    digit = mnist_test[0][0]
    ink = paste(digit, 6.0, (300, 260), (40, 50))
    outputs = {name: preprocess_sketch(image) for name, image in _styles(ink).items()}
    for name, out in outputs.items():
        assert torch.mean((out - digit) ** 2).item() < MAX_MSE_LIMIT / 2, name


def test_naive_shrinking_would_be_far_worse(mnist_test):
    """The point of preprocessing: a small digit in a corner, shrunk naively, is not the digit."""
    digit = mnist_test[0][3]
    ink = paste(digit, 3.0, (400, 400), (300, 10))
    naive = torch.from_numpy(np.asarray(Image.fromarray(ink, mode="F").resize((28, 28), Image.BILINEAR)).reshape(784).copy())
    ours = preprocess_sketch(ink)
    assert torch.mean((ours - digit) ** 2) * 5 < torch.mean((naive - digit) ** 2)


def test_aspect_ratio_is_kept_and_centre_of_mass_is_centred():
    ink = np.zeros((400, 400), dtype=np.float32)
    ink[50:350, 190:210] = 1.0  # a tall bar: a "1"
    out = preprocess_sketch(ink).reshape(28, 28).numpy()
    rows, cols = np.flatnonzero(out.max(axis=1) > 0.05), np.flatnonzero(out.max(axis=0) > 0.05)
    assert rows[-1] - rows[0] + 1 == 20 and cols[-1] - cols[0] + 1 <= 3
    ys, xs = np.indices(out.shape)
    assert abs((ys * out).sum() / out.sum() - 14) <= 0.5 and abs((xs * out).sum() / out.sum() - 14) <= 0.5


@pytest.mark.parametrize("image, message", [
    (np.full((300, 300), 255, dtype=np.uint8), "canvas is empty"),  # blank white canvas
    (np.zeros((300, 300), dtype=np.uint8), "canvas is empty"),  # fully dark canvas
    (np.zeros((300, 300, 4), dtype=np.uint8), "canvas is empty"),  # fully transparent
    (None, "canvas is empty"),
    ({"background": None, "layers": [], "composite": None}, "canvas is empty"),
])
def test_empty_canvases_are_a_friendly_error(image, message):
    with pytest.raises(SketchError, match=message):
        preprocess_sketch(image)


def test_a_single_dot_is_a_friendly_error():
    canvas = np.full((400, 400), 255, dtype=np.uint8)
    canvas[200:204, 200:204] = 0
    with pytest.raises(SketchError, match="only a dot"):
        preprocess_sketch(canvas)


def test_nonsense_arrays_are_a_friendly_error():
    with pytest.raises(SketchError, match="Expected a 2-D image"):
        preprocess_sketch(np.zeros((4, 4, 4, 4)))
