"""What a person waits for in the browser, now that the page runs the zoo itself (Chromium, headless).

    python benchmarks/demo_browser.py [--strokes 20] [--moves 40] [--loads 8]

Serves `python demo.py` and, as the floor, a bare Gradio app: one gr.HTML with a canvas that draws the
pen's path and a range input, recording its frames as the demo does, with no model behind them (Gradio's
page and the browser's frame, nothing of ours). Drives both with Playwright in Debian's Chromium.

Times, two ways:
- in the page (performance.now()): from the input event's timeStamp to `drawn` (the pictures are drawn)
  and to `painted` (the task after the frame that paints them: what the person sees). A pen move is the
  first move since the last frame; the page draws at most once per animation frame (60 Hz).
- from Playwright: from the call that releases the mouse (or presses the key) to the page's frame
  counter moving, polled on animation frames: the driver's own round trips included.

Page load: navigation to "ready" (every model's weights in and compiled; the floor: its canvas shown),
cold (a new browser context: nothing cached) and warm (a reload), with the bytes the page fetched.
The room: the requests to the server while drawing 20 strokes, Clear, Undo and moving the noise slider.
Last line: `RESULT move_p95_ms=.. up_p95_ms=.. first_stroke_p95_ms=.. slider_p95_ms=.. seed_p95_ms=..
picker_p95_ms=.. explore_p95_ms=.. load_p95_ms=.. requests=..` (all `painted`, in the page).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time

from demo_load import serve, settle

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

# The floor: Gradio's page with a canvas of its own and a slider, each drawing once per frame and timing
# itself as zoo_tab.js does (engine.js's `timed`), with no model behind them.
FLOOR_JS = """
const pad = element.querySelector('canvas'), range = element.querySelector('input');
pad.width = pad.height = 400;
const ink = pad.getContext('2d', {willReadFrequently: true});
ink.fillStyle = '#fff'; ink.fillRect(0, 0, 400, 400);
window.floorTimings = [];
let since = null, scheduled = false, last = null, down = false;
const at = e => { const b = pad.getBoundingClientRect(); return [(e.clientX - b.left) * 400 / b.width, (e.clientY - b.top) * 400 / b.height]; };
function frame() {
  scheduled = false;
  const event = since; since = null;
  element.querySelector('output').textContent = range.value;
  pad.dataset.frame = String(Number(pad.dataset.frame || 0) + 1);
  if (!event) return;
  const drawn = performance.now(), channel = new MessageChannel();
  channel.port1.onmessage = () => window.floorTimings.push({kind: event.type, since: event.timeStamp, drawn, painted: performance.now()});
  channel.port2.postMessage(null);
}
function changed(event) {
  if (!since) since = {type: event.type, timeStamp: event.timeStamp};
  if (!scheduled) { scheduled = true; requestAnimationFrame(frame); }
}
pad.addEventListener('pointerdown', e => { down = true; last = at(e); pad.setPointerCapture(e.pointerId); changed(e); });
pad.addEventListener('pointermove', e => {
  if (!down) return;
  const p = at(e); ink.lineWidth = 30; ink.lineCap = 'round'; ink.beginPath(); ink.moveTo(...last); ink.lineTo(...p); ink.stroke();
  last = p; changed(e);
});
pad.addEventListener('pointerup', e => { down = false; changed(e); });
range.addEventListener('input', changed);
window.floorReady = true;
"""


def floor_app():
    import gradio as gr

    with gr.Blocks() as app:
        gr.HTML(html_template='<div id="sketchpad"><canvas style="width:400px;height:400px;touch-action:none"></canvas></div>'
                              '<div id="noise"><input type="range" min="0" max="1" step="0.05" value="0"><output></output></div>',
                js_on_load=FLOOR_JS, apply_default_css=False)
    return app


@contextlib.contextmanager
def demo_and_floor(script: str, port: int):
    """`python demo.py` on `port` and a benchmark's floor app (`script --serve-floor`) on port + 1, once the demo's
    start-up work is done; yields their URLs, and stops both."""
    demo = serve([sys.executable, "demo.py", "--no-browser", "--port", str(port)], port)
    floor = serve([sys.executable, script, "--serve-floor", str(port + 1)], port + 1)
    try:
        print(f"demo settled after {settle(demo.pid):.0f} s of start-up work", flush=True)
        yield f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port + 1}/"
    finally:
        for server in (demo, floor):
            server.terminate()
            server.wait(timeout=30)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def stroke(page, i: int, lift: bool = True) -> None:
    """A "7"-like stroke, shifted a little each time so every stroke changes the drawing; the pen stays down
    unless `lift`."""
    box = page.locator("#sketchpad canvas").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2 + (i % 5 - 2) * 12, box["y"] + box["height"] / 2 + (i % 3 - 1) * 10
    page.mouse.move(cx - 50, cy - 90)
    page.mouse.down()
    page.mouse.move(cx + 45, cy - 90, steps=8)
    page.mouse.move(cx - 15, cy + 100, steps=10)
    if lift:
        page.mouse.up()


def timings(page, kind: str, since: float, view: str | None = None) -> list[dict]:
    """The page's frame timings recorded after page time `since` (the floor's or the demo's)."""
    source = "window.floorTimings" if kind == "floor" else "AEZoo.timings"
    return page.evaluate(f"s => {source}.filter(t => t.since > s)", since) if view is None else \
        page.evaluate(f"([s, v]) => {source}.filter(t => t.since > s && t.view === v)", [since, view])


def now(page) -> float:
    return page.evaluate("performance.now()")


def frame_counter(kind: str) -> str:
    return ("Number(document.querySelector('#sketchpad canvas').dataset.frame || 0)" if kind == "floor"
            else "Number(document.querySelector('#reconstructions').dataset.frame)")


def open_page(browser, url: str, kind: str):
    """A new page (and context: a cold cache) at `url`, once ready; returns (page, seconds to ready, bytes fetched)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function("window.floorReady === true" if kind == "floor"
                           else "document.querySelector('.zoo-page')?.dataset.ready === 'yes'", timeout=60000, polling=20)
    return page, time.perf_counter() - start, fetched(page)


def fetched(page) -> int:
    """Bytes the page fetched over the network (the document and every resource; 0 for what came from the cache)."""
    return page.evaluate("""() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
                              .reduce((n, e) => n + (e.transferSize || 0), 0)""")


def ready_in_page(page, kind: str) -> float:
    """Milliseconds from navigation (the page's time origin) to ready: the last model loaded, or the floor's canvas."""
    return page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd") if kind == "floor" \
        else page.evaluate("Math.max(...[...AEZoo.models.values()].map(r => r.loadedAt))")


def measure_loads(browser, url: str, kind: str, loads: int) -> dict:
    cold, warm, cold_bytes, warm_bytes, in_page = [], [], [], [], []
    for _ in range(loads):
        page, seconds, size = open_page(browser, url, kind)
        cold.append(1000 * seconds)
        cold_bytes.append(size)
        in_page.append(ready_in_page(page, kind))
        start = time.perf_counter()
        page.reload()
        page.wait_for_function("window.floorReady === true" if kind == "floor"
                               else "document.querySelector('.zoo-page')?.dataset.ready === 'yes'", timeout=60000, polling=20)
        warm.append(1000 * (time.perf_counter() - start))
        warm_bytes.append(fetched(page))
        page.context.close()
    return {"cold": cold, "warm": warm, "in_page": in_page, "cold_bytes": statistics.median(cold_bytes),
            "warm_bytes": statistics.median(warm_bytes)}


def measure_strokes(browser, url: str, kind: str, strokes: int, loads: int) -> dict:
    """Pen moves and releases over `strokes` strokes on one page; the first stroke after each of `loads` loads."""
    first = []
    for _ in range(loads):
        page, _, _ = open_page(browser, url, kind)
        start = now(page)
        stroke(page, 0)
        page.wait_for_timeout(300)
        first.append(max(t["painted"] - t["since"] for t in timings(page, kind, start)))
        page.context.close()
    page, _, _ = open_page(browser, url, kind)
    start, up_driver = now(page), []
    for i in range(strokes):
        if kind == "demo" and i and i % 5 == 0:
            page.locator('#sketchpad button[aria-label="Clear canvas"]').click()
        stroke(page, i, lift=False)
        before = page.evaluate(frame_counter(kind))
        clock = time.perf_counter()
        page.mouse.up()
        page.wait_for_function(f"{frame_counter(kind)} > {before}", polling="raf", timeout=10000)
        up_driver.append(1000 * (time.perf_counter() - clock))
    page.wait_for_timeout(300)
    frames = timings(page, kind, start)
    page.context.close()
    moves = [t for t in frames if t["kind"] == "pointermove"]
    ups = [t for t in frames if t["kind"] == "pointerup"]
    return {"first": first, "move_drawn": [t["drawn"] - t["since"] for t in moves],
            "move": [t["painted"] - t["since"] for t in moves], "up": [t["painted"] - t["since"] for t in ups],
            "up_driver": up_driver, "errors": page.errors}


def measure_controls(browser, url: str, moves: int) -> dict:
    """The demo's noise slider, seed, pickers, and Explore's unit slider and strips: in-page `painted` times."""
    page, _, _ = open_page(browser, url, "demo")
    page.locator("#random-digit").click()
    page.wait_for_function("document.querySelector('#message').innerText.startsWith('Input: MNIST')", timeout=30000)
    page.wait_for_timeout(500)
    result = {}
    slider = page.locator("#noise input")
    start = now(page)
    for i in range(moves):
        slider.focus()
        page.keyboard.press("ArrowRight" if (i // 20) % 2 == 0 else "ArrowLeft")
        page.wait_for_timeout(60)
    result["slider"] = [t["painted"] - t["since"] for t in timings(page, "demo", start, "zoo") if t["kind"] == "input"]
    # Seeds up one at a time: after each, the page has fetched the next one's noise in the background.
    seed = page.locator("#seed input")
    seed.fill("1")
    seed.press("Enter")
    page.wait_for_timeout(500)
    start = now(page)
    for value in range(2, 2 + moves):
        page.wait_for_timeout(150)
        seed.fill(str(value))
        seed.press("Enter")
    page.wait_for_timeout(300)
    result["seed"] = [t["painted"] - t["since"] for t in timings(page, "demo", start, "zoo") if t["kind"] == "change"]
    start = now(page)
    for i in range(moves):
        page.locator("#dims input").nth(i % 3).click()
        page.wait_for_timeout(60)
    page.wait_for_timeout(300)
    result["picker"] = [t["painted"] - t["since"] for t in timings(page, "demo", start, "zoo") if t["kind"] == "change"]
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_function("document.querySelector('#explore-code-note')?.innerText.includes('units')", timeout=60000)
    page.wait_for_timeout(500)
    start = now(page)
    unit = page.locator("#explore-h3 input")
    for i in range(moves):
        unit.focus()
        page.keyboard.press("ArrowRight" if (i // 20) % 2 == 0 else "ArrowLeft")
        page.wait_for_timeout(60)
    result["explore"] = [t["painted"] - t["since"] for t in timings(page, "demo", start, "code")]
    start = now(page)
    steps = page.locator("#explore-steps input")
    for i in range(moves // 4):
        steps.focus()
        page.keyboard.press("ArrowRight" if (i // 6) % 2 == 0 else "ArrowLeft")
        page.wait_for_timeout(80)
    result["strips"] = [t["painted"] - t["since"] for t in timings(page, "demo", start, "walk")]
    result["errors"] = page.errors
    page.context.close()
    return result


def measure_floor_slider(browser, url: str, moves: int) -> list[float]:
    page, _, _ = open_page(browser, url, "floor")
    start = now(page)
    for i in range(moves):
        page.locator("#noise input").focus()
        page.keyboard.press("ArrowRight" if (i // 20) % 2 == 0 else "ArrowLeft")
        page.wait_for_timeout(60)
    values = [t["painted"] - t["since"] for t in timings(page, "floor", start) if t["kind"] == "input"]
    page.context.close()
    return values


def count_requests(browser, url: str) -> tuple[int, list[str]]:
    """Requests to the server while a person draws 20 strokes, clears, undoes and moves the noise slider."""
    page, _, _ = open_page(browser, url, "demo")
    page.wait_for_timeout(1000)
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    for i in range(20):
        if i == 10:
            page.locator('#sketchpad button[aria-label="Clear canvas"]').click()
        stroke(page, i)
    page.locator('#sketchpad button[aria-label="Undo"]').click()
    for _ in range(10):
        page.locator("#noise input").focus()
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1000)
    page.context.close()
    return len(seen), seen


def row(name: str, values: list[float], floor: list[float] | None = None) -> str:
    if not values:
        return f"{name:<44} {'(none)':>8}"
    line = f"{name:<44} {len(values):>6} {statistics.median(values):>8.1f} {p95(values):>8.1f} {max(values):>8.1f}"
    if floor:
        line += f" {p95(floor):>10.1f} {p95(values) / p95(floor):>7.2f}x"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=20)
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--loads", type=int, default=8)
    parser.add_argument("--port", type=int, default=7875)
    parser.add_argument("--serve-floor", type=int, default=None, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_floor is not None:
        floor_app().launch(server_name="127.0.0.1", server_port=args.serve_floor)
        return 0
    from playwright.sync_api import sync_playwright

    with demo_and_floor(__file__, args.port) as (demo_url, floor_url), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        loads = {"demo": measure_loads(browser, demo_url, "demo", args.loads),
                 "floor": measure_loads(browser, floor_url, "floor", args.loads)}
        strokes = {"demo": measure_strokes(browser, demo_url, "demo", args.strokes, args.loads),
                   "floor": measure_strokes(browser, floor_url, "floor", args.strokes, args.loads)}
        controls = measure_controls(browser, demo_url, args.moves)
        floor_slider = measure_floor_slider(browser, floor_url, args.moves)
        requests, urls = count_requests(browser, demo_url)
        browser.close()
    d, f = strokes["demo"], strokes["floor"]
    print("Chromium headless, 1400x1100; in-page times in ms from the input event to the task after the frame that "
          "paints it (`painted`) unless said; floor: a bare Gradio page with its own canvas, no model")
    print(f"{'what':<44} {'n':>6} {'p50':>8} {'p95':>8} {'max':>8} {'floor p95':>10} {'ratio':>8}")
    print(row("pen move -> pictures drawn", d["move_drawn"], f["move_drawn"]))
    print(row("pen move -> painted", d["move"], f["move"]))
    print(row("mouse-up -> painted", d["up"], f["up"]))
    print(row("mouse-up -> frame counter (Playwright)", d["up_driver"], f["up_driver"]))
    print(row("first stroke after a load: slowest frame", d["first"], f["first"]))
    print(row("noise slider key -> painted", controls["slider"], floor_slider))
    print(row("seed (Enter, noise fetched ahead) -> painted", controls["seed"], floor_slider))
    print(row("picker click -> painted", controls["picker"], floor_slider))
    print(row("Explore unit slider key -> painted", controls["explore"], floor_slider))
    print(row("Explore strips steps key -> painted", controls["strips"], floor_slider))
    print(row("page load, cold: navigation -> ready (in page)", loads["demo"]["in_page"]))
    print(row("page load, cold (Playwright)", loads["demo"]["cold"], loads["floor"]["cold"]))
    print(row("page load, warm: reload (Playwright)", loads["demo"]["warm"], loads["floor"]["warm"]))
    print(f"bytes fetched per load: demo cold {loads['demo']['cold_bytes'] / 1e6:.2f} MB, warm "
          f"{loads['demo']['warm_bytes'] / 1e6:.2f} MB; floor cold {loads['floor']['cold_bytes'] / 1e6:.2f} MB, "
          f"warm {loads['floor']['warm_bytes'] / 1e6:.2f} MB")
    print(f"requests while drawing 20 strokes, Clear, Undo, 10 slider moves: {requests} {urls[:5]}")
    errors = d["errors"] + controls["errors"]
    print(f"console errors: {len(errors)} {errors[:3]}")
    print(f"RESULT move_p95_ms={p95(d['move']):.1f} up_p95_ms={p95(d['up']):.1f} first_stroke_p95_ms={p95(d['first']):.1f} "
          f"slider_p95_ms={p95(controls['slider']):.1f} seed_p95_ms={p95(controls['seed']):.1f} "
          f"picker_p95_ms={p95(controls['picker']):.1f} explore_p95_ms={p95(controls['explore']):.1f} "
          f"load_p95_ms={p95(loads['demo']['cold']):.0f} requests={requests}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
