"""The demo (Gradio): the UI wing, one module per tab; the page's own scripts and styles are files in static/.

    keys             ModelKey: which model (variant, d, shipped or yours), and the names made from it
    checks           what a person or an API caller may send, refused in one line
    digits           the MNIST test digits, loaded in the background
    pictures         28x28 PNGs inside the HTML, for what the server draws
    page_weights     the page's copy of a model's weights: int8 and float16, made from the float32 file
    page_models      the models as the page runs them: programs, weights served by sha256, the page's list
    zoo_tab          draw and watch: the page's canvas, every model run in the page as the pen moves
    batching         calls that arrive together share one pass of each model
    reconstruct_api  /reconstruct: the Zoo tab's view for programs
    unit_dashboard   one unit of a code: its numbers (/unit) and its dashboard as HTML
    explore_cache    what Explore computes once per model: test codes, t-SNE map, units, maps drawn
    explore_tab      inside the codes: edit, walk (decoded in the page), map (t-SNE or PCA), units
    explore_api      Explore's HTTP API: /decode, /interpolate, /neighbours, /unit, /map
    train_tab        train your own autoencoder live, keep it
    lab_tab          the lab report
    static/          the page's scripts, each a part of window.AEZoo: layers.js, sketch.js and engine.js (the models
                     in the page, shared); the Zoo tab's sketchpad, model_grid, results, server_results and
                     code_chart, wired by zoo_tab.js; a template and a script per Explore panel; app.css

`build_demo` puts them together; `zoo.demo` is the command (python demo.py, ae-zoo-demo).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

from zoo.app.checks import MAX_FILE_SIZE
from zoo.app.digits import MnistDigits
from zoo.app.explore_api import build_explore_api
from zoo.app.explore_tab import build_explore_tab
from zoo.app.lab_tab import build_lab_tab, default_report
from zoo.app.page_models import STATIC_DIR, DemoModels, page_head, routes
from zoo.app.reconstruct_api import build_reconstruct_api
from zoo.app.train_tab import Pickers, build_train_tab
from zoo.app.zoo_tab import build_zoo_tab


def quiet_monitoring() -> None:
    """Gradio recomputes its monitoring summary (a pandas group-by over up to 10,000 past events) after every event
    unless told otherwise; the demo serves no monitoring page, and it was a fifth of the server's time per API call."""
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(10**9))


@dataclass
class Demo:
    """The app and what it serves beside Gradio's own routes (the models' weights, the page's scripts)."""

    blocks: gr.Blocks
    models: DemoModels

    def launch(self, **kwargs):
        """Serve it: gr.Blocks.launch with the demo's routes, style sheet and upload limit, and `kwargs`."""
        # Gradio compresses files by their extension only; the page itself (a quarter of a megabyte, the app's
        # config) would cross the link as it is.
        compress = Middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
        return self.blocks.launch(app_kwargs={"routes": routes(self.models), "middleware": [compress]},
                                  css_paths=[STATIC_DIR / "app.css"],
                                  head=page_head(self.models), max_file_size=MAX_FILE_SIZE, **kwargs)


def build_demo(models: DemoModels, digits: MnistDigits | None = None, report: Path | None = None) -> Demo:
    """The demo for these models: the Zoo, Explore, Train and Lab tabs, and the HTTP API."""
    digits = digits or MnistDigits()
    quiet_monitoring()  # before gr.Blocks: it makes its queue, which reads the setting
    with gr.Blocks(title="AE Zoo", analytics_enabled=False) as blocks:  # no per-request analytics work
        gr.Markdown("# AE Zoo\nDraw a digit and watch every autoencoder of the zoo reconstruct it as you draw. Explore "
                    "looks inside the codes; Train trains your own; the Lab tab answers the course's questions with "
                    "numbers and figures.")
        zoo_page = build_zoo_tab(models, digits)
        cache, explore_model, explore_walk = build_explore_tab(models, digits, zoo_page)
        build_train_tab(models, digits, Pickers(zoo_page, explore_model, explore_walk))
        build_lab_tab(report or default_report())
        # The API after the last tab: an endpoint between two tabs would split the tab bar.
        build_reconstruct_api(models)
        build_explore_api(models, cache)

        def current_pickers():
            """A model kept since the app was built is in the page's list (zoo/models.json); here, Explore's pickers."""
            choices = [(key.label, key.id) for key in models]
            return gr.Dropdown(choices=choices), gr.CheckboxGroup(choices=choices)

        blocks.load(current_pickers, None, [explore_model, explore_walk], api_visibility="private", show_progress="hidden")
    return Demo(blocks, models)
