"""When each shipped model first met its quality goal, read from the model cards (no retraining).

    python benchmarks/time_to_quality.py [--weights-dir weights]

Each card holds the test MSE after every epoch and the training time; an epoch's time is taken as
training_seconds / epochs (the engine's epochs are equal in work). Goals are the zoo issue's: plain
and deep (its error per image / 784) on clean test MSE; denoising on clean MSE within
DENOISING_MAX_TIMES_PLAIN_CLEAN of plain's final (its noisy-input goal is met
from epoch 1 at every d); sparse only at its last epoch, where its L1 ramp is complete, on both the
zero fraction and the MSE (early epochs meet the MSE goal only because the code is not sparse yet).
Prints a table and the total.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zoo import registry
from zoo.model import INPUT_DIM
from zoo.store.shipped import (
    DEEP_MAX_ERROR_PER_IMAGE,
    DENOISING_MAX_TIMES_PLAIN_CLEAN,
    LATENT_DIMS,
    PLAIN_MAX_MSE,
    SPARSE_MAX_MSE,
    SPARSE_MIN_ZEROS,
)

MSE_GOAL = {**{("plain", d): mse for d, mse in PLAIN_MAX_MSE.items()},
            **{("sparse", d): mse for d, mse in SPARSE_MAX_MSE.items()},
            **{("deep", d): error / INPUT_DIM for d, error in DEEP_MAX_ERROR_PER_IMAGE.items()}}


def first_epoch_meeting_goal(name: str, d: int, card: dict, goal: float | None) -> int | None:
    if goal is None:
        return None
    if name == "sparse":
        final = card["metrics"]
        met = final["test_mse"] <= goal and final["zero_fraction"] >= SPARSE_MIN_ZEROS[d]
        return card["epochs"] if met else None
    return next((row["epoch"] for row in card["history"] if row["test_mse"] <= goal), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    cards = {pair: registry.card(*pair, weights_dir=args.weights_dir) for pair in registry.available(args.weights_dir)}
    goals = dict(MSE_GOAL)
    for d in LATENT_DIMS:
        if ("plain", d) in cards:
            goals["denoising", d] = DENOISING_MAX_TIMES_PLAIN_CLEAN * cards["plain", d]["metrics"]["test_mse"]
    print(f"{'model':<14} {'goal MSE':>9} {'epochs':>6} {'met at':>7} {'time to goal s':>15} {'full run s':>11}")
    total_goal = total_full = 0.0
    for (name, d), card in sorted(cards.items()):
        per_epoch = card["training_seconds"] / card["epochs"]
        goal = goals.get((name, d))
        met = first_epoch_meeting_goal(name, d, card, goal)
        to_goal = met * per_epoch if met else float("nan")
        total_goal += to_goal if met else card["training_seconds"]
        total_full += card["training_seconds"]
        print(f"{f'{name} d={d}':<14} {goal if goal else float('nan'):>9.5f} {card['epochs']:>6} "
              f"{met if met else 'never':>7} {to_goal:>15.1f} {card['training_seconds']:>11.1f}")
    print(f"sum of training times: {total_full:.0f} s; to each goal (a full run where never met): {total_goal:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
