"""White noise for batches of images."""

from __future__ import annotations

import torch


def add_white_noise(
    x: torch.Tensor,
    amplitude: float | torch.Tensor,
    *,
    clip: bool = True,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Return x + amplitude * N(0, 1), drawn independently for every pixel; x is not modified.

    Args:
        x: images, any shape, pixels in [0, 1].
        amplitude: the noise's standard deviation; a float, or a tensor that broadcasts against x
            (shape (N, 1) gives each image its own amplitude). Must be >= 0.
        clip: clamp the result to [0, 1], the range of a pixel.
        generator: a torch.Generator for reproducible noise; the global one if None.
    """
    amplitude = torch.as_tensor(amplitude, dtype=x.dtype)
    if torch.any(amplitude < 0) or not torch.all(torch.isfinite(amplitude)):
        raise ValueError(f"noise amplitude must be a finite number >= 0, got {amplitude.min().item()}")
    # Draw on the generator's device so a CPU generator gives the same noise for CPU and CUDA data.
    device = generator.device if generator is not None else x.device
    noise = torch.randn(x.shape, generator=generator, device=device, dtype=x.dtype).to(x.device)
    noisy = x + amplitude.to(x.device) * noise
    return noisy.clamp_(0.0, 1.0) if clip else noisy
