"""Published results the lab report puts the zoo beside: cited once, here, with where they come from.

Every figure is the average squared reconstruction error per MNIST image (784 pixels in [0, 1]) of an
autoencoder or a linear method with a 30-number code; `measured_on` says whether on the 10,000 test images or on
the 60,000 training images (the optimisation papers report training error only).
"""

from __future__ import annotations

from dataclasses import dataclass

HINTON_2006 = ("Hinton & Salakhutdinov, \"Reducing the dimensionality of data with neural networks\", "
               "Science 313 (2006), Fig. 2")
SUTSKEVER_2013 = ("Sutskever, Martens, Dahl & Hinton, \"On the importance of initialization and momentum in deep "
                  "learning\", ICML 2013, Table 1")
DEEP_SIZES = "784-1000-500-250-30"


@dataclass(frozen=True)
class Published:
    """One published figure: average squared reconstruction error per MNIST image."""

    model: str
    latent_dim: int
    error_per_image: float
    training: str  # how the paper fitted it
    source: str = HINTON_2006
    measured_on: str = "test"  # "test" or "training" images


PUBLISHED = (
    Published(f"deep autoencoder {DEEP_SIZES}", 30, 3.00, "RBM pretraining layer by layer, then fine-tuning"),
    Published("logistic PCA", 30, 8.01, "fitted to the same 30 dimensions"),
    Published("PCA", 30, 13.87, "none: the top 30 principal components"),
    Published(f"deep autoencoder {DEEP_SIZES}", 30, 1.40, "Hessian-free optimisation, no pretraining "
              "(Martens, ICML 2010, as quoted in this table)", SUTSKEVER_2013, "training"),
    Published(f"deep autoencoder {DEEP_SIZES}", 30, 0.69, "improved Hessian-free optimisation", SUTSKEVER_2013,
              "training"),
    Published(f"deep autoencoder {DEEP_SIZES}", 30, 0.73, "Nesterov momentum 0.99, sparse initialisation, "
              "750,000 updates of batch 200", SUTSKEVER_2013, "training"),
    Published(f"deep autoencoder {DEEP_SIZES}", 30, 2.1, "plain SGD (no momentum)", SUTSKEVER_2013, "training"),
)


def best(measured_on: str) -> Published:
    """The lowest published deep-autoencoder figure on test or training images."""
    return min((p for p in PUBLISHED if p.model.startswith("deep") and p.measured_on == measured_on),
               key=lambda p: p.error_per_image)
