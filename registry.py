"""Trained models by name: `registry.get("sparse", d=32)` returns the shipped sparse autoencoder at d=32.

    >>> import registry
    >>> registry.variants()          # registered variant names
    ['denoising', 'plain', 'sparse']
    >>> registry.available()         # (name, d) pairs with weights in weights/
    >>> model = registry.get("sparse", d=32)   # an AutoEncoder in eval mode

Weights come from `weights/` (or `$AE_ZOO_WEIGHTS`), as written by `python train_all.py`.
"""

from __future__ import annotations

from pathlib import Path

import torch

from zoo import checkpoint
from zoo.model import AutoEncoder
from zoo.variants import variant_names

__all__ = ["get", "card", "available", "variants", "UnknownModelError"]


class UnknownModelError(KeyError):
    """No trained model of that name and d; the message lists what exists."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return self.args[0]


def variants() -> list[str]:
    """Names of the registered variants (built-in and from the `ae_zoo.variants` entry points)."""
    return variant_names()


def available(weights_dir: str | Path | None = None) -> list[tuple[str, int]]:
    """Sorted (variant, d) pairs that have weights and a card in the weights directory."""
    weights_dir = Path(weights_dir) if weights_dir is not None else checkpoint.default_weights_dir()
    return checkpoint.available(weights_dir)


def _check(name: str, d: int, weights_dir: Path) -> None:
    if not isinstance(d, int) or isinstance(d, bool) or d <= 0:
        raise ValueError(f"d must be a positive integer, got {d!r}")
    if (name, d) in available(weights_dir):
        return
    trained = ", ".join(f"{n} d={k}" for n, k in available(weights_dir)) or "none"
    if name not in variants():
        hint = f"registered variants: {', '.join(variants())}"
    else:
        hint = f"train it with: python train_all.py --variants {name} --d {d}"
    raise UnknownModelError(f"no trained model {name!r} with d={d} in {weights_dir}; trained: {trained}; {hint}")


def get(name: str, d: int, *, weights_dir: str | Path | None = None, device: str | torch.device = "cpu") -> AutoEncoder:
    """The trained `name` autoencoder with latent size d, in eval mode on `device`."""
    weights_dir = Path(weights_dir) if weights_dir is not None else checkpoint.default_weights_dir()
    _check(name, d, weights_dir)
    model, _ = checkpoint.load(weights_dir, name, d, device=device)
    return model


def card(name: str, d: int, *, weights_dir: str | Path | None = None) -> dict:
    """The model card of the trained `name` autoencoder with latent size d."""
    weights_dir = Path(weights_dir) if weights_dir is not None else checkpoint.default_weights_dir()
    _check(name, d, weights_dir)
    return checkpoint.read_card(checkpoint.paths(weights_dir, name, d)[1])
