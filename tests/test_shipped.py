"""zoo.shipped: the zoo in weights/ is what its cards say, and meets the goals zoo.shipped sets (real MNIST)."""

import pytest

import registry
from zoo import metrics
from zoo.shipped import (DENOISING_AT, DENOISING_MAX_SHARE_OF_PLAIN_NOISY, DENOISING_MAX_TIMES_PLAIN_CLEAN, LATENT_DIMS,
                         NOT_MET, PLAIN_MAX_MSE, SPARSE_MAX_DEAD_SHARE, SPARSE_MAX_MSE, SPARSE_MIN_ZEROS)


def goal(*key):
    """xfail(strict) for the goals in NOT_MET, nothing otherwise: the day one is met, its test fails until
    zoo.shipped.NOT_MET is updated."""
    return [pytest.mark.xfail(strict=True, reason="not met by the shipped recipe; see docs/TRAINING.md")] if key in NOT_MET else []

pytestmark = pytest.mark.slow


def test_every_variant_and_d_is_shipped():
    assert registry.available() == sorted((name, d) for name in registry.variants() for d in LATENT_DIMS)


@pytest.fixture(scope="module")
def measured(mnist_test):
    """Each shipped model's metrics, recomputed on the 10,000 test images."""
    models, cards = registry.load_zoo()
    return {key: metrics.evaluate(model, mnist_test[0], seed=cards[key]["seed"]) for key, model in models.items()}


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
    noisy = DENOISING_AT
    assert denoising["noisy_test_mse"][noisy] <= DENOISING_MAX_SHARE_OF_PLAIN_NOISY * plain["noisy_test_mse"][noisy]
    assert denoising["test_mse"] <= DENOISING_MAX_TIMES_PLAIN_CLEAN * plain["test_mse"]


@pytest.mark.parametrize("d", [pytest.param(d, marks=goal("sparse zeros", d)) for d in LATENT_DIMS])
def test_sparse_zero_fraction(measured, d):
    assert measured["sparse", d]["zero_fraction"] >= SPARSE_MIN_ZEROS[d]


@pytest.mark.parametrize("d", [pytest.param(d, marks=goal("sparse mse", d)) for d in LATENT_DIMS])
def test_sparse_mse(measured, d):
    assert measured["sparse", d]["test_mse"] <= SPARSE_MAX_MSE[d]


@pytest.mark.parametrize("d", LATENT_DIMS)
def test_sparse_has_few_dead_units(measured, d):
    assert measured["sparse", d]["dead_units"] <= SPARSE_MAX_DEAD_SHARE * d


@pytest.fixture(scope="module")
def pca(mnist_train, mnist_test):
    return metrics.pca_mses(mnist_train[0], mnist_test[0], LATENT_DIMS)


@pytest.mark.parametrize("name, d", [pytest.param(n, d, marks=goal("beats PCA", n, d))
                                     for n in ("plain", "denoising", "sparse") for d in LATENT_DIMS])
def test_beats_pca(measured, pca, name, d):
    assert measured[name, d]["test_mse"] < pca[d]
