"""zoo.app.checks: what a person or an API caller may send; every refusal is one line."""

import gradio as gr
import pytest
import torch
from PIL import Image

from zoo.app import checks
from zoo.app.keys import ModelKey

KEYS = [ModelKey("plain", 16), ModelKey("sparse", 32), ModelKey("plain", 8, user=True)]


def refused(function, *args) -> str:
    with pytest.raises(gr.Error) as info:
        function(*args)
    message = info.value.message
    assert "\n" not in message and "Traceback" not in message
    return message


def test_an_upload_that_is_not_an_image_or_too_large_is_refused_from_its_header(tmp_path):
    text, huge, fine = tmp_path / "notes.png", tmp_path / "huge.png", tmp_path / "fine.png"
    text.write_text("a shopping list")
    Image.new("L", (6000, 10), 255).save(huge)
    Image.new("L", (400, 400), 255).save(fine)
    assert "not an image" in refused(checks.check_image, str(text))
    assert "6000x10 pixels" in refused(checks.check_image, str(huge))
    checks.check_image(str(fine))
    checks.check_image(fine.read_bytes())


@pytest.mark.parametrize("noise, seed, expected", [(0.5, 3, None), (1.5, 0, "between 0 and 1"), ("x", 0, "numbers"),
                                                   (0.2, -1, "whole number"), (0.2, 2.5, "whole number"),
                                                   (0.2, 2**32, "whole number"), (float("nan"), 0, "between 0 and 1")])
def test_noise_and_seed_settings(noise, seed, expected):
    problem = checks.bad_setting(noise, seed)
    assert problem is None if expected is None else expected in problem


def test_a_code_must_be_d_finite_numbers_a_model_can_decode():
    assert checks.code([1e6, -1e6, 0.5], 3).tolist() == [1e6, -1e6, 0.5]
    assert "finite numbers from -1e+06 to 1e+06" in refused(checks.code, [3e38, 0.0, 0.0], 3)
    assert "finite numbers" in refused(checks.code, [float("inf"), 0.0, 0.0], 3)
    assert "must have 3 numbers, got 2" in refused(checks.code, [0.0, 0.0], 3)
    assert "list of 3 numbers" in refused(checks.code, ["a", 0.0, 0.0], 3)


def test_a_huge_code_would_decode_to_nan_which_is_why_it_is_refused():
    import registry

    for name, d in registry.available():
        model = registry.get(name, d=d)
        with torch.no_grad():
            assert torch.isnan(model.decode(torch.full((1, d), 3e38))).any()
            for sign in (1, -1):
                assert torch.isfinite(model.decode(torch.full((1, d), sign * checks.MAX_CODE))).all()


def test_images_are_784_numbers_in_0_1():
    assert checks.image([0.5] * 784).shape == (784,)
    assert "from 0 to 1" in refused(checks.image, [2.0] * 784)


def test_whole_numbers_in_a_range():
    assert checks.whole("7", "steps", 2, 21) == 7
    for bad in (1, 22, 2.5, "x", None):
        assert "steps must be a whole number from 2 to 21" in refused(checks.whole, bad, "steps", 2, 21)


def test_a_model_by_variant_and_d_or_by_id_and_a_message_naming_what_there_is():
    assert checks.find_model(KEYS, "sparse", "32") == ModelKey("sparse", 32)
    assert checks.find_model(KEYS, "plain", 8, user=True) == ModelKey("plain", 8, True)
    message = refused(checks.find_model, KEYS, "vae", 16)
    assert "No trained model 'vae' with d=16" in message and "plain d=16, plain (yours) d=8, sparse d=32" in message
    assert "No trained model 'plain' with d=0" in refused(checks.find_model, KEYS, "plain", 0)
    assert checks.model_by_id(KEYS, "yours/plain-d8") == ModelKey("plain", 8, True)
    assert "No model 'sparse-d64'; there are: plain-d16, sparse-d32, yours/plain-d8" in refused(
        checks.model_by_id, KEYS, "sparse-d64")
