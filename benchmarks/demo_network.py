"""The page over a real link: a class on shared Wi-Fi, a phone on 4G (Chromium's own network emulation, headless).

    python benchmarks/demo_network.py [--runs 3]

Serves `python demo.py` and, as the floor, a bare Gradio page of the same kind (Markdown, a gr.HTML canvas, an
Image, a Slider, tabs; nothing of ours). For each link, each run opens a fresh browser context (nothing
cached), throttles it with the DevTools protocol's `Network.emulateNetworkConditions`, navigates, and draws a
stroke as soon as the canvas shows. Times are the page's own (performance.now(), from navigation):
- canvas shown: the sketchpad's canvas has a size on screen; drawable: the Zoo tab's script has started (the
  stroke is drawn then);
- first picture: the first tile showing a reconstruction of the finished stroke (from the server or the page);
- all ten in the page: the last model's weights in and compiled (every tile then runs in the page);
- bytes: what came over the link until then (`Network.loadingFinished`'s encodedDataLength).
Last line: `RESULT <link>_canvas_s=.. <link>_first_s=.. <link>_all_s=.. bytes_mb=.. floor_<link>_canvas_s=..`
(medians over the runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass

from demo_browser import ARGS, CHROMIUM, demo_and_floor


@dataclass(frozen=True)
class Link:
    name: str
    down_mbit: float
    up_mbit: float
    rtt_ms: float

    def conditions(self) -> dict:
        to_bytes = 1e6 / 8
        return {"offline": False, "latency": self.rtt_ms, "downloadThroughput": self.down_mbit * to_bytes,
                "uploadThroughput": self.up_mbit * to_bytes}


LINKS = (Link("wifi", 20, 5, 30), Link("4g", 9, 1.5, 80))
# The tests' "7" (tests/browsing.py), in the canvas's own pixels; docs/BENCHMARKS.md's figures were drawn with it.
SEVEN = [(-50, -90), (45, -90), (-15, 100)]
CANVAS_SHOWN = """() => { const c = document.querySelector('#sketchpad canvas');
                          return c && c.getBoundingClientRect().width > 0 ? performance.now() : false; }"""
DRAWABLE = "() => document.querySelector('.zoo-page')?.dataset.started === 'yes' ? performance.now() : false"
FIRST_PICTURE = """() => document.querySelector('#reconstructions figure[data-shows=page], #reconstructions figure[data-shows=server]')
                         ? performance.now() : false"""
ALL_IN = """() => window.AEZoo && AEZoo.list.length > 0 && AEZoo.list.every(m => AEZoo.models.get(m.id).model)
                  ? Math.max(...[...AEZoo.models.values()].map(r => r.loadedAt)) : false"""


def floor_app():
    import gradio as gr

    with gr.Blocks() as app:
        with gr.Tab("Zoo"):
            gr.Markdown("A bare Gradio page: a canvas, an image and a slider.")
            gr.HTML(html_template='<div id="sketchpad"><canvas width="400" height="400" '
                                  'style="width:400px;height:400px;background:#fff"></canvas></div>')
            gr.Image(label="Image")
            gr.Slider(0, 1, step=0.05, label="Noise")
        with gr.Tab("Other"):
            gr.Markdown("Another tab.")
    return app


def stroke(page) -> None:
    box = page.locator("#sketchpad canvas").bounding_box()
    cx, cy, scale = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, box["width"] / 400
    (x0, y0), *rest = SEVEN
    page.mouse.move(cx + x0 * scale, cy + y0 * scale)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(cx + x * scale, cy + y * scale, steps=6)
    page.mouse.up()


def visit(browser, url: str, link: Link, demo: bool) -> dict:
    """One cold visit over `link`: seconds from navigation to each milestone, and the bytes that came."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    received, errors = [0], []
    cdp.on("Network.loadingFinished", lambda event: received.__setitem__(0, received[0] + event["encodedDataLength"]))
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", link.conditions())
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="commit")
    times = {"canvas": page.wait_for_function(CANVAS_SHOWN, polling=20, timeout=120000).json_value() / 1000}
    if demo:
        times["drawable"] = page.wait_for_function(DRAWABLE, polling=20, timeout=120000).json_value() / 1000
        stroke(page)
        times["first"] = page.wait_for_function(FIRST_PICTURE, polling="raf", timeout=120000).json_value() / 1000
        times["all"] = page.wait_for_function(ALL_IN, polling=50, timeout=180000).json_value() / 1000
        page.wait_for_timeout(500)  # the last answers and the noise fetched ahead
    times["bytes"] = received[0]
    times["errors"] = errors
    context.close()
    return times


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def cell(runs: list[dict], key: str) -> str:
    """'median (min-max)' of a milestone over the runs, or '-' where the page has none."""
    if key not in runs[0]:
        return "-"
    return f"{median(runs, key):.2f} ({min(r[key] for r in runs):.2f}-{max(r[key] for r in runs):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=7877)
    parser.add_argument("--serve-floor", type=int, default=None, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_floor is not None:
        floor_app().launch(server_name="127.0.0.1", server_port=args.serve_floor)
        return 0
    from playwright.sync_api import sync_playwright

    results = {}
    with demo_and_floor(__file__, args.port) as urls, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for link in LINKS:
            for kind, url in zip(("demo", "floor"), urls):
                results[link.name, kind] = [visit(browser, url, link, kind == "demo") for _ in range(args.runs)]
        browser.close()

    print(f"Chromium headless, a fresh context per run, {args.runs} runs per row (median, min-max); seconds from navigation")
    print(f"{'link':<28} {'page':<6} {'canvas shown':>16} {'drawable':>16} {'first picture':>16} {'all ten in page':>16} "
          f"{'MB':>6} {'canvas - floor':>15}")
    line = []
    for link in LINKS:
        floor_canvas = median(results[link.name, "floor"], "canvas")
        for kind in ("floor", "demo"):
            runs = results[link.name, kind]
            print(f"{f'{link.down_mbit:g}/{link.up_mbit:g} Mbit/s, {link.rtt_ms:g} ms':<28} {kind:<6} {cell(runs, 'canvas'):>16} "
                  f"{cell(runs, 'drawable'):>16} {cell(runs, 'first'):>16} {cell(runs, 'all'):>16} {median(runs, 'bytes') / 1e6:>6.2f} "
                  f"{median(runs, 'canvas') - floor_canvas:>+15.2f}")
        demo_runs = results[link.name, "demo"]
        line += [f"{link.name}_canvas_s={median(demo_runs, 'canvas'):.2f}",
                 f"{link.name}_drawable_s={median(demo_runs, 'drawable'):.2f}", f"{link.name}_first_s={median(demo_runs, 'first'):.2f}",
                 f"{link.name}_all_s={median(demo_runs, 'all'):.2f}", f"floor_{link.name}_canvas_s={floor_canvas:.2f}"]
    errors = [e for runs in results.values() for r in runs for e in r["errors"]]
    print(f"console errors: {len(errors)} {errors[:3]}")
    print("RESULT " + " ".join(line) + f" bytes_mb={median(results[LINKS[0].name, 'demo'], 'bytes') / 1e6:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
