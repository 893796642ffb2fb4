"""The lab's small measures: PSNR, fixed digit picks, what a unit image looks like, the parameter
formula, a code rounded to bytes, an image's PNG size. Each a function of tensors; no training, no figures."""

from __future__ import annotations

import dataclasses
import io
import math

import torch
from PIL import Image

from zoo.model import IMAGE_SIZE, ModelConfig, parameter_count

AREA_SHARE = 0.8  # a unit image's area: the share of pixels that carries this share of its absolute weight


def psnr(mse: float) -> float:
    """Peak signal-to-noise ratio in dB for pixels in [0, 1]: 10 log10(1 / MSE)."""
    return 10 * math.log10(1 / mse)


def one_per_class(labels: torch.Tensor, classes: int = 10) -> list[int]:
    """Index of the first image of each class, 0 to 9: the same digits in every figure."""
    return [int((labels == c).nonzero()[0]) for c in range(classes)]


def labelled_subset(labels: torch.Tensor, per_class: int, seed: int = 0) -> torch.Tensor:
    """Indices of `per_class` images of each class, drawn with a seeded generator."""
    generator = torch.Generator().manual_seed(seed)
    picks = []
    for c in range(int(labels.max()) + 1):
        members = (labels == c).nonzero().flatten()
        picks.append(members[torch.randperm(len(members), generator=generator)[:per_class]])
    return torch.cat(picks).sort().values


def unit_image_stats(images: torch.Tensor, class_means: torch.Tensor) -> dict:
    """How digit-like and how local the unit images are.

    digit_correlation: per unit, the largest Pearson correlation with a class's mean test image
    (a unit that draws a whole 3 correlates with the mean 3). area_80: per unit, the share of the
    784 pixels that carries 80% of the image's absolute weight (a stroke is local: a small share).
    A dead unit (an all-zero image) gets NaN for both.
    """
    u = images.reshape(len(images), -1).double()
    m = class_means.reshape(len(class_means), -1).double()
    u_centred = u - u.mean(dim=1, keepdim=True)
    m_centred = m - m.mean(dim=1, keepdim=True)
    corr = (u_centred @ m_centred.T) / (u_centred.norm(dim=1, keepdim=True) * m_centred.norm(dim=1))  # (d, 10)
    best, best_class = corr.max(dim=1)
    mass = u.abs().sort(dim=1, descending=True).values
    share = mass.cumsum(dim=1) / mass.sum(dim=1, keepdim=True)
    area_80 = ((share < AREA_SHARE).sum(dim=1) + 1).double() / u.shape[1]
    silent = mass[:, 0] == 0
    best[silent], area_80[silent] = float("nan"), float("nan")
    return {"digit_correlation": best.tolist(), "best_class": best_class.tolist(), "area_80": area_80.tolist()}


def parameter_formula(config: ModelConfig) -> tuple[int, int]:
    """(slope, intercept) with parameter_count = slope * d + intercept for this architecture.

    The count is linear in d (d appears in two Linear layers' sizes only), so two values of d fix it.
    """
    at = {d: parameter_count(dataclasses.replace(config, latent_dim=d)) for d in (1, 2)}
    return at[2] - at[1], at[1] - (at[2] - at[1])


def quantise_uint8(h: torch.Tensor, low: torch.Tensor, high: torch.Tensor) -> torch.Tensor:
    """Round each unit to one of 256 levels spanning [low_j, high_j]; returns the dequantised codes.

    low and high come from the training set's codes. A unit whose low is 0 keeps 0 exactly,
    so a sparse code stays sparse.
    """
    span = (high - low).clamp_min(1e-12)
    levels = torch.round((h.clamp(low, high) - low) / span * 255)
    return low + levels / 255 * span


def png_bytes(images: torch.Tensor) -> list[int]:
    """Size in bytes of each 28x28 image saved as an 8-bit greyscale PNG (PIL, optimize=True)."""
    sizes = []
    for image in (images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE) * 255).round().to(torch.uint8).numpy():
        buffer = io.BytesIO()
        Image.fromarray(image, mode="L").save(buffer, format="PNG", optimize=True)
        sizes.append(buffer.tell())
    return sizes
