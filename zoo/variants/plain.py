"""The plain autoencoder: reconstruct the clean image."""

from dataclasses import dataclass

from zoo.variants import register
from zoo.variants.base import Variant


@register("plain")
@dataclass(frozen=True)
class Plain(Variant):
    description = "reconstruction loss only"
