"""Train every registered variant at every d and write weights/ (safetensors + a JSON model card each).

`python train_all.py` in a checkout, `ae-zoo-train` after an install:

    python train_all.py                       # the whole zoo: every variant x d in {16, 32, 64}
    python train_all.py --variants sparse --d 32 --force
    python train_all.py --quick               # a smoke run: 1 epoch, written to weights-quick/

A model already trained with the same recipe is skipped (unless --force), and each model is
written atomically when it finishes, so a run that is killed resumes where it stopped.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from zoo import build, checkpoint, metrics
from zoo.data import load_mnist
from zoo.engine import NonFiniteLossError
from zoo.registry import LATENT_DIMS
from zoo.runtime import resolve_device
from zoo.variants import get_variant, variant_names

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
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
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
        args.weights_dir = QUICK_DIR if args.quick else checkpoint.default_weights_dir()
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
    args = parse_args(argv)
    device = resolve_device(args.device)
    train_x, _ = load_mnist("train")
    test_x, _ = load_mnist("test")
    pca = {d: metrics.pca_mse(train_x, test_x, d) for d in args.d}
    command = " ".join(["python", "train_all.py", *(sys.argv[1:] if argv is None else argv)])
    rows = []
    start = time.perf_counter()
    jobs = [(name, d) for name in args.variants for d in args.d]
    for i, (name, d) in enumerate(jobs, 1):
        variant = get_variant(name)
        config = variant.default_train_config
        config = dataclasses.replace(config, seed=args.seed, epochs=args.epochs or config.epochs)
        spec = build.recipe(variant, d, config)
        if not args.force and build.is_trained(args.weights_dir, spec):
            card = checkpoint.read_card(checkpoint.paths(args.weights_dir, name, d)[1])
            status = "already trained"
        else:
            print(f"[{i}/{len(jobs)}] training {name} d={d} for {config.epochs} epochs on {device}", file=sys.stderr)
            try:
                card = build.train_and_save(variant, d, config, train_x, test_x, args.weights_dir,
                                            device=str(device), progress=not args.no_progress, command=command)
            except NonFiniteLossError as e:
                print(f"error: {e}", file=sys.stderr)
                return 1
            status = "trained"
        rows.append({**card, "pca_mse": pca[d], "status": status})
    print(format_table(rows))
    print(f"{len(rows)} models in {args.weights_dir} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
