"""zoo.registry: models by id, the torchvision/timm conventions, torch.hub, Markdown cards, and the wheel."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import torch
from test_store_checkpoint import _save  # an untrained model saved with a minimal card

from zoo import registry
from zoo.data.sketch import preprocess_sketch
from zoo.store import checkpoint
from zoo.system.paths import checkout_root, default_weights_dir

ROOT = checkout_root()  # the tests and benchmarks run from a checkout


def test_model_ids_name_the_files_and_filter_like_a_shell():
    shipped = registry.list_models()
    assert shipped == sorted(p.stem for p in default_weights_dir().glob("*.safetensors"))
    assert registry.list_models("sparse-*") == ["sparse-d16", "sparse-d32", "sparse-d64"]
    assert registry.list_models("*-d32") == ["denoising-d32", "plain-d32", "sparse-d32"]
    assert registry.list_models("nothing-*") == []
    assert registry.parse_model_id("sparse-d32") == ("sparse", 32)
    assert registry.model_id(*registry.parse_model_id("denoising-d64")) == "denoising-d64"


@pytest.mark.parametrize("bad", ["sparse-32", "sparse-d0", "sparse", "-d32", "sparse-d32x", 32])
def test_a_malformed_id_is_one_clear_error(bad):
    with pytest.raises(ValueError, match="not of the form <variant>-d<d>"):
        registry.get_model(bad)


def test_an_unknown_model_lists_what_exists():
    with pytest.raises(registry.UnknownModelError, match="registered variants: deep, denoising, plain, sparse"):
        registry.get_model("contractive-d32")
    with pytest.raises(registry.UnknownModelError, match="train it with: python train_all.py --variants plain --d 8"):
        registry.get_model("plain-d8")


def test_a_pretrained_model_carries_its_card_and_equals_the_named_one():
    model = registry.get_model("sparse-d32")
    assert model.card == registry.card("sparse", 32)
    assert model.card["parameter_count"] == sum(p.numel() for p in model.parameters())
    same = registry.get("sparse", d=32)
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), same.state_dict().values()))
    assert not model.training


def test_an_untrained_model_has_the_architecture_and_no_card():
    untrained = registry.get_model("sparse-d32", pretrained=False)
    trained = registry.get_model("sparse-d32")
    assert untrained.card is None and untrained.config == trained.config
    assert not torch.equal(untrained.decoder_weight, trained.decoder_weight)
    assert registry.get_model("plain-d7", pretrained=False).latent_dim == 7  # any d, untrained


def test_the_preprocessing_a_drawing_needs_is_beside_the_models():
    assert registry.preprocess is preprocess_sketch
    canvas = torch.zeros(200, 200).numpy()
    canvas[40:160, 95:105] = 255  # a white stroke on black: a "1"
    x = registry.preprocess(canvas)
    assert x.shape == (784,) and registry.get_model("plain-d16")(x[None]).shape == (1, 784)


def test_models_kept_in_the_user_zoo_are_found_apart_from_the_shipped_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("AE_ZOO_USER_WEIGHTS", str(tmp_path / "mine"))
    assert registry.available(user=True) == []
    shipped = registry.get("plain", d=16)
    checkpoint.save(shipped, {**registry.card("plain", d=16), "user_trained": True}, tmp_path / "mine")
    assert registry.available(user=True) == [("plain", 16)] and ("plain", 16) in registry.available()
    mine = registry.get("plain", d=16, user=True)
    assert registry.card("plain", d=16, user=True)["user_trained"] and "user_trained" not in registry.card("plain", d=16)
    assert all(torch.equal(a, b) for a, b in zip(mine.state_dict().values(), shipped.state_dict().values()))
    with pytest.raises(registry.UnknownModelError, match="no trained model 'sparse' with d=32 in .*mine"):
        registry.get("sparse", d=32, user=True)


def test_torch_hub_loads_a_model_from_the_checkout():
    model = torch.hub.load(str(ROOT), "plain", d=16, source="local")
    assert model.card == registry.card("plain", 16)
    untrained = torch.hub.load(str(ROOT), "sparse", d=8, pretrained=False, source="local")
    assert untrained.latent_dim == 8 and untrained.card is None


@pytest.mark.slow
def test_the_wheel_holds_only_the_package_and_its_zoo_loads_from_anywhere(tmp_path, mnist_test):
    source = tmp_path / "source"  # build from a copy: a build writes build/ and *.egg-info beside its sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    for name in ("zoo", "weights"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True)
    wheel, = (tmp_path / "dist").glob("ae_zoo-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"zoo", wheel.name.split("-py3")[0] + ".dist-info"}
    assert {f"zoo/weights/{m}.{ext}" for m in registry.list_models() for ext in ("safetensors", "json")} <= set(names)
    static = ROOT / "zoo" / "app" / "static"  # the demo's page: its scripts, templates and styles
    assert {f"zoo/app/static/{p.name}" for p in static.iterdir()} <= set(names) and len(list(static.iterdir())) >= 8
    scripts = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "ae-zoo-demo = zoo.demo:main" in scripts and "ae-zoo-train = zoo.train_all:main" in scripts

    target = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = ("import sys, zoo; from zoo import registry; from zoo.training import metrics; from zoo.data import load_mnist; "
             "from zoo.app.page_models import read_static; assert 'AEZoo' in read_static('engine.js'); "
             "m = registry.get_model('sparse-d32'); x, _ = load_mnist('test'); "
             "print(zoo.__file__); print(len(registry.list_models())); "
             "print(metrics.reconstruction_mse(m, x)); print(m.card['metrics']['test_mse'])")
    env = {k: v for k, v in os.environ.items() if k != "AE_ZOO_WEIGHTS"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, capture_output=True, text=True, check=True,
                         env={**env, "PYTHONPATH": str(target)}).stdout.split()
    assert Path(out[0]).is_relative_to(target)  # the installed copy, not this checkout
    assert int(out[1]) == len(registry.list_models())
    assert float(out[2]) == pytest.approx(float(out[3]), rel=1e-4)  # reconstructs at its card's quality


def test_registry_lists_and_loads_what_is_there(tmp_path):
    _save(tmp_path, "sparse", 16)
    assert registry.available(tmp_path) == [("sparse", 16)]
    assert registry.get("sparse", d=16, weights_dir=tmp_path).latent_dim == 16


def test_registry_errors_say_what_exists(tmp_path):
    _save(tmp_path, "sparse", 16)
    with pytest.raises(registry.UnknownModelError, match=r"no trained model 'sparse' with d=32 .* trained: sparse d=16; train it with: python train_all.py --variants sparse --d 32"):
        registry.get("sparse", d=32, weights_dir=tmp_path)
    with pytest.raises(registry.UnknownModelError, match="registered variants: deep, denoising, plain, sparse"):
        registry.get("vae", d=16, weights_dir=tmp_path)
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError, match="d must be a positive integer"):
            registry.get("sparse", d=bad, weights_dir=tmp_path)


def test_load_zoo_loads_every_model_or_reports_the_broken_one(tmp_path):
    _save(tmp_path, "plain", 8)
    _save(tmp_path, "sparse", 16)
    models, cards = registry.load_zoo(tmp_path)
    assert sorted(models) == sorted(cards) == [("plain", 8), ("sparse", 16)]
    assert not models[("sparse", 16)].training and cards[("plain", 8)]["latent_dim"] == 8
    (tmp_path / "plain-d8.safetensors").write_bytes(b"not safetensors")
    with pytest.raises(checkpoint.CheckpointError, match="does not match its card"):
        registry.load_zoo(tmp_path)
    skipped = []
    models, _ = registry.load_zoo(tmp_path, on_error=skipped.append)
    assert list(models) == [("sparse", 16)] and len(skipped) == 1
