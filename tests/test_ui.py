import numpy as np
import pandas as pd
import pytest


from zoo.sketch import preprocess_sketch
import gradio as gr
from PIL import Image

from zoo.ui import (BLANK, MAX_SEED, MAX_SIDE, MnistDigits, as_canvas, check_image, code_colours, codes_html,
                    grid_html, show, update)
from zoo.variants import get_variant


@pytest.fixture(scope="module")
def models():
    return {(name, d): get_variant(name).build(d, seed=0).eval() for name in ("plain", "sparse") for d in (16, 32)}


@pytest.fixture(scope="module")
def digits(mnist_test):
    return MnistDigits()


def test_a_drawing_gives_images_labelled_reconstructions_and_sparse_codes(models, digits, mnist_test):
    sketch = {"background": None, "layers": [], "composite": as_canvas(mnist_test[0][0])}
    clean, noisy, gallery, codes, message = update(models, digits, sketch, None, 0.3, 5, ["plain", "sparse"], [16, 32])
    assert clean.shape == noisy.shape == (28, 28) and clean.dtype == np.uint8
    assert not np.array_equal(clean, noisy)
    assert [caption.split(" · ")[0] for _, caption in gallery] == ["plain d=16", "plain d=32", "sparse d=16", "sparse d=32"]
    for image, caption in gallery:
        assert image.shape == (28, 28)
        assert 0 <= float(caption.split("MSE ")[1]) < 1
    assert isinstance(codes, pd.DataFrame) and set(codes["model"]) == {"sparse d=16", "sparse d=32"} and len(codes) == 48
    # Each model's units get their own bars (a unit number shared by two models would stack them).
    assert codes["unit"].is_unique and list(codes["unit"].iloc[[0, 15, 16]]) == ["d=16 h0", "d=16 h15", "d=32 h0"]
    assert message.startswith("Input: your drawing; noise amplitude 0.30, seed 5")


def test_the_code_chart_draws_one_bar_per_non_zero_unit_in_its_model_s_colour():
    h16, h32 = np.zeros(16), np.zeros(32)
    h16[[1, 5]] = [0.7, 1.2]
    h32[[0, 30, 31]] = [2.0, 0.9, 0.8]
    frame = pd.DataFrame([(f"sparse d={len(h)}", f"d={len(h)} h{i}", v) for h in (h16, h32) for i, v in enumerate(h)],
                         columns=["model", "unit", "h"])
    colours = code_colours([32, 16])
    html = codes_html(frame, colours)
    assert "most exactly zero: d=16 blue, d=32 orange" in html
    assert html.count("<rect ") == 5 and html.count('fill="#4c78a8"') == 2 and html.count('fill="#f58518"') == 3
    assert "d=16: 2 of 16 non-zero" in html and "d=32: 3 of 32 non-zero" in html
    assert "<title>d=32 h0 = 2.000</title>" in html
    assert "No sparse model is selected." in codes_html(None, colours)


def test_a_kept_reading_shows_the_same_page_as_the_canvas_it_came_from(models, digits, mnist_test):
    """The controls' events show the reading kept in the page's State; it must match reading the canvas again."""
    sketch = {"composite": as_canvas(mnist_test[0][2])}
    current = (preprocess_sketch(sketch), "your drawing")
    for noise, seed in ((0.0, 0), (0.4, 9)):
        kept = show(models, current, noise, seed, ["plain", "sparse"], [16, 32])
        again = update(models, digits, sketch, None, noise, seed, ["plain", "sparse"], [16, 32])
        assert np.array_equal(kept[0], again[0]) and np.array_equal(kept[1], again[1]) and kept[4] == again[4]
        assert [c for _, c in kept[2]] == [c for _, c in again[2]]
    assert show(models, None, 0.2, 0, ["plain"], [16])[4] == "**Draw a digit first: the canvas is empty.**"


def test_a_test_digit_on_the_canvas_is_used_exactly(models, digits, mnist_test):
    canvas = {"composite": as_canvas(mnist_test[0][7])}
    clean, _, _, codes, message = update(models, digits, canvas, 7, 0.0, 0, ["plain"], [16])
    expected = (mnist_test[0][7].reshape(28, 28).numpy() * 255).round().astype(np.uint8)
    assert np.array_equal(clean, expected)
    assert codes is None and f"MNIST test digit #7 (a {int(mnist_test[1][7])})" in message


def test_drawing_over_a_test_digit_makes_it_a_drawing(models, digits, mnist_test):
    canvas = as_canvas(mnist_test[0][7])
    canvas[20:120, 20:380] = 0  # a thick bar across the top
    clean, _, _, _, message = update(models, digits, {"composite": canvas}, 7, 0.0, 0, ["plain"], [16])
    assert message.startswith("Input: your drawing")
    assert not np.array_equal(clean[::8, ::8], (mnist_test[0][7].reshape(28, 28).numpy() * 255).round().astype(np.uint8))


def test_a_cleared_canvas_forgets_the_test_digit(models, digits):
    blank = {"composite": np.full((400, 400), 255, np.uint8)}
    assert update(models, digits, blank, 7, 0.0, 0, ["plain"], [16])[4] == "**Draw a digit first: the canvas is empty.**"


@pytest.mark.parametrize("sketch", [None, {"background": None, "layers": [], "composite": np.full((400, 400), 255, np.uint8)}])
def test_an_empty_canvas_is_a_message_not_a_traceback(models, digits, sketch):
    clean, noisy, gallery, codes, message = update(models, digits, sketch, None, 0.5, 0, ["plain"], [16])
    assert clean is BLANK and gallery == [] and codes is None
    assert message == "**Draw a digit first: the canvas is empty.**"


def test_nothing_selected_says_so(models, digits, mnist_test):
    _, _, gallery, _, message = update(models, digits, {"composite": as_canvas(mnist_test[0][3])}, 3, 0.0, 0, [], [16])
    assert gallery == [] and message == "Pick at least one variant and one d."


@pytest.mark.parametrize("noise, seed, message", [
    (1.5, 0, "Noise amplitude must be between 0 and 1, got 1.5."),
    (float("nan"), 0, "Noise amplitude must be between 0 and 1, got nan."),
    (0.2, 1e30, f"Seed must be a whole number from 0 to {MAX_SEED}, got 1e+30."),
    (0.2, -1, f"Seed must be a whole number from 0 to {MAX_SEED}, got -1."),
    (0.2, 2.5, f"Seed must be a whole number from 0 to {MAX_SEED}, got 2.5."),
    (0.2, "x", "Noise amplitude and seed must be numbers."),
])
def test_a_setting_out_of_range_is_a_message(models, digits, mnist_test, noise, seed, message):
    sketch = {"composite": as_canvas(mnist_test[0][3])}
    clean, _, gallery, _, text = update(models, digits, sketch, None, noise, seed, ["plain"], [16])
    assert clean is BLANK and gallery == [] and text == f"**{message}**"
    assert update(models, digits, sketch, None, 0.2, MAX_SEED, ["plain"], [16])[2]  # the largest seed works


def test_an_upload_that_is_not_an_image_or_too_large_is_refused_from_its_header(tmp_path):
    def refusal(data: bytes) -> str:
        with pytest.raises(gr.Error) as info:
            check_image(data)
        return info.value.message

    assert refusal(b"%PDF-1.4 not an image") == "That file is not an image the demo can read (PNG, JPEG, WebP, ...)."
    path = tmp_path / "huge.png"
    Image.new("L", (MAX_SIDE + 1, 10), 255).save(path)
    assert refusal(path.read_bytes()) == f"The image is {MAX_SIDE + 1}x10 pixels; the demo takes at most {MAX_SIDE} on a side."
    ok = tmp_path / "ok.png"
    Image.new("L", (MAX_SIDE, MAX_SIDE), 255).save(ok)
    check_image(ok.read_bytes())  # at the limit: accepted


def test_canvas_rendering_round_trips_through_preprocessing(mnist_test):
    digit = mnist_test[0][0]
    assert float(((preprocess_sketch(as_canvas(digit)) - digit) ** 2).mean()) < 0.01


def test_the_lab_report_is_split_into_text_and_figures(tmp_path):
    from zoo.ui import report_parts

    (tmp_path / "figures").mkdir()
    (tmp_path / "REPORT.md").write_text("# Lab\n\nSome text.\n\n![one](figures/a.png)\n\n| t |\n|---|\n\n"
                                        "![two](figures/b.png)\n")
    parts = report_parts(tmp_path / "REPORT.md")
    assert [kind for kind, _ in parts] == ["markdown", "figure", "markdown", "figure"]
    assert parts[0][1].strip() == "# Lab\n\nSome text." and parts[2][1].strip() == "| t |\n|---|"
    assert parts[1][1] == str((tmp_path / "figures" / "a.png").resolve())


def test_a_missing_lab_report_says_how_to_write_it(tmp_path):
    from zoo.ui import report_parts

    (kind, text), = report_parts(tmp_path / "REPORT.md")
    assert kind == "markdown" and "python -m zoo.report" in text


def test_the_pictures_travel_inline_with_their_exact_pixels_and_captions(models, digits, mnist_test):
    import base64
    import io
    import re

    _, _, gallery, _, _ = update(models, digits, {"composite": as_canvas(mnist_test[0][4])}, None, 0.1, 0,
                                 ["plain", "sparse"], [16, 32])
    page = grid_html(gallery, columns=2)
    assert "repeat(2, 1fr)" in page
    sources = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    captions = re.findall(r'<figcaption class="caption-label">([^<]+)</figcaption>', page)
    assert captions == [caption for _, caption in gallery] and len(sources) == 4
    for (image, _), source in zip(gallery, sources):
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(base64.b64decode(source)))), image)


def test_the_sketchpad_reads_the_composite_and_tells_a_drawn_layer_from_a_placed_picture(tmp_path, mnist_test):
    """A stroke reaches the server with a layer; the editor re-sending a test digit it was given comes
    with none (as Chromium sends them): that is how the Zoo tab tells a person's drawing from an echo."""
    from gradio.components.image_editor import EditorData
    from gradio.data_classes import FileData

    from zoo.ui import Sketchpad, drawn_on

    digit = mnist_test[0][0]
    picture, layer = tmp_path / "composite.png", tmp_path / "layer_0.png"
    Image.fromarray(as_canvas(digit)).save(picture)
    Image.new("RGBA", (392, 392), (0, 0, 0, 0)).save(layer)
    pad = Sketchpad(type="numpy", image_mode="L")
    placed = pad.preprocess(EditorData(background=FileData(path=str(picture)), layers=[],
                                       composite=FileData(path=str(picture))))
    stroke = pad.preprocess(EditorData(background=FileData(path=str(picture)), layers=[FileData(path=str(layer))],
                                       composite=FileData(path=str(picture))))
    assert not drawn_on(placed) and drawn_on(stroke)
    assert not drawn_on(as_canvas(digit)) and not drawn_on(None)  # an array from a caller has no layers
    assert np.array_equal(placed["composite"], as_canvas(digit))
    assert float(((preprocess_sketch(stroke) - digit) ** 2).mean()) < 0.01


def test_the_page_holds_every_noise_level_of_what_it_shows(models, digits, mnist_test):
    """frames_html: each slider level as the server's own update shows it, named by the key the shown grid carries."""
    import html as html_lib
    import json
    import re

    from zoo.ui import NOISE_LEVELS, code_colours, frame_key, frames_html, picture_src, render

    current = (mnist_test[0][0], "a test digit")
    colours = code_colours([16, 32])
    page = frames_html(models, current, 3, ["plain", "sparse"], [16, 32], colours)
    key = re.search(r'data-key="([0-9a-f]+)"', page).group(1)
    frames = json.loads(html_lib.unescape(re.search(r'data-frames="([^"]+)"', page).group(1)))
    assert list(frames) == [f"{level:.2f}" for level in NOISE_LEVELS] and NOISE_LEVELS[-1] == 1.0
    for level in (0.0, 0.35, 1.0):
        clean, noisy, gallery, codes, message = show(models, current, level, 3, ["plain", "sparse"], [16, 32])
        frame = frames[f"{level:.2f}"]
        assert frame["noisy"] == picture_src(noisy) and frame["message"] == message
        assert frame["figures"] == [[picture_src(image), caption] for image, caption in gallery]
        shown = render(clean, noisy, gallery, codes, message, 2, colours, key=key)
        assert f'data-key="{key}"' in shown[2] and frame["codes"] == shown[3]
    assert frames["0.00"]["noisy"] != frames["0.05"]["noisy"]
    # The key names the input, seed and selection: any change gives other frames.
    assert key == frame_key(current, 3, ["sparse", "plain"], [32, 16])
    assert len({key, frame_key(current, 4, ["plain", "sparse"], [16, 32]), frame_key(current, 3, ["plain"], [16, 32]),
                frame_key((mnist_test[0][1], "a test digit"), 3, ["plain", "sparse"], [16, 32])}) == 4
    assert frames_html(models, None, 3, ["plain"], [16], colours) == ""  # nothing shown: nothing to swap
    assert frames_html(models, current, -1, ["plain"], [16], colours) == ""  # a seed the page refuses
    assert frame_key(None, 3, ["plain"], [16]) is None and frame_key(current, 3, [], [16]) is None
