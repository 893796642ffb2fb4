"""What a person or an API caller may send, checked: each refusal is one line (gr.Error), never a traceback."""

from __future__ import annotations

import inspect
import io
import math
from collections.abc import Callable, Iterable

import gradio as gr
import torch
from PIL import Image

from zoo.app.keys import ModelKey
from zoo.model import INPUT_DIM

MAX_SIDE = 2048  # pixels: a larger upload is refused from its header, before decoding (6000x6000 cost 2.8 s)
MAX_FILE_SIZE = "5mb"  # Gradio refuses larger uploads (the demo passes it to launch)
MAX_SEED = 2**32 - 1  # noise seeds 0..MAX_SEED: what torch.Generator takes, and exact in a browser's numbers
MAX_CODE = 1e6  # |a code entry| at most: beyond, float32 products overflow and a decoded picture is NaN


def refuse(message: str) -> gr.Error:
    """The one-line error a person or an API caller sees (no traceback in the server's log either)."""
    return gr.Error(message, print_exception=False)


def check_image(file: str | bytes) -> None:
    """Raise gr.Error unless `file` (a path, or the file's bytes) is an image of at most MAX_SIDE pixels a side;
    reads only its header."""
    source = io.BytesIO(file) if isinstance(file, bytes) else file
    try:
        with Image.open(source) as image:
            width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        raise refuse("That file is not an image the demo can read (PNG, JPEG, WebP, ...).") from None
    if max(width, height) > MAX_SIDE:
        raise refuse(f"The image is {width}x{height} pixels; the demo takes at most {MAX_SIDE} on a side.")


def bad_setting(noise_amplitude, seed) -> str | None:
    """A message for a noise amplitude or seed the demo cannot use, else None."""
    try:
        amplitude, seed_value = float(noise_amplitude), float(seed)
    except (TypeError, ValueError):
        return "Noise amplitude and seed must be numbers."
    if not (math.isfinite(amplitude) and 0.0 <= amplitude <= 1.0):
        return f"Noise amplitude must be between 0 and 1, got {noise_amplitude}."
    if not (math.isfinite(seed_value) and seed_value == int(seed_value) and 0 <= seed_value <= MAX_SEED):
        return f"Seed must be a whole number from 0 to {MAX_SEED}, got {seed}."
    return None


def find_model(keys: Iterable[ModelKey], variant, latent_dim, user: bool = False) -> ModelKey:
    """The key of a model the demo has, or gr.Error naming those it has."""
    keys = list(keys)
    try:
        key = ModelKey(str(variant), int(latent_dim), bool(user))
    except (TypeError, ValueError):
        key = None
    if key not in keys:
        which = "kept model" if user else "trained model"
        raise refuse(f"No {which} {variant!r} with d={latent_dim}; there are: {', '.join(k.label for k in sorted(keys))}.")
    return key


def model_by_id(keys: Iterable[ModelKey], model_id) -> ModelKey:
    """The key whose id ("sparse-d32", "yours/plain-d8") is `model_id`, or gr.Error naming the ids there are."""
    by_id = {key.id: key for key in keys}
    if model_id not in by_id:
        raise refuse(f"No model {model_id!r}; there are: {', '.join(sorted(by_id))}.")
    return by_id[model_id]


def numbers(values, count: int, what: str, low: float = -math.inf, high: float = math.inf) -> torch.Tensor:
    """`values` as a float tensor of `count` finite numbers in [low, high], or gr.Error saying what is wrong."""
    try:
        tensor = torch.tensor([float(v) for v in values], dtype=torch.float32)
    except (TypeError, ValueError):
        raise refuse(f"{what} must be a list of {count} numbers.") from None
    if tensor.numel() != count:
        raise refuse(f"{what} must have {count} numbers, got {tensor.numel()}.")
    if not torch.isfinite(tensor).all() or (tensor < low).any() or (tensor > high).any():
        raise refuse(f"{what} must hold finite numbers" + (f" from {low:g} to {high:g}." if math.isfinite(low) else "."))
    return tensor


def code(values, latent_dim: int) -> torch.Tensor:
    """A code h of `latent_dim` numbers the models can decode (each within ±MAX_CODE), or gr.Error."""
    return numbers(values, latent_dim, "code", -MAX_CODE, MAX_CODE)


def image(values, what: str = "image") -> torch.Tensor:
    """An image as 784 numbers in [0, 1], row by row (MNIST's 28x28), or gr.Error."""
    return numbers(values, INPUT_DIM, what, 0, 1)


def whole(value, what: str, low: int, high: int) -> int:
    """`value` as an int in [low, high], or gr.Error."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and number == int(number) and low <= number <= high):
        raise refuse(f"{what} must be a whole number from {low} to {high}, got {value}.")
    return int(number)


def answered(function: Callable[..., dict]) -> Callable[[dict], dict]:
    """A server function for the page (`server.<name>({...})` in its script): the page sends one object, whose
    fields are the function's arguments by name; a refusal comes back as {"error": its line}, not a failed request."""

    def answer(request):
        takes = inspect.signature(function)
        try:
            try:
                arguments = takes.bind(**request) if isinstance(request, dict) else None
            except TypeError:
                arguments = None
            if arguments is None:
                raise refuse(f"{function.__name__} takes an object with {', '.join(takes.parameters) or 'no fields'}.")
            return function(*arguments.args, **arguments.kwargs)
        except gr.Error as e:
            return {"error": e.message}

    # Named as the function, for the page's `server.<name>`; not functools.wraps: Gradio would then read the
    # function's own parameters as the server function's, and spread the one object over them.
    answer.__name__, answer.__doc__ = function.__name__, function.__doc__
    return answer
