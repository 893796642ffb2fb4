"""zoo.lab.tables on a small model and real MNIST: formulas, round trips, curves that must rise."""

import pytest

from zoo.lab import measures, tables
from zoo.model import ModelConfig
from zoo.training import metrics
from zoo.variants import get_variant


def test_parameter_formula_of_the_course_and_of_the_zoo():
    assert measures.parameter_formula(ModelConfig(latent_dim=4)) == (1569, 784)
    assert measures.parameter_formula(ModelConfig(latent_dim=4, hidden_dims=(256,))) == (513, 402_704)
    rows = tables.parameter_table({("plain", 32): get_variant("plain").build(32, seed=0)})
    assert rows[0]["formula"] == rows[0]["measured"] == 513 * 32 + 402_704
    assert rows[0]["layers"] == [784, 256, 32, 256, 784]


def test_the_noise_curve_of_a_plain_model_rises_with_amplitude(plain_model, small):
    rows = tables.denoising_curves({("plain", 16): plain_model}, small[2], amplitudes=(0.0, 0.2, 0.5, 1.0))
    model = [r["mse"] for r in rows if r["variant"] == "plain"]
    noisy = [r["mse"] for r in rows if r["variant"] == "noisy input"]
    assert model == sorted(model) and model[-1] > 1.5 * model[0]
    assert noisy[0] == 0 and noisy == sorted(noisy)
    # The curve's first point is the clean-image error the metrics module reports.
    assert model[0] == pytest.approx(metrics.reconstruction_mse(plain_model, small[2]))


def test_code_size_table_measures_the_quantised_round_trip(plain_model, small):
    train_x, _, test_x, _ = small
    row, = tables.code_size_table({("plain", 16): plain_model}, train_x, test_x)
    assert (row["float32_bytes"], row["float16_bytes"], row["uint8_bytes"]) == (64, 32, 16)
    assert row["mse_float32"] <= row["mse_uint8"] < 1.2 * row["mse_float32"]
    assert row["mse_float16"] == pytest.approx(row["mse_float32"], rel=1e-3)
    assert row["active_per_image"] == 16  # an identity code is never exactly zero


def test_reconstruction_table_covers_every_model_and_pca(plain_model, small):
    train_x, _, test_x, _ = small
    rows = tables.reconstruction_table({("plain", 16): plain_model}, train_x, test_x)
    assert rows[0]["mse"] < rows[0]["pca_mse"] and rows[0]["psnr"] == pytest.approx(measures.psnr(rows[0]["mse"]))
    assert rows[0]["pca_mse"] == pytest.approx(metrics.pca_mse(train_x, test_x, 16))
