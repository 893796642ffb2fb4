"""/reconstruct, for programs: a drawing (uploaded as the old sketchpad sent it), noise, the models by variant
and d -> the pictures as HTML (PNG data URLs), as the Zoo tab shows them, and a message.

The page computes the same in the browser (zoo_tab); this is the server's copy of it, for callers
without a browser: `Client(url).predict({"composite": handle_file("digit.png")}, 0.25, 3, ["sparse"],
[32], api_name="/reconstruct")`.
"""

from __future__ import annotations

import html
import itertools
import os
from collections.abc import Mapping

import gradio as gr
import numpy as np
from gradio.utils import get_upload_folder, is_in_or_equal
from PIL import Image

from zoo.app.checks import bad_setting, check_image, refuse
from zoo.app.keys import ModelKey
from zoo.app.pictures import picture_html
from zoo.app.zoo_tab import CODE_COLOURS
from zoo.comparison import Comparison, as_pixels, compare
from zoo.model import AutoEncoder
from zoo.sketch import SketchError, preprocess_sketch

CODES_SIZE = (760, 170)  # the code chart's drawing area (SVG units; the page scales it to its column)


def read_upload(sketch) -> np.ndarray:
    """The picture an API caller uploaded: the sketchpad's payload {"composite" or "background": a file}."""
    file = (sketch.get("composite") or sketch.get("background")) if isinstance(sketch, dict) else None
    path = file.get("path") if isinstance(file, dict) else None
    if not isinstance(path, str):
        raise refuse('Send the drawing as {"composite": handle_file("drawing.png")}.')
    # Only a file Gradio took as an upload: a path elsewhere on the server is not the caller's to read.
    if not is_in_or_equal(os.path.realpath(path), os.path.realpath(get_upload_folder())) or not os.path.isfile(path):
        raise refuse("The drawing must be a file uploaded with the call (gradio_client's handle_file).")
    check_image(path)
    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("RGBA"))
    except (OSError, ValueError, Image.DecompressionBombError):
        raise refuse("Could not read the drawing as an image.") from None


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
    """The reconstructions as one grid of captioned pictures: rows the variants, columns the d values."""
    dims = sorted({r.key.latent_dim for r in result.reconstructions})
    figures = "".join(f'<figure>{picture_html(as_pixels(r.image), r.key.label)}<figcaption class="caption-label">'
                      f'{html.escape(r.key.label)} · MSE {r.mse:.4f}</figcaption></figure>' for r in result.reconstructions)
    return (f'<div class="zoo-grid" style="grid-template-columns: repeat({max(len(dims), 1)}, 1fr)">{figures}</div>')


def labelled(label: str, picture: np.ndarray, alt: str) -> str:
    return f'<div class="zoo-picture"><p class="zoo-label">{label}</p>{picture_html(picture, alt)}</div>'


def view_html(models: Mapping[ModelKey, AutoEncoder], x, noise_amplitude: float, seed: int, keys: list[ModelKey]
              ) -> tuple[str, str, str, str, str]:
    """(input, noisy input, reconstructions, sparse codes, message) as HTML for input x (784,) and the models `keys`."""
    result = compare(models, x, noise_amplitude, seed, keys)
    message = f"Input: your drawing; noise amplitude {noise_amplitude:.2f}, seed {seed}." if keys else \
        "Pick at least one variant and one d."
    return (labelled("Input as the models see it (28x28)", as_pixels(result.clean), "input"),
            labelled("Noisy input", as_pixels(result.noisy), "noisy input"),
            '<p class="zoo-label">Reconstructions (rows: variants, columns: d)</p>' + grid_html(result),
            codes_html(result, models), message)


def reconstruct_outputs(models: Mapping[ModelKey, AutoEncoder], sketch, noise_amplitude, seed, variants, dims
                        ) -> tuple[str, str, str, str, str]:
    """/reconstruct: the Zoo tab's view (`view_html`) of an uploaded drawing; an empty one is a message."""
    problem = bad_setting(noise_amplitude, seed)
    if problem is not None:
        raise refuse(problem)
    keys = selection(list(models), variants, dims)
    try:
        x = preprocess_sketch(read_upload(sketch))
    except SketchError as e:
        return "", "", "", "", str(e)
    return view_html(models, x, float(noise_amplitude), int(float(seed)), keys)


def build_reconstruct_api(models: Mapping[ModelKey, AutoEncoder]) -> None:
    """/reconstruct, inside the gr.Blocks (after the last tab)."""

    def reconstruct(sketch: dict, noise_amplitude: float, seed: int, variants: list[str], dims: list[int]
                    ) -> tuple[str, str, str, str, str]:
        """The Zoo tab's view of an uploaded drawing: input, noisy input, reconstructions, sparse codes (HTML), message."""
        return reconstruct_outputs(models, sketch, noise_amplitude, seed, variants, dims)

    gr.api(reconstruct, api_name="reconstruct")
