"""Time to quality of the deep d=30 model: test error per image against training seconds, from model cards.

    python benchmarks/deep_curve.py [--old REV] [--weights-dir weights]

Reads the shipped card (and the one committed at REV, git show, to compare recipes), takes each epoch's time as
training_seconds / epochs (the engine's epochs are equal in work), and prints the curve and the seconds at
which each first reached Hinton & Salakhutdinov's 3.00 per test image (zoo.lab.literature).
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from zoo import registry
from zoo.lab.literature import PUBLISHED
from zoo.model import INPUT_DIM

PAPER = PUBLISHED[0]


def curve(card: dict) -> list[tuple[float, float]]:
    """(seconds since training began, test error per image) after each epoch."""
    per_epoch = card["training_seconds"] / card["epochs"]
    return [(row["epoch"] * per_epoch, row["test_mse"] * INPUT_DIM) for row in card["history"]]


def seconds_to(points: list[tuple[float, float]], error: float) -> float | None:
    return next((t for t, e in points if e <= error), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="a git revision whose weights/deep-d30.json to compare")
    parser.add_argument("--weights-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    cards = {"shipped": registry.card("deep", 30, weights_dir=args.weights_dir)}
    if args.old:
        cards[args.old] = json.loads(subprocess.run(["git", "show", f"{args.old}:weights/deep-d30.json"],
                                                    check=True, capture_output=True, text=True).stdout)
    for name, card in cards.items():
        points = curve(card)
        cfg = card["train_config"]
        reached = seconds_to(points, PAPER.error_per_image)
        print(f"{name}: {card['epochs']} epochs, batch {cfg['batch_size']}, peak lr {cfg['learning_rate']}, "
              f"weight decay {cfg.get('weight_decay', 0.0)}, shift {cfg.get('shift_pixels', 0)} px, {card['precision']}, "
              f"{card['training_seconds']:.0f} s (trained {card['created'][:10]}); "
              f"{PAPER.error_per_image:.2f} per test image first reached at "
              + (f"{reached:.0f} s" if reached is not None else "never"))
        print(f"{'seconds':>8} {'epoch':>6} {'test error per image':>21}")
        step = max(1, len(points) // 12)
        for i, (t, e) in enumerate(points):
            if i % step == step - 1 or i == len(points) - 1:
                print(f"{t:>8.0f} {i + 1:>6} {e:>21.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
