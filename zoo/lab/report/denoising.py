"""Section 3: denoising error against noise amplitude, plain against the denoising model."""

from __future__ import annotations

from dataclasses import dataclass

from zoo.lab import figures, measures, tables
from zoo.lab.report import markdown as md
from zoo.registry import model_label
from zoo.training import metrics

NOISY_INPUT = ("noisy input", None)  # the table's first row: the noisy image itself, against the clean one


@dataclass(frozen=True)
class Denoising:
    """The curves (tables.denoising_curves) and, where the zoo has plain and denoising models, how they compare."""

    rows: list[dict]
    mse: dict  # (variant, d or None, amplitude) -> MSE against the clean image
    amplitudes: list[float]
    dims: list[int]
    at: float  # the amplitude of the zoo's denoising goal
    trained_up_to: float | None  # the largest noise amplitude a denoising model was trained on (its cards)
    gain: dict[int, float]  # d -> plain's MSE / denoising's at `at`
    cost: dict[int, float]  # d -> denoising's MSE / plain's on clean images
    crossing: dict[int, float | None]  # d -> the first amplitude where denoising beats plain
    cleaner_from: dict[tuple[str, int], float | None]  # (variant, d) -> the first amplitude where it beats its input


def compute(zoo, cards, test_x, seed: int) -> Denoising:
    rows = tables.denoising_curves(zoo, test_x, seed=seed)
    amplitudes = sorted({r["amplitude"] for r in rows})
    mse = {(r["variant"], r["d"], r["amplitude"]): r["mse"] for r in rows}
    dims, at = sorted({d for _, d in zoo}), metrics.NOISY_AMPLITUDE
    gain, cost, crossing, cleaner_from, trained = {}, {}, {}, {}, None
    if {"plain", "denoising"} <= {v for v, _ in zoo}:
        trained = max(cards[("denoising", d)]["variant_config"]["max_noise_amplitude"] for d in dims)
        gain = {d: mse[("plain", d, at)] / mse[("denoising", d, at)] for d in dims}
        cost = {d: mse[("denoising", d, 0.0)] / mse[("plain", d, 0.0)] for d in dims}
        crossing = {d: next((a for a in amplitudes if mse[("denoising", d, a)] < mse[("plain", d, a)]), None)
                    for d in dims}
        cleaner_from = {(v, d): next((a for a in amplitudes if a > 0 and mse[(v, d, a)] < mse[(*NOISY_INPUT, a)]), None)
                        for v in ("plain", "denoising") for d in dims}
    return Denoising(rows, mse, amplitudes, dims, at, trained, gain, cost, crossing, cleaner_from)


def write(w: md.Writer, result: Denoising, zoo, test_x, test_y) -> None:
    """Section 3 from `compute`'s result; the figures draw the models' reconstructions of noisy digits."""
    r, seed = result, w.config.seed
    w.add("## 3. Denoising against noise amplitude")
    w.add(md.source(tables.denoising_curves) + "\n\n"
          "Each test image gets white noise `amplitude * N(0, 1)` on every pixel, clipped to [0, 1] "
          f"(`zoo.noise.add_white_noise`, seed {seed}); the table gives the MSE between the *clean* image "
          "and the model's reconstruction of the noisy one, and, first row, the MSE of the noisy image itself.")
    w.add(md.table(["model"] + [f"{a:g}" for a in r.amplitudes],
                   [[model_label(v, d) if d else v] + [md.mse(r.mse[(v, d, a)]) for a in r.amplitudes]
                    for v, d in [NOISY_INPUT] + sorted(zoo)]))
    if r.gain:
        w.add(f"**What the curves show.** At amplitude {r.at:g} the denoising-trained model's error is "
              + ", ".join(f"{md.times(1 / r.gain[d])} plain's at d={d} ({md.times(r.gain[d])} lower)" for d in r.dims)
              + ". The price on clean images: " + ", ".join(f"{md.times(r.cost[d])} plain's error at d={d}" for d in r.dims)
              + ". It is better than plain from amplitude " + ", ".join(
                  f"{r.crossing[d]:g} (d={d})" if r.crossing[d] is not None else f"none (d={d})" for d in r.dims)
              + ". " + _cleaner_than_input(r)
              + " Plain's error grows quickly with noise it never saw; the denoising model's grows slowly, also "
              f"past the amplitudes it was trained on (up to {r.trained_up_to:g}): it maps a noisy image back onto the "
              "digits it has learnt instead of copying the noise.")
    w.figure(figures.plot_denoising_curves(r.rows), "denoising_curves.png", "MSE against noise amplitude")
    d = w.config.grid_latent_dim if w.config.grid_latent_dim in r.dims else r.dims[len(r.dims) // 2]
    digits = test_x[measures.one_per_class(test_y)[:4]]
    w.figure(figures.denoising_grid(zoo, digits, d, seed=seed), "denoising_grid.png",
             f"Noisy digits and their reconstructions at d={d}")


def _cleaner_than_input(r: Denoising) -> str:
    """From which amplitude each model's reconstruction is closer to the clean image than the noisy input is."""
    parts = [f"{variant} from " + ", ".join(f"{a:g}" if a is not None else "never"
                                            for a in (r.cleaner_from[(variant, d)] for d in r.dims))
             for variant in ("plain", "denoising")]
    return ("The reconstruction is closer to the clean image than the noisy input itself is (d = "
            + ", ".join(map(str, r.dims)) + "): " + "; ".join(parts)
            + ". At small amplitudes the noise costs less than the model's own reconstruction error.")
