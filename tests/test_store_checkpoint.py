import dataclasses
import json
import os
import stat

import pytest
import torch

from zoo.model import parameter_count
from zoo.store import checkpoint
from zoo.variants import get_variant


def _save(weights_dir, name="plain", d=16):
    model = get_variant(name).build(d, seed=1)
    card = {"variant": name, "latent_dim": d, "model_config": dataclasses.asdict(model.config),
            "parameter_count": parameter_count(model.config)}
    checkpoint.save(model, card, weights_dir)
    return model


@pytest.mark.parametrize("name", ["plain", "sparse"])
def test_save_load_round_trip(tmp_path, name):
    model = _save(tmp_path, name)
    loaded, card = checkpoint.load(tmp_path, name, 16)
    assert not loaded.training and card["weights_file"] == f"{name}-d16.safetensors"
    x = torch.rand(3, 784)
    assert torch.equal(model.eval()(x), loaded(x))
    assert not list(tmp_path.glob("*.tmp"))


def test_weights_and_card_get_the_mode_any_new_file_gets(tmp_path):
    _save(tmp_path)
    umask = os.umask(0)
    os.umask(umask)
    for name in ("plain-d16.safetensors", "plain-d16.json"):  # readable by others where the umask says so
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask, name


def test_weights_are_safetensors_not_pickle(tmp_path):
    _save(tmp_path)
    header_len = int.from_bytes((tmp_path / "plain-d16.safetensors").read_bytes()[:8], "little")
    header = json.loads((tmp_path / "plain-d16.safetensors").read_bytes()[8:8 + header_len])
    assert "encoder.0.weight" in header


def test_altered_weights_are_refused(tmp_path):
    _save(tmp_path)
    path = tmp_path / "plain-d16.safetensors"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(checkpoint.CheckpointError, match="does not match its card"):
        checkpoint.load(tmp_path, "plain", 16)


def test_truncated_card_is_one_clear_error(tmp_path):
    _save(tmp_path)
    (tmp_path / "plain-d16.json").write_text('{"variant": "pla')
    with pytest.raises(checkpoint.CheckpointError, match="plain-d16.json is unreadable .* retrain"):
        checkpoint.load(tmp_path, "plain", 16)


def test_card_that_does_not_match_the_architecture(tmp_path):
    _save(tmp_path)
    card = json.loads((tmp_path / "plain-d16.json").read_text())
    card["model_config"]["hidden_dims"] = [32]
    card["model_config"]["decoder_hidden_dims"] = [32]
    (tmp_path / "plain-d16.json").write_text(json.dumps(card))
    with pytest.raises(checkpoint.CheckpointError, match="does not fit the architecture in its card"):
        checkpoint.load(tmp_path, "plain", 16)
