"""The models as the page runs them: each one's program, its weights file served to the browser, the page's list.

The page (static/engine.js and layers.js) reads each model's page file (zoo.app.page_weights: int8 and float16,
made from the float32 file the registry loads), once per page load (the URL names the file's sha256, so the
browser may keep it for good), and runs the model's program: its layers in order, each naming its tensors as
the file does. A model with a layer the page cannot run gets no program; the page then asks the server for it
and says so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from torch import nn

from zoo import registry
from zoo.app.keys import ModelKey
from zoo.app.page_weights import PageWeights
from zoo.model import INPUT_DIM, AutoEncoder, JumpReLU
from zoo.store import checkpoint
from zoo.system import paths

MODELS_ROUTE = "zoo/models.json"  # the page's list of models (`DemoModels.manifest`)
WEIGHTS_ROUTE = "zoo/weights"  # the page fetches zoo/weights/<sha256>.safetensors
STATIC_ROUTE = "zoo/static"  # and its scripts from zoo/static/<name>?v=<its sha256>
STATIC_DIR = Path(__file__).resolve().parent / "static"
FOREVER = {"Cache-Control": "public, max-age=31536000, immutable"}  # a URL names its content: keep it


class PageUnsupported(ValueError):
    """The model has a layer the page's script cannot run."""


# Each layer the page runs, as one step of its program (None: nothing to do).
PAGE_STEPS: dict[type[nn.Module], Callable[[nn.Module, str], dict | None]] = {
    nn.Linear: lambda layer, name: {"op": "linear", "weight": f"{name}.weight", "bias": f"{name}.bias"},
    nn.BatchNorm1d: lambda layer, name: {"op": "batchnorm", "weight": f"{name}.weight", "bias": f"{name}.bias",
                                         "mean": f"{name}.running_mean", "var": f"{name}.running_var", "eps": layer.eps},
    nn.ReLU: lambda layer, name: {"op": "relu"},
    nn.SiLU: lambda layer, name: {"op": "silu"},
    nn.Sigmoid: lambda layer, name: {"op": "sigmoid"},
    nn.Tanh: lambda layer, name: {"op": "tanh"},
    JumpReLU: lambda layer, name: {"op": "jumprelu", "threshold": layer.threshold},
    nn.Identity: lambda layer, name: None,
}


def _steps(layers: nn.Sequential, prefix: str) -> list[dict]:
    steps = []
    for name, layer in layers.named_children():
        make = PAGE_STEPS.get(type(layer))
        if make is None:
            raise PageUnsupported(f"the page cannot run its {type(layer).__name__} layer")
        step = make(layer, f"{prefix}.{name}")
        if step is not None:
            steps.append(step)
    return steps


def program(model: AutoEncoder) -> dict[str, list[dict]]:
    """What the page runs for `model`: {"encoder": steps, "decoder": steps}, or PageUnsupported."""
    # AutoEncoder.decode applies the sigmoid after the decoder's layers.
    return {"encoder": _steps(model.encoder, "encoder"), "decoder": [*_steps(model.decoder, "decoder"), {"op": "sigmoid"}]}


@dataclass(frozen=True)
class Served:
    """One model the demo shows, with the exact bytes of its weights file and, made from it, the page's."""

    model: AutoEncoder
    weights: bytes
    sha256: str

    @cached_property
    def page(self) -> PageWeights:
        return PageWeights.of(self.model, self.sha256)

    @classmethod
    def read(cls, model: AutoEncoder, weights_path: Path) -> Served:
        weights = Path(weights_path).read_bytes()
        return cls(model, weights, hashlib.sha256(weights).hexdigest())


class DemoModels(Mapping[ModelKey, AutoEncoder]):
    """The demo's models by key (a Mapping to the models), each with its weights for the page.

    A model kept in the Train tab is `add`ed while the demo runs.
    """

    def __init__(self):
        self._served: dict[ModelKey, Served] = {}

    def add(self, key: ModelKey, served: Served) -> None:
        self._served[key] = served

    def add_file(self, key: ModelKey, model: AutoEncoder, weights_path: Path) -> None:
        self.add(key, Served.read(model, weights_path))

    def __getitem__(self, key: ModelKey) -> AutoEncoder:
        return self._served[key].model

    def __iter__(self) -> Iterator[ModelKey]:
        return iter(sorted(self._served))

    def __len__(self) -> int:
        return len(self._served)

    def sha256(self, key: ModelKey) -> str:
        """The sha256 of the model's weights file (what its model card names, and its map is tied to)."""
        return self._served[key].sha256

    def page_weights(self, sha256: str) -> PageWeights | None:
        """The page's file with this sha256, if a model here has it."""
        return next((s.page for s in self._served.values() if s.page.sha256 == sha256), None)

    def entry(self, key: ModelKey) -> dict:
        """What the page needs to run one model (engine.js reads it)."""
        served = self._served[key]
        try:
            steps, unsupported = program(served.model), None
        except PageUnsupported as e:
            steps, unsupported = None, str(e)
        page = served.page
        return {"id": key.id, "label": key.label, "row": key.row, "latent_dim": key.latent_dim, "user": key.user,
                "url": f"{WEIGHTS_ROUTE}/{page.sha256}.safetensors", "sha256": page.sha256, "bytes": len(page.data),
                "precision": page.precision, "weights_sha256": served.sha256,
                "input_dim": INPUT_DIM, "sparse_code": served.model.config.sparse_code,
                "program": steps, "unsupported": unsupported}

    def manifest(self) -> list[dict]:
        """Every model, in order: the page's list."""
        return [self.entry(key) for key in self]


def load_models(on_error: Callable[[Exception], None]) -> DemoModels:
    """The shipped zoo and the models kept in the Train tab (the user zoo); a kept model that fails to load is
    passed to `on_error` and left out."""
    models = DemoModels()
    for user, weights_dir in ((False, paths.default_weights_dir()), (True, paths.user_weights_dir())):
        loaded, _ = registry.load_zoo(weights_dir, on_error=on_error if user else None)
        for (name, d), model in loaded.items():
            models.add_file(ModelKey(name, d, user), model, checkpoint.paths(weights_dir, name, d)[0])
    return models


def static_url(name: str) -> str:
    """The page's URL of a file in static/, naming its content so the browser keeps it."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:16]
    return f"{STATIC_ROUTE}/{name}?v={digest}"


# The page's scripts, each a part of window.AEZoo: the engine (layers, sketch, engine: shared by every tab), then
# the Zoo tab's parts. Each file guards against a second load.
PAGE_SCRIPTS = ("layers.js", "sketch.js", "engine.js", "sketchpad.js", "model_grid.js", "results.js",
                "server_results.js", "code_chart.js")
SCRIPTS_ROUTE = f"{STATIC_ROUTE}/scripts.js"  # ?parts=<names>&v=<sha256 of their text>


def scripts(names) -> str:
    """Files of static/, one after the other: one request for the page instead of one each (a browser opens six
    connections to a server, and on a slow link the last scripts waited a second behind Gradio's)."""
    return "\n".join((STATIC_DIR / name).read_text(encoding="utf-8") for name in names)


def script_tags(names) -> str:
    """A <script> element loading files of static/, in order (a gr.HTML's head: Gradio loads each src once)."""
    digest = hashlib.sha256(scripts(names).encode()).hexdigest()[:16]
    return f'<script src="{SCRIPTS_ROUTE}?parts={",".join(names)}&amp;v={digest}"></script>'


def page_head(models: DemoModels) -> str:
    """For the document's head: the models the server starts with, then the page's scripts (the Zoo tab starts
    fetching weights once its canvas shows; it asks zoo/models.json for any kept since)."""
    listed = json.dumps(models.manifest()).replace("</", "<\\/")  # no "</script>" inside the element
    return f'<script type="application/json" id="zoo-models">{listed}</script>' + script_tags(PAGE_SCRIPTS)


def read_static(name: str) -> str:
    """A script or style sheet of the page, as text (a gr.HTML's js_on_load)."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def routes(models: DemoModels) -> list[Route]:
    """The routes the page needs beside Gradio's: the list of models, their weights by sha256, the static files."""
    static = {p.name: p for p in STATIC_DIR.iterdir() if p.is_file()}
    types = {".js": "text/javascript", ".css": "text/css"}

    def weights(request: Request) -> Response:
        name = request.path_params["name"]
        page = models.page_weights(name.removesuffix(".safetensors")) if name.endswith(".safetensors") else None
        if page is None:
            return PlainTextResponse("No such weights file.", status_code=404)
        headers = {**FOREVER, "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(page.gzipped, media_type="application/octet-stream", headers={**headers, "Content-Encoding": "gzip"})
        return Response(page.data, media_type="application/octet-stream", headers=headers)

    def bundled(request: Request) -> Response:
        names = request.query_params.get("parts", "").split(",")
        if not all(name.endswith(".js") and name in static for name in names):
            return PlainTextResponse("No such file.", status_code=404)
        return Response(scripts(names), media_type="text/javascript", headers=FOREVER)

    def static_file(request: Request) -> Response:
        path = static.get(request.path_params["name"])
        if path is None:
            return PlainTextResponse("No such file.", status_code=404)
        return Response(path.read_bytes(), media_type=types.get(path.suffix, "application/octet-stream"), headers=FOREVER)

    def listed(request: Request) -> Response:
        return JSONResponse(models.manifest(), headers={"Cache-Control": "no-store"})  # a kept model joins it

    return [Route(f"/{MODELS_ROUTE}", listed), Route(f"/{WEIGHTS_ROUTE}/{{name}}", weights),
            Route(f"/{SCRIPTS_ROUTE}", bundled), Route(f"/{STATIC_ROUTE}/{{name}}", static_file)]
