"""Trained models by name: `registry.get("sparse", d=32)` returns the shipped sparse autoencoder at d=32.

    >>> from zoo import registry     # in a checkout, `import registry` is the same module
    >>> registry.variants()          # registered variant names
    ['deep', 'denoising', 'plain', 'sparse']
    >>> registry.available()         # (name, d) pairs with weights
    >>> model = registry.get("sparse", d=32)   # an AutoEncoder in eval mode

And in the conventions of torchvision's and timm's model zoos, one string id per model:

    >>> registry.list_models("sparse-*")       # ['sparse-d16', 'sparse-d32', 'sparse-d64']
    >>> model = registry.get_model("sparse-d32")   # model.card: its model card, read once
    >>> untrained = registry.get_model("sparse-d32", pretrained=False)
    >>> x = registry.preprocess(drawing)       # a drawing (PIL image or array) -> (784,), as MNIST looks
    >>> print(registry.model_card("sparse-d32"))   # the card in Markdown, Hugging Face style

Every model at once, keyed by (variant, d), with its card: `models, cards = registry.load_zoo()`.
Models kept from the demo's Train tab: `registry.available(user=True)`, `registry.get("sparse", d=32, user=True)`.

Weights come from `$AE_ZOO_WEIGHTS`, else a checkout's `weights/`, else the copy shipped inside the
installed package (`paths.default_weights_dir`), as written by `python train_all.py`.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from pathlib import Path

import torch

from zoo.data.sketch import preprocess_sketch as preprocess
from zoo.model import AutoEncoder
from zoo.store import checkpoint, modelcard
from zoo.store.shipped import LATENT_DIMS
from zoo.system import paths
from zoo.variants import get_variant, variant_names

__all__ = ["get", "card", "available", "variants", "UnknownModelError", "LATENT_DIMS",
           "list_models", "get_model", "model_id", "model_label", "load_zoo", "parse_model_id", "model_card", "preprocess"]

MODEL_ID = re.compile(r"^(?P<variant>[A-Za-z_][\w]*)-d(?P<d>\d+)$")


class UnknownModelError(KeyError):
    """No trained model of that name and d; the message lists what exists."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return self.args[0]


def variants() -> list[str]:
    """Names of the registered variants (built-in and from the `ae_zoo.variants` entry points)."""
    return variant_names()


def _weights_dir(weights_dir: str | Path | None, user: bool) -> Path:
    if weights_dir is not None:
        return Path(weights_dir)
    return paths.user_weights_dir() if user else paths.default_weights_dir()


def available(weights_dir: str | Path | None = None, *, user: bool = False) -> list[tuple[str, int]]:
    """Sorted (variant, d) pairs that have weights and a card in the weights directory.

    user=True: the models kept from the demo's Train tab (`paths.user_weights_dir()`); their
    cards say `"user_trained": true`.
    """
    return checkpoint.available(_weights_dir(weights_dir, user))


def _check(name: str, d: int, weights_dir: Path) -> None:
    if not isinstance(d, int) or isinstance(d, bool) or d <= 0:
        raise ValueError(f"d must be a positive integer, got {d!r}")
    if (name, d) in available(weights_dir):
        return
    trained = ", ".join(f"{n} d={k}" for n, k in available(weights_dir)) or "none"
    if name not in variants():
        hint = f"registered variants: {', '.join(variants())}"
    else:
        hint = f"train it with: python train_all.py --variants {name} --d {d}"
    raise UnknownModelError(f"no trained model {name!r} with d={d} in {weights_dir}; trained: {trained}; {hint}")


def get(name: str, d: int, *, weights_dir: str | Path | None = None, device: str | torch.device = "cpu",
        user: bool = False) -> AutoEncoder:
    """The trained `name` autoencoder with latent size d, in eval mode on `device` (user=True: the one you kept)."""
    weights_dir = _weights_dir(weights_dir, user)
    _check(name, d, weights_dir)
    model, _ = checkpoint.load(weights_dir, name, d, device=device)
    return model


def card(name: str, d: int, *, weights_dir: str | Path | None = None, user: bool = False) -> dict:
    """The model card of the trained `name` autoencoder with latent size d (user=True: the one you kept)."""
    weights_dir = _weights_dir(weights_dir, user)
    _check(name, d, weights_dir)
    return checkpoint.read_card(checkpoint.paths(weights_dir, name, d)[1])


def load_zoo(weights_dir: str | Path | None = None, *, user: bool = False, device: str | torch.device = "cpu",
             on_error: Callable[[checkpoint.CheckpointError], None] | None = None) -> tuple[dict, dict]:
    """Every trained model in the weights directory (user=True: the user zoo) and its card, keyed by (variant, d).

    Models are in eval mode on `device`. A model that fails to load raises CheckpointError, or, when
    `on_error` is given, is passed to it and left out.
    """
    weights_dir = _weights_dir(weights_dir, user)
    models, cards = {}, {}
    for name, d in checkpoint.available(weights_dir):
        try:
            models[(name, d)], cards[(name, d)] = checkpoint.load(weights_dir, name, d, device=device)
        except checkpoint.CheckpointError as e:
            if on_error is None:
                raise
            on_error(e)
    return models, cards


def model_id(name: str, d: int) -> str:
    """The string id of a model, as its files are named: model_id("sparse", 32) == "sparse-d32"."""
    return f"{name}-d{d}"


def model_label(name: str, d: int) -> str:
    """How people see a model's name, in the demo and the report: model_label("sparse", 32) == "sparse d=32"."""
    return f"{name} d={d}"


def parse_model_id(model: str) -> tuple[str, int]:
    """"sparse-d32" -> ("sparse", 32); a ValueError that shows the form for anything else."""
    match = MODEL_ID.match(model) if isinstance(model, str) else None
    if not match or int(match["d"]) <= 0:
        raise ValueError(f"model id {model!r} is not of the form <variant>-d<d>, e.g. 'sparse-d32'")
    return match["variant"], int(match["d"])


def list_models(pattern: str | None = None, *, weights_dir: str | Path | None = None) -> list[str]:
    """Ids of the trained models, sorted; `pattern` filters them shell-style ("sparse-*", "*-d32")."""
    ids = [model_id(name, d) for name, d in available(weights_dir)]
    return [i for i in ids if pattern is None or fnmatch.fnmatchcase(i, pattern)]


def get_model(model: str, pretrained: bool = True, *, weights_dir: str | Path | None = None,
              device: str | torch.device = "cpu") -> AutoEncoder:
    """The model with this id, e.g. "sparse-d32", in eval mode.

    pretrained=True: the trained weights, with the model card as `model.card` (metrics, parameter
    count, recipe, data checksum). pretrained=False: the same architecture freshly initialised
    (seed 0), `model.card` None; any positive d works then, and any registered variant.
    """
    name, d = parse_model_id(model)
    if not pretrained:
        if name not in variants():
            raise UnknownModelError(f"unknown variant {name!r}; registered variants: {', '.join(variants())}")
        untrained = get_variant(name).build(d, seed=0).to(device).eval()
        untrained.card = None
        return untrained
    weights_dir = Path(weights_dir) if weights_dir is not None else paths.default_weights_dir()
    _check(name, d, weights_dir)
    trained, trained_card = checkpoint.load(weights_dir, name, d, device=device)
    trained.card = trained_card
    return trained


def model_card(model: str, *, weights_dir: str | Path | None = None) -> str:
    """The card of a trained model in Markdown (YAML front matter, then prose), generated from its JSON card."""
    name, d = parse_model_id(model)
    return modelcard.markdown(card(name, d, weights_dir=weights_dir))
