"""The small models the lab trains itself, outside the zoo (nothing is written to weights/): the course's
single-layer model and the sparse trade-off, trained side by side (zoo.training.workers)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from zoo.model import AutoEncoder
from zoo.training import metrics, workers
from zoo.training.config import TrainConfig
from zoo.training.engine import train
from zoo.variants import get_variant

# The key under which the report files the course's single-layer model (784 -> d -> 784, plain loss).
COURSE = "course"


@dataclasses.dataclass(frozen=True)
class ExtraModel:
    """A small model outside the zoo, trained by the report: a variant with some hyperparameters changed."""

    variant: str
    latent_dim: int
    epochs: int
    seed: int = 0
    hyperparameters: tuple[tuple[str, object], ...] = ()  # (name, value) pairs, so that a job can key a dict

    def settings(self) -> dict:
        return dict(self.hyperparameters)


def train_extra_model(
    variant: str, latent_dim: int, train_x: torch.Tensor, test_x: torch.Tensor, *, epochs: int, seed: int = 0,
    progress: bool = False, **hyperparameters,
) -> AutoEncoder:
    """Train a small model outside the zoo (nothing is written): the variant with some hyperparameters changed.

    Always on the CPU: CUDA kernels round differently, and the committed report must come out the
    same wherever it is regenerated.
    """
    spec = get_variant(variant, **hyperparameters)
    model = spec.build(latent_dim, seed=seed)
    train(model, spec, train_x, test_x, TrainConfig(epochs=epochs, seed=seed), device="cpu", progress=progress,
          description=f"{variant} d={latent_dim} (extra)")
    return model


def train_extra_models(jobs: list[ExtraModel], train_x: torch.Tensor, test_x: torch.Tensor, *,
                       progress: bool = False) -> dict[ExtraModel, AutoEncoder]:
    """Train every job as `train_extra_model` does, side by side: one one-thread worker process per core.

    One thread each wherever it runs, so a machine with more cores gets the same models sooner
    (a matrix product rounds by how its sums are split between threads).
    """
    count, _ = workers.plan(len(jobs))
    # The images go to the workers in a file, not in their arguments, so that the workers start together.
    with tempfile.TemporaryDirectory(prefix="ae-zoo-extra-") as folder:
        data = Path(folder) / "images.safetensors"
        save_file({"train_x": train_x.contiguous(), "test_x": test_x.contiguous()}, data)
        return dict(workers.side_by_side(_train_in_worker, jobs, workers=count, threads=1, setup=load_file,
                                         setup_args=(str(data),), epochs=sum(job.epochs for job in jobs),
                                         progress=progress, description=f"{len(jobs)} extra models"))


def _train_in_worker(job: ExtraModel) -> AutoEncoder:
    spec = get_variant(job.variant, **job.settings())
    model = spec.build(job.latent_dim, seed=job.seed)
    train(model, spec, workers.state["train_x"], workers.state["test_x"], TrainConfig(epochs=job.epochs, seed=job.seed),
          device="cpu", progress=False, on_epoch=workers.epoch_done)
    return model


def scaled_sparse_schedule(epochs: int) -> dict[str, float]:
    """The shipped sparse variant's L1 ramp and revival window, scaled from its epochs to `epochs`."""
    shipped = get_variant("sparse")
    scale = epochs / shipped.default_train_config.epochs
    return {"l1_warmup_epochs": shipped.l1_warmup_epochs * scale,
            "revive_until_epoch": int(shipped.revive_until_epoch * scale)}


def tradeoff_jobs(l1_weights, *, latent_dim: int, epochs: int, seed: int = 0, **hyperparameters) -> list[ExtraModel]:
    """Small sparse models, one per l1_weight, on the shipped schedule scaled to `epochs`, the L1 weight never eased.

    `hyperparameters` change the sparse variant's other defaults (hidden_dims=() is the course's model).
    """
    schedule = scaled_sparse_schedule(epochs)
    shipped = get_variant("sparse")
    # The ramp starts at the shipped share of the final weight, and the weight is never eased (max_zeros 1):
    # the trade-off is l1_weight's alone.
    return [ExtraModel("sparse", latent_dim, epochs, seed, tuple(sorted({
        "l1_weight": l1, "l1_start_weight": l1 * shipped.l1_start_weight / shipped.l1_weight, "max_zeros": 1.0,
        **schedule, **hyperparameters}.items()))) for l1 in l1_weights]


def tradeoff_rows(trained: dict[ExtraModel, AutoEncoder], jobs: list[ExtraModel], test_x: torch.Tensor) -> list[dict]:
    """Test MSE and code sparsity of each trade-off job's trained model, in the jobs' order."""
    return [{"l1_weight": job.settings()["l1_weight"], "mse": metrics.reconstruction_mse(trained[job], test_x),
             **metrics.code_sparsity(trained[job], test_x)} for job in jobs]


def sparse_tradeoff(train_x: torch.Tensor, test_x: torch.Tensor, l1_weights, *, latent_dim: int, epochs: int,
                    seed: int = 0, progress: bool = False, **hyperparameters) -> list[dict]:
    """The trade-off's models (`tradeoff_jobs`) trained side by side: MSE and sparsity per l1_weight."""
    jobs = tradeoff_jobs(l1_weights, latent_dim=latent_dim, epochs=epochs, seed=seed, **hyperparameters)
    return tradeoff_rows(train_extra_models(jobs, train_x, test_x, progress=progress), jobs, test_x)


def course_jobs(latent_dims, *, epochs: int, seed: int = 0) -> dict[int, ExtraModel]:
    """The course's single-layer model (784 -> d -> 784, plain) for each d."""
    return {d: ExtraModel("plain", d, epochs, seed, (("hidden_dims", ()),)) for d in sorted(latent_dims)}
