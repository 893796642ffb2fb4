"""What one training step spends its time on: torch.profiler's table and the step's share of the matmul peak.

    python benchmarks/step_profile.py deep 30 [--batch-sizes 256 512 1024] [--steps N] [--threads 2]
    python benchmarks/step_profile.py plain 32 --threads 1      # as train_all runs the grid: one thread a model
    python benchmarks/step_profile.py deep 30 --precision float32  # the path of a CPU without native bfloat16

For each batch size: `zoo.training.engine.train` with the variant's recipe at that batch, on `--steps` batches of
the training images an epoch (default: all of them), for three epochs; a step's time is the median epoch's
training time over its steps (the first epoch is the warm-up). Its GFLOP/s (6 FLOPs per weight per image) is set
against the matmul peak of the step's precision measured in the same run (with the recipe's "auto", the best
peak: "auto" picks bfloat16 where it is native), and beside it the ceiling of the model's own shapes: its
layers' forward and backward products alone at that batch, in the step's precision
(`peaks.products_alone_gflops`). For the first batch size, the profiler's ten costliest operators over a fresh
model's build and one epoch of 10 steps.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics

import torch
from peaks import DTYPES, describe, matmul_peaks, products_alone_gflops

from zoo.data import load_mnist
from zoo.model import parameter_count
from zoo.training.engine import train
from zoo.variants import get_variant


def train_epochs(name: str, d: int, batch_size: int, steps: int, epochs: int, train_x, test_x, precision: str):
    """Train a fresh model `epochs` epochs of `steps` batches; (each epoch's seconds per step, its precision)."""
    variant = get_variant(name)
    model = variant.build(d, seed=0)
    config = dataclasses.replace(variant.default_train_config, batch_size=batch_size, epochs=epochs,
                                 precision=precision)
    result = train(model, variant, train_x[:steps * batch_size], test_x, config, device="cpu", progress=False)
    return [seconds / steps for seconds in result.epoch_seconds], result.precision


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant")
    parser.add_argument("d", type=int)
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=None, help="default: the recipe's")
    parser.add_argument("--steps", type=int, default=None, help="batches in each timed epoch (default: a whole epoch)")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--precision", choices=[*DTYPES, "auto"], default=None, help="default: the recipe's")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    train_x, _ = load_mnist("train")
    recipe = get_variant(args.variant).default_train_config
    batch_sizes = args.batch_sizes or [recipe.batch_size]
    precision = args.precision or recipe.precision
    peaks = matmul_peaks(torch.device("cpu"))
    print(describe(torch.device("cpu"), peaks))
    print(f"{'batch':>6} {'precision':>9} {'ms/step':>8} {'(min-max)':>14} {'images/s':>9} {'GFLOP/s':>8} "
          f"{'of peak':>8} {'products alone':>15}")
    flops_per_image = 6 * parameter_count(get_variant(args.variant).model_config(args.d))
    layers = [(m.in_features, m.out_features) for m in get_variant(args.variant).build(args.d, seed=0).modules()
              if isinstance(m, torch.nn.Linear)]
    test_x = load_mnist("test")[0][:1000]  # the engine's test pass after each epoch, outside its timed steps
    for index, batch_size in enumerate(batch_sizes):
        steps = args.steps or len(train_x) // batch_size
        times, used = train_epochs(args.variant, args.d, batch_size, steps, 3, train_x, test_x, precision)
        seconds = statistics.median(times[1:])
        gflops = batch_size * flops_per_image / seconds / 1e9
        ceiling, peak = products_alone_gflops(layers, batch_size, DTYPES[used]), peaks[used]
        print(f"{batch_size:>6} {used:>9} {seconds * 1e3:>8.2f} "
              f"{f'({min(times[1:]) * 1e3:.1f}-{max(times[1:]) * 1e3:.1f})':>14} {batch_size / seconds:>9.0f} "
              f"{gflops:>8.1f} {gflops / peak:>8.3f} {ceiling / peak:>15.3f}", flush=True)
        if index == 0:
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profile:
                train_epochs(args.variant, args.d, batch_size, 10, 1, train_x, test_x, precision)
            table = profile.key_averages().table(sort_by="self_cpu_time_total", row_limit=10)
    print(f"\nThe ten costliest operators at batch {batch_sizes[0]}, a model's build, 10 steps and a test pass:")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
