"""The demo's update function alone: preprocess a sketch, run every shipped model, build the images.

Function time only: not Gradio's decoding of the upload, its encoding of the outputs, its queue, nor
the browser. What a person waits for is measured by benchmarks/demo_browser.py (Chromium) and what a
room gets by benchmarks/demo_load.py (HTTP clients).

    python benchmarks/demo_latency.py [--sketches 200]

Sketches are real MNIST test digits drawn onto the 400x400 canvas at random scales and positions, as
black ink on white (what the sketchpad sends). Each is timed through zoo.ui.update with every
variant and d selected and noise 0.3. Prints a table (median, p95, and each stage's share) and ends
with `RESULT p95_ms=<value>`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from PIL import Image

from zoo import registry
from zoo.comparison import compare
from zoo.data import load_mnist
from zoo.sketch import preprocess_sketch
from zoo.ui import CANVAS, update


class _Digits:  # update() only needs .get for test digits; sketches here never use it
    def get(self, index):
        raise AssertionError("not used")


def sketches(count: int, seed: int = 0) -> list[np.ndarray]:
    x, _ = load_mnist("test")
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        size = int(rng.integers(120, CANVAS - 20))
        digit = Image.fromarray(x[i].reshape(28, 28).numpy(), mode="F").resize((size, size), Image.BILINEAR)
        ink = np.zeros((CANVAS, CANVAS), dtype=np.float32)
        top, left = rng.integers(0, CANVAS - size, size=2)
        ink[top:top + size, left:left + size] = np.clip(np.asarray(digit), 0, 1)
        out.append((255 * (1 - ink)).round().astype(np.uint8))
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    a = np.asarray(samples) * 1000
    return float(np.median(a)), float(np.percentile(a, 95)), float(a.mean())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketches", type=int, default=200)
    args = parser.parse_args(argv)
    models, _ = registry.load_zoo()
    names, dims = sorted({n for n, _ in models}), sorted({d for _, d in models})
    images = sketches(args.sketches)
    digits = _Digits()
    for image in images[:5]:  # warm-up: first calls pay for lazy initialisation
        update(models, digits, {"composite": image}, None, 0.3, 0, names, dims)
    stages = {"preprocess_sketch": [], "noise + models (compare)": [], "whole update": []}
    for i, image in enumerate(images):
        t0 = time.perf_counter()
        x = preprocess_sketch({"composite": image})
        t1 = time.perf_counter()
        compare(models, x, 0.3, i, names, dims)
        t2 = time.perf_counter()
        update(models, digits, {"composite": image}, None, 0.3, i, names, dims)
        t3 = time.perf_counter()
        stages["preprocess_sketch"].append(t1 - t0)
        stages["noise + models (compare)"].append(t2 - t1)
        stages["whole update"].append(t3 - t2)
    whole_p50 = percentiles(stages["whole update"])[0]
    print(f"{len(models)} models, {len(images)} sketches of {CANVAS}x{CANVAS}, torch threads {torch.get_num_threads()}")
    print(f"{'stage':<26} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'p50 / whole':>12}")
    for name, samples in stages.items():
        p50, p95, mean = percentiles(samples)
        print(f"{name:<26} {p50:>8.2f} {p95:>8.2f} {mean:>8.2f} {p50 / whole_p50:>12.2f}")
    print(f"RESULT p95_ms={percentiles(stages['whole update'])[1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
