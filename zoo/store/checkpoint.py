"""Trained models on disk: `<variant>-d<d>.safetensors` (weights) beside `<variant>-d<d>.json` (model card).

Weights are safetensors, never pickle. The card says how the model was made and how well it
does; it carries the weights' sha256, so a card always names the exact file it describes, and a
weights file without a valid card (say, after a crash between the two writes) counts as absent.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_bytes
from safetensors.torch import save as save_bytes

from zoo.model import AutoEncoder, ModelConfig, parameter_count
from zoo.system import atomic

CARD_FORMAT = 1


class CheckpointError(RuntimeError):
    """A weights file or model card is missing, corrupt, or does not match its card."""


def available(weights_dir: Path) -> list[tuple[str, int]]:
    """Sorted (variant, d) pairs that have weights and a card in weights_dir (not yet verified)."""
    found = []
    for card_path in Path(weights_dir).glob("*-d*.json"):
        name, _, d = card_path.stem.rpartition("-d")
        if d.isdigit() and card_path.with_suffix(".safetensors").exists():
            found.append((name, int(d)))
    return sorted(found)


def paths(weights_dir: Path, variant: str, latent_dim: int) -> tuple[Path, Path]:
    """(weights path, card path) for one model."""
    base = Path(weights_dir) / f"{variant}-d{latent_dim}"
    return base.with_suffix(".safetensors"), base.with_suffix(".json")


def save(model: AutoEncoder, card: dict, weights_dir: Path) -> tuple[Path, Path]:
    """Write the weights, then the card (with the weights' sha256), each atomically."""
    weights_path, card_path = paths(weights_dir, card["variant"], model.latent_dim)
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    # Bytes, then atomic.write_bytes: safetensors' save_file re-creates its file as 0600 whatever the umask.
    atomic.write_bytes(weights_path, save_bytes(tensors, metadata={"variant": card["variant"],
                                                                   "latent_dim": str(model.latent_dim)}))
    card = {**card, "card_format": CARD_FORMAT, "weights_file": weights_path.name,
            "weights_sha256": _sha256(weights_path)}
    atomic.write_text(card_path, json.dumps(card, indent=2, sort_keys=False) + "\n")
    return weights_path, card_path


def read_card(card_path: Path) -> dict:
    """The parsed card; CheckpointError if it is missing or not a card."""
    try:
        card = json.loads(Path(card_path).read_text())
    except FileNotFoundError:
        raise CheckpointError(f"no model card at {card_path}") from None
    except (OSError, ValueError) as e:
        raise CheckpointError(f"model card {card_path} is unreadable ({e}); delete it and retrain") from e
    missing = {"variant", "latent_dim", "model_config", "weights_sha256"} - set(card)
    if missing:
        raise CheckpointError(f"model card {card_path} lacks {sorted(missing)}; delete it and retrain")
    return card


def load(weights_dir: Path, variant: str, latent_dim: int, device: str | torch.device = "cpu") -> tuple[AutoEncoder, dict]:
    """Load one trained model (eval mode) and its card, checking each against the other."""
    weights_path, card_path = paths(weights_dir, variant, latent_dim)
    card = read_card(card_path)
    config = ModelConfig(**card["model_config"])
    if config.latent_dim != latent_dim or card["variant"] != variant:
        raise CheckpointError(f"{card_path} describes {card['variant']} d={config.latent_dim}, not {variant} d={latent_dim}")
    try:
        data = weights_path.read_bytes()  # read once: the bytes we hash are the bytes we load
    except FileNotFoundError:
        raise CheckpointError(f"{weights_path} is missing (its card is there); retrain it") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != card["weights_sha256"]:
        raise CheckpointError(f"{weights_path} does not match its card (sha256 {actual[:12]}...); retrain it")
    try:
        state = load_bytes(data)
    except (SafetensorError, OSError) as e:
        raise CheckpointError(f"{weights_path} is not a readable safetensors file ({e}); retrain it") from e
    model = AutoEncoder(config)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        first = str(e).strip().splitlines()[-1].strip()
        raise CheckpointError(f"{weights_path} does not fit the architecture in its card: {first}") from e
    count = sum(p.numel() for p in model.parameters())
    if card.get("parameter_count") not in (None, count) or count != parameter_count(config):
        raise CheckpointError(f"{card_path} says {card.get('parameter_count')} parameters; the model has {count}")
    return model.to(device).eval(), card


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
