"""A model card people can read: the JSON card rendered as Markdown in the Hugging Face convention.

YAML front matter (library, tags, dataset, metrics as model-index results) above a plain-language
card: what the model is, how it was trained, its numbers, how to load it. Generated on demand
from the JSON card `python train_all.py` wrote; nothing is fetched.
"""

from __future__ import annotations

import json

from zoo.model import INPUT_DIM
from zoo.training.metrics import NOISY_AMPLITUDE, noise_key


def _layers(card: dict) -> str:
    model = card["model_config"]
    encoder = [INPUT_DIM, *model["hidden_dims"], model["latent_dim"]]
    decoder = model["decoder_hidden_dims"] if model["decoder_hidden_dims"] is not None else model["hidden_dims"][::-1]
    return " -> ".join(map(str, encoder + list(decoder) + [INPUT_DIM]))


def _hidden(card: dict) -> str:
    model = card["model_config"]
    if not model["hidden_dims"]:
        return "no hidden layers"
    norm = "" if model.get("hidden_norm", "none") == "none" else f"{model['hidden_norm']} norm, then "
    return f"{norm}{model.get('hidden_activation', 'relu')} after each hidden layer"


def _optimiser(train: dict) -> str:
    return f"AdamW (weight decay {train['weight_decay']:g})" if train.get("weight_decay") else "Adam"


def augmentation(card: dict) -> str:
    """How the card's training images were moved, "" if they were not (the card's text and the lab report)."""
    shift = card["train_config"].get("shift_pixels", 0)  # cards written before the option have none
    return f"training images moved up to {shift} pixel(s)" if shift else ""


def _moved(card: dict) -> str:
    return (f" Data augmentation: {augmentation(card)} on each axis, each image its own offset drawn afresh every "
            "epoch; the test images are as published." if augmentation(card) else "")


def markdown(card: dict) -> str:
    """The Markdown model card for a JSON model card (as checkpoint.read_card returns it)."""
    name, d, m = card["variant"], card["latent_dim"], card["metrics"]
    model_id, noisy = f"{name}-d{d}", noise_key(NOISY_AMPLITUDE)
    metrics = [("test_mse", "Test MSE per pixel (10,000 MNIST test images)", m["test_mse"]),
               (f"test_mse_noise_{noisy}", f"Test MSE against the clean image, white noise {noisy}", m["noisy_test_mse"][noisy]),
               ("zero_fraction", "Share of code entries exactly zero", m["zero_fraction"]),
               ("dead_units", "Code units never active on the test set", m["dead_units"])]
    front = ["---", "library_name: pytorch", "license: other", "tags:", "- autoencoder", f"- {name}-autoencoder",
             "- mnist", "- ae-zoo", "datasets:", "- mnist", "metrics:", "- mse", "model-index:",
             f"- name: {model_id}", "  results:", "  - task:", "      type: image-to-image",
             "      name: Reconstruction", "    dataset:", "      type: mnist", "      name: MNIST", "      split: test",
             "    metrics:"]
    for key, label, value in metrics:
        front += [f"    - type: {key}", f"      name: {label}", f"      value: {value:.6g}"]
    front.append("---")
    train = card["train_config"]
    noisy = ", ".join(f"{a}: {v:.5f}" for a, v in m["noisy_test_mse"].items())
    body = f"""
# AE Zoo {model_id}

A {name} autoencoder for 28x28 MNIST digits: {card["description"]}. The encoder maps an image
(784 pixels in [0, 1]) to a code h of d = {d} numbers; the decoder maps h back to an image.
Layers: {_layers(card)} ({card["parameter_count"]:,} parameters; {_hidden(card)},
code activation `{card["model_config"]["encoder_activation"]}`, sigmoid output).

## Training

{card["epochs"]} epochs on the 60,000 MNIST training images (sha256 of the data `{card["data_sha256"][:16]}...`),
{_optimiser(train)} with a one-cycle schedule peaking at {train["learning_rate"]:g}, batch {train["batch_size"]}, seed {card["seed"]},
on {card["device"]} ({card.get("threads", "?")} thread(s)) in {card["training_seconds"]:.0f} s; matrix products in
{card.get("precision", train.get("precision", "float32"))}, weights and optimiser in float32. Variant settings:
`{json.dumps(card["variant_config"], sort_keys=True)}`. Command: `{card["command"]}`; recipe id
`{card["recipe_id"]}`; versions: {", ".join(f"{k} {v}" for k, v in card["versions"].items())}.{_moved(card)}

## Results on the 10,000 MNIST test images

| metric | value |
|---|---|
| test MSE per pixel | {m["test_mse"]:.5f} |
| code entries exactly zero | {m["zero_fraction"]:.1%} |
| active code units per image | {m["active_units_per_image"]:.1f} of {d} |
| dead code units | {m["dead_units"]} |

MSE against the clean image when white noise of each amplitude is added to the input: {noisy}.

## How to load it

```python
from zoo import registry
model = registry.get_model("{model_id}")     # weights checked against this card's sha256
x = registry.preprocess(drawing)             # a drawing -> (784,) in [0, 1], centred like MNIST
h = model.encode(x[None])                    # (1, {d})
x_hat = model.decode(h)                      # (1, 784)
```

Or `torch.hub.load("<path to an AE Zoo checkout>", "{name}", d={d}, source="local")`.
Weights: `{card["weights_file"]}` (safetensors, sha256 `{card["weights_sha256"][:16]}...`).
"""
    return "\n".join(front) + "\n" + body
