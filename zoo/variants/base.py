"""What every variant shares; a variant overrides only how its input or its loss differs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import torch
import torch.nn.functional as F

from zoo.model import AutoEncoder, ModelConfig
from zoo.training.config import TrainConfig


def mse_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error per pixel between sigmoid(logits) and the target: the metric we report."""
    return F.mse_loss(torch.sigmoid(logits), target)


def bce_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy per pixel, treating each pixel's intensity as a probability."""
    return F.binary_cross_entropy_with_logits(logits, target)


RECONSTRUCTION_LOSSES = {"mse": mse_loss, "bce": bce_loss}


def hyperparameter(default, help: str):
    """A variant's field with what it means, for people (the demo's Train tab shows it beside the field)."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Variant:
    """A plain autoencoder; subclasses are frozen dataclasses whose fields are their hyperparameters.

    A `zoo.training.engine.Trainable`: the engine calls `training_loss` once per batch; `epoch` is fractional (2.5 = halfway through
    the third epoch) so schedules can be smooth.
    """

    name: ClassVar[str] = ""  # set by @register
    description: ClassVar[str] = ""
    default_train_config: ClassVar[TrainConfig] = TrainConfig()  # the recipe train_all uses unless told otherwise
    latent_dims: ClassVar[tuple[int, ...] | None] = None  # the d's the zoo ships it at; None: zoo.store.shipped.LATENT_DIMS

    encoder_activation: str = "identity"  # the activation on the code h
    # One hidden layer of 256 each side. The course's single-layer model (hidden_dims=()) plateaus at
    # test MSE 0.0200 / 0.0033 at d=16 / 64, above the zoo's quality goals (docs/TRAINING.md).
    hidden_dims: tuple[int, ...] = (256,)
    decoder_hidden_dims: tuple[int, ...] | None = None  # None mirrors hidden_dims
    hidden_norm: str = "none"  # a key of zoo.model.NORMS, after each hidden layer's Linear
    # SiLU after each hidden layer: lower test MSE than ReLU in the same epochs (docs/TRAINING.md has the runs).
    hidden_activation: str = "silu"  # a key of zoo.model.HIDDEN_ACTIVATIONS
    reconstruction: str = "mse"  # a key of RECONSTRUCTION_LOSSES

    def model_config(self, latent_dim: int) -> ModelConfig:
        return ModelConfig(latent_dim=latent_dim, encoder_activation=self.encoder_activation,
                           hidden_dims=self.hidden_dims, decoder_hidden_dims=self.decoder_hidden_dims,
                           hidden_norm=self.hidden_norm, hidden_activation=self.hidden_activation)

    def build(self, latent_dim: int, seed: int) -> AutoEncoder:
        """A freshly initialised model of this variant at d = latent_dim; the same seed gives the same weights."""
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            return AutoEncoder(self.model_config(latent_dim))

    def corrupt(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """The input the model sees during training for clean images x; unchanged by default."""
        return x

    def penalty(self, model: AutoEncoder, h: torch.Tensor, epoch: float) -> dict[str, torch.Tensor]:
        """Extra loss terms by name, added to the reconstruction loss; none by default."""
        return {}

    def end_of_epoch(self, model: AutoEncoder, train_x: torch.Tensor, epoch: int) -> None:
        """Called by the engine after each epoch (1-based `epoch`) with the training images; nothing by default."""

    def training_loss(
        self, model: AutoEncoder, x: torch.Tensor, generator: torch.Generator, epoch: float
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """Loss for a batch of clean images x (N, 784), and its terms by name (for logging)."""
        h = model.encode(self.corrupt(x, generator))  # (N, 784) -> (N, d)
        terms = {"reconstruction": RECONSTRUCTION_LOSSES[self.reconstruction](model.decode_logits(h), x)}
        terms.update(self.penalty(model, h, epoch))
        return sum(terms.values()), terms
