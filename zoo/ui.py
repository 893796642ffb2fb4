"""The demo's Zoo and Lab tabs: draw (or pick a real test digit), add noise, compare every variant and d side by side.

`zoo.demo.build_app` puts them together with the Explore tab (`zoo.explore_ui`).
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import re
import threading
from pathlib import Path

import numpy as np
import torch
import pandas as pd
import gradio as gr
from gradio.data_classes import FileData
from PIL import Image

from zoo import paths
from zoo.comparison import as_pixels, compare
from zoo.model import IMAGE_SIZE, AutoEncoder
from zoo.sketch import SketchError, preprocess_sketch

CANVAS = 400  # the sketchpad's size in pixels; the brush is scaled to give MNIST-like strokes
BRUSH = 30
# The pictures go to the browser as 28x28 PNGs inside the page's HTML (data URLs), drawn crisp and
# large by CSS: Gradio's Image and Gallery wrote every picture to a file for the browser to fetch,
# 11 files an update, most of the server's time (docs/BENCHMARKS.md).
BLANK = np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
CSS = """
.zoo-picture img, .zoo-grid img { image-rendering: pixelated; display: block; }
.zoo-picture img { height: 220px; width: 220px; margin: 0 auto; }
.zoo-label { font-size: var(--text-sm); color: var(--body-text-color-subdued); margin: 0 0 6px 0; }
.zoo-grid { display: grid; gap: 8px; }
.zoo-grid figure { margin: 0; position: relative; }
.zoo-grid img { width: 100%; height: auto; border-radius: 4px; }
.zoo-grid figcaption { position: absolute; right: 6px; bottom: 6px; padding: 1px 6px; border-radius: 4px;
                       background: var(--background-fill-primary); font-size: var(--text-sm); }
.zoo-strips { display: grid; gap: 4px; align-items: center; max-width: 960px; }
.zoo-strips img, .zoo-neighbours img { image-rendering: pixelated; width: 100%; height: auto; display: block; }
.zoo-strip-label { font-size: var(--text-sm); }
.zoo-neighbours { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px; margin-bottom: 12px; }
.zoo-neighbours figure { margin: 0; }
.zoo-units { display: grid; grid-template-columns: repeat(16, 1fr); gap: 3px; max-width: 960px; }
.zoo-curves { width: 100%; max-width: 560px; height: auto; }
.zoo-units img { image-rendering: pixelated; width: 100%; height: auto; display: block; }
.zoo-neighbours figcaption { font-size: var(--text-xs); color: var(--body-text-color-subdued); }
"""  # demo.py passes it to launch
DEFAULT_REPORT = paths.docs_dir() / "REPORT.md"  # what `python -m zoo.report` writes
MAX_SIDE = 2048  # pixels: a larger upload is refused from its header, before decoding (6000x6000 cost 2.8 s)
MAX_FILE_SIZE = "5mb"  # Gradio refuses larger uploads (demo.py passes it to launch)
MAX_SEED = 2**32 - 1  # noise seeds 0..MAX_SEED: what torch.Generator takes, and exact in a browser's numbers


class Sketchpad(gr.Sketchpad):
    """gr.Sketchpad that answers an upload it cannot use (not an image, too large) with a one-line message.

    Gradio's own preprocessing would raise on such a file, and an API caller would see only "the
    upstream Gradio app has raised an exception".
    """

    def get_block_name(self) -> str:
        return "imageeditor"  # the frontend component, as for gr.Sketchpad

    def preprocess(self, payload):
        """Only the composite (what the canvas shows) is decoded: the models never see the layers apart."""
        if payload is None:
            return None
        if payload.id is not None:  # the editor's blob path: Gradio assembles the files itself
            return self._guarded(super().preprocess, payload)
        composite = payload.composite if payload.composite is not None else payload.background
        if composite is None:
            return {"background": None, "layers": [], "composite": None}
        check_image(composite)
        image = self._guarded(self.convert_and_format_image, composite, flatten_on_white=True)
        return {"background": None, "layers": [], "composite": image}

    @staticmethod
    def _guarded(function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (OSError, ValueError, Image.DecompressionBombError) as e:  # an unreadable image is an OSError
            raise gr.Error(f"Could not read the drawing as an image ({type(e).__name__}).", print_exception=False) from None


def check_image(file: FileData | bytes) -> None:
    """Raise gr.Error unless `file` is an image of at most MAX_SIDE pixels a side; reads only its header."""
    try:
        with Image.open(file.path if isinstance(file, FileData) else io.BytesIO(file)) as image:
            width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        raise gr.Error("That file is not an image the demo can read (PNG, JPEG, WebP, ...).",
                       print_exception=False) from None
    if max(width, height) > MAX_SIDE:
        raise gr.Error(f"The image is {width}x{height} pixels; the demo takes at most {MAX_SIDE} on a side.",
                       print_exception=False)


def bad_setting(noise_amplitude, seed) -> str | None:
    """A message for a noise amplitude or seed the demo cannot use, else None."""
    try:
        amplitude, seed_value = float(noise_amplitude), float(seed)
    except (TypeError, ValueError):
        return "Noise amplitude and seed must be numbers."
    if not (math.isfinite(amplitude) and 0.0 <= amplitude <= 1.0):
        return f"Noise amplitude must be between 0 and 1, got {noise_amplitude}."
    if not (math.isfinite(seed_value) and seed_value == int(seed_value) and 0 <= seed_value <= MAX_SEED):
        return f"Seed must be a whole number from 0 to {MAX_SEED}, got {seed}."
    return None


class MnistDigits:
    """Real MNIST test digits, loaded in the background so the app starts at once."""

    def __init__(self):
        self._data = None
        self._error = None
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._thread.start()

    def _load(self):
        try:
            from zoo.data import load_mnist

            x, y = load_mnist("test")
            self._data = (x, y)
        except Exception as e:  # shown to the person on first use
            self._error = e

    def get(self, index: int):
        self._thread.join()
        if self._error is not None:
            raise gr.Error(f"MNIST test digits are unavailable: {self._error}")
        x, y = self._data
        return x[index % len(x)], int(y[index % len(y)])

    def all(self):
        """(images (N, 784), labels (N,)): every test digit."""
        self._thread.join()
        if self._error is not None:
            raise gr.Error(f"MNIST test digits are unavailable: {self._error}")
        return self._data

    def __len__(self):
        return 10000


def as_canvas(x) -> np.ndarray:
    """An MNIST digit (784,) drawn like the sketchpad: black ink on white, at canvas size."""
    ink = x.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy()
    scale = CANVAS // IMAGE_SIZE
    image = np.kron(ink, np.ones((scale, scale), dtype=np.float32))
    return (255 * (1 - image)).round().astype(np.uint8)


# A test digit placed on the canvas comes back through preprocess_sketch within MSE 0.01 of itself;
# anything drawn over it moves it further than this, and the input becomes the drawing.
UNCHANGED_DIGIT_MSE = 0.02


def canvas_input(digits, sketch, digit_index) -> tuple[torch.Tensor, str]:
    """(the model input (784,), where it came from) for what the canvas shows; SketchError if it shows no digit.

    If the canvas still shows the test digit last placed there (`digit_index`), the input is that
    exact MNIST digit instead of its redrawn copy.
    """
    x = preprocess_sketch(sketch)
    if digit_index is not None:
        digit, label = digits.get(int(digit_index))
        if float(((x - digit) ** 2).mean()) < UNCHANGED_DIGIT_MSE:
            return digit, f"MNIST test digit #{int(digit_index)} (a {label})"
    return x, "your drawing"


def update(models, digits, sketch, digit_index, noise_amplitude, seed, variants, latent_dims):
    """Everything the page shows for one input (`canvas_input`); returns (clean, noisy, gallery, codes, message)."""
    problem = bad_setting(noise_amplitude, seed)
    if problem is not None:
        return BLANK, BLANK, [], None, f"**{problem}**"
    try:
        x, source = canvas_input(digits, sketch, digit_index)
    except SketchError as e:
        return BLANK, BLANK, [], None, f"**{e}**"
    if not variants or not latent_dims:
        message = "Pick at least one variant and one d."
    else:
        message = f"Input: {source}; noise amplitude {noise_amplitude:.2f}, seed {int(seed)}."
    result = compare(models, x, float(noise_amplitude), int(seed), list(variants or []), [int(d) for d in latent_dims or []])
    gallery = [(as_pixels(r.image), f"{r.variant} d={r.latent_dim} · MSE {r.mse:.4f}")
               for r in result.reconstructions]
    codes = [(f"{r.variant} d={r.latent_dim}", code_entry(r.latent_dim, i), float(v))
             for r in result.reconstructions if r.variant == "sparse" for i, v in enumerate(r.code)]
    code_frame = pd.DataFrame(codes, columns=["model", "unit", "h"]) if codes else None
    return as_pixels(result.clean), as_pixels(result.noisy), gallery, code_frame, message


def picture_html(image: np.ndarray, alt: str) -> str:
    """A uint8 image as an inline <img>: a PNG in a data URL, no file for the server to write or the browser to fetch."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def digit_html(x: torch.Tensor, alt: str) -> str:
    """A digit (784 numbers in [0, 1]) as an inline <img>, drawn large and crisp by the page's CSS."""
    return picture_html(as_pixels(x.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy()), alt)


def grid_html(gallery: list[tuple[np.ndarray, str]], columns: int) -> str:
    """The reconstructions as one grid of captioned pictures, `columns` to a row (rows: variants, columns: d)."""
    figures = "".join(f'<figure>{picture_html(image, caption)}<figcaption class="caption-label">{html.escape(caption)}'
                      "</figcaption></figure>" for image, caption in gallery)
    return f'<div class="zoo-grid" style="grid-template-columns: repeat({max(columns, 1)}, 1fr)">{figures}</div>'


def render(clean, noisy, gallery, codes, message, columns: int):
    """update()'s result as the page's outputs: the pictures as HTML, the codes and message as they are."""
    return (f'<div class="zoo-picture"><p class="zoo-label">Input as the models see it (28x28)</p>'
            f'{picture_html(clean, "input")}</div>',
            f'<div class="zoo-picture"><p class="zoo-label">Noisy input</p>{picture_html(noisy, "noisy input")}</div>',
            '<p class="zoo-label">Reconstructions (rows: variants, columns: d)</p>' + grid_html(gallery, columns),
            codes, message)


# Vega's default colours, named, for the code plot's label (they repeat past the sixth sparse model).
CODE_COLOURS = (("#4c78a8", "blue"), ("#f58518", "orange"), ("#e45756", "red"), ("#54a24b", "green"),
                ("#b279a2", "purple"), ("#9d755d", "brown"))


def code_entry(latent_dim: int, unit: int) -> str:
    """The code plot's x label of one unit: the models' codes sit side by side, never stacked."""
    return f"d={latent_dim} h{unit}"


FIGURE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<path>[^)]+)\)$", re.MULTILINE)


def report_parts(report: Path) -> list[tuple[str, str]]:
    """The lab report split into ("markdown", text) and ("figure", absolute path) parts, in order.

    Gradio's Markdown does not serve local image files, so each figure becomes an Image component.
    """
    if not report.exists():
        return [("markdown", f"**No lab report at {report}.** Write it with `python -m zoo.report`.")]
    text = report.read_text(encoding="utf-8")
    parts, position = [], 0
    for match in FIGURE.finditer(text):
        parts.append(("markdown", text[position:match.start()]))
        parts.append(("figure", str((report.parent / match["path"]).resolve())))
        position = match.end()
    parts.append(("markdown", text[position:]))
    return [(kind, value) for kind, value in parts if value.strip()]


def build_lab_tab(report: Path) -> None:
    """The "Lab" tab: docs/REPORT.md and its figures, as `python -m zoo.report` wrote them."""
    for kind, value in report_parts(report):
        if kind == "markdown":
            gr.Markdown(value)
        else:
            gr.Image(value, show_label=False, interactive=False, format="png", elem_classes="lab-figure",
                     buttons=["fullscreen"])


def blank_canvas() -> dict:
    """The sketchpad's value for an empty page: white background, no layers."""
    white = np.full((CANVAS, CANVAS), 255, dtype=np.uint8)
    return {"background": white, "layers": [], "composite": white}


def build_zoo_tab(models: dict[tuple[str, int], AutoEncoder], digits: MnistDigits):
    """The Zoo tab, inside a gr.Blocks: draw, add noise, every model's reconstruction.

    Returns (the sketchpad, the State of the test digit last placed on it, the variants' and the d
    values' pickers): the other tabs' input, and the pickers a kept model joins.
    """
    variant_names = sorted({name for name, _ in models})
    latent_dims = sorted({d for _, d in models})

    def run(sketch, digit_index, noise_amplitude, seed, variants, dims):
        result = update(models, digits, sketch, digit_index, noise_amplitude, seed, variants, dims)
        # `models` may have grown since the page was built (a model kept in the Train tab).
        return render(*result, columns=len({int(d) for d in dims or []} & {d for _, d in models}))

    digit_index = gr.State(None)
    with gr.Tab("Zoo", id="zoo"):
        with gr.Row():
            with gr.Column(scale=1):
                # A white background makes the brush the active tool from the start (Gradio 6 otherwise
                # asks the person to pick the draw tool first).
                sketch = Sketchpad(value=blank_canvas(), label="Draw a digit", canvas_size=(CANVAS, CANVAS),
                                   type="numpy", image_mode="L", elem_id="sketchpad",
                                   brush=gr.Brush(default_size=BRUSH, colors=["#000000"], color_mode="fixed"))
                random_digit = gr.Button("Random MNIST test digit", elem_id="random-digit")
                noise = gr.Slider(0.0, 1.0, value=0.0, step=0.05, label="Noise amplitude", elem_id="noise")
                seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Noise seed", elem_id="seed")
                pick_variants = gr.CheckboxGroup(variant_names, value=variant_names, label="Variants", elem_id="variants")
                pick_dims = gr.CheckboxGroup(latent_dims, value=latent_dims, label="d (latent size)", elem_id="dims")
            with gr.Column(scale=2):
                message = gr.Markdown("**Draw a digit first: the canvas is empty.**", elem_id="message")
                with gr.Row():
                    empty = render(BLANK, BLANK, [], None, "", 1)
                    clean = gr.HTML(empty[0], elem_id="clean")
                    noisy = gr.HTML(empty[1], elem_id="noisy")
                gallery = gr.HTML(empty[2], elem_id="reconstructions")
                # One bar per unit of each sparse model, the models one after another (a shared x
                # would stack different models' units into one bar). Gradio clips the legend below
                # the plot, so the label names the colours instead.
                sparse_dims = sorted(d for name, d in models if name == "sparse")
                colours = dict(zip(sparse_dims, itertools.cycle(CODE_COLOURS)))
                codes = gr.BarPlot(x="unit", y="h", color="model",
                                   label="Sparse codes h, one bar per unit, most exactly zero: " + ", ".join(
                                       f"d={d} {colours[d][1]}" for d in sparse_dims),
                                   color_map={f"sparse d={d}": colours[d][0] for d in sparse_dims},
                                   sort=[code_entry(d, i) for d in sparse_dims for i in range(d)],
                                   x_axis_labels_visible=False, color_title="", x_title="units, smallest d first",
                                   elem_id="codes", height=260)
    inputs = [sketch, digit_index, noise, seed, pick_variants, pick_dims]
    outputs = [clean, noisy, gallery, codes, message]

    def pick_random(noise_amplitude, seed, variants, dims):
        """A random test digit on the canvas, and the page's outputs for it, in one event: a second event
        chained after it read the editor's value before the editor had taken the digit (seen in Chromium)."""
        index = int(np.random.default_rng().integers(len(digits)))
        x, _ = digits.get(index)
        canvas = {"background": as_canvas(x), "layers": [], "composite": as_canvas(x)}
        return index, canvas, *run(canvas, index, noise_amplitude, seed, variants, dims)

    private = {"api_visibility": "private"}
    # One public endpoint, /reconstruct: (sketch, noise, seed, variants, dims) -> the page's outputs.
    noise.change(run, inputs, outputs, trigger_mode="always_last", api_name="reconstruct")
    for control in (seed, pick_variants, pick_dims):
        control.change(run, inputs, outputs, trigger_mode="always_last", **private)
    # Strokes fire `input`; the clear button `clear`. A programmatic update (the random digit)
    # fires neither, so the click computes the page's outputs itself. update() decides from the canvas
    # whether it still shows the test digit, so no event needs to reset digit_index.
    sketch.input(run, inputs, outputs, trigger_mode="always_last", **private)
    # Gradio's clear button drops the background too, and the editor then ignores strokes until the
    # draw tool is picked again ("select the draw tool to start"): put the white page back.
    sketch.clear(blank_canvas, None, sketch, **private).then(run, inputs, outputs, **private)
    random_digit.click(pick_random, inputs[2:], [digit_index, sketch, *outputs], **private)
    return sketch, digit_index, pick_variants, pick_dims
