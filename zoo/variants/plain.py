"""The plain autoencoder: reconstruct the clean image."""

from dataclasses import dataclass

from zoo.training.config import TrainConfig
from zoo.variants import register
from zoo.variants.base import Variant


@register("plain")
@dataclass(frozen=True)
class Plain(Variant):
    description = "reconstruction loss only"
    default_train_config = TrainConfig(epochs=13)  # at 12, d=64 met its goal with 2.9-5.1% to spare over seeds
