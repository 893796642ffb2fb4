"""zoo.lab.experiments: the lab's own models, side by side equal to one by one; the trade-off's direction."""

import pytest
import torch

from zoo.lab import experiments
from zoo.variants import get_variant


def test_extra_models_side_by_side_are_those_trained_one_by_one_on_one_thread(small):
    train_x, _, test_x, _ = small
    jobs = [experiments.ExtraModel("plain", 8, 1, seed=3, hyperparameters=(("hidden_dims", ()),)),
            *experiments.tradeoff_jobs((2e-2,), latent_dim=8, epochs=1, seed=3)]
    trained = experiments.train_extra_models(jobs, train_x[:2000], test_x[:500])
    assert set(trained) == set(jobs)
    saved = torch.get_num_threads()
    torch.set_num_threads(1)  # the workers' thread count: sums round by how they are split between threads
    try:
        for job in jobs:
            alone = experiments.train_extra_model(job.variant, job.latent_dim, train_x[:2000], test_x[:500],
                                               epochs=job.epochs, seed=job.seed, **job.settings())
            for (name, a), b in zip(alone.state_dict().items(), trained[job].state_dict().values()):
                assert torch.equal(a, b), f"{job}: {name}"
    finally:
        torch.set_num_threads(saved)
    assert trained[jobs[1]].config.hidden_dims == (256,) != trained[jobs[0]].config.hidden_dims


def test_sparse_tradeoff_gets_sparser_as_l1_grows(small):
    train_x, _, test_x, _ = small
    rows = experiments.sparse_tradeoff(train_x, test_x, (0.0, 3e-2), latent_dim=16, epochs=2)
    assert [r["l1_weight"] for r in rows] == [0.0, 3e-2]
    assert rows[1]["zero_fraction"] > rows[0]["zero_fraction"] + 0.1


def test_the_tradeoff_ramps_each_l1_weight_from_the_shipped_share_of_it_and_never_eases_it():
    none, some = (job.settings() for job in experiments.tradeoff_jobs((0.0, 6e-3), latent_dim=8, epochs=4))
    assert none["l1_start_weight"] == 0.0  # l1_weight 0: no L1 term at any epoch
    shipped = get_variant("sparse")
    assert some["l1_start_weight"] / 6e-3 == pytest.approx(shipped.l1_start_weight / shipped.l1_weight)
    assert none["max_zeros"] == some["max_zeros"] == 1.0
