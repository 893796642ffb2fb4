"""What a person waits for in the browser: stroke -> pictures and slider -> pictures, in Chromium.

    python benchmarks/demo_browser.py [--strokes 30] [--moves 30]

Starts `python demo.py` and, as the floor, a bare Gradio app (a Sketchpad and a Slider, each feeding
an HTML output: Gradio's own upload, queue and update path with no work behind it) on loopback, and drives
both with Playwright in Debian's Chromium (headless). Times are taken inside the page
(`performance.now()`): from the mouse button's release (or the slider's key press) to the moment the
page shows the result, for the demo when the input image and all reconstructions have new pictures
decoded, for the bare app when its output shows the new text. The first stroke after the page loads
is reported separately and also counted in the stroke percentiles. Last line:
`RESULT stroke_p95_ms=<demo> stroke_floor_p95_ms=<bare> first_stroke_ms=<demo> slider_p95_ms=<demo>
slider_floor_p95_ms=<bare>`.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys

from demo_load import serve

CHROMIUM = "/usr/bin/chromium"

# Watches for the result of the next release/key press: records that moment (window.__start) and
# the page's signature then, and resolves window.__done with the page time at which the signature has
# changed (and, for the demo, every picture is decoded). Gradio may already be busy during a stroke;
# only what follows the release counts.
WATCH = """
([target, kind]) => {
  const signature = () => kind === 'demo'
      ? (document.querySelector('#clean img')?.src || '') + '|' + (document.querySelector('#noisy img')?.src || '')
        + '|' + [...document.querySelectorAll('#reconstructions .caption-label')].map(e => e.innerText).join(',')
      : ((document.querySelector(target)?.innerText || '').match(/update \\d+/) || [''])[0];
  window.__start = null;
  let before = null;
  window.__done = new Promise(resolve => {
    const check = async () => {
      if (window.__start === null || signature() === before) return false;
      if (kind === 'demo') {
        const images = [...document.querySelectorAll('#clean img, #noisy img, #reconstructions img')];
        if (images.length < 3) return false;
        await Promise.all(images.map(i => i.decode().catch(() => null)));
      }
      return true;
    };
    const observer = new MutationObserver(async () => {
      if (await check()) { observer.disconnect(); resolve(performance.now()); }
    });
    const mark = () => {
      window.__start = performance.now();
      before = signature();
      observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    };
    document.addEventListener('pointerup', mark, {capture: true, once: true});
    document.addEventListener('keydown', mark, {capture: true, once: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 20000);
  });
}
"""


def bare_app():
    """Gradio's floor: the same input components, no work behind them."""
    import gradio as gr

    from zoo.ui import blank_canvas

    with gr.Blocks() as app:
        # The demo's white page, so the brush is active at once in both apps.
        sketch = gr.Sketchpad(value=blank_canvas(), type="numpy",
                              image_mode="L", canvas_size=(400, 400), elem_id="sketchpad",
                              brush=gr.Brush(default_size=30, colors=["#000000"], color_mode="fixed"))
        noise = gr.Slider(0.0, 1.0, value=0.0, step=0.05, elem_id="noise")
        sketch_out = gr.HTML(elem_id="sketch-out")  # HTML: a new value changes the DOM, which the page watches
        noise_out = gr.HTML(elem_id="noise-out")
        counter = {"n": 0}

        def seen(_):
            counter["n"] += 1
            return f"update {counter['n']}"

        sketch.input(seen, sketch, sketch_out, trigger_mode="always_last")
        noise.change(seen, noise, noise_out, trigger_mode="always_last")
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stroke(page, i: int) -> None:
    """A "7"-like stroke, shifted a little each time so every stroke changes the drawing."""
    box = page.locator("#sketchpad canvas").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2 + (i % 5 - 2) * 12, box["y"] + box["height"] / 2 + (i % 3 - 1) * 10
    page.mouse.move(cx - 50, cy - 90)
    page.mouse.down()
    page.mouse.move(cx + 45, cy - 90, steps=8)
    page.mouse.move(cx - 15, cy + 100, steps=10)
    page.mouse.up()


def timed(page, kind: str, target: str, action) -> float:
    """Milliseconds from the action's release/key press to the page showing its result."""
    page.evaluate(WATCH, [target, kind])  # starts watching; window.__done resolves with the time
    action()
    end = page.evaluate("() => window.__done")
    start = page.evaluate("() => window.__start")
    if end is None or start is None:
        raise RuntimeError(f"{kind}: no update seen within 20 s")
    return end - start


def measure(browser, url: str, kind: str, strokes: int, moves: int) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(url)
    page.locator("#sketchpad canvas").first.wait_for(timeout=60000)
    page.wait_for_timeout(500)
    sketch_target, noise_target = ("", "") if kind == "demo" else ("#sketch-out", "#noise-out")
    stroke_ms = []
    for i in range(strokes):
        # The demo gets a fresh page every few strokes, so strokes keep changing its picture (the bare
        # app's counter changes on every update; its Clear would leave Gradio's editor without a tool).
        if kind == "demo" and i and i % 6 == 0:
            page.locator('#sketchpad button[aria-label="Clear canvas"]').first.click()
            page.wait_for_timeout(700)
        stroke_ms.append(timed(page, kind, sketch_target, lambda: stroke(page, i)))
    page.close()
    # The slider on a fresh page: after the strokes, the Sketchpad's own work (it keeps sending its
    # canvas) would be timed with it. The demo needs a digit to reconstruct: a random test digit.
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(url)
    page.locator("#sketchpad canvas").first.wait_for(timeout=60000)
    if kind == "demo":
        page.locator("#random-digit").click()
        page.wait_for_function("document.querySelector('#message').innerText.startsWith('Input: MNIST')", timeout=60000)
    page.wait_for_timeout(500)
    slider = page.locator("#noise input[type=range]").first
    slider_ms = []
    for i in range(moves):
        key = "ArrowRight" if (i // 20) % 2 == 0 else "ArrowLeft"  # up to 1.0, then back down
        slider.focus()  # an update may re-render the page around it
        slider_ms.append(timed(page, kind, noise_target, lambda: page.keyboard.press(key)))
        page.wait_for_timeout(50)
    page.close()
    return {"first": stroke_ms[0], "strokes": stroke_ms, "slider": slider_ms}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=30)
    parser.add_argument("--moves", type=int, default=30)
    parser.add_argument("--serve-bare", type=int, default=None, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare is not None:  # the floor app, in its own process like the demo
        bare_app().launch(server_name="127.0.0.1", server_port=args.serve_bare)
        return 0
    from playwright.sync_api import sync_playwright

    demo_port, bare_port = free_port(), free_port()
    servers = [serve([sys.executable, "demo.py", "--no-browser", "--port", str(demo_port)], demo_port),
               serve([sys.executable, __file__, "--serve-bare", str(bare_port)], bare_port)]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            results = {"bare Gradio (floor)": measure(browser, f"http://127.0.0.1:{bare_port}/", "bare",
                                                      args.strokes, args.moves),
                       "AE Zoo demo": measure(browser, f"http://127.0.0.1:{demo_port}/", "demo",
                                              args.strokes, args.moves)}
            version = browser.version
            browser.close()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    print(f"Chromium {version} headless, {args.strokes} strokes and {args.moves} slider moves per app; ms from "
          "release/key press to the page showing the result")
    print(f"{'app':<20} {'first stroke':>12} {'stroke p50':>10} {'stroke p95':>10} {'slider p50':>10} {'slider p95':>10}")
    for name, r in results.items():
        print(f"{name:<20} {r['first']:>12.0f} {statistics.median(r['strokes']):>10.0f} {p95(r['strokes']):>10.0f} "
              f"{statistics.median(r['slider']):>10.0f} {p95(r['slider']):>10.0f}")
    demo, bare = results["AE Zoo demo"], results["bare Gradio (floor)"]
    print(f"demo - floor, stroke p95: {p95(demo['strokes']) - p95(bare['strokes']):+.0f} ms (goal <= +30); "
          f"slider p95 {p95(demo['slider']):.0f} ms (goal <= 60)")
    print(f"RESULT stroke_p95_ms={p95(demo['strokes']):.0f} stroke_floor_p95_ms={p95(bare['strokes']):.0f} "
          f"first_stroke_ms={demo['first']:.0f} slider_p95_ms={p95(demo['slider']):.0f} "
          f"slider_floor_p95_ms={p95(bare['slider']):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
