"""zoo.training.metrics: codes, seeded noise, sparsity and the PCA baseline."""

import pytest
import torch

from zoo.training import metrics
from zoo.variants import get_variant


def test_codes_are_the_models_codes_in_batches_and_keep_its_mode():
    model = get_variant("sparse").build(8, seed=0).train()
    x = torch.rand(25, 784, generator=torch.Generator().manual_seed(0))
    h = metrics.codes(model, x, batch_size=10)
    assert h.shape == (25, 8) and model.training
    with torch.no_grad():
        assert torch.allclose(h, model.eval().encode(x))


def test_reconstruction_mse_summed_batch_by_batch_is_the_mean_over_every_pixel_and_keeps_the_mode():
    model = get_variant("plain").build(8, seed=0).train()
    generator = torch.Generator().manual_seed(0)
    x, target = torch.rand(25, 784, generator=generator), torch.rand(25, 1, 28, 28, generator=generator)
    for against, expected in ((None, x), (target, target.reshape(25, 784))):
        whole = torch.mean((metrics.reconstruct(model, x) - expected) ** 2).item()
        assert metrics.reconstruction_mse(model, x, against, batch_size=10) == pytest.approx(whole, rel=1e-6)
    assert model.training


def test_noisy_copy_is_the_same_noise_for_the_same_seed():
    x = torch.full((4, 784), 0.5)
    a, b, c = metrics.noisy_copy(x, 0.1, seed=3), metrics.noisy_copy(x, 0.1, seed=3), metrics.noisy_copy(x, 0.1, seed=4)
    assert torch.equal(a, b) and not torch.equal(a, c) and torch.equal(metrics.noisy_copy(x, 0.0), x)


def test_noisy_copies_draw_the_noise_once_and_equal_noisy_copy():
    x = torch.rand(20, 784)
    amplitudes = (0.0, 0.3, 1.0)
    for amplitude, noisy in zip(amplitudes, metrics.noisy_copies(x, amplitudes, seed=5)):
        assert torch.equal(noisy, metrics.noisy_copy(x, amplitude, seed=5))


def test_code_sparsity_counts_zeros_active_and_dead_units():
    model = get_variant("sparse").build(4, seed=0)
    with torch.no_grad():
        model.code_layer.bias[:] = torch.tensor([1e6, 1e6, -1e6, -1e6])  # two always on, two dead
    stats = metrics.code_sparsity(model, torch.rand(50, 784))
    assert stats == {"zero_fraction": 0.5, "active_units_per_image": 2.0, "dead_units": 2}


def test_pca_basis_is_orthonormal_and_more_components_reconstruct_better(mnist_train, mnist_test):
    train_x, test_x = mnist_train[0][:5000], mnist_test[0][:1000]
    mean, basis = metrics.pca_basis(train_x, 16)
    assert mean.shape == (784,) and basis.shape == (784, 16)
    assert torch.allclose(basis.T @ basis, torch.eye(16, dtype=torch.float64), atol=1e-8)
    errors = metrics.pca_mses(train_x, test_x, (8, 16, 32))
    assert list(errors.values()) == sorted(errors.values(), reverse=True)
    assert errors[16] == metrics.pca_mse(train_x, test_x, 16)  # one eigendecomposition for all d, same numbers
    assert metrics.pca_mse(train_x, test_x, 784) == pytest.approx(0.0, abs=1e-10)  # every direction: exact
