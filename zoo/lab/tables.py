"""The course's questions as rows of numbers (one dict per table row), computed from trained models and MNIST."""

from __future__ import annotations

import torch

from zoo.analysis import explore
from zoo.lab.measures import parameter_formula, psnr, quantise_uint8
from zoo.model import AutoEncoder
from zoo.registry import model_label
from zoo.training import metrics

Models = dict[tuple[str, int], AutoEncoder]
DENOISING_AMPLITUDES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)  # the report's noise curves; 0.5 is the goal's (zoo.store.shipped)


def reconstruction_table(models: Models, train_x: torch.Tensor, test_x: torch.Tensor,
                         pca: dict[int, float] | None = None) -> list[dict]:
    """Test MSE and PSNR of every model, with PCA at the same d fitted on train_x, and h's non-zero entries.

    `pca` maps d to PCA's test MSE where the caller has it already (it takes seconds per d).
    """
    pca = pca or metrics.pca_mses(train_x, test_x, sorted({d for _, d in models}))
    rows = []
    for (variant, d), model in sorted(models.items()):
        mse = metrics.reconstruction_mse(model, test_x)
        active = metrics.code_sparsity(model, test_x)["active_units_per_image"]
        rows.append({"variant": variant, "d": d, "mse": mse, "psnr": psnr(mse), "pca_mse": pca[d],
                     "pca_psnr": psnr(pca[d]), "active_per_image": active})
    return rows


def best_latent_dim(rows: list[dict]) -> dict[str, dict]:
    """Per variant: the d with the lowest MSE, and how many times lower it is than at each other d."""
    best = {}
    for variant in sorted({r["variant"] for r in rows}):
        mine = {r["d"]: r["mse"] for r in rows if r["variant"] == variant}
        d = min(mine, key=mine.get)
        best[variant] = {"d": d, "mse": mine[d], "times_lower": {k: v / mine[d] for k, v in mine.items() if k != d}}
    return best


def denoising_curves(models: Models, test_x: torch.Tensor, amplitudes=DENOISING_AMPLITUDES,
                     seed: int = 0) -> list[dict]:
    """MSE against the clean images of each model's reconstruction of noisy images, and of the noisy images."""
    rows = []
    for a in amplitudes:
        noisy_mse = torch.mean((metrics.noisy_copy(test_x, a, seed) - test_x) ** 2).item()
        rows.append({"variant": "noisy input", "d": None, "amplitude": a, "mse": noisy_mse})
        for (variant, d), model in sorted(models.items()):
            rows.append({"variant": variant, "d": d, "amplitude": a, "mse": metrics.noisy_mse(model, test_x, a, seed)})
    return rows


def parameter_table(models: Models) -> list[dict]:
    """For every model: the formula in d, its value, and the count of the model's actual tensors."""
    rows = []
    for (variant, d), model in sorted(models.items()):
        slope, intercept = parameter_formula(model.config)
        layers = model.config.layer_sizes + model.config.decoder_layer_sizes[1:]
        rows.append({"variant": variant, "d": d, "layers": layers,
                     "slope": slope, "intercept": intercept, "formula": slope * d + intercept,
                     "measured": sum(p.numel() for p in model.parameters())})
    return rows


@torch.no_grad()
def code_size_table(models: Models, train_x: torch.Tensor, test_x: torch.Tensor) -> list[dict]:
    """Bytes of h per image at 4, 2 and 1 byte per entry, each with the test MSE after the round trip."""
    rows = []
    for (variant, d), model in sorted(models.items()):
        train_h, h = metrics.codes(model, train_x), metrics.codes(model, test_x)

        def mse_from(codes):
            return torch.mean((metrics.decode(model, codes) - test_x) ** 2).item()

        low, high = train_h.min(dim=0).values, train_h.max(dim=0).values
        active = metrics.code_sparsity(model, test_x)["active_units_per_image"]
        rows.append({"variant": variant, "d": d, "float32_bytes": 4 * d, "float16_bytes": 2 * d, "uint8_bytes": d,
                     "mse_float32": mse_from(h), "mse_float16": mse_from(h.half().float()),
                     "mse_uint8": mse_from(quantise_uint8(h, low, high)),
                     "active_per_image": active})
    return rows


def interpolation_rows(models: Models, x_a: torch.Tensor, x_b: torch.Tensor, test_x: torch.Tensor,
                       steps: int = 9) -> list[dict]:
    """The walk from image x_a to x_b in pixel space (a blend) and along each model's codes (`explore.walk`).

    Each row: label, images (steps, 784), and `midway`: how far the middle image lies from the
    nearest test digit other than x_a and x_b (root mean squared pixel difference): small where
    the walk passes through something that looks like a real digit.
    """
    paths = [("pixels (a blend)", explore.blend(x_a, x_b, steps))]
    paths += [(model_label(*k), explore.walk(models[k], x_a, x_b, steps)) for k in sorted(models)]
    others = test_x[~((test_x == x_a.reshape(1, -1)).all(dim=1) | (test_x == x_b.reshape(1, -1)).all(dim=1))]
    rows = []
    for label, images in paths:
        middle = images[steps // 2]
        rows.append({"label": label, "images": images,
                     "midway": torch.sqrt(((others - middle) ** 2).mean(dim=1).min()).item()})
    return rows
