"""The zoo in weights/ is what its cards say, and meets the quality the product promises (real MNIST)."""

import pytest

import registry
from zoo import metrics

LATENT_DIMS = (16, 32, 64)
PLAIN_MAX_MSE = {16: 0.0195, 32: 0.0085, 64: 0.0030}
SPARSE_GOALS = {16: (0.50, 0.030), 32: (0.60, 0.016), 64: (0.70, 0.010)}  # (min zero fraction, max MSE)

pytestmark = pytest.mark.slow


def test_every_variant_and_d_is_shipped():
    assert registry.available() == sorted((name, d) for name in registry.variants() for d in LATENT_DIMS)


@pytest.fixture(scope="module")
def measured(mnist_test):
    """Each shipped model's metrics, recomputed on the 10,000 test images."""
    x = mnist_test[0]
    return {(name, d): metrics.evaluate(registry.get(name, d=d), x, seed=registry.card(name, d)["seed"])
            for name, d in registry.available()}


def test_cards_match_a_fresh_evaluation(measured):
    for (name, d), fresh in measured.items():
        card = registry.card(name, d)["metrics"]
        assert fresh["test_mse"] == pytest.approx(card["test_mse"], rel=1e-4), (name, d)
        assert fresh["noisy_test_mse"]["0.5"] == pytest.approx(card["noisy_test_mse"]["0.5"], rel=1e-4), (name, d)
        assert fresh["zero_fraction"] == pytest.approx(card["zero_fraction"], abs=1e-6), (name, d)
        assert fresh["dead_units"] == card["dead_units"], (name, d)


@pytest.mark.parametrize("d", LATENT_DIMS)
def test_plain_quality(measured, d):
    assert measured["plain", d]["test_mse"] <= PLAIN_MAX_MSE[d]


@pytest.mark.parametrize("d", LATENT_DIMS)
def test_denoising_halves_the_error_at_noise_half_and_stays_close_on_clean(measured, d):
    plain, denoising = measured["plain", d], measured["denoising", d]
    assert denoising["noisy_test_mse"]["0.5"] <= 0.5 * plain["noisy_test_mse"]["0.5"]
    assert denoising["test_mse"] <= 1.5 * plain["test_mse"]


@pytest.mark.parametrize("d", LATENT_DIMS)
def test_sparse_quality(measured, d):
    min_zeros, max_mse = SPARSE_GOALS[d]
    sparse = measured["sparse", d]
    assert sparse["zero_fraction"] >= min_zeros and sparse["test_mse"] <= max_mse
    assert sparse["dead_units"] <= 0.10 * d
