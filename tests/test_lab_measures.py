"""zoo.lab.measures: PSNR, the parameter formula against the tensors, byte sizes, unit-image statistics."""

import io
import math

import numpy as np
import pytest
import torch
from PIL import Image

from zoo.lab import measures
from zoo.model import AutoEncoder, ModelConfig, parameter_count


def test_psnr_of_known_errors():
    assert measures.psnr(0.01) == pytest.approx(20.0)
    assert measures.psnr(1.0) == pytest.approx(0.0)


@pytest.mark.parametrize("hidden", [(), (256,), (128, 64)])
def test_parameter_formula_is_linear_in_d_and_matches_the_tensors(hidden):
    slope, intercept = measures.parameter_formula(ModelConfig(latent_dim=8, hidden_dims=hidden))
    for d in (1, 16, 33, 64):
        model = AutoEncoder(ModelConfig(latent_dim=d, hidden_dims=hidden))
        assert slope * d + intercept == sum(p.numel() for p in model.parameters()) == parameter_count(model.config)


def test_uint8_quantisation_round_trip():
    generator = torch.Generator().manual_seed(0)
    h = torch.randn(500, 8, generator=generator) * torch.arange(1, 9)  # units on different scales
    h[:, 0] = torch.relu(h[:, 0])  # a sparse unit: low = 0
    low, high = h.min(dim=0).values, h.max(dim=0).values
    q = measures.quantise_uint8(h, low, high)
    step = (high - low) / 255
    assert torch.all((q - h).abs() <= step / 2 + 1e-6)  # at most half a level off
    assert torch.equal(q[h[:, 0] == 0, 0], torch.zeros(int((h[:, 0] == 0).sum())))  # zeros stay exactly zero
    assert len(torch.unique(q[:, 3])) <= 256
    assert torch.allclose(measures.quantise_uint8(q, low, high), q, atol=1e-6)  # quantising twice changes nothing


def test_png_bytes_are_a_lossless_copy_of_the_digit(mnist_test):
    digit = mnist_test[0][:1]
    size, = measures.png_bytes(digit)
    buffer = io.BytesIO()
    image = Image.fromarray((digit.reshape(28, 28) * 255).round().byte().numpy(), mode="L")
    image.save(buffer, format="PNG", optimize=True)
    assert size == buffer.tell() and 50 < size < 784
    decoded = torch.from_numpy(np.array(Image.open(io.BytesIO(buffer.getvalue())))).flatten().float() / 255
    assert torch.allclose(decoded, digit.flatten(), atol=1 / 510)


def test_unit_image_stats_find_a_digit_and_a_stroke(mnist_test):
    x, y = mnist_test
    means = torch.stack([x[y == c].mean(dim=0) for c in range(10)])
    dot = torch.zeros(784)
    dot[14 * 28 + 14] = 1.0
    stats = measures.unit_image_stats(torch.stack([means[3], dot, torch.zeros(784)]).reshape(3, 28, 28), means)
    assert stats["digit_correlation"][0] == pytest.approx(1.0) and stats["best_class"][0] == 3
    assert stats["area_80"][1] == pytest.approx(1 / 784) and stats["digit_correlation"][1] < 0.3
    assert math.isnan(stats["digit_correlation"][2]) and math.isnan(stats["area_80"][2])


def test_labelled_subset_is_balanced_and_seeded(mnist_train):
    y = mnist_train[1]
    picks = measures.labelled_subset(y, 7, seed=1)
    assert torch.equal(torch.bincount(y[picks]), torch.full((10,), 7))
    assert torch.equal(picks, measures.labelled_subset(y, 7, seed=1))
    assert not torch.equal(picks, measures.labelled_subset(y, 7, seed=2))
