"""zoo.lab.figures: the image grid puts each digit where the axis labels say; every figure renders."""

import numpy as np
import torch
from PIL import Image

from zoo.analysis import explore
from zoo.lab import figures, measures, tables


def test_grid_puts_image_r_c_where_the_row_labels_say():
    images = torch.rand(2, 3, 784)
    out = figures.grid(images, pad=2, fill=1.0)
    step = 28 + 2
    assert out.shape == (2 * step - 2, 3 * step - 2)  # no border outside the first and last digits
    for r in range(2):
        for c in range(3):
            assert np.array_equal(out[r * step:r * step + 28, c * step:c * step + 28], images[r, c].reshape(28, 28).numpy())
    assert (out[28:30, :] == 1.0).all() and (out[:, 28:30] == 1.0).all()


def test_figures_render(plain_model, small, tmp_path):
    _, _, test_x, test_y = small
    models = {("plain", 16): plain_model}
    rendered = {
        "grid": figures.reconstruction_grid(models, test_x[measures.one_per_class(test_y)]),
        "units": figures.plot_unit_images({"plain d=16": explore.unit_images(plain_model, test_x)}),
        "curves": figures.plot_denoising_curves(tables.denoising_curves(models, test_x[:200])),
        "codes": figures.plot_codes_2d(plain_model, "plain d=16", test_x[:500], test_y[:500]),
    }
    for name, fig in rendered.items():
        fig.savefig(tmp_path / f"{name}.png")
        image = Image.open(tmp_path / f"{name}.png")
        assert image.width > 200 and image.height > 100
