"""/reconstruct's work alone, on the server: preprocess a sketch, run every shipped model, build the pictures as HTML.

Function time only: not Gradio's reading of the upload, its queue, nor the network. A person's page
does this itself (benchmarks/demo_browser.py, Chromium); what programs get through the HTTP API is
benchmarks/demo_load.py.

    python benchmarks/demo_latency.py [--sketches 200]

Sketches are real MNIST test digits drawn onto the 400x400 canvas at random scales and positions, as
black ink on white (what the page's canvas holds). Each is timed through preprocess_sketch, compare and
zoo.app.reconstruct_api.view_html with every variant and d selected and noise 0.3. Prints a table (median, p95, and each stage's share) and ends
with `RESULT p95_ms=<value>`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from PIL import Image

from zoo import registry
from zoo.analysis.comparison import compare
from zoo.app.keys import ModelKey
from zoo.app.reconstruct_api import view_html
from zoo.app.zoo_tab import CANVAS
from zoo.data import load_mnist
from zoo.data.sketch import preprocess_sketch


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
    loaded, _ = registry.load_zoo()
    models = {ModelKey(name, d): model for (name, d), model in loaded.items()}
    keys = sorted(models)
    images = sketches(args.sketches)
    for image in images[:5]:  # warm-up: first calls pay for lazy initialisation
        view_html(models, compare(models, preprocess_sketch(image), 0.3, 0, keys), 0.3, 0)
    stages = {"preprocess_sketch": [], "noise + models (compare)": [], "whole update": []}
    for i, image in enumerate(images):
        t0 = time.perf_counter()
        x = preprocess_sketch({"composite": image})
        t1 = time.perf_counter()
        compare(models, x, 0.3, i, keys)
        t2 = time.perf_counter()
        view_html(models, compare(models, preprocess_sketch(image), 0.3, i, keys), 0.3, i)
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
