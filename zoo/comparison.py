"""The computation behind the demo: one input, white noise, every selected model's reconstruction."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from zoo.model import IMAGE_SIZE, INPUT_DIM, AutoEncoder
from zoo.noise import add_white_noise


@dataclass(frozen=True)
class Reconstruction:
    variant: str
    latent_dim: int
    image: np.ndarray  # (28, 28) float32 in [0, 1]
    mse: float  # against the clean input
    code: np.ndarray  # (d,) the code h of the noisy input


@dataclass(frozen=True)
class Comparison:
    clean: np.ndarray  # (28, 28), the input as the models see it
    noisy: np.ndarray  # (28, 28), after white noise
    reconstructions: list[Reconstruction]  # row-major: variants in the order asked, then d


@torch.no_grad()
def compare(
    models: dict[tuple[str, int], AutoEncoder],
    x: torch.Tensor,
    noise_amplitude: float,
    seed: int,
    variants: list[str],
    latent_dims: list[int],
) -> Comparison:
    """Add white noise (seeded) to x (784,), reconstruct it with each selected model, score against clean x.

    Pairs (variant, d) that `models` lacks are skipped.
    """
    clean = x.reshape(1, INPUT_DIM).float()
    noisy = add_white_noise(clean, noise_amplitude, generator=torch.Generator().manual_seed(int(seed)))
    out = []
    for name in variants:
        for d in sorted(latent_dims):
            model = models.get((name, d))
            if model is None:
                continue
            h = model.encode(noisy)  # (1, 784) -> (1, d)
            x_hat = model.decode(h)  # (1, d) -> (1, 784)
            out.append(Reconstruction(name, d, x_hat.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(), torch.mean((x_hat - clean) ** 2).item(),
                                      h[0].numpy()))
    return Comparison(clean.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(), noisy.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(), out)


def as_pixels(image: np.ndarray) -> np.ndarray:
    """An image in [0, 1] (values outside clipped) as uint8 pixels, 0 to 255, rounded to the nearest."""
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
