"""The Explore tab's server side: what each interaction computes there, and the HTTP API for programs.

    python benchmarks/explore_speed.py [--calls 30] [--port 7881]

The page decodes by itself (a unit's slider, one unit alone, Reset, the strips): those are timed in
Chromium by benchmarks/demo_browser.py. What is left to the server:
1. Function only (in this process, no Gradio): on the shipped zoo (sparse d=32 unless said): a new input
   or model (its code, each unit's range, the map with the input's ring: on the t-SNE map placed by
   openTSNE's transform, on the PCA map projected; the neighbours), the strips'
   ends (the test digits and the models), a pick on the map; and, for comparison, decoding one code
   (what the page now does itself). Median and worst of --calls runs, after one warm-up.
2. HTTP API: `python demo.py` on loopback; /decode, /interpolate (one model, 7 steps), /map and /neighbours
   (k=8) through gradio_client, one caller, --calls calls each; latency p50/p95 and the server's CPU
   time per call (/proc). Baseline in the same run: a bare Gradio app whose gr.api endpoint returns
   its input (Gradio's own floor for a call).
Last line: `RESULT decode_fn_ms=.. decode_api_p95_ms=.. api_floor_p95_ms=..`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch
from demo_browser import p95

MODEL = ("sparse", 32)

BARE_APP = """
import sys, gradio as gr
def echo(values: list[float]) -> list[float]:
    return values
with gr.Blocks() as app:
    gr.api(echo, api_name="echo")
app.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]), prevent_thread_lock=False)
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
    from zoo.analysis import explore
    from zoo.app.digits import MnistDigits
    from zoo.app.explore_cache import MAP_VIEWS, ExploreCache
    from zoo.app.explore_tab import FROM_INPUT, code_view, neighbourhood, walk_view
    from zoo.app.keys import ModelKey
    from zoo.app.page_models import load_models

    models = load_models(on_error=print)
    digits = MnistDigits()
    cache = ExploreCache(models, digits, background=False)
    for key in models:
        for view in MAP_VIEWS:
            cache.map_picture(key, view)
    test_x, _ = digits.all()
    key = ModelKey(*MODEL)
    test_codes, the_map = cache.test_codes(key), cache.map_picture(key, "tsne")
    x = test_x[18]
    ids = [k.id for k in models]

    def new_input(view):
        code_view(cache, key, x)
        neighbourhood(cache, key, x, view)

    def map_pick():
        index = the_map.nearest_point(the_map.to_map((200, 240)))
        code_view(cache, key, test_x[index])
        neighbourhood(cache, key, test_x[index], "tsne")

    cases = [("decode one code (the page's)", lambda: test_codes.decode(test_codes.encode(x))),
             ("new input or model (t-SNE map)", lambda: new_input("tsne")),
             ("new input or model (PCA map)", lambda: new_input("pca")),
             ("strips' ends, all 9 models", lambda: walk_view(models, digits, x, FROM_INPUT, "8", 0, ids)),
             ("map pick", map_pick),
             ("strips computed (the page's)", lambda: [explore.walk(models[k], x, test_x[84], 7) for k in models])]
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
                    ("/neighbours", lambda: client.predict(x[2].tolist(), *MODEL, 8, api_name="/neighbours")),
                    ("/map", lambda: client.predict(*MODEL, api_name="/map"))]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--port", type=int, default=7881)
    args = parser.parse_args(argv)
    from demo_load import serve, settle

    torch.set_grad_enabled(False)
    functions = function_only(args.calls)
    demo = serve([sys.executable, "demo.py", "--no-browser", "--port", str(args.port)], args.port)
    bare = serve([sys.executable, "-c", BARE_APP, str(args.port + 1)], args.port + 1)
    try:
        demo_url, bare_url = f"http://127.0.0.1:{args.port}/", f"http://127.0.0.1:{args.port + 1}/"
        settle(demo.pid)  # the demo's start-up work in the background (test codes, maps, unit tables) is over
        calls = api(demo_url, demo.pid, args.calls, bare=False) + api(bare_url, bare.pid, args.calls, bare=True)
    finally:
        for server in (demo, bare):
            server.terminate()
            server.wait(timeout=30)
    print(f"Explore tab, {MODEL[0]} d={MODEL[1]}, {os.cpu_count()} cores, {args.calls} runs each")
    print(f"\n1. function only (no Gradio, no HTTP)\n{'interaction':<30} {'median ms':>9} {'worst ms':>8}")
    for name, median, worst in functions:
        print(f"{name:<30} {median:>9.1f} {worst:>8.1f}")
    floor_api = calls[-1]
    print(f"\n2. HTTP API, one caller\n{'endpoint':<16} {'p50 ms':>7} {'p95 ms':>7} {'vs floor p95':>12} "
          f"{'server CPU ms/call':>18}")
    for name, p50, high, cpu in calls:
        print(f"{name:<16} {p50:>7.1f} {high:>7.1f} {high / floor_api[2]:>11.2f}x {cpu:>18.1f}")
    print(f"RESULT decode_fn_ms={functions[0][1]:.2f} decode_api_p95_ms={calls[0][2]:.1f} "
          f"api_floor_p95_ms={floor_api[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
