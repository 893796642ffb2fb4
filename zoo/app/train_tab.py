"""The demo's Train tab: train an autoencoder live, watch it learn, keep it beside the shipped zoo.

The computation is `zoo.analysis.live`. One training runs at a time per server (others wait in Gradio's
queue, which shows them their place); a job is capped in epochs and wall time (`live.LIMITS`);
Stop ends it before the next step, keeping the last finished epoch. A kept model is written to the
user zoo (`paths.user_weights_dir()`), joins the other tabs' pickers as "<variant> (yours)", and
reaches the page as the shipped ones do (its weights, run in the page).
"""

from __future__ import annotations

import base64
import functools
import html
import inspect
import io
import threading
from dataclasses import dataclass

import gradio as gr
import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from zoo.analysis import live
from zoo.app.keys import ModelKey
from zoo.app.page_models import DemoModels
from zoo.app.pictures import digit_html
from zoo.store import checkpoint
from zoo.system import paths
from zoo.training import metrics
from zoo.variants import get_variant, variant_names

CURVES = ("train loss", "test MSE", f"MSE at noise {metrics.NOISY_AMPLITUDE:g}")


@dataclass
class Pickers:
    """What shows the demo's models elsewhere, refreshed when a model is kept."""

    zoo_page: gr.HTML  # the Zoo tab's page (its `models` prop: the models the page runs)
    explore_model: gr.Dropdown
    explore_walk: gr.CheckboxGroup


class Trainings:
    """The server's one training slot: the job running (or last run), and who started it."""

    def __init__(self):
        self.job: live.LiveTraining | None = None
        self.lock = threading.Lock()


def units_html(units: torch.Tensor, d: int) -> str:
    shown = f"the first {len(units)} of {d}" if len(units) < d else f"all {d}"
    cells = "".join(digit_html(u, f"unit {i}") for i, u in enumerate(units))
    return (f'<p class="zoo-label">What each unit draws ({shown}; grey: no change, light: more ink, dark: less)</p>'
            f'<div class="zoo-units">{cells}</div>')


def reconstructions_html(originals: torch.Tensor, reconstructions: torch.Tensor) -> str:
    cells = "".join(digit_html(x, "test digit") for x in originals)
    cells += "".join(digit_html(x, "reconstruction") for x in reconstructions)
    return ('<p class="zoo-label">Fixed test digits (top) and their reconstructions now (bottom)</p>'
            f'<div class="zoo-units" style="grid-template-columns: repeat({len(originals)}, 1fr)">{cells}</div>')


def curves_html(snapshots: list[live.Snapshot], sparse: bool = False) -> str:
    """Train loss, test MSE and MSE at noise (metrics.NOISY_AMPLITUDE) per epoch, on a log scale, as an inline PNG; for a code
    that can be exactly zero (`sparse`), also the share of zero entries on a second axis."""
    fig = Figure(figsize=(5.2, 3.0), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    epochs = [s.epoch for s in snapshots]
    for name, values in zip(CURVES, zip(*[(s.train_loss, s.test_mse, s.noisy_mse) for s in snapshots])):
        ax.plot(epochs, values, marker="o", markersize=3, label=name)
    ax.set(yscale="log", xlabel="epoch", title="Loss and error per epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if sparse and snapshots:
        right = ax.twinx()
        handles += right.plot(epochs, [100 * s.zero_fraction for s in snapshots], color="tab:purple", linestyle="--",
                              marker="s", markersize=3)
        labels.append("zero code entries (%, right)")
        right.set_ylim(0, 100)
    if snapshots:
        ax.legend(handles, labels, fontsize=8)
        ax.set_xlim(0.5, max(snapshots[0].epochs, 2) + 0.5)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img class="zoo-curves" alt="loss and error per epoch" src="data:image/png;base64,{data}">'


def status_line(s: live.Snapshot, variant: str, d: int, sparse: bool) -> str:
    line = (f"**{html.escape(variant)} d={d}: epoch {s.epoch} of {s.epochs}** ({s.seconds:.0f} s). Train loss "
            f"{s.train_loss:.5f}, test MSE {s.test_mse:.5f}, MSE at noise {metrics.NOISY_AMPLITUDE:g} {s.noisy_mse:.5f}")
    if sparse:
        line += f"; {s.zero_fraction:.1%} of code entries exactly zero, {s.dead_units} dead units"
    return line + f" (noise and sparsity on the first {live.PROBE_IMAGES:,} test images)."


@dataclass(frozen=True)
class TrainForm:
    """The form's fields: every variant's hyperparameters, one field per name, with what each means."""

    variants: tuple[str, ...]
    fields: dict[str, float]  # name -> the first variant's default that has it
    helps: dict[str, str]  # name -> its variant's field documentation

    @classmethod
    def for_registered_variants(cls) -> "TrainForm":
        names, fields, helps = variant_names(), {}, {}
        for name in names:
            for field, default in live.hyperparameters(name).items():
                fields.setdefault(field, default)
            for field, text in live.hyperparameter_help(name).items():
                helps.setdefault(field, text)
        return cls(tuple(names), fields, helps)

    @property
    def default_variant(self) -> str:
        return "sparse" if "sparse" in self.variants else self.variants[0]

    def chosen(self, variant: str, values) -> dict:
        """The values of `variant`'s own fields, by name, from every field's value in the form's order."""
        own = live.hyperparameters(variant) if variant in self.variants else {}
        return {f: v for f, v in zip(self.fields, values) if f in own}


def recipe_defaults(variant: str) -> tuple[int, float, dict]:
    """(epochs, learning rate, hyperparameters) of the variant's shipped recipe."""
    config = get_variant(variant).default_train_config
    return min(config.epochs, live.LIMITS.max_epochs), config.learning_rate, live.hyperparameters(variant)


def form_for(form: TrainForm, variant: str) -> list:
    """The form for another variant: its recipe's values, its own fields shown, the rest hidden."""
    epoch_count, rate, own = recipe_defaults(variant)
    return [gr.Number(value=epoch_count), gr.Number(value=rate),
            *[gr.Number(value=own.get(field, default), visible=field in own) for field, default in form.fields.items()]]


def _owned_by_someone_else(job: live.LiveTraining, request: gr.Request) -> bool:
    return request is not None and bool(job.owner) and job.owner != request.session_hash


def stop_training(trainings: Trainings, request: gr.Request) -> str:
    """Stop the running job, if the person asking started it."""
    job = trainings.job
    if job is None or job.done.is_set():
        return "Nothing is training."
    if _owned_by_someone_else(job, request):
        raise gr.Error("Someone else's training is running; only they can stop it.", print_exception=False)
    job.stop()
    return "Stopping after the current step; the last finished epoch is kept."


def keep_training(trainings: Trainings, models: DemoModels, explore_walk, request: gr.Request):
    """Keep the last job's model in the user zoo and add it to the demo's models: (message, the refreshed pickers)."""
    job = trainings.job
    if job is None:
        raise gr.Error("Train a model first.", print_exception=False)
    if _owned_by_someone_else(job, request):
        raise gr.Error("That model is someone else's training.", print_exception=False)
    try:
        card = job.keep()
    except ValueError as e:
        raise gr.Error(str(e), print_exception=False) from None
    key = ModelKey(card["variant"], card["latent_dim"], user=True)
    weights_dir = paths.user_weights_dir()
    model, _ = checkpoint.load(weights_dir, key.variant, key.latent_dim)
    models.add_file(key, model, checkpoint.paths(weights_dir, key.variant, key.latent_dim)[0])
    choices = [(k.label, k.id) for k in models]
    message = (f"Kept **{key.label}** (test MSE {card['metrics']['test_mse']:.5f}, {card['epochs']} epochs) in "
               f"`{weights_dir}`. It now runs in the Zoo tab (row *{key.row}*) and is in Explore.")
    return (message, gr.HTML(models=models.manifest()), gr.Dropdown(choices=choices),
            gr.CheckboxGroup(choices=choices, value=sorted(set(explore_walk or []) | {key.id})))


def start_training(trainings: Trainings, form: TrainForm, digits, owner: str, variant_name, d, epoch_count, rate,
                   *field_values) -> tuple[live.LiveTraining, int]:
    """Check the settings (a one-line gr.Error if they are refused), start the job in the server's slot."""
    try:
        spec, d, config = live.settings(str(variant_name), d, epoch_count, rate, form.chosen(str(variant_name), field_values))
    except ValueError as e:
        raise gr.Error(str(e), print_exception=False) from None
    from zoo.data import load_mnist  # here, not at import: the demo starts without the training images

    train_x, _ = load_mnist("train")
    job = live.LiveTraining(spec, d, config, train_x, digits.all()[0], owner=owner)
    with trainings.lock:
        trainings.job = job
    return job.start(), d


def live_view(job: live.LiveTraining, d: int, shown: torch.Tensor):
    """(status, curves, reconstructions, units, kept) after every epoch, then the closing line."""
    name, zeros = job.variant.name, job.variant.model_config(d).sparse_code  # a code that can be exactly zero
    yield f"**{name} d={d}: training...** (the first epoch's numbers come after it ends)", curves_html([]), "", "", ""
    seen = []
    for snap in job.snapshots():
        seen.append(snap)
        yield (status_line(snap, name, d, zeros), curves_html(seen, zeros),
               reconstructions_html(shown, snap.reconstructions), units_html(snap.units, d), "")
    if job.error:
        raise gr.Error(job.error, print_exception=False)
    ending = job.stopped_by.phrase if job.stopped_by else "finished"
    last = status_line(seen[-1], name, d, zeros) if seen else f"**{name} d={d}**: no epoch finished."
    yield (last + f" **Training {ending}** after {len(seen)} epoch(s), {job.seconds:.0f} s"
           + (": press *Keep this model* to add it to your zoo." if seen else "."),
           curves_html(seen, zeros), gr.skip(), gr.skip(), "")


def api_signature(form: TrainForm) -> inspect.Signature:
    """/train's parameters named after the form's fields (Gradio reads them off the handler), not param_4, ..."""
    named = [("request", gr.Request), ("variant", str), ("d", int), ("epochs", int), ("learning_rate", float)]
    named += [(field, float) for field in form.fields]
    return inspect.Signature([inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=kind)
                              for name, kind in named])


@dataclass
class TrainFormComponents:
    variant: gr.Dropdown
    latent_dim: gr.Number
    epochs: gr.Number
    learning_rate: gr.Number
    values: list[gr.Number]  # one per TrainForm.fields, in order

    @property
    def inputs(self) -> list:
        return [self.variant, self.latent_dim, self.epochs, self.learning_rate, *self.values]


def train_form_layout(form: TrainForm) -> TrainFormComponents:
    """The form's rows: variant, d, epochs, learning rate; then every hyperparameter (the variant's own shown)."""
    epoch_count, rate, own = recipe_defaults(form.default_variant)
    with gr.Row():
        variant = gr.Dropdown(list(form.variants), value=form.default_variant, label="Variant", elem_id="train-variant")
        latent_dim = gr.Number(value=32, precision=0, minimum=1, maximum=live.LIMITS.max_latent_dim,
                               label="d (code size)", elem_id="train-d")
        epochs = gr.Number(value=epoch_count, precision=0, minimum=1, maximum=live.LIMITS.max_epochs,
                           label="Epochs", elem_id="train-epochs")
        learning_rate = gr.Number(value=rate, label="Peak learning rate", elem_id="train-lr")
    with gr.Row():
        values = [gr.Number(value=own.get(field, default), visible=field in own, label=field,
                            info=form.helps[field] or None, elem_id=f"train-{field}")
                  for field, default in form.fields.items()]
    return TrainFormComponents(variant, latent_dim, epochs, learning_rate, values)


def build_train_tab(models: DemoModels, digits, pickers: Pickers, trainings: Trainings | None = None) -> None:
    """The Train tab, inside a gr.Blocks. A kept model is added to `models`."""
    trainings, form = trainings or Trainings(), TrainForm.for_registered_variants()
    with gr.Tab("Train", id="train"):
        gr.Markdown("Train your own autoencoder on MNIST's 60,000 training images and watch it learn. Every "
                    "setting starts at the shipped recipe's value. One training runs at a time on this server "
                    f"(others wait their turn); at most {live.LIMITS.max_epochs} epochs and "
                    f"{live.LIMITS.max_seconds:.0f} s each. **Keep** saves it to your zoo: it then appears in "
                    "the Zoo and Explore tabs as *variant (yours)*.")
        shown = train_form_layout(form)
        with gr.Row():
            start = gr.Button("Train", variant="primary", elem_id="train-start")
            stop = gr.Button("Stop", elem_id="train-stop")
            keep = gr.Button("Keep this model", elem_id="train-keep")
        status = gr.Markdown("", elem_id="train-status")
        with gr.Row():
            curves = gr.HTML(curves_html([]), elem_id="train-curves")
            pictures = gr.HTML(elem_id="train-reconstructions")
        units = gr.HTML(elem_id="train-units")
        kept = gr.Markdown("", elem_id="train-kept")

    def run(request: gr.Request, *settings):
        """Train with these settings; yields the live view after every epoch."""
        job, d = start_training(trainings, form, digits, request.session_hash if request else "", *settings)
        yield from live_view(job, d, digits.all()[0][:live.SHOWN_DIGITS])

    run.__signature__ = api_signature(form)
    private = {"api_visibility": "private"}
    shown.variant.change(functools.partial(form_for, form), shown.variant,
                         [shown.epochs, shown.learning_rate, *shown.values], **private)
    # One training at a time per server: a second person's Train waits in the queue (Gradio shows its place).
    start.click(run, shown.inputs, [status, curves, pictures, units, kept],
                api_name="train", concurrency_limit=1, concurrency_id="train")
    stop.click(functools.partial(stop_training, trainings), None, kept, concurrency_limit=None, **private)
    keep.click(functools.partial(keep_training, trainings, models), [pickers.explore_walk],
               [kept, pickers.zoo_page, pickers.explore_model, pickers.explore_walk], **private)
