"""The Explore tab as a person and a program use it: the real server, real Chromium, the public API."""

import re

import pytest

import registry
from zoo import metrics

pytestmark = pytest.mark.slow


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
        "not numbers": (("plain", 16, ["a"] * 16), "/decode", "code must be a list of 16 numbers"),
        "steps": ((x, x, "plain", 16, 500), "/interpolate", "steps must be a whole number from 2 to 21"),
        "pixel range": (([2.0] * 784, x, "plain", 16, 5), "/interpolate", "a must hold finite numbers from 0 to 1"),
        "k": ((x, "plain", 16, 0), "/neighbours", "k must be a whole number from 1 to 50"),
    }
    for case, (args, endpoint, message) in refused.items():
        with pytest.raises(AppError) as info:
            client.predict(*args, api_name=endpoint)
        assert message in str(info.value) and "Traceback" not in str(info.value), case


def test_explore_in_chromium_slider_interpolation_and_map(server, chromium, tmp_path):
    """A person draws a 3, opens Explore, moves a unit's slider and sees the picture change, interpolates
    the 3 into a test 8 with every model, and picks a test digit on the map."""
    from playwright.sync_api import sync_playwright

    labels = [f"{n} d={d}" for n, d in registry.available()]
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(server)
        canvas = page.locator("#sketchpad canvas").first
        canvas.wait_for(timeout=30000)
        box = canvas.bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(cx - 50, cy - 90)  # a "3"
        page.mouse.down()
        for dx, dy in ((40, -80), (0, 0), (45, 60), (-50, 90)):
            page.mouse.move(cx + dx, cy + dy, steps=10)
        page.mouse.up()
        page.wait_for_function("document.querySelector('#message').innerText.startsWith('Input: your drawing')",
                               timeout=30000)
        page.get_by_role("tab", name="Explore").click()
        page.wait_for_function("document.querySelector('#explore-source').innerText.includes('Input: your drawing')",
                               timeout=60000)
        note = page.locator("#explore-code-note").inner_text()
        zero = int(re.search(r"(\d+) of 32 units of this code are exactly zero", note).group(1))
        off = page.locator("[id^=explore-h] label, [id^=explore-h] span").filter(has_text=re.compile(r"^h\d+ · off$"))
        assert zero > 0 and off.count() == zero

        # A unit's slider: the decoded picture changes.
        before = page.locator("#explore-decoded img").get_attribute("src")
        slider = page.locator("#explore-h3 input[type=range]")
        slider.fill(slider.get_attribute("max"))
        page.wait_for_function(f"document.querySelector('#explore-decoded img').src !== {before!r}", timeout=30000)

        # One unit alone, from zero: every other unit off, a new picture.
        alone_before = page.locator("#explore-decoded img").get_attribute("src")
        page.locator("#explore-unit input").fill("5")
        page.locator("#explore-alone").click()
        page.wait_for_function(f"document.querySelector('#explore-decoded img').src !== {alone_before!r}",
                               timeout=30000)
        alone_note = page.locator("#explore-code-note").inner_text()
        drawing_neighbours = page.locator("#explore-neighbours figcaption").count()

        # Interpolate the drawn 3 into a test 8 with every model.
        for label in labels:
            page.locator("#explore-walk-models").get_by_label(label, exact=True).check()
        rows = len(labels) + 1
        page.wait_for_function(f"document.querySelectorAll('#explore-strips .zoo-strip-label').length === {rows}",
                               timeout=30000)
        strip_labels = page.locator("#explore-strips .zoo-strip-label").all_inner_texts()
        walk_note = page.locator("#explore-strips p").inner_text()
        images = page.locator("#explore-strips img").count()
        page.screenshot(path=str(tmp_path / "explore.png"), full_page=True)

        # The map: a click makes the nearest test digit the input, with its neighbours.
        the_map = page.locator("#explore-map img")
        the_map.scroll_into_view_if_needed()
        box = the_map.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
        page.wait_for_function("document.querySelector('#explore-source').innerText.includes('picked on the map')",
                               timeout=30000)
        neighbours = page.locator("#explore-neighbours figcaption").all_inner_texts()
        browser.close()
    assert strip_labels == ["pixels (a blend)"] + sorted(labels) and images == rows * 7
    assert walk_note.startswith("From your input to test digit #") and "(a 8)" in walk_note
    assert "31 of 32 units of this code are exactly zero" in alone_note
    assert drawing_neighbours == 16  # the drawing's 8 nearest by code and 8 by pixels
    assert len(neighbours) == 16 and all(re.match(r"#\d+: a \d", n) for n in neighbours)
    print(f"screenshot: {tmp_path / 'explore.png'}")
