"""The whole command's time: `python train_all.py --force` in this checkout against another commit, in turns.

    python benchmarks/train_all_time.py --baseline edb51f9 [--rounds 3] [--variants plain denoising sparse]
                                        [--precision auto] [--keep]

The baseline is checked out in a temporary git worktree and run with this checkout's Python; each round runs
both commands one after the other (this host's speed moves by up to 20% between hours, so a time goal needs
its baseline measured in the same stretch). Each writes its zoo to its own temporary directory, reused across
rounds as a user retraining with --force would. Prints, per command: the wall time a person waits (median,
min-max), the run's own count (its last line, which starts after Python's imports), the CPU it took (user +
sys of every process) and how busy it kept the cores, and the ratio of its wall time to the baseline's (the
median of the per-round ratios). Last line: `RESULT wall_s=<this checkout's median> baseline_s=<the
baseline's> ratio=<median ratio>`.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(checkout: Path, weights_dir: Path, args: argparse.Namespace) -> dict:
    """One `train_all.py --force` in `checkout`: wall s, own count s, CPU s of its processes."""
    command = [sys.executable, "train_all.py", "--force", "--no-progress", "--weights-dir", str(weights_dir),
               "--precision", args.precision, "--variants", *args.variants]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=checkout, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} in {checkout} failed:\n{done.stderr[-2000:]}")
    own = re.search(r"models in .* \((\d+) s\)", done.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "own": float(own.group(1)) if own else float("nan"), "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="a git revision of this repository to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", nargs="+", default=["plain", "denoising", "sparse"])
    parser.add_argument("--precision", default="auto", choices=("auto", "float32", "bfloat16"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary worktree and zoos")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ae-zoo-train-time-"))
    baseline = tmp / "baseline"
    subprocess.run(["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=ROOT, check=True,
                   capture_output=True)
    commands = {"this checkout": ROOT, f"baseline {args.baseline}": baseline}
    runs: dict[str, list[dict]] = {label: [] for label in commands}
    try:
        for round_ in range(1, args.rounds + 1):
            for i, (label, checkout) in enumerate(commands.items()):
                runs[label].append(run_once(checkout, tmp / f"zoo{i}", args))
                print(f"round {round_}: {label}: {runs[label][-1]['wall']:.1f} s", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, capture_output=True)
            shutil.rmtree(tmp, ignore_errors=True)

    cores = len(os.sched_getaffinity(0))
    base = runs[f"baseline {args.baseline}"]
    print(f"python train_all.py --force --variants {' '.join(args.variants)} --precision {args.precision}; "
          f"{args.rounds} rounds in turns; {cores} cores")
    print(f"{'command':<22} {'wall s (median, min-max)':>26} {'own count s':>12} {'CPU s':>7} {'cores busy':>10} "
          f"{'ratio':>6}")
    for label, samples in runs.items():
        walls = [r["wall"] for r in samples]
        ratio = statistics.median(r["wall"] / b["wall"] for r, b in zip(samples, base))
        cpu = statistics.median(r["cpu"] for r in samples)
        print(f"{label:<22} {statistics.median(walls):>10.1f} ({min(walls):.1f}-{max(walls):.1f}){'':>5} "
              f"{statistics.median(r['own'] for r in samples):>12.0f} {cpu:>7.0f} "
              f"{cpu / statistics.median(walls):>10.2f} {ratio:>6.3f}")
    this = statistics.median(r["wall"] for r in runs["this checkout"])
    print(f"RESULT wall_s={this:.1f} baseline_s={statistics.median(r['wall'] for r in base):.1f} "
          f"ratio={statistics.median(r['wall'] / b['wall'] for r, b in zip(runs['this checkout'], base)):.3f}")


if __name__ == "__main__":
    main()
