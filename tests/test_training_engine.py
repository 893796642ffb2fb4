import dataclasses

import pytest
import torch

from zoo.training import metrics
from zoo.training.config import TrainConfig
from zoo.training.engine import NonFiniteLossError, train
from zoo.variants import get_variant
from zoo.variants.plain import Plain


@pytest.fixture(scope="module")
def small(mnist_train, mnist_test):
    """1,024 real training images and 512 test images."""
    return mnist_train[0][:1024], mnist_test[0][:512]


def test_one_step_changes_every_parameter(small):
    variant = get_variant("plain")
    model = variant.build(16, seed=0)
    before = [p.detach().clone() for p in model.parameters()]
    train(model, variant, small[0][:128], small[1], TrainConfig(epochs=1, batch_size=128), device="cpu", progress=False)
    assert all(not torch.equal(a, b) for a, b in zip(before, model.parameters()))


@pytest.mark.parametrize("name", ["plain", "denoising", "sparse"])
def test_loss_falls_on_a_small_batch(small, name):
    variant = get_variant(name)
    model = variant.build(32, seed=0)
    result = train(model, variant, small[0], small[1], TrainConfig(epochs=8, batch_size=64, learning_rate=3e-3),
                   device="cpu", progress=False)
    mse = [row["test_mse"] for row in result.history]
    assert len(mse) == 8 and mse[-1] < 0.6 * mse[0]
    assert not model.training


def test_same_seed_same_weights(small):
    variant = get_variant("denoising")
    models = []
    for _ in range(2):
        model = variant.build(16, seed=3)
        train(model, variant, small[0][:256], small[1], TrainConfig(epochs=2, seed=3), device="cpu", progress=False)
        models.append(model)
    assert all(torch.equal(a, b) for a, b in zip(models[0].parameters(), models[1].parameters()))


def test_nan_loss_stops_with_a_clear_error_and_keeps_last_good_weights(small):
    variant = get_variant("plain")
    model = variant.build(16, seed=0)
    corrupt = small[0].clone()
    corrupt[100, 5] = float("nan")  # one bad pixel poisons the loss, then every weight
    initial = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(NonFiniteLossError, match=r"plain d=16: loss became nan in epoch 1; kept the weights after epoch 0"):
        train(model, variant, corrupt, small[1], TrainConfig(epochs=3), device="cpu", progress=False)
    assert all(torch.isfinite(p).all() for p in model.parameters())
    assert all(torch.equal(a, b) for a, b in zip(initial, model.parameters()))


def test_bfloat16_steps_train_as_well_as_float32_and_report_each_epoch(small):
    variant = get_variant("plain")
    final, rows = {}, []
    for precision in ("float32", "bfloat16"):
        model = variant.build(16, seed=0)
        result = train(model, variant, small[0], small[1], TrainConfig(epochs=3, batch_size=64, precision=precision),
                       device="cpu", progress=False, on_epoch=rows.append)
        assert all(p.dtype == torch.float32 for p in model.parameters())  # autocast leaves the weights float32
        assert result.precision == precision
        final[precision] = result.history[-1]["test_mse"]
    assert len(rows) == 6 and rows[3:] == result.history  # on_epoch saw each epoch's row
    assert final["bfloat16"] != final["float32"]  # the products really ran in another precision
    assert final["bfloat16"] < 1.1 * final["float32"]


def test_stop_ends_mid_epoch_with_the_last_finished_epochs_weights(small):
    variant = get_variant("plain")
    model = variant.build(16, seed=0)
    after_epoch_one, steps = {}, []

    def on_epoch(row):
        if row["epoch"] == 1:
            after_epoch_one.update({k: v.clone() for k, v in model.state_dict().items()})

    def stop():  # asked before every step: say stop a few steps into epoch 2 (4 steps of 256 per epoch)
        steps.append(1)
        return len(steps) > 6

    result = train(model, variant, small[0], small[1], TrainConfig(epochs=5), device="cpu", progress=False,
                   on_epoch=on_epoch, stop=stop)
    assert result.stopped and [row["epoch"] for row in result.history] == [1]
    assert all(torch.equal(v, after_epoch_one[k]) for k, v in model.state_dict().items())
    assert not model.training


def test_weight_decay_shrinks_the_matrices_and_leaves_biases_and_norms(small):
    """AdamW's decay on every weight matrix only: the matrices shrink far more than Adam's steps could move them
    (each entry moves at most about lr a step), the vectors (biases, batch norm) no more than those steps."""
    variant = get_variant("deep", hidden_dims=(64,))
    lr, steps, runs = 1e-3, 2, {}
    for decay in (0.0, 500.0):
        model = variant.build(8, seed=0)
        train(model, variant, small[0][:128 * steps], small[1], TrainConfig(epochs=1, batch_size=128, learning_rate=lr,
              weight_decay=decay, precision="float32"), device="cpu", progress=False)
        runs[decay] = dict(model.named_parameters())
    for name, plain in runs[0.0].items():
        decayed = runs[500.0][name]
        if plain.ndim > 1:
            assert decayed.norm() < 0.99 * plain.norm(), name
        else:
            assert (decayed - plain).abs().max() <= 2 * lr * steps, name


def test_ema_keeps_the_average_of_the_weights_and_reports_it(small):
    """With ema_decay the model trained is the running average (torch.optim.swa_utils): it differs from the
    last step's weights, each epoch's test MSE is the average's, and a decay near 0 is the weights themselves."""
    variant = get_variant("plain")
    config = TrainConfig(epochs=2, batch_size=64, learning_rate=3e-3, precision="float32")
    final = {}
    for decay in (0.0, 1e-9, 0.99):
        model = variant.build(16, seed=0)
        result = train(model, variant, small[0], small[1], TrainConfig(**{**config.__dict__, "ema_decay": decay}),
                       device="cpu", progress=False)
        final[decay] = [p.detach().clone() for p in model.parameters()]
        assert result.history[-1]["test_mse"] == pytest.approx(metrics.reconstruction_mse(model, small[1]), rel=1e-5)
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(final[0.0], final[1e-9]))
    assert not all(torch.allclose(a, b, atol=1e-4) for a, b in zip(final[0.0], final[0.99]))


@pytest.mark.parametrize("bad", [{"weight_decay": -0.1}, {"ema_decay": 1.0}, {"ema_decay": -0.5}, {"shift_pixels": -1}])
def test_decay_and_shift_settings_out_of_range_are_one_clear_error(bad):
    with pytest.raises(ValueError, match="weight_decay and shift_pixels must be >= 0 and ema_decay in"):
        TrainConfig(**bad)


@dataclasses.dataclass(frozen=True)
class Recording(Plain):
    """The plain variant, keeping every batch the engine hands it."""

    batches: list = dataclasses.field(default_factory=list)

    def training_loss(self, model, x, generator, epoch):
        self.batches.append(x.clone())
        return super().training_loss(model, x, generator, epoch)


@pytest.mark.parametrize("shift", [0, 2])
def test_shift_pixels_moves_the_training_batches_and_nothing_else(small, shift):
    """The engine trains on moved copies of the images (each image's ink kept unless it leaves the frame), the
    images as they are with 0; the test images are never moved (the reported test MSE is the model's)."""
    images = small[0][:256]
    variant = Recording()
    model = variant.build(8, seed=0)
    result = train(model, variant, images, small[1], TrainConfig(epochs=1, batch_size=128, shift_pixels=shift,
                   precision="float32"), device="cpu", progress=False)
    seen = torch.cat(variant.batches)
    as_they_are = (seen[:, None, :] == images[None, :, :]).all(dim=2).any(dim=1)  # (256,): row is a training image
    assert as_they_are.all() if shift == 0 else as_they_are.float().mean() < 0.2  # 1 in 25 offsets is (0, 0)
    assert torch.allclose(seen.sum(), images.sum(), rtol=0.01)  # MNIST's digits sit 4 pixels inside the frame
    assert result.history[-1]["test_mse"] == pytest.approx(metrics.reconstruction_mse(model, small[1]), rel=1e-5)
