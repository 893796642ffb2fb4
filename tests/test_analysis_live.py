"""zoo.analysis.live: a form checked into a recipe, a real training followed epoch by epoch, stopped, kept in a user zoo."""

import pytest
import torch

import registry
from zoo.analysis import live
from zoo.store import checkpoint
from zoo.variants import get_variant


@pytest.fixture(scope="module")
def small(mnist_train, mnist_test):
    return mnist_train[0][:2048], mnist_test[0][:2000]


def test_the_form_is_the_variants_own_numeric_fields_with_their_defaults():
    sparse = live.hyperparameters("sparse")
    assert {"l1_weight", "l1_start_weight", "l1_warmup_epochs", "l2_weight", "code_threshold", "max_zeros",
            "revive_below"} <= set(sparse)
    shipped = get_variant("sparse")
    assert sparse["l1_weight"] == shipped.l1_weight and sparse["code_threshold"] == shipped.code_threshold == 0.6
    assert live.hyperparameters("denoising") == {"max_noise_amplitude": 0.4}
    assert live.hyperparameters("plain") == {}


def test_each_field_of_the_form_says_what_it_means_from_the_variants_own_documentation():
    from dataclasses import dataclass

    from zoo.variants import VARIANTS, register
    from zoo.variants.base import Variant

    helps = live.hyperparameter_help("sparse")
    assert set(helps) == set(live.hyperparameters("sparse")) and all(helps.values())
    assert "exactly 0" in helps["code_threshold"] and "ramps" in helps["l1_warmup_epochs"]
    assert "amplitude" in live.hyperparameter_help("denoising")["max_noise_amplitude"]

    @register("undocumented-for-test")
    @dataclass(frozen=True)
    class Undocumented(Variant):
        strength: float = 0.5  # a plain field: no help to show, and no error

    try:
        assert live.hyperparameter_help("undocumented-for-test") == {"strength": ""}
    finally:
        del VARIANTS["undocumented-for-test"]


def test_settings_become_a_recipe_or_one_line_saying_what_is_wrong():
    variant, d, config = live.settings("sparse", 32, 5, 0.01, {"l1_weight": 3e-3, "l1_warmup_epochs": 2})
    assert (variant.l1_weight, variant.l1_warmup_epochs, d, config.epochs, config.learning_rate) == (3e-3, 2, 32, 5, 0.01)
    assert config.batch_size == variant.default_train_config.batch_size
    refused = [
        (("vae", 8, 2, 0.01, {}), "Unknown variant 'vae'"),
        (("plain", 0, 2, 0.01, {}), "d must be a whole number from 1 to 256, got 0"),
        (("plain", 300, 2, 0.01, {}), "from 1 to 256"),
        (("plain", 8, 31, 0.01, {}), "Epochs must be a whole number from 1 to 30"),
        (("plain", 8, 2, 0, {}), "Learning rate must be above 0"),
        (("plain", 8, 2, "fast", {}), "Learning rate must be a number"),
        (("plain", 8, 2, float("nan"), {}), "Learning rate must be a finite number"),
        (("plain", 8, 2, 0.01, {"l1_weight": 1.0}), "plain has no hyperparameter l1_weight"),
        (("sparse", 8, 2, 0.01, {"l1_weight": -1}), "l1_weight must not be negative"),
        (("sparse", 8, 2, 0.01, {"revive_sample": 2.5}), "revive_sample must be a whole number"),
    ]
    for args, message in refused:
        with pytest.raises(ValueError) as info:
            live.settings(*args)
        assert message in str(info.value) and "\n" not in str(info.value), args


def test_a_live_training_reports_every_epoch_and_is_kept_in_the_user_zoo(small, tmp_path):
    variant, d, config = live.settings("sparse", 8, 2, 0.01, {"l1_warmup_epochs": 1})
    job = live.LiveTraining(variant, d, config, *small).start()
    snapshots = list(job.snapshots())
    assert [s.epoch for s in snapshots] == [1, 2] and job.error is None and job.stopped_by is None
    last = snapshots[-1]
    assert last.units.shape == (8, 784) and 0 <= last.units.min() and last.units.max() <= 1
    assert last.reconstructions.shape == (live.SHOWN_DIGITS, 784)
    assert 0 < last.test_mse < snapshots[0].train_loss + 1 and last.noisy_mse > 0 and 0 <= last.zero_fraction <= 1
    card = job.keep(tmp_path)
    assert card["user_trained"] and card["epochs"] == 2 and card["variant_config"]["l1_warmup_epochs"] == 1
    model = registry.get("sparse", d=8, weights_dir=tmp_path)  # the registry reads the user zoo like the shipped one
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), job.model.state_dict().values()))
    assert checkpoint.read_card(tmp_path / "sparse-d8.json")["metrics"]["test_mse"] == card["metrics"]["test_mse"]


def test_stop_keeps_the_last_finished_epoch_and_the_time_limit_stops_too(small, tmp_path):
    variant, d, config = live.settings("plain", 8, 30, 0.01, {})
    job = live.LiveTraining(variant, d, config, *small).start()
    first = next(job.snapshots())
    job.stop()
    rest = list(job.snapshots())
    assert job.stopped_by is live.StopReason.PERSON and first.epoch == 1 and len(job.history) == 1 + len(rest) < 30
    kept = job.keep(tmp_path)
    assert kept["epochs"] == len(job.history) and kept["stopped_by"] == "person"
    assert checkpoint.read_card(tmp_path / "plain-d8.json")["stopped_by"] == "person"  # the card on disk, as JSON

    slow = live.LiveTraining(variant, d, config, *small, limits=live.Limits(max_seconds=0.0)).start()
    assert list(slow.snapshots()) == [] and slow.stopped_by is live.StopReason.TIME_LIMIT
    with pytest.raises(ValueError, match="Nothing to keep: no epoch finished"):
        slow.keep(tmp_path)


def test_a_nan_loss_ends_the_job_with_the_engines_message(small):
    train_x = small[0].clone()
    train_x[7, 100] = float("nan")
    variant, d, config = live.settings("plain", 8, 3, 0.01, {})
    job = live.LiveTraining(variant, d, config, train_x, small[1]).start()
    assert list(job.snapshots()) == []
    assert job.error.startswith("plain d=8: loss became nan in epoch 1")
