"""Training speed of the zoo's engine against a typical tutorial loop, on the plain d=32 model.

    python benchmarks/train_speed.py [--epochs 2] [--rounds 3]

(a) typical: torchvision's MNIST Dataset with ToTensor (one image converted per item), a DataLoader
    with batch 64, shuffled, num_workers=0, float32; (b) the same with num_workers=2; (c) zoo.training.engine.train
    at batch 64 in float32 and at its defaults (batch and precision), one model using every core; (d) the
    engine's defaults as `python train_all.py` runs them on a CPU: one model per core side by side, one
    thread each (its s/epoch is the time per model-epoch: each epoch's training steps, as the engine times
    them while the other models train beside it, divided by the number of models). Same model,
    optimiser (Adam + one-cycle), epochs.
The configurations run in turn, `--rounds` times over (this machine is shared and noisy: interleaving
lets a slow stretch hit every configuration alike). Prints samples/s and seconds per epoch (median over
all epochs of all rounds, with the spread), the ratio to (a) (median of the per-round ratios), the
test MSE after the last round; the achieved GFLOP/s against the float32 and bfloat16 matrix-multiply
peaks measured in the same run; and what the whole zoo (every variant x d, its default recipe) would
take at the engine's measured speed. Last line: `RESULT ratio_vs_typical=<(d), the engine as the zoo
trains, vs (a)> peak_fraction=<(d)'s achieved / the best peak> zoo_s=<the zoo's training steps at (d)'s
speed>`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import multiprocessing
import os
import statistics
import time

import torch
from peaks import describe, matmul_peaks
from torch.utils.data import DataLoader

from zoo.data import default_root, ensure_mnist, load_mnist
from zoo.model import parameter_count
from zoo.store import shipped
from zoo.system.hardware import resolve_device
from zoo.training import metrics
from zoo.training.engine import train
from zoo.variants import get_variant
from zoo.variants.base import mse_loss

LATENT_DIM = 32
SIDE_BY_SIDE = "(d) engine default, 1/core side by side"


def typical_loop(epochs: int, num_workers: int, device: torch.device, test_x: torch.Tensor):
    """The tutorial loop: per-item Dataset + DataLoader; returns (seconds per epoch list, test MSE)."""
    from torchvision import datasets, transforms

    ensure_mnist(default_root())
    dataset = datasets.MNIST(str(default_root()), train=True, download=False, transform=transforms.ToTensor())
    loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=num_workers,
                        generator=torch.Generator().manual_seed(0), persistent_workers=num_workers > 0)
    variant = get_variant("plain")
    model = variant.build(LATENT_DIM, seed=0).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=epochs * len(loader), pct_start=0.3)
    times = []
    for _ in range(epochs):
        model.train()
        start = time.perf_counter()
        for images, _ in loader:
            x = images.to(device).reshape(len(images), 784)
            loss = mse_loss(model.decode_logits(model.encode(x)), x)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return times, metrics.reconstruction_mse(model, test_x.to(device))


def engine_loop(epochs: int, batch_size: int | None, device: torch.device, train_x, test_x, fused_adam: bool = True,
                precision: str | None = None):
    """zoo.training.engine.train on plain d=32; None keeps the default batch size or precision."""
    variant = get_variant("plain")
    model = variant.build(LATENT_DIM, seed=0)
    default = variant.default_train_config
    config = dataclasses.replace(default, epochs=epochs, batch_size=batch_size or default.batch_size,
                                 fused_adam=fused_adam, precision=precision or default.precision)
    result = train(model, variant, train_x, test_x, config, device=device, progress=False)
    return result.epoch_seconds, result.history[-1]["test_mse"]


def side_by_side(epochs: int, device: torch.device):
    """(d): one engine_loop per core at once, one thread each, as train_all runs the zoo on a CPU.

    Returns the seconds per model-epoch (a list, one per epoch index: the workers' mean time for that epoch's
    training steps, divided by the number of workers) and the first model's test MSE.
    """
    cores = len(os.sched_getaffinity(0))
    context = multiprocessing.get_context("spawn")
    start_line = context.Barrier(cores)  # every worker has loaded MNIST before any starts the clock
    with concurrent.futures.ProcessPoolExecutor(cores, mp_context=context, initializer=_one_thread,
                                                initargs=(start_line,)) as pool:
        runs = [f.result() for f in [pool.submit(_train_at_start_line, epochs, str(device)) for _ in range(cores)]]
    return [statistics.mean(seconds[i] for seconds, _ in runs) / cores for i in range(epochs)], runs[0][1]


_barrier = None


def _one_thread(start_line) -> None:
    global _barrier
    torch.set_num_threads(1)
    # A process's first optimiser imports torch._dynamo (about 1.8 s): once per process, not training. Paid here,
    # before the clock starts, as (a)-(c) pay it outside their epochs.
    torch.optim.AdamW([torch.zeros(1, requires_grad=True)])
    _barrier = start_line


def _train_at_start_line(epochs: int, device: str):
    train_x, _ = load_mnist("train")
    test_x, _ = load_mnist("test")
    _barrier.wait()
    return engine_loop(epochs, None, torch.device(device), train_x, test_x)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2, help="epochs per configuration in each round")
    parser.add_argument("--rounds", type=int, default=3, help="times each configuration runs, interleaved")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--skip-workers", action="store_true", help="skip (b), num_workers=2")
    args = parser.parse_args(argv)
    device = resolve_device(args.device)
    train_x, _ = load_mnist("train")
    test_x, _ = load_mnist("test")
    default_batch = get_variant("plain").default_train_config.batch_size
    precision = get_variant("plain").default_train_config.precision
    runs = {"(a) typical, batch 64, workers 0": lambda: typical_loop(args.epochs, 0, device, test_x)}
    if not args.skip_workers:
        runs["(b) typical, batch 64, workers 2"] = lambda: typical_loop(args.epochs, 2, device, test_x)
    runs["(c) engine, batch 64, unfused Adam"] = lambda: engine_loop(args.epochs, 64, device, train_x, test_x, False,
                                                                     precision="float32")
    runs["(c) engine, batch 64"] = lambda: engine_loop(args.epochs, 64, device, train_x, test_x, precision="float32")
    runs[f"(c) engine, batch {default_batch}, {precision} (default)"] = lambda: engine_loop(
        args.epochs, None, device, train_x, test_x)
    if device.type == "cpu":
        runs[SIDE_BY_SIDE] = lambda: side_by_side(args.epochs, device)
    times = {name: [] for name in runs}
    round_medians = {name: [] for name in runs}
    mse = {}
    for _ in range(args.rounds):
        for name, run in runs.items():
            epoch_times, mse[name] = run()
            times[name] += epoch_times
            round_medians[name].append(statistics.median(epoch_times))
    baseline_name = "(a) typical, batch 64, workers 0"
    ratio = {name: statistics.median(b / t for b, t in zip(round_medians[baseline_name], round_medians[name]))
             for name in runs}
    rows = {name: (statistics.median(t), min(t), max(t), mse[name]) for name, t in times.items()}
    peaks = matmul_peaks(device)
    peak = max(peaks.values())
    # Forward + backward of a Linear(a, b) is about 3 x 2ab FLOPs per sample.
    flops_per_sample = 6 * parameter_count(get_variant("plain").model_config(LATENT_DIM))
    print(f"device {device}, torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"plain d={LATENT_DIM}, {args.rounds} rounds x {args.epochs} epochs each")
    print(f"{'loop':<42} {'samples/s':>10} {'s/epoch':>8} {'(min-max)':>14} {'vs (a)':>7} {'test MSE':>9}")
    for name, (median, low, high, final_mse) in rows.items():
        print(f"{name:<42} {60000 / median:>10.0f} {median:>8.2f} {f'({low:.2f}-{high:.2f})':>14} "
              f"{ratio[name]:>6.2f}x {final_mse:>9.5f}")
    default_name = SIDE_BY_SIDE if SIDE_BY_SIDE in rows else f"(c) engine, batch {default_batch}, {precision} (default)"
    engine_default = rows[default_name][0]
    achieved = 60000 * flops_per_sample / engine_default / 1e9
    print(describe(device, peaks))
    print(f"{default_name} achieves {achieved:.1f} GFLOP/s (training steps only, as for the typical loop): "
          + ", ".join(f"{achieved / value:.3f} of the {name} peak" for name, value in peaks.items()))
    grid = [(name, d) for name, d in shipped.models() if shipped.on_grid(name)]
    zoo_samples = sum(get_variant(name).default_train_config.epochs * 60000 for name, _ in grid)
    zoo_s = zoo_samples / (60000 / engine_default)
    print(f"the zoo's grid ({len(grid)} models, {zoo_samples / 60000:.0f} epochs) at this "
          f"speed: {zoo_s:.0f} s of training steps (plain d={LATENT_DIM}'s speed for every model; sparse and "
          "denoising steps cost more, and train_all also evaluates each model; the deep model is apart)")
    print(f"RESULT ratio_vs_typical={ratio[default_name]:.2f} peak_fraction={achieved / peak:.3f} zoo_s={zoo_s:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
