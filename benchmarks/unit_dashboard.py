"""Opening a unit's dashboard, as a person and a program wait for it, against Gradio's own floor.

    python benchmarks/unit_dashboard.py [--clicks 40] [--calls 40] [--port 7891]

1. Function only (this process, no Gradio): the dashboard's numbers (`explore_tab.unit_view`) and its HTML
   (`unit_dashboard.dashboard_html`) for every unit of sparse d=32 in turn, after the first (which builds every
   model's unit table: timed apart).
2. HTTP API: `python demo.py` on loopback, /unit through gradio_client, one caller; floor: a bare Gradio app
   whose gr.api endpoint returns a dashboard-sized dict it holds.
3. Chromium (headless): Explore opened, --clicks clicks on units of the list, each timed in the page from the
   click's timeStamp to the frame after the dashboard is in place (engine.js `timed`, view "unit"); floor: a
   bare gr.HTML page whose click asks a server function for a fixed dashboard-sized HTML string and puts it in
   place, timed the same way.
Goals (issue 24): server p95 <= 100 ms, Chromium p95 <= 300 ms.
Last line: `RESULT function_p95_ms=.. api_p95_ms=.. api_floor_p95_ms=.. chromium_p95_ms=.. chromium_floor_p95_ms=..`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from demo_browser import ARGS, CHROMIUM, p95
from demo_load import serve, settle

MODEL = ("sparse", 32)

# The floor: Gradio's page, one click -> a server function -> ~14 KB of HTML put in place, timed in the page.
BARE_APP = """
import sys, gradio as gr
PAGE = "<div>" + "<img src='data:image/png;base64," + "A" * 400 + "'>" * 30 + "</div>"
def unit(variant: str, d: int, unit: int) -> dict:
    return {"unit": unit, "html": PAGE}
def board(request):
    return {"html": PAGE}
JS = '''
const target = element.querySelector('#board');
window.floorTimings = [];
element.querySelector('button').addEventListener('click', async event => {
  const since = event.timeStamp;
  const answer = await server.board({unit: 1});
  target.innerHTML = answer.html;
  requestAnimationFrame(() => { const c = new MessageChannel();
    c.port1.onmessage = () => window.floorTimings.push({since, painted: performance.now()}); c.port2.postMessage(null); });
});
window.floorReady = true;
'''
with gr.Blocks() as app:
    gr.HTML(html_template="<button id='open'>open</button><div id='board'></div>", js_on_load=JS,
            server_functions=[board], apply_default_css=False)
    gr.api(unit, api_name="unit")
app.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]))
"""


def function_only(runs: int) -> tuple[float, list[float]]:
    from zoo.app import unit_dashboard
    from zoo.app.digits import MnistDigits
    from zoo.app.explore_cache import ExploreCache
    from zoo.app.explore_tab import unit_view
    from zoo.app.keys import ModelKey
    from zoo.app.page_models import load_models

    cache = ExploreCache(load_models(on_error=print), MnistDigits(), background=False)
    key = ModelKey(*MODEL)
    start = time.perf_counter()
    unit_view(cache, key, 0)
    first = time.perf_counter() - start
    test_x = cache.test_codes(key).test_x
    times = []
    for i in range(runs):
        begin = time.perf_counter()
        unit_dashboard.dashboard_html(unit_view(cache, key, i % key.latent_dim), test_x, key.label)
        times.append(1000 * (time.perf_counter() - begin))
    return 1000 * first, times


def api(url: str, calls: int) -> list[float]:
    from gradio_client import Client

    client = Client(url, verbose=False)
    client.predict(*MODEL, 0, api_name="/unit")
    times = []
    for i in range(calls):
        begin = time.perf_counter()
        client.predict(*MODEL, i % MODEL[1], api_name="/unit")
        times.append(1000 * (time.perf_counter() - begin))
    return times


def chromium(demo_url: str, floor_url: str, clicks: int) -> tuple[list[float], list[float], list[str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(demo_url)
        page.wait_for_function("document.querySelector('.zoo-page')?.dataset.ready === 'yes'", timeout=60000)
        page.get_by_role("tab", name="Explore").click()
        page.wait_for_function("document.querySelectorAll('#explore-units-table tbody tr').length > 0", timeout=60000)
        rows = page.locator("#explore-units-table tbody tr")
        rows.nth(0).click()  # the first builds every model's unit table on the server
        page.wait_for_selector('#explore-dashboard .zoo-dash[data-unit="0"]', timeout=60000)
        start = page.evaluate("performance.now()")
        for i in range(clicks):
            unit = 1 + i % (rows.count() - 1)
            rows.nth(unit).click()
            page.wait_for_selector(f'#explore-dashboard .zoo-dash[data-unit="{unit}"]', timeout=30000)
            page.wait_for_timeout(50)
        page.wait_for_timeout(200)
        demo = page.evaluate("s => AEZoo.timings.filter(t => t.view === 'unit' && t.since > s).map(t => t.painted - t.since)",
                             start)
        floor_page = browser.new_context().new_page()
        floor_page.goto(floor_url)
        floor_page.wait_for_function("window.floorReady === true", timeout=60000)
        for _ in range(clicks + 1):
            floor_page.locator("#open").click()
            floor_page.wait_for_timeout(120)
        floor = floor_page.evaluate("window.floorTimings.slice(1).map(t => t.painted - t.since)")
        browser.close()
    return demo, floor, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=40)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--port", type=int, default=7891)
    args = parser.parse_args()
    first_ms, function_ms = function_only(args.calls)
    demo = serve([sys.executable, "demo.py", "--no-browser", "--port", str(args.port)], args.port)
    floor = serve([sys.executable, "-c", BARE_APP, str(args.port + 1)], args.port + 1)
    try:
        demo_url, floor_url = f"http://127.0.0.1:{args.port}/", f"http://127.0.0.1:{args.port + 1}/"
        settle(demo.pid)  # the demo's start-up work in the background (test codes, maps) is over
        api_ms, api_floor_ms = api(demo_url, args.calls), api(floor_url, args.calls)
        page_ms, page_floor_ms, errors = chromium(demo_url, floor_url, args.clicks)
    finally:
        for server in (demo, floor):
            server.terminate()
            server.wait(timeout=30)
    median = statistics.median
    print(f"unit dashboard, {MODEL[0]} d={MODEL[1]}: {args.calls} calls, {args.clicks} clicks")
    print(f"{'':<44} {'p50 ms':>7} {'p95 ms':>7} {'floor p95':>9} {'ratio':>6}")
    rows = [("function only (numbers + HTML)", function_ms, None), ("HTTP /unit, one caller", api_ms, api_floor_ms),
            ("Chromium: click -> dashboard painted", page_ms, page_floor_ms)]
    for name, values, base in rows:
        floor_p95 = p95(base) if base else float("nan")
        print(f"{name:<44} {median(values):>7.1f} {p95(values):>7.1f} {floor_p95:>9.1f} {p95(values) / floor_p95:>6.2f}")
    print(f"first dashboard with nothing built (every model's unit table; the demo builds them in the background after "
          f"start-up): {first_ms:.0f} ms; console errors: {len(errors)}")
    print(f"RESULT function_p95_ms={p95(function_ms):.1f} api_p95_ms={p95(api_ms):.1f} api_floor_p95_ms={p95(api_floor_ms):.1f} "
          f"chromium_p95_ms={p95(page_ms):.1f} chromium_floor_p95_ms={p95(page_floor_ms):.1f}")


if __name__ == "__main__":
    main()
