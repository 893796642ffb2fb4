"""zoo.app.pictures: pictures inside the HTML as PNG data URLs, exactly the pixels given."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from zoo.app.pictures import as_canvas, picture_src, png


@pytest.mark.parametrize("shape", [(28, 28), (1, 1), (3, 40), (400, 7)])
def test_a_png_decodes_to_the_exact_pixels(shape):
    image = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    decoded = Image.open(io.BytesIO(png(image)))
    assert decoded.mode == "L" and np.array_equal(np.asarray(decoded), image)
    prefix, data = picture_src(image).split(",", 1)
    assert prefix == "data:image/png;base64" and np.array_equal(np.asarray(Image.open(io.BytesIO(base64.b64decode(data)))), image)


def test_a_digit_on_the_canvas_is_black_ink_on_white_in_whole_squares(mnist_test):
    digit = mnist_test[0][0]
    canvas = as_canvas(digit, 400)
    assert canvas.shape == (392, 392) and canvas.dtype == np.uint8
    assert np.array_equal(canvas[::14, ::14], (255 * (1 - digit.reshape(28, 28).numpy())).round().astype(np.uint8))
