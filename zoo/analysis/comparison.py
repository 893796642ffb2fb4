"""The computation behind the demo's Zoo tab: one input, seeded white noise, every selected model's reconstruction."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
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
def compare_many(models: Mapping[Hashable, AutoEncoder],
                 requests: Sequence[tuple[torch.Tensor, float, int, Iterable[Hashable]]]) -> list[Comparison]:
    """`compare` for several requests (x, noise_amplitude, seed, keys) at once: each model runs once, on the noisy
    inputs of every request that asks for it (a batch reads the weights once; one input at a time, they are most
    of the time)."""
    cleans = [x.reshape(1, INPUT_DIM).float() for x, *_ in requests]
    noisies = [add_seeded_noise(clean, amplitude, seed) for clean, (_, amplitude, seed, _) in zip(cleans, requests)]
    asked = [[key for key in keys if key in models] for *_, keys in requests]
    rows: dict[Hashable, list[int]] = {}
    for i, keys in enumerate(asked):
        for key in keys:
            rows.setdefault(key, []).append(i)
    out: dict[tuple[int, Hashable], Reconstruction] = {}
    for key, indices in rows.items():
        model = models[key]
        h = model.encode(torch.cat([noisies[i] for i in indices]))  # (n, 784) -> (n, d)
        x_hat = model.decode(h)  # (n, d) -> (n, 784)
        errors = ((x_hat - torch.cat([cleans[i] for i in indices])) ** 2).mean(dim=1).tolist()
        for row, i in enumerate(indices):
            out[i, key] = Reconstruction(key, x_hat[row].reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(), errors[row], h[row].numpy())
    return [Comparison(clean.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(), noisy.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy(),
                       [out[i, key] for key in keys]) for i, (clean, noisy, keys) in enumerate(zip(cleans, noisies, asked))]


def compare(models: Mapping[Hashable, AutoEncoder], x: torch.Tensor, noise_amplitude: float, seed: int,
            keys: Iterable[Hashable]) -> Comparison:
    """Add seeded white noise to x (784,), reconstruct it with the model of each key in order, score against clean x.

    Keys that `models` lacks are skipped.
    """
    return compare_many(models, [(x, noise_amplitude, seed, keys)])[0]


def as_pixels(image: np.ndarray) -> np.ndarray:
    """An image in [0, 1] (values outside clipped) as uint8 pixels, 0 to 255, rounded to the nearest."""
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
