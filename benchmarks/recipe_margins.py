"""Train the shipped zoo for several seeds and precisions; print each goal's margin in every run.

    python benchmarks/recipe_margins.py                              # seeds 0 1 2; float32, and bfloat16 where native
    python benchmarks/recipe_margins.py --seeds 0 --precisions float32 --keep /tmp/zoos
    python benchmarks/recipe_margins.py --variants deep                # one variant's models only

Each run is `python train_all.py --force --seed S --precision P` into its own directory (the shipped
weights/ are never touched). A margin is the share of the goal's bound to spare: 3.0% means an MSE
at 0.97x its bound, or a zero share at 1/0.97 of its floor. "room" needs zoo.store.shipped.ROOM's share
everywhere, and no dead unit at all. The last column is the smallest margin over the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

from zoo import registry, train_all
from zoo.data import load_mnist
from zoo.store import shipped
from zoo.store.shipped import ROOM, goals
from zoo.system.hardware import fast_bfloat16, resolve_device
from zoo.training import metrics

SHORT = {"float32": "f32", "bfloat16": "bf16"}


def run_zoo(weights_dir: Path, seed: int, precision: str, variants: list[str] | None = None) -> float:
    """Train the zoo (or `variants` only) into weights_dir; the wall time of the command."""
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # train_all's own table; ours follows
        code = train_all.main(["--force", "--no-progress", "--seed", str(seed), "--precision", precision,
                               "--weights-dir", str(weights_dir), *(["--variants", *variants] if variants else [])])
    if code != 0:
        raise SystemExit(f"train_all failed for seed {seed}, {precision}")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--precisions", nargs="+", choices=("float32", "bfloat16"), default=None,
                        help="default: float32, and bfloat16 where the CPU runs it natively")
    parser.add_argument("--variants", nargs="+", default=None, help="train these variants only (default: all)")
    parser.add_argument("--keep", type=Path, default=None, help="keep each run's weights under this directory")
    args = parser.parse_args(argv)
    precisions = args.precisions or ["float32"] + (["bfloat16"] if fast_bfloat16(resolve_device("auto")) else [])
    runs = [(seed, precision) for precision in precisions for seed in args.seeds]

    train_x, test_x = load_mnist("train")[0], load_mnist("test")[0]
    pca = metrics.pca_mses(train_x, test_x, sorted({d for _, d in shipped.models()}))
    results, seconds = {}, {}
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        for seed, precision in runs:
            weights_dir = root / f"{precision}-seed{seed}"
            print(f"training the zoo: seed {seed}, {precision} ...", file=sys.stderr, flush=True)
            seconds[seed, precision] = run_zoo(weights_dir, seed, precision, args.variants)
            measured = {key: registry.card(*key, weights_dir=weights_dir)["metrics"]
                        for key in registry.available(weights_dir)}
            results[seed, precision] = {(g.name, g.variant, g.latent_dim): g for g in goals(measured, pca)}

    names = {f"{SHORT[p]} s{s}": (s, p) for s, p in runs}
    print(f"Margins (share of each bound to spare; room = {1 - ROOM:.0%}; dead units: count, room = 0)")
    header = f"{'goal':<27} {'bound':>8} " + " ".join(f"{n:>9}" for n in names) + f" {'least':>8}  verdict"
    print(header)
    print("-" * len(header))
    for key in results[runs[0]]:
        row = [results[run][key] for run in runs]
        dead = key[0] == "dead units"
        cells = [f"{g.value:>9.0f}" if dead else f"{g.margin:>9.1%}" for g in row]
        least = max(g.value for g in row) if dead else min(g.margin for g in row)
        verdict = ("room" if all(g.has_room for g in row) else "met, no room" if all(g.met for g in row)
                   else "missed")
        name = f"{key[1]} d={key[2]} {key[0]}"
        print(f"{name:<27} {row[0].bound:>8.4g} " + " ".join(cells) + (f" {least:>8.0f}" if dead else f" {least:>8.1%}")
              + f"  {verdict}")
    print(f"{'train_all wall s':<27} {'':>8} " + " ".join(f"{seconds[run]:>9.0f}" for run in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
