"""zoo.app.page_models: what the page runs for each model, the weights it fetches, the list it reads."""

import dataclasses
import hashlib
import json
import re

import numpy as np
import pytest
import torch
from safetensors.numpy import load as load_numpy
from starlette.applications import Starlette
from starlette.testclient import TestClient
from torch import nn

import registry
from zoo.app.keys import ModelKey
from zoo.app.page_models import (
    PAGE_SCRIPTS,
    STATIC_DIR,
    DemoModels,
    Served,
    load_models,
    page_head,
    program,
    routes,
    script_tags,
    static_url,
)
from zoo.app.page_weights import rounded, rounded_model
from zoo.store import checkpoint
from zoo.system import paths
from zoo.variants import get_variant


@pytest.fixture(scope="module")
def shipped():
    """The shipped zoo as the demo holds it."""
    models = DemoModels()
    for name, d in registry.available():
        models.add_file(ModelKey(name, d), registry.get(name, d=d), checkpoint.paths(paths.default_weights_dir(), name, d)[0])
    return models


def sha256_of(entry: dict) -> str:
    """The sha256 a page entry's weights URL names."""
    return entry["url"].split("/")[-1].removesuffix(".safetensors")


def run_program(steps: list[dict], tensors: dict, x: np.ndarray) -> np.ndarray:
    """The page's program, run step by step in numpy: what engine.js does, written independently."""
    ops = {"relu": lambda v, s: np.maximum(v, 0), "silu": lambda v, s: v / (1 + np.exp(-v)), "sigmoid": lambda v, s: 1 / (1 + np.exp(-v)), "tanh": lambda v, s: np.tanh(v),
           "jumprelu": lambda v, s: np.where(v > s["threshold"], v, 0),
           "linear": lambda v, s: tensors[s["weight"]].astype(np.float64) @ v + tensors[s["bias"]],
           "batchnorm": lambda v, s: ((v - tensors[s["mean"]]) / np.sqrt(tensors[s["var"]].astype(np.float64) + s["eps"])
                                      * tensors[s["weight"]] + tensors[s["bias"]])}
    for step in steps:
        x = ops[step["op"]](x, step)
    return x


def test_each_shipped_models_program_over_its_page_file_is_the_rounded_model(shipped, mnist_test):
    x = mnist_test[0][:16]
    for key in shipped:
        entry = shipped.entry(key)
        tensors = rounded(load_numpy(shipped.page_weights(sha256_of(entry)).data))
        with torch.no_grad():
            expected = rounded_model(shipped[key])(x).numpy()
        page = np.stack([run_program(entry["program"]["decoder"], tensors,
                                     run_program(entry["program"]["encoder"], tensors, row.numpy())) for row in x])
        assert np.abs(page - expected).max() < 1e-5, key
        assert entry["sparse_code"] == (key.variant == "sparse")  # the shipped zoo's only exact-zero code


def test_a_layer_the_page_cannot_run_leaves_the_model_to_the_server():
    model = get_variant("plain").build(8, seed=0)
    model.encoder.insert(1, nn.LayerNorm(256))
    models = DemoModels()
    models.add(ModelKey("plain", 8), Served(model, b"weights", "0" * 64))
    entry = models.entry(ModelKey("plain", 8))
    assert entry["program"] is None and entry["unsupported"] == "the page cannot run its LayerNorm layer"
    assert program(get_variant("sparse").build(8, seed=0))["encoder"][-1] == {"op": "jumprelu", "threshold": 0.6}


def test_the_list_names_each_model_and_its_weights_by_content(shipped):
    listed = shipped.manifest()
    assert [e["id"] for e in listed] == [k.id for k in sorted(shipped)]
    for entry in listed:
        sha = re.fullmatch(r"zoo/weights/([0-9a-f]{64})\.safetensors", entry["url"]).group(1)
        page = shipped.page_weights(sha)
        assert hashlib.sha256(page.data).hexdigest() == sha == entry["sha256"] and entry["bytes"] == len(page.data)
        name, d = entry["id"].split("-d")
        # Made from the very file the registry loads.
        assert entry["weights_sha256"] == page.metadata()["source_sha256"] == registry.card(name, int(d))["weights_sha256"]
        assert entry["precision"] == "int8 and float16"


def test_the_weights_and_the_scripts_are_served_once_and_kept(shipped):
    client = TestClient(Starlette(routes=routes(shipped)))
    url = shipped.manifest()[0]["url"]
    page = shipped.page_weights(sha256_of({"url": url}))
    answer = client.get("/" + url, headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip" and answer.content == page.data
    assert int(answer.headers["content-length"]) == len(page.gzipped) < len(page.data)
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = client.get("/" + url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == page.data
    for missing in ("/zoo/weights/" + "0" * 64 + ".safetensors", "/zoo/weights/..%2Fpyproject.toml",
                    "/zoo/static/..%2F..%2Fpyproject.toml", "/zoo/static/nothing.js"):
        assert client.get(missing).status_code == 404, missing
    script = client.get("/" + static_url("engine.js"))
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.text == (STATIC_DIR / "engine.js").read_text()
    assert static_url("engine.js").endswith(hashlib.sha256(script.content).hexdigest()[:16])
    src = re.fullmatch(r'<script src="(.*)"></script>', script_tags(PAGE_SCRIPTS)).group(1).replace("&amp;", "&")
    bundle = client.get("/" + src)
    assert bundle.status_code == 200 and bundle.headers["cache-control"].endswith("immutable")
    assert bundle.text == "\n".join((STATIC_DIR / name).read_text() for name in PAGE_SCRIPTS)
    assert src.endswith(hashlib.sha256(bundle.content).hexdigest()[:16])
    for parts in ("layers.js,../../pyproject.toml", "app.css", ""):
        assert client.get("/zoo/static/scripts.js", params={"parts": parts}).status_code == 404, parts


def test_the_page_asks_for_the_current_list_of_models_and_a_kept_one_joins_it(shipped):
    models = DemoModels()
    for key in shipped:
        sha = shipped.entry(key)["weights_sha256"]
        models.add(key, Served(shipped[key], b"float32 weights", sha))
    client = TestClient(Starlette(routes=routes(models)))
    listed = client.get("/zoo/models.json")
    assert listed.json() == shipped.manifest() and listed.headers["cache-control"] == "no-store"
    kept = ModelKey("plain", 4, user=True)
    models.add(kept, Served(get_variant("plain").build(4, seed=0), b"kept", "2" * 64))
    ids = [e["id"] for e in client.get("/zoo/models.json").json()]
    assert ids.index(kept.id) == ids.index("plain-d64") + 1  # in order: a variant's kept models after its shipped ones
    head = page_head(models)
    listed = re.search(r'<script type="application/json" id="zoo-models">(.*?)</script>', head).group(1)
    assert json.loads(listed) == models.manifest() and head.index("zoo-models") < head.index("engine.js")
    assert models.entry(kept)["sha256"] != shipped.entry(ModelKey("plain", 16))["sha256"]  # its own page file


def test_a_name_in_the_head_cannot_end_its_script_element():
    models = DemoModels()
    models.add(ModelKey("</script><script>alert(1)//", 2), Served(get_variant("plain").build(2, seed=0), b"", "1" * 64))
    listed = re.search(r'id="zoo-models">(.*?)</script>', page_head(models)).group(1)
    assert json.loads(listed) == models.manifest()


def test_kept_models_join_the_shipped_ones_and_a_broken_one_is_left_out(tmp_path, monkeypatch, small_model):
    user = tmp_path / "user"
    checkpoint.save(small_model, {"variant": "plain", "latent_dim": 4, "model_config": dataclasses.asdict(small_model.config)},
                    user)
    (user / "sparse-d3.json").write_text("{not json")
    (user / "sparse-d3.safetensors").write_bytes(b"")
    monkeypatch.setenv("AE_ZOO_USER_WEIGHTS", str(user))
    skipped = []
    models = load_models(on_error=skipped.append)
    assert ModelKey("plain", small_model.latent_dim, user=True) in models and len(skipped) == 1
    assert {k for k in models if not k.user} == {ModelKey(n, d) for n, d in registry.available()}


@pytest.fixture
def small_model():
    return get_variant("plain").build(4, seed=0).eval()
