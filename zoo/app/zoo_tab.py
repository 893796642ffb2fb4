"""The Zoo tab: draw on a canvas of the page's own, and every selected model reconstructs it as the pen moves.

The page runs the models itself (static/zoo_tab.js, on the engine and the parts page_models.PAGE_SCRIPTS
lists): it reads the canvas, makes it look like MNIST as `zoo.data.sketch.preprocess_sketch` does, adds the
seed's noise and runs each model, with no request while drawing, undoing, clearing or moving the noise slider.
The server answers what the page cannot make itself: a seed's noise (`noise_for`), a random test digit
(`pick_digit`), and the models the page cannot run (`server_reconstructions`). The component's value is the
input the models see, which the Explore tab takes.
"""

from __future__ import annotations

import gradio as gr
import numpy as np

from zoo.analysis.comparison import compare, seed_noise
from zoo.app.checks import MAX_SEED, answered, bad_setting, image, model_by_id, refuse
from zoo.app.digits import MnistDigits
from zoo.app.page_models import PAGE_SCRIPTS, DemoModels, read_static, script_tags
from zoo.data import sketch
from zoo.model import IMAGE_SIZE

CANVAS = 400  # the canvas's side in its own pixels; the brush is scaled to give MNIST-like strokes
BRUSH = 30
NOISE_STEP = 0.05  # the noise slider's step
# Vega's default colours, named, for the code chart's label: one per model with a sparse code, repeating.
CODE_COLOURS = (("#4c78a8", "blue"), ("#f58518", "orange"), ("#e45756", "red"), ("#54a24b", "green"),
                ("#b279a2", "purple"), ("#9d755d", "brown"))


def sketch_settings() -> dict:
    """zoo.data.sketch's constants and messages, for the page's copy of preprocess_sketch (sketch.js)."""
    return {"field": IMAGE_SIZE, "box": sketch.BOX, "ink_threshold": sketch.INK_THRESHOLD,
            "crop_threshold": sketch.CROP_THRESHOLD, "luma": list(sketch.LUMA), "empty": sketch.EMPTY, "dot": sketch.DOT}


def digit_source(index: int, label: int) -> str:
    """Where the input came from, for a test digit: the message says "Input: MNIST test digit #7 (a 9)"."""
    return f"MNIST test digit #{index} (a {label})"


def noise_for(seed) -> dict:
    """{"noise": the N(0, 1) draw (784 numbers) behind `seed`'s noise}: the page adds amplitude x it itself."""
    problem = bad_setting(0.0, seed)
    if problem is not None:
        raise refuse(problem)
    return {"noise": seed_noise(int(float(seed))).tolist()}


def pick_digit(digits: MnistDigits, rng: np.random.Generator) -> dict:
    """A random MNIST test digit: {"index", "source", "pixels" (784 numbers in [0, 1])}."""
    test_x, _ = digits.all()
    index = int(rng.integers(len(test_x)))
    x, label = digits.get(index)
    return {"index": index, "source": digit_source(index, label), "pixels": x.tolist()}


def server_reconstructions(models: DemoModels, pixels, noise_amplitude, seed, ids) -> dict:
    """The page's fallback: {"results": [{"id", "pixels", "code", "mse"}, ...]} for the models (by id) it cannot run,
    on its input (784 numbers) with the seed's noise at that amplitude, as the page would show them."""
    x = image(pixels, "input")
    problem = bad_setting(noise_amplitude, seed)
    if problem is not None:
        raise refuse(problem)
    keys = [model_by_id(models, model_id) for model_id in ids or []]
    result = compare(models, x, float(noise_amplitude), int(float(seed)), keys)
    return {"results": [{"id": r.key.id, "pixels": r.image.reshape(-1).tolist(), "code": r.code.tolist(), "mse": r.mse}
                        for r in result.reconstructions]}


def build_zoo_tab(models: DemoModels, digits: MnistDigits) -> gr.HTML:
    """The Zoo tab, inside a gr.Blocks. Returns its component: its value is the input, its `models` prop the list
    of models the page runs (a kept model joins it)."""
    rng = np.random.default_rng()

    @answered
    def noise(seed):
        return noise_for(seed)

    @answered
    def random_digit():
        return pick_digit(digits, rng)

    @answered
    def run_on_server(pixels, noise_amplitude, seed, ids):
        return server_reconstructions(models, pixels, noise_amplitude, seed, ids)

    with gr.Tab("Zoo", id="zoo"):
        gr.Markdown("Draw a digit with a mouse, a finger or a pen (or take a real MNIST test digit), add noise, and "
                    "watch every model reconstruct it as you draw: the models run in this page. MSE is against the "
                    "clean input.")
        zoo_page = gr.HTML(
            value=None, html_template=read_static("zoo_tab.html"), js_on_load=read_static("zoo_tab.js"),
            head=script_tags(PAGE_SCRIPTS), apply_default_css=False,
            server_functions=[noise, random_digit, run_on_server], elem_id="zoo-page",  # the page's server.<name>(...)
            models=models.manifest(), canvas_size=CANVAS, brush_size=BRUSH, noise_step=NOISE_STEP, max_seed=MAX_SEED,
            sketch=sketch_settings(), first_noise=seed_noise(0).tolist(), colours=CODE_COLOURS)
    return zoo_page
