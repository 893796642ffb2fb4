"""The denoising autoencoder: see a noisy image, reconstruct the clean one (Vincent et al., 2008)."""

from dataclasses import dataclass

import torch

from zoo.noise import add_white_noise
from zoo.variants import register
from zoo.variants.base import Variant, hyperparameter


@register("denoising")
@dataclass(frozen=True)
class Denoising(Variant):
    description = "trained on white-noise inputs against clean targets"
    # Each image draws its amplitude uniformly from [0, max]. Seeing noise costs clean-image error:
    # in the zoo's 12 epochs, max 0.5 gave 1.51x plain's at d=64, max 0.4 gives 1.35x while still
    # cutting the error at amplitude 0.5 to a quarter of plain's (docs/TRAINING.md).
    max_noise_amplitude: float = hyperparameter(0.4, "each training image gets noise of an amplitude drawn "
                                                          "uniformly from 0 to this")

    def corrupt(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        amplitude = self.max_noise_amplitude * torch.rand(x.shape[0], 1, generator=generator, device=generator.device)
        return add_white_noise(x, amplitude.to(x.device), generator=generator)
