"""Train one model with a given recipe; print its test metrics and its fit: the probe behind docs/TRAINING.md.

    python benchmarks/recipe_probe.py VARIANT D '{"epochs": 20}' '{"hidden_dims": [256]}'

The third argument overrides TrainConfig fields, the fourth the variant's hyperparameters.
"train_mse" is the error on the training images in eval mode (the fit; "train_loss" is the last epoch's running mean).
Set T=1 to run on one thread (two probes side by side on a 2-core machine).
"""
import json
import os
import sys

import torch

from zoo.data import load_mnist
from zoo.training import metrics
from zoo.training.config import TrainConfig
from zoo.training.engine import train
from zoo.variants import get_variant

torch.set_num_threads(int(os.environ.get("T", torch.get_num_threads())))


def main() -> None:
    name, d = sys.argv[1], int(sys.argv[2])
    train_overrides = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    variant_overrides = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    train_x, _ = load_mnist("train")
    test_x, _ = load_mnist("test")
    variant = get_variant(name, **variant_overrides)
    config = TrainConfig(**train_overrides)
    model = variant.build(d, seed=config.seed)
    result = train(model, variant, train_x, test_x, config, progress=False)
    ev = metrics.evaluate(model, test_x)
    train_mse = metrics.reconstruction_mse(model, train_x)  # eval mode: the fit, without batch statistics
    print(f"{name} d={d} {train_overrides} {variant_overrides} test_mse={ev['test_mse']:.5f} "
          f"mse@0.5={ev['noisy_test_mse']['0.5']:.5f} zeros={ev['zero_fraction']:.3f} dead={ev['dead_units']} "
          f"train_loss={result.history[-1]['train_loss']:.5f} train_mse={train_mse:.5f} "
          f"time={result.seconds:.1f}s", flush=True)


if __name__ == "__main__":
    main()
