"""/reconstruct, for programs: a drawing (uploaded as the old sketchpad sent it), noise, the models by variant
and d -> the pictures as HTML (PNG data URLs), as the Zoo tab shows them, and a message.

The page computes the same in the browser (zoo_tab); this is the server's copy of it, for callers
without a browser: `Client(url).predict({"composite": handle_file("digit.png")}, 0.25, 3, ["sparse"],
[32], api_name="/reconstruct")`.
"""

from __future__ import annotations

import functools
import html
import inspect
import itertools
import os
from collections.abc import Callable, Mapping

import gradio as gr
import numpy as np
import torch
from gradio.utils import get_upload_folder
from PIL import Image

from zoo.analysis.comparison import Comparison, as_pixels, compare_many
from zoo.app.batching import Batched
from zoo.app.checks import bad_setting, check_image, refuse
from zoo.app.keys import ModelKey
from zoo.app.pictures import picture_html
from zoo.app.zoo_tab import CODE_COLOURS
from zoo.data.sketch import SketchError, preprocess_sketch
from zoo.model import AutoEncoder

CODES_SIZE = (760, 170)  # the code chart's drawing area (SVG units; the page scales it to its column)
CALLERS_AT_ONCE = 64  # /reconstruct calls in progress together; those that wait for the models share one pass


def uploaded_path(sketch) -> str:
    """The file an API caller uploaded as the old sketchpad sent it: {"composite" or "background": a file}."""
    file = (sketch.get("composite") or sketch.get("background")) if isinstance(sketch, dict) else None
    path = file.get("path") if isinstance(file, dict) else None
    if not isinstance(path, str):
        raise refuse('Send the drawing as {"composite": handle_file("drawing.png")}.')
    # Only a file Gradio took as an upload: a path elsewhere on the server is not the caller's to read.
    real, uploads = os.path.realpath(path), os.path.realpath(get_upload_folder())
    if os.path.commonpath([real, uploads]) != uploads or not os.path.isfile(real):
        raise refuse("The drawing must be a file uploaded with the call (gradio_client's handle_file).")
    return path


@functools.lru_cache(maxsize=256)
def prepared(path: str, size: int, modified_ns: int) -> torch.Tensor | str:
    """The model input (784,) for an uploaded drawing, or the message saying why there is none.

    Kept by (path, size, time): a program that sweeps the noise over one drawing uploads and decodes it once.
    """
    check_image(path)
    try:
        with Image.open(path) as image:
            pixels = np.asarray(image.convert("RGBA"))
    except (OSError, ValueError, Image.DecompressionBombError):
        raise refuse("Could not read the drawing as an image.") from None
    try:
        return preprocess_sketch(pixels)
    except SketchError as e:
        return str(e)


def selection(keys, variants, dims) -> list[ModelKey]:
    """The models of the picked rows ("sparse", "sparse (yours)") and d values, row by row, smallest d first."""
    rows = {key.row for key in keys}
    unknown = sorted(set(map(str, variants or [])) - rows)
    if unknown:
        raise refuse(f"Unknown variant {', '.join(unknown)}; there are: {', '.join(sorted(rows))}.")
    try:
        wanted = {int(d) for d in dims or []}
    except (TypeError, ValueError):
        raise refuse("d values must be whole numbers.") from None
    order = {row: i for i, row in enumerate(dict.fromkeys(map(str, variants or [])))}
    return sorted((key for key in keys if key.row in order and key.latent_dim in wanted),
                  key=lambda key: (order[key.row], key.latent_dim))


def code_colours(keys) -> dict[ModelKey, tuple[str, str]]:
    """(colour, its name) for each model with a sparse code, in order, as the page colours them."""
    return dict(zip(keys, itertools.cycle(CODE_COLOURS)))


def codes_html(result: Comparison, models: Mapping[ModelKey, AutoEncoder]) -> str:
    """The sparse codes as one inline SVG bar chart: a bar per non-zero unit, each model in its own colour."""
    sparse = [r for r in result.reconstructions if models[r.key].config.sparse_code]
    colours = code_colours(k for k in models if models[k].config.sparse_code)
    named = ", ".join(f"{r.key.label} {colours[r.key][1]}" for r in sparse)
    head = f'<p class="zoo-label">Sparse codes h, one bar per unit, most exactly zero{": " + named if named else ""}</p>'
    if not sparse:
        return head + '<p class="zoo-label">No model with a sparse code is selected.</p>'
    width, height = CODES_SIZE
    gap, text = 14, 16  # between models; the line under each model
    step = (width - gap * (len(sparse) - 1)) / sum(len(r.code) for r in sparse)
    top = max(max(float(r.code.max()) for r in sparse), 1e-9)
    bottom = min(min(float(r.code.min()) for r in sparse), 0.0)
    scale = (height - text) / (top - bottom)
    zero = (height - text) + bottom * scale
    parts, left = [], 0.0
    for r in sparse:
        colour = colours[r.key][0]
        for i, value in enumerate(r.code):
            if value != 0:
                y, tall = (zero - value * scale, value * scale) if value > 0 else (zero, -value * scale)
                parts.append(f'<rect x="{left + i * step:.1f}" y="{y:.1f}" width="{max(step - 1, 1):.1f}" '
                             f'height="{max(tall, 0.5):.1f}" fill="{colour}"><title>{html.escape(r.key.label)} h{i} = '
                             f'{value:.3f}</title></rect>')
        parts.append(f'<text x="{left:.1f}" y="{height - 3}" font-size="11" fill="currentColor">'
                     f'{html.escape(r.key.label)}: {int((r.code != 0).sum())} of {len(r.code)} non-zero</text>')
        left += len(r.code) * step + gap
    parts.append(f'<line x1="0" x2="{width}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="currentColor" stroke-opacity="0.4"/>')
    return head + f'<svg class="zoo-codes" viewBox="0 0 {width} {height}" role="img">{"".join(parts)}</svg>'


def grid_html(result: Comparison) -> str:
    """The reconstructions as one grid of captioned pictures: a row per variant, its models in order of d (the page's
    layout: each caption names its d, so a row shorter than the others ends in blank cells)."""
    rows: dict[str, list] = {}
    for r in result.reconstructions:
        rows.setdefault(r.key.row, []).append(r)
    columns = max((len(row) for row in rows.values()), default=1)
    figures = "".join(
        "".join(f'<figure>{picture_html(as_pixels(r.image), r.key.label)}<figcaption class="caption-label">'
                f'{html.escape(r.key.label)} · MSE {r.mse:.4f}</figcaption></figure>'
                for r in sorted(row, key=lambda r: r.key.latent_dim)) + "<figure></figure>" * (columns - len(row))
        for row in rows.values())
    return f'<div class="zoo-grid" style="grid-template-columns: repeat({columns}, 1fr)">{figures}</div>'


def labelled(label: str, picture: np.ndarray, alt: str) -> str:
    return f'<div class="zoo-picture"><p class="zoo-label">{label}</p>{picture_html(picture, alt)}</div>'


def view_html(models: Mapping[ModelKey, AutoEncoder], result: Comparison, noise_amplitude: float, seed: int
              ) -> tuple[str, str, str, str, str]:
    """(input, noisy input, reconstructions, sparse codes, message) as HTML for a computed `compare`."""
    message = (f"Input: your drawing; noise amplitude {noise_amplitude:.2f}, seed {seed}."
               if result.reconstructions else "Pick at least one variant and one d.")
    return (labelled("Input as the models see it (28x28)", as_pixels(result.clean), "input"),
            labelled("Noisy input", as_pixels(result.noisy), "noisy input"),
            '<p class="zoo-label">Reconstructions (a row per variant)</p>' + grid_html(result),
            codes_html(result, models), message)


Computation = Callable[[tuple[torch.Tensor, float, int, list[ModelKey]]], Comparison]


def reconstruct_outputs(models: Mapping[ModelKey, AutoEncoder], sketch, noise_amplitude, seed, variants, dims,
                        computed: Computation | None = None) -> tuple[str, str, str, str, str]:
    """/reconstruct: the Zoo tab's view (`view_html`) of an uploaded drawing; an empty one is a message.

    `computed((x, noise_amplitude, seed, keys))` runs the models (by default `compare`, alone).
    """
    problem = bad_setting(noise_amplitude, seed)
    if problem is not None:
        raise refuse(problem)
    keys = selection(list(models), variants, dims)
    path = uploaded_path(sketch)
    status = os.stat(path)
    x = prepared(path, status.st_size, status.st_mtime_ns)
    if isinstance(x, str):
        return "", "", "", "", x
    amplitude, seed = float(noise_amplitude), int(float(seed))
    request = (x, amplitude, seed, keys)
    result = computed(request) if computed is not None else compare_many(models, [request])[0]
    return view_html(models, result, amplitude, seed)


def build_reconstruct_api(models: Mapping[ModelKey, AutoEncoder]) -> None:
    """/reconstruct, inside the gr.Blocks (after the last tab). Calls that arrive together run the models together."""
    batched = Batched(lambda requests: compare_many(models, requests))

    def reconstruct(sketch: dict, noise_amplitude: float, seed: int, variants: list[str], dims: list[int]
                    ) -> tuple[str, str, str, str, str]:
        """The Zoo tab's view of an uploaded drawing: input, noisy input, reconstructions, sparse codes (HTML), message."""
        return reconstruct_outputs(models, sketch, noise_amplitude, seed, variants, dims, computed=batched)

    # Five outputs, not one list of five, as the Zoo tab's event had: Gradio reads the annotations as written,
    # and this module's are strings (postponed evaluation) until resolved.
    reconstruct.__signature__ = inspect.signature(reconstruct, eval_str=True)
    gr.api(reconstruct, api_name="reconstruct", concurrency_limit=CALLERS_AT_ONCE, concurrency_id="reconstruct")
