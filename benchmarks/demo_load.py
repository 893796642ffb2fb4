"""The HTTP API for programs under a room's load: N users x M calls of /reconstruct through Gradio's plain HTTP API.

A person's page asks the server nothing while drawing (the models run in it: benchmarks/demo_browser.py);
this is what programs calling /reconstruct get.

    python benchmarks/demo_load.py [--users 20] [--calls 20] [--port 7871]

Starts `python demo.py` on 127.0.0.1 (a separate process, as a person would) and waits until its
start-up work is done, uploads one canvas per user (a real MNIST test digit drawn on the 400x400 page, as a
PNG), then each user, in its own thread, calls POST /gradio_api/call/reconstruct and
reads the result stream, M times, moving the noise slider (0.00, 0.05, ...). Images are not downloaded
(they travel inside the HTML). Rows: one user alone (the baseline), N users at once with one Gradio
session each (as a browser tab or gradio_client has), and N users with a new session for every call
(anonymous API calls). The same three rows first for Gradio's floor: a bare app with the same API endpoint
(gr.api, the same inputs and outputs) and no work behind it. Prints updates/s, latency p50/p95/max, errors, and the server's CPU time
per update (from /proc: user + system time of the server process).
Last line: `RESULT users=<N> updates_per_s=<v> p95_ms=<v> errors=<n> cpu_ms_per_update=<v>
floor_updates_per_s=<v> floor_p95_ms=<v>` (N users, a session each).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import inspect
import io
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from PIL import Image

from zoo.app.pictures import as_canvas
from zoo.app.zoo_tab import CANVAS
from zoo.data import load_mnist
from zoo.store import shipped
from zoo.system.paths import checkout_root
from zoo.variants import variant_names

ROOT = checkout_root()  # the tests and benchmarks run from a checkout
VARIANTS, DIMS = variant_names(), sorted({d for _, d in shipped.models()})  # every shipped model


def serve(command: list[str], port: int) -> subprocess.Popen:
    """Run `command` (a web app) from the checkout; return once it answers HTTP on `port`."""
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"{' '.join(command)} exited with status {server.returncode}")
        time.sleep(0.3)
    server.kill()
    raise SystemExit(f"{' '.join(command)} did not answer within 120 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, timeout: float = 300.0) -> float:
    """Wait until the server has finished its start-up work (the Explore tab builds its atlases in the
    background, MNIST loads): under 5% of a core over a second. Returns the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < 0.05:
            break
    return time.monotonic() - start


def canvas_png(index: int) -> bytes:
    """MNIST test digit `index` drawn on the sketchpad's page, as the PNG the browser uploads."""
    x, _ = load_mnist("test")
    buffer = io.BytesIO()
    Image.fromarray(as_canvas(x[index], CANVAS)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client: httpx.Client, base: str, png: bytes) -> dict:
    """The sketchpad's value for an uploaded canvas (background = composite = the PNG, no layers)."""
    response = client.post(f"{base}/gradio_api/upload", files={"files": ("canvas.png", png, "image/png")})
    response.raise_for_status()
    file = {"path": response.json()[0], "meta": {"_type": "gradio.FileData"}}
    return {"background": file, "layers": [], "composite": file}


def call(client: httpx.Client, base: str, sketch: dict, noise: float, session: str | None) -> float:
    """One /reconstruct through the plain HTTP API; returns its seconds; raises on an error event.

    `session`: the caller's Gradio session hash, as a browser tab and gradio_client send; None makes
    every call a new session (Gradio then builds a session's state for each call).
    """
    start = time.perf_counter()
    body = {"data": [sketch, noise, 0, VARIANTS, DIMS]}
    if session is not None:
        body["session_hash"] = session
    response = client.post(f"{base}/gradio_api/call/reconstruct", json=body)
    response.raise_for_status()
    event_id = response.json()["event_id"]
    with client.stream("GET", f"{base}/gradio_api/call/reconstruct/{event_id}") as stream:
        event = None
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                if event == "error":
                    raise RuntimeError(f"error event: {line[5:].strip()}")
                outputs = json.loads(line[5:])
                if not outputs[2]:  # the gallery
                    raise RuntimeError(f"no reconstructions: {outputs[4]}")
                return time.perf_counter() - start
    raise RuntimeError("the stream ended without a result")


def user(base: str, png: bytes, calls: int, sessions: bool = True) -> tuple[list[float], int]:
    """One user: uploads its canvas, then `calls` calls one after another, in one session if `sessions`."""
    session = uuid.uuid4().hex[:11] if sessions else None
    with httpx.Client(timeout=60) as client:
        sketch = upload(client, base, png)
        latencies, errors = [], 0
        for i in range(calls):
            try:
                latencies.append(call(client, base, sketch, round(0.05 * (i % 21), 2), session))
            except (RuntimeError, httpx.HTTPError) as e:
                errors += 1
                print(f"  error: {e}", file=sys.stderr)
        return latencies, errors


def load(base: str, pid: int, pngs: list[bytes], users: int, calls: int, sessions: bool = True) -> dict:
    """`users` threads of `calls` calls each, at once; latencies, throughput and the server's CPU per update."""
    cpu_before, start = cpu_seconds(pid), time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(users) as pool:
        results = list(pool.map(lambda i: user(base, pngs[i % len(pngs)], calls, sessions), range(users)))
    wall, cpu = time.perf_counter() - start, cpu_seconds(pid) - cpu_before
    latencies = sorted(t for lat, _ in results for t in lat)
    errors = sum(e for _, e in results)
    done = len(latencies)
    return {"users": users, "calls": calls, "sessions": "per user" if sessions else "per call", "updates": done, "errors": errors, "wall": wall,
            "updates_per_s": done / wall, "p50": statistics.median(latencies),
            "p95": latencies[min(done - 1, int(0.95 * done))], "max": latencies[-1],
            "cpu_ms_per_update": 1000 * cpu / max(done, 1)}


def bare_app():
    """Gradio's floor for the same call: an API endpoint with the demo's five inputs and five outputs, no work."""
    import gradio as gr

    def reconstruct(sketch: dict, noise_amplitude: float, seed: int, variants: list[str], dims: list[int]
                    ) -> tuple[str, str, str, str, str]:
        return "<p>nothing</p>", "<p>nothing</p>", "<p>nothing</p>", "<p>nothing</p>", "nothing"

    reconstruct.__signature__ = inspect.signature(reconstruct, eval_str=True)  # five outputs, as the demo's
    with gr.Blocks() as app:
        gr.api(reconstruct, api_name="reconstruct")
    return app


def run(command: list[str], port: int, pngs: list[bytes], users: int, calls: int) -> list[dict]:
    """Serve `command` on `port`; one user alone, then `users` at once with a session each, then with a
    new session for every call."""
    server = serve(command, port)
    base = f"http://127.0.0.1:{port}"
    try:
        user(base, pngs[0], 3)  # warm-up: the first calls load what the server loads lazily
        print(f"{command[1]}: settled after {settle(server.pid):.0f} s of start-up work", flush=True)
        return [load(base, server.pid, pngs, 1, calls), load(base, server.pid, pngs, users, calls),
                load(base, server.pid, pngs, users, calls, sessions=False)]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--port", type=int, default=7871)
    parser.add_argument("--serve-bare", type=int, default=None, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare is not None:  # the floor app, in its own process like the demo, Gradio set up as the demo sets it
        from zoo.app import quiet_monitoring

        quiet_monitoring()
        bare_app().launch(server_name="127.0.0.1", server_port=args.serve_bare)
        return 0
    pngs = [canvas_png(i) for i in range(10)]
    tables = {"bare Gradio (floor)": run([sys.executable, __file__, "--serve-bare", str(args.port + 1)], args.port + 1,
                                         pngs, args.users, args.calls),
              "AE Zoo demo": run([sys.executable, "demo.py", "--no-browser", "--port", str(args.port)], args.port,
                                 pngs, args.users, args.calls)}
    print(f"/reconstruct with every variant and d on 127.0.0.1, {os.cpu_count()} cores, {args.calls} calls per user; "
          "sessions: each user one Gradio session (as a browser tab or gradio_client) or a new one per call")
    print(f"{'app':<20} {'users':>5} {'sessions':>8} {'updates':>7} {'errors':>6} {'updates/s':>9} {'vs 1 user':>9} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'server CPU ms/update':>21}")
    for name, rows in tables.items():
        for r in rows:
            print(f"{name:<20} {r['users']:>5} {r['sessions']:>8} {r['updates']:>7} {r['errors']:>6} "
                  f"{r['updates_per_s']:>9.1f} {r['updates_per_s'] / rows[0]['updates_per_s']:>8.2f}x "
                  f"{1000 * r['p50']:>7.0f} {1000 * r['p95']:>7.0f} {1000 * r['max']:>7.0f} {r['cpu_ms_per_update']:>21.1f}")
    r, floor = tables["AE Zoo demo"][1], tables["bare Gradio (floor)"][1]
    print(f"RESULT users={r['users']} updates_per_s={r['updates_per_s']:.1f} p95_ms={1000 * r['p95']:.0f} "
          f"errors={r['errors']} cpu_ms_per_update={r['cpu_ms_per_update']:.1f} "
          f"floor_updates_per_s={floor['updates_per_s']:.1f} floor_p95_ms={1000 * floor['p95']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
