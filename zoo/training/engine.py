"""One training loop for every variant.

The engine is a leaf: it trains any `Trainable` (a name, a training loss, an end-of-epoch hook) and
imports no variant; variants build their models and say how their loss differs. The data are held as two tensors
on the device and batched by indexing with a seeded permutation each epoch: a per-image Dataset
and DataLoader costs 2-4x on a 2-core machine (benchmarks/ measures it).
"""

from __future__ import annotations

import copy
import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import torch
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from tqdm.auto import tqdm

from zoo.model import AutoEncoder
from zoo.system.hardware import flush_denormals, resolve_device, resolve_precision
from zoo.training import metrics
from zoo.training.augment import random_shift
from zoo.training.config import PRECISIONS, TrainConfig


class NonFiniteLossError(RuntimeError):
    """Training produced a NaN or infinite loss; the model holds the last good weights."""


@dataclass
class TrainResult:
    history: list[dict[str, float]] = field(default_factory=list)  # one row per epoch
    epoch_seconds: list[float] = field(default_factory=list)  # wall time of each epoch's training steps
    seconds: float = 0.0
    device: str = "cpu"
    precision: str = "float32"  # what the matrix products ran in ("auto" resolved)
    stopped: bool = False  # `stop` said so: the model holds the last finished epoch's weights


class Trainable(Protocol):
    """What the engine needs of a variant (zoo.variants.base.Variant is one)."""

    name: str

    def training_loss(self, model: AutoEncoder, x: torch.Tensor, generator: torch.Generator,
                      epoch: float) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """The loss for a batch of clean images x (N, 784) and its terms by name; `epoch` is fractional."""

    def end_of_epoch(self, model: AutoEncoder, train_x: torch.Tensor, epoch: int) -> None:
        """Called after each finished epoch (1-based) with the training images."""


def _optimiser(model: AutoEncoder, config: TrainConfig, device: torch.device, steps_per_epoch: int):
    """AdamW (Adam where weight_decay is 0) under a one-cycle schedule over every step of the run."""
    matrices = [p for p in model.parameters() if p.ndim > 1]
    vectors = [p for p in model.parameters() if p.ndim <= 1]  # biases and norms: decay would only shrink them
    groups = [{"params": matrices, "weight_decay": config.weight_decay}, {"params": vectors, "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=config.learning_rate,
                                  fused=config.fused_adam and device.type in ("cpu", "cuda"))
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=config.learning_rate, total_steps=config.epochs * steps_per_epoch,
        pct_start=config.warmup_fraction,
    )
    return optimizer, schedule


def _run_epoch(model: AutoEncoder, variant: Trainable, train_x: torch.Tensor, config: TrainConfig, optimizer, schedule,
               generator: torch.Generator, autocast, epoch: int, stop: Callable[[], bool] | None,
               average: AveragedModel | None) -> torch.Tensor | None:
    """One pass over train_x in a fresh order: the sum of its batches' losses (on the device), None if stopped."""
    model.train()
    steps_per_epoch = -(-len(train_x) // config.batch_size)
    order = torch.randperm(len(train_x), generator=generator, device=train_x.device)
    loss_sum = torch.zeros((), device=train_x.device)
    for step in range(steps_per_epoch):
        if stop is not None and stop():
            return None
        # index_select: the same rows as train_x[...], gathered in half the time on a CPU
        x = train_x.index_select(0, order[step * config.batch_size:(step + 1) * config.batch_size])  # (B, 784)
        x = random_shift(x, config.shift_pixels, generator)
        with autocast():
            loss, _ = variant.training_loss(model, x, generator, epoch + step / steps_per_epoch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        if average is not None:
            average.update_parameters(model)
        loss_sum += loss.detach()
    return loss_sum


@flush_denormals()
def train(
    model: AutoEncoder,
    variant: Trainable,
    train_x: torch.Tensor,
    test_x: torch.Tensor,
    config: TrainConfig,
    *,
    device: str | torch.device = "auto",
    progress: bool = True,
    description: str = "",
    on_epoch: Callable[[dict[str, float]], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Train `model` in place on clean images train_x (N, 784); report test MSE after each epoch.

    `on_epoch`, if given, receives each epoch's history row ({"epoch", "train_loss", "test_mse"}) as
    soon as it is measured: a live view or another process's progress bar. `stop`, if given, is
    asked before every step; when it says True, training ends with the weights of the last finished
    epoch (the initial ones if none finished) and `result.stopped` set.

    Raises NonFiniteLossError if a loss is NaN or infinite; the model then holds the weights of the
    last epoch that finished with a finite loss. Denormal floats are flushed to zero meanwhile
    (`zoo.system.hardware.flush_denormals`: up to 5.7x on CPUs that pay for them).
    """
    device = resolve_device(device)
    model.to(device)
    train_x, test_x = train_x.to(device), test_x.to(device)
    generator = torch.Generator(device=device).manual_seed(config.seed)  # shuffles and noise, nothing global
    steps_per_epoch = -(-len(train_x) // config.batch_size)
    optimizer, schedule = _optimiser(model, config, device, steps_per_epoch)
    precision = resolve_precision(config.precision, device)
    dtype = PRECISIONS[precision]
    autocast = functools.partial(torch.autocast, device.type, dtype=dtype or torch.float32, enabled=dtype is not None)
    average = (AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(config.ema_decay), use_buffers=True)
               if config.ema_decay else None)
    trained = model if average is None else average.module  # what is evaluated and kept
    last_good = copy.deepcopy(model.state_dict())
    result = TrainResult(device=str(device), precision=precision)
    start = time.perf_counter()
    bar = tqdm(range(config.epochs), desc=description or variant.name, disable=not progress, leave=False)
    for epoch in bar:
        epoch_start = time.perf_counter()
        loss_sum = _run_epoch(model, variant, train_x, config, optimizer, schedule, generator, autocast, epoch, stop,
                              average)
        if loss_sum is None:  # stopped
            model.load_state_dict(last_good)
            result.stopped = True
            break
        # One check per epoch: a per-step check would synchronise with the GPU every step.
        train_loss = loss_sum.item() / steps_per_epoch  # .item() waits for the device, so the time below is real
        result.epoch_seconds.append(time.perf_counter() - epoch_start)
        if not math.isfinite(train_loss):
            model.load_state_dict(last_good)
            raise NonFiniteLossError(
                f"{variant.name} d={model.latent_dim}: loss became {train_loss} in epoch {epoch + 1}; "
                f"kept the weights after epoch {epoch} (lower the learning rate or the penalty weights)"
            )
        variant.end_of_epoch(model, train_x, epoch + 1)
        last_good = copy.deepcopy(trained.state_dict())
        with autocast():
            test_mse = metrics.reconstruction_mse(trained, test_x)  # in the training precision: cheaper; cards are float32
        result.history.append({"epoch": epoch + 1, "train_loss": train_loss, "test_mse": test_mse})
        bar.set_postfix(train_loss=f"{train_loss:.5f}", test_mse=f"{test_mse:.5f}")
        if on_epoch is not None:
            on_epoch(result.history[-1])
    result.seconds = time.perf_counter() - start
    if average is not None and not result.stopped:
        model.load_state_dict(trained.state_dict())
    model.eval()
    return result
