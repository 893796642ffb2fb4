"""Published results the lab report puts the zoo beside: cited once, here, with where they come from."""

from __future__ import annotations

from dataclasses import dataclass

HINTON_2006 = ("Hinton & Salakhutdinov, \"Reducing the dimensionality of data with neural networks\", "
               "Science 313 (2006), Fig. 2")


@dataclass(frozen=True)
class Published:
    """One published figure: average squared reconstruction error per MNIST test image (784 pixels in [0, 1])."""

    model: str
    latent_dim: int
    error_per_image: float
    training: str  # how the paper fitted it
    source: str = HINTON_2006


PUBLISHED = (
    Published("deep autoencoder 784-1000-500-250-30", 30, 3.00, "RBM pretraining layer by layer, then fine-tuning"),
    Published("logistic PCA", 30, 8.01, "fitted to the same 30 dimensions"),
    Published("PCA", 30, 13.87, "none: the top 30 principal components"),
)
