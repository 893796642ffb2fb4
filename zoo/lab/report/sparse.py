"""Section 5: the sparse autoencoder's loss, its shipped models and the L1 trade-off."""

from __future__ import annotations

from dataclasses import dataclass

from zoo.data import LABEL_COUNTS
from zoo.lab import experiments, figures
from zoo.lab.report import markdown as md
from zoo.lab.report.settings import SETTINGS
from zoo.lab.seeds import over_seeds
from zoo.model import INPUT_DIM
from zoo.registry import model_label
from zoo.variants.sparse import EASE_FLOOR


def _code_activation(variant_config: dict) -> str:
    """One line on how the sparse code reaches exact zeros, from the variant's config."""
    threshold = variant_config.get("code_threshold", 0.0)
    if variant_config["encoder_activation"] == "jumprelu" and threshold > 0:
        return (f"- the code is a JumpReLU: h = z where z > {threshold:g}, else exactly 0, so a unit that fires "
                "keeps its full value and the L1 term makes units fire less often rather than weaker")
    return f"- the code is a {variant_config['encoder_activation']}, so entries can be exactly zero"


@dataclass(frozen=True)
class Sparse:
    """The shipped sparse models' cards (by d) and the trade-off's rows, per seed and over seeds."""

    cards: list[dict]
    shipped_rows: list[dict]  # per shipped model: d, test MSE, share of zeros, epochs (the trade-off figure's marks)
    per_seed: list[list[dict]]  # experiments.tradeoff_rows for each seed
    tradeoff: list[dict]  # the same over seeds (mean ± sd)


def compute(cards, per_seed: list[list[dict]]) -> Sparse:
    sparse_cards = [cards[k] for k in sorted(cards) if k[0] == "sparse"]
    shipped_rows = [{"d": card["latent_dim"], "mse": card["metrics"]["test_mse"],
                     "zero_fraction": card["metrics"]["zero_fraction"], "epochs": card["epochs"]} for card in sparse_cards]
    return Sparse(sparse_cards, shipped_rows, per_seed, over_seeds(per_seed, fixed=SETTINGS) if per_seed else [])


def write(w: md.Writer, result: Sparse) -> None:
    """Section 5 from `compute`'s result: the loss, the shipped models' sparsity, the trade-off."""
    w.add("## 5. The sparse autoencoder")
    if not result.cards:
        w.add("No sparse model in the weights directory.")
        return
    _loss_and_shipped(w, result.cards)
    _tradeoff(w, result)


def _loss_and_shipped(w: md.Writer, sparse_cards: list[dict]) -> None:
    v = sparse_cards[0]["variant_config"]
    w.add(md.source(figures.plot_l1_schedule, experiments.sparse_tradeoff) + "\n\n"
          "loss = reconstruction + l1_weight(t) · ||h||_1 / d (averaged over the batch) + l2_weight · ||W_dec||^2"
          "\n\n"
          f"- reconstruction: mean squared error per pixel (`{v['reconstruction']}`);\n"
          f"- l1_weight(t): from {v['l1_start_weight']:g} at epoch 0, linearly to {v['l1_weight']:g} at epoch "
          f"{v['l1_warmup_epochs']:g}, then flat (of {sparse_cards[0]['epochs']} epochs): the code first learns to "
          "reconstruct, then is made sparse;\n"
          f"- l2_weight = {v['l2_weight']:g} on the squared Frobenius norm of every decoder weight matrix: without "
          "it the model shrinks h and grows the decoder to dodge the L1 term;\n"
          f"- in a batch whose code has more than {v['max_zeros']:.1%} zeros, l1_weight eases off (down to 1/{1 / EASE_FLOOR:.0f} of itself at most): "
          "one weight alone left the share of zeros to chance from seed to seed;\n"
          + _code_activation(v) + f"; a unit firing on at most {v['revive_below']:.1%} of the first "
          f"{v['revive_sample']:,} training images is revived (its bias raised to fire on {v['revive_fraction']:.0%} "
          f"of them) until epoch {v['revive_until_epoch']}.\n\n"
          f"Sparsity of the shipped models on the {sum(LABEL_COUNTS['test']):,} test images (from their model cards, written by "
          "`python train_all.py`):")
    w.add(md.table(["model", "zero entries", "active units per image", "dead units", "test MSE"],
                 [[model_label("sparse", card["latent_dim"]), md.pct(card["metrics"]["zero_fraction"]),
                   f"{card['metrics']['active_units_per_image']:.1f} of {card['latent_dim']}",
                   card["metrics"]["dead_units"], md.mse(card["metrics"]["test_mse"])] for card in sparse_cards]))
    w.figure(figures.plot_l1_schedule(sparse_cards), "l1_schedule.png", "The L1 schedule and test MSE per epoch")


def _tradeoff(w: md.Writer, result: Sparse) -> None:
    c, rows = w.config, result.tradeoff
    schedule = experiments.scaled_sparse_schedule(c.tradeoff_epochs)
    shape = " -> ".join(map(str, [INPUT_DIM, *c.tradeoff_hidden_dims, c.tradeoff_latent_dim,
                                  *c.tradeoff_hidden_dims[::-1], INPUT_DIM]))
    w.add(f"**The trade-off.** Extra sparse models {shape}"
          + (" (the course's shape)" if not c.tradeoff_hidden_dims else "")
          + f", {c.tradeoff_epochs} epochs each "
          f"(the same schedule scaled: warm-up {schedule['l1_warmup_epochs']:.3g} epochs, revival until epoch "
          f"{schedule['revive_until_epoch']}), one per l1_weight and seed, the ramp starting at the same share of "
          f"l1_weight as shipped and never eased, other settings as shipped; trained by this command {md.over(c)}, not saved to weights/.")
    w.add(md.table(["l1_weight", "zero entries", "active units per image", "dead units", "test MSE"],
                 [[f"{r['l1_weight']:g}", md.pct(r["zero_fraction"]), f"{r['active_units_per_image']:.1f}",
                   r["dead_units"], md.mse(r["mse"])] for r in rows]))
    first, last = rows[0], rows[-1]
    w.add(f"Raising l1_weight from {first['l1_weight']:g} to {last['l1_weight']:g} takes the zero entries from "
          f"{md.pct(first['zero_fraction'])} to {md.pct(last['zero_fraction'])} while the test MSE goes from "
          f"{md.mse(first['mse'])} to {md.mse(last['mse'])}: sparsity is bought with reconstruction error, and "
          "l1_weight chooses the point on the curve (docs/TRAINING.md has the longer runs behind the shipped choice).")
    w.figure(figures.plot_tradeoff(result.per_seed[0], result.shipped_rows, f"{shape}, {c.tradeoff_epochs} epochs, over l1_weight "
                                    f"(seed {c.seeds[0]})"), "sparse_tradeoff.png",
             "MSE against sparsity over l1_weight")
