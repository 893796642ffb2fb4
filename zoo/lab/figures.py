"""The lab's figures: each function takes rows or models and returns a matplotlib Figure (nothing is saved here)."""

from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure
from torchvision.utils import make_grid

from zoo.lab.experiments import COURSE
from zoo.lab.tables import DENOISING_AMPLITUDES
from zoo.model import IMAGE_SIZE, INPUT_DIM, AutoEncoder
from zoo.registry import model_label
from zoo.training import metrics
from zoo.variants import get_variant

Models = dict[tuple[str, int], AutoEncoder]
VARIANT_COLOURS = {COURSE: "tab:purple", "plain": "tab:blue", "denoising": "tab:orange", "sparse": "tab:green",
                   "PCA": "black", "noisy input": "grey"}


def grid(images: torch.Tensor, pad: int = 2, fill: float = 1.0) -> np.ndarray:
    """(rows, cols, 784) or (rows, cols, 28, 28) images -> one 2-D array, `pad` pixels of `fill` between them."""
    rows, cols = images.shape[:2]
    tiles = images.reshape(rows * cols, 1, IMAGE_SIZE, IMAGE_SIZE).float()
    out = make_grid(tiles, nrow=cols, padding=pad, pad_value=fill)[0]  # (1 channel made 3; one taken)
    return out[pad:-pad, pad:-pad].numpy()  # make_grid pads the outside too; the figures' axes start at a digit


def _label_rows(ax, labels: list[str], pad: int = 2) -> None:
    ax.set_yticks([i * (IMAGE_SIZE + pad) + IMAGE_SIZE / 2 for i in range(len(labels))], labels)
    ax.set_xticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def plot_mse_vs_d(rows: list[dict]) -> Figure:
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.add_subplot()
    dims = sorted({r["d"] for r in rows})
    for variant in sorted({r["variant"] for r in rows}):
        mine = sorted((r["d"], r["mse"]) for r in rows if r["variant"] == variant)
        ax.plot(*zip(*mine), "o-", label=variant, color=VARIANT_COLOURS.get(variant))
    pca = sorted({(r["d"], r["pca_mse"]) for r in rows})
    ax.plot(*zip(*pca), "s--", label="PCA", color=VARIANT_COLOURS["PCA"])
    ax.set(xscale="log", yscale="log", xlabel="d (size of the code h)", ylabel="test MSE per pixel",
           title="Reconstruction error against d (10,000 MNIST test digits)")
    ax.set_xticks(dims, [str(d) for d in dims])
    ax.minorticks_off()
    ax.grid(True, alpha=0.3)
    ax.legend()
    return fig


def reconstruction_grid(models: Models, x: torch.Tensor) -> Figure:
    """Row 1: the images x; then one row per model with its reconstructions."""
    keys = sorted(models)
    rows = [x] + [metrics.reconstruct(models[k], x) for k in keys]
    fig = Figure(figsize=(len(x) * 0.55 + 1.6, len(rows) * 0.55 + 0.3), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(grid(torch.stack(rows).reshape(len(rows), len(x), -1)), cmap="gray_r", vmin=0, vmax=1)
    _label_rows(ax, ["test digit"] + [model_label(*k) for k in keys])
    return fig


def plot_unit_images(images_by_model: dict[str, torch.Tensor], columns: int = 8) -> Figure:
    """One panel per model: its unit images, each scaled to its own largest |value|, red adds ink."""
    fig = Figure(figsize=(3.3 * len(images_by_model), 3.8), layout="constrained")
    axes = fig.subplots(1, len(images_by_model), squeeze=False)[0]
    for ax, (label, images) in zip(axes, images_by_model.items()):
        scale = images.reshape(len(images), -1).abs().amax(dim=1).clamp_min(1e-12)
        scaled = images / scale[:, None, None]
        rows = -(-len(images) // columns)
        padded = torch.zeros(rows * columns, IMAGE_SIZE, IMAGE_SIZE)
        padded[:len(images)] = scaled
        shown = ax.imshow(grid(padded.reshape(rows, columns, IMAGE_SIZE, IMAGE_SIZE), fill=0.0),
                          cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_title(label)
        ax.axis("off")
    fig.colorbar(shown, ax=list(axes), shrink=0.7, label="ink added (each unit / its max |value|)")
    return fig


def plot_denoising_curves(rows: list[dict]) -> Figure:
    dims = sorted({r["d"] for r in rows if r["d"] is not None})
    fig = Figure(figsize=(4 * len(dims), 3.8), layout="constrained")
    axes = fig.subplots(1, len(dims), sharey=True, squeeze=False)[0]
    # The noisy input's error at amplitude 0 is 0, which a log axis cannot show.
    noisy = sorted((r["amplitude"], r["mse"]) for r in rows if r["variant"] == "noisy input" and r["mse"] > 0)
    for ax, d in zip(axes, dims):
        ax.plot(*zip(*noisy), "--", color=VARIANT_COLOURS["noisy input"], label="noisy input itself")
        for variant in sorted({r["variant"] for r in rows if r["d"] == d}):
            curve = sorted((r["amplitude"], r["mse"]) for r in rows if r["variant"] == variant and r["d"] == d)
            ax.plot(*zip(*curve), "o-", ms=3, color=VARIANT_COLOURS.get(variant), label=variant)
        ax.set(yscale="log", xlabel="noise amplitude", title=f"d={d}")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("MSE against the clean image")
    axes[0].legend()
    return fig


def denoising_grid(models: Models, x: torch.Tensor, latent_dim: int, amplitudes=DENOISING_AMPLITUDES,
                   seed: int = 0) -> Figure:
    """Rows: amplitudes; for each image: the noisy input, then each model at d = latent_dim."""
    keys = sorted(k for k in models if k[1] == latent_dim)
    rows = []
    for a in amplitudes:
        noisy = metrics.noisy_copy(x, a, seed)
        per_image = [noisy] + [metrics.reconstruct(models[k], noisy) for k in keys]  # each (n, 784)
        rows.append(torch.stack(per_image, dim=1).reshape(-1, IMAGE_SIZE * IMAGE_SIZE))  # image by image
    columns = len(x) * (1 + len(keys))
    fig = Figure(figsize=(columns * 0.5 + 1.2, len(amplitudes) * 0.5 + 0.9), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(grid(torch.stack(rows).reshape(len(amplitudes), columns, -1)), cmap="gray_r", vmin=0, vmax=1)
    _label_rows(ax, [f"noise {a:g}" for a in amplitudes])
    names = ["noisy"] + [k[0] for k in keys]
    ax.set_xticks([i * (IMAGE_SIZE + 2) + IMAGE_SIZE / 2 for i in range(columns)],
                  [names[i % len(names)] for i in range(columns)], rotation=90, fontsize=7)
    ax.set_title(f"Noisy inputs and reconstructions at d={latent_dim}")
    return fig


def plot_codes_2d(model: AutoEncoder, label: str, x: torch.Tensor, y: torch.Tensor) -> Figure:
    """Two scatter plots coloured by digit: the top two principal components of the pixels, and of h."""
    fig = Figure(figsize=(10, 4.6), layout="constrained")
    axes = fig.subplots(1, 2)
    h = metrics.codes(model, x)
    views = [(f"raw pixels ({INPUT_DIM} numbers)", x), (f"h of {label} ({model.latent_dim} numbers)", h)]
    for ax, (title, features) in zip(axes, views):
        mean, basis = metrics.pca_basis(features, 2)  # (784,) or (d,); columns by ascending variance
        xy = ((features.double() - mean) @ basis.flip(1)).numpy()  # x: the first component, y: the second
        shown = ax.scatter(xy[:, 0], xy[:, 1], c=y.numpy(), cmap="tab10", s=2, vmin=-0.5, vmax=9.5, rasterized=True)
        ax.set(xticks=[], yticks=[])
        ax.set_title(f"{title}:\ntop 2 principal components", fontsize=10)
    fig.colorbar(shown, ax=list(axes), ticks=range(10), label="digit")
    return fig


def plot_interpolation(rows: list[dict]) -> Figure:
    """One strip per row of `interpolation_rows`, the pixel blend on top."""
    steps = len(rows[0]["images"])
    fig = Figure(figsize=(steps * 0.55 + 1.8, len(rows) * 0.55 + 0.3), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(grid(torch.stack([r["images"] for r in rows])), cmap="gray_r", vmin=0, vmax=1)
    _label_rows(ax, [r["label"] for r in rows])
    return fig


def plot_l1_schedule(cards: list[dict]) -> Figure:
    """The L1 weight over training (left axis) and each sparse model's test MSE after each epoch (right)."""
    fig = Figure(figsize=(6.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    spec = get_variant("sparse", **cards[0]["variant_config"])
    epochs = cards[0]["epochs"]
    t = np.linspace(0, epochs, 300)
    ax.plot(t, [spec.l1_weight_at(e) for e in t], color="black", label="l1_weight (left)")
    ax.set(xlabel="epoch", ylabel="l1_weight", title="The L1 schedule and test MSE during training")
    right = ax.twinx()
    for card in cards:
        history = card["history"]
        right.plot([r["epoch"] for r in history], [r["test_mse"] for r in history], "o-", ms=2,
                   label=f"test MSE, d={card['latent_dim']} (right)")
    right.set(yscale="log", ylabel="test MSE")
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="center right", fontsize=8)
    return fig


def plot_tradeoff(rows: list[dict], shipped: list[dict], label: str) -> Figure:
    """Test MSE against the fraction of zero code entries: the extra models and the shipped sparse ones."""
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([100 * r["zero_fraction"] for r in rows], [r["mse"] for r in rows], "o-", color="tab:green",
            label=label)
    for r in rows:
        ax.annotate(f"{r['l1_weight']:g}", (100 * r["zero_fraction"], r["mse"]), textcoords="offset points",
                    xytext=(4, 4), fontsize=7)
    for r in shipped:
        ax.plot(100 * r["zero_fraction"], r["mse"], "*", ms=11,
                label=f"shipped sparse d={r['d']} (hidden layers, {r['epochs']} epochs)")
    ax.set(yscale="log", xlabel="code entries exactly zero on the test set (%)", ylabel="test MSE",
           title="Sparsity against reconstruction error")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def plot_maps(panels: list[tuple[str, np.ndarray]], labels: np.ndarray) -> Figure:
    """The test codes' t-SNE maps side by side, (title, points (N, 2)) each, coloured by digit."""
    fig = Figure(figsize=(3.3 * len(panels) + 0.8, 3.6), layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (title, points) in zip(axes, panels):
        shown = ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="tab10", s=1, vmin=-0.5, vmax=9.5, rasterized=True)
        ax.set(xticks=[], yticks=[])
        ax.set_title(title, fontsize=9)
    fig.colorbar(shown, ax=list(axes), ticks=range(10), label="digit")
    return fig
