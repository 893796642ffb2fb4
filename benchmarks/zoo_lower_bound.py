"""How fast could `python train_all.py` be on this machine? The recipe's arithmetic against the matmul peaks.

    python benchmarks/zoo_lower_bound.py

For every model the zoo trains: its recipe's floating-point work (forward + backward of every Linear
layer is about 6 FLOPs per parameter per image, over 60,000 images per epoch, plus a 10,000-image
test pass after each epoch), the seconds that work takes at the best matrix-multiply peak measured in
this run (float32 or bfloat16, whichever is faster here; both are printed), and the seconds the shipped
model's card records. Nothing is trained. The cards say how many models trained at once
(`side_by_side`: train_all runs one per core), so the zoo's wall time is about the cards' sum divided by
that. Last line: `RESULT lower_bound_s=<all models at the best peak> card_s=<sum of the cards' training
times> peak_fraction=<lower bound / zoo_s> zoo_s=<card_s / side_by_side>`.
"""

from __future__ import annotations

import sys

import torch
from peaks import describe, matmul_peaks

from zoo.model import parameter_count
from zoo.store import checkpoint, shipped
from zoo.system import paths
from zoo.variants import get_variant

TRAIN_IMAGES, TEST_IMAGES = 60000, 10000


def recipe_flops(name: str, latent_dim: int) -> tuple[int, float]:
    """(epochs, FLOPs) of the variant's default recipe at d = latent_dim."""
    variant = get_variant(name)
    epochs = variant.default_train_config.epochs
    params = parameter_count(variant.model_config(latent_dim))
    per_epoch = 6 * params * TRAIN_IMAGES + 2 * params * TEST_IMAGES  # training steps + the test pass
    return epochs, epochs * per_epoch


def main() -> int:
    peaks = matmul_peaks(torch.device("cpu"))
    peak = max(peaks.values())
    weights_dir = paths.default_weights_dir()
    print(describe(torch.device("cpu"), peaks) + "\n")
    print(f"{'model':<16}{'epochs':>7}{'TFLOP':>8}{'s at peak':>11}{'card s':>9}{'fraction':>10}")
    total_bound = total_card = zoo_s = 0.0
    for name, d in shipped.models():
        epochs, flops = recipe_flops(name, d)
        bound = flops / (peak * 1e9)
        try:
            card = checkpoint.read_card(checkpoint.paths(weights_dir, name, d)[1])
            card_s = card["training_seconds"]
            zoo_s += card_s / card.get("side_by_side", 1)  # models trained side by side share the wall time
        except checkpoint.CheckpointError:
            card_s = float("nan")
        total_bound += bound
        total_card += card_s
        print(f"{name + ' d=' + str(d):<16}{epochs:>7}{flops / 1e12:>8.2f}{bound:>11.1f}{card_s:>9.1f}"
              f"{bound / card_s:>10.2f}")
    print(f"{'all models':<16}{'':>7}{'':>8}{total_bound:>11.1f}{total_card:>9.1f}{total_bound / total_card:>10.2f}")
    print(f"\n'fraction' is the share of the best peak ({peak:.0f} GFLOP/s) each model's training reached "
          f"(lower bound / card seconds); with each card's seconds divided by the models it trained beside, the "
          f"zoo's training took about {zoo_s:.0f} s, {total_bound / zoo_s:.2f} of the best peak.")
    print(f"RESULT lower_bound_s={total_bound:.0f} card_s={total_card:.0f} peak_fraction={total_bound / zoo_s:.3f} "
          f"zoo_s={zoo_s:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
