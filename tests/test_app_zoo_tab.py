"""The Zoo tab: its server functions as plain functions, and the page that runs the zoo itself, in real Chromium."""

import base64
import io
import re

import numpy as np
import pytest
import torch
from browsing import SEVEN, ZOO_PAGE, canvas_centre, frame, message, open_demo, page_input, stroke, wait_message
from PIL import Image

import registry
from zoo.analysis.comparison import add_seeded_noise, as_pixels, compare, seed_noise
from zoo.app.checks import answered
from zoo.app.digits import MnistDigits
from zoo.app.keys import ModelKey
from zoo.app.page_weights import rounded_model
from zoo.app.zoo_tab import noise_for, pick_digit, server_reconstructions, sketch_settings
from zoo.data.sketch import EMPTY, preprocess_sketch

CAPTION = re.compile(r"(\w+(?: \(yours\))?) d=(\d+) · MSE (\d\.\d{4})")


@pytest.fixture(scope="module")
def zoo():
    """The shipped zoo by key."""
    return {ModelKey(name, d): registry.get(name, d=d) for name, d in registry.available()}


def test_a_seeds_noise_is_the_servers_own_draw():
    assert noise_for(5)["noise"] == seed_noise(5).tolist() and noise_for("5") == noise_for(5.0)
    with pytest.raises(Exception, match="Seed must be a whole number"):
        noise_for(-1)


def test_a_random_digit_is_a_real_test_digit_with_its_source(mnist_test):
    digit = pick_digit(MnistDigits(), np.random.default_rng(0))
    x, y = mnist_test
    assert digit["pixels"] == x[digit["index"]].tolist()
    assert digit["source"] == f"MNIST test digit #{digit['index']} (a {int(y[digit['index']])})"


def test_the_servers_fallback_is_the_zoo_tabs_computation(zoo, mnist_test):
    x = mnist_test[0][3]
    answer = server_reconstructions(zoo, x.tolist(), 0.4, 9, ["sparse-d32", "plain-d16"])
    expected = compare(zoo, x, 0.4, 9, [ModelKey("sparse", 32), ModelKey("plain", 16)])
    assert [r["id"] for r in answer["results"]] == ["sparse-d32", "plain-d16"]
    for got, want in zip(answer["results"], expected.reconstructions):
        assert got["pixels"] == want.image.reshape(-1).tolist() and got["code"] == want.code.tolist()
        assert got["mse"] == want.mse


def test_a_server_function_answers_a_refusal_in_one_line_instead_of_failing(zoo, mnist_test):
    run = answered(lambda pixels, noise_amplitude, seed, ids: server_reconstructions(zoo, pixels, noise_amplitude, seed, ids))
    good = {"pixels": mnist_test[0][0].tolist(), "noise_amplitude": 0.1, "seed": 1, "ids": ["plain-d16"]}
    assert len(run(good)["results"]) == 1
    cases = {"unknown model": ({**good, "ids": ["vae-d16"]}, "No model 'vae-d16'"),
             "pixels": ({**good, "pixels": [0.5] * 3}, "input must have 784 numbers"),
             "noise": ({**good, "noise_amplitude": 7}, "Noise amplitude must be between 0 and 1"),
             "fields": ({"pixels": []}, "takes an object with pixels, noise_amplitude, seed, ids"),
             "not an object": ([1, 2], "takes an object with")}
    for case, (request, expected) in cases.items():
        answer = run(request)
        assert set(answer) == {"error"} and expected in answer["error"] and "\n" not in answer["error"], case


# ---------------------------------------------------------------------------------------------
# In Chromium: the page runs every model itself



def reconstruction_pixels(page, index: int = 0) -> list[int]:
    return page.evaluate(f"""() => {{ const c = document.querySelectorAll('#reconstructions canvas')[{index}];
        return Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0)); }}""")


@pytest.mark.slow
def test_the_page_runs_the_zoo_as_the_pen_moves_and_asks_the_server_nothing(server, chromium, mnist_test, tmp_path):
    """Mouse, pen and finger; Clear, Undo, a test digit drawn over, the noise slider, a reload: the pictures change
    while the pen is down; nothing but the test digit reaches the server; nothing is logged as an error."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = chromium(p)
        page = open_demo(browser, server)
        expected = page.evaluate("AEZoo.models.size")  # the shipped zoo, and any model a test kept on this server
        assert expected >= len(registry.available())
        assert page.locator("#engine").inner_text().startswith(f"Every model runs in this page: {expected} loaded")
        cx, cy, scale = canvas_centre(page)
        page.mouse.move(cx - 50 * scale, cy - 90 * scale)
        page.mouse.down()
        page.mouse.move(cx + 45 * scale, cy - 90 * scale, steps=8)
        page.wait_for_timeout(100)
        during = frame(page), reconstruction_pixels(page), message(page)
        page.mouse.move(cx - 15 * scale, cy + 100 * scale, steps=8)
        page.wait_for_timeout(100)
        later = frame(page), reconstruction_pixels(page)
        page.mouse.up()
        page.wait_for_timeout(100)
        captions = page.locator("#reconstructions figcaption").all_inner_texts()
        chart = page.locator("#codes .zoo-label").inner_text(), page.evaluate("document.querySelector('#codes canvas').bars")
        seven = page_input(page)
        page.screenshot(path=str(tmp_path / "zoo.png"), full_page=True)

        page.locator('#sketchpad button[aria-label="Clear canvas"]').click()
        cleared = message(page)
        stroke(page, [(-40, -60), (40, -60)])
        one_stroke = page_input(page)
        stroke(page, [(0, -60), (0, 100)])
        two_strokes = page_input(page)
        page.locator('#sketchpad button[aria-label="Undo"]').click()
        undone = page_input(page)
        page.locator("#noise input").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        noisy_message = message(page)
        quiet = list(page.requests)

        page.locator("#random-digit").click()
        digit_message = wait_message(page, "Input: MNIST test digit #")
        digit = page_input(page)
        stroke(page, SEVEN)
        over = message(page)
        page.reload()
        page.wait_for_function("document.querySelector('.zoo-page')?.dataset.ready === 'yes'", timeout=60000)
        stroke(page, SEVEN)
        after_reload = message(page)
        errors = page.errors
        page.context.close()

        # A pen and a finger draw as the mouse does (Chrome's DevTools protocol sends them as a tablet would).
        touch = open_demo(browser, server, has_touch=True)
        cx, cy, scale = canvas_centre(touch)
        cdp = touch.context.new_cdp_session(touch)
        path = [(cx + x * scale, cy + y * scale) for x, y in SEVEN]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": path[0][0], "y": path[0][1]}]})
        for x, y in path[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        touch.wait_for_timeout(200)
        by_finger = message(touch), page_input(touch)
        touch.locator('#sketchpad button[aria-label="Clear canvas"]').click()
        cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": path[0][0], "y": path[0][1], "button": "left",
                                              "clickCount": 1, "pointerType": "pen"})
        for x, y in path[1:]:
            cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "button": "left", "pointerType": "pen"})
        cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": path[-1][0], "y": path[-1][1], "button": "left",
                                              "clickCount": 1, "pointerType": "pen"})
        touch.wait_for_timeout(200)
        by_pen = message(touch), page_input(touch)
        errors += touch.errors
        browser.close()

    assert later[0] > during[0] and later[1] != during[1]  # new pictures while the pen is still down
    assert during[2].startswith("Input: your drawing")
    assert len(captions) == expected and all(CAPTION.fullmatch(c) for c in captions)
    assert chart[0].endswith("most exactly zero: sparse d=16 blue, sparse d=32 orange, sparse d=64 red")
    assert {bar[2].split(" h")[0] for bar in chart[1]} == {"sparse d=16", "sparse d=32", "sparse d=64"}
    assert cleared == EMPTY and one_stroke != two_strokes and undone == one_stroke
    assert noisy_message == "Input: your drawing; noise amplitude 0.15, seed 0."
    assert quiet == []  # drawing, Clear, Undo and the slider ask the server nothing
    index = int(re.match(r"Input: MNIST test digit #(\d+)", digit_message).group(1))
    assert digit == mnist_test[0][index].tolist()  # the exact test digit, not its redrawn copy
    assert over.startswith("Input: your drawing") and after_reload.startswith("Input: your drawing")
    assert by_finger[0].startswith("Input: your drawing") and by_pen[0].startswith("Input: your drawing")
    for drawn in (by_finger[1], by_pen[1], seven):
        assert np.abs(np.array(drawn) - np.array(seven)).mean() < 0.05  # the same "7", whatever drew it
    assert errors == []
    print(f"screenshot: {tmp_path / 'zoo.png'}")


def floats(data: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(data), dtype=np.float32)


@pytest.mark.slow
def test_the_pages_reconstructions_are_its_rounded_models(server, chromium, zoo, mnist_test):
    """200 test digits at noise 0 and 0.5 (seed 7): every model's reconstruction in the page within 1e-4 per pixel of
    the same model with the page's weights (zoo.app.page_weights) run by torch; and the pictures the page shows
    are that model's, pixel for pixel."""
    from playwright.sync_api import sync_playwright

    x = mnist_test[0][:200]
    seed, levels = 7, [0.0, 0.5]
    with sync_playwright() as p:
        browser = chromium(p)
        page = open_demo(browser, server)
        in_page = page.evaluate(f"""async ([digits, seed, levels]) => {{
            const noise = Float32Array.from(await {ZOO_PAGE}.noise(seed)), out = {{}};
            const encode = a => {{ const bytes = new Uint8Array(a.buffer); let s = '';
                                   for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
                                   return btoa(s); }};
            for (const [id, record] of AEZoo.models) {{
                const all = new Float32Array(levels.length * digits.length * 784);
                let k = 0;
                for (const level of levels) for (const digit of digits) {{
                    const model = record.model, noisy = AEZoo.addNoise(Float32Array.from(digit), level, noise);
                    all.set(model.decode(model.encode(noisy)), 784 * k++);
                }}
                out[id] = encode(all);
            }}
            return out; }}""", [x.tolist(), seed, levels])
        # What the page shows for a test digit at noise 0.5, seed 7.
        page.locator("#random-digit").click()
        shown = wait_message(page, "Input: MNIST test digit #")
        page.locator("#seed input").fill(str(seed))
        page.locator("#seed input").press("Enter")
        page.locator("#noise input").fill("0.5")
        page.locator("#noise input").dispatch_event("input")
        page.wait_for_function("document.querySelector('#message').innerText.includes('noise amplitude 0.50, seed 7')")
        pictures = page.evaluate("""() => [...document.querySelectorAll('#reconstructions figure[data-model]')].map(f =>
            [f.dataset.model, Array.from(f.querySelector('canvas').getContext('2d').getImageData(0, 0, 28, 28).data
                                          .filter((_, i) => i % 4 === 0))])""")
        errors = page.errors
        browser.close()

    assert set(in_page) >= {key.id for key in zoo}
    page_zoo = {key: rounded_model(model) for key, model in zoo.items()}
    for key, model in page_zoo.items():
        noisy = torch.cat([torch.cat([add_seeded_noise(row.reshape(1, 784), level, seed) for row in x]) for level in levels])
        with torch.no_grad():
            expected = model(noisy).numpy().reshape(-1)
        assert np.abs(floats(in_page[key.id]) - expected).max() <= 1e-4, key
    index = int(re.match(r"Input: MNIST test digit #(\d+)", shown).group(1))
    server_view = compare(page_zoo, mnist_test[0][index], 0.5, seed, sorted(zoo))
    by_id = {r.key.id: as_pixels(r.image).reshape(-1) for r in server_view.reconstructions}
    assert {model_id for model_id, _ in pictures} >= set(by_id)
    for model_id, pixels in ((m, p) for m, p in pictures if m in by_id):
        assert np.abs(np.array(pixels) - by_id[model_id].astype(int)).max() <= 1, model_id
    assert errors == []


@pytest.mark.slow
def test_the_pages_input_is_preprocess_sketch_of_its_canvas(server, chromium):
    """20 drawings of different shapes, sizes and places: the page's 28x28 input and preprocess_sketch of the same
    canvas (its PNG, as a browser would upload it) within MSE 1e-3."""
    from playwright.sync_api import sync_playwright

    rng = np.random.default_rng(20)
    errors = []
    with sync_playwright() as p:
        browser = chromium(p)
        page = open_demo(browser, server)
        for drawing in range(20):
            page.locator('#sketchpad button[aria-label="Clear canvas"]').click()
            size, (ox, oy) = rng.uniform(0.3, 1.0), rng.uniform(-60, 60, size=2)
            for _ in range(rng.integers(1, 4)):
                points = [(ox + size * px, oy + size * py) for px, py in rng.uniform(-130, 130, size=(rng.integers(2, 6), 2))]
                stroke(page, points, steps=4)
            in_page = np.array(page_input(page), dtype=np.float32)
            png = page.evaluate("document.querySelector('#sketchpad canvas').toDataURL('image/png')")
            canvas = Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1])))
            errors.append(float(((preprocess_sketch(canvas).numpy() - in_page) ** 2).mean()))
        console = page.errors
        browser.close()
    assert max(errors) <= 1e-3, errors
    assert console == []
    print(f"page input vs preprocess_sketch over 20 drawings: MSE mean {np.mean(errors):.2e}, max {max(errors):.2e}")


def shown_pixels(page, model_id: str) -> np.ndarray:
    return np.array(page.evaluate(f"""() => Array.from(document.querySelector('#reconstructions figure[data-model="{model_id}"] canvas')
                                      .getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0))"""))


def server_pixels(zoo, x, key: ModelKey) -> np.ndarray:
    return as_pixels(compare(zoo, torch.tensor(x), 0.0, 0, [key]).reconstructions[0].image).reshape(-1).astype(int)


def console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


SHOWS = "document.querySelector('#reconstructions figure[data-model=\"{}\"]')?.dataset.shows === '{}'"


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["missing", "cut short", "corrupt"])
def test_a_model_whose_file_fails_runs_on_the_server_and_the_page_says_why(server, chromium, zoo, fault):
    """A weights file that never comes, comes cut short or comes with other bytes: that model is computed by the
    server (its picture the server's float32 one, marked), the reason is on the page, and the page logs nothing
    (the browser's own line for a failed request aside)."""
    from playwright.sync_api import sync_playwright

    entry = next(e for e in page_entries(server) if e["id"] == "plain-d16")
    with sync_playwright() as p:
        browser = chromium(p)
        context = browser.new_context(viewport={"width": 1400, "height": 1300})
        if fault == "missing":
            context.route(f"**/{entry['url']}", lambda route: route.fulfill(status=404, body="No such weights file."))
        else:
            def broken(route):
                body = route.fetch(headers={**route.request.headers, "accept-encoding": "identity"}).body()
                body = body[: len(body) // 2] if fault == "cut short" else body[:-1000] + bytes(1000)
                route.fulfill(status=200, body=body, headers={"content-type": "application/octet-stream"})
            context.route(f"**/{entry['url']}", broken)
        page = context.new_page()
        errors = console_errors(page)
        page.goto(server)
        page.wait_for_function("document.querySelector('.zoo-page')?.dataset.ready === 'yes'", timeout=60000)
        status = page.locator("#engine").inner_text()
        stroke(page, SEVEN)
        page.wait_for_function(SHOWS.format("plain-d16", "server"), timeout=30000)
        x, shown = page_input(page), shown_pixels(page, "plain-d16")
        captions = page.locator("#reconstructions figcaption").all_inner_texts()
        browser.close()
    here, listed = map(int, re.search(r"(\d+) of (\d+)", status).groups())
    reason = {"missing": "its weights did not load: HTTP 404", "cut short": "its weights file was cut short",
              "corrupt": "its weights file is not the one listed (sha256 differs)"}[fault]
    assert here == listed - 1 and f"On the server instead: plain d=16 ({reason}" in status, status
    assert np.abs(shown - server_pixels(zoo, x, ModelKey("plain", 16))).max() <= 1
    assert [c for c in captions if c.endswith("(on the server)")] == [c for c in captions if c.startswith("plain d=16 ·")]
    assert all("Failed to load resource" in e for e in errors) and len(errors) == (fault == "missing"), errors


def page_entries(server: str) -> list[dict]:
    import json
    import urllib.request

    with urllib.request.urlopen(server + "zoo/models.json") as answer:
        return json.load(answer)


@pytest.mark.slow
def test_until_its_weights_are_in_a_model_is_drawn_by_the_server_then_by_the_page(server, chromium, zoo):
    """Weights held back: a stroke is reconstructed by the server at once, every tile marked; the files are asked
    for two at a time, small before large, and the models on screen before the others; once a file is in, that
    tile is the page's own."""
    from playwright.sync_api import sync_playwright

    entries = {e["id"]: e for e in page_entries(server)}
    held, asked = [], []
    with sync_playwright() as p:
        browser = chromium(p)
        context = browser.new_context(viewport={"width": 1400, "height": 1300})
        context.route("**/zoo/weights/*", lambda route: (held.append(route), asked.append(route.request.url)))
        page = context.new_page()
        errors = console_errors(page)
        page.goto(server)
        page.wait_for_function("document.querySelector('.zoo-page')?.dataset.started === 'yes'", timeout=60000)
        page.wait_for_function(f"AEZoo.list.length === {len(entries)}")  # the current list, a kept model in it
        page.wait_for_timeout(300)
        in_flight = len(held)
        at_start = page.evaluate("JSON.parse(document.getElementById('zoo-models').textContent).map(m => m.id)")
        # Only the deep model and plain d=16 on screen now: of the files not yet asked for, the deep one comes next.
        for picker, keep in (("#variants", ("deep", "plain")), ("#dims", ("16", "30"))):
            for box in page.locator(f"{picker} input").all():
                if box.input_value() not in keep and box.is_checked():
                    box.uncheck()
        stroke(page, SEVEN)
        for model_id in ("deep-d30", "plain-d16"):
            page.wait_for_function(SHOWS.format(model_id, "server"), timeout=30000)
        x = page_input(page)
        before = {m: shown_pixels(page, m) for m in ("deep-d30", "plain-d16")}
        captions = page.locator("#reconstructions figcaption").all_inner_texts()
        status = page.locator("#engine").inner_text()
        while len(asked) < len(entries):  # the files through one at a time, in the order they were asked for
            if held:
                held.pop(0).continue_()
            page.wait_for_timeout(100)
        for route in held:
            route.continue_()
        page.wait_for_function("document.querySelector('.zoo-page')?.dataset.ready === 'yes'", timeout=60000)
        page.wait_for_function(SHOWS.format("deep-d30", "page"), timeout=30000)
        after = {m: shown_pixels(page, m) for m in ("deep-d30", "plain-d16")}
        ready_captions = page.locator("#reconstructions figcaption").all_inner_texts()
        browser.close()

    assert in_flight == 2  # two files at a time
    order = [next(i for i, e in entries.items() if e["url"] in url) for url in asked]
    assert sorted(order) == sorted(entries)
    by_size = sorted(entries, key=lambda i: entries[i]["bytes"])  # stable: ties in the list's order
    # The two smallest of the list the page had when its canvas showed: the one it was built with, or the current.
    assert order[:2] in (by_size[:2], [i for i in by_size if i in at_start][:2]), order
    on_screen = [i for i in by_size if i in ("deep-d30", "plain-d16") and i not in order[:2]]
    assert order[2:2 + len(on_screen)] == on_screen, order  # the deep model is the largest, but on screen
    assert order[2 + len(on_screen):] == [i for i in by_size if i not in order[:2] + on_screen], order
    assert all(c.endswith("(on the server)") for c in captions) and len(captions) == 2, captions
    assert "Models running in this page: 0 of" in status and "Weights: 0.0 of" in status, status
    for key in (ModelKey("deep", 30), ModelKey("plain", 16)):
        assert np.abs(before[key.id] - server_pixels(zoo, x, key)).max() <= 1, key  # the server's float32 model
        page_model = {key: rounded_model(zoo[key])}
        assert np.abs(after[key.id] - server_pixels(page_model, x, key)).max() <= 1, key  # the page's own
    assert not any(c.endswith("(on the server)") for c in ready_captions)
    assert errors == []


@pytest.mark.slow
def test_with_the_network_cut_after_load_the_page_still_reconstructs(server, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = chromium(p)
        page = open_demo(browser, server)
        page.context.set_offline(True)
        stroke(page, SEVEN)
        first = reconstruction_pixels(page)
        page.locator("#noise input").focus()
        page.keyboard.press("ArrowRight")
        stroke(page, [(-40, 0), (40, 0)])
        page.wait_for_timeout(200)
        second, captions = reconstruction_pixels(page), page.locator("#reconstructions figcaption").all_inner_texts()
        errors = page.errors
        browser.close()
    assert first != second and all(CAPTION.fullmatch(c) for c in captions)
    assert len(captions) >= len(registry.available()) and errors == []


PARTS = """async sketch => {
  const zoo = window.AEZoo, out = {};
  const entry = zoo.list.find(m => m.id === 'sparse-d32'), model = zoo.models.get('sparse-d32').model;
  const x = Float32Array.from({length: 784}, (_, i) => (i % 29) / 28);
  // Results: each (model, seed, level) computed once for an input, all forgotten for the next.
  const results = new zoo.Results(0.05, Float32Array.from({length: 784}, (_, i) => Math.sin(i)));
  results.setInput(x);
  const first = results.get(entry, model, 0, 0.3);
  out.cached = results.get(entry, model, 0, 0.3) === first && results.results.size === 1;
  out.same = Array.from(first.out).every((v, i) => v === model.decode(model.encode(results.noisyInput(0, 0.3)))[i]);
  out.levels = results.levels(0.3).slice(0, 3);
  out.pending = [...results.pending([[entry, model]], [[entry, model]], 0, 0.3)].slice(0, 3).map(([, , s, a]) => [s, a]);
  results.setInput(x.map(v => 1 - v));
  out.cleared = results.results.size === 0 && results.get(entry, model, 0, 0.3) !== first;
  // CodeChart: a bar per non-zero unit, named on hover; hidden with no sparse model.
  const box = document.createElement('div');
  box.innerHTML = '<p></p><canvas></canvas>';
  document.body.append(box);
  const chart = new zoo.CodeChart(box, [['#123456', 'blue']]);
  chart.draw([[entry, first.h]], zoo.list);
  out.bars = chart.canvas.bars.length;
  out.nonzero = Array.from(first.h).filter(v => v !== 0).length;
  out.label = box.querySelector('p').textContent;
  chart.draw([], zoo.list);
  out.hidden = chart.canvas.hidden;
  // Sketchpad: a stroke read as preprocess_sketch reads its canvas; Undo leaves it empty.
  const canvas = document.createElement('canvas');
  const changes = [];
  const pad = new zoo.Sketchpad(canvas, {size: 400, brush: 24, field: 28}, (e, reread) => changes.push(reread));
  pad.paintPage();
  pad.strokes.push([[150, 100], [250, 100], [180, 300]]);
  pad.paintPage();
  const read = pad.read(sketch), boxed = zoo.prepare(canvas, sketch, pad.drawn), whole = zoo.prepare(canvas, sketch);
  out.read = read.source === 'your drawing' && Array.from(read.x).every((v, i) => v === boxed.x[i]);
  out.box = Math.max(...Array.from(read.x).map((v, i) => Math.abs(v - whole.x[i])));  // the white outside the box: nothing
  pad.undo(null);
  out.undone = pad.read(sketch).error === sketch.empty && changes.join() === 'true';
  // ModelGrid: a checkbox per variant and d; unticked, its models leave the selection and the grid.
  const grid = document.createElement('div');
  grid.innerHTML = '<fieldset id="v"></fieldset><fieldset id="d"></fieldset><div id="g"></div>';
  const models = new zoo.ModelGrid(grid.querySelector('#v'), grid.querySelector('#d'), grid.querySelector('#g'));
  models.pickers(zoo.list);
  out.boxes = [...grid.querySelectorAll('input')].map(b => b.value);
  grid.querySelector('#v input[value=sparse]').checked = false;
  models.layout(zoo.list);
  out.selected = models.selection(zoo.list).map(m => m.id);
  out.cells = [...models.cells.keys()];
  // ServerResults: one call per input; the answer kept for that input only.
  let calls = 0;
  const remote = new zoo.ServerResults(async ({ids}) => { calls++; return {results: ids.map(id => ({id, mse: 1}))}; },
                                       () => null, () => null);
  remote.ask([entry], x, 0, 0);
  remote.ask([entry], x, 0, 0);
  await new Promise(resolve => setTimeout(resolve, 50));
  out.calls = calls;
  out.answered = remote.answers([entry]).map(([m, r]) => r.id);
  remote.ask([entry], x, 0.5, 0);
  out.waiting = remote.answers([entry]).length;
  out.describe = zoo.describe();
  return out;
}"""


@pytest.mark.slow
def test_the_zoo_tabs_parts_do_their_one_job_each(server, chromium):
    """AEZoo's parts on their own, through their seams: the result cache, the code chart, the sketchpad, the pickers
    and grid, the server's results for models the page cannot run, and the engine's account of itself."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        page = open_demo(chromium(p), server)
        got = page.evaluate(PARTS, sketch_settings())
        errors = page.errors
        page.context.close()
    assert got["cached"] and got["same"] and got["cleared"]
    assert got["levels"] == [0.3, 0.25, 0.35] and got["pending"] == [[0, 0.3], [0, 0.25], [0, 0.35]]
    assert got["bars"] == got["nonzero"] > 0 and got["label"].endswith("sparse d=32 blue") and got["hidden"]
    assert got["read"] and got["box"] < 1e-12 and got["undone"]
    assert set(got["boxes"]) >= {"plain", "denoising", "sparse", "deep", "16", "30", "32", "64"}
    assert got["selected"] == got["cells"] and "sparse-d32" not in got["selected"] and "plain-d16" in got["selected"]
    assert got["calls"] == 1 and got["answered"] == ["sparse-d32"] and got["waiting"] == 0
    assert got["describe"]["text"].startswith("Every model runs in this page") and not got["describe"]["onServer"]
    assert not errors
