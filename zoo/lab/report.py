"""`python -m zoo.report` writes docs/REPORT.md and docs/figures/: the course's questions answered from the zoo.

Everything is computed from the trained models in weights/ (never retrained) and real MNIST;
the few small extra models a question needs (the course's single-layer model, the sparse
trade-off) are trained here, once per seed, and kept apart from weights/. A number that comes from
them is written "mean ± sd" over the seeds (`zoo.seeds`); every other number is exact, the same on
every run and machine. Files are written atomically.
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from matplotlib.figure import Figure

from zoo import atomic, explore, maps, metrics, paths, registry, shipped, units
from zoo.data import DATA_SHA256, LABEL_COUNTS, load_mnist
from zoo.lab import experiments, figures, measures, probes, tables
from zoo.lab.experiments import COURSE
from zoo.model import IMAGE_SIZE, INPUT_DIM, ModelConfig
from zoo.registry import model_label
from zoo.seeds import differences, over_seeds
from zoo.lab.literature import HINTON_2006, PUBLISHED
from zoo.shipped import DENOISING_AT

COMMAND = "python -m zoo.report"
DIGIT_LIKE = 0.5  # a unit image whose correlation with some class's mean image reaches this "looks like a digit"


@dataclass(frozen=True)
class ReportConfig:
    seed: int = 0  # probe splits and noise
    # The extra models are trained once per seed: one seed's numbers move on another CPU (a trade-off
    # model had 0 dead units here and 7 on a Xeon), the mean over seeds moves within its spread.
    seeds: tuple[int, ...] = (0, 1, 2)
    course_epochs: int = 10  # the course's single-layer models (784 -> d -> 784), one per d and seed
    tradeoff_latent_dim: int = 32
    # The trade-off's sparse models have the course's shape (784 -> d -> 784): 4x faster to train than
    # with the zoo's hidden layers, so three seeds cost less than one seed did with them.
    tradeoff_hidden_dims: tuple[int, ...] = ()
    tradeoff_epochs: int = 8  # per extra sparse model; the shipped schedule is scaled to this length
    tradeoff_l1_weights: tuple[float, ...] = (0.0, 1e-3, 2.4e-3, 5e-3, 1e-2, 2e-2)  # 2.4e-3 is the shipped weight
    probe_labels_per_class: int = 100
    probe_max_iter: int = 40  # L-BFGS iterations per linear classifier
    train_images: int | None = None  # use the first N training images for extra models and probes (None: all)
    grid_latent_dim: int = 32  # the d shown in the denoising picture grid and the interpolation
    interpolation_steps: int = 9
    figure_dpi: int = 100
    progress: bool = True  # progress lines and bars on stderr


def quick_config(**overrides) -> ReportConfig:
    """A report in seconds, for tests and a smoke run: tiny extra models and probes on 6,000 images."""
    settings = dict(seeds=(0, 1), course_epochs=1, tradeoff_epochs=1, tradeoff_l1_weights=(0.0, 2e-2), probe_max_iter=5,
                    train_images=6000, progress=False)
    return ReportConfig(**{**settings, **overrides})


# ---------------------------------------------------------------------------------------------
# Formatting


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _mse(value: float) -> str:
    return f"{value:.5f}"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _times(value: float) -> str:
    return f"{value:.2f}x"


def _exponent(value: float) -> str:
    """1e-4, not 0.0001 or 1e-04."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _course_config() -> ModelConfig:
    """The course's model: one Linear layer each side (its d does not matter where this is used)."""
    return ModelConfig(hidden_dims=())


def _layers(config: ModelConfig) -> str:
    """The layer widths with the code as d: "784 -> 256 -> d -> 256 -> 784"."""
    widths = [*config.layer_sizes[:-1], "d", *config.decoder_layer_sizes[1:]]
    return " -> ".join(map(str, widths))


def _formula(config: ModelConfig) -> str:
    slope, intercept = measures.parameter_formula(config)
    return f"{slope}·d + {intercept:,}"


# Row fields that are settings, the same for every seed, rather than measurements (zoo.seeds.over_seeds).
SETTINGS = ("variant", "d", "units", "l1_weight", "pca_mse", "pca_psnr")


def _over(config: ReportConfig) -> str:
    """How a number from the extra models is written, for the prose."""
    return f"(once per seed {', '.join(map(str, config.seeds))}: mean ± standard deviation over the {len(config.seeds)} seeds)"


def _source(*functions) -> str:
    """The line under a section's title: the command, and the functions that computed the section."""
    names = ", ".join(f"`{f.__module__}.{f.__qualname__}`" for f in functions)
    return f"*Command: `{COMMAND}` ({names}).*"


class _Writer:
    """Collects the markdown and saves figures beside it, atomically."""

    def __init__(self, out_dir: Path, config: ReportConfig):
        self.out_dir, self.config = out_dir, config
        self.parts: list[str] = []
        self.figures: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text.strip("\n"))

    def figure(self, fig: Figure, name: str, alt: str) -> None:
        buffer = io.BytesIO()
        # No Software/date metadata: the same figure gives the same bytes.
        fig.savefig(buffer, format="png", dpi=self.config.figure_dpi, bbox_inches="tight", metadata={"Software": None})
        atomic.write_bytes(self.out_dir / "figures" / name, buffer.getvalue())
        self.figures.append(name)
        self.add(f"![{alt}](figures/{name})")

    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def _step(config: ReportConfig, message: str, start: float) -> None:
    if config.progress:
        print(f"[report] {time.perf_counter() - start:5.0f} s  {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The sections


def _section_best_d(w: _Writer, zoo, extra_by_seed, train_x, test_x, test_y) -> None:
    dims = sorted({d for _, d in zoo} | {d for extra in extra_by_seed for _, d in extra})
    pca = metrics.pca_mses(train_x, test_x, dims)
    zoo_rows = tables.reconstruction_table(zoo, train_x, test_x, pca=pca)
    extra_rows = [tables.reconstruction_table(extra, train_x, test_x, pca=pca) for extra in extra_by_seed]
    rows = sorted(zoo_rows + over_seeds(extra_rows, fixed=SETTINGS), key=lambda r: (r["variant"], r["d"]))
    w.add("## 1. Which d reconstructs best")
    w.add(_source(tables.reconstruction_table, tables.best_latent_dim) + "\n\n"
          f"Test MSE per pixel on the {len(test_x):,} MNIST test images (pixels in [0, 1]); PSNR = 10 log10(1 / MSE) of "
          f"that mean. PCA keeps the top d principal components of the {len(train_x):,} training images. "
          f"`{COURSE}` is the course's model, one Linear layer each side ({_layers(_course_config())}), trained here "
          f"for {w.config.course_epochs} epochs {_over(w.config)}; the zoo's variants have hidden layers: "
          + ", ".join(sorted({_layers(m.config) for m in zoo.values()})) + ".")
    headers = ["model", "d", "test MSE", "PSNR (dB)", "PCA MSE", "PCA PSNR (dB)", "MSE / PCA's", "non-zero entries of h"]
    w.add(_table(headers,
                 [[r["variant"], r["d"], _mse(r["mse"]), f"{r['psnr']:.2f}", _mse(r["pca_mse"]), f"{r['pca_psnr']:.2f}",
                   _times(r["mse"] / r["pca_mse"]), f"{r['active_per_image']:.1f}"] for r in rows]))
    best = {**tables.best_latent_dim(zoo_rows),
            **over_seeds([tables.best_latent_dim(r) for r in extra_rows], fixed=SETTINGS)}
    largest = max(r["d"] for r in rows)
    winners = sorted(v for v, b in best.items() if b["d"] == largest)
    gains = "; ".join(f"{v}: " + ", ".join(f"{_times(t)} lower than at d={d}"
                                           for d, t in sorted(best[v]["times_lower"].items()))
                      for v in winners)
    answer = f"**Answer: d={largest}, the largest code, reconstructs best for {', '.join(winners)}** ({gains})."
    active = {(r["variant"], r["d"]): r["active_per_image"] for r in rows}
    for v, b in best.items():
        if b["d"] != largest:
            answer += (f" For {v} the best is d={b['d']} (MSE {_mse(b['mse'])}): its penalty keeps the number of "
                       "non-zero entries per image nearly flat (" + ", ".join(
                           f"{active[(v, d)]:.1f} at d={d}" for d in sorted(k for u, k in active if u == v))
                       + "), so a larger d buys sparsity rather than accuracy (section 5).")
    beats = [r for r in rows if r["mse"] < r["pca_mse"]]
    losers = ", ".join(model_label(r["variant"], r["d"]) for r in rows if r["mse"] >= r["pca_mse"])
    w.add(answer + f" {len(beats)} of {len(rows)} models beat PCA at the same d"
          + (f" (not {losers})" if losers else "") + ": a non-linear code keeps more of the image than the best linear projection of the same size.")
    w.figure(figures.plot_mse_vs_d(zoo_rows + extra_rows[0]), "mse_vs_d.png", "Test MSE against d")
    digits = test_x[measures.one_per_class(test_y)]
    w.figure(figures.reconstruction_grid({**zoo, **extra_by_seed[0]}, digits), "reconstructions.png",
             "Test digits and their reconstructions by every model")


def _unit_rows(models, test_x, class_means) -> tuple[list[dict], dict[int, dict[str, torch.Tensor]]]:
    """One row of unit-image statistics per model, and the unit images by d and model label."""
    rows, images_by_d = [], {}
    for d in sorted({d for _, d in models}):
        images = {model_label(v, k): explore.unit_images(models[(v, k)], test_x) for v, k in sorted(models) if k == d}
        for label, unit_imgs in images.items():
            stats = measures.unit_image_stats(unit_imgs, class_means)
            live = [c for c in stats["digit_correlation"] if not math.isnan(c)]
            areas = [a for a in stats["area_80"] if not math.isnan(a)]
            rows.append({"model": label, "variant": label.split(" ")[0], "d": d, "units": len(unit_imgs),
                         "digit_like": sum(c >= DIGIT_LIKE for c in live), "median_corr": statistics.median(live),
                         "median_area": statistics.median(areas)})
        images_by_d[d] = images
    return rows, images_by_d


def _unit_summary(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per variant, all d together: the share of digit-like units and the median of the models' median areas."""
    by_variant = {v: [r for r in rows if r["variant"] == v] for v in sorted({r["variant"] for r in rows})}
    return {v: {"share": sum(r["digit_like"] for r in rs) / sum(r["units"] for r in rs),
                "area": statistics.median(r["median_area"] for r in rs)} for v, rs in by_variant.items()}


def _section_decoder_weights(w: _Writer, zoo, extra_by_seed, test_x, test_y) -> None:
    w.add("## 2. The decoder's weights as 28x28 images")
    w.add(_source(explore.unit_images, measures.unit_image_stats) + "\n\n"
          f"For the course's single-layer model, column j of the decoder's weight matrix ({INPUT_DIM} x d) is the image "
          "unit j writes (in logits, before the sigmoid). The zoo's models have a hidden layer, so each unit is "
          "shown by its decoded unit vector: decode(h0 + s_j e_j) - decode(h0), h0 the mean test code and s_j "
          "the standard deviation of h_j, i.e. what one typical step of unit j adds to the average digit. Red "
          "adds ink, blue removes it; each unit is scaled to its own largest value. To say which look like "
          "digits without guessing: a unit's *digit correlation* is its largest Pearson correlation with the "
          f"mean test image of a class (>= {DIGIT_LIKE} counts as digit-like); its *area* is the share of the "
          f"{INPUT_DIM} pixels that carries 80% of its absolute weight (a stroke is local: a small area).")
    class_means = torch.stack([test_x[test_y == c].mean(dim=0) for c in range(10)])
    zoo_rows, zoo_images = _unit_rows(zoo, test_x, class_means)
    extra = [_unit_rows(models, test_x, class_means) for models in extra_by_seed]
    extra_rows = [r for r, _ in extra]
    for d in sorted(set(zoo_images) | set(extra[0][1])):  # the figures show the first seed's extra models
        images = dict(sorted({**zoo_images.get(d, {}), **extra[0][1].get(d, {})}.items()))
        w.figure(figures.plot_unit_images(images), f"decoder_units_d{d}.png", f"What each code unit draws, d={d}")
    rows = sorted(zoo_rows + over_seeds(extra_rows, fixed=SETTINGS + ("model",)), key=lambda r: (r["d"], r["model"]))
    w.add(_table(["model", "units", f"digit-like (corr >= {DIGIT_LIKE})", "median digit correlation",
                  "median area (80% of weight)"],
                 [[r["model"], r["units"], f"{r['digit_like']} ({_pct(r['digit_like'] / r['units'])})",
                   f"{r['median_corr']:.2f}", _pct(r["median_area"])] for r in rows]))
    summary = {**_unit_summary(zoo_rows), **over_seeds([_unit_summary(r) for r in extra_rows])}
    share = {v: s["share"] for v, s in summary.items()}
    area = {v: s["area"] for v, s in summary.items()}
    most = max(share, key=share.get)
    ordered = ", ".join(f"{v} {_pct(s)}" for v, s in sorted(share.items(), key=lambda item: -item[1]))
    text = (f"**What they show.** Digit-like units, all d together: {ordered}; {most}'s units look most like "
            "whole digits.")
    if "sparse" in share and "plain" in share:
        relation = "more" if share["sparse"] > share["plain"] else "less"
        text += (f" Sparse units are {relation} often digit-like than plain ones ({_pct(share['sparse'])} against "
                 f"{_pct(share['plain'])}; median area {_pct(area['sparse'])} against {_pct(area['plain'])}). In the "
                 "figures, plain units draw signed, partial strokes that only make a digit in combination, while "
                 "many sparse units, one of few active at a time, draw a whole stroke or a digit-like shape by "
                 "themselves.")
    if COURSE in area:
        text += (f" The course model's raw weight columns are noisy and spread (median area {_pct(area[COURSE])}): "
                 "a pixel that is (nearly) always 0 in MNIST gives its weights almost no gradient, so they keep "
                 "much of their random initial values; and a code is only defined up to an invertible map, so "
                 "nothing makes one column draw one digit.")
    w.add(text)


def _section_denoising(w: _Writer, zoo, cards, test_x, test_y) -> None:
    rows = tables.denoising_curves(zoo, test_x, seed=w.config.seed)
    amplitudes = sorted({r["amplitude"] for r in rows})
    w.add("## 3. Denoising against noise amplitude")
    w.add(_source(tables.denoising_curves) + "\n\n"
          "Each test image gets white noise `amplitude * N(0, 1)` on every pixel, clipped to [0, 1] "
          f"(`zoo.noise.add_white_noise`, seed {w.config.seed}); the table gives the MSE between the *clean* image "
          "and the model's reconstruction of the noisy one, and, first row, the MSE of the noisy image itself.")
    keys = [("noisy input", None)] + sorted(zoo)
    mse = {(r["variant"], r["d"], r["amplitude"]): r["mse"] for r in rows}
    w.add(_table(["model"] + [f"{a:g}" for a in amplitudes],
                 [[model_label(v, d) if d else v] + [_mse(mse[(v, d, a)]) for a in amplitudes] for v, d in keys]))
    dims = sorted({d for _, d in zoo})
    if {"plain", "denoising"} <= {v for v, _ in zoo}:
        at = float(DENOISING_AT)  # the amplitude of the zoo's denoising goal (zoo.shipped)
        trained = max(cards[("denoising", d)]["variant_config"]["max_noise_amplitude"] for d in dims)  # its cards
        gain = {d: mse[("plain", d, at)] / mse[("denoising", d, at)] for d in dims}
        cost = {d: mse[("denoising", d, 0.0)] / mse[("plain", d, 0.0)] for d in dims}
        crossing = {d: next((a for a in amplitudes if mse[("denoising", d, a)] < mse[("plain", d, a)]), None)
                    for d in dims}
        w.add(f"**What the curves show.** At amplitude {at:g} the denoising-trained model's error is "
              + ", ".join(f"{_times(1 / gain[d])} plain's at d={d} ({_times(gain[d])} lower)" for d in dims)
              + ". The price on clean images: " + ", ".join(f"{_times(cost[d])} plain's error at d={d}" for d in dims)
              + ". It is better than plain from amplitude " + ", ".join(
                  f"{crossing[d]:g} (d={d})" if crossing[d] is not None else f"none (d={d})" for d in dims)
              + ". " + _cleaner_than_input(mse, dims, amplitudes)
              + " Plain's error grows quickly with noise it never saw; the denoising model's grows slowly, also "
              f"past the amplitudes it was trained on (up to {trained:g}): it maps a noisy image back onto the digits it "
              "has learnt instead of copying the noise.")
    w.figure(figures.plot_denoising_curves(rows), "denoising_curves.png", "MSE against noise amplitude")
    d = w.config.grid_latent_dim if w.config.grid_latent_dim in dims else dims[len(dims) // 2]
    digits = test_x[measures.one_per_class(test_y)[:4]]
    w.figure(figures.denoising_grid(zoo, digits, d, seed=w.config.seed), "denoising_grid.png",
             f"Noisy digits and their reconstructions at d={d}")


def _cleaner_than_input(mse: dict, dims: list[int], amplitudes: list[float]) -> str:
    """Says from which amplitude each model's reconstruction is closer to the clean image than the noisy input is."""
    parts = []
    for variant in ("plain", "denoising"):
        starts = [next((a for a in amplitudes if a > 0 and mse[(variant, d, a)] < mse[("noisy input", None, a)]), None)
                  for d in dims]
        parts.append(f"{variant} from " + ", ".join(f"{a:g}" if a is not None else "never" for a in starts))
    return ("The reconstruction is closer to the clean image than the noisy input itself is (d = "
            + ", ".join(map(str, dims)) + "): " + "; ".join(parts)
            + ". At small amplitudes the noise costs less than the model's own reconstruction error.")


def _section_questions(w: _Writer, zoo, extra, train_x, train_y, test_x, test_y) -> None:
    c = w.config
    w.add("## 4. The three questions")
    w.add("### (a) Why learn a representation h?")
    w.add(_source(probes.probe_table, probes.linear_probe, figures.plot_codes_2d) + "\n\n"
          "An autoencoder learns h from images alone, without labels. If h keeps what matters about a digit in a "
          "form a simple model can use, a *linear* classifier on h should do well, best of all when labels are "
          f"scarce. Softmax regression on raw pixels, on PCA codes and on each model's h, trained with all "
          f"{len(train_y):,} training labels and with only {c.probe_labels_per_class} per class "
          f"({10 * c.probe_labels_per_class:,} labels, drawn with seed {c.seed}), accuracy on the {len(test_y):,} test "
          f"images. Features standardised; the L2 weight chosen on a {probes.VALIDATION_SHARE:.0%} validation split of the labelled "
          f"images from {', '.join(_exponent(l2) for l2 in probes.L2_GRID)}; L-BFGS, {c.probe_max_iter} iterations.")
    rows = probes.probe_table(zoo, train_x, train_y, test_x, test_y, per_class=c.probe_labels_per_class,
                                seed=c.seed, max_iter=c.probe_max_iter)
    w.add(_table(["features", "numbers per image", "accuracy, all labels",
                  f"accuracy, {c.probe_labels_per_class} labels per class"],
                 [[r["features"], r["dim"], _pct(r["accuracy_all"]), _pct(r["accuracy_few"])] for r in rows]))
    raw = rows[0]
    learnt = [r for r in rows if not r["features"].startswith(("raw", "PCA"))]
    best_few = max(learnt, key=lambda r: r["accuracy_few"])
    best_all = max(learnt, key=lambda r: r["accuracy_all"])
    few_gain = 100 * (best_few["accuracy_few"] - raw["accuracy_few"])
    all_gain = 100 * (best_all["accuracy_all"] - raw["accuracy_all"])
    w.add(f"**Answer.** With {c.probe_labels_per_class} labels per class, the best h ({best_few['features']}, "
          f"{best_few['dim']} numbers) gives {_pct(best_few['accuracy_few'])} against {_pct(raw['accuracy_few'])} "
          f"on the {raw['dim']} raw pixels ({few_gain:+.1f} points); with all labels, the best h gives "
          f"{_pct(best_all['accuracy_all'])} ({best_all['features']}) against {_pct(raw['accuracy_all'])} "
          f"({all_gain:+.1f} points). "
          + ("So h, learnt without a single label, helps most where labels are scarce: " if few_gain > all_gain else
             "So h, learnt without a single label, does not help here: ")
          + f"a code {INPUT_DIM // best_few['dim']}x smaller than the image keeps what a linear classifier needs "
          "to tell the digits apart. "
          + (f"With all labels the {raw['dim']} pixels catch up: the classifier then has enough examples to weigh far more "
             "numbers. " if all_gain <= 0 else f"With all labels the gap shrinks to {all_gain:+.1f} points. ")
          + "A compact h is also what denoising (section 3) and compression "
          "(c) rest on: a representation is learnt to keep what matters about the data and drop the rest.")
    key = next((k for k in sorted(zoo) if model_label(*k) == best_few["features"]), sorted(zoo)[0])
    shown = test_x[:5000], test_y[:5000]
    w.figure(figures.plot_codes_2d(zoo[key], model_label(*key), *shown), "codes_2d.png",
             "Test digits in 2-D: pixels against h")
    a, b = (int((test_y == digit).nonzero()[0]) for digit in (3, 8))
    walked = {k: m for k, m in zoo.items() if k[1] == c.grid_latent_dim}
    walks = tables.interpolation_rows(walked, test_x[a], test_x[b], test_x, steps=c.interpolation_steps)
    blend, learnt = walks[0], walks[1:]
    closest = min(learnt, key=lambda r: r["midway"])
    w.add(f"**Walking between two codes** (`interpolation_rows`; the demo's Explore tab does it for any input). "
          f"From the first test 3 (#{a}) to the first test 8 (#{b}) in {c.interpolation_steps} steps: the straight "
          "line between the two images (a pixel blend), and between their codes h, decoded, for every model with "
          f"d={c.grid_latent_dim}. How far the middle image lies from the nearest other test digit (root mean "
          "squared pixel difference; smaller looks more like a real digit):")
    w.add(_table(["path", "middle image to the nearest test digit"], [[r["label"], f"{r['midway']:.4f}"] for r in walks]))
    nearer = [r["label"] for r in learnt if r["midway"] < blend["midway"]]
    w.add(f"The blend's middle image is the 3 and the 8 superimposed, {blend['midway']:.4f} from the nearest real "
          f"digit. {len(nearer)} of {len(learnt)} models' middle images lie nearer a real digit than that"
          + (f" ({', '.join(nearer)})" if nearer else "") + f"; {closest['label']} nearest ({closest['midway']:.4f}). "
          "The figure shows each path, the blend on top.")
    w.figure(figures.plot_interpolation(walks), "interpolation.png", "From a 3 to an 8: pixels against codes")

    w.add("### (b) The number of parameters as a function of d")
    w.add(_source(measures.parameter_formula, tables.parameter_table) + "\n\n"
          "Each Linear(a, b) layer has a·b weights and b biases, so a model with layer widths n_0, ..., n_L has "
          "sum_i (n_i·n_{i+1} + n_{i+1}) parameters (`zoo.model.parameter_count`). d enters two layers, so the "
          f"count is linear in d. The course's model ({_layers(_course_config())}): "
          f"({INPUT_DIM}d + d) + ({INPUT_DIM}d + {INPUT_DIM}) = **{_formula(_course_config())}**. "
          + " ".join(f"The zoo's ({shape}): **{_formula(config)}**."
                     for shape, config in sorted({_layers(m.config): m.config for m in zoo.values()}.items())) + " "
          "*measured* is `sum(p.numel() for p in model.parameters())` on the loaded model.")
    prows = tables.parameter_table({**zoo, **extra})  # a count, the same for every seed
    w.add(_table(["model", "layers", "formula", "formula at d", "measured", "equal"],
                 [[model_label(r["variant"], r["d"]), " -> ".join(map(str, r["layers"])),
                   f"{r['slope']}·d + {r['intercept']:,}", f"{r['formula']:,}", f"{r['measured']:,}",
                   "yes" if r["formula"] == r["measured"] else "**NO**"] for r in prows]))

    w.add(f"### (c) The size of h relative to the {IMAGE_SIZE}x{IMAGE_SIZE} image")
    crows = tables.code_size_table(zoo, train_x, test_x)
    png = measures.png_bytes(test_x)
    w.add(_source(tables.code_size_table, measures.quantise_uint8, measures.png_bytes) + "\n\n"
          f"An MNIST image is {INPUT_DIM} pixels of one byte: {INPUT_DIM} bytes; saved as an 8-bit PNG "
          f"(PIL, optimize) a test digit takes {statistics.mean(png):.0f} bytes on average (median "
          f"{statistics.median(png):.0f}, min {min(png)}, max {max(png)}). h is d numbers: as float32 (4 bytes each), "
          "float16 (2) or one byte each, quantised to 256 levels between each unit's min and max over the "
          "training codes. MSE is measured after the round trip (quantise, dequantise, decode).")
    w.add(_table(["model", "float32 bytes", "float16 bytes", "1-byte bytes", "1-byte / image", "1-byte / PNG",
                  "MSE float32", "MSE float16", "MSE 1-byte", "non-zero entries"],
                 [[model_label(r["variant"], r["d"]), r["float32_bytes"], r["float16_bytes"], r["uint8_bytes"],
                   _pct(r["uint8_bytes"] / INPUT_DIM), _pct(r["uint8_bytes"] / statistics.mean(png)),
                   _mse(r["mse_float32"]), _mse(r["mse_float16"]), _mse(r["mse_uint8"]), f"{r['active_per_image']:.1f}"]
                  for r in crows]))
    worst8 = max(r["mse_uint8"] / r["mse_float32"] - 1 for r in crows)
    worst16 = max(r["mse_float16"] / r["mse_float32"] - 1 for r in crows)
    dims = sorted({r["d"] for r in crows})
    d = dims[-1]
    w.add(f"**Answer.** h holds d numbers against the image's {INPUT_DIM}: "
          + ", ".join(f"{k / INPUT_DIM:.1%} (d={k})" for k in dims)
          + f". In bytes, d={d} as float32 is {4 * d} bytes, {4 * d / INPUT_DIM:.0%} of the raw image; at one byte "
          f"per number it is {d} bytes, {d / INPUT_DIM:.1%} of the image and {d / statistics.mean(png):.0%} of its "
          f"PNG. Rounding to one byte raises the MSE by at most {100 * worst8:.1f}%, to float16 by "
          + (f"at most {100 * worst16:.2f}%" if worst16 >= 1e-4 else "less than 0.01%")
          + ": the decoder does not need h's full precision. A sparse code could be stored in less still, as "
          "its non-zero entries and their positions.")


def _code_activation(variant_config: dict) -> str:
    """One line on how the sparse code reaches exact zeros, from the variant's config."""
    threshold = variant_config.get("code_threshold", 0.0)
    if variant_config["encoder_activation"] == "jumprelu" and threshold > 0:
        return (f"- the code is a JumpReLU: h = z where z > {threshold:g}, else exactly 0, so a unit that fires "
                "keeps its full value and the L1 term makes units fire less often rather than weaker")
    return f"- the code is a {variant_config['encoder_activation']}, so entries can be exactly zero"


def _section_sparse(w: _Writer, cards, per_seed: list[list[dict]]) -> None:
    """`per_seed`: the trade-off's rows (experiments.tradeoff_rows) for each seed."""
    c = w.config
    sparse_cards = [cards[k] for k in sorted(cards) if k[0] == "sparse"]
    w.add("## 5. The sparse autoencoder")
    if not sparse_cards:
        w.add("No sparse model in the weights directory.")
        return
    v = sparse_cards[0]["variant_config"]
    w.add(_source(figures.plot_l1_schedule, experiments.sparse_tradeoff) + "\n\n"
          "loss = reconstruction + l1_weight(t) · ||h||_1 / d (averaged over the batch) + l2_weight · ||W_dec||^2"
          "\n\n"
          f"- reconstruction: mean squared error per pixel (`{v['reconstruction']}`);\n"
          f"- l1_weight(t): from {v['l1_start_weight']:g} at epoch 0, linearly to {v['l1_weight']:g} at epoch "
          f"{v['l1_warmup_epochs']:g}, then flat (of {sparse_cards[0]['epochs']} epochs): the code first learns to "
          "reconstruct, then is made sparse;\n"
          f"- l2_weight = {v['l2_weight']:g} on the squared Frobenius norm of every decoder weight matrix: without "
          "it the model shrinks h and grows the decoder to dodge the L1 term;\n"
          f"- in a batch whose code has more than {v['max_zeros']:.1%} zeros, l1_weight eases off (to a third at most): "
          "one weight alone left the share of zeros to chance from seed to seed;\n"
          + _code_activation(v) + f"; a unit firing on at most {v['revive_below']:.1%} of the first "
          f"{v['revive_sample']:,} training images is revived (its bias raised to fire on {v['revive_fraction']:.0%} "
          f"of them) until epoch {v['revive_until_epoch']}.\n\n"
          f"Sparsity of the shipped models on the {sum(LABEL_COUNTS['test']):,} test images (from their model cards, written by "
          "`python train_all.py`):")
    shipped = []
    for card in sparse_cards:
        m = card["metrics"]
        shipped.append({"d": card["latent_dim"], "mse": m["test_mse"], "zero_fraction": m["zero_fraction"],
                        "epochs": card["epochs"]})
    w.add(_table(["model", "zero entries", "active units per image", "dead units", "test MSE"],
                 [[model_label("sparse", card["latent_dim"]), _pct(card["metrics"]["zero_fraction"]),
                   f"{card['metrics']['active_units_per_image']:.1f} of {card['latent_dim']}",
                   card["metrics"]["dead_units"], _mse(card["metrics"]["test_mse"])] for card in sparse_cards]))
    w.figure(figures.plot_l1_schedule(sparse_cards), "l1_schedule.png", "The L1 schedule and test MSE per epoch")
    rows = over_seeds(per_seed, fixed=SETTINGS)
    schedule = experiments.scaled_sparse_schedule(c.tradeoff_epochs)
    shape = " -> ".join(map(str, [INPUT_DIM, *c.tradeoff_hidden_dims, c.tradeoff_latent_dim,
                                  *c.tradeoff_hidden_dims[::-1], INPUT_DIM]))
    w.add(f"**The trade-off.** Extra sparse models {shape}"
          + (" (the course's shape)" if not c.tradeoff_hidden_dims else "")
          + f", {c.tradeoff_epochs} epochs each "
          f"(the same schedule scaled: warm-up {schedule['l1_warmup_epochs']:.3g} epochs, revival until epoch "
          f"{schedule['revive_until_epoch']}), one per l1_weight and seed, the ramp starting at the same share of "
          f"l1_weight as shipped and never eased, other settings as shipped; trained by this command {_over(c)}, not saved to weights/.")
    w.add(_table(["l1_weight", "zero entries", "active units per image", "dead units", "test MSE"],
                 [[f"{r['l1_weight']:g}", _pct(r["zero_fraction"]), f"{r['active_units_per_image']:.1f}",
                   r["dead_units"], _mse(r["mse"])] for r in rows]))
    first, last = rows[0], rows[-1]
    w.add(f"Raising l1_weight from {first['l1_weight']:g} to {last['l1_weight']:g} takes the zero entries from "
          f"{_pct(first['zero_fraction'])} to {_pct(last['zero_fraction'])} while the test MSE goes from "
          f"{_mse(first['mse'])} to {_mse(last['mse'])}: sparsity is bought with reconstruction error, and "
          "l1_weight chooses the point on the curve (docs/TRAINING.md has the longer runs behind the shipped choice).")
    w.figure(figures.plot_tradeoff(per_seed[0], shipped, f"{shape}, {c.tradeoff_epochs} epochs, over l1_weight "
                                    f"(seed {c.seeds[0]})"), "sparse_tradeoff.png",
             "MSE against sparsity over l1_weight")


def _section_literature(w: _Writer, zoo, cards, train_x, test_x) -> None:
    """Every shipped model and PCA beside the published figures (zoo.lab.literature), in squared error per image."""
    w.add("## 6. Against the literature")
    dims = sorted({p.latent_dim for p in PUBLISHED} | {d for _, d in zoo})
    pca = metrics.pca_mses(train_x, test_x, dims)
    w.add(_source(metrics.pca_mses) + "\n\n"
          f"The squared error per image: the sum over an image's {INPUT_DIM} pixels (in [0, 1]) of (reconstruction - "
          f"image)^2, averaged over the {len(test_x):,} test images, i.e. test MSE x {INPUT_DIM}: the measure of "
          f"{HINTON_2006}. The published rows are that paper's; every other row is computed here from the shipped "
          "weights and MNIST, with the time its card says it took to train (the machine that wrote the card: "
          "`python train_all.py`, CPU).")
    published = [[f"{p.model} (published)", p.latent_dim, f"{p.error_per_image:.2f}", p.training] for p in PUBLISHED]
    ours = [["PCA (here)", d, f"{pca[d] * INPUT_DIM:.2f}", "none: the top d principal components"]
            for d in sorted({p.latent_dim for p in PUBLISHED})]
    error = {key: metrics.reconstruction_mse(model, test_x) * INPUT_DIM for key, model in zoo.items()}
    for key in sorted(zoo, key=error.get):
        card = cards[key]
        ours.append([f"{model_label(*key)} ({_layers(zoo[key].config)})", key[1], f"{error[key]:.2f}",
                     f"{card['training_seconds']:.0f} s, {card['epochs']} epochs, {card['precision']}, "
                     f"{card['threads']} thread(s)"])
    w.add(_table(["model", "d", "squared error per test image", "training"], published + ours))
    reference = PUBLISHED[0]
    same_d = sorted((k for k in zoo if k[1] <= reference.latent_dim), key=error.get)
    pca_here, pca_paper = pca[reference.latent_dim] * INPUT_DIM, next(p for p in PUBLISHED if p.model == "PCA")
    text = (f"**Answer.** PCA at d={reference.latent_dim} gives {pca_here:.2f} per image here and "
            f"{pca_paper.error_per_image:.2f} in the paper, so the two scales agree.")
    if same_d:
        best = same_d[0]
        ratio = error[best] / reference.error_per_image
        text += (f" The zoo's best model with d <= {reference.latent_dim} is {model_label(*best)} at {error[best]:.2f}: "
                 + (f"{_pct(1 - ratio)} below" if ratio < 1 else f"{_pct(ratio - 1)} above")
                 + f" the paper's {reference.error_per_image:.2f} for its {reference.model} (pretrained as RBMs),"
                 f" trained here from a random start in {cards[best]['training_seconds']:.0f} s on the card's CPU.")
    w.add(text)


def _section_codes(w: _Writer, zoo, cards, test_x, test_y, weights_dir: Path) -> None:
    """Each model's t-SNE map of the test codes (zoo.maps) and its units read off the test digits (zoo.units)."""
    w.add("## 7. Reading the codes: maps and units")
    labels = test_y.numpy()
    code_maps, rows, selective, votes, rare = {}, [], {}, {}, {}
    for key in sorted(zoo):
        codes = maps.test_codes(zoo[key], test_x)
        try:
            code_maps[key] = maps.load(maps.map_path(weights_dir, *key), cards[key]["weights_sha256"])
        except maps.MapError:  # weights newer than their map: fitted here as the demo would (~25 s each)
            code_maps[key] = maps.fit(codes, cards[key]["weights_sha256"])
        table = units.UnitTable.build(zoo[key], test_x, test_y, torch.from_numpy(codes))
        selective[key] = float(table.selective.float().mean())
        rare[key] = (int(table.rare.sum()), table.latent_dim)
        votes[key] = {"map": maps.neighbour_vote_accuracy(code_maps[key].points, labels),
                      "pca": maps.neighbour_vote_accuracy(maps.pca_points(codes), labels)}
        rows.append([model_label(*key), table.latent_dim, f"{int(table.selective.sum())} ({_pct(selective[key])})",
                     int(table.dead.sum()), int(table.rare.sum()), int(table.dense.sum()),
                     f"{maps.neighbour_vote_accuracy(codes, labels):.3f}", f"{votes[key]['map']:.3f}",
                     f"{votes[key]['pca']:.3f}", f"{maps.placement_accuracy(code_maps[key], labels):.3f}"])
    w.add(_source(maps.fit, maps.neighbour_vote_accuracy, maps.placement_accuracy, units.UnitTable) + "\n\n"
          f"**The map.** Each model's {len(test_x):,} test codes in two dimensions by t-SNE (openTSNE, perplexity "
          f"{maps.PERPLEXITY:g}, seed {maps.SEED}), fitted on all but {maps.HELD_OUT} of them, which the embedding's "
          f"own transform then places, as the demo's Explore tab places a drawing. Made by `python -m zoo.maps`, "
          "shipped in weights/maps/ and tied to the weights' sha256. A map is judged by the digit its "
          f"{maps.NEIGHBOURS} nearest neighbours vote for: in the full code h, on the map, and on the codes' top two "
          f"principal components (Explore's map before); *placed*: the {maps.HELD_OUT} held-out digits' vote among "
          "the fitted points at the place the transform gave them.\n\n"
          f"**The units.** A unit *fires* on an image when it is not exactly zero; *dead*: it fires on no test "
          f"digit; *rare*: on fewer than {_pct(units.RARE_BELOW)} of them; *dense*: on at least "
          f"{_pct(units.DENSE_FROM)} (every unit of a linear code is). Its *drive* is its activation above its median "
          "over the test digits; *class selectivity* (m_top - m_rest) / (m_top + m_rest), m_top the mean drive over "
          "its most driving class, m_rest the mean of the other nine classes' means; a unit neither dead nor rare is "
          f"*class-selective* from {units.SELECTIVE_FROM:g}: its top class drives it at least three times as much as the "
          "others on average.")
    w.add(_table(["model", "d", "class-selective units", "dead", "rare", "dense", "10-NN vote, code h",
                  "10-NN vote, t-SNE map", "10-NN vote, PCA", "placed"], rows))
    panels = sorted((key for key in zoo if key[1] == w.config.grid_latent_dim or not shipped.on_grid(key[0])),
                    key=lambda key: (not shipped.on_grid(key[0]), key))
    w.figure(figures.plot_maps([(f"{model_label(*key)}: 10-NN vote {votes[key]['map']:.3f}", code_maps[key].points)
                                for key in panels], labels), "code_maps.png", "The test codes' t-SNE maps, by digit")
    pca = [vote["pca"] for vote in votes.values()]
    most = max(selective, key=selective.get)
    text = (f"**Answer.** On every model's t-SNE map the 10 nearest neighbours vote for the right digit at least "
            f"{min(vote['map'] for vote in votes.values()):.3f} of the time, against {min(pca):.3f}-{max(pca):.3f} on the "
            "top two principal components: the codes keep the digits apart, and t-SNE shows it where PCA hid it. "
            f"{model_label(*most)} has the largest share of class-selective units ({_pct(selective[most])}).")
    rare_ones = [f"{model_label(*key)} {count} of {d}" for key, (count, d) in sorted(rare.items()) if count]
    if rare_ones:
        text += (f" Units that fire on fewer than {_pct(units.RARE_BELOW)} of the test digits (rare): "
                 f"{', '.join(rare_ones)}; a dead-unit count of 0 does not mean every unit is used.")
    w.add(text)


# ---------------------------------------------------------------------------------------------


def build_report(models: dict, cards: dict, out_dir: Path, config: ReportConfig = ReportConfig(),
                 weights_dir: Path | None = None) -> str:
    """Write out_dir/REPORT.md and out_dir/figures/*.png for `models` (keyed by (variant, d)); return the text.

    `weights_dir` (default: the shipped zoo's) holds the models' maps (`zoo.maps`)."""
    out_dir = Path(out_dir)
    train_x, train_y = load_mnist("train")
    test_x, test_y = load_mnist("test")
    if config.train_images:
        train_x, train_y = train_x[:config.train_images], train_y[:config.train_images]
    start = time.perf_counter()
    # Sections 1-5 compare d across the variants shipped at zoo.shipped.LATENT_DIMS; section 6 takes every model.
    lab = {key: model for key, model in models.items() if shipped.on_grid(key[0])}
    # Every extra model at once, side by side (zoo.workers): the course's single-layer model for each d
    # and, when the zoo has a sparse model, the trade-off's sparse models; once per seed.
    course = {seed: {d: experiments.ExtraModel("plain", d, config.course_epochs, seed, (("hidden_dims", ()),))
                     for d in sorted({d for _, d in lab})} for seed in config.seeds}
    tradeoff = {seed: experiments.tradeoff_jobs(config.tradeoff_l1_weights, latent_dim=config.tradeoff_latent_dim,
                                             epochs=config.tradeoff_epochs, seed=seed,
                                             hidden_dims=config.tradeoff_hidden_dims)
                for seed in config.seeds} if any(name == "sparse" for name, _ in models) else {}
    jobs = [job for seed in config.seeds for job in [*course[seed].values(), *tradeoff.get(seed, [])]]
    _step(config, f"training {len(jobs)} extra models (the course's model for each d"
                  + (", the sparse trade-off" if tradeoff else "") + f"; seeds {', '.join(map(str, config.seeds))})",
          start)
    trained = experiments.train_extra_models(jobs, train_x, test_x, progress=config.progress)
    extra_by_seed = [{(COURSE, d): trained[job] for d, job in course[seed].items()} for seed in config.seeds]
    tradeoff_by_seed = [experiments.tradeoff_rows(trained, tradeoff[seed], test_x) for seed in tradeoff]
    w = _Writer(out_dir, config)
    recipe_ids = ", ".join(f"{model_label(*k)} `{card['recipe_id']}`" for k, card in sorted(cards.items()))
    w.add("# AE Zoo lab report\n\n"
          f"Generated by `{COMMAND}` from the trained models in weights/ and real MNIST (data sha256 "
          f"`{DATA_SHA256[:16]}...`); regenerate it with that command, never edit it by hand. Seed {config.seed}, "
          f"torch {torch.__version__}, on the CPU. Models (recipe ids from their cards): {recipe_ids}. Their "
          "training is in docs/TRAINING.md.\n\n"
          "**Exact and averaged numbers.** A plain number is computed from the shipped models and MNIST alone: "
          "every run on every machine writes it the same. A number written `mean ± sd` comes from the small "
          "models this command trains itself (the course's model, the sparse trade-off), trained once per seed "
          f"({', '.join(map(str, config.seeds))}): the mean and standard deviation over the seeds. Those trainings "
          "round differently on another CPU and come out a little different, within about the spread over seeds; "
          "the figures show the first seed's models.")
    weights_dir = weights_dir or paths.default_weights_dir()
    steps = [("1/7 which d reconstructs best", lambda: _section_best_d(w, lab, extra_by_seed, train_x, test_x, test_y)),
             ("2/7 decoder weights", lambda: _section_decoder_weights(w, lab, extra_by_seed, test_x, test_y)),
             ("3/7 denoising", lambda: _section_denoising(w, lab, cards, test_x, test_y)),
             ("4/7 the three questions",
              lambda: _section_questions(w, lab, extra_by_seed[0], train_x, train_y, test_x, test_y)),
             ("5/7 the sparse autoencoder", lambda: _section_sparse(w, cards, tradeoff_by_seed)),
             ("6/7 against the literature", lambda: _section_literature(w, models, cards, train_x, test_x)),
             ("7/7 maps and units", lambda: _section_codes(w, models, cards, test_x, test_y, weights_dir))]
    for name, run in steps:
        _step(config, name, start)
        run()
    text = w.text()
    for stale in (out_dir / "figures").glob("*.png"):  # figures of an older layout would linger otherwise
        if stale.name not in w.figures:
            stale.unlink()
    atomic.write_text(out_dir / "REPORT.md", text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--weights-dir", type=Path, default=paths.default_weights_dir())
    parser.add_argument("--out", type=Path, default=None,
                        help="REPORT.md and figures/ go here (default: docs/, or report-quick/ with --quick)")
    parser.add_argument("--seed", type=int, default=0, help="probe splits and noise")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(ReportConfig.seeds),
                        help="one run of each extra model per seed; their numbers are written mean ± sd")
    parser.add_argument("--quick", action="store_true", help="tiny extra models and probes: a smoke run in seconds")
    parser.add_argument("--check", action="store_true",
                        help="write into a temporary directory and compare with the report in --out: exact numbers "
                             "must match, means over seeds must lie within their spread (zoo.seeds.differences)")
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = default_out_dir(args.quick)
    models, cards = registry.load_zoo(args.weights_dir)
    if not models:
        print(f"error: no trained models in {args.weights_dir}; run: python train_all.py", file=sys.stderr)
        return 1
    if args.check and not (args.out / "REPORT.md").is_file():
        print(f"error: no report to check in {args.out}; run: {COMMAND}", file=sys.stderr)
        return 1
    settings = dict(seed=args.seed, seeds=tuple(args.seeds))
    config = quick_config(**settings, progress=True) if args.quick else ReportConfig(**settings)
    start = time.perf_counter()
    if not args.check:
        build_report(models, cards, args.out, config, args.weights_dir)
        print(f"wrote {args.out / 'REPORT.md'} and {args.out / 'figures'}/ in {time.perf_counter() - start:.0f} s")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        fresh = build_report(models, cards, Path(scratch), config, args.weights_dir)
    problems = differences((args.out / "REPORT.md").read_text(), fresh, len(config.seeds))
    for line in problems:
        print(f"differs: {line}", file=sys.stderr)
    print(f"{args.out / 'REPORT.md'}: " + (f"{len(problems)} difference(s) from a fresh run; regenerate it with {COMMAND}"
                                           if problems else "agrees with a fresh run")
          + f" ({time.perf_counter() - start:.0f} s)")
    return 1 if problems else 0


def default_out_dir(quick: bool) -> Path:
    """docs/ for the report, report-quick/ for a smoke run (a smoke run never overwrites the committed
    report); in a checkout's root, else in the current directory (an installed package)."""
    return (paths.checkout_root() or Path.cwd()) / ("report-quick" if quick else "docs")


if __name__ == "__main__":
    sys.exit(main())
