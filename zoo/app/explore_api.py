"""Explore's HTTP API: /decode, /interpolate, /neighbours, /unit, /map, on the tab's ExploreCache."""

from __future__ import annotations

import gradio as gr

from zoo.analysis import explore
from zoo.app import checks
from zoo.app.explore_cache import ExploreCache
from zoo.app.explore_tab import MAX_NEIGHBOURS, STEPS, unit_view
from zoo.app.page_models import DemoModels


def build_explore_api(models: DemoModels, cache: ExploreCache) -> None:
    """/decode, /interpolate, /neighbours, /unit, /map: images are 784 numbers in [0, 1], 28x28 row by row, as MNIST's.

    Call it inside the gr.Blocks after the last tab: an endpoint between two tabs would split the tab bar.
    """

    def decode(variant: str, d: int, code: list[float]) -> list[float]:
        """The 28x28 image (784 numbers in [0, 1], row by row) that the model decodes `code` (d numbers) to."""
        key = checks.find_model(models, variant, d)
        return cache.test_codes(key).decode(checks.code(code, key.latent_dim)).tolist()

    def interpolate(a: list[float], b: list[float], variant: str, d: int, steps: int) -> dict:
        """Images along the line from a's code to b's (`steps` of them, ends included) and the pixel blend."""
        key = checks.find_model(models, variant, d)
        x_a, x_b = checks.image(a, "a"), checks.image(b, "b")
        count = checks.whole(steps, "steps", *STEPS)
        return {"codes": explore.walk(models[key], x_a, x_b, count).tolist(),
                "pixels": explore.blend(x_a, x_b, count).tolist()}

    def neighbours(image: list[float], variant: str, d: int, k: int) -> dict:
        """The k test digits nearest the image's code: their indices, labels, distances and images."""
        key = checks.find_model(models, variant, d)
        x = checks.image(image)
        count = checks.whole(k, "k", 1, MAX_NEIGHBOURS)
        test_codes = cache.test_codes(key)
        indices, distances = test_codes.neighbours(test_codes.encode(x), count)
        return {"indices": indices.tolist(), "labels": test_codes.labels[indices].tolist(),
                "distances": distances.tolist(), "images": test_codes.test_x[indices].tolist()}

    def unit(variant: str, d: int, unit: int) -> dict:
        """One unit's dashboard: firing rate, flags, class selectivity and drive per class, activation histogram,
        the test digits that drive it most and near its median (indices, labels, activations), what it draws
        (784 numbers), its picture alone, and the most alike unit of each other model."""
        return unit_view(cache, checks.find_model(models, variant, d), unit)

    def code_map(variant: str, d: int) -> dict:
        """The model's t-SNE map of the 10,000 MNIST test digits, in test-set order: points [[x, y], ...] and labels."""
        key = checks.find_model(models, variant, d)
        return {"points": cache.tsne_map(key).points.tolist(), "labels": cache.test_codes(key).labels.tolist()}

    for function in (decode, interpolate, neighbours, unit):
        gr.api(function, api_name=function.__name__)
    gr.api(code_map, api_name="map")
