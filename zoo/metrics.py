"""How well a model reconstructs: MSE on clean and noisy images, code sparsity, and PCA as the baseline."""

from __future__ import annotations

import torch

from zoo.model import AutoEncoder
from zoo.noise import add_white_noise

NOISE_AMPLITUDES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@torch.no_grad()
def reconstruct(model: AutoEncoder, x: torch.Tensor, batch_size: int = 10000) -> torch.Tensor:
    """model(x) in eval mode, in batches, on the model's device; returns (N, 784) on x's device."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    out = torch.cat([model(x[i:i + batch_size].to(device)).to(x.device) for i in range(0, len(x), batch_size)])
    model.train(was_training)
    return out


def reconstruction_mse(model: AutoEncoder, x: torch.Tensor, target: torch.Tensor | None = None) -> float:
    """Mean squared error per pixel between model(x) and target (x itself if None)."""
    target = x if target is None else target
    return torch.mean((reconstruct(model, x) - target.reshape(len(target), -1)) ** 2).item()


def noisy_mse(model: AutoEncoder, x: torch.Tensor, amplitude: float, seed: int = 0) -> float:
    """MSE between the clean x and the model's reconstruction of x with white noise of `amplitude`."""
    generator = torch.Generator(device=x.device).manual_seed(seed)
    return reconstruction_mse(model, add_white_noise(x, amplitude, generator=generator), target=x)


@torch.no_grad()
def code_sparsity(model: AutoEncoder, x: torch.Tensor) -> dict[str, float]:
    """Fraction of code entries exactly zero, active units per image, and dead units (never active on x)."""
    model.eval()
    device = next(model.parameters()).device
    h = torch.cat([model.encode(x[i:i + 10000].to(device)) for i in range(0, len(x), 10000)])  # (N, d)
    active = h != 0
    return {
        "zero_fraction": 1.0 - active.float().mean().item(),
        "active_units_per_image": active.sum(dim=1).float().mean().item(),
        "dead_units": int((~active.any(dim=0)).sum().item()),
    }


def evaluate(model: AutoEncoder, test_x: torch.Tensor, seed: int = 0) -> dict:
    """Everything a model card reports about a trained model on the test set."""
    result = {
        "test_mse": reconstruction_mse(model, test_x),
        "noisy_test_mse": {f"{a:.1f}": noisy_mse(model, test_x, a, seed=seed) for a in NOISE_AMPLITUDES},
    }
    result.update(code_sparsity(model, test_x))
    return result


def pca_mse(train_x: torch.Tensor, test_x: torch.Tensor, latent_dim: int) -> float:
    """Test MSE of the best linear d-dimensional reconstruction fitted on train_x (PCA)."""
    x = train_x.double()
    mean = x.mean(dim=0)
    centred = x - mean
    covariance = centred.T @ centred / len(x)  # (784, 784)
    _, eigenvectors = torch.linalg.eigh(covariance)  # ascending eigenvalues
    basis = eigenvectors[:, -latent_dim:]  # (784, d), the top d directions
    t = test_x.double() - mean
    return torch.mean((t @ basis @ basis.T - t) ** 2).item()
