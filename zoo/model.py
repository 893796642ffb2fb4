"""The autoencoder: a perceptron encoder 784 -> d and a perceptron decoder d -> 784.

The course's model is one Linear layer plus an activation on each side. `hidden_dims` adds
layers between the image and the code for deeper variants (mirrored in the decoder).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

IMAGE_SIZE = 28
INPUT_DIM = IMAGE_SIZE * IMAGE_SIZE  # 784


class JumpReLU(nn.Module):
    """h = z where z > threshold, else exactly 0 (Rajamanoharan et al., 2024, with a fixed threshold).

    Unlike ReLU(z - threshold), a unit that fires passes z unshrunk, so an L1 penalty on h makes
    units fire less often rather than fire weaker. The gradient is 1 above the threshold, 0 below.
    """

    def __init__(self, threshold: float = 0.0):
        super().__init__()
        self.threshold = threshold

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return z * (z > self.threshold)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}"


# Activations of the code by name, so a config stays plain data (JSON in the model card).
ACTIVATIONS: dict[str, Callable[["ModelConfig"], nn.Module]] = {
    "identity": lambda config: nn.Identity(),
    "relu": lambda config: nn.ReLU(),
    "jumprelu": lambda config: JumpReLU(config.code_threshold),
    "sigmoid": lambda config: nn.Sigmoid(),
    "tanh": lambda config: nn.Tanh(),
}
# The hidden layers' activation by name. SiLU (x * sigmoid(x)) trains the paper-sized deep model to a lower
# error in the same epochs than ReLU (docs/TRAINING.md).
HIDDEN_ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {"relu": nn.ReLU, "silu": nn.SiLU}
# A normalisation after each hidden layer's Linear, by name (its activation follows it).
NORMS: dict[str, Callable[[int], nn.Module] | None] = {
    "none": None,
    "batch": nn.BatchNorm1d,  # in eval mode a fixed affine map per unit, from the training set's statistics
}
SPARSE_ACTIVATIONS = frozenset({"relu", "jumprelu"})  # codes with exact zeros: a unit is off, not just small


@dataclass(frozen=True)
class ModelConfig:
    latent_dim: int = 32  # d, the size of the code h
    encoder_activation: str = "identity"  # applied to h; "relu" lets code entries be exactly zero
    hidden_dims: tuple[int, ...] = ()  # extra encoder layers (hidden_activation after each); () is the course's model
    decoder_hidden_dims: tuple[int, ...] | None = None  # extra decoder layers, code outwards; None mirrors hidden_dims
    code_threshold: float = 0.0  # "jumprelu" only: code entries at or below it are exactly 0
    hidden_norm: str = "none"  # a key of NORMS: what follows each hidden layer's Linear, before its activation
    hidden_activation: str = "relu"  # a key of HIDDEN_ACTIVATIONS

    def __post_init__(self):
        if not isinstance(self.latent_dim, int) or self.latent_dim <= 0:
            raise ValueError(f"latent_dim (d) must be a positive integer, got {self.latent_dim!r}")
        if self.encoder_activation not in ACTIVATIONS:
            raise ValueError(f"unknown encoder_activation {self.encoder_activation!r}; choose from {sorted(ACTIVATIONS)}")
        object.__setattr__(self, "hidden_dims", tuple(int(h) for h in self.hidden_dims))  # JSON gives lists
        if self.decoder_hidden_dims is not None:
            object.__setattr__(self, "decoder_hidden_dims", tuple(int(h) for h in self.decoder_hidden_dims))
        if self.hidden_activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"unknown hidden_activation {self.hidden_activation!r}; choose from {sorted(HIDDEN_ACTIVATIONS)}")
        if self.hidden_norm not in NORMS:
            raise ValueError(f"unknown hidden_norm {self.hidden_norm!r}; choose from {sorted(NORMS)}")
        if self.code_threshold < 0:
            raise ValueError(f"code_threshold must be >= 0, got {self.code_threshold}")
        if any(h <= 0 for h in self.hidden_dims + (self.decoder_hidden_dims or ())):
            raise ValueError(f"hidden layer widths must be positive, got {self.hidden_dims}, {self.decoder_hidden_dims}")

    @property
    def sparse_code(self) -> bool:
        """Whether code entries can be exactly zero (its activation switches units off)."""
        return self.encoder_activation in SPARSE_ACTIVATIONS

    @property
    def layer_sizes(self) -> list[int]:
        """Encoder widths from the image to the code, e.g. [784, d]."""
        return [INPUT_DIM, *self.hidden_dims, self.latent_dim]

    @property
    def decoder_layer_sizes(self) -> list[int]:
        """Decoder widths from the code to the image, e.g. [d, 784]."""
        hidden = self.hidden_dims[::-1] if self.decoder_hidden_dims is None else self.decoder_hidden_dims
        return [self.latent_dim, *hidden, INPUT_DIM]


def parameter_count(config: ModelConfig) -> int:
    """Number of trainable parameters, from the configuration alone.

    Each Linear(a, b) has a*b weights and b biases. For the course's model (no hidden layers)
    this is (784*d + d) + (d*784 + 784) = 1569*d + 784. A batch norm adds a scale and a shift per hidden unit.
    """
    def linear_layers(sizes: list[int]) -> int:
        return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))

    hidden_units = sum(config.layer_sizes[1:-1]) + sum(config.decoder_layer_sizes[1:-1])
    norm = 2 * hidden_units if config.hidden_norm == "batch" else 0
    return linear_layers(config.layer_sizes) + linear_layers(config.decoder_layer_sizes) + norm


def _mlp(sizes: list[int], norm: str = "none", activation: str = "relu") -> list[nn.Module]:
    """Linear layers along `sizes`, between them NORMS[norm] then HIDDEN_ACTIVATIONS[activation] (none after the last)."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            if NORMS[norm] is not None:
                layers.append(NORMS[norm](b))
            layers.append(HIDDEN_ACTIVATIONS[activation]())
    return layers


class AutoEncoder(nn.Module):
    """x (N, 784) or (N, 1, 28, 28) -> h (N, d) -> x_hat (N, 784) in [0, 1]."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        sizes = config.layer_sizes
        hidden = (config.hidden_norm, config.hidden_activation)
        self.encoder = nn.Sequential(*_mlp(sizes, *hidden), ACTIVATIONS[config.encoder_activation](config))
        self.decoder = nn.Sequential(*_mlp(config.decoder_layer_sizes, *hidden))  # ends in logits; decode() applies the sigmoid

    @property
    def latent_dim(self) -> int:
        return self.config.latent_dim

    @property
    def decoder_weight(self) -> torch.Tensor:
        """The last decoder layer's weight, (784, width): column j is the image unit j writes."""
        return self.decoder[-1].weight

    def decoder_weights(self) -> list[torch.Tensor]:
        """Every weight matrix of the decoder (biases excluded), from the code outwards."""
        return [layer.weight for layer in self.decoder if isinstance(layer, nn.Linear)]

    def code_preactivation(self, x: torch.Tensor) -> torch.Tensor:
        """The code before its activation: (N, 784) -> (N, d)."""
        return self.encoder[:-1](x.reshape(x.shape[0], INPUT_DIM))

    @property
    def code_layer(self) -> nn.Linear:
        """The Linear layer that produces the code h (before its activation)."""
        return self.encoder[-2]

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.reshape(x.shape[0], INPUT_DIM))  # (N, 784) -> (N, d)

    def decode_logits(self, h: torch.Tensor) -> torch.Tensor:
        return self.decoder(h)  # (N, d) -> (N, 784), before the sigmoid

    def decode(self, h: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.decode_logits(h))  # (N, d) -> (N, 784) in [0, 1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))
