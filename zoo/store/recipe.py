"""A zoo model's recipe: what determines its weights (`spec`), its id, whether a weights directory holds it,
and `train_and_save`, which makes the model from its recipe and writes it with its model card."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import platform
import sys
import time
from pathlib import Path

import torch

from zoo import __version__
from zoo.data import DATA_SHA256
from zoo.model import parameter_count
from zoo.store import checkpoint
from zoo.training import metrics
from zoo.training.config import TrainConfig
from zoo.training.engine import train
from zoo.variants.base import Variant


def spec(variant: Variant, latent_dim: int, config: TrainConfig) -> dict:
    """Everything that determines the trained weights (up to floating-point nondeterminism)."""
    return {
        "variant": variant.name,
        "latent_dim": latent_dim,
        "variant_config": dataclasses.asdict(variant),
        "model_config": dataclasses.asdict(variant.model_config(latent_dim)),
        "train_config": dataclasses.asdict(config),
        "data_sha256": DATA_SHA256,
    }


def recipe_id(spec: dict) -> str:
    """16 hex digits naming a recipe: the same spec, the same id."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def is_trained(weights_dir: Path, spec: dict) -> bool:
    """True if the weights directory holds a valid model made with exactly this recipe."""
    try:
        _, card = checkpoint.load(weights_dir, spec["variant"], spec["latent_dim"])
    except checkpoint.CheckpointError:
        return False
    return card.get("recipe_id") == recipe_id(spec)


def versions() -> dict[str, str]:
    import numpy
    import safetensors

    # torchvision's installed version, without importing it (slow: zoo.data.idx)
    return {"python": platform.python_version(), "torch": torch.__version__,
            "torchvision": importlib.metadata.version("torchvision"),
            "numpy": numpy.__version__, "safetensors": safetensors.__version__, "ae_zoo": __version__}


def train_and_save(
    variant: Variant,
    latent_dim: int,
    config: TrainConfig,
    train_x: torch.Tensor,
    test_x: torch.Tensor,
    weights_dir: Path,
    *,
    device: str = "auto",
    progress: bool = True,
    command: str | None = None,
    on_epoch=None,
    side_by_side: int = 1,
) -> dict:
    """Train `variant` at d = latent_dim, evaluate it on test_x, save weights + card; return the card.

    `on_epoch` gets each epoch's history row; `side_by_side` (how many models train at once) goes on the card.
    """
    made_from = spec(variant, latent_dim, config)
    model = variant.build(latent_dim, seed=config.seed)
    result = train(model, variant, train_x, test_x, config, device=device, progress=progress,
                   description=f"{variant.name} d={latent_dim}", on_epoch=on_epoch)
    card = {
        **made_from,
        "recipe_id": recipe_id(made_from),
        "description": variant.description,
        "seed": config.seed,
        "epochs": config.epochs,
        "training_seconds": round(result.seconds, 2),
        "device": result.device,
        "precision": result.precision,  # the training steps' matrix products, "auto" resolved on this machine
        "threads": torch.get_num_threads(),  # matrix products split differently across threads round differently
        "side_by_side": side_by_side,  # models training at once on this machine (train_all's worker processes)
        "parameter_count": parameter_count(model.config),
        "metrics": metrics.evaluate(model, test_x.to(next(model.parameters()).device), seed=config.seed),
        "history": [{k: round(v, 6) for k, v in row.items()} for row in result.history],
        "versions": versions(),
        "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    checkpoint.save(model, card, weights_dir)
    return card
