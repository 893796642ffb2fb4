"""The report's settings: what it trains, how many seeds, how it draws; `quick_config` for a smoke run."""

from __future__ import annotations

from dataclasses import dataclass

COMMAND = "python -m zoo.report"
DIGIT_LIKE = 0.5  # a unit image whose correlation with some class's mean image reaches this "looks like a digit"


@dataclass(frozen=True)
class ReportConfig:
    seed: int = 0  # probe splits and noise
    # The extra models are trained once per seed: one seed's numbers move on another CPU, the mean over
    # seeds moves within its spread.
    seeds: tuple[int, ...] = (0, 1, 2)
    course_epochs: int = 10  # the course's single-layer models (784 -> d -> 784), one per d and seed
    tradeoff_latent_dim: int = 32
    # The trade-off's sparse models have the course's shape (784 -> d -> 784): far cheaper to train than
    # with the zoo's hidden layers, so it can afford three seeds.
    tradeoff_hidden_dims: tuple[int, ...] = ()
    tradeoff_epochs: int = 8  # per extra sparse model; the shipped schedule is scaled to this length
    tradeoff_l1_weights: tuple[float, ...] = (0.0, 1e-3, 2.4e-3, 5e-3, 1e-2, 2e-2)  # around the shipped l1_weight
    probe_labels_per_class: int = 100
    probe_max_iter: int = 40  # L-BFGS iterations per linear classifier
    train_images: int | None = None  # use the first N training images for extra models and probes (None: all)
    grid_latent_dim: int = 32  # the d shown in the denoising picture grid and the interpolation
    interpolation_steps: int = 9
    walk_digits: tuple[int, int] = (3, 8)  # the walk goes from the first test digit of one class to the other's
    figure_dpi: int = 100
    progress: bool = True  # progress lines and bars on stderr


def quick_config(**overrides) -> ReportConfig:
    """A report in seconds, for tests and a smoke run: tiny extra models and probes on 6,000 images."""
    settings = dict(seeds=(0, 1), course_epochs=1, tradeoff_epochs=1, tradeoff_l1_weights=(0.0, 2e-2), probe_max_iter=5,
                    train_images=6000, progress=False)
    return ReportConfig(**{**settings, **overrides})



# Row fields that are settings, the same for every seed, rather than measurements (zoo.lab.seeds.over_seeds).
SETTINGS = ("variant", "d", "units", "l1_weight", "pca_mse", "pca_psnr")
