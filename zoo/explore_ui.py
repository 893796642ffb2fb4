"""The demo's Explore tab and its API: edit a code, walk between two digits, find a drawing's neighbours on a map.

The computation is `zoo.explore`; this module lays it out in Gradio and checks what a person or an
API caller sends. Every test code is computed once per model (`Atlases`), in the background after
the test digits load, so an interaction only encodes, decodes and measures distances.
"""

from __future__ import annotations

import functools
import html
import math
import threading

import gradio as gr
import torch

from zoo import explore
from zoo.model import INPUT_DIM, AutoEncoder
from zoo.registry import model_label
from zoo.sketch import SketchError
from zoo.ui import MnistDigits, canvas_input, digit_html

STEPS = (2, 21)  # the fewest and most images in an interpolation strip (the tab offers 5 to 11)
MAX_NEIGHBOURS = 50
NEIGHBOURS_SHOWN = 8
SLIDER_COLUMNS = 4
DEFAULT_STEPS = 7
FROM_INPUT = "your input"


class Atlases:
    """A `CodeAtlas` and a map per model, built in the background after the test digits load, or on first use."""

    def __init__(self, models: dict[tuple[str, int], AutoEncoder], digits: MnistDigits, background: bool = True):
        self.models = models
        self.digits = digits
        self._atlases: dict[tuple[str, int], explore.CodeAtlas] = {}
        self._maps: dict[tuple[str, int], explore.CodeMap] = {}
        self._lock = threading.Lock()
        if background:
            threading.Thread(target=self._build_all, daemon=True).start()

    def _build_all(self) -> None:
        try:
            for key in sorted(self.models, key=lambda k: (k[0] != "sparse", k[1] != 32)):  # the default model first
                self.map(key)
        except gr.Error:  # MNIST unavailable: the person is told on first use
            pass

    def atlas(self, key: tuple[str, int]) -> explore.CodeAtlas:
        with self._lock:
            if key not in self._atlases:
                test_x, labels = self.digits.all()
                self._atlases[key] = explore.CodeAtlas.build(self.models[key], test_x, labels)
            return self._atlases[key]

    def map(self, key: tuple[str, int]) -> explore.CodeMap:
        atlas = self.atlas(key)
        with self._lock:
            if key not in self._maps:
                self._maps[key] = explore.draw_map(atlas, f"{model_label(*key)}: the 10,000 test codes")
            return self._maps[key]


# ---------------------------------------------------------------------------------------------
# Checks: one-line messages for what a person or an API caller may send


def model_key(models, variant, latent_dim) -> tuple[str, int]:
    """(variant, d) of a trained model, or gr.Error naming what exists."""
    try:
        key = (str(variant), int(latent_dim))
    except (TypeError, ValueError):
        key = None
    if key not in models:
        trained = ", ".join(model_label(*k) for k in sorted(models))
        raise gr.Error(f"No trained model {variant!r} with d={latent_dim}; trained: {trained}.", print_exception=False)
    return key


def parse_label(models, label: str) -> tuple[str, int]:
    """"sparse d=32" -> ("sparse", 32), for a trained model."""
    variant, _, d = str(label).partition(" d=")
    return model_key(models, variant, d)


def numbers(values, count: int, what: str, low: float = -math.inf, high: float = math.inf) -> torch.Tensor:
    """`values` as a float tensor of `count` finite numbers in [low, high], or gr.Error saying what is wrong."""
    try:
        tensor = torch.tensor([float(v) for v in values], dtype=torch.float32)
    except (TypeError, ValueError):
        raise gr.Error(f"{what} must be a list of {count} numbers.", print_exception=False) from None
    if tensor.numel() != count:
        raise gr.Error(f"{what} must have {count} numbers, got {tensor.numel()}.", print_exception=False)
    if not torch.isfinite(tensor).all() or (tensor < low).any() or (tensor > high).any():
        raise gr.Error(f"{what} must hold finite numbers" + (f" from {low:g} to {high:g}." if math.isfinite(low) else "."),
                       print_exception=False)
    return tensor


def whole(value, what: str, low: int, high: int) -> int:
    """`value` as an int in [low, high], or gr.Error."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and number == int(number) and low <= number <= high):
        raise gr.Error(f"{what} must be a whole number from {low} to {high}, got {value}.", print_exception=False)
    return int(number)


# ---------------------------------------------------------------------------------------------
# Pictures


def labelled(label: str, picture_tag: str) -> str:
    return f'<p class="zoo-label">{html.escape(label)}</p>{picture_tag}'


def decoded_html(x: torch.Tensor) -> str:
    return labelled("Decoded from the sliders' code", digit_html(x, "decoded from the sliders"))


def strips_html(rows: list[tuple[str, torch.Tensor]]) -> str:
    """Rows of images (k, 784) under a label each: one strip per row, the label on its left."""
    columns = max(len(images) for _, images in rows)
    cells = "".join(f'<div class="zoo-strip-label">{html.escape(label)}</div>'
                    + "".join(digit_html(image, f"{label}, step {i + 1}") for i, image in enumerate(images))
                    for label, images in rows)
    return f'<div class="zoo-strips" style="grid-template-columns: 9em repeat({columns}, 1fr)">{cells}</div>'


def neighbours_html(title: str, atlas: explore.CodeAtlas, indices: torch.Tensor, distances: torch.Tensor) -> str:
    figures = "".join(f'<figure>{digit_html(atlas.test_x[i], f"test digit {int(i)}")}<figcaption>#{int(i)}: a '
                      f'{int(atlas.labels[i])}<br>{float(dist):.2f} away</figcaption></figure>'
                      for i, dist in zip(indices, distances))
    return f'<p class="zoo-label">{html.escape(title)}</p><div class="zoo-neighbours">{figures}</div>'


def code_message(key: tuple[str, int], h: torch.Tensor) -> str:
    zero = int((h == 0).sum())
    if key[0] == "sparse" or zero:
        return (f"**{model_label(*key)}**: {zero} of {len(h)} units of this code are exactly zero (their sliders "
                "say *off*). Move a slider to change one unit; the picture is decoded from the sliders.")
    return (f"**{model_label(*key)}**: {len(h)} units. Move a slider to change one unit; the picture is decoded "
            "from the sliders.")


# ---------------------------------------------------------------------------------------------
# The tab


def build_explore_tab(models: dict[tuple[str, int], AutoEncoder], digits: MnistDigits, sketch, digit_index,
                      atlases: Atlases | None = None) -> tuple[Atlases, gr.Dropdown, gr.CheckboxGroup]:
    """The Explore tab, inside a gr.Blocks: its input is the Zoo tab's canvas (`sketch`, `digit_index`).

    Returns the models' atlases (for `build_explore_api`) and the tab's two model pickers.
    """
    atlases = atlases or Atlases(models, digits)
    labels = [model_label(*k) for k in sorted(models)]
    default = model_label("sparse", 32) if ("sparse", 32) in models else labels[0]
    most_units = max(d for _, d in models)
    classes = [FROM_INPUT] + [f"a test {c}" for c in range(10)]

    def test_digit(choice: str, pick: int) -> tuple[torch.Tensor, str]:
        """The `pick`-th test digit of the class in `choice` ("a test 8")."""
        test_x, test_y = digits.all()
        digit = int(choice.rsplit(" ", 1)[1])
        indices = torch.nonzero(test_y == digit).flatten()
        index = int(indices[pick % len(indices)])
        return test_x[index], f"test digit #{index} (a {digit})"

    def endpoint(choice: str, x: torch.Tensor, pick: int) -> tuple[torch.Tensor, str]:
        return (x, "your input") if choice == FROM_INPUT else test_digit(choice, pick)

    def code_outputs(key, h: torch.Tensor):
        """Slider updates for code h (hidden past d; its exact zeros marked off), the picture, the message, h."""
        atlas = atlases.atlas(key)
        updates = []
        for i in range(most_units):
            if i < len(h):
                low, high = atlas.slider_range(i, float(h[i]))
                off = " · off" if float(h[i]) == 0.0 else ""
                updates.append(gr.Slider(minimum=math.floor(low * 1000) / 1000, maximum=math.ceil(high * 1000) / 1000,
                                         value=round(float(h[i]), 3), label=f"h{i}{off}", visible=True))
            else:
                updates.append(gr.Slider(visible=False))
        shown_rows = [gr.Row(visible=row * SLIDER_COLUMNS < len(h)) for row in range(len(rows))]
        return [*updates, *shown_rows, decoded_html(atlas.decode(h)), code_message(key, h), h]

    def interpolation(key_labels, x, start, end, pick, steps):
        steps = whole(steps, "Steps", *STEPS)
        x_a, name_a = endpoint(start, x, pick)
        x_b, name_b = endpoint(end, x, pick + 1)
        keys = sorted({parse_label(models, label) for label in key_labels or []})
        rows = [("pixels (a blend)", explore.blend(x_a, x_b, steps))]
        rows += [(model_label(*k), explore.walk(atlases.models[k], x_a, x_b, steps)) for k in keys]
        note = f"From {name_a} to {name_b}, {steps} steps" + ("" if keys else "; pick at least one model")
        return f'<p class="zoo-label">{html.escape(note)}</p>' + strips_html(rows)

    def neighbourhood(key, x):
        atlas = atlases.atlas(key)
        h = atlas.encode(x)
        code_side = neighbours_html("Nearest test digits by code h", atlas, *atlas.neighbours(h, NEIGHBOURS_SHOWN))
        pixel_side = neighbours_html("Nearest test digits by pixels", atlas, *atlas.pixel_neighbours(x, NEIGHBOURS_SHOWN))
        return atlases.map(key).marked(atlas.project(h)), code_side + pixel_side

    def everything(label, x, source, start, end, pick, steps, walk_labels):
        """Every output of the tab for input x and the chosen model."""
        key = parse_label(models, label)
        atlas = atlases.atlas(key)
        h = atlas.encode(x)
        the_map, neighbour_lists = neighbourhood(key, x)
        return [x, labelled("Input as the models see it", digit_html(x, "input")), f"Input: {source}.",
                *code_outputs(key, h), the_map, neighbour_lists, interpolation(walk_labels, x, start, end, pick, steps)]

    with gr.Tab("Explore", id="explore") as tab:
        gr.Markdown("Look inside the codes h. The input is the Zoo tab's canvas (drawing or test digit); it is "
                    "taken when this tab opens, or with the button. Pick a point on the map to make that test digit "
                    "the input.")
        current = gr.State(None)  # the input (784,) every part of this tab works on
        code = gr.State(None)  # the code (d,) the sliders show: a slider's event sends only its own value
        with gr.Row():
            pick_model = gr.Dropdown(labels, value=default, label="Model", elem_id="explore-model")
            take = gr.Button("Take the Zoo tab's input", elem_id="explore-take")
        source_note = gr.Markdown("", elem_id="explore-source")
        with gr.Row():
            shown_input = gr.HTML(elem_id="explore-input", elem_classes="zoo-picture")
            decoded = gr.HTML(elem_id="explore-decoded", elem_classes="zoo-picture")
            with gr.Column():
                code_note = gr.Markdown(elem_id="explore-code-note")
                reset = gr.Button("Reset to the input's code", elem_id="explore-reset")
                with gr.Row():
                    unit = gr.Number(value=0, precision=0, minimum=0, label="Unit", elem_id="explore-unit")
                    alone = gr.Button("Only this unit on", elem_id="explore-alone")
        with gr.Accordion("The code h: one slider per unit (1st to 99th percentile of the test codes)", open=True):
            sliders, rows = [], []
            for row in range(math.ceil(most_units / SLIDER_COLUMNS)):
                with gr.Row() as slider_row:
                    rows.append(slider_row)
                    for column in range(SLIDER_COLUMNS):
                        i = row * SLIDER_COLUMNS + column
                        if i < most_units:
                            sliders.append(gr.Slider(-1, 1, value=0, step=0.001, label=f"h{i}", min_width=120,
                                                     elem_id=f"explore-h{i}"))
        gr.Markdown("### Interpolate: decode the straight line between two codes")
        with gr.Row():
            start = gr.Dropdown(classes, value=FROM_INPUT, label="From", elem_id="explore-from")
            end = gr.Dropdown(classes, value="a test 8", label="To", elem_id="explore-to")
            steps = gr.Slider(5, 11, value=DEFAULT_STEPS, step=1, label="Steps", elem_id="explore-steps")
            other = gr.Button("Other test digits", elem_id="explore-other")
        pick = gr.State(0)
        walk_models = gr.CheckboxGroup(labels, value=[label for label in labels if label.endswith(" d=32")],
                                       label="Models", elem_id="explore-walk-models")
        strips = gr.HTML(elem_id="explore-strips")
        gr.Markdown("### The map: every test digit's code, on the codes' top two principal components")
        with gr.Row():
            the_map = gr.Image(label="Test codes by digit; the ring is the input. Click a point to take that digit.",
                               interactive=False, format="png", elem_id="explore-map", buttons=[])
            neighbour_lists = gr.HTML(elem_id="explore-neighbours")

    private = {"api_visibility": "private"}
    code_parts = [*sliders, *rows, decoded, code_note, code]
    walk_inputs = [start, end, pick, steps, walk_models]
    all_outputs = [current, shown_input, source_note, *code_parts, the_map, neighbour_lists, strips]

    def take_input(sketch_value, index, label, *walk):
        try:
            x, source = canvas_input(digits, sketch_value, index)
        except SketchError:
            x, source = test_digit("a test 3", 0)
            source += " (the canvas is empty)"
        return everything(label, x, source, *walk)

    for trigger in (tab.select, take.click):
        trigger(take_input, [sketch, digit_index, pick_model, *walk_inputs], all_outputs, **private)

    def change_model(label, x, *walk):
        if x is None:
            return [gr.skip()] * len(all_outputs)
        outputs = everything(label, x, "", *walk)
        outputs[2] = gr.skip()  # the input, and so its note, stays
        return outputs

    pick_model.change(change_model, [pick_model, current, *walk_inputs], all_outputs, **private)

    def reset_code(label, x):
        if x is None:
            return [gr.skip()] * len(code_parts)
        key = parse_label(models, label)
        h = atlases.atlas(key).encode(x)
        return code_outputs(key, h)

    reset.click(reset_code, [pick_model, current], code_parts, **private)

    def unit_alone(label, unit_number):
        key = parse_label(models, label)
        chosen = whole(unit_number, "Unit", 0, key[1] - 1)
        h = atlases.atlas(key).alone(chosen)
        return code_outputs(key, h)

    alone.click(unit_alone, [pick_model, unit], code_parts, **private)

    def move_unit(unit_index, label, h, value):
        """One slider moved: that unit of the code takes `value`, the picture is decoded again."""
        key = parse_label(models, label)
        if h is None or len(h) != key[1] or unit_index >= key[1]:
            return gr.skip(), gr.skip()
        h = h.clone()
        h[unit_index] = numbers([value], 1, f"h{unit_index}")[0]
        return decoded_html(atlases.atlas(key).decode(h)), h

    for i, slider in enumerate(sliders):
        # Three inputs, not every slider: a browser sent 65 values per move and waited ~90 ms more.
        slider.input(functools.partial(move_unit, i), [pick_model, code, slider], [decoded, code],
                     trigger_mode="always_last", **private)

    def redo_walk(x, *walk):
        if x is None:
            return gr.skip()
        return interpolation(walk[4], x, *walk[:4])

    for control in (start, end, steps, walk_models):
        control.change(redo_walk, [current, *walk_inputs], strips, trigger_mode="always_last", **private)
    other.click(lambda p: p + 2, pick, pick, **private).then(redo_walk, [current, *walk_inputs], strips, **private)

    def map_pick(label, start_choice, end_choice, pick_number, step_count, walk_labels, evt: gr.SelectData):
        walk = (start_choice, end_choice, pick_number, step_count, walk_labels)
        key = parse_label(models, label)
        index = atlases.atlas(key).nearest_point(atlases.map(key).to_map(evt.index))
        test_x, test_y = digits.all()
        return everything(label, test_x[index], f"MNIST test digit #{index} (a {int(test_y[index])}), picked on the map",
                          *walk)

    the_map.select(map_pick, [pick_model, *walk_inputs], all_outputs, **private)
    return atlases, pick_model, walk_models


def build_explore_api(models: dict[tuple[str, int], AutoEncoder], atlases: Atlases) -> None:
    """/decode, /interpolate, /neighbours: images are 784 numbers in [0, 1], 28x28 row by row, as MNIST's.

    Call it inside the gr.Blocks after the last tab: an endpoint between two tabs would split the tab bar.
    """

    def decode(variant: str, d: int, code: list[float]) -> list[float]:
        """The 28x28 image (784 numbers in [0, 1], row by row) that the model decodes `code` (d numbers) to."""
        key = model_key(models, variant, d)
        h = numbers(code, key[1], "code")
        return atlases.atlas(key).decode(h).tolist()

    def interpolate(a: list[float], b: list[float], variant: str, d: int, steps: int) -> dict:
        """Images along the line from a's code to b's (`steps` of them, ends included) and the pixel blend."""
        key = model_key(models, variant, d)
        x_a, x_b = numbers(a, INPUT_DIM, "a", 0, 1), numbers(b, INPUT_DIM, "b", 0, 1)
        count = whole(steps, "steps", *STEPS)
        return {"codes": explore.walk(models[key], x_a, x_b, count).tolist(),
                "pixels": explore.blend(x_a, x_b, count).tolist()}

    def neighbours(image: list[float], variant: str, d: int, k: int) -> dict:
        """The k test digits nearest the image's code: their indices, labels, distances and images."""
        key = model_key(models, variant, d)
        x = numbers(image, INPUT_DIM, "image", 0, 1)
        count = whole(k, "k", 1, MAX_NEIGHBOURS)
        atlas = atlases.atlas(key)
        indices, distances = atlas.neighbours(atlas.encode(x), count)
        return {"indices": indices.tolist(), "labels": atlas.labels[indices].tolist(),
                "distances": distances.tolist(), "images": atlas.test_x[indices].tolist()}

    for function in (decode, interpolate, neighbours):
        gr.api(function, api_name=function.__name__)
