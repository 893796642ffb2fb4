"""The demo's Zoo and Lab tabs: draw (or pick a real test digit), add noise, compare every variant and d side by side.

`zoo.demo.build_app` puts them together with the Explore tab (`zoo.explore_ui`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
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
from zoo.sketch import EMPTY, SketchError, preprocess_sketch

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
.zoo-codes { width: 100%; height: auto; display: block; }
#zoo-frames, #zoo-render { display: none; }
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
        """Only the composite (what the canvas shows) is decoded: the models never see the layers apart.

        The layers come back as the files the browser sent, undecoded: the demo only asks whether there
        are any (`drawn_on`).
        """
        if payload is None:
            return None
        if payload.id is not None:  # the editor's blob path: Gradio assembles the files itself
            return self._guarded(super().preprocess, payload)
        composite = payload.composite if payload.composite is not None else payload.background
        if composite is None:
            return {"background": None, "layers": payload.layers, "composite": None}
        check_image(composite)
        image = self._guarded(self.convert_and_format_image, composite, flatten_on_white=True)
        return {"background": None, "layers": payload.layers, "composite": image}

    @staticmethod
    def _guarded(function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (OSError, ValueError, Image.DecompressionBombError) as e:  # an unreadable image is an OSError
            raise gr.Error(f"Could not read the drawing as an image ({type(e).__name__}).", print_exception=False) from None


def drawn_on(sketch) -> bool:
    """Whether the editor's value carries a drawing layer: a stroke (even one undone) makes one; the
    editor showing a picture it was given (a placed test digit) sends none."""
    return isinstance(sketch, dict) and bool(sketch.get("layers"))


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


def digit_source(index: int, label: int) -> str:
    """Where the input came from, for a test digit: the message says "Input: MNIST test digit #7 (a 9)"."""
    return f"MNIST test digit #{index} (a {label})"


def canvas_input(digits, sketch, digit_index) -> tuple[torch.Tensor, str]:
    """(the model input (784,), where it came from) for what the canvas shows; SketchError if it shows no digit.

    If the canvas still shows the test digit last placed there (`digit_index`), the input is that
    exact MNIST digit instead of its redrawn copy.
    """
    x = preprocess_sketch(sketch)
    if digit_index is not None:
        digit, label = digits.get(int(digit_index))
        if float(((x - digit) ** 2).mean()) < UNCHANGED_DIGIT_MSE:
            return digit, digit_source(int(digit_index), label)
    return x, "your drawing"


def read_canvas(digits, sketch, digit_index) -> tuple[torch.Tensor | None, str]:
    """(input (784,), where it came from) for what the canvas shows, or (None, the one-line reason there is none).

    What the page keeps between events (a gr.State): a slider move then reuses it instead of the
    browser uploading the canvas again.
    """
    try:
        return canvas_input(digits, sketch, digit_index)
    except SketchError as e:
        return None, str(e)


def update(models, digits, sketch, digit_index, noise_amplitude, seed, variants, latent_dims):
    """Everything the page shows for the canvas (`canvas_input`); returns (clean, noisy, gallery, codes, message)."""
    return show(models, read_canvas(digits, sketch, digit_index), noise_amplitude, seed, variants, latent_dims)


def show(models, current, noise_amplitude, seed, variants, latent_dims):
    """Everything the page shows for `current` = read_canvas(...); returns (clean, noisy, gallery, codes, message)."""
    problem = bad_setting(noise_amplitude, seed)
    if problem is not None:
        return BLANK, BLANK, [], None, f"**{problem}**"
    x, source = current if current is not None else (None, EMPTY)
    if x is None:
        return BLANK, BLANK, [], None, f"**{source}**"
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


def picture_src(image: np.ndarray) -> str:
    """A uint8 image as a PNG data URL: no file for the server to write or the browser to fetch."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return f"data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}"


def picture_html(image: np.ndarray, alt: str) -> str:
    """A uint8 image as an inline <img> (`picture_src`)."""
    return f'<img alt="{html.escape(alt)}" src="{picture_src(image)}">'


def digit_html(x: torch.Tensor, alt: str) -> str:
    """A digit (784 numbers in [0, 1]) as an inline <img>, drawn large and crisp by the page's CSS."""
    return picture_html(as_pixels(x.reshape(IMAGE_SIZE, IMAGE_SIZE).numpy()), alt)


def grid_html(gallery: list[tuple[np.ndarray, str]], columns: int, key: str = "") -> str:
    """The reconstructions as one grid of captioned pictures, `columns` to a row (rows: variants, columns: d).

    `key` (`frame_key`) names what the grid shows, for the page's script that swaps in other noise levels.
    """
    figures = "".join(f'<figure>{picture_html(image, caption)}<figcaption class="caption-label">{html.escape(caption)}'
                      "</figcaption></figure>" for image, caption in gallery)
    return (f'<div class="zoo-grid" data-key="{html.escape(key)}" '
            f'style="grid-template-columns: repeat({max(columns, 1)}, 1fr)">{figures}</div>')


def render(clean, noisy, gallery, codes, message, columns: int, code_colours: dict[int, tuple[str, str]], key: str = ""):
    """update()'s result as the page's outputs: the pictures and the codes as HTML, the message as it is."""
    return (f'<div class="zoo-picture"><p class="zoo-label">Input as the models see it ({IMAGE_SIZE}x{IMAGE_SIZE})</p>'
            f'{picture_html(clean, "input")}</div>',
            f'<div class="zoo-picture"><p class="zoo-label">Noisy input</p>{picture_html(noisy, "noisy input")}</div>',
            '<p class="zoo-label">Reconstructions (rows: variants, columns: d)</p>' + grid_html(gallery, columns, key),
            codes_html(codes, code_colours), message)


NOISE_STEP = 0.05  # the noise slider's step: the page holds every level for the input it shows
NOISE_LEVELS = tuple(round(i * NOISE_STEP, 2) for i in range(round(1 / NOISE_STEP) + 1))


def frame_key(current, seed, variants, dims) -> str | None:
    """A short name for what the page shows, but for the noise level: the input, the seed, the selection;
    None where it shows no reconstructions whatever the level (no input, a bad seed, nothing selected)."""
    if current is None or current[0] is None or not variants or not dims or bad_setting(0.0, seed) is not None:
        return None
    x, source = current
    digest = hashlib.sha1(x.numpy().tobytes())
    digest.update(repr((source, int(seed), sorted(variants or []), sorted(int(d) for d in dims or []))).encode())
    return digest.hexdigest()[:16]


def frames_html(models, current, seed, variants, dims, code_colours) -> str:
    """What the page shows for `current` at every noise level (NOISE_LEVELS), for its script to swap in
    when the slider moves, without a round trip to the server; "" when there is nothing to show.

    One hidden element: `data-key` (`frame_key`) and `data-frames`, JSON {level: {noisy: PNG data URL,
    figures: [[PNG data URL, caption], ...], codes: the code chart's HTML, message}}, each level as
    `show` computes it for the server's own update.
    """
    key = frame_key(current, seed, variants, dims)
    if key is None:
        return ""
    frames = {}
    for level in NOISE_LEVELS:
        _, noisy, gallery, codes, message = show(models, current, level, seed, variants, dims)
        frames[f"{level:.2f}"] = {"noisy": picture_src(noisy),
                                  "figures": [[picture_src(image), caption] for image, caption in gallery],
                                  "codes": codes_html(codes, code_colours), "message": message}
    return (f'<div data-key="{key}" '
            f'data-frames="{html.escape(json.dumps(frames, separators=(",", ":")))}"></div>')


# The page's side of `frames_html`: shows the kept frame for a noise level by changing the shown pictures'
# sources and the captions' and message's text in place (Gradio owns those elements and replaces them on
# its next update). Returns whether it did; it does nothing unless the frames are for what the page shows.
SWAP_JS = """
function zooSwap(noise) {
  const grid = document.querySelector('#reconstructions .zoo-grid[data-key]');
  const holder = document.querySelector('#zoo-frames [data-frames]');
  if (!grid || !holder || !grid.dataset.key || holder.dataset.key !== grid.dataset.key) return false;
  if (!window.__zooFrames || window.__zooFrames.key !== holder.dataset.key)
    window.__zooFrames = {key: holder.dataset.key, frames: JSON.parse(holder.dataset.frames)};
  const frame = window.__zooFrames.frames[Number(noise).toFixed(2)];
  const noisy = document.querySelector('#noisy img');
  const figures = grid.querySelectorAll('figure');
  const message = document.querySelector('#message p');
  if (!frame || !noisy || !message || figures.length !== frame.figures.length) return false;
  noisy.src = frame.noisy;
  figures.forEach((figure, i) => {
    const [src, caption] = frame.figures[i];
    figure.querySelector('img').src = src;
    figure.querySelector('img').alt = caption;
    figure.querySelector('figcaption').textContent = caption;
  });
  const chart = document.querySelector('#codes svg');
  if (chart) {
    const parsed = document.createElement('template');
    parsed.innerHTML = frame.codes;
    const svg = parsed.content.querySelector('svg');
    if (svg) chart.innerHTML = svg.innerHTML;
  }
  message.textContent = frame.message;
  return true;
}
"""
# For Blocks.load (`zoo.demo.build_app`): on every move of the noise slider (the browser's own `input`
# event, one listener on the document, as Gradio re-renders the slider's elements), the level from the
# frames, or, where the page shows something and has no frame for the value, the server's (`#zoo-render`).
PAGE_JS = f"""() => {{
{SWAP_JS}
  window.zooSwap = zooSwap;
  document.addEventListener('input', event => {{
    if (!(event.target instanceof HTMLInputElement) || !event.target.closest('#noise')) return;
    const grid = document.querySelector('#reconstructions .zoo-grid');
    if (!zooSwap(event.target.value) && grid && grid.dataset.key) document.querySelector('#zoo-render').click();
  }}, true);
}}"""
# After the server has shown something: the slider's current level, from the frames.
SHOW_LEVEL_JS = """() => {
  const range = document.querySelector('#noise input[type=range]');
  if (range && window.zooSwap) window.zooSwap(range.value);
}"""


# Vega's default colours, named, for the code plot's label (they repeat past the sixth sparse model).
CODE_COLOURS = (("#4c78a8", "blue"), ("#f58518", "orange"), ("#e45756", "red"), ("#54a24b", "green"),
                ("#b279a2", "purple"), ("#9d755d", "brown"))
CODES_SIZE = (760, 170)  # the code chart's drawing area (SVG units; the page scales it to its column)


def code_colours(latent_dims) -> dict[int, tuple[str, str]]:
    """(colour, its name) for each sparse model's d, smallest first: one colour per model on every update."""
    return dict(zip(sorted(latent_dims), itertools.cycle(CODE_COLOURS)))


def codes_html(codes: pd.DataFrame | None, colours: dict[int, tuple[str, str]]) -> str:
    """The sparse codes as one inline SVG bar chart: a bar per unit, the models side by side, smallest d first.

    Markup of a few kilobytes: the Vega bar plot it replaces cost the browser most of a slider
    move's time (docs/BENCHMARKS.md).
    """
    label = "Sparse codes h, one bar per unit, most exactly zero: " + ", ".join(
        f"d={d} {name}" for d, (_, name) in colours.items())
    head = f'<p class="zoo-label">{html.escape(label)}</p>'
    if codes is None or not len(codes):
        return head + '<p class="zoo-label">No sparse model is selected.</p>'
    groups = [(len(group), group["h"].to_numpy()) for _, group in codes.groupby("model", sort=False)]
    width, height = CODES_SIZE
    gap, text = 14, 16  # between models; the line under each model
    step = (width - gap * (len(groups) - 1)) / sum(d for d, _ in groups)
    top, bottom = max(float(codes["h"].max()), 1e-9), min(float(codes["h"].min()), 0.0)
    scale = (height - text) / (top - bottom)
    zero = (height - text) - (0.0 - bottom) * scale
    parts, left = [], 0.0
    for d, h in groups:
        colour = colours.get(d, CODE_COLOURS[0])[0]
        for i, value in enumerate(h):
            if value != 0:
                y, tall = (zero - value * scale, value * scale) if value > 0 else (zero, -value * scale)
                parts.append(f'<rect x="{left + i * step:.1f}" y="{y:.1f}" width="{max(step - 1, 1):.1f}" '
                             f'height="{max(tall, 0.5):.1f}" fill="{colour}"><title>d={d} h{i} = {value:.3f}</title></rect>')
        parts.append(f'<text x="{left:.1f}" y="{height - 3}" font-size="11" fill="currentColor">d={d}: '
                     f'{int((h != 0).sum())} of {d} non-zero</text>')
        left += d * step + gap
    parts.append(f'<line x1="0" x2="{width}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="currentColor" stroke-opacity="0.4"/>')
    return (head + f'<svg class="zoo-codes" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{html.escape(label)}">{"".join(parts)}</svg>')


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

    def shown(current, noise_amplitude, seed, variants, dims):
        result = show(models, current, noise_amplitude, seed, variants, dims)
        # `models` may have grown since the page was built (a model kept in the Train tab).
        return render(*result, columns=len({int(d) for d in dims or []} & {d for _, d in models}), code_colours=colours,
                      key=(result[2] and frame_key(current, seed, variants, dims)) or "")

    def framed(current, seed, variants, dims, known):
        """Every noise level for what the page shows (`frames_html`), unless the page already has them."""
        key = frame_key(current, seed, variants, dims)
        if key is not None and key == known:
            return gr.skip(), gr.skip()
        return frames_html(models, current, seed, variants, dims, colours), key

    def drawn(sketch, digit_index, noise_amplitude, seed, variants, dims):
        """A stroke or Undo (or the /reconstruct API): the canvas read once, shown, and kept in `current`."""
        # About a second after a test digit is put on the canvas, Gradio's editor sends `input` by itself,
        # once or twice: an empty page (its picture not yet loaded), then the digit (seen in Chromium).
        # Neither is the person's doing: the first would flash "Draw a digit first" and empty `current`,
        # the second could show settings older than a slider moved meanwhile (and once, in CI, read as
        # "your drawing"). Both come without a drawing layer, which every stroke makes; a person cannot
        # take the digit off the page but by Clear, which forgets it.
        # (digit_index is only ever set by the button: an API caller's reading is always shown.)
        if digit_index is not None and not drawn_on(sketch):
            return (gr.skip(),) * (len(outputs) + 1)
        current = read_canvas(digits, sketch, digit_index)
        return *shown(current, noise_amplitude, seed, variants, dims), current

    def cleared(noise_amplitude, seed, variants, dims):
        """The clear button: an empty page, no test digit any more."""
        return None, *shown(None, noise_amplitude, seed, variants, dims), None

    colours = code_colours(d for name, d in models if name == "sparse")  # fixed for the page's life
    digit_index = gr.State(None)
    current = gr.State(None)  # read_canvas's (input, source) for what the canvas shows now
    with gr.Tab("Zoo", id="zoo"):
        with gr.Row():
            with gr.Column(scale=1):
                # A white background makes the brush the active tool from the start (Gradio 6 otherwise
                # asks the person to pick the draw tool first).
                sketch = Sketchpad(value=blank_canvas(), label="Draw a digit", canvas_size=(CANVAS, CANVAS),
                                   type="numpy", image_mode="L", elem_id="sketchpad",
                                   brush=gr.Brush(default_size=BRUSH, colors=["#000000"], color_mode="fixed"))
                random_digit = gr.Button("Random MNIST test digit", elem_id="random-digit")
                noise = gr.Slider(0.0, 1.0, value=0.0, step=NOISE_STEP, label="Noise amplitude", elem_id="noise")
                seed = gr.Number(value=0, precision=0, minimum=0, maximum=MAX_SEED, label="Noise seed", elem_id="seed")
                pick_variants = gr.CheckboxGroup(variant_names, value=variant_names, label="Variants", elem_id="variants")
                pick_dims = gr.CheckboxGroup(latent_dims, value=latent_dims, label="d (latent size)", elem_id="dims")
            with gr.Column(scale=2):
                message = gr.Markdown(f"**{EMPTY}**", elem_id="message")
                with gr.Row():
                    empty = render(BLANK, BLANK, [], None, "", 1, colours)
                    clean = gr.HTML(empty[0], elem_id="clean")
                    noisy = gr.HTML(empty[1], elem_id="noisy")
                gallery = gr.HTML(empty[2], elem_id="reconstructions")
                codes = gr.HTML(empty[3], elem_id="codes")
                frames = gr.HTML("", elem_id="zoo-frames", container=False)  # hidden by CSS: the page's script reads it
                # Hidden too: the page's script presses it when it has no frame for the slider's value.
                show_level = gr.Button("Show this noise level", elem_id="zoo-render")
    frames_key = gr.State(None)  # frame_key of the frames the page holds
    outputs = [clean, noisy, gallery, codes, message]
    settings = [noise, seed, pick_variants, pick_dims]
    framing = ([current, seed, pick_variants, pick_dims, frames_key], [frames, frames_key])

    def pick_random(noise_amplitude, seed, variants, dims):
        """A random test digit on the canvas, and the page's outputs for it, in one event: a second event
        chained after it read the editor's value before the editor had taken the digit (seen in Chromium)."""
        index = int(np.random.default_rng().integers(len(digits)))
        x, label = digits.get(index)
        canvas = {"background": as_canvas(x), "layers": [], "composite": as_canvas(x)}
        current = (x, digit_source(index, label))
        return index, canvas, *shown(current, noise_amplitude, seed, variants, dims), current

    private = {"api_visibility": "private"}
    # Every event that reads or writes `current` and `digit_index` runs in one queue, one at a time: on a
    # busy machine an editor echo and the random digit's click ran side by side and the echo, reading no
    # digit yet, wrote its empty page last (a fresh-clone CI with two busy loops). One at a time costs
    # nothing measurable: the work holds the GIL anyway (docs/BENCHMARKS.md).
    zoo = {"concurrency_id": "zoo", "concurrency_limit": 1}
    # Strokes fire `input`; the clear button `clear`. The canvas is read (uploaded by the browser, decoded,
    # centred) only when it changes; the seed and pickers show the kept reading, sending only their values
    # (docs/BENCHMARKS.md). One public endpoint, /reconstruct:
    # (sketch, noise, seed, variants, dims) -> the page's outputs.
    # After each of them the page receives every noise level of what it shows (`frames_html`, ~0.3 MB,
    # ~80 ms of server time), and shows the slider's level from them (the slider may have moved while the
    # server worked). The frames have a queue of their own, so the next stroke need not wait for them;
    # frames for an input the page no longer shows are never used (their key differs).
    quiet = {"show_progress": "hidden", **private}
    in_frames_queue = {"concurrency_id": "frames", "concurrency_limit": 1, **quiet}
    sketch.input(drawn, [sketch, digit_index, *settings], [*outputs, current], trigger_mode="always_last",
                 api_name="reconstruct", **zoo).then(framed, *framing, **in_frames_queue).then(None, js=SHOW_LEVEL_JS)
    for control in (seed, pick_variants, pick_dims):
        control.change(shown, [current, *settings], outputs, trigger_mode="always_last", **private,
                       **zoo).then(framed, *framing, **in_frames_queue).then(None, js=SHOW_LEVEL_JS)
    # The slider has no event of its own: the page's script (PAGE_JS) shows each level from the frames as
    # the browser reports the move. Any Gradio event costs this page ~60 ms of the browser's main thread
    # (the Sketchpad re-uploads its canvas on each), and a server round trip ~50 more (docs/BENCHMARKS.md).
    # Without a frame (frames still on their way, or none for these settings) the script presses
    # `show_level`. (A value typed between the slider's steps is snapped to a step by Gradio.)
    show_level.click(shown, [current, *settings], outputs, **quiet, **zoo).then(None, js=SHOW_LEVEL_JS)
    # Gradio's clear button drops the background too, and the editor then ignores strokes until the
    # draw tool is picked again ("select the draw tool to start"): put the white page back.
    sketch.clear(blank_canvas, None, sketch, show_progress="hidden", **private).then(
        cleared, settings, [digit_index, *outputs, current], **private, **zoo).then(framed, *framing, **in_frames_queue)
    # A programmatic update (the random digit) fires no `input`, so the click shows the digit itself.
    # No progress overlay on it: Gradio 6.31 left the sketchpad's overlay up for good when the digit
    # replaced a drawing, and the overlay swallowed every later stroke and click (seen in Chromium, and
    # in a bare Gradio app with one Sketchpad and one button).
    random_digit.click(pick_random, settings, [digit_index, sketch, *outputs, current], show_progress="hidden",
                       **private, **zoo).then(framed, *framing, **in_frames_queue).then(None, js=SHOW_LEVEL_JS)
    return sketch, digit_index, pick_variants, pick_dims
