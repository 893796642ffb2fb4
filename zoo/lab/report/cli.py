"""`python -m zoo.report`: the command line (write the report, or --check it against a fresh run)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from zoo import registry
from zoo.lab.report.build import build_report
from zoo.lab.report.settings import COMMAND, ReportConfig, quick_config
from zoo.lab.seeds import differences
from zoo.system import paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--weights-dir", type=Path, default=paths.default_weights_dir())
    parser.add_argument("--out", type=Path, default=None,
                        help="REPORT.md and figures/ go here (default: docs/, or report-quick/ with --quick)")
    parser.add_argument("--seed", type=int, default=0, help="probe splits and noise")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(ReportConfig.seeds),
                        help="one run of each extra model per seed; their numbers are written mean ± sd")
    parser.add_argument("--quick", action="store_true", help="tiny extra models and probes: a smoke run in seconds")
    parser.add_argument("--check", action="store_true",
                        help="write into a temporary directory and compare with the report in --out: exact numbers "
                             "must match, means over seeds must lie within their spread (zoo.lab.seeds.differences)")
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = default_out_dir(args.quick)
    models, cards = registry.load_zoo(args.weights_dir)
    if not models:
        print(f"error: no trained models in {args.weights_dir}; run: python train_all.py", file=sys.stderr)
        return 1
    if args.check and not (args.out / "REPORT.md").is_file():
        print(f"error: no report to check in {args.out}; run: {COMMAND}", file=sys.stderr)
        return 1
    settings = dict(seed=args.seed, seeds=tuple(args.seeds))
    config = quick_config(**settings, progress=True) if args.quick else ReportConfig(**settings)
    start = time.perf_counter()
    if not args.check:
        build_report(models, cards, args.out, config, args.weights_dir)
        print(f"wrote {args.out / 'REPORT.md'} and {args.out / 'figures'}/ in {time.perf_counter() - start:.0f} s")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        fresh = build_report(models, cards, Path(scratch), config, args.weights_dir)
    problems = differences((args.out / "REPORT.md").read_text(), fresh, len(config.seeds))
    for line in problems:
        print(f"differs: {line}", file=sys.stderr)
    print(f"{args.out / 'REPORT.md'}: " + (f"{len(problems)} difference(s) from a fresh run; regenerate it with {COMMAND}"
                                           if problems else "agrees with a fresh run")
          + f" ({time.perf_counter() - start:.0f} s)")
    return 1 if problems else 0


def default_out_dir(quick: bool) -> Path:
    """docs/ for the report, report-quick/ for a smoke run (a smoke run never overwrites the committed
    report); in a checkout's root, else in the current directory (an installed package)."""
    return (paths.checkout_root() or Path.cwd()) / ("report-quick" if quick else "docs")

