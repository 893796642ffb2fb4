import dataclasses

import pytest
import torch

from zoo.variants import VARIANTS, get_variant, register, variant_names
from zoo.variants.base import Variant


def test_builtin_variants_are_registered():
    assert {"plain", "denoising", "sparse"} <= set(variant_names())


def test_unknown_variant_lists_the_registered_ones_in_a_plain_message():
    with pytest.raises(KeyError, match="registered variants: deep, denoising, plain, sparse") as caught:
        get_variant("contractive")
    assert str(caught.value).startswith("unknown variant 'contractive'")  # not wrapped in quotes like a KeyError


def test_a_new_variant_is_one_class():
    @register("test-scaled")
    @dataclasses.dataclass(frozen=True)
    class Scaled(Variant):
        scale: float = 2.0

        def penalty(self, model, h, epoch):
            return {"code_energy": self.scale * h.pow(2).mean()}

    try:
        variant = get_variant("test-scaled", scale=3.0)
        model = variant.build(8, seed=0)
        loss, terms = variant.training_loss(model, torch.rand(4, 784), torch.Generator(), epoch=0.0)
        assert set(terms) == {"reconstruction", "code_energy"}
        assert loss.item() == pytest.approx(sum(t.item() for t in terms.values()))
    finally:
        VARIANTS.pop("test-scaled")


def test_denoising_corrupts_each_image_with_its_own_amplitude_up_to_the_max():
    variant = get_variant("denoising", max_noise_amplitude=0.5)
    x = torch.full((400, 784), 0.5)
    noisy = variant.corrupt(x, torch.Generator().manual_seed(0))
    stds = (noisy - x).std(dim=1)
    assert stds.max().item() < 0.5 * 1.1 and stds.min().item() < 0.05 and stds.std().item() > 0.1


def test_sparse_l1_schedule_ramps_linearly_then_holds():
    variant = get_variant("sparse", l1_weight=1e-3, l1_start_weight=1e-5, l1_warmup_epochs=10)
    assert variant.l1_weight_at(0) == pytest.approx(1e-5)
    assert variant.l1_weight_at(5) == pytest.approx(1e-5 + 0.5 * (1e-3 - 1e-5))
    assert variant.l1_weight_at(10) == pytest.approx(1e-3)
    assert variant.l1_weight_at(40) == pytest.approx(1e-3)
    weights = [variant.l1_weight_at(e) for e in range(12)]
    assert weights == sorted(weights)


def test_sparse_penalties_pull_the_code_and_the_decoder_towards_zero(mnist_test):
    """A few steps with the L1 term make the code smaller, with the L2 term the decoder, than with neither."""
    x = mnist_test[0][:256]

    def after_steps(l1_weight: float, l2_weight: float) -> tuple[float, float]:
        variant = get_variant("sparse", l1_weight=l1_weight, l1_start_weight=l1_weight, l2_weight=l2_weight,
                              hidden_dims=(), code_threshold=0.0)  # a ReLU code: a fresh model's units fire
        model = variant.build(16, seed=0)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        for _ in range(20):
            loss, _ = variant.training_loss(model, x, torch.Generator().manual_seed(0), epoch=0.0)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            return model.encode(x).abs().mean().item(), model.decoder[-1].weight.pow(2).sum().item()

    neither_h, neither_w = after_steps(0.0, 0.0)
    l1_h, _ = after_steps(1.0, 0.0)
    _, l2_w = after_steps(0.0, 1e-2)
    assert l1_h < 0.5 * neither_h
    assert l2_w < 0.85 * neither_w  # 0.77 here; without the term it stays at 1


def test_the_sparse_code_is_a_jumprelu_exactly_zero_at_or_below_its_threshold():
    variant = get_variant("sparse", hidden_dims=())
    model = variant.build(16, seed=0)
    x = torch.rand(8, 784)
    h, z = model.encode(x), model.code_preactivation(x)
    assert model.config.encoder_activation == "jumprelu" and model.config.code_threshold == variant.code_threshold > 0
    assert torch.equal(h, torch.where(z > variant.code_threshold, z, torch.zeros_like(z)))


def test_sparse_l1_weight_eases_off_in_a_batch_sparser_than_max_zeros():
    variant = get_variant("sparse", l1_warmup_epochs=0, hidden_dims=())
    model = variant.build(100, seed=0)

    def weight_per_unit_of_h(firing: int) -> float:  # the L1 term over mean |h|, for a code with `firing` of 100 units on
        h = torch.zeros(8, 100)
        h[:, :firing] = 2.0
        return (variant.penalty(model, h, epoch=5.0)["l1_code"] / h.abs().mean()).item()

    assert variant.max_zeros == pytest.approx(0.735)
    assert weight_per_unit_of_h(40) == pytest.approx(variant.l1_weight)  # 60% zeros: the full weight
    assert weight_per_unit_of_h(27) == pytest.approx(variant.l1_weight)  # 73%: still under max_zeros
    assert variant.l1_weight / 3 < weight_per_unit_of_h(25) < weight_per_unit_of_h(26) < variant.l1_weight
    assert weight_per_unit_of_h(5) == pytest.approx(variant.l1_weight / 3)  # 95%: eased down to a third, no further


def test_sparse_l2_covers_every_decoder_layer():
    variant = get_variant("sparse", l2_weight=1.0, hidden_dims=(32,))
    model = variant.build(8, seed=0)
    _, terms = variant.training_loss(model, torch.rand(2, 784), torch.Generator(), epoch=0.0)
    expected = model.decoder[0].weight.pow(2).sum() + model.decoder[2].weight.pow(2).sum()
    assert terms["l2_decoder"].item() == pytest.approx(expected.item(), rel=1e-5)


def test_third_party_variants_load_through_the_entry_point_group(tmp_path, monkeypatch):
    """A package that declares `ae_zoo.variants` entry points adds its variants on first lookup."""
    import zoo.variants as variants

    (tmp_path / "ae_zoo_extra.py").write_text(
        "from dataclasses import dataclass\n"
        "from zoo.variants import register\n"
        "from zoo.variants.base import Variant\n\n"
        "@register('extra')\n@dataclass(frozen=True)\nclass Extra(Variant):\n    pass\n")
    dist = tmp_path / "ae_zoo_extra-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ae-zoo-extra\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[ae_zoo.variants]\nextra = ae_zoo_extra\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(variants, "_entry_points_loaded", False)
    try:
        assert "extra" in variant_names()
        assert get_variant("extra").name == "extra"
    finally:
        VARIANTS.pop("extra", None)


def test_sparse_revives_a_dead_unit_to_fire_on_its_share_of_images(mnist_test):
    variant = get_variant("sparse")
    model = variant.build(8, seed=0)
    x = mnist_test[0][:2000]
    with torch.no_grad():
        model.code_layer.bias[:] = 10.0  # every unit fires on every image (above the threshold)...
        model.code_layer.bias[3] = -1e3  # ...but unit 3, which never fires
    before = model.code_layer.bias.detach().clone()
    assert (model.encode(x)[:, 3] == 0).all()
    variant.end_of_epoch(model, x, epoch=variant.revive_until_epoch + 1)  # too late: nothing changes
    assert torch.equal(model.code_layer.bias, before)
    variant.end_of_epoch(model, x, epoch=1)
    firing = (model.encode(x)[:, 3] > variant.code_threshold).float().mean().item()
    assert abs(firing - variant.revive_fraction) < 0.01
    others = [i for i in range(8) if i != 3]
    assert torch.equal(model.code_layer.bias[others], before[others])


def test_sparse_revives_a_unit_that_all_but_never_fires_and_spares_a_rare_one(mnist_test):
    variant = get_variant("sparse")
    model = variant.build(8, seed=0)
    x = mnist_test[0][:2000]
    with torch.no_grad():
        for unit, fires_on in ((3, 1), (5, 60)):  # 0.05% of the images (under revive_below) and 3%
            z = model.code_preactivation(x)[:, unit].sort(descending=True).values
            model.code_layer.bias[unit] += variant.code_threshold - (z[fires_on - 1] + z[fires_on]) / 2
    fires_on = lambda: (model.encode(x) > 0).sum(dim=0).tolist()  # images each unit fires on
    assert fires_on()[3] == 1 and fires_on()[5] == 60
    variant.end_of_epoch(model, x, epoch=1)
    assert abs(fires_on()[3] / len(x) - variant.revive_fraction) < 0.01
    assert fires_on()[5] == 60
