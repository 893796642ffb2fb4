"""demo.py as a person and a program use it: a real server, real Chromium, the real API."""

import base64
import io
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import registry
from zoo.paths import checkout_root

ROOT = checkout_root()  # the tests and benchmarks run from a checkout
pytestmark = pytest.mark.slow


def wait_until_quiet(page, seconds: float = 1.5, limit: float = 60.0) -> None:
    """Wait until the page has made no request for `seconds`: it has finished loading (Gradio's editor sets
    itself up, and echoes a placed test digit, later on a busy machine; a stroke before that can be lost)."""
    import time

    seen, start = [], time.monotonic()
    page.on("request", lambda r: seen.append(time.monotonic()))
    while time.monotonic() - max([start, *seen]) < seconds and time.monotonic() - start < limit:
        page.wait_for_timeout(100)


def test_demo_refuses_to_start_without_weights(tmp_path):
    env = {**os.environ, "AE_ZOO_WEIGHTS": str(tmp_path)}
    out = subprocess.run([sys.executable, "demo.py", "--no-browser"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.strip() == "error: no trained models in weights/; run: python train_all.py"


def test_drawing_in_chromium_shows_every_reconstruction_with_its_error(server, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    expected = len(registry.available())
    figures = len(re.findall(r"!\[[^\]]*\]\(figures/", (ROOT / "docs" / "REPORT.md").read_text()))
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(server)
        canvas = page.locator("#sketchpad canvas").first
        canvas.wait_for(timeout=30000)
        box = canvas.bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        # A "7": a bar across the top, then a diagonal down to the left.
        page.mouse.move(cx - 50, cy - 90)
        page.mouse.down()
        page.mouse.move(cx + 45, cy - 90, steps=15)
        page.mouse.move(cx - 15, cy + 100, steps=20)
        page.mouse.up()
        captions = page.locator("#reconstructions .caption-label")
        page.wait_for_function(f"document.querySelectorAll('#reconstructions .caption-label').length === {expected}",
                               timeout=30000)
        labels = captions.all_inner_texts()
        page.screenshot(path=str(tmp_path / "demo.png"), full_page=True)
        message = page.locator("#message").inner_text()
        codes_label = page.locator("#codes").inner_text()
        # The clear button empties the canvas: a friendly message, no reconstructions.
        page.locator('#sketchpad button[aria-label="Clear canvas"]').first.click(timeout=10000)
        page.wait_for_function("document.querySelector('#message').innerText.includes('the canvas is empty')",
                               timeout=30000)
        # A real test digit instead of a drawing.
        page.locator("#random-digit").click()
        page.wait_for_function("document.querySelector('#message').innerText.startsWith('Input: MNIST test digit #')",
                               timeout=30000)
        page.wait_for_function(f"document.querySelectorAll('#reconstructions .caption-label').length === {expected}",
                               timeout=30000)
        # The Lab tab: the committed report's text and every one of its figures, loaded.
        page.get_by_role("tab", name="Lab").click()
        page.get_by_text("1. Which d reconstructs best").wait_for(timeout=30000)
        images = page.locator(".lab-figure img")
        assert images.count() == figures
        for i in range(figures):  # Gradio loads images lazily: bring each into view, then wait for it
            images.nth(i).scroll_into_view_if_needed()
            images.nth(i).evaluate("i => i.decode()")
        loaded = images.evaluate_all("all => all.filter(i => i.complete && i.naturalWidth > 200).length")
        lab_text = page.locator("body").inner_text()
        page.screenshot(path=str(tmp_path / "lab.png"), full_page=True)
        browser.close()
    assert len(labels) == expected
    for label in labels:
        match = re.fullmatch(r"(\w+) d=(\d+) · MSE (\d+\.\d+)", label.strip())
        assert match, label
        assert 0 <= float(match.group(3)) < 1
    assert message.startswith("Input: your drawing")
    assert "most exactly zero: d=16 blue, d=32 orange, d=64 red" in codes_label
    shot = np.asarray(Image.open(tmp_path / "demo.png").convert("L"))
    assert shot.shape[0] > 800 and shot.std() > 10  # a rendered page, not a blank one
    assert figures >= 10 and loaded == figures and "1569·d + 784" in lab_text and "linear classifier" in lab_text
    print(f"screenshots: {tmp_path / 'demo.png'}, {tmp_path / 'lab.png'}")


def test_the_api_reconstructs_a_digit(server, tmp_path, mnist_test):
    from gradio_client import Client, handle_file

    from zoo.ui import as_canvas

    path = tmp_path / "digit.png"
    Image.fromarray(as_canvas(mnist_test[0][0])).save(path)
    client = Client(server, verbose=False)
    pairs = registry.available()
    names, dims = sorted({n for n, _ in pairs}), sorted({d for _, d in pairs})
    sketch = {"background": handle_file(str(path)), "layers": [], "composite": handle_file(str(path))}
    clean, noisy, gallery, codes, message = client.predict(sketch, 0.25, 3, names, dims, api_name="/reconstruct")
    assert message.startswith("Input: your drawing; noise amplitude 0.25, seed 3")
    captions = re.findall(r'<figcaption class="caption-label">([^<]+)</figcaption>', gallery)
    assert len(captions) == len(pairs) == gallery.count("<img ")
    for caption, (name, d) in zip(captions, [(n, d) for n in names for d in dims]):
        assert caption.startswith(f"{name} d={d} · MSE ")
    # The pictures travel inside the HTML as PNG data URLs: no file to fetch.
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', clean).group(1))
    clean_image = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    assert clean_image.shape == (28, 28) and clean_image.max() == 255


def test_bad_input_through_the_api_gets_a_one_line_message(server, tmp_path, mnist_test):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    from zoo.ui import MAX_SEED, MAX_SIDE, as_canvas

    def sketch(path):
        return {"background": handle_file(str(path)), "layers": [], "composite": handle_file(str(path))}

    good, text, huge = tmp_path / "digit.png", tmp_path / "notes.png", tmp_path / "huge.png"
    Image.fromarray(as_canvas(mnist_test[0][0])).save(good)
    text.write_text("a shopping list, not a drawing")
    Image.new("L", (6000, 6000), 255).save(huge)
    client = Client(server, verbose=False)
    refused = {
        "not an image": ((sketch(text), 0.2, 0, ["plain"], [16]), "That file is not an image the demo can read"),
        "too large": ((sketch(huge), 0.2, 0, ["plain"], [16]), f"The image is 6000x6000 pixels; the demo takes at most {MAX_SIDE}"),
        "seed": ((sketch(good), 0.2, 1e30, ["plain"], [16]), f"{MAX_SEED}"),
        "noise": ((sketch(good), 5.0, 0, ["plain"], [16]), "5"),
        "variant": ((sketch(good), 0.2, 0, ["vae"], [16]), "vae"),
    }
    for case, (args, message) in refused.items():
        with pytest.raises(AppError) as info:
            client.predict(*args, api_name="/reconstruct")
        assert message in str(info.value) and "Traceback" not in str(info.value), case
    *_, nothing = client.predict(sketch(good), 0.2, 0, [], [16], api_name="/reconstruct")
    assert nothing == "Pick at least one variant and one d."
    *_, fine = client.predict(sketch(good), 0.2, 0, ["plain"], [16], api_name="/reconstruct")
    assert fine.startswith("Input: your drawing")  # the server is still well after all that


def test_the_canvas_always_draws_after_clear_undo_a_test_digit_and_a_reload(server, chromium, mnist_test):
    """Draw -> Clear -> draw shows new reconstructions without touching any tool; so do Undo, a page reload
    and a random test digit in place of a drawing (Gradio's clear button used to leave the editor waiting
    for a tool; the digit, the editor behind a progress overlay)."""
    from playwright.sync_api import sync_playwright

    def stroke(page, dx):
        box = page.locator("#sketchpad canvas").first.bounding_box()
        cx, cy = box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2
        page.mouse.move(cx - 50, cy - 90)
        page.mouse.down()
        page.mouse.move(cx + 45, cy - 90, steps=15)
        page.mouse.move(cx - 15, cy + 100, steps=20)
        page.mouse.up()

    def shows(page, start):
        page.wait_for_function(f"document.querySelector('#message').innerText.startsWith({start!r})", timeout=30000)
        return page.locator("#clean img").get_attribute("src")

    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(server)
        page.locator("#sketchpad canvas").first.wait_for(timeout=30000)
        wait_until_quiet(page)  # a person looks at the page before drawing
        stroke(page, 0)
        first = shows(page, "Input: your drawing")
        for action in ("Clear canvas", "Undo"):
            page.locator(f'#sketchpad button[aria-label="{action}"]').first.click(timeout=10000)
            shows(page, "Draw a digit first")
            stroke(page, 30)  # no tool picked: the brush must still be active
            assert shows(page, "Input: your drawing") != first, action
        page.reload()
        page.locator("#sketchpad canvas").first.wait_for(timeout=30000)
        wait_until_quiet(page)
        stroke(page, 0)
        drawing = shows(page, "Input: your drawing")
        # A random test digit in place of that drawing; a person looks at it, then draws over it. (Gradio
        # 6.31 left the sketchpad's progress overlay up here for good, swallowing every stroke and click.)
        page.locator("#random-digit").click()
        digit = shows(page, "Input: MNIST test digit #")
        page.wait_for_timeout(1500)
        stroke(page, -30)
        over = shows(page, "Input: your drawing")
        assert over not in (digit, drawing)
        # Another digit in place of that drawing, and the slider at once. Watch the message from the click
        # on: Gradio's editor echoes a placed digit (an empty page, then the digit), which must neither
        # flash "Draw a digit first" nor replace the digit the slider shows.
        page.evaluate("""() => { window.__messages = [];
            new MutationObserver(() => window.__messages.push(document.querySelector('#message').innerText))
              .observe(document.querySelector('#message'), {subtree: true, childList: true, characterData: true}); }""")
        page.locator("#random-digit").click()
        shows(page, "Input: MNIST test digit #")
        page.locator("#noise input[type=range]").first.focus()
        page.keyboard.press("ArrowRight")  # noise 0.05, at once: the slider shows the kept digit
        page.wait_for_timeout(2500)
        messages = page.evaluate("window.__messages")
        after_digit = messages[next(i for i, m in enumerate(messages) if "Input: MNIST" in m):]
        assert not [m for m in after_digit if "Draw a digit first" in m], after_digit
        assert re.match(r"Input: MNIST test digit #\d+ \(a \d\); noise amplitude 0\.05",
                        page.locator("#message").inner_text()), page.locator("#message").inner_text()
        browser.close()


def test_the_slider_shows_each_noise_level_in_the_page_as_the_server_would(server, chromium):
    """Once the page holds the frames of what it shows, a slider move needs no request; and what it shows
    is what the server shows for that level."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(server)
        page.locator("#sketchpad canvas").first.wait_for(timeout=30000)
        page.locator("#random-digit").click()
        page.wait_for_function("""() => { const grid = document.querySelector('#reconstructions .zoo-grid');
            const held = document.querySelector('#zoo-frames [data-frames]');
            return grid && held && grid.dataset.key && held.dataset.key === grid.dataset.key; }""", timeout=30000)
        wait_until_quiet(page)  # the editor echoes a placed digit, later on a busy machine
        requests = []
        page.on("request", lambda r: requests.append(r.url) if "/gradio_api/" in r.url else None)
        slider = page.locator("#noise input[type=range]").first
        slider.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('#message').innerText.includes('noise amplitude 0.15')", timeout=10000)
        in_page = page.locator("#noisy img").get_attribute("src"), page.locator("#reconstructions").inner_text()
        assert requests == []
        # The server's own update for 0.15, left as it comes (no swap from the frames after it).
        page.evaluate("""() => { window.zooSwap = undefined; document.querySelector('#noisy img').dataset.old = 'yes';
                                 document.querySelector('#zoo-render').click(); }""")
        page.wait_for_function("!document.querySelector('#noisy img').dataset.old", timeout=30000)  # Gradio's new picture
        from_server = page.locator("#noisy img").get_attribute("src"), page.locator("#reconstructions").inner_text()
        message = page.locator("#message").inner_text()
        browser.close()
    assert [url for url in requests if "queue/join" in url]  # the button did ask the server
    assert from_server == in_page and "noise amplitude 0.15" in message
