"""Section 1: which d reconstructs best, against PCA at the same d."""

from __future__ import annotations

from dataclasses import dataclass

from zoo.lab import figures, measures, tables
from zoo.lab.experiments import COURSE
from zoo.lab.report import markdown as md
from zoo.lab.report.settings import SETTINGS
from zoo.lab.seeds import over_seeds
from zoo.registry import model_label
from zoo.training import metrics


@dataclass(frozen=True)
class BestD:
    """The reconstruction table's rows (the extra models over seeds) and each variant's best d (tables.best_latent_dim)."""

    zoo_rows: list[dict]
    first_seed_rows: list[dict]  # the extra models of the first seed, for the figure
    rows: list[dict]  # every row, sorted by (variant, d)
    best: dict[str, dict]  # variant -> its best d, its MSE and how many times lower than at each other d


def compute(zoo, extra_by_seed, train_x, test_x) -> BestD:
    dims = sorted({d for _, d in zoo} | {d for extra in extra_by_seed for _, d in extra})
    pca = metrics.pca_mses(train_x, test_x, dims)
    zoo_rows = tables.reconstruction_table(zoo, train_x, test_x, pca=pca)
    extra_rows = [tables.reconstruction_table(extra, train_x, test_x, pca=pca) for extra in extra_by_seed]
    rows = sorted(zoo_rows + over_seeds(extra_rows, fixed=SETTINGS), key=lambda r: (r["variant"], r["d"]))
    best = {**tables.best_latent_dim(zoo_rows),
            **over_seeds([tables.best_latent_dim(r) for r in extra_rows], fixed=SETTINGS)}
    return BestD(zoo_rows, extra_rows[0], rows, best)


def write(w: md.Writer, result: BestD, zoo, extra_by_seed, train_x, test_x, test_y) -> None:
    """Section 1 from `compute`'s result; the figures draw every model's reconstructions."""
    rows, best = result.rows, result.best
    w.add("## 1. Which d reconstructs best")
    w.add(md.source(tables.reconstruction_table, tables.best_latent_dim) + "\n\n"
          f"Test MSE per pixel on the {len(test_x):,} MNIST test images (pixels in [0, 1]); PSNR = 10 log10(1 / MSE) of "
          f"that mean. PCA keeps the top d principal components of the {len(train_x):,} training images. "
          f"`{COURSE}` is the course's model, one Linear layer each side ({md.layers(md.course_config())}), trained here "
          f"for {w.config.course_epochs} epochs {md.over(w.config)}; the zoo's variants have hidden layers: "
          + ", ".join(sorted({md.layers(m.config) for m in zoo.values()})) + ".")
    headers = ["model", "d", "test MSE", "PSNR (dB)", "PCA MSE", "PCA PSNR (dB)", "MSE / PCA's", "non-zero entries of h"]
    w.add(md.table(headers,
                   [[r["variant"], r["d"], md.mse(r["mse"]), f"{r['psnr']:.2f}", md.mse(r["pca_mse"]),
                     f"{r['pca_psnr']:.2f}", md.times(r["mse"] / r["pca_mse"]), f"{r['active_per_image']:.1f}"]
                    for r in rows]))
    w.add(_answer(rows, best))
    w.figure(figures.plot_mse_vs_d(result.zoo_rows + result.first_seed_rows), "mse_vs_d.png", "Test MSE against d")
    digits = test_x[measures.one_per_class(test_y)]
    w.figure(figures.reconstruction_grid({**zoo, **extra_by_seed[0]}, digits), "reconstructions.png",
             "Test digits and their reconstructions by every model")


def _answer(rows: list[dict], best: dict[str, dict]) -> str:
    largest = max(r["d"] for r in rows)
    winners = sorted(v for v, b in best.items() if b["d"] == largest)
    gains = "; ".join(f"{v}: " + ", ".join(f"{md.times(t)} lower than at d={d}"
                                           for d, t in sorted(best[v]["times_lower"].items()))
                      for v in winners)
    answer = f"**Answer: d={largest}, the largest code, reconstructs best for {', '.join(winners)}** ({gains})."
    active = {(r["variant"], r["d"]): r["active_per_image"] for r in rows}
    for v, b in best.items():
        if b["d"] != largest:
            answer += (f" For {v} the best is d={b['d']} (MSE {md.mse(b['mse'])}): its penalty keeps the number of "
                       "non-zero entries per image nearly flat (" + ", ".join(
                           f"{active[(v, d)]:.1f} at d={d}" for d in sorted(k for u, k in active if u == v))
                       + "), so a larger d buys sparsity rather than accuracy (section 5).")
    beats = [r for r in rows if r["mse"] < r["pca_mse"]]
    losers = ", ".join(model_label(r["variant"], r["d"]) for r in rows if r["mse"] >= r["pca_mse"])
    return (answer + f" {len(beats)} of {len(rows)} models beat PCA at the same d"
            + (f" (not {losers})" if losers else "")
            + ": a non-linear code keeps more of the image than the best linear projection of the same size.")
