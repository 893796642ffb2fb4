"""Probe: how many of a sparse model's units are at work, by how rare units are revived (`revive_below`, the share
of the sample a unit may fire on and still be revived). docs/TRAINING.md has the answers.

    python benchmarks/rare_units_probe.py 64 0 bfloat16 '{"revive_below": 0.01}'

Arguments: d, seed, precision, the variant's hyperparameters as JSON.
Prints test MSE, zero share, dead units and rare units (firing on under 1% of the test digits, `zoo.analysis.units`).
"""
import dataclasses
import json
import os
import sys
import time

import torch

from zoo.analysis import units
from zoo.data import load_mnist
from zoo.training import metrics
from zoo.training.engine import train
from zoo.variants.sparse import Sparse

torch.set_num_threads(int(os.environ.get("T", torch.get_num_threads())))


def main() -> None:
    d, seed, precision = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    overrides = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    train_x, _ = load_mnist("train")
    test_x, test_y = load_mnist("test")
    variant = Sparse(**overrides)
    config = dataclasses.replace(Sparse.default_train_config, seed=seed, precision=precision)
    model = variant.build(d, seed=seed)
    start = time.perf_counter()
    train(model, variant, train_x, test_x, config, progress=False)
    ev = metrics.evaluate(model, test_x)
    table = units.UnitTable.build(model, test_x, test_y)
    print(f"sparse d={d} seed={seed} {precision} {overrides}: mse={ev['test_mse']:.5f} zeros={ev['zero_fraction']:.3f} "
          f"dead={int(table.dead.sum())} rare={int(table.rare.sum())} time={time.perf_counter() - start:.0f}s", flush=True)


if __name__ == "__main__":
    main()
