"""zoo.analysis on small models and real MNIST: shapes, formulas, round trips, curves that must rise."""

import io
import math

import numpy as np
import pytest
import torch
from PIL import Image

from zoo import analysis

from zoo.model import AutoEncoder, ModelConfig, parameter_count
from zoo.variants import get_variant


@pytest.fixture(scope="module")
def small(mnist_train, mnist_test):
    """6,000 training and 2,000 test images: enough for a model that has learnt something, in seconds."""
    return mnist_train[0][:6000], mnist_train[1][:6000], mnist_test[0][:2000], mnist_test[1][:2000]


@pytest.fixture(scope="module")
def plain_model(small):
    train_x, _, test_x, _ = small
    return analysis.train_extra_model("plain", 16, train_x, test_x, epochs=10, seed=0)


def test_psnr_of_known_errors():
    assert analysis.psnr(0.01) == pytest.approx(20.0)
    assert analysis.psnr(1.0) == pytest.approx(0.0)


@pytest.mark.parametrize("hidden", [(), (256,), (128, 64)])
def test_parameter_formula_is_linear_in_d_and_matches_the_tensors(hidden):
    slope, intercept = analysis.parameter_formula(ModelConfig(latent_dim=8, hidden_dims=hidden))
    for d in (1, 16, 33, 64):
        model = AutoEncoder(ModelConfig(latent_dim=d, hidden_dims=hidden))
        assert slope * d + intercept == sum(p.numel() for p in model.parameters()) == parameter_count(model.config)


def test_parameter_formula_of_the_course_and_of_the_zoo():
    assert analysis.parameter_formula(ModelConfig(latent_dim=4)) == (1569, 784)
    assert analysis.parameter_formula(ModelConfig(latent_dim=4, hidden_dims=(256,))) == (513, 402_704)
    rows = analysis.parameter_table({("plain", 32): get_variant("plain").build(32, seed=0)})
    assert rows[0]["formula"] == rows[0]["measured"] == 513 * 32 + 402_704
    assert rows[0]["layers"] == [784, 256, 32, 256, 784]


def test_uint8_quantisation_round_trip():
    generator = torch.Generator().manual_seed(0)
    h = torch.randn(500, 8, generator=generator) * torch.arange(1, 9)  # units on different scales
    h[:, 0] = torch.relu(h[:, 0])  # a sparse unit: low = 0
    low, high = h.min(dim=0).values, h.max(dim=0).values
    q = analysis.quantise_uint8(h, low, high)
    step = (high - low) / 255
    assert torch.all((q - h).abs() <= step / 2 + 1e-6)  # at most half a level off
    assert torch.equal(q[h[:, 0] == 0, 0], torch.zeros(int((h[:, 0] == 0).sum())))  # zeros stay exactly zero
    assert len(torch.unique(q[:, 3])) <= 256
    assert torch.allclose(analysis.quantise_uint8(q, low, high), q, atol=1e-6)  # quantising twice changes nothing


def test_png_bytes_are_a_lossless_copy_of_the_digit(mnist_test):
    digit = mnist_test[0][:1]
    size, = analysis.png_bytes(digit)
    buffer = io.BytesIO()
    image = Image.fromarray((digit.reshape(28, 28) * 255).round().byte().numpy(), mode="L")
    image.save(buffer, format="PNG", optimize=True)
    assert size == buffer.tell() and 50 < size < 784
    decoded = torch.from_numpy(np.array(Image.open(io.BytesIO(buffer.getvalue())))).flatten().float() / 255
    assert torch.allclose(decoded, digit.flatten(), atol=1 / 510)


def test_the_noise_curve_of_a_plain_model_rises_with_amplitude(plain_model, small):
    rows = analysis.denoising_curves({("plain", 16): plain_model}, small[2], amplitudes=(0.0, 0.2, 0.5, 1.0))
    model = [r["mse"] for r in rows if r["variant"] == "plain"]
    noisy = [r["mse"] for r in rows if r["variant"] == "noisy input"]
    assert model == sorted(model) and model[-1] > 1.5 * model[0]
    assert noisy[0] == 0 and noisy == sorted(noisy)
    # The curve's first point is the clean-image error the metrics module reports.
    from zoo import metrics
    assert model[0] == pytest.approx(metrics.reconstruction_mse(plain_model, small[2]))


def test_code_size_table_measures_the_quantised_round_trip(plain_model, small):
    train_x, _, test_x, _ = small
    row, = analysis.code_size_table({("plain", 16): plain_model}, train_x, test_x)
    assert (row["float32_bytes"], row["float16_bytes"], row["uint8_bytes"]) == (64, 32, 16)
    assert row["mse_float32"] <= row["mse_uint8"] < 1.2 * row["mse_float32"]
    assert row["mse_float16"] == pytest.approx(row["mse_float32"], rel=1e-3)
    assert row["active_per_image"] == 16  # an identity code is never exactly zero


@pytest.mark.parametrize("hidden", [(), (64,)])  # the course's model; a deep encoder with a one-layer decoder
def test_unit_images_of_a_single_layer_decoder_are_its_columns(hidden):
    model = AutoEncoder(ModelConfig(latent_dim=5, hidden_dims=hidden, decoder_hidden_dims=()))
    images = analysis.unit_images(model, torch.rand(10, 784))
    assert images.shape == (5, 28, 28)
    assert torch.equal(images[2].flatten(), model.decoder[-1].weight[:, 2])


def test_unit_images_of_a_deep_model_decode_one_unit_and_leave_dead_ones_blank(small):
    model = get_variant("sparse").build(8, seed=0).eval()
    with torch.no_grad():
        model.code_layer.bias[:] += 1.0  # units fire above the JumpReLU threshold on most images...
        model.code_layer.bias[3] = -1e6  # ...but unit 3, which never fires
    images = analysis.unit_images(model, small[2][:500])
    assert images.shape == (8, 28, 28)
    assert torch.all(images[3] == 0) and images[0].abs().max() > 0


def test_unit_image_stats_find_a_digit_and_a_stroke(mnist_test):
    x, y = mnist_test
    means = torch.stack([x[y == c].mean(dim=0) for c in range(10)])
    dot = torch.zeros(784)
    dot[14 * 28 + 14] = 1.0
    stats = analysis.unit_image_stats(torch.stack([means[3], dot, torch.zeros(784)]).reshape(3, 28, 28), means)
    assert stats["digit_correlation"][0] == pytest.approx(1.0) and stats["best_class"][0] == 3
    assert stats["area_80"][1] == pytest.approx(1 / 784) and stats["digit_correlation"][1] < 0.3
    assert math.isnan(stats["digit_correlation"][2]) and math.isnan(stats["area_80"][2])


def test_labelled_subset_is_balanced_and_seeded(mnist_train):
    y = mnist_train[1]
    picks = analysis.labelled_subset(y, 7, seed=1)
    assert torch.equal(torch.bincount(y[picks]), torch.full((10,), 7))
    assert torch.equal(picks, analysis.labelled_subset(y, 7, seed=1))
    assert not torch.equal(picks, analysis.labelled_subset(y, 7, seed=2))


def test_linear_probe_learns_digits_and_cannot_learn_noise(small):
    train_x, train_y, test_x, test_y = small
    few = analysis.labelled_subset(train_y, 50)
    real = analysis.linear_probe(train_x[few], train_y[few], test_x, test_y, max_iter=20)
    assert real["accuracy"] > 0.7 and real["l2_weight"] in (1e-4, 1e-3, 1e-2)
    shuffled = train_y[few][torch.randperm(len(few), generator=torch.Generator().manual_seed(0))]
    chance = analysis.linear_probe(train_x[few], shuffled, test_x, test_y, max_iter=20)
    assert chance["accuracy"] < 0.25


def test_tables_cover_every_model_and_pca(plain_model, small):
    train_x, train_y, test_x, test_y = small
    models = {("plain", 16): plain_model}
    rows = analysis.reconstruction_table(models, train_x, test_x)
    assert rows[0]["mse"] < rows[0]["pca_mse"] and rows[0]["psnr"] == pytest.approx(analysis.psnr(rows[0]["mse"]))
    probe = analysis.probe_table(models, train_x, train_y, test_x, test_y, per_class=20, max_iter=5)
    assert [r["features"] for r in probe] == ["raw pixels", "PCA d=16", "plain d=16"]
    assert [r["dim"] for r in probe] == [784, 16, 16]
    assert all(0.1 < r["accuracy_few"] <= r["accuracy_all"] + 0.05 for r in probe)


def test_extra_models_side_by_side_are_those_trained_one_by_one_on_one_thread(small):
    train_x, _, test_x, _ = small
    jobs = [analysis.ExtraModel("plain", 8, 1, seed=3, hyperparameters=(("hidden_dims", ()),)),
            *analysis.tradeoff_jobs((2e-2,), latent_dim=8, epochs=1, seed=3)]
    trained = analysis.train_extra_models(jobs, train_x[:2000], test_x[:500])
    assert set(trained) == set(jobs)
    saved = torch.get_num_threads()
    torch.set_num_threads(1)  # the workers' thread count: sums round by how they are split between threads
    try:
        for job in jobs:
            alone = analysis.train_extra_model(job.variant, job.latent_dim, train_x[:2000], test_x[:500],
                                               epochs=job.epochs, seed=job.seed, **job.settings())
            for (name, a), b in zip(alone.state_dict().items(), trained[job].state_dict().values()):
                assert torch.equal(a, b), f"{job}: {name}"
    finally:
        torch.set_num_threads(saved)
    assert trained[jobs[1]].config.hidden_dims == (256,) != trained[jobs[0]].config.hidden_dims


def test_sparse_tradeoff_gets_sparser_as_l1_grows(small):
    train_x, _, test_x, _ = small
    rows = analysis.sparse_tradeoff(train_x, test_x, (0.0, 3e-2), latent_dim=16, epochs=2)
    assert [r["l1_weight"] for r in rows] == [0.0, 3e-2]
    assert rows[1]["zero_fraction"] > rows[0]["zero_fraction"] + 0.1


def test_figures_render(plain_model, small, tmp_path):
    _, _, test_x, test_y = small
    models = {("plain", 16): plain_model}
    figures = {
        "grid": analysis.reconstruction_grid(models, test_x[analysis.one_per_class(test_y)]),
        "units": analysis.plot_unit_images({"plain d=16": analysis.unit_images(plain_model, test_x)}),
        "curves": analysis.plot_denoising_curves(analysis.denoising_curves(models, test_x[:200])),
        "codes": analysis.plot_codes_2d(plain_model, "plain d=16", test_x[:500], test_y[:500]),
    }
    for name, fig in figures.items():
        fig.savefig(tmp_path / f"{name}.png")
        image = Image.open(tmp_path / f"{name}.png")
        assert image.width > 200 and image.height > 100
