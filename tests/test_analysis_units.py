"""zoo.analysis.units: firing, selectivity, the digits that drive a unit and units alike, against hand-made codes and
a shipped model on real MNIST."""

import pytest
import torch

import registry
from zoo.analysis import units
from zoo.model import AutoEncoder, ModelConfig


def table_of(codes, labels, drawings=None):
    d = codes.shape[1]
    model = AutoEncoder(ModelConfig(latent_dim=d))
    table = units.UnitTable.build(model, torch.rand(len(codes), 784), labels, codes)
    return table


def test_firing_flags_and_class_selectivity_follow_their_definitions():
    labels = torch.arange(1000) % 10
    codes = torch.zeros(1000, 5)
    codes[labels == 3, 0] = 2.0  # fires on the 3s only: selectivity 1
    codes[:, 1] = 1.0 + (torch.arange(1000) % 7)  # every class alike, always on: dense, selectivity ~0
    codes[:, 3] = torch.where(labels < 5, 1.0, 3.0)  # a linear unit above its median on the 5-9s
    codes[[3, 13, 23, 33, 43], 4] = 1.0  # fires on five 3s, 0.5% of the images: rare
    table = table_of(codes, labels)
    assert table.firing.tolist() == pytest.approx([0.1, 1.0, 0.0, 1.0, 0.005])
    assert table.dead.tolist() == [False, False, True, False, False]
    assert table.dense.tolist() == [False, True, False, True, False] and table.rare.tolist() == [False] * 4 + [True]
    assert float(table.selectivity[4]) == pytest.approx(1.0) and not bool(table.selective[4])  # rare: selective by accident
    assert table.selectivity[0] == pytest.approx(1.0) and int(table.top_class[0]) == 3 and bool(table.selective[0])
    assert float(table.selectivity[1]) < 0.1 and not bool(table.selective[1])
    assert float(table.selectivity[2]) == 0.0  # a dead unit drives nothing
    # 3.0 - median 1.0 = 2 on the 5-9s, 0 on the rest: m_top 2, m_rest (4 x 2) / 9
    assert table.selectivity[3] == pytest.approx((2 - 8 / 9) / (2 + 8 / 9), abs=1e-5)
    assert table.order("firing")[:2] == [1, 3] and table.order("selectivity")[0] == 0 and table.order("unit") == [0, 1, 2, 3, 4]


def test_top_digits_near_median_and_histogram_of_a_unit():
    labels = torch.arange(100) % 10
    codes = torch.zeros(100, 1)
    codes[:50, 0] = torch.arange(1, 51, dtype=torch.float32)  # fires on the first 50, with values 1..50
    table = table_of(codes, labels)
    assert table.top(0, 3).tolist() == [49, 48, 47]
    assert table.near_median(0, 1).tolist() == [24]  # torch's median of 1..50 is the lower middle value, 25
    assert sorted(table.near_median(0, 3).tolist()) == [23, 24, 25]
    edges, counts, zeros = table.histogram(0, bins=5)
    assert zeros == 50 and sum(counts) == 50 and edges[0] == 1 and edges[-1] == 50 and len(counts) == 5
    dead = table_of(torch.zeros(10, 1), labels[:10])
    assert dead.near_median(0).tolist() == [] and dead.histogram(0) == ([], [], 10)


def test_a_unit_finds_its_twin_in_another_model():
    """Two models whose decoders draw the same pictures in another order: each unit's most alike is its twin."""
    first = AutoEncoder(ModelConfig(latent_dim=6))
    second = AutoEncoder(ModelConfig(latent_dim=6))
    order = torch.tensor([3, 0, 5, 1, 4, 2])
    with torch.no_grad():
        second.decoder_weight.copy_(-first.decoder_weight[:, order])
    x, labels = torch.rand(50, 784), torch.arange(50) % 10
    tables = {"a": units.UnitTable.build(first, x, labels), "b": units.UnitTable.build(second, x, labels)}
    for unit in range(6):
        (other, twin, cosine), = units.most_alike(tables, "a", unit)
        assert other == "b" and int(order[twin]) == unit and cosine == pytest.approx(-1.0, abs=1e-5)


def test_a_shipped_sparse_model_on_real_mnist(mnist_test):
    x, y = mnist_test
    table = units.UnitTable.build(registry.get("sparse", d=16), x, y)
    assert not table.dead.any() and not table.dense.any()  # the README's claim: sparse d=16 has no dead unit
    assert 0.2 < float(table.firing.mean()) < 0.5  # its card: 50-80% of a code is zero
    top = table.top(0)
    assert torch.equal(table.codes[top, 0], table.codes[:, 0].sort(descending=True).values[:units.TOP])
