"""What the shipped zoo is and what it promises: its models and the quality each must reach (`goals`).

`python train_all.py` trains every variant at its latent sizes (`models()`); tests/test_store_shipped.py checks the
goals on real MNIST, benchmarks/recipe_margins.py how much room each has over seeds and precisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from zoo.model import INPUT_DIM
from zoo.training.metrics import NOISY_AMPLITUDE, noise_key
from zoo.variants import get_variant, variant_names

LATENT_DIMS = (16, 32, 64)  # d, the code sizes the zoo ships (a variant may name its own: Variant.latent_dims)

# Test MSE per pixel on the 10,000 MNIST test images, at most, by d.
PLAIN_MAX_MSE = {16: 0.0195, 32: 0.0085, 64: 0.0030}
SPARSE_MAX_MSE = {16: 0.030, 32: 0.016, 64: 0.010}
# Share of the sparse code's entries exactly zero on the test images, at least, by d.
SPARSE_MIN_ZEROS = {16: 0.50, 32: 0.60, 64: 0.70}
SPARSE_MAX_DEAD_SHARE = 0.10  # units never active on the test set, as a share of d
# The paper-sized deep model (zoo.variants.deep): squared error per test image (the sum over its 784 pixels),
# at most, by d: issue 34's goal, below every published test figure for these sizes we know of (zoo.lab.literature
# cites Hinton & Salakhutdinov's 3.00; Martens 2010 is recalled at about 2.46, unchecked).
DEEP_MAX_ERROR_PER_IMAGE = {30: 2.40}
# The denoising model against plain at the same d: at noise amplitude metrics.NOISY_AMPLITUDE, at most this share
# of plain's error; on clean images, at most this multiple of plain's error.
NOISY_KEY = noise_key(NOISY_AMPLITUDE)
DENOISING_MAX_SHARE_OF_PLAIN_NOISY = 0.5
DENOISING_MAX_TIMES_PLAIN_CLEAN = 1.5
# Every model beats PCA with the same d on test MSE.


def latent_dims(variant: str) -> tuple[int, ...]:
    """The d's the zoo ships `variant` at: its own, or LATENT_DIMS."""
    return get_variant(variant).latent_dims or LATENT_DIMS


def on_grid(variant: str) -> bool:
    """Whether `variant` ships at LATENT_DIMS, the grid the lab compares d across (deep does not: d=30 only)."""
    return latent_dims(variant) == LATENT_DIMS


def models() -> list[tuple[str, int]]:
    """(variant, d) of every model the zoo ships, sorted: each registered variant at its latent_dims."""
    return sorted((name, d) for name in variant_names() for d in latent_dims(name))


# Room a recipe must leave on every goal, so that another CPU, seed or precision still meets it: an upper
# bound met at ROOM x bound, a lower bound at bound / ROOM (benchmarks/recipe_margins.py measures it).
ROOM = 0.97


@dataclass(frozen=True)
class Goal:
    """One promise of the shipped zoo about one model, measured: `value` against `bound`."""

    name: str  # "mse", "error per image", "zeros", "dead units", "noisy vs plain", "clean vs plain", "beats PCA"
    variant: str
    latent_dim: int
    value: float
    bound: float
    upper: bool  # True: value <= bound (strictly < for "beats PCA"); False: value >= bound

    @property
    def met(self) -> bool:
        if self.name == "beats PCA":
            return self.value < self.bound
        return self.value <= self.bound if self.upper else self.value >= self.bound

    @property
    def margin(self) -> float:
        """Share of the bound to spare (negative: missed by that share); ROOM asks for 1 - ROOM of it."""
        if self.bound == 0:  # "no dead unit": no share to speak of
            return 0.0 if self.met else -1.0
        return 1 - self.value / self.bound if self.upper else 1 - self.bound / self.value

    @property
    def has_room(self) -> bool:
        """Met with ROOM to spare; a dead unit is never room (the goal allows a few, the README promises none)."""
        if self.name == "dead units":
            return self.value == 0
        return self.margin >= 1 - ROOM


def goals(measured: dict[tuple[str, int], dict], pca: dict[int, float]) -> list[Goal]:
    """Every goal of the zoo for the models in `measured` ({(variant, d): metrics as on a card}), PCA's MSE by d."""
    out = []
    for (variant, d), m in sorted(measured.items()):
        if variant == "plain":
            out.append(Goal("mse", variant, d, m["test_mse"], PLAIN_MAX_MSE[d], upper=True))
        if variant == "deep":
            out.append(Goal("error per image", variant, d, m["test_mse"] * INPUT_DIM, DEEP_MAX_ERROR_PER_IMAGE[d],
                            upper=True))
        if variant == "sparse":
            out += [Goal("mse", variant, d, m["test_mse"], SPARSE_MAX_MSE[d], upper=True),
                    Goal("zeros", variant, d, m["zero_fraction"], SPARSE_MIN_ZEROS[d], upper=False),
                    Goal("dead units", variant, d, m["dead_units"], int(SPARSE_MAX_DEAD_SHARE * d), upper=True)]
        if variant == "denoising" and ("plain", d) in measured:
            plain = measured["plain", d]
            out += [Goal("noisy vs plain", variant, d, m["noisy_test_mse"][NOISY_KEY] / plain["noisy_test_mse"][NOISY_KEY],
                         DENOISING_MAX_SHARE_OF_PLAIN_NOISY, upper=True),
                    Goal("clean vs plain", variant, d, m["test_mse"] / plain["test_mse"],
                         DENOISING_MAX_TIMES_PLAIN_CLEAN, upper=True)]
        if d in pca:
            out.append(Goal("beats PCA", variant, d, m["test_mse"], pca[d], upper=True))
    return out
