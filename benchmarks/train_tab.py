"""The Train tab on a shared server: how long a live training takes, and the Zoo tab's speed meanwhile.

    python benchmarks/train_tab.py [--calls 30] [--port 7883]

Starts `python demo.py` on loopback with an empty temporary user zoo. Baseline, in the same run: one
client calls the Zoo tab's /reconstruct (every variant and d, a real MNIST test digit as the canvas)
--calls times in a row, no training running. Then a person's training starts through the streaming
/train API (sparse d=32, the shipped 14 epochs, their own L1 ramp: warm-up over 5 epochs instead of
9), alone; then the same training again while the client keeps calling /reconstruct back to back
until it ends (a busier room than one person's strokes). Prints each training's wall time (submit to
last update) and epochs, and /reconstruct's latency p50/p95 with and without a training. Last line:
`RESULT train_s=.. epochs=.. train_with_client_s=.. zoo_p95_ms=.. zoo_p95_while_training_ms=..`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time

import httpx
from demo_browser import p95
from demo_load import call, canvas_png, serve, upload

SETTINGS = dict(variant="sparse", d=32, epochs=14, learning_rate=0.012, l1_warmup_epochs=5.0)


def zoo_calls(base: str, sketch: dict, count: int | None, until: threading.Event | None):
    """/reconstruct latencies in ms: `count` calls, or until `until` is set.

    A new connection per call: a kept-alive one was seen to hang while the server streamed a training.
    """
    times = []
    while (count is None or len(times) < count) and not (until is not None and until.is_set()):
        with httpx.Client(timeout=30) as client:
            times.append(1000 * call(client, base, sketch, round(0.05 * (len(times) % 21), 2), None))
    return times


def train(base: str, done: threading.Event) -> dict:
    """One training through the streaming /train API: its seconds (submit to last update) and last status."""
    from gradio_client import Client

    start = time.perf_counter()
    outputs = list(Client(base + "/", verbose=False).submit(**SETTINGS, api_name="/train"))
    done.set()
    status = outputs[-1][0]
    epochs = int(status.split("after ")[1].split(" epoch")[0]) if "after " in status else 0
    return {"seconds": time.perf_counter() - start, "epochs": epochs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--port", type=int, default=7883)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as user_zoo:
        os.environ["AE_ZOO_USER_WEIGHTS"] = user_zoo  # the server inherits it: nothing kept outside the run
        server = serve([sys.executable, "demo.py", "--no-browser", "--port", str(args.port)], args.port)
        base = f"http://127.0.0.1:{args.port}"
        try:
            with httpx.Client(timeout=120) as http:
                sketch = upload(http, base, canvas_png(0))
            if True:
                zoo_calls(base, sketch, 3, None)  # warm-up
                quiet = zoo_calls(base, sketch, args.calls, None)
                alone = train(base, threading.Event())
                done = threading.Event()
                training: dict = {}
                thread = threading.Thread(target=lambda: training.update(train(base, done)))
                thread.start()
                time.sleep(1.0)  # the training's start: MNIST's training images loaded, the thread running
                busy = zoo_calls(base, sketch, None, done)
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"Train tab: {SETTINGS}, {os.cpu_count()} cores")
    print(f"training through /train, alone: {alone['seconds']:.1f} s for {alone['epochs']} epochs (submit to last "
          f"update); with one client calling /reconstruct back to back: {training['seconds']:.1f} s, "
          f"{training['epochs']} epochs")
    print(f"{'Zoo tab /reconstruct':<30} {'calls':>5} {'p50 ms':>7} {'p95 ms':>7} {'vs quiet p95':>12}")
    for name, times in (("no training (baseline)", quiet), ("while training", busy)):
        print(f"{name:<30} {len(times):>5} {statistics.median(times):>7.0f} {p95(times):>7.0f} "
              f"{p95(times) / p95(quiet):>11.2f}x")
    print(f"RESULT train_s={alone['seconds']:.1f} epochs={alone['epochs']} train_with_client_s={training['seconds']:.1f} "
          f"zoo_p95_ms={p95(quiet):.0f} zoo_p95_while_training_ms={p95(busy):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
