"""/reconstruct for programs: its function with real uploads, and the real server through gradio_client."""

import base64
import io
import re
from pathlib import Path

import gradio as gr
import numpy as np
import pytest
from gradio.utils import get_upload_folder as gradio_upload_folder
from PIL import Image

import registry
from zoo.analysis.comparison import as_pixels, compare
from zoo.app.checks import MAX_SEED, MAX_SIDE
from zoo.app.keys import ModelKey
from zoo.app.pictures import as_canvas
from zoo.app.reconstruct_api import reconstruct_outputs, selection
from zoo.app.zoo_tab import CANVAS
from zoo.data.sketch import EMPTY, preprocess_sketch

KEYS = [ModelKey("plain", 16), ModelKey("plain", 32), ModelKey("sparse", 16), ModelKey("plain", 8, user=True)]


def get_upload_folder() -> Path:
    """Where Gradio keeps uploads: the only files /reconstruct reads."""
    folder = Path(gradio_upload_folder())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def zoo():
    return {ModelKey(name, d): registry.get(name, d=d) for name, d in registry.available()}


@pytest.fixture
def upload():
    """Save a picture where Gradio keeps uploads; returns the payload the old sketchpad sent for it."""
    folder = get_upload_folder()

    def save(picture: Image.Image, name: str = "test-drawing.png") -> dict:
        path = folder / name
        picture.save(path)
        return {"background": None, "layers": [], "composite": {"path": str(path), "meta": {"_type": "gradio.FileData"}}}

    return save


def pngs(html: str) -> list[np.ndarray]:
    """Every picture inside some HTML, decoded."""
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(data))))
            for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def refusal(function, *args) -> str:
    with pytest.raises(gr.Error) as info:
        function(*args)
    return info.value.message


def test_the_picked_rows_and_d_values_in_order():
    assert selection(KEYS, ["sparse", "plain"], [32, 16, 8]) == [ModelKey("sparse", 16), ModelKey("plain", 16),
                                                                ModelKey("plain", 32)]
    assert selection(KEYS, ["plain (yours)"], ["8"]) == [ModelKey("plain", 8, True)]
    assert selection(KEYS, [], [16]) == []
    assert "Unknown variant vae; there are: plain, plain (yours), sparse" in refusal(selection, KEYS, ["vae"], [16])


def test_a_drawing_gives_the_zoo_tabs_view_as_html(zoo, upload, mnist_test):
    digit = mnist_test[0][5]
    clean, noisy, gallery, codes, message = reconstruct_outputs(
        zoo, upload(Image.fromarray(as_canvas(digit, CANVAS))), 0.25, 3, ["plain", "sparse"], [16, 32])
    assert message == "Input: your drawing; noise amplitude 0.25, seed 3."
    x = preprocess_sketch(as_canvas(digit, CANVAS))
    expected = compare(zoo, x, 0.25, 3, [ModelKey("plain", 16), ModelKey("plain", 32), ModelKey("sparse", 16),
                                         ModelKey("sparse", 32)])
    captions = re.findall(r'<figcaption class="caption-label">([^<]+)</figcaption>', gallery)
    assert captions == [f"{r.key.label} · MSE {r.mse:.4f}" for r in expected.reconstructions]
    sources = re.findall(r'src="data:image/png;base64,([^"]+)"', gallery)
    for source, r in zip(sources, expected.reconstructions):
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(base64.b64decode(source)))), as_pixels(r.image))
    assert "sparse d=16 blue, sparse d=32 orange" in codes and codes.count("<text ") == 2
    assert clean.count("<img ") == noisy.count("<img ") == 1


def test_an_empty_drawing_or_nothing_picked_is_a_message(zoo, upload):
    blank = upload(Image.new("L", (CANVAS, CANVAS), 255))
    assert reconstruct_outputs(zoo, blank, 0.1, 0, ["plain"], [16])[4] == EMPTY
    digit = upload(Image.fromarray(np.kron(np.eye(8, dtype=np.uint8) * 255, np.ones((40, 40), np.uint8))))
    assert reconstruct_outputs(zoo, digit, 0.1, 0, [], [16])[4] == "Pick at least one variant and one d."


def test_bad_input_is_refused_in_one_line(zoo, upload, tmp_path):
    good = upload(Image.new("L", (CANVAS, CANVAS), 255))
    outside = tmp_path / "elsewhere.png"
    Image.new("L", (CANVAS, CANVAS), 255).save(outside)
    (get_upload_folder() / "notes.png").write_text("a shopping list")
    Image.new("L", (MAX_SIDE + 1, 10), 255).save(get_upload_folder() / "huge.png")
    as_file = lambda path: {"composite": {"path": str(path)}}  # noqa: E731
    cases = {"a file not uploaded": (as_file(outside), "must be a file uploaded with the call"),
             "no file": ({"layers": []}, 'Send the drawing as {"composite"'),
             "not an image": (as_file(get_upload_folder() / "notes.png"), "not an image the demo can read"),
             "too large": (as_file(get_upload_folder() / "huge.png"), f"at most {MAX_SIDE} on a side")}
    for case, (sketch, expected) in cases.items():
        assert expected in refusal(reconstruct_outputs, zoo, sketch, 0.1, 0, ["plain"], [16]), case
    assert "Seed must be a whole number" in refusal(reconstruct_outputs, zoo, good, 0.1, MAX_SEED + 1, ["plain"], [16])
    assert "Noise amplitude must be between 0 and 1" in refusal(reconstruct_outputs, zoo, good, 3, 0, ["plain"], [16])


@pytest.mark.slow
def test_the_api_reconstructs_an_uploaded_digit_and_refuses_bad_input(server, tmp_path, mnist_test):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    path, text = tmp_path / "digit.png", tmp_path / "notes.png"
    Image.fromarray(as_canvas(mnist_test[0][0], CANVAS)).save(path)
    text.write_text("a shopping list, not a drawing")
    client = Client(server, verbose=False)
    pairs = registry.available()
    names, dims = sorted({n for n, _ in pairs}), sorted({d for _, d in pairs})
    clean, noisy, gallery, codes, message = client.predict({"composite": handle_file(str(path))}, 0.25, 3, names, dims,
                                                           api_name="/reconstruct")
    assert message == "Input: your drawing; noise amplitude 0.25, seed 3."
    assert gallery.count("<img ") == len(pairs) and "<svg" in codes
    for case, args, expected in (("not an image", ({"composite": handle_file(str(text))}, 0.2, 0, ["plain"], [16]),
                                  "not an image the demo can read"),
                                 ("variant", ({"composite": handle_file(str(path))}, 0.2, 0, ["vae"], [16]), "vae")):
        with pytest.raises(AppError) as info:
            client.predict(*args, api_name="/reconstruct")
        assert expected in str(info.value) and "Traceback" not in str(info.value), case
    *_, fine = client.predict({"composite": handle_file(str(path))}, 0.2, 0, ["plain"], [16], api_name="/reconstruct")
    assert fine.startswith("Input: your drawing")  # the server is still well after all that
    endpoint = client.view_api(print_info=False, return_format="dict")["named_endpoints"]["/reconstruct"]
    assert len(endpoint["parameters"]) == 5 and len(endpoint["returns"]) == 5  # as the Zoo tab's event had them


@pytest.mark.slow
def test_calls_at_once_each_get_what_they_would_alone(server, tmp_path, mnist_test):
    """Calls that arrive together share the models' passes (zoo.app.batching); each answer is its own."""
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client, handle_file

    paths = []
    for i in range(4):
        paths.append(tmp_path / f"digit{i}.png")
        Image.fromarray(as_canvas(mnist_test[0][i], CANVAS)).save(paths[-1])
    requests = [(paths[i % 4], round(0.05 * i, 2), i) for i in range(12)]

    def call(request):
        path, noise, seed = request
        return Client(server, verbose=False).predict({"composite": handle_file(str(path))}, noise, seed,
                                                     ["plain", "sparse"], [16, 32], api_name="/reconstruct")

    with ThreadPoolExecutor(12) as pool:
        together = list(pool.map(call, requests))
    for (path, noise, seed), answer in zip(requests, together):
        assert answer[4] == f"Input: your drawing; noise amplitude {noise:.2f}, seed {seed}."
    for request in requests[::5]:
        alone, shared = call(request), together[requests.index(request)]
        assert alone[1] == shared[1]  # the same noisy input
        pictures = [pngs(answer[2]) for answer in (alone, shared)]  # the same pictures, but for float rounding
        assert len(pictures[0]) == 4 and all(np.abs(a.astype(int) - b).max() <= 1 for a, b in zip(*pictures))
