"""The Explore tab: what it sends the page as plain values, its API, and the tab in real Chromium."""

import re

import gradio as gr
import numpy as np
import pytest
import torch
from browsing import open_demo, stroke

import registry
from zoo.analysis import maps
from zoo.app.digits import MnistDigits
from zoo.app.explore_cache import ExploreCache
from zoo.app.explore_tab import FROM_INPUT, ExploreHandlers, code_view, input_from, walk_view
from zoo.app.keys import ModelKey
from zoo.app.page_models import DemoModels
from zoo.store import checkpoint
from zoo.system import paths
from zoo.training import metrics


@pytest.fixture(scope="module")
def demo_models():
    models = DemoModels()
    for name, d in (("sparse", 32), ("plain", 16)):
        models.add_file(ModelKey(name, d), registry.get(name, d=d), checkpoint.paths(paths.default_weights_dir(), name, d)[0])
    return models


@pytest.fixture(scope="module")
def cache(demo_models, mnist_test):
    return ExploreCache(demo_models, MnistDigits(), background=False)


def test_the_code_editor_gets_the_code_its_ranges_and_each_unit_alone(cache, mnist_test):
    x = mnist_test[0][0]
    view = code_view(cache, ModelKey("sparse", 32), x)
    test_codes = cache.test_codes(ModelKey("sparse", 32))
    assert view["model"] == {"id": "sparse-d32", "label": "sparse d=32", "latent_dim": 32, "sparse_code": True}
    assert view["h"] == test_codes.encode(x).tolist() and view["input"] == x.tolist()
    for i, value in enumerate(view["h"]):
        assert view["low"][i] <= min(value, 0.0) and view["high"][i] >= max(value, 0.0) and view["high"][i] > view["low"][i]
        alone = test_codes.alone(i)
        assert view["alone"][i] == float(alone[i]) and alone.count_nonzero() == 1
    assert code_view(cache, ModelKey("plain", 16), x)["model"]["sparse_code"] is False


def test_the_strips_get_their_two_ends_and_the_models(demo_models, mnist_test):
    digits = MnistDigits()
    x = mnist_test[0][0]
    walk = walk_view(demo_models, digits, x, FROM_INPUT, "8", 0, ["plain-d16", "sparse-d32"])
    eights = torch.nonzero(mnist_test[1] == 8).flatten()
    assert walk["a"] == x.tolist() and walk["b"] == mnist_test[0][int(eights[1])].tolist()
    assert walk["note"] == f"From your input to test digit #{int(eights[1])} (a 8)"
    assert [m["id"] for m in walk["models"]] == ["plain-d16", "sparse-d32"]
    assert walk_view(demo_models, digits, x, "3", FROM_INPUT, 4, [])["note"].endswith("; pick at least one model")


@pytest.fixture(scope="module")
def handlers(demo_models, cache):
    return ExploreHandlers(demo_models, MnistDigits(), cache)


def test_the_server_functions_decode_walk_and_refuse_in_one_line(handlers, cache, mnist_test):
    x = mnist_test[0][0]
    key = ModelKey("sparse", 32)
    h = cache.test_codes(key).encode(x)
    assert handlers.decode("sparse-d32", h.tolist())["pixels"] == cache.test_codes(key).decode(h).tolist()
    strip = handlers.walk("plain-d16", x.tolist(), mnist_test[0][1].tolist(), 5)["pixels"]
    assert len(strip) == 5 and len(strip[0]) == 784
    with pytest.raises(gr.Error, match="steps must be a whole number from 2 to 21"):
        handlers.walk("plain-d16", x.tolist(), x.tolist(), 40)
    with pytest.raises(gr.Error, match="No model 'sparse-d99'; there are: plain-d16, sparse-d32."):
        handlers.decode("sparse-d99", h.tolist())
    assert "sparse d=32, unit h3" in handlers.unit("sparse-d32", 3)["html"]
    with pytest.raises(gr.Error, match="unit must be a whole number from 0 to 31"):
        handlers.unit("sparse-d32", 32)


def test_the_tabs_events_fill_every_output_and_wait_for_an_input(handlers, mnist_test):
    x = mnist_test[0][0]
    outputs = handlers.view("sparse-d32", "pca", x, "a test", FROM_INPUT, "8", 0, ["plain-d16"])
    state, note, editor, strips, picture, where, neighbours, unit_list = outputs
    assert torch.equal(state, x) and note == "Input: a test."
    assert editor.props["code"]["model"]["id"] == "sparse-d32" and strips.props["walk"]["models"][0]["id"] == "plain-d16"
    assert where.startswith("On the PCA map the input lands at") and "Nearest test digits by code h" in neighbours
    assert unit_list.props["units"]["model"] == "sparse-d32" and len(unit_list.props["units"]["rows"]) == 32
    assert [type(o).__name__ for o in handlers.change_model("plain-d16", "pca", x)] == [
        "HTML", type(picture).__name__, "str", "str", "HTML"]
    assert handlers.change_model("plain-d16", "pca", None) == [gr.skip()] * 5
    assert handlers.change_view("plain-d16", "pca", None) == [gr.skip()] * 3
    assert handlers.redo_walk(None, FROM_INPUT, "8", 0, []) == gr.skip()
    taken = handlers.take_input(None, "plain-d16", "pca", FROM_INPUT, "8", 0, [])
    assert taken[1] == f"Input: {input_from(None, handlers.digits)[1]}."


def test_the_input_is_the_zoo_tabs_or_with_nothing_drawn_a_test_3(mnist_test):
    digits = MnistDigits()
    x, source = input_from({"pixels": mnist_test[0][9].tolist(), "source": "your drawing"}, digits)
    assert torch.equal(x, mnist_test[0][9]) and source == "your drawing"
    x, source = input_from(None, digits)
    assert int(mnist_test[1][int(re.search(r"#(\d+)", source).group(1))]) == 3 and source.endswith("(the canvas is empty)")


@pytest.mark.slow
def test_the_api_decodes_interpolates_and_finds_neighbours(server, mnist_test):
    from gradio_client import Client

    x, y = mnist_test
    client = Client(server, verbose=False)
    model = registry.get("plain", d=16)
    h = metrics.codes(model, x[:1])[0]
    image = client.predict("plain", 16, h.tolist(), api_name="/decode")
    expected = metrics.reconstruct(model, x[:1])[0]
    assert len(image) == 784 and max(abs(a - float(b)) for a, b in zip(image, expected)) < 1e-5

    walked = client.predict(x[0].tolist(), x[1].tolist(), "sparse", 32, 5, api_name="/interpolate")
    assert len(walked["codes"]) == len(walked["pixels"]) == 5
    assert walked["pixels"][0] == pytest.approx(x[0].tolist(), abs=1e-6)

    found = client.predict(x[123].tolist(), "denoising", 64, 4, api_name="/neighbours")
    assert found["indices"][0] == 123 and found["distances"][0] < 1e-2  # a test digit is its own nearest
    assert found["labels"][0] == int(y[123]) and len(found["images"]) == 4 and len(found["images"][0]) == 784

    card = registry.card("sparse", 32)
    shipped = maps.load(maps.map_path(paths.default_weights_dir(), "sparse", 32), card["weights_sha256"])
    the_map = client.predict("sparse", 32, api_name="/map")
    assert the_map["points"] == shipped.points.tolist() and the_map["labels"] == y.tolist()

    unit = client.predict("sparse", 32, 7, api_name="/unit")
    column = metrics.codes(registry.get("sparse", d=32), x)[:, 7]
    assert unit["unit"] == 7 and unit["firing_rate"] == pytest.approx(float((column != 0).float().mean()))
    assert unit["top"]["indices"] == torch.topk(column, 16).indices.tolist() and len(unit["alike"]) == len(registry.available()) - 1


@pytest.mark.slow
def test_bad_explore_api_input_gets_a_one_line_message(server, mnist_test):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    x = mnist_test[0][0].tolist()
    client = Client(server, verbose=False)
    refused = {
        "unknown variant": (("vae", 16, [0.0] * 16), "/decode", "No trained model 'vae' with d=16"),
        "d <= 0": (("plain", 0, []), "/decode", "No trained model 'plain' with d=0"),
        "code length": (("plain", 16, [0.0] * 3), "/decode", "code must have 16 numbers, got 3"),
        "beyond float32": (("plain", 16, [1e39] * 16), "/decode", "code must hold finite numbers"),
        "finite but huge": (("plain", 16, [1e38] * 16), "/decode", "code must hold finite numbers from -1e+06 to 1e+06"),
        "not numbers": (("plain", 16, ["a"] * 16), "/decode", "code must be a list of 16 numbers"),
        "steps": ((x, x, "plain", 16, 500), "/interpolate", "steps must be a whole number from 2 to 21"),
        "pixel range": (([2.0] * 784, x, "plain", 16, 5), "/interpolate", "a must hold finite numbers from 0 to 1"),
        "k": ((x, "plain", 16, 0), "/neighbours", "k must be a whole number from 1 to 50"),
        "unit model": (("vae", 32, 0), "/unit", "No trained model 'vae' with d=32"),
        "unit range": (("sparse", 32, 32), "/unit", "unit must be a whole number from 0 to 31, got 32"),
        "unit whole": (("sparse", 32, 1.5), "/unit", "unit must be a whole number from 0 to 31, got 1.5"),
        "unit text": (("sparse", 32, "a"), "/unit", "unit must be a whole number from 0 to 31, got a"),
        "map model": (("plain", 17), "/map", "No trained model 'plain' with d=17"),
    }
    for case, (args, endpoint, message) in refused.items():
        with pytest.raises(AppError) as info:
            client.predict(*args, api_name=endpoint)
        assert message in str(info.value) and "Traceback" not in str(info.value), case


def decoded(page) -> tuple[int, list[int]]:
    return page.evaluate("""() => { const figure = document.querySelector('#explore-decoded');
        return [Number(figure.dataset.frame), Array.from(figure.querySelector('canvas').getContext('2d')
                .getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0))]; }""")


@pytest.mark.slow
def test_explore_in_chromium_decodes_in_the_page_and_maps_on_the_server(server, chromium, tmp_path):
    """A person draws a 3, opens Explore, moves a unit's slider, turns one unit on alone and resets, all decoded in
    the page with no request; interpolates the 3 into a test 8 with every model; opens a unit's dashboard and sorts
    the units; picks a test digit on the map; draws more and sees the drawing's marker move on the map."""
    from playwright.sync_api import sync_playwright

    labels = [ModelKey(n, d).label for n, d in registry.available()]
    with sync_playwright() as p:
        browser = chromium(p)
        page = open_demo(browser, server)
        stroke(page, [(-50, -90), (40, -80), (0, 0), (45, 60), (-50, 90)])
        page.get_by_role("tab", name="Explore").click()
        page.wait_for_function("document.querySelector('#explore-source')?.innerText.includes('Input: your drawing')",
                               timeout=60000)
        page.wait_for_function("document.querySelector('#explore-code-note')?.innerText.includes('of 32 units')")
        note = page.locator("#explore-code-note").inner_text()
        zero = int(re.search(r"(\d+) of 32 units of this code are exactly zero", note).group(1))
        off = page.locator("#explore-sliders .zoo-unit span").filter(has_text=re.compile(r"^h\d+ · off$")).count()
        page.requests.clear()

        start = decoded(page)
        slider = page.locator("#explore-h3 input")
        slider.fill(slider.get_attribute("max"))
        slider.dispatch_event("input")
        moved = decoded(page)
        page.locator("#explore-unit input").fill("5")
        page.locator("#explore-alone").click()
        alone = decoded(page)
        alone_note = page.locator("#explore-code-note").inner_text()
        page.locator("#explore-reset").click()
        reset = decoded(page)
        in_page_requests = list(page.requests)

        for label in labels:
            page.locator("#explore-walk-models").get_by_label(label, exact=True).check()
        rows = len(labels) + 1
        page.wait_for_function(f"document.querySelectorAll('#explore-walk .zoo-strip-label').length === {rows}",
                               timeout=30000)
        strip_labels = page.locator("#explore-walk .zoo-strip-label").all_inner_texts()
        walk_note = page.locator("#explore-walk-note").inner_text()
        pictures = page.locator("#explore-walk canvas").count()
        page.locator("#explore-steps input").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.querySelectorAll('#explore-walk canvas').length === {rows * 8}")
        page.screenshot(path=str(tmp_path / "explore.png"), full_page=True)

        where_drawn = page.locator("#explore-map-where").inner_text()
        page.locator("#explore-map-view").get_by_label("PCA", exact=False).check()
        page.wait_for_function("document.querySelector('#explore-map-where')?.innerText.startsWith('On the PCA map')",
                               timeout=30000)
        page.locator("#explore-map-view").get_by_label("t-SNE", exact=False).check()
        page.wait_for_function(f"document.querySelector('#explore-map-where')?.innerText === {where_drawn!r}", timeout=30000)
        the_map = page.locator("#explore-map img")
        the_map.scroll_into_view_if_needed()
        box = the_map.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
        page.wait_for_function("document.querySelector('#explore-source').innerText.includes('picked on the map')",
                               timeout=30000)
        neighbours = page.locator("#explore-neighbours figcaption").all_inner_texts()

        units = page.locator("#explore-units-table tbody tr")
        listed = units.count()
        units.nth(5).click()
        page.wait_for_selector('#explore-dashboard .zoo-dash[data-unit="5"]', timeout=30000)
        top_digits = page.locator("#explore-dashboard .zoo-dash-digits").first.locator("img").count()
        page.locator('#explore-units-sort button[data-by="firing"]').click()
        by_firing = [float(t.rstrip("%")) for t in page.locator("#explore-units-table tbody td:nth-child(2)").all_inner_texts()]
        page.locator("#explore-units").screenshot(path=str(tmp_path / "units.png"))

        page.get_by_role("tab", name="Zoo").click()
        stroke(page, [(-60, 60), (60, 60)])  # the 3 becomes something else
        page.get_by_role("tab", name="Explore").click()
        page.wait_for_function("document.querySelector('#explore-source')?.innerText.includes('Input: your drawing')",
                               timeout=30000)
        page.wait_for_function(f"document.querySelector('#explore-map-where')?.innerText !== {where_drawn!r}", timeout=30000)
        where_redrawn = page.locator("#explore-map-where").inner_text()
        errors = page.errors
        browser.close()
    assert zero > 0 and off == zero
    assert moved[0] > start[0] and moved[1] != start[1] and alone[1] not in (start[1], moved[1]) and reset[1] == start[1]
    assert "31 of 32 units of this code are exactly zero" in alone_note
    assert in_page_requests == []  # the sliders, one unit alone and Reset are decoded in the page
    assert strip_labels == ["pixels (a blend)"] + sorted(labels) and pictures == rows * 7
    assert walk_note.startswith("From your input to test digit #") and "(a 8)" in walk_note and walk_note.endswith("7 steps")
    assert len(neighbours) == 16 and all(re.match(r"#\d+: a \d", n) for n in neighbours)
    assert re.match(r"On the t-SNE map the input lands at \(-?[\d.]+, -?[\d.]+\): \d+ of the 10 ", where_drawn)
    assert where_redrawn.startswith("On the t-SNE map the input lands at (") and where_redrawn != where_drawn
    assert listed == 32 and top_digits == 16
    assert by_firing == sorted(by_firing, reverse=True) and by_firing[0] > by_firing[-1]
    assert errors == []
    print(f"screenshot: {tmp_path / 'explore.png'}")


def test_a_kept_models_map_is_read_from_the_user_zoo(tmp_path, monkeypatch, mnist_test):
    """A kept model's map lives in the user zoo's maps/ (where the demo writes it after a first-use fit)."""
    monkeypatch.setenv("AE_ZOO_USER_WEIGHTS", str(tmp_path))
    shipped_dir = paths.default_weights_dir()
    for path in checkpoint.paths(shipped_dir, "plain", 16):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "maps").mkdir()
    kept_map = maps.load(maps.map_path(shipped_dir, "plain", 16), registry.card("plain", 16)["weights_sha256"])
    kept_map.points = -kept_map.points  # told apart from the shipped map (openTSNE keeps a map centred: not shifted)
    maps.save(kept_map, maps.map_path(tmp_path, "plain", 16))
    models = DemoModels()
    key = ModelKey("plain", 16, user=True)
    models.add_file(key, registry.get("plain", d=16, user=True), checkpoint.paths(tmp_path, "plain", 16)[0])
    cache = ExploreCache(models, MnistDigits(), background=False)
    assert (cache.points(key, "tsne") == kept_map.points).all()
    codes = cache.test_codes(key).codes
    placed = cache.place(key, "tsne", codes[0])
    assert np.linalg.norm(placed - kept_map.points[0]) < 0.05 * np.ptp(kept_map.points[:, 0])  # on the kept map
