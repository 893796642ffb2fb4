"""The Explore tab and its API: edit a code, walk between two digits, find a drawing's neighbours on a map.

The computation is `zoo.analysis.explore`. The page decodes by itself (static/code_editor.js, walk_strips.js on
engine.js): moving a unit's slider, "only this unit on", Reset and the interpolation strips ask
nothing of the server. The server sends what needs the 10,000 test codes: each unit's range, the map
and the neighbours. Every test code is computed once per model (`ExploreCache`), in the background after
the test digits load.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr
import torch

from zoo.analysis import explore, maps
from zoo.app import checks, unit_dashboard
from zoo.app.digits import MnistDigits
from zoo.app.explore_cache import MAP_VIEWS, ExploreCache
from zoo.app.keys import ModelKey
from zoo.app.page_models import PAGE_SCRIPTS, DemoModels, read_static, script_tags
from zoo.app.pictures import digit_html

STEPS = (2, 21)  # the fewest and most images in an interpolation strip through the API
STRIP_STEPS = (5, 11, 7)  # the strips' steps slider in the page: least, most, at first
MAX_NEIGHBOURS = 50
NEIGHBOURS_SHOWN = 8
FROM_INPUT = "your input"
EMPTY_CANVAS_DIGIT = 3  # with nothing drawn, Explore starts from the first test 3


# ---------------------------------------------------------------------------------------------
# What the tab shows, as plain values (the page's script draws the pictures)


def model_entry(key: ModelKey, models: DemoModels) -> dict:
    """The few facts the page's scripts need of a model: its id (engine.js runs it), label, d, whether its code is sparse."""
    return {"id": key.id, "label": key.label, "latent_dim": key.latent_dim, "sparse_code": models[key].config.sparse_code}


def code_view(cache: ExploreCache, key: ModelKey, x: torch.Tensor) -> dict:
    """The code editor's content for input x and one model: its code h, each unit's slider range (the test codes'
    1st to 99th percentile, widened to hold h), each unit's value when alone, and the input itself."""
    test_codes = cache.test_codes(key)
    h = test_codes.encode(x)
    ranges = [test_codes.slider_range(i, float(v)) for i, v in enumerate(h)]
    return {"model": model_entry(key, cache.models), "h": h.tolist(), "low": [low for low, _ in ranges],
            "high": [high for _, high in ranges], "alone": [float(test_codes.alone(i)[i]) for i in range(len(h))],
            "input": x.tolist()}


def neighbours_html(title: str, test_codes: explore.TestCodes, indices: torch.Tensor, distances: torch.Tensor) -> str:
    figures = "".join(f'<figure>{digit_html(test_codes.test_x[i], f"test digit {int(i)}")}<figcaption>#{int(i)}: a '
                      f'{int(test_codes.labels[i])}<br>{float(dist):.2f} away</figcaption></figure>'
                      for i, dist in zip(indices, distances))
    return f'<p class="zoo-label">{html.escape(title)}</p><div class="zoo-neighbours">{figures}</div>'


def neighbourhood(cache: ExploreCache, key: ModelKey, x: torch.Tensor, view: str):
    """(the map in `view` with the input ringed, where it landed in words, its nearest test digits by code and by pixels)."""
    test_codes = cache.test_codes(key)
    h = test_codes.encode(x)
    by_code = neighbours_html("Nearest test digits by code h", test_codes, *test_codes.neighbours(h, NEIGHBOURS_SHOWN))
    by_pixels = neighbours_html("Nearest test digits by pixels", test_codes, *test_codes.pixel_neighbours(x, NEIGHBOURS_SHOWN))
    picture, xy = cache.map_picture(key, view), cache.place(key, view, h)
    near = test_codes.labels[torch.from_numpy(picture.nearest_points(xy, maps.NEIGHBOURS))]
    digit = int(near.mode().values)
    where = (f"On the {MAP_VIEWS[view].name} map the input lands at ({xy[0]:.1f}, {xy[1]:.1f}): {int((near == digit).sum())} of "
             f"the {maps.NEIGHBOURS} test digits nearest it there are {digit}s.")
    return picture.marked(xy), where, by_code + by_pixels


def units_view(cache: ExploreCache, key: ModelKey) -> dict:
    """The units list's content for one model: a row per unit (`unit_dashboard.rows`)."""
    return {"model": key.id, "label": key.label, "rows": unit_dashboard.rows(cache.unit_table(key))}


def unit_view(cache: ExploreCache, key: ModelKey, unit) -> dict:
    """The dashboard of one unit (`unit_dashboard.dashboard`), the unit checked against the model's d."""
    number = checks.whole(unit, "unit", 0, key.latent_dim - 1)
    test_codes = cache.test_codes(key)
    return unit_dashboard.dashboard(cache.unit_tables(), key, number, test_codes.decode(test_codes.alone(number)))


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
# The handlers: plain methods over the tab's models, digits and cache (unit tests call them directly)


@dataclass
class ExploreHandlers:
    models: DemoModels
    digits: MnistDigits
    cache: ExploreCache

    # The page's server functions (`server.<name>({...})` in the panels' scripts, through checks.answered)
    def decode(self, model, code):
        key = checks.model_by_id(self.models, model)
        return {"pixels": self.cache.test_codes(key).decode(checks.code(code, key.latent_dim)).tolist()}

    def walk(self, model, a, b, steps):
        key = checks.model_by_id(self.models, model)
        count = checks.whole(steps, "steps", *STEPS)
        return {"pixels": explore.walk(self.models[key], checks.image(a, "a"), checks.image(b, "b"), count).tolist()}

    def unit(self, model, unit):
        key = checks.model_by_id(self.models, model)
        found = unit_view(self.cache, key, unit)
        return {"html": unit_dashboard.dashboard_html(found, self.cache.test_codes(key).test_x, key.label)}

    # The tab's events
    def view(self, model_id, view_name, x, source, start_choice, end_choice, pick_number, ids) -> list:
        """Every output of the tab for input x and the chosen model."""
        key = checks.model_by_id(self.models, model_id)
        return [x, f"Input: {source}.", gr.HTML(code=code_view(self.cache, key, x)),
                gr.HTML(walk=walk_view(self.models, self.digits, x, start_choice, end_choice, pick_number, ids)),
                *neighbourhood(self.cache, key, x, view_name), gr.HTML(units=units_view(self.cache, key))]

    def take_input(self, zoo_value, model_id, view_name, *walk_settings) -> list:
        return self.view(model_id, view_name, *input_from(zoo_value, self.digits), *walk_settings)

    def change_model(self, model_id, view_name, x) -> list:
        if x is None:
            return [gr.skip()] * 5
        key = checks.model_by_id(self.models, model_id)
        return [gr.HTML(code=code_view(self.cache, key, x)), *neighbourhood(self.cache, key, x, view_name),
                gr.HTML(units=units_view(self.cache, key))]

    def change_view(self, model_id, view_name, x):
        if x is None:
            return [gr.skip()] * 3
        return neighbourhood(self.cache, checks.model_by_id(self.models, model_id), x, view_name)

    def redo_walk(self, x, *walk_settings):
        if x is None:
            return gr.skip()
        return gr.HTML(walk=walk_view(self.models, self.digits, x, *walk_settings))

    def map_pick(self, model_id, view_name, start_choice, end_choice, pick_number, ids, evt: gr.SelectData) -> list:
        """A click on the map: the test digit drawn nearest the click becomes the input."""
        picture = self.cache.map_picture(checks.model_by_id(self.models, model_id), view_name)
        index = picture.nearest_point(picture.to_map(evt.index))
        x, label = self.digits.get(index)
        return self.view(model_id, view_name, x, f"MNIST test digit #{index} (a {label}), picked on the map",
                         start_choice, end_choice, pick_number, ids)


# ---------------------------------------------------------------------------------------------
# The panels, one layout function each


def _page_component(name: str, server_function, elem_id: str, **props) -> gr.HTML:
    """A gr.HTML run by its own script in static/ (on engine.js), with one server function."""
    return gr.HTML(value=None, html_template=read_static(f"{name}.html"), js_on_load=read_static(f"{name}.js"),
                   head=script_tags(PAGE_SCRIPTS), apply_default_css=False,
                   server_functions=[checks.answered(server_function)], elem_id=elem_id, **props)


@dataclass
class WalkPanel:
    start: gr.Dropdown
    end: gr.Dropdown
    other: gr.Button
    pick: gr.State
    models: gr.CheckboxGroup
    strips: gr.HTML

    @property
    def settings(self) -> list:
        """The inputs walk_view takes after x, in its order."""
        return [self.start, self.end, self.pick, self.models]


def walk_panel(handlers: ExploreHandlers, choices: list) -> WalkPanel:
    gr.Markdown("### Interpolate: decode the straight line between two codes")
    classes = [(FROM_INPUT, FROM_INPUT)] + [(f"a test {c}", str(c)) for c in range(10)]
    with gr.Row():
        start = gr.Dropdown(classes, value=FROM_INPUT, label="From", elem_id="explore-from")
        end = gr.Dropdown(classes, value="8", label="To", elem_id="explore-to")
        other = gr.Button("Other test digits", elem_id="explore-other")
    pick = gr.State(0)
    shown = [key.id for key in handlers.models if key.latent_dim == 32 and not key.user]
    walk_models = gr.CheckboxGroup(choices, value=shown, label="Models", elem_id="explore-walk-models")
    strips = _page_component("walk_strips", handlers.walk, "explore-strips", walk=None, steps_range=list(STRIP_STEPS))
    return WalkPanel(start, end, other, pick, walk_models, strips)


@dataclass
class MapPanel:
    view: gr.Radio
    picture: gr.Image
    where: gr.Markdown
    neighbours: gr.HTML

    @property
    def outputs(self) -> list:
        """What neighbourhood() returns, in its order."""
        return [self.picture, self.where, self.neighbours]


def map_panel() -> MapPanel:
    gr.Markdown("### The map: every test digit's code in two dimensions, coloured by digit; the ring is the input. "
                "Click a point to take that test digit.")
    view = gr.Radio([(v.choice, name) for name, v in MAP_VIEWS.items()], value="tsne", label="Map",
                    elem_id="explore-map-view")
    with gr.Row():
        with gr.Column():
            picture = gr.Image(label="The map", show_label=False, interactive=False, format="png", elem_id="explore-map",
                               buttons=[])
            where = gr.Markdown("", elem_id="explore-map-where")
        neighbours = gr.HTML(elem_id="explore-neighbours")
    return MapPanel(view, picture, where, neighbours)


def units_panel(handlers: ExploreHandlers) -> gr.HTML:
    gr.Markdown("### Units: what each unit of the code draws, and which test digits drive it")
    return _page_component("unit_list", handlers.unit, "explore-units", units=None)


def build_explore_tab(models: DemoModels, digits: MnistDigits, zoo_page: gr.HTML, cache: ExploreCache | None = None
                      ) -> tuple[ExploreCache, gr.Dropdown, gr.CheckboxGroup]:
    """The Explore tab, inside a gr.Blocks: its input is the Zoo tab's (`zoo_page`'s value).

    Returns the models' cache (for `build_explore_api`) and the tab's two model pickers (a kept model joins them).
    """
    handlers = ExploreHandlers(models, digits, cache or ExploreCache(models, digits))
    choices = [(key.label, key.id) for key in models]
    default_id = ModelKey("sparse", 32).id if ModelKey("sparse", 32) in models else choices[0][1]
    with gr.Tab("Explore", id="explore") as tab:
        gr.Markdown("Look inside the codes h. The input is the Zoo tab's (drawing or test digit), taken when this tab "
                    "opens or with the button. Pick a point on the map to make that test digit the input.")
        current = gr.State(None)  # the input (784,) every part of this tab works on
        with gr.Row():
            pick_model = gr.Dropdown(choices, value=default_id, label="Model", elem_id="explore-model")
            take = gr.Button("Take the Zoo tab's input", elem_id="explore-take")
        source_note = gr.Markdown("", elem_id="explore-source")
        editor = _page_component("code_editor", handlers.decode, "explore-codes", code=None)
        walk, the_map, unit_list = walk_panel(handlers, choices), map_panel(), units_panel(handlers)
    wire_explore_tab(handlers, tab, take, pick_model, current, source_note, editor, walk, the_map, unit_list, zoo_page)
    return handlers.cache, pick_model, walk.models


def wire_explore_tab(h: ExploreHandlers, tab, take, pick_model, current, source_note, editor, walk: WalkPanel,
                     the_map: MapPanel, unit_list, zoo_page) -> None:
    """The tab's events: taking the Zoo tab's input, another model or map, the walk's settings, a click on the map."""
    private = {"api_visibility": "private"}
    everything = [current, source_note, editor, walk.strips, *the_map.outputs, unit_list]
    for trigger in (tab.select, take.click):
        trigger(h.take_input, [zoo_page, pick_model, the_map.view, *walk.settings], everything, **private)
    pick_model.change(h.change_model, [pick_model, the_map.view, current], [editor, *the_map.outputs, unit_list],
                      **private)
    the_map.view.change(h.change_view, [pick_model, the_map.view, current], the_map.outputs, **private)
    for control in (walk.start, walk.end, walk.models):
        control.change(h.redo_walk, [current, *walk.settings], walk.strips, trigger_mode="always_last", **private)
    walk.other.click(lambda p: p + 2, walk.pick, walk.pick, **private).then(
        h.redo_walk, [current, *walk.settings], walk.strips, **private)
    the_map.picture.select(h.map_pick, [pick_model, the_map.view, *walk.settings], everything, **private)
