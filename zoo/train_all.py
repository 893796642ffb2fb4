"""Train every registered variant at every d and write weights/ (safetensors + a JSON model card each).

`python train_all.py` in a checkout, `ae-zoo-train` after an install:

    python train_all.py                       # the whole zoo: every variant at its d's (zoo.store.shipped.models())
    python train_all.py --variants sparse --d 32 --force
    python train_all.py --quick               # a smoke run: 1 epoch, written to weights-quick/

A model already trained with the same recipe is skipped (unless --force), and each model is
written atomically when it finishes, so a run that is killed resumes where it stopped.

On a CPU the models train side by side, one worker process per core with one thread each: the
zoo's matrix products are small, and two one-thread trainings on two cores get 1.6x the work done
of one two-thread training (docs/BENCHMARKS.md). A model as big as the paper's deep one trains
first, alone with every core (`phases`); the rest are shared out by their expected times (`estimated_seconds`,
`zoo.training.workers.dispatch_order`). On a GPU they train one after another.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from tqdm.auto import tqdm

from zoo.data import load_mnist
from zoo.model import parameter_count
from zoo.store import checkpoint, recipe, shipped
from zoo.store.shipped import LATENT_DIMS
from zoo.system import paths
from zoo.system.hardware import resolve_device, resolve_precision
from zoo.training import metrics
from zoo.training.config import PRECISIONS, TrainConfig
from zoo.training.engine import NonFiniteLossError
from zoo.training.workers import ALONE_FROM, dispatch_order, epoch_done, plan, side_by_side
from zoo.training.workers import state as worker_state
from zoo.variants import get_variant, variant_names
from zoo.variants.base import Variant

QUICK_DIR = Path("weights-quick")  # beside where it runs: a smoke run never touches the shipped zoo


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--variants", nargs="+", default=None, metavar="NAME",
                        help=f"variants to train (default: all registered: {', '.join(variant_names())})")
    parser.add_argument("--d", nargs="+", type=int, default=None,
                        help=f"latent sizes (default: each variant's own; {', '.join(map(str, LATENT_DIMS))} for most)")
    parser.add_argument("--epochs", type=int, default=None, help="override each variant's default epochs")
    parser.add_argument("--seed", type=int, default=0, help="initialisation, shuffling and noise")
    parser.add_argument("--device", default="auto", help="auto (CUDA if present), cpu or cuda")
    parser.add_argument("--precision", choices=("auto", *PRECISIONS), default="auto",
                        help="the training steps' matrix products: auto is bfloat16 where the hardware runs it natively")
    parser.add_argument("--weights-dir", type=Path, default=None,
                        help="output directory (default: weights/, or weights-quick/ with --quick)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 epoch unless --epochs, into weights-quick/")
    parser.add_argument("--force", action="store_true", help="retrain models already trained with the same recipe")
    parser.add_argument("--jobs", type=int, default=0,
                        help="models trained at once, in worker processes (0: one per CPU core, 1 on a GPU)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.jobs < 0:
        parser.error(f"--jobs must be >= 0, got {args.jobs}")
    for d in args.d or ():
        if d <= 0:
            parser.error(f"--d takes positive integers, got {d}")
    if args.epochs is not None and args.epochs <= 0:
        parser.error(f"--epochs must be positive, got {args.epochs}")
    args.variants = args.variants or variant_names()
    unknown = [v for v in args.variants if v not in variant_names()]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; registered: {', '.join(variant_names())}")
    if args.quick and args.epochs is None:
        args.epochs = 1
    if args.weights_dir is None:
        args.weights_dir = QUICK_DIR if args.quick else paths.default_weights_dir()
    return args


def format_table(rows: list[dict]) -> str:
    """The summary as a fixed-width table."""
    header = f"{'variant':<10} {'d':>3} {'test MSE':>9} {'PCA MSE':>9} {f'MSE@{metrics.NOISY_AMPLITUDE:g}':>9} {'zeros':>6} {'dead':>4} {'time s':>7}  status"
    lines = [header, "-" * len(header)]
    for r in rows:
        m = r["metrics"]
        lines.append(f"{r['variant']:<10} {r['latent_dim']:>3} {m['test_mse']:>9.5f} {r['pca_mse']:>9.5f} "
                     f"{m['noisy_test_mse'][metrics.noise_key(metrics.NOISY_AMPLITUDE)]:>9.5f} {m['zero_fraction']:>6.1%} {m['dead_units']:>4} "
                     f"{r['training_seconds']:>7.1f}  {r['status']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    start = time.perf_counter()
    args = parse_args(argv)
    device = resolve_device(args.device)
    command = " ".join(["python", "train_all.py", *(sys.argv[1:] if argv is None else argv)])
    cards, todo = {}, []
    for name in args.variants:
        variant = get_variant(name)
        config = dataclasses.replace(variant.default_train_config, seed=args.seed, precision=args.precision,
                                     epochs=args.epochs or variant.default_train_config.epochs)
        for d in args.d or shipped.latent_dims(name):
            if not args.force and recipe.is_trained(args.weights_dir, recipe.spec(variant, d, config)):
                cards[name, d] = checkpoint.read_card(checkpoint.paths(args.weights_dir, name, d)[1]), "already trained"
            else:
                todo.append((variant, d, config))
    schedule = phases(todo, device, args.jobs)
    if todo:
        precision = resolve_precision(args.precision, device)
        print(f"training {len(todo)} models on {device} in {precision}: {describe(schedule)}", file=sys.stderr)
        if args.precision == "bfloat16" and resolve_precision("auto", device) != "bfloat16":
            print(f"warning: this {device.type.upper()} has no native bfloat16; its emulation is slow "
                  "(11x float32 on AVX2 kernels)", file=sys.stderr)
    if not trains_here(schedule):  # the workers hold every core: this process's threads would only wait for one
        torch.set_num_threads(1)
    # MNIST and the PCA baseline load beside the workers' start-up: it waits on files and one core.
    with concurrent.futures.ThreadPoolExecutor(1) as background:
        mnist = background.submit(_load_mnist)
        dims = sorted({d for _, d in cards} | {d for _, d, _ in todo})
        pca = background.submit(lambda: metrics.pca_mses(*mnist.result(), dims))
        try:
            for card in train_models(schedule, mnist.result, args.weights_dir, device, progress=not args.no_progress,
                                     command=command):
                cards[card["variant"], card["latent_dim"]] = card, "trained"
        except NonFiniteLossError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        rows = [{**card, "pca_mse": pca.result()[d], "status": status} for (name, d), (card, status) in sorted(cards.items())]
    print(format_table(rows))
    print(f"{len(rows)} models in {args.weights_dir} ({time.perf_counter() - start:.0f} s)")
    if todo:  # a map is tied to its weights: Explore would fit it on first use (~25 s a model)
        print(f"the retrained models' maps are stale: python -m zoo.analysis.maps --weights-dir {args.weights_dir}")
    return 0


def _load_mnist() -> tuple[torch.Tensor, torch.Tensor]:
    """(train images, test images), each (N, 784) float32."""
    return load_mnist("train")[0], load_mnist("test")[0]


Job = tuple[Variant, int, TrainConfig]  # (variant, d, recipe)


Phase = tuple[list[Job], int, int]  # (jobs, worker processes, threads each)


def phases(todo: list[Job], device: torch.device, jobs: int = 0) -> list[Phase]:
    """How to train `todo`: models of ALONE_FROM parameters or more first, one at a time with every core;
    then the rest side by side (`zoo.training.workers.plan`; `jobs` as --jobs)."""
    alone = [job for job in todo if parameter_count(job[0].model_config(job[1])) >= ALONE_FROM]
    rest = [job for job in todo if job not in alone]
    return ([(alone, *plan(1, device, 1))] if alone else []) + ([(rest, *plan(len(rest), device, jobs))] if rest else [])


def describe(phases: list[Phase]) -> str:
    """The plan in words, e.g. "deep d=30 alone with 2 threads, then 9 models 2 at a time, 1 thread each"."""
    return ", then ".join(
        f"{jobs[0][0].name} d={jobs[0][1]} alone with {threads} thread(s)" if len(jobs) == 1 else
        f"{len(jobs)} models {workers} at a time, {threads} thread(s) each" for jobs, workers, threads in phases)


def trains_here(phases: list[Phase]) -> bool:
    """True when the models train in this process (every phase one worker), not in worker processes."""
    return all(workers == 1 for _, workers, _ in phases)


def train_models(phases: list[Phase], mnist: Callable[[], tuple[torch.Tensor, torch.Tensor]], weights_dir: Path,
                 device: torch.device, *, progress: bool, command: str):
    """Train and save each job's model, phase by phase; yield each card as its model is written.

    When every phase is one worker (a GPU, --jobs 1, a single model) the models train in this process, one
    after another, each with its own progress bar; `mnist()` gives (train images, test images) for them.
    Otherwise worker processes load their own, and one progress bar counts every model's epochs.
    """
    jobs = [job for phase_jobs, _, _ in phases for job in phase_jobs]
    if trains_here(phases):
        train_x, test_x = mnist() if jobs else (None, None)
        for i, (variant, d, config) in enumerate(jobs, 1):
            print(f"[{i}/{len(jobs)}] training {variant.name} d={d} for {config.epochs} epochs", file=sys.stderr)
            yield recipe.train_and_save(variant, d, config, train_x, test_x, weights_dir, device=str(device),
                                       progress=progress, command=command)
        return
    with tqdm(total=sum(config.epochs for _, _, config in jobs), unit="epoch", disable=not progress,
              desc=f"{len(jobs)} models", file=sys.stderr) as bar:
        for phase_jobs, workers, threads in phases:
            # Split so that no worker is left with a long job at the end while the others wait.
            costs = estimated_seconds(phase_jobs, [weights_dir, paths.default_weights_dir()])
            phase_jobs = [phase_jobs[i] for i in dispatch_order(costs, workers)]
            task = functools.partial(_train_in_worker, weights_dir=weights_dir, device=str(device), command=command,
                                     workers=workers)
            for _, card in side_by_side(task, phase_jobs, workers=workers, threads=threads, setup=_mnist_state,
                                        bar=bar):
                tqdm.write(f"{card['variant']} d={card['latent_dim']}: test MSE {card['metrics']['test_mse']:.5f} "
                           f"({card['training_seconds']:.0f} s)", file=sys.stderr)
                yield card


def estimated_seconds(jobs: list[Job], weights_dirs: list[Path]) -> list[float]:
    """Each job's training time in relative units, to share the work out: epochs x parameters x its variant's
    mean seconds per parameter-epoch over that variant's cards (pooled over d: one model's time is noisy).

    Each job's card is read from the first of `weights_dirs` that has it; a variant with no card takes the mean
    over every card found, and with no card at all the time is epochs x parameters.
    """
    rates: dict[str, list[float]] = {}
    for variant, d, _ in jobs:
        for weights_dir in weights_dirs:
            try:
                card = checkpoint.read_card(checkpoint.paths(weights_dir, variant.name, d)[1])
                rate = float(card["training_seconds"]) / int(card["epochs"]) / int(card["parameter_count"])
            except (checkpoint.CheckpointError, KeyError, TypeError, ValueError, ZeroDivisionError):
                continue
            rates.setdefault(variant.name, []).append(rate)
            break
    every = [rate for found in rates.values() for rate in found] or [1.0]
    return [config.epochs * parameter_count(variant.model_config(d)) *
            statistics.mean(rates.get(variant.name, every)) for variant, d, config in jobs]


def _mnist_state() -> dict:
    train_x, test_x = _load_mnist()
    return {"train_x": train_x, "test_x": test_x}


def _train_in_worker(job: Job, *, weights_dir: Path, device: str, command: str, workers: int) -> dict:
    variant, d, config = job
    return recipe.train_and_save(variant, d, config, worker_state["train_x"], worker_state["test_x"], weights_dir,
                                device=device, progress=False, command=command, side_by_side=workers,
                                on_epoch=epoch_done)


if __name__ == "__main__":
    sys.exit(main())
