"""The Explore tab's speed: the computation alone, the HTTP API, and a unit's slider in Chromium.

    python benchmarks/explore_speed.py [--calls 30] [--port 7881]

1. Function only (in this process, no Gradio): each interaction's computation on the shipped zoo
   (sparse d=32 unless said): decoding the sliders' code to its picture, a unit alone, a model change
   (encode, sliders' ranges, map with the input's ring, neighbours), the interpolation strips of all
   models, a pick on the map. Median and worst of --calls runs, after one warm-up.
2. HTTP API: `python demo.py` on loopback; /decode, /interpolate (one model, 7 steps) and /neighbours
   (k=8) through gradio_client, one caller, --calls calls each; latency p50/p95 and the server's CPU
   time per call (/proc). Baseline in the same run: a bare Gradio app whose gr.api endpoint returns
   its input (Gradio's own floor for a call).
3. Browser: Chromium (Playwright, headless) moves unit h3's slider one step with the keyboard,
   --calls times; from the key press to the new decoded picture shown (performance.now() in the page).
   Baseline in the same run: the bare app's slider feeding an HTML output, timed the same way.
Last line: `RESULT decode_fn_ms=.. decode_api_p95_ms=.. api_floor_p95_ms=.. slider_p95_ms=.. slider_floor_p95_ms=..`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch
from demo_browser import CHROMIUM, p95

MODEL = ("sparse", 32)

BARE_APP = """
import sys, gradio as gr
def echo(values: list[float]) -> list[float]:
    return values
with gr.Blocks() as app:
    slider = gr.Slider(0, 100, value=0, step=1, elem_id="bare-slider")
    out = gr.HTML(elem_id="bare-out")
    slider.input(lambda v: f"<p>value {v}</p>", slider, out, trigger_mode="always_last")
    gr.api(echo, api_name="echo")
app.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]), prevent_thread_lock=False)
"""

# Resolves with the page time at which `selector`'s first <img> shows a new, decoded picture (or the
# element's text changes), after the next key press; the press's time is window.__start.
WATCH = """
([selector]) => {
  const signature = () => { const e = document.querySelector(selector);
    return e ? ((e.querySelector('img')?.src) || e.innerText) : ''; };
  window.__start = null;
  let before = null;
  window.__done = new Promise(resolve => {
    const observer = new MutationObserver(async () => {
      if (window.__start === null || signature() === before) return;
      observer.disconnect();
      await document.querySelector(selector).querySelector('img')?.decode().catch(() => null);
      resolve(performance.now());
    });
    document.addEventListener('keydown', () => {
      window.__start = performance.now();
      before = signature();
      observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    }, {capture: true, once: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 20000);
  });
}
"""


def timed(function, runs: int) -> tuple[float, float]:
    """(median, worst) milliseconds of `runs` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), max(times)


def function_only(runs: int) -> list[tuple[str, float, float]]:
    from zoo import explore, registry
    from zoo.explore_ui import Atlases, decoded_html, strips_html
    from zoo.ui import MnistDigits

    models, _ = registry.load_zoo()
    digits = MnistDigits()
    atlases = Atlases(models, digits, background=False)
    for key in models:
        atlases.map(key)
    test_x, _ = digits.all()
    atlas, the_map = atlases.atlas(MODEL), atlases.map(MODEL)
    x, other = test_x[18], test_x[84]
    h = atlas.encode(x)

    def model_change():
        code = atlas.encode(x)
        [atlas.slider_range(i, float(code[i])) for i in range(len(code))]
        decoded_html(atlas.decode(code))
        the_map.marked(atlas.project(code))
        atlas.neighbours(code, 8), atlas.pixel_neighbours(x, 8)

    def strips():
        rows = [("pixels", explore.blend(x, other, 7))]
        rows += [(str(k), explore.walk(models[k], x, other, 7)) for k in sorted(models)]
        strips_html(rows)

    def map_pick():
        index = atlas.nearest_point(the_map.to_map((200, 240)))
        code = atlas.encode(test_x[index])
        the_map.marked(atlas.project(code))
        atlas.neighbours(code, 8), atlas.pixel_neighbours(test_x[index], 8)

    cases = [("slider -> decoded picture", lambda: decoded_html(atlas.decode(h))),
             ("unit alone", lambda: decoded_html(atlas.decode(atlas.alone(3)))),
             ("model change (no strips)", model_change),
             ("strips, all 9 models x 7", strips),
             ("map pick (no strips)", map_pick)]
    return [(name, *timed(function, runs)) for name, function in cases]


def api(base: str, pid: int, calls: int, bare: bool) -> list[tuple[str, float, float, float]]:
    from demo_load import cpu_seconds
    from gradio_client import Client

    from zoo.data import load_mnist

    x, _ = load_mnist("test")
    client = Client(base, verbose=False)
    if bare:
        requests = [("echo (floor)", lambda: client.predict([0.5] * 32, api_name="/echo"))]
    else:
        requests = [("/decode", lambda: client.predict(*MODEL, [1.0] * 32, api_name="/decode")),
                    ("/interpolate", lambda: client.predict(x[0].tolist(), x[1].tolist(), *MODEL, 7,
                                                            api_name="/interpolate")),
                    ("/neighbours", lambda: client.predict(x[2].tolist(), *MODEL, 8, api_name="/neighbours"))]
    rows = []
    for name, request in requests:
        request()
        latencies, cpu = [], cpu_seconds(pid)
        for _ in range(calls):
            start = time.perf_counter()
            request()
            latencies.append(1000 * (time.perf_counter() - start))
        rows.append((name, statistics.median(latencies), p95(latencies), 1000 * (cpu_seconds(pid) - cpu) / calls))
    return rows


def slider_in_browser(url: str, slider: str, picture: str, calls: int, prepare=None) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(url)
        if prepare:
            prepare(page)
        handle = page.locator(f"{slider} input[type=range]")
        handle.wait_for(timeout=60000)
        for i in range(calls + 1):
            page.evaluate(WATCH, [picture])
            handle.focus()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            done = page.evaluate("window.__done")
            start = page.evaluate("window.__start")
            if i and done is not None:  # the first move is a warm-up
                times.append(done - start)
        browser.close()
    return times


def open_explore(page) -> None:
    page.locator("#sketchpad canvas").first.wait_for(timeout=30000)
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_function("document.querySelector('#explore-source').innerText.includes('Input:')", timeout=60000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--port", type=int, default=7881)
    args = parser.parse_args(argv)
    from demo_load import serve

    torch.set_grad_enabled(False)
    functions = function_only(args.calls)
    demo = serve([sys.executable, "demo.py", "--no-browser", "--port", str(args.port)], args.port)
    bare = serve([sys.executable, "-c", BARE_APP, str(args.port + 1)], args.port + 1)
    try:
        demo_url, bare_url = f"http://127.0.0.1:{args.port}/", f"http://127.0.0.1:{args.port + 1}/"
        calls = api(demo_url, demo.pid, args.calls, bare=False) + api(bare_url, bare.pid, args.calls, bare=True)
        slider = slider_in_browser(demo_url, "#explore-h3", "#explore-decoded", args.calls, open_explore)
        floor = slider_in_browser(bare_url, "#bare-slider", "#bare-out", args.calls)
    finally:
        for server in (demo, bare):
            server.terminate()
            server.wait(timeout=30)
    print(f"Explore tab, {MODEL[0]} d={MODEL[1]}, {os.cpu_count()} cores, {args.calls} runs each")
    print(f"\n1. function only (no Gradio, no HTTP)\n{'interaction':<28} {'median ms':>9} {'worst ms':>8}")
    for name, median, worst in functions:
        print(f"{name:<28} {median:>9.1f} {worst:>8.1f}")
    floor_api = calls[-1]
    print(f"\n2. HTTP API, one caller\n{'endpoint':<16} {'p50 ms':>7} {'p95 ms':>7} {'vs floor p95':>12} "
          f"{'server CPU ms/call':>18}")
    for name, p50, high, cpu in calls:
        print(f"{name:<16} {p50:>7.1f} {high:>7.1f} {high / floor_api[2]:>11.2f}x {cpu:>18.1f}")
    print(f"\n3. Chromium: key press on a slider -> new picture shown\n{'app':<30} {'moves':>5} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'vs floor p95':>12}")
    for name, times in (("demo: h3 -> decoded picture", slider), ("bare Gradio (floor)", floor)):
        print(f"{name:<30} {len(times):>5} {statistics.median(times):>7.1f} {p95(times):>7.1f} "
              f"{p95(times) / p95(floor):>11.2f}x")
    print(f"RESULT decode_fn_ms={functions[0][1]:.2f} decode_api_p95_ms={calls[0][2]:.1f} "
          f"api_floor_p95_ms={floor_api[2]:.1f} slider_p95_ms={p95(slider):.1f} slider_floor_p95_ms={p95(floor):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
