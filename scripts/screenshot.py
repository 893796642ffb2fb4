"""`python scripts/screenshot.py`: docs/zoo_tab.png, the README's picture of the Zoo tab with a drawn 7.

Serves the demo on a free loopback port, opens it in Debian's Chromium (headless, nothing reaching for the
network), draws a 7 with the mouse once every model runs in the page, and saves the Zoo tab, written
atomically. Needs the test extra (playwright) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zoo.system import atomic  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SEVEN = [(-50, -90), (45, -90), (-15, 100)]  # in the canvas's own pixels (400 a side), from its centre


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(user_zoo: str) -> tuple[subprocess.Popen, str]:
    """demo.py on a free port with an empty user zoo; (the process, its URL) once it answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "demo.py", "--port", str(port), "--no-browser"], cwd=ROOT,
                            env={**os.environ, "AE_ZOO_USER_WEIGHTS": user_zoo},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, deadline = f"http://127.0.0.1:{port}/", time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("error: demo.py did not serve; run it by hand to see why")
            time.sleep(0.3)


def shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1150})
        page.goto(url)
        page.wait_for_function("document.querySelector('.zoo-page')?.dataset.ready === 'yes'", timeout=120000)
        box = page.locator("#sketchpad canvas").bounding_box()
        cx, cy, scale = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, box["width"] / 400
        (x0, y0), *rest = SEVEN
        page.mouse.move(cx + x0 * scale, cy + y0 * scale)
        page.mouse.down()
        for x, y in rest:
            page.mouse.move(cx + x * scale, cy + y * scale, steps=8)
        page.mouse.up()
        page.wait_for_function("document.querySelector('#message').innerText.startsWith('Input: your drawing')")
        page.wait_for_timeout(300)
        atomic.write_bytes(out, page.locator("#zoo-page").screenshot())
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "zoo_tab.png")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} is missing; apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as user_zoo:
        proc, url = serve(user_zoo)
        try:
            shoot(url, args.out)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
