"""The course's questions answered with numbers and figures, read from trained models and MNIST.

Functions take what they need (models keyed by (variant, d), image and label tensors) and return
rows (lists of dicts, one per table row) or a `matplotlib.figure.Figure`. Nothing here retrains
the zoo; `train_extra_model` trains the small models some questions need (the course's
single-layer model, the sparse trade-off), kept apart from weights/. `zoo.report` writes them out.
"""

from __future__ import annotations

import dataclasses
import io
import math

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from PIL import Image

from zoo import explore, metrics, workers
from zoo.config import TrainConfig
from zoo.engine import train
from zoo.model import IMAGE_SIZE, AutoEncoder, ModelConfig, parameter_count
from zoo.variants import get_variant

Models = dict[tuple[str, int], AutoEncoder]

# The key under which the report files the course's single-layer model (784 -> d -> 784, plain loss).
COURSE = "course"
DENOISING_AMPLITUDES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)
VARIANT_COLOURS = {COURSE: "tab:purple", "plain": "tab:blue", "denoising": "tab:orange", "sparse": "tab:green",
                   "PCA": "black", "noisy input": "grey"}


# ---------------------------------------------------------------------------------------------
# Helpers


@torch.no_grad()
def decode(model: AutoEncoder, h: torch.Tensor) -> torch.Tensor:
    """model.decode(h) in eval mode; the model's mode is kept (a live view calls this mid-training)."""
    was_training = model.training
    model.eval()
    out = model.decode(h)
    model.train(was_training)
    return out


def psnr(mse: float) -> float:
    """Peak signal-to-noise ratio in dB for pixels in [0, 1]: 10 log10(1 / MSE)."""
    return 10 * math.log10(1 / mse)


def one_per_class(labels: torch.Tensor, classes: int = 10) -> list[int]:
    """Index of the first image of each class, 0 to 9: the same digits in every figure."""
    return [int((labels == c).nonzero()[0]) for c in range(classes)]


def mosaic(images: torch.Tensor, pad: int = 2, fill: float = 1.0) -> np.ndarray:
    """(rows, cols, 28, 28) images -> one 2-D array with `pad` pixels of `fill` between them."""
    rows, cols = images.shape[:2]
    size = IMAGE_SIZE + pad
    out = np.full((rows * size - pad, cols * size - pad), fill, dtype=np.float32)
    for r in range(rows):
        for c in range(cols):
            top, left = r * size, c * size
            out[top:top + IMAGE_SIZE, left:left + IMAGE_SIZE] = images[r, c].reshape(IMAGE_SIZE, IMAGE_SIZE)
    return out


def _label_rows(ax, labels: list[str], pad: int = 2) -> None:
    ax.set_yticks([i * (IMAGE_SIZE + pad) + IMAGE_SIZE / 2 for i in range(len(labels))], labels)
    ax.set_xticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def model_label(variant: str, latent_dim: int) -> str:
    return f"{variant} d={latent_dim}"


# ---------------------------------------------------------------------------------------------
# Extra models


@dataclasses.dataclass(frozen=True)
class ExtraModel:
    """A small model outside the zoo, trained by the report: a variant with some hyperparameters changed."""

    variant: str
    latent_dim: int
    epochs: int
    seed: int = 0
    hyperparameters: tuple[tuple[str, object], ...] = ()  # (name, value) pairs, so that a job can key a dict

    def settings(self) -> dict:
        return dict(self.hyperparameters)


def train_extra_model(
    variant: str, latent_dim: int, train_x: torch.Tensor, test_x: torch.Tensor, *, epochs: int, seed: int = 0,
    progress: bool = False, **hyperparameters,
) -> AutoEncoder:
    """Train a small model outside the zoo (nothing is written): the variant with some hyperparameters changed.

    Always on the CPU: CUDA kernels round differently, and the committed report must come out the
    same wherever it is regenerated.
    """
    spec = get_variant(variant, **hyperparameters)
    model = spec.build(latent_dim, seed=seed)
    train(model, spec, train_x, test_x, TrainConfig(epochs=epochs, seed=seed), device="cpu", progress=progress,
          description=f"{variant} d={latent_dim} (extra)")
    return model


def train_extra_models(jobs: list[ExtraModel], train_x: torch.Tensor, test_x: torch.Tensor, *,
                       progress: bool = False) -> dict[ExtraModel, AutoEncoder]:
    """Train every job as `train_extra_model` does, side by side: one one-thread worker process per core.

    One thread each wherever it runs, so a machine with more cores gets the same models sooner
    (a matrix product rounds by how its sums are split between threads).
    """
    count, _ = workers.plan(len(jobs))
    data = (train_x.numpy(), test_x.numpy())  # copied to each worker by value: no shared memory needed
    results = workers.side_by_side(_train_in_worker, jobs, workers=count, threads=1, setup=_hold_data, setup_args=data,
                                   epochs=sum(job.epochs for job in jobs), progress=progress,
                                   description=f"{len(jobs)} extra models")
    return dict(results)


def _hold_data(train_x: np.ndarray, test_x: np.ndarray) -> dict:
    return {"train_x": torch.from_numpy(train_x), "test_x": torch.from_numpy(test_x)}


def _train_in_worker(job: ExtraModel) -> AutoEncoder:
    spec = get_variant(job.variant, **job.settings())
    model = spec.build(job.latent_dim, seed=job.seed)
    train(model, spec, workers.state["train_x"], workers.state["test_x"], TrainConfig(epochs=job.epochs, seed=job.seed),
          device="cpu", progress=False, on_epoch=workers.epoch_done)
    return model


# ---------------------------------------------------------------------------------------------
# 1. Which d reconstructs best


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
    ax.imshow(mosaic(torch.stack(rows).reshape(len(rows), len(x), -1)), cmap="gray_r", vmin=0, vmax=1)
    _label_rows(ax, ["test digit"] + [model_label(*k) for k in keys])
    return fig


# ---------------------------------------------------------------------------------------------
# 2. Decoder weights as 28x28 images


@torch.no_grad()
def unit_images(model: AutoEncoder, x: torch.Tensor) -> torch.Tensor:
    """What each code unit writes into the image: (d, 28, 28).

    A single-layer decoder (the course's model): column j of its weight matrix (784, d), the image
    unit j adds (in logits) per unit of h_j. With hidden layers there is no such matrix, so the
    decoded unit vector instead: decode(h0 + s_j e_j) - decode(h0), where h0 is the mean code of x
    and s_j the standard deviation of h_j over x: one typical step of unit j from the average code.
    """
    if len(model.config.decoder_layer_sizes) == 2:  # one Linear layer: d -> 784
        return model.decoder_weight.T.reshape(-1, IMAGE_SIZE, IMAGE_SIZE).clone()
    h = metrics.codes(model, x)
    base, step = h.mean(dim=0), h.std(dim=0)  # (d,), (d,)
    codes = base + torch.diag(step)  # (d, d): row j is the mean code moved along unit j
    images = decode(model, codes) - decode(model, base[None])  # (d, 784)
    images[step == 0] = 0  # a dead unit draws nothing (not the rounding noise between two matmuls)
    return images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE)


def unit_image_stats(images: torch.Tensor, class_means: torch.Tensor) -> dict:
    """How digit-like and how local the unit images are.

    digit_correlation: per unit, the largest Pearson correlation with a class's mean test image
    (a unit that draws a whole 3 correlates with the mean 3). area_80: per unit, the share of the
    784 pixels that carries 80% of the image's absolute weight (a stroke is local: a small share).
    A dead unit (an all-zero image) gets NaN for both.
    """
    u = images.reshape(len(images), -1).double()
    m = class_means.reshape(len(class_means), -1).double()
    u_centred = u - u.mean(dim=1, keepdim=True)
    m_centred = m - m.mean(dim=1, keepdim=True)
    corr = (u_centred @ m_centred.T) / (u_centred.norm(dim=1, keepdim=True) * m_centred.norm(dim=1))  # (d, 10)
    best, best_class = corr.max(dim=1)
    mass = u.abs().sort(dim=1, descending=True).values
    share = mass.cumsum(dim=1) / mass.sum(dim=1, keepdim=True)
    area_80 = ((share < 0.8).sum(dim=1) + 1).double() / u.shape[1]
    silent = mass[:, 0] == 0
    best[silent], area_80[silent] = float("nan"), float("nan")
    return {"digit_correlation": best.tolist(), "best_class": best_class.tolist(), "area_80": area_80.tolist()}


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
        shown = ax.imshow(mosaic(padded.reshape(rows, columns, IMAGE_SIZE, IMAGE_SIZE), fill=0.0),
                          cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_title(label)
        ax.axis("off")
    fig.colorbar(shown, ax=list(axes), shrink=0.7, label="ink added (each unit / its max |value|)")
    return fig


# ---------------------------------------------------------------------------------------------
# 3. Denoising against noise amplitude


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
    ax.imshow(mosaic(torch.stack(rows).reshape(len(amplitudes), columns, -1)), cmap="gray_r", vmin=0, vmax=1)
    _label_rows(ax, [f"noise {a:g}" for a in amplitudes])
    names = ["noisy"] + [k[0] for k in keys]
    ax.set_xticks([i * (IMAGE_SIZE + 2) + IMAGE_SIZE / 2 for i in range(columns)],
                  [names[i % len(names)] for i in range(columns)], rotation=90, fontsize=7)
    ax.set_title(f"Noisy inputs and reconstructions at d={latent_dim}")
    return fig


# ---------------------------------------------------------------------------------------------
# 4a. Why learn a representation h: a linear classifier on h against one on raw pixels


def labelled_subset(labels: torch.Tensor, per_class: int, seed: int = 0) -> torch.Tensor:
    """Indices of `per_class` images of each class, drawn with a seeded generator."""
    generator = torch.Generator().manual_seed(seed)
    picks = []
    for c in range(int(labels.max()) + 1):
        members = (labels == c).nonzero().flatten()
        picks.append(members[torch.randperm(len(members), generator=generator)[:per_class]])
    return torch.cat(picks).sort().values


def _fit_logistic(x: torch.Tensor, y: torch.Tensor, l2_weight: float,
                  max_iter: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Multinomial logistic regression by full-batch L-BFGS: cross-entropy + l2_weight/2 * ||W||^2."""
    weight = torch.zeros(x.shape[1], int(y.max()) + 1, dtype=x.dtype, requires_grad=True)
    bias = torch.zeros(weight.shape[1], dtype=x.dtype, requires_grad=True)
    optimizer = torch.optim.LBFGS([weight, bias], max_iter=max_iter, history_size=20, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(x @ weight + bias, y) + l2_weight / 2 * weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return weight.detach(), bias.detach()


def linear_probe(train_features: torch.Tensor, train_y: torch.Tensor, test_features: torch.Tensor,
                 test_y: torch.Tensor, *, l2_grid=(1e-4, 1e-3, 1e-2), max_iter: int = 40, seed: int = 0) -> dict:
    """Test accuracy of a linear classifier (softmax regression) on the given features.

    Features are standardised with the training set's statistics. The L2 weight is chosen from
    `l2_grid` on a seeded 20% validation split of the training set; the classifier is then
    refitted on the whole training set with it. All in float64: in float32, 40 L-BFGS iterations
    amplify rounding differently on another CPU (with AVX2 kernels instead of AVX-512, one printed
    accuracy moved by 0.1 point); in float64 the same features give the same accuracy.
    """
    train_features, test_features = train_features.double(), test_features.double()
    mean, std = train_features.mean(dim=0), train_features.std(dim=0) + 1e-3  # + 1e-3: constant pixels and dead units
    x, test = (train_features - mean) / std, (test_features - mean) / std
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    valid, fit = order[:len(x) // 5], order[len(x) // 5:]

    def accuracy(params, features, labels):
        weight, bias = params
        return ((features @ weight + bias).argmax(dim=1) == labels).float().mean().item()

    x_fit, y_fit = x[fit], train_y[fit]  # one copy for the whole grid
    scores = {l2: accuracy(_fit_logistic(x_fit, y_fit, l2, max_iter), x[valid], train_y[valid]) for l2 in l2_grid}
    chosen = max(l2_grid, key=lambda l2: (scores[l2], l2))  # ties: the stronger penalty
    return {"accuracy": accuracy(_fit_logistic(x, train_y, chosen, max_iter), test, test_y), "l2_weight": chosen}


def probe_table(models: Models, train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor,
                test_y: torch.Tensor, *, per_class: int = 100, seed: int = 0, max_iter: int = 40) -> list[dict]:
    """Accuracy of a linear classifier on raw pixels, on PCA codes and on each model's h.

    With all 60,000 training labels and with only `per_class` labels per class; the features of
    every model come from training without labels, so the few-label column is where h can help.
    """
    few = labelled_subset(train_y, per_class, seed)
    feature_sets = {"raw pixels": (train_x, test_x)}
    for d in sorted({d for _, d in models}):
        feature_sets[f"PCA d={d}"] = _pca_features(train_x, test_x, d)
    for (variant, d), model in sorted(models.items()):
        feature_sets[model_label(variant, d)] = (metrics.codes(model, train_x), metrics.codes(model, test_x))
    rows = []
    for name, (train_f, test_f) in feature_sets.items():
        full = linear_probe(train_f, train_y, test_f, test_y, max_iter=max_iter, seed=seed)
        part = linear_probe(train_f[few], train_y[few], test_f, test_y, max_iter=max_iter, seed=seed)
        rows.append({"features": name, "dim": train_f.shape[1], "accuracy_all": full["accuracy"],
                     "accuracy_few": part["accuracy"]})
    return rows


def _pca_features(train_x: torch.Tensor, test_x: torch.Tensor, latent_dim: int) -> tuple[torch.Tensor, torch.Tensor]:
    mean, basis = metrics.pca_basis(train_x, latent_dim)  # the PCA of the reconstruction table
    return ((train_x - mean) @ basis).float(), ((test_x - mean) @ basis).float()


def plot_codes_2d(model: AutoEncoder, label: str, x: torch.Tensor, y: torch.Tensor) -> Figure:
    """Two scatter plots coloured by digit: the top two principal components of the pixels, and of h."""
    fig = Figure(figsize=(10, 4.6), layout="constrained")
    axes = fig.subplots(1, 2)
    h = metrics.codes(model, x)
    views = [("raw pixels (784 numbers)", x), (f"h of {label} ({model.latent_dim} numbers)", h)]
    for ax, (title, features) in zip(axes, views):
        centred = features - features.mean(dim=0)
        _, _, v = torch.linalg.svd(centred, full_matrices=False)
        xy = (centred @ v[:2].T).numpy()
        shown = ax.scatter(xy[:, 0], xy[:, 1], c=y.numpy(), cmap="tab10", s=2, vmin=-0.5, vmax=9.5, rasterized=True)
        ax.set(xticks=[], yticks=[])
        ax.set_title(f"{title}:\ntop 2 principal components", fontsize=10)
    fig.colorbar(shown, ax=list(axes), ticks=range(10), label="digit")
    return fig


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


def plot_interpolation(rows: list[dict]) -> Figure:
    """One strip per row of `interpolation_rows`, the pixel blend on top."""
    steps = len(rows[0]["images"])
    fig = Figure(figsize=(steps * 0.55 + 1.8, len(rows) * 0.55 + 0.3), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(mosaic(torch.stack([r["images"] for r in rows])), cmap="gray_r", vmin=0, vmax=1)
    _label_rows(ax, [r["label"] for r in rows])
    return fig


# ---------------------------------------------------------------------------------------------
# 4b. The number of parameters as a function of d


def parameter_formula(config: ModelConfig) -> tuple[int, int]:
    """(slope, intercept) with parameter_count = slope * d + intercept for this architecture.

    The count is linear in d (d appears in two Linear layers' sizes only), so two values of d fix it.
    """
    at = {d: parameter_count(dataclasses.replace(config, latent_dim=d)) for d in (1, 2)}
    return at[2] - at[1], at[1] - (at[2] - at[1])


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


# ---------------------------------------------------------------------------------------------
# 4c. The size of h relative to the image


def quantise_uint8(h: torch.Tensor, low: torch.Tensor, high: torch.Tensor) -> torch.Tensor:
    """Round each unit to one of 256 levels spanning [low_j, high_j]; returns the dequantised codes.

    low and high come from the training set's codes. A unit whose low is 0 keeps 0 exactly,
    so a sparse code stays sparse.
    """
    span = (high - low).clamp_min(1e-12)
    levels = torch.round((h.clamp(low, high) - low) / span * 255)
    return low + levels / 255 * span


def png_bytes(images: torch.Tensor) -> list[int]:
    """Size in bytes of each 28x28 image saved as an 8-bit greyscale PNG (PIL, optimize=True)."""
    sizes = []
    for image in (images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE) * 255).round().to(torch.uint8).numpy():
        buffer = io.BytesIO()
        Image.fromarray(image, mode="L").save(buffer, format="PNG", optimize=True)
        sizes.append(buffer.tell())
    return sizes


@torch.no_grad()
def code_size_table(models: Models, train_x: torch.Tensor, test_x: torch.Tensor) -> list[dict]:
    """Bytes of h per image at 4, 2 and 1 byte per entry, each with the test MSE after the round trip."""
    rows = []
    for (variant, d), model in sorted(models.items()):
        train_h, h = metrics.codes(model, train_x), metrics.codes(model, test_x)

        def mse_from(codes):
            return torch.mean((decode(model, codes) - test_x) ** 2).item()

        low, high = train_h.min(dim=0).values, train_h.max(dim=0).values
        active = metrics.code_sparsity(model, test_x)["active_units_per_image"]
        rows.append({"variant": variant, "d": d, "float32_bytes": 4 * d, "float16_bytes": 2 * d, "uint8_bytes": d,
                     "mse_float32": mse_from(h), "mse_float16": mse_from(h.half().float()),
                     "mse_uint8": mse_from(quantise_uint8(h, low, high)),
                     "active_per_image": active})
    return rows


# ---------------------------------------------------------------------------------------------
# 5. The sparse autoencoder


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


def scaled_sparse_schedule(epochs: int) -> dict[str, float]:
    """The shipped sparse variant's L1 ramp and revival window, scaled from its epochs to `epochs`."""
    shipped = get_variant("sparse")
    scale = epochs / shipped.default_train_config.epochs
    return {"l1_warmup_epochs": shipped.l1_warmup_epochs * scale,
            "revive_until_epoch": int(shipped.revive_until_epoch * scale)}


def tradeoff_jobs(l1_weights, *, latent_dim: int, epochs: int, seed: int = 0, **hyperparameters) -> list[ExtraModel]:
    """Small sparse models, one per l1_weight, on the shipped schedule scaled to `epochs`.

    `hyperparameters` change the sparse variant's other defaults (hidden_dims=() is the course's model).
    """
    schedule = scaled_sparse_schedule(epochs)
    return [ExtraModel("sparse", latent_dim, epochs, seed,
                       tuple(sorted({"l1_weight": l1, **schedule, **hyperparameters}.items()))) for l1 in l1_weights]


def tradeoff_rows(trained: dict[ExtraModel, AutoEncoder], jobs: list[ExtraModel], test_x: torch.Tensor) -> list[dict]:
    """Test MSE and code sparsity of each trade-off job's trained model, in the jobs' order."""
    return [{"l1_weight": job.settings()["l1_weight"], "mse": metrics.reconstruction_mse(trained[job], test_x),
             **metrics.code_sparsity(trained[job], test_x)} for job in jobs]


def sparse_tradeoff(train_x: torch.Tensor, test_x: torch.Tensor, l1_weights, *, latent_dim: int, epochs: int,
                    seed: int = 0, progress: bool = False, **hyperparameters) -> list[dict]:
    """The trade-off's models (`tradeoff_jobs`) trained side by side: MSE and sparsity per l1_weight."""
    jobs = tradeoff_jobs(l1_weights, latent_dim=latent_dim, epochs=epochs, seed=seed, **hyperparameters)
    return tradeoff_rows(train_extra_models(jobs, train_x, test_x, progress=progress), jobs, test_x)


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
