"""One model trained live, for the demo's Train tab: its settings checked, its progress as a snapshot per epoch.

The computation only (no Gradio): `settings` turns a form into a variant and a TrainConfig or says
in one line what is wrong; `LiveTraining` runs the engine in a background thread with a stop flag
and a time limit, and puts a `Snapshot` on a queue after every epoch; `keep` writes the result as a
user-trained model (safetensors + card) into the user zoo (`paths.user_weights_dir()`), never
into the shipped weights/.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from zoo.analysis import explore
from zoo.model import INPUT_DIM, AutoEncoder
from zoo.store import checkpoint, recipe
from zoo.system import paths
from zoo.training import metrics
from zoo.training.config import TrainConfig
from zoo.training.engine import NonFiniteLossError, train
from zoo.variants import get_variant, variant_names
from zoo.variants.base import Variant

PROBE_IMAGES = 2000  # test images behind the live metrics (the first 2,000: the same every epoch)
SHOWN_DIGITS = 8  # test digits whose reconstructions the live view shows


@dataclass(frozen=True)
class Limits:
    """What one job on a shared server may ask for."""

    max_latent_dim: int = 256
    max_epochs: int = 30
    max_seconds: float = 120.0  # wall time per job; training stops at the epoch it is in, keeping the last one done
    max_learning_rate: float = 0.1


LIMITS = Limits()


def hyperparameters(variant: str) -> dict[str, int | float]:
    """The variant's own numeric hyperparameters and their defaults: the fields its dataclass adds to Variant.

    A plugin variant gets its form from this too.
    """
    shared = {f.name for f in dataclasses.fields(Variant)}
    spec = get_variant(variant)
    return {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec)
            if f.name not in shared and isinstance(getattr(spec, f.name), (int, float))
            and not isinstance(getattr(spec, f.name), bool)}


def hyperparameter_help(variant: str) -> dict[str, str]:
    """What each of `hyperparameters(variant)` means, from the variant's own field documentation ("" if it has none)."""
    own = hyperparameters(variant)
    return {f.name: f.metadata.get("help", "") for f in dataclasses.fields(get_variant(variant)) if f.name in own}


def settings(variant: str, latent_dim, epochs, learning_rate, values: dict, limits: Limits = LIMITS
             ) -> tuple[Variant, int, TrainConfig]:
    """(variant, d, config) for a form's values, or ValueError with a one-line message for a person."""
    if variant not in variant_names():
        raise ValueError(f"Unknown variant {variant!r}; registered: {', '.join(variant_names())}.")
    d = _whole(latent_dim, "d", 1, limits.max_latent_dim)
    count = _whole(epochs, "Epochs", 1, limits.max_epochs)
    rate = _number(learning_rate, "Learning rate")
    if not 0 < rate <= limits.max_learning_rate:
        raise ValueError(f"Learning rate must be above 0 and at most {limits.max_learning_rate:g}, got {learning_rate}.")
    defaults = hyperparameters(variant)
    unknown = sorted(set(values) - set(defaults))
    if unknown:
        raise ValueError(f"{variant} has no hyperparameter {', '.join(unknown)}; it has {', '.join(defaults)}.")
    chosen = {}
    for name, value in values.items():
        number = _number(value, name)
        if number < 0:
            raise ValueError(f"{name} must not be negative, got {value}.")
        if isinstance(defaults[name], int):
            number = _whole(value, name, 0, 10**9)
        chosen[name] = number
    try:
        spec = get_variant(variant, **chosen)
        spec.model_config(d)  # the architecture's own checks (a threshold, a width)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{variant}: {e}") from None
    config = dataclasses.replace(spec.default_train_config, epochs=count, learning_rate=rate)
    return spec, d, config


def _number(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {value!r}.") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {value}.")
    return number


def _whole(value, what: str, low: int, high: int) -> int:
    number = _number(value, what)
    if number != int(number) or not low <= number <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, got {value}.")
    return int(number)


@dataclass(frozen=True)
class Snapshot:
    """The live view after one epoch."""

    epoch: int
    epochs: int
    seconds: float  # since the job started
    train_loss: float
    test_mse: float  # the engine's, on every test image
    noisy_mse: float  # at metrics.NOISY_AMPLITUDE, on the first PROBE_IMAGES test images
    zero_fraction: float  # of code entries, on those images
    dead_units: int  # units never active on those images
    units: torch.Tensor  # (min(d, 64), 784) what each unit draws, scaled to [0, 1] (0.5: no change)
    reconstructions: torch.Tensor  # (SHOWN_DIGITS, 784)


def snapshot(model: AutoEncoder, row: dict, epochs: int, seconds: float, probe_x: torch.Tensor) -> Snapshot:
    """The live view's numbers and pictures for `model` after the epoch in `row` (the engine's history row)."""
    sparsity = metrics.code_sparsity(model, probe_x)
    units = explore.unit_images(model, probe_x)[:64].reshape(-1, INPUT_DIM)
    scale = units.abs().amax(dim=1, keepdim=True).clamp(min=1e-8)
    return Snapshot(epoch=int(row["epoch"]), epochs=epochs, seconds=seconds, train_loss=row["train_loss"],
                    test_mse=row["test_mse"], noisy_mse=metrics.noisy_mse(model, probe_x, metrics.NOISY_AMPLITUDE),
                    zero_fraction=sparsity["zero_fraction"], dead_units=sparsity["dead_units"],
                    units=0.5 + 0.5 * units / scale, reconstructions=metrics.reconstruct(model, probe_x[:SHOWN_DIGITS]))


class StopReason(enum.StrEnum):
    """Why a job ended before its last epoch; the value is what a kept model's card records."""

    PERSON = "person"  # stop() was called: the person pressed Stop
    TIME_LIMIT = "time_limit"  # Limits.max_seconds ran out

    @property
    def phrase(self) -> str:
        return {StopReason.PERSON: "stopped by you", StopReason.TIME_LIMIT: "stopped by the time limit"}[self]


@dataclass
class LiveTraining:
    """One job: the engine in a background thread, a Snapshot on `updates` after each epoch.

    `stop()` ends it before the next step, keeping the last finished epoch; so does the time limit.
    When the thread ends, `done` is set and `error` holds a one-line message if training failed.
    """

    variant: Variant
    latent_dim: int
    config: TrainConfig
    train_x: torch.Tensor
    test_x: torch.Tensor
    limits: Limits = LIMITS
    owner: str = ""  # who started it (a session), so only they can stop it
    model: AutoEncoder | None = None
    history: list[dict] = field(default_factory=list)
    updates: queue.Queue = field(default_factory=queue.Queue)
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None
    stopped_by: StopReason | None = None  # None: it ran every epoch (or failed)
    seconds: float = 0.0
    precision: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> "LiveTraining":
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopped_by = self.stopped_by or StopReason.PERSON
        self._stop.set()

    def _should_stop(self, started: float) -> bool:
        if not self._stop.is_set() and time.perf_counter() - started > self.limits.max_seconds:
            self.stopped_by = StopReason.TIME_LIMIT
            self._stop.set()
        return self._stop.is_set()

    def _run(self) -> None:
        started = time.perf_counter()
        probe_x = self.test_x[:PROBE_IMAGES]
        try:
            self.model = self.variant.build(self.latent_dim, seed=self.config.seed)

            def on_epoch(row):
                self.history.append(row)
                self.updates.put(snapshot(self.model, row, self.config.epochs, time.perf_counter() - started, probe_x))

            result = train(self.model, self.variant, self.train_x, self.test_x, self.config, device="cpu",
                           progress=False, on_epoch=on_epoch, stop=lambda: self._should_stop(started))
            self.precision = result.precision
        except NonFiniteLossError as e:
            self.error = str(e)
        except Exception as e:  # noqa: BLE001 - the person gets one line; the server keeps running
            self.error = f"training failed: {type(e).__name__}: {e}"
        finally:
            self.seconds = time.perf_counter() - started
            self.done.set()
            self.updates.put(None)  # wakes whoever waits on the queue

    def snapshots(self, poll: float = 0.5):
        """Each Snapshot as it comes, until the job ends."""
        while True:
            try:
                item = self.updates.get(timeout=poll)
            except queue.Empty:
                continue
            if item is None:
                return
            yield item

    def keep(self, weights_dir: Path | None = None) -> dict:
        """Write the trained model and its card (marked user-trained) into the user zoo; return the card.

        Needs at least one finished epoch. A model kept earlier with the same variant and d is replaced.
        """
        if not self.done.is_set():
            raise ValueError("Still training: stop it or wait for the last epoch, then keep it.")
        if self.model is None or not self.history:
            raise ValueError("Nothing to keep: no epoch finished.")
        weights_dir = Path(weights_dir) if weights_dir is not None else paths.user_weights_dir()
        made_from = recipe.spec(self.variant, self.latent_dim, self.config)  # the schedule ran over config.epochs
        card = {
            **made_from,
            "recipe_id": recipe.recipe_id(made_from),
            "user_trained": True,
            "description": self.variant.description,
            "seed": self.config.seed,
            "epochs": len(self.history),  # finished; train_config.epochs is what was asked
            "stopped_by": self.stopped_by,
            "training_seconds": round(self.seconds, 2),
            "device": "cpu",
            "precision": self.precision,
            "threads": torch.get_num_threads(),
            "parameter_count": sum(p.numel() for p in self.model.parameters()),
            "metrics": metrics.evaluate(self.model, self.test_x, seed=self.config.seed),
            "history": [{k: round(v, 6) for k, v in row.items()} for row in self.history],
            "versions": recipe.versions(),
            "command": "the demo's Train tab",
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        checkpoint.save(self.model, card, weights_dir)
        return card
