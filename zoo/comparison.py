"""The computation behind the demo's Zoo tab: one input, seeded white noise, every selected model's reconstruction."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import torch

from zoo.model import IMAGE_SIZE, INPUT_DIM, AutoEncoder
from zoo.noise import add_white_noise


@dataclass(frozen=True)
class Reconstruction:
    key: Hashable  # which model, as the caller names it
    image: np.ndarray  # (28, 28) float32 in [0, 1]
    mse: float  # against the clean input
    code: np.ndarray  # (d,) the code h of the noisy input


@dataclass(frozen=True)
class Comparison:
    clean: np.ndarray  # (28, 28), the input as the models see it
    noisy: np.ndarray  # (28, 28), after white noise
    reconstructions: list[Reconstruction]  # in the order asked


def add_seeded_noise(x: torch.Tensor, amplitude: float, seed: int, clip: bool = True) -> torch.Tensor:
    """White noise for images x (N, 784) from a CPU generator seeded by `seed`: the same seed gives the same noise,
    on any device and in the page (which adds amplitude x `seed_noise(seed)` itself)."""
    return add_white_noise(x, amplitude, clip=clip, generator=torch.Generator().manual_seed(int(seed)))


def seed_noise(seed: int) -> torch.Tensor:
    """The N(0, 1) draw (784,) behind the noise of `seed`: what the page fetches once per seed."""
    return add_seeded_noise(torch.zeros(1, INPUT_DIM), 1.0, seed, clip=False)[0]


@torch.no_grad()
def compare(models: Mapping[Hashable, AutoEncoder], x: torch.Tensor, noise_amplitude: float, seed: int,
            keys: Iterable[Hashable]) -> Comparison:
    """Add seeded white noise to x (784,), reconstruct it with the model of each key in order, score against clean x.

    Keys that `models` lacks are skipped.
    """
    clean = x.reshape(1, INPUT_DIM).float()
    noisy = add_seeded_noise(clean, noise_amplitude, seed)
    out = []
    for key in keys:
        model = models.get(key)
        if model is None:
            continue
        h = model.encode(noisy)  # (1, 784) -> (1, d)
        x_hat = model.decode(h)  # (1, d) -> (1, 784)
        out.append(Reconstruction(key, x_hat.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(),
                                  torch.mean((x_hat - clean) ** 2).item(), h[0].numpy()))
    return Comparison(clean.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(), noisy.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(), out)


def as_pixels(image: np.ndarray) -> np.ndarray:
    """An image in [0, 1] (values outside clipped) as uint8 pixels, 0 to 255, rounded to the nearest."""
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
