"""zoo.app.page_weights: the page's int8 and float16 copy of each model, against the float32 one it is made from."""

import numpy as np
import pytest
import torch
from safetensors.numpy import load as load_numpy

import registry
from zoo.app.page_weights import GROUP, SCALES, PageWeights, compact, rounded, rounded_model
from zoo.variants import get_variant


@pytest.fixture(scope="module")
def shipped():
    return {(name, d): registry.get(name, d=d) for name, d in registry.available()}


def test_big_matrices_are_int8_and_those_beside_the_code_float16(shipped):
    model = shipped["deep", 30]
    tensors = compact(model)
    for name, t in model.state_dict().items():
        if not t.is_floating_point():
            assert name not in tensors  # a batch norm's step count: the page has no use for it
        elif t.dim() == 2 and 30 not in t.shape:
            assert tensors[name].dtype == np.int8 and tensors[name + SCALES].shape == (t.shape[0], -(-t.shape[1] // GROUP))
        else:
            assert tensors[name].dtype == np.float16, name
    assert {n for n, t in tensors.items() if t.dtype == np.float16 and t.ndim == 2 and not n.endswith(SCALES)} == {
        "encoder.9.weight", "decoder.0.weight"}


def test_int8_rounding_is_within_half_a_step_of_each_weight():
    w = torch.randn(7, 150) * torch.logspace(-3, 1, 150)  # groups of very different sizes in one row
    model = get_variant("plain").build(150, seed=0)
    with torch.no_grad():
        model.encoder[0].weight.copy_(torch.nn.functional.pad(w, (0, 784 - 150)).repeat(37, 1)[:256])
    tensors = compact(model)
    q, scales = tensors["encoder.0.weight"], tensors["encoder.0.weight" + SCALES].astype(np.float32)
    step = np.repeat(scales, GROUP, axis=1)[:, :784]
    error = np.abs(rounded(tensors)["encoder.0.weight"] - model.encoder[0].weight.detach().numpy())
    assert np.all(error <= step / 2 * (1 + 1e-3) + 1e-12) and np.abs(q).max() == 127


def test_the_same_weights_give_the_same_bytes_and_a_retrained_model_new_ones(shipped):
    model = shipped["plain", 16]
    first, again = PageWeights.of(model, "a" * 64), PageWeights.of(model, "a" * 64)
    assert first.data == again.data and first.sha256 == again.sha256 and first.gzipped == again.gzipped
    changed = rounded_model(model)
    with torch.no_grad():
        changed.decoder[-1].bias.add_(0.01)
    assert PageWeights.of(changed, "b" * 64).sha256 != first.sha256
    assert load_numpy(first.data).keys() == compact(model).keys()
    assert first.metadata() == {"source_sha256": "a" * 64, "group": GROUP, "precision": "int8 and float16"}


def test_every_models_test_error_in_the_page_is_within_half_a_percent_of_float32(shipped, mnist_test):
    x = mnist_test[0]
    rows = []
    for (name, d), model in shipped.items():
        page = rounded_model(model)
        with torch.no_grad():
            exact, ours = model(x), page(x)
            h, h_page = model.encode(x), page.encode(x)
        mse, mse_page = ((exact - x) ** 2).mean().item(), ((ours - x) ** 2).mean().item()
        flipped = int(((h > 0) != (h_page > 0)).sum()) if model.config.sparse_code else 0
        change = (ours - exact).abs().max().item()
        rows.append(f"{name} d={d}: MSE {mse:.5f} -> {mse_page:.5f} ({100 * (mse_page / mse - 1):+.3f}%), "
                    f"max pixel change {change:.3f}, code entries across the threshold {flipped} of {h.numel()}")
        assert abs(mse_page / mse - 1) <= 0.005, rows[-1]
        # Measured 0.02-0.07 (0.29-0.36 for a sparse code, where a unit crossing its threshold moves a stroke).
        assert change <= (0.40 if model.config.sparse_code else 0.10), rows[-1]
        assert flipped <= 0.002 * h.numel(), rows[-1]
    print("\n".join(rows))


def test_the_page_file_is_about_a_quarter_of_the_float32_one(shipped):
    for model in shipped.values():
        float32 = sum(t.numel() * 4 for t in model.state_dict().values() if t.is_floating_point())
        page = PageWeights.of(model, "0" * 64)
        assert len(page.data) < 0.3 * float32 and len(page.gzipped) < len(page.data)
