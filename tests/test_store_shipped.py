"""zoo.store.shipped: the zoo in weights/ is what its cards say, and meets the goals zoo.store.shipped sets (real MNIST)."""

import pytest

import registry
from zoo.store import shipped
from zoo.store.shipped import Goal, goals
from zoo.training import metrics


def test_a_goal_measures_its_margin_both_ways():
    upper = Goal("mse", "plain", 64, value=0.0029, bound=0.0030, upper=True)
    assert upper.met and upper.margin == pytest.approx(1 / 30) and upper.has_room
    assert not Goal("mse", "plain", 64, 0.00292, 0.0030, upper=True).has_room
    lower = Goal("zeros", "sparse", 64, value=0.70, bound=0.70, upper=False)
    assert lower.met and lower.margin == 0 and not lower.has_room
    assert Goal("zeros", "sparse", 64, 0.73, 0.70, upper=False).has_room
    assert not Goal("beats PCA", "sparse", 64, 0.009, 0.009, upper=True).met  # strictly below
    dead = Goal("dead units", "sparse", 32, value=1, bound=3, upper=True)
    assert dead.met and not dead.has_room  # allowed, but no room: the README promises none


def test_goals_cover_every_model_and_compare_denoising_with_plain():
    card = {"test_mse": 0.01, "noisy_test_mse": {shipped.NOISY_KEY: 0.02}, "zero_fraction": 0.8, "dead_units": 0}
    measured = {("plain", 16): card, ("denoising", 16): {**card, "noisy_test_mse": {shipped.NOISY_KEY: 0.005}},
                ("sparse", 16): card}
    found = {(g.name, g.variant): g for g in goals(measured, {16: 0.02})}
    assert set(found) == {("mse", "plain"), ("beats PCA", "plain"), ("noisy vs plain", "denoising"),
                          ("clean vs plain", "denoising"), ("beats PCA", "denoising"), ("mse", "sparse"),
                          ("zeros", "sparse"), ("dead units", "sparse"), ("beats PCA", "sparse")}
    assert found["noisy vs plain", "denoising"].value == 0.25 and found["clean vs plain", "denoising"].value == 1.0
    assert found["mse", "sparse"].met and found["zeros", "sparse"].met


@pytest.mark.slow
def test_every_variant_and_d_is_shipped():
    assert registry.available() == shipped.models()
    assert ("deep", 30) in shipped.models() and ("sparse", 64) in shipped.models()


@pytest.fixture(scope="module")
def measured(mnist_test):
    """Each shipped model's metrics, recomputed on the 10,000 test images."""
    models, cards = registry.load_zoo()
    return {key: metrics.evaluate(model, mnist_test[0], seed=cards[key]["seed"]) for key, model in models.items()}


@pytest.mark.slow
def test_cards_match_a_fresh_evaluation(measured):
    for (name, d), fresh in measured.items():
        card = registry.card(name, d)["metrics"]
        assert fresh["test_mse"] == pytest.approx(card["test_mse"], rel=1e-4), (name, d)
        assert fresh["noisy_test_mse"]["0.5"] == pytest.approx(card["noisy_test_mse"]["0.5"], rel=1e-4), (name, d)
        assert fresh["zero_fraction"] == pytest.approx(card["zero_fraction"], abs=1e-6), (name, d)
        assert fresh["dead_units"] == card["dead_units"], (name, d)


@pytest.fixture(scope="module")
def zoo_goals(measured, mnist_train, mnist_test):
    return goals(measured, metrics.pca_mses(mnist_train[0], mnist_test[0], sorted({d for _, d in measured})))


@pytest.mark.slow
@pytest.mark.parametrize("name, d", shipped.models())
def test_every_goal_is_met(zoo_goals, name, d):
    mine = [g for g in zoo_goals if (g.variant, g.latent_dim) == (name, d)]
    assert mine
    assert [g for g in mine if not g.met] == []

