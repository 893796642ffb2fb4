"""Section 3: denoising error against noise amplitude, plain against the denoising model."""

from __future__ import annotations

from zoo.lab import figures, measures, tables
from zoo.lab.report import markdown as md
from zoo.registry import model_label
from zoo.training import metrics


def write(w: md.Writer, zoo, cards, test_x, test_y) -> None:
    rows = tables.denoising_curves(zoo, test_x, seed=w.config.seed)
    amplitudes = sorted({r["amplitude"] for r in rows})
    w.add("## 3. Denoising against noise amplitude")
    w.add(md.source(tables.denoising_curves) + "\n\n"
          "Each test image gets white noise `amplitude * N(0, 1)` on every pixel, clipped to [0, 1] "
          f"(`zoo.noise.add_white_noise`, seed {w.config.seed}); the table gives the MSE between the *clean* image "
          "and the model's reconstruction of the noisy one, and, first row, the MSE of the noisy image itself.")
    keys = [("noisy input", None)] + sorted(zoo)
    mse = {(r["variant"], r["d"], r["amplitude"]): r["mse"] for r in rows}
    w.add(md.table(["model"] + [f"{a:g}" for a in amplitudes],
                 [[model_label(v, d) if d else v] + [md.mse(mse[(v, d, a)]) for a in amplitudes] for v, d in keys]))
    dims = sorted({d for _, d in zoo})
    if {"plain", "denoising"} <= {v for v, _ in zoo}:
        at = metrics.NOISY_AMPLITUDE  # the amplitude of the zoo's denoising goal (zoo.store.shipped)
        trained = max(cards[("denoising", d)]["variant_config"]["max_noise_amplitude"] for d in dims)  # its cards
        gain = {d: mse[("plain", d, at)] / mse[("denoising", d, at)] for d in dims}
        cost = {d: mse[("denoising", d, 0.0)] / mse[("plain", d, 0.0)] for d in dims}
        crossing = {d: next((a for a in amplitudes if mse[("denoising", d, a)] < mse[("plain", d, a)]), None)
                    for d in dims}
        w.add(f"**What the curves show.** At amplitude {at:g} the denoising-trained model's error is "
              + ", ".join(f"{md.times(1 / gain[d])} plain's at d={d} ({md.times(gain[d])} lower)" for d in dims)
              + ". The price on clean images: " + ", ".join(f"{md.times(cost[d])} plain's error at d={d}" for d in dims)
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
