"""The Explore tab and its API: edit a code, walk between two digits, find a drawing's neighbours on a map.

The computation is `zoo.analysis.explore`. The page decodes by itself (static/code_editor.js, walk_strips.js on
engine.js): moving a unit's slider, "only this unit on", Reset and the interpolation strips ask
nothing of the server. The server sends what needs the 10,000 test codes: each unit's range, the map
and the neighbours. Every test code is computed once per model (`Atlases`), in the background after
the test digits load.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass

import gradio as gr
import numpy as np
import torch

from zoo.analysis import explore, maps, units
from zoo.app import checks, unit_dashboard
from zoo.app.digits import MnistDigits
from zoo.app.keys import ModelKey
from zoo.app.page_models import DemoModels, read_static, static_url
from zoo.app.pictures import digit_html
from zoo.system import paths

STEPS = (2, 21)  # the fewest and most images in an interpolation strip through the API
STRIP_STEPS = (5, 11, 7)  # the strips' steps slider in the page: least, most, at first
MAX_NEIGHBOURS = 50
NEIGHBOURS_SHOWN = 8
FROM_INPUT = "your input"
EMPTY_CANVAS_DIGIT = 3  # with nothing drawn, Explore starts from the first test 3


@dataclass(frozen=True)
class MapView:
    """One way to draw the test codes in 2-D."""

    name: str  # as a sentence names it
    choice: str  # the picker's label
    axes: tuple[str, str]


# t-SNE first (it keeps each digit's codes together: zoo.analysis.maps), PCA as it was.
MAP_VIEWS = {"tsne": MapView("t-SNE", "t-SNE (openTSNE): codes near in d dimensions stay near", ("t-SNE 1", "t-SNE 2")),
             "pca": MapView("PCA", "PCA: the codes' top two principal components", explore.PCA_AXES)}


class Atlases:
    """Per model: a `CodeAtlas`, its t-SNE map (`zoo.analysis.maps`), its units (`zoo.analysis.units`) and the maps drawn.

    Built in the background after the test digits load (the default model first), or on first use.
    """

    def __init__(self, models: DemoModels, digits: MnistDigits, background: bool = True):
        self.models = models
        self.digits = digits
        self._atlases: dict[ModelKey, explore.CodeAtlas] = {}
        self._code_maps: dict[ModelKey, maps.CodeMap2D] = {}
        self._pictures: dict[tuple[ModelKey, str], explore.CodeMap] = {}
        self._units: dict[ModelKey, units.UnitTable] = {}
        self._lock = threading.Lock()
        self._map_lock = threading.Lock()  # a fit takes ~25 s: the atlases stay available meanwhile
        if background:
            threading.Thread(target=self._build_all, daemon=True).start()

    def _build_all(self) -> None:
        try:
            keys = sorted(self.models, key=lambda k: (k.variant != "sparse", k.latent_dim != 32))  # the default first
            self.place(keys[0], "tsne", self.atlas(keys[0]).codes[0])  # openTSNE's affinities for the first drawing
            for key in keys:
                self.picture(key, "tsne")
            self.unit_tables()  # the first dashboard compares a unit with every model's (~3 s if left to it)
        except gr.Error:  # MNIST unavailable: the person is told on first use
            pass

    def atlas(self, key: ModelKey) -> explore.CodeAtlas:
        with self._lock:
            if key not in self._atlases:
                test_x, labels = self.digits.all()
                self._atlases[key] = explore.CodeAtlas.build(self.models[key], test_x, labels)
            return self._atlases[key]

    def code_map(self, key: ModelKey) -> maps.CodeMap2D:
        """The model's t-SNE map: the one beside its weights if made for them, else fitted now and kept there."""
        atlas = self.atlas(key)
        with self._map_lock:
            if key not in self._code_maps:
                sha256 = self.models.sha256(key)
                path = maps.map_path(paths.user_weights_dir() if key.user else paths.default_weights_dir(),
                                     key.variant, key.latent_dim)
                try:
                    self._code_maps[key] = maps.load(path, sha256)
                except maps.MapError:
                    self._code_maps[key] = maps.fit(atlas.codes.numpy(), sha256)
                    try:
                        maps.save(self._code_maps[key], path)
                    except OSError:  # a read-only install: this run keeps it in memory
                        pass
            return self._code_maps[key]

    def points(self, key: ModelKey, view: str) -> np.ndarray:
        """Every test code's place (N, 2) on the model's map in `view` ("tsne" or "pca")."""
        return self.code_map(key).points if view == "tsne" else self.atlas(key).points.numpy()

    def place(self, key: ModelKey, view: str, h: torch.Tensor) -> np.ndarray:
        """Where code h (d,) lies on the model's map in `view`: openTSNE's transform, or the PCA projection."""
        if view == "tsne":
            return self.code_map(key).place(h.numpy()[None], self.atlas(key).codes.numpy())[0]
        return self.atlas(key).project(h).numpy()

    def picture(self, key: ModelKey, view: str) -> explore.CodeMap:
        """The model's map in `view`, drawn once."""
        points = self.points(key, view)
        with self._lock:
            if (key, view) not in self._pictures:
                self._pictures[(key, view)] = explore.draw_map(
                    points, self.digits.all()[1].numpy(), f"{key.label}: the 10,000 test codes, {MAP_VIEWS[view].name}",
                    MAP_VIEWS[view].axes)
            return self._pictures[(key, view)]

    def unit_table(self, key: ModelKey) -> units.UnitTable:
        atlas = self.atlas(key)
        with self._lock:
            if key not in self._units:
                self._units[key] = units.UnitTable.build(atlas.model, atlas.test_x, atlas.labels, atlas.codes)
            return self._units[key]

    def unit_tables(self) -> dict[ModelKey, units.UnitTable]:
        """Every model's units (those alike are looked for across the zoo)."""
        return {key: self.unit_table(key) for key in self.models}


# ---------------------------------------------------------------------------------------------
# What the tab shows, as plain values (the page's script draws the pictures)


def model_entry(key: ModelKey, models: DemoModels) -> dict:
    """The few facts the page's scripts need of a model: its id (engine.js runs it), label, d, whether its code is sparse."""
    return {"id": key.id, "label": key.label, "latent_dim": key.latent_dim, "sparse_code": models[key].config.sparse_code}


def code_view(atlases: Atlases, key: ModelKey, x: torch.Tensor) -> dict:
    """The code editor's content for input x and one model: its code h, each unit's slider range (the test codes'
    1st to 99th percentile, widened to hold h), each unit's value when alone, and the input itself."""
    atlas = atlases.atlas(key)
    h = atlas.encode(x)
    ranges = [atlas.slider_range(i, float(v)) for i, v in enumerate(h)]
    return {"model": model_entry(key, atlases.models), "h": h.tolist(), "low": [low for low, _ in ranges],
            "high": [high for _, high in ranges], "alone": [float(atlas.alone(i)[i]) for i in range(len(h))],
            "input": x.tolist()}


def neighbours_html(title: str, atlas: explore.CodeAtlas, indices: torch.Tensor, distances: torch.Tensor) -> str:
    figures = "".join(f'<figure>{digit_html(atlas.test_x[i], f"test digit {int(i)}")}<figcaption>#{int(i)}: a '
                      f'{int(atlas.labels[i])}<br>{float(dist):.2f} away</figcaption></figure>'
                      for i, dist in zip(indices, distances))
    return f'<p class="zoo-label">{html.escape(title)}</p><div class="zoo-neighbours">{figures}</div>'


def neighbourhood(atlases: Atlases, key: ModelKey, x: torch.Tensor, view: str):
    """(the map in `view` with the input ringed, where it landed in words, its nearest test digits by code and by pixels)."""
    atlas = atlases.atlas(key)
    h = atlas.encode(x)
    by_code = neighbours_html("Nearest test digits by code h", atlas, *atlas.neighbours(h, NEIGHBOURS_SHOWN))
    by_pixels = neighbours_html("Nearest test digits by pixels", atlas, *atlas.pixel_neighbours(x, NEIGHBOURS_SHOWN))
    picture, xy = atlases.picture(key, view), atlases.place(key, view, h)
    near = atlas.labels[torch.from_numpy(picture.nearest_points(xy, maps.NEIGHBOURS))]
    digit = int(near.mode().values)
    where = (f"On the {MAP_VIEWS[view].name} map the input lands at ({xy[0]:.1f}, {xy[1]:.1f}): {int((near == digit).sum())} of "
             f"the {maps.NEIGHBOURS} test digits nearest it there are {digit}s.")
    return picture.marked(xy), where, by_code + by_pixels


def units_view(atlases: Atlases, key: ModelKey) -> dict:
    """The units list's content for one model: a row per unit (`unit_dashboard.rows`)."""
    return {"model": key.id, "label": key.label, "rows": unit_dashboard.rows(atlases.unit_table(key))}


def unit_view(atlases: Atlases, key: ModelKey, unit) -> dict:
    """The dashboard of one unit (`unit_dashboard.dashboard`), the unit checked against the model's d."""
    number = checks.whole(unit, "unit", 0, key.latent_dim - 1)
    atlas = atlases.atlas(key)
    return unit_dashboard.dashboard(atlases.unit_tables(), key, number, atlas.decode(atlas.alone(number)))


def test_digit(digits: MnistDigits, digit: int, pick: int) -> tuple[torch.Tensor, str]:
    """The `pick`-th test digit of class `digit` (wrapping round), and where it came from."""
    test_x, test_y = digits.all()
    indices = torch.nonzero(test_y == digit).flatten()
    index = int(indices[pick % len(indices)])
    return test_x[index], f"test digit #{index} (a {digit})"


def walk_view(models: DemoModels, digits: MnistDigits, x: torch.Tensor, start, end, pick: int, ids) -> dict:
    """The strips' content: their two ends (784 numbers each), a note saying what they are, and the models to walk.

    `start` and `end` are FROM_INPUT or a digit 0-9 (a test digit of that class: `pick`, and `pick + 1` for the end).
    """
    def endpoint(choice, offset):
        return (x, FROM_INPUT) if choice == FROM_INPUT else test_digit(digits, int(choice), pick + offset)

    (x_a, name_a), (x_b, name_b) = endpoint(start, 0), endpoint(end, 1)
    keys = sorted(checks.model_by_id(models, model_id) for model_id in ids or [])
    return {"a": x_a.tolist(), "b": x_b.tolist(), "models": [model_entry(key, models) for key in keys],
            "note": f"From {name_a} to {name_b}" + ("" if keys else "; pick at least one model")}


def input_from(zoo_value, digits: MnistDigits) -> tuple[torch.Tensor, str]:
    """The Zoo tab's input (its component's value), or with nothing drawn the first test 3."""
    if isinstance(zoo_value, dict) and zoo_value.get("pixels") is not None:
        return checks.image(zoo_value["pixels"], "input"), str(zoo_value.get("source") or "your drawing")
    x, source = test_digit(digits, EMPTY_CANVAS_DIGIT, 0)
    return x, source + " (the canvas is empty)"


# ---------------------------------------------------------------------------------------------
# The tab


def build_explore_tab(models: DemoModels, digits: MnistDigits, zoo_page: gr.HTML, atlases: Atlases | None = None
                      ) -> tuple[Atlases, gr.Dropdown, gr.CheckboxGroup]:
    """The Explore tab, inside a gr.Blocks: its input is the Zoo tab's (`zoo_page`'s value).

    Returns the models' atlases (for `build_explore_api`) and the tab's two model pickers (a kept model joins them).
    """
    atlases = atlases or Atlases(models, digits)
    choices = [(key.label, key.id) for key in models]
    default = ModelKey("sparse", 32)
    default_id = default.id if default in models else choices[0][1]
    classes = [(FROM_INPUT, FROM_INPUT)] + [(f"a test {c}", str(c)) for c in range(10)]
    head = f'<script src="{static_url("engine.js")}"></script>'

    def decode(model, code):
        key = checks.model_by_id(models, model)
        return {"pixels": atlases.atlas(key).decode(checks.code(code, key.latent_dim)).tolist()}

    def walk(model, a, b, steps):
        key = checks.model_by_id(models, model)
        count = checks.whole(steps, "steps", *STEPS)
        return {"pixels": explore.walk(models[key], checks.image(a, "a"), checks.image(b, "b"), count).tolist()}

    def unit(model, unit):
        key = checks.model_by_id(models, model)
        found = unit_view(atlases, key, unit)
        return {"html": unit_dashboard.dashboard_html(found, atlases.atlas(key).test_x, key.label)}

    with gr.Tab("Explore", id="explore") as tab:
        gr.Markdown("Look inside the codes h. The input is the Zoo tab's (drawing or test digit), taken when this tab "
                    "opens or with the button. Pick a point on the map to make that test digit the input.")
        current = gr.State(None)  # the input (784,) every part of this tab works on
        with gr.Row():
            pick_model = gr.Dropdown(choices, value=default_id, label="Model", elem_id="explore-model")
            take = gr.Button("Take the Zoo tab's input", elem_id="explore-take")
        source_note = gr.Markdown("", elem_id="explore-source")
        editor = gr.HTML(value=None, html_template=read_static("code_editor.html"), js_on_load=read_static("code_editor.js"),
                         head=head, apply_default_css=False, server_functions=[checks.answered(decode)],
                         elem_id="explore-codes", code=None)
        gr.Markdown("### Interpolate: decode the straight line between two codes")
        with gr.Row():
            start = gr.Dropdown(classes, value=FROM_INPUT, label="From", elem_id="explore-from")
            end = gr.Dropdown(classes, value="8", label="To", elem_id="explore-to")
            other = gr.Button("Other test digits", elem_id="explore-other")
        pick = gr.State(0)
        walk_models = gr.CheckboxGroup(choices, value=[key.id for key in models if key.latent_dim == 32 and not key.user],
                                       label="Models", elem_id="explore-walk-models")
        strips = gr.HTML(value=None, html_template=read_static("walk_strips.html"), js_on_load=read_static("walk_strips.js"),
                         head=head, apply_default_css=False, server_functions=[checks.answered(walk)], elem_id="explore-strips",
                         walk=None, steps_range=list(STRIP_STEPS))
        gr.Markdown("### The map: every test digit's code in two dimensions, coloured by digit; the ring is the input. "
                    "Click a point to take that test digit.")
        map_view = gr.Radio([(view.choice, name) for name, view in MAP_VIEWS.items()], value="tsne", label="Map",
                            elem_id="explore-map-view")
        with gr.Row():
            with gr.Column():
                the_map = gr.Image(label="The map", show_label=False, interactive=False, format="png", elem_id="explore-map",
                                   buttons=[])
                where = gr.Markdown("", elem_id="explore-map-where")
            neighbour_lists = gr.HTML(elem_id="explore-neighbours")
        gr.Markdown("### Units: what each unit of the code draws, and which test digits drive it")
        unit_list = gr.HTML(value=None, html_template=read_static("unit_list.html"), js_on_load=read_static("unit_list.js"),
                            head=head, apply_default_css=False, server_functions=[checks.answered(unit)],
                            elem_id="explore-units", units=None)

    private = {"api_visibility": "private"}
    walk_inputs = [start, end, pick, walk_models]
    mapped = [the_map, where, neighbour_lists]
    everything = [current, source_note, editor, strips, *mapped, unit_list]

    def view(model_id, view_name, x, source, start_choice, end_choice, pick_number, ids):
        """Every output of the tab for input x and the chosen model."""
        key = checks.model_by_id(models, model_id)
        return [x, f"Input: {source}.", gr.HTML(code=code_view(atlases, key, x)),
                gr.HTML(walk=walk_view(models, digits, x, start_choice, end_choice, pick_number, ids)),
                *neighbourhood(atlases, key, x, view_name), gr.HTML(units=units_view(atlases, key))]

    def take_input(zoo_value, model_id, view_name, *walk_settings):
        return view(model_id, view_name, *input_from(zoo_value, digits), *walk_settings)

    for trigger in (tab.select, take.click):
        trigger(take_input, [zoo_page, pick_model, map_view, *walk_inputs], everything, **private)

    def change_model(model_id, view_name, x):
        if x is None:
            return [gr.skip()] * 5
        key = checks.model_by_id(models, model_id)
        return [gr.HTML(code=code_view(atlases, key, x)), *neighbourhood(atlases, key, x, view_name),
                gr.HTML(units=units_view(atlases, key))]

    pick_model.change(change_model, [pick_model, map_view, current], [editor, *mapped, unit_list], **private)

    def change_view(model_id, view_name, x):
        if x is None:
            return [gr.skip()] * 3
        return neighbourhood(atlases, checks.model_by_id(models, model_id), x, view_name)

    map_view.change(change_view, [pick_model, map_view, current], mapped, **private)

    def redo_walk(x, *walk_settings):
        if x is None:
            return gr.skip()
        return gr.HTML(walk=walk_view(models, digits, x, *walk_settings))

    for control in (start, end, walk_models):
        control.change(redo_walk, [current, *walk_inputs], strips, trigger_mode="always_last", **private)
    other.click(lambda p: p + 2, pick, pick, **private).then(redo_walk, [current, *walk_inputs], strips, **private)

    def map_pick(model_id, view_name, start_choice, end_choice, pick_number, ids, evt: gr.SelectData):
        key = checks.model_by_id(models, model_id)
        picture = atlases.picture(key, view_name)
        index = picture.nearest_point(picture.to_map(evt.index))
        x, label = digits.get(index)
        return view(model_id, view_name, x, f"MNIST test digit #{index} (a {label}), picked on the map",
                    start_choice, end_choice, pick_number, ids)

    the_map.select(map_pick, [pick_model, map_view, *walk_inputs], everything, **private)
    return atlases, pick_model, walk_models


def build_explore_api(models: DemoModels, atlases: Atlases) -> None:
    """/decode, /interpolate, /neighbours, /unit, /map: images are 784 numbers in [0, 1], 28x28 row by row, as MNIST's.

    Call it inside the gr.Blocks after the last tab: an endpoint between two tabs would split the tab bar.
    """

    def decode(variant: str, d: int, code: list[float]) -> list[float]:
        """The 28x28 image (784 numbers in [0, 1], row by row) that the model decodes `code` (d numbers) to."""
        key = checks.find_model(models, variant, d)
        return atlases.atlas(key).decode(checks.code(code, key.latent_dim)).tolist()

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
        atlas = atlases.atlas(key)
        indices, distances = atlas.neighbours(atlas.encode(x), count)
        return {"indices": indices.tolist(), "labels": atlas.labels[indices].tolist(),
                "distances": distances.tolist(), "images": atlas.test_x[indices].tolist()}

    def unit(variant: str, d: int, unit: int) -> dict:
        """One unit's dashboard: firing rate, flags, class selectivity and drive per class, activation histogram,
        the test digits that drive it most and near its median (indices, labels, activations), what it draws
        (784 numbers), its picture alone, and the most alike unit of each other model."""
        return unit_view(atlases, checks.find_model(models, variant, d), unit)

    def code_map(variant: str, d: int) -> dict:
        """The model's t-SNE map of the 10,000 MNIST test digits, in test-set order: points [[x, y], ...] and labels."""
        key = checks.find_model(models, variant, d)
        return {"points": atlases.code_map(key).points.tolist(), "labels": atlases.atlas(key).labels.tolist()}

    for function in (decode, interpolate, neighbours, unit):
        gr.api(function, api_name=function.__name__)
    gr.api(code_map, api_name="map")
