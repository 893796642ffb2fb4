"""Device and seed, decided in one place."""

from __future__ import annotations

import random

import numpy as np
import torch


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """"auto" -> CUDA if present, else CPU; anything else is passed to torch.device and checked."""
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for but no CUDA device is available; use --device auto or cpu")
    return device


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python, numpy and torch; return a CPU generator seeded the same, to pass around explicitly."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)
