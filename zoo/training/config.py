"""The training recipe's settings: one home that the engine and the variants both import (neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

PRECISIONS = {"float32": None, "bfloat16": torch.bfloat16}  # name -> autocast dtype (None: no autocast)


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 12  # full passes over the 60k training images
    batch_size: int = 256  # images per Adam step
    learning_rate: float = 0.012  # peak of the one-cycle schedule (Smith & Topin, 2018)
    warmup_fraction: float = 0.3  # share of steps spent rising to the peak
    seed: int = 0  # model initialisation, shuffling and noise
    fused_adam: bool = True  # PyTorch's fused Adam kernel (CPU and CUDA): faster steps; rounding differs
    weight_decay: float = 0.0  # AdamW's decoupled decay of the weight matrices (biases and norms are not decayed)
    # The model trained is an exponential moving average of the weights after each step, with this decay per
    # step (torch.optim.swa_utils; batch-norm statistics averaged alike); 0 trains the weights themselves.
    ema_decay: float = 0.0
    # Data augmentation: each training image moved by up to this many whole pixels on each axis, input and
    # target alike (zoo.training.augment); 0 trains on the images as they are.
    shift_pixels: int = 0
    # The training steps' matrix products: "bfloat16" (autocast; weights, Adam and metrics stay float32),
    # "float32", or "auto": bfloat16 where the hardware runs it natively (AVX512-BF16, AMX, CUDA), float32
    # elsewhere, where bfloat16 is emulated and far slower (docs/BENCHMARKS.md, training speed).
    precision: str = "auto"

    def __post_init__(self):
        if self.epochs <= 0 or self.batch_size <= 0 or self.learning_rate <= 0:
            raise ValueError(f"epochs, batch_size and learning_rate must be positive: {self}")
        if self.weight_decay < 0 or not 0 <= self.ema_decay < 1 or self.shift_pixels < 0:
            raise ValueError(f"weight_decay and shift_pixels must be >= 0 and ema_decay in [0, 1): {self}")
        if self.precision not in (*PRECISIONS, "auto"):
            raise ValueError(f"precision must be one of {sorted((*PRECISIONS, 'auto'))}, got {self.precision!r}")
