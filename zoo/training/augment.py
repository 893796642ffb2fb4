"""Data augmentation for batches of training images: the same image moved a few pixels."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from zoo.model import IMAGE_SIZE as SIDE


def random_shift(x: torch.Tensor, max_pixels: int, generator: torch.Generator) -> torch.Tensor:
    """Each image of x (N, 784) moved by its own whole-pixel offset in [-max_pixels, max_pixels] on each axis.

    Pixels moved in from outside are 0 (the background); x is not modified. 0 returns x itself.
    """
    if max_pixels < 0:
        raise ValueError(f"max_pixels must be >= 0, got {max_pixels}")
    if max_pixels == 0:
        return x
    n, m = x.shape[0], max_pixels
    padded = F.pad(x.view(n, SIDE, SIDE), (m, m, m, m)).view(n, -1)  # (N, (28 + 2m)^2)
    offsets = torch.randint(0, 2 * m + 1, (2, n, 1), generator=generator, device=generator.device).to(x.device)
    line = torch.arange(SIDE, device=x.device)
    rows, cols = line + offsets[0], line + offsets[1]  # (N, 28): the window each image is read through
    index = rows[:, :, None] * (SIDE + 2 * m) + cols[:, None, :]  # (N, 28, 28) into each padded image
    return torch.gather(padded, 1, index.view(n, SIDE * SIDE))
