"""Train every registered variant at every d and write weights/ (safetensors + a JSON model card each).

`python train_all.py` in a checkout, `ae-zoo-train` after an install:

    python train_all.py                       # the whole zoo: every variant x d in zoo.shipped.LATENT_DIMS
    python train_all.py --variants sparse --d 32 --force
    python train_all.py --quick               # a smoke run: 1 epoch, written to weights-quick/

A model already trained with the same recipe is skipped (unless --force), and each model is
written atomically when it finishes, so a run that is killed resumes where it stopped.

On a CPU the models train side by side, one worker process per core with one thread each: the
zoo's matrix products are small, and two one-thread trainings on two cores get 1.6x the work done
of one two-thread training (docs/BENCHMARKS.md). On a GPU they train one after another.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from tqdm.auto import tqdm

from zoo import checkpoint, metrics, paths, recipe
from zoo.config import TrainConfig
from zoo.data import load_mnist
from zoo.engine import NonFiniteLossError
from zoo.hardware import resolve_device
from zoo.shipped import LATENT_DIMS
from zoo.variants import get_variant, variant_names
from zoo.variants.base import Variant
from zoo.workers import epoch_done, plan, side_by_side
from zoo.workers import state as worker_state

QUICK_DIR = Path("weights-quick")  # beside where it runs: a smoke run never touches the shipped zoo


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--variants", nargs="+", default=None, metavar="NAME",
                        help=f"variants to train (default: all registered: {', '.join(variant_names())})")
    parser.add_argument("--d", nargs="+", type=int, default=list(LATENT_DIMS), help="latent sizes")
    parser.add_argument("--epochs", type=int, default=None, help="override each variant's default epochs")
    parser.add_argument("--seed", type=int, default=0, help="initialisation, shuffling and noise")
    parser.add_argument("--device", default="auto", help="auto (CUDA if present), cpu or cuda")
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
    for d in args.d:
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
    header = f"{'variant':<10} {'d':>3} {'test MSE':>9} {'PCA MSE':>9} {'MSE@0.5':>9} {'zeros':>6} {'dead':>4} {'time s':>7}  status"
    lines = [header, "-" * len(header)]
    for r in rows:
        m = r["metrics"]
        lines.append(f"{r['variant']:<10} {r['latent_dim']:>3} {m['test_mse']:>9.5f} {r['pca_mse']:>9.5f} "
                     f"{m['noisy_test_mse']['0.5']:>9.5f} {m['zero_fraction']:>6.1%} {m['dead_units']:>4} "
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
        config = dataclasses.replace(variant.default_train_config, seed=args.seed,
                                     epochs=args.epochs or variant.default_train_config.epochs)
        for d in args.d:
            if not args.force and recipe.is_trained(args.weights_dir, recipe.spec(variant, d, config)):
                cards[name, d] = checkpoint.read_card(checkpoint.paths(args.weights_dir, name, d)[1]), "already trained"
            else:
                todo.append((variant, d, config))
    workers, threads = plan(len(todo), device, args.jobs)
    if todo:
        print(f"training {len(todo)} models on {device}: {workers} at a time, {threads} thread(s) each", file=sys.stderr)
    # MNIST and the PCA baseline load beside the workers' start-up: it waits on files and one core.
    with concurrent.futures.ThreadPoolExecutor(1) as background:
        mnist = background.submit(_load_mnist)
        pca = background.submit(lambda: metrics.pca_mses(*mnist.result(), args.d))
        try:
            for card in train_models(todo, mnist.result, args.weights_dir, device, workers, threads,
                                     progress=not args.no_progress, command=command):
                cards[card["variant"], card["latent_dim"]] = card, "trained"
        except NonFiniteLossError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        rows = [{**cards[name, d][0], "pca_mse": pca.result()[d], "status": cards[name, d][1]}
                for name in args.variants for d in args.d]
    print(format_table(rows))
    print(f"{len(rows)} models in {args.weights_dir} ({time.perf_counter() - start:.0f} s)")
    return 0


def _load_mnist() -> tuple[torch.Tensor, torch.Tensor]:
    """(train images, test images), each (N, 784) float32."""
    return load_mnist("train")[0], load_mnist("test")[0]


Job = tuple[Variant, int, TrainConfig]  # (variant, d, recipe)


def train_models(jobs: list[Job], mnist: Callable[[], tuple[torch.Tensor, torch.Tensor]], weights_dir: Path,
                 device: torch.device, workers: int, threads: int, *, progress: bool, command: str):
    """Train and save each job's model; yield each card as its model is written.

    `mnist()` gives (train images, test images) to train in this process; workers load their own.
    """
    if workers == 1:
        train_x, test_x = mnist() if jobs else (None, None)
        for i, (variant, d, config) in enumerate(jobs, 1):
            print(f"[{i}/{len(jobs)}] training {variant.name} d={d} for {config.epochs} epochs", file=sys.stderr)
            yield recipe.train_and_save(variant, d, config, train_x, test_x, weights_dir, device=str(device),
                                       progress=progress, command=command)
        return
    # Longest first, so that no worker is left with a long job at the end while the others wait.
    jobs = sorted(jobs, key=lambda job: (job[2].epochs, job[1]), reverse=True)
    task = functools.partial(_train_in_worker, weights_dir=weights_dir, device=str(device), command=command,
                             workers=workers)
    for _, card in side_by_side(task, jobs, workers=workers, threads=threads, setup=_mnist_state,
                                epochs=sum(config.epochs for _, _, config in jobs), progress=progress,
                                description=f"{len(jobs)} models"):
        tqdm.write(f"{card['variant']} d={card['latent_dim']}: test MSE {card['metrics']['test_mse']:.5f} "
                   f"({card['training_seconds']:.0f} s)", file=sys.stderr)
        yield card


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
