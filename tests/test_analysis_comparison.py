import numpy as np
import pytest
import torch

from zoo.analysis.comparison import add_seeded_noise, as_pixels, compare, compare_many, seed_noise
from zoo.variants import get_variant


@pytest.fixture(scope="module")
def models():
    return {(name, d): get_variant(name).build(d, seed=0).eval()
            for name in ("plain", "sparse") for d in (8, 16)}


def test_compare_returns_each_asked_model_in_order(models):
    x = torch.rand(784)
    keys = [("sparse", 8), ("sparse", 16), ("plain", 16), ("plain", 8)]
    result = compare(models, x, 0.3, seed=1, keys=keys)
    assert [r.key for r in result.reconstructions] == keys
    np.testing.assert_allclose(result.clean, x.reshape(28, 28).numpy())
    for r in result.reconstructions:
        expected = models[r.key](torch.from_numpy(result.noisy).reshape(1, 784))
        np.testing.assert_allclose(r.image, expected.reshape(28, 28).detach().numpy(), atol=1e-6)
        assert r.mse == pytest.approx(float(np.mean((r.image - result.clean) ** 2)), rel=1e-5)
        assert r.code.shape == (r.key[1],)


def test_noise_is_seeded_and_scaled(models):
    x = torch.full((784,), 0.5)
    a = compare(models, x, 0.2, 7, [("plain", 8)])
    b = compare(models, x, 0.2, 7, [("plain", 8)])
    c = compare(models, x, 0.2, 8, [("plain", 8)])
    assert np.array_equal(a.noisy, b.noisy) and not np.array_equal(a.noisy, c.noisy)
    assert np.std(a.noisy - a.clean) == pytest.approx(0.2, rel=0.15)
    assert np.array_equal(compare(models, x, 0.0, 7, [("plain", 8)]).noisy, a.clean)


def test_a_seeds_noise_is_its_draw_times_the_amplitude_in_float32():
    """What the page does with the draw it fetches (engine.js addNoise) is the server's noise, bit for bit."""
    x = torch.rand(1, 784)
    draw = seed_noise(11)
    assert draw.shape == (784,) and draw.std().item() == pytest.approx(1.0, rel=0.1)
    by_hand = (x + torch.tensor(0.35, dtype=torch.float32) * draw).clamp(0, 1)
    assert torch.equal(add_seeded_noise(x, 0.35, 11), by_hand)


def test_requests_computed_together_are_those_computed_alone(models):
    """A room's calls share each model's pass (a batch); each gets what it would alone."""
    rng = torch.Generator().manual_seed(0)
    requests = [(torch.rand(784, generator=rng), 0.1 * i, i, [("plain", 8), ("sparse", 16)][: 1 + i % 2]) for i in range(5)]
    together = compare_many(models, requests)
    for request, shared in zip(requests, together):
        alone = compare_many(models, [request])[0]
        assert np.array_equal(shared.noisy, alone.noisy) and [r.key for r in shared.reconstructions] == request[3]
        for a, b in zip(shared.reconstructions, alone.reconstructions):
            assert np.abs(a.image - b.image).max() < 1e-6 and a.mse == pytest.approx(b.mse, rel=1e-5)
            assert np.abs(a.code - b.code).max() < 1e-5


def test_missing_models_and_empty_selections_are_skipped(models):
    x = torch.rand(784)
    assert [r.key for r in compare(models, x, 0.1, 0, [("plain", 8), ("denoising", 8)]).reconstructions] == [("plain", 8)]
    assert compare(models, x, 0.1, 0, []).reconstructions == []


def test_as_pixels_rounds_and_clips_to_uint8():
    image = np.array([[0.0, 0.5, 1.0], [-0.2, 1.3, 0.499 / 255]], dtype=np.float32)
    pixels = as_pixels(image)
    assert pixels.dtype == np.uint8 and pixels.tolist() == [[0, 128, 255], [0, 255, 0]]
