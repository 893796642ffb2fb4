"""zoo.lab.probes: a linear classifier learns digits from few labels and cannot learn shuffled ones."""

import torch

from zoo.lab import measures, probes


def test_linear_probe_learns_digits_and_cannot_learn_noise(small):
    train_x, train_y, test_x, test_y = small
    few = measures.labelled_subset(train_y, 50)
    real = probes.linear_probe(train_x[few], train_y[few], test_x, test_y, max_iter=20)
    assert real["accuracy"] > 0.7 and real["l2_weight"] in (1e-4, 1e-3, 1e-2)
    shuffled = train_y[few][torch.randperm(len(few), generator=torch.Generator().manual_seed(0))]
    chance = probes.linear_probe(train_x[few], shuffled, test_x, test_y, max_iter=20)
    assert chance["accuracy"] < 0.25


def test_probe_table_has_pixels_pca_and_every_model(plain_model, small):
    train_x, train_y, test_x, test_y = small
    rows = probes.probe_table({("plain", 16): plain_model}, train_x, train_y, test_x, test_y, per_class=20, max_iter=5)
    assert [r["features"] for r in rows] == ["raw pixels", "PCA d=16", "plain d=16"]
    assert [r["dim"] for r in rows] == [784, 16, 16]
    assert all(0.1 < r["accuracy_few"] <= r["accuracy_all"] + 0.05 for r in rows)
