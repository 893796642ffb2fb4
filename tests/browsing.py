"""What the demo's browser tests share: a page opened and ready, strokes with a mouse, a pen or a finger."""

from __future__ import annotations

import time

READY = "document.querySelector('.zoo-page')?.dataset.ready === 'yes'"
ZOO_PAGE = "document.querySelector('.zoo-page').zoo"  # the Zoo tab's script's own API (zoo_tab.js)


def open_demo(browser, url: str, **context):
    """A new page (its own context) on the demo, once every model runs in it; `page.errors` collects console errors
    and uncaught exceptions, `page.requests` every request after the page was ready."""
    page = browser.new_context(viewport={"width": 1400, "height": 1300}, **context).new_page()
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    page.wait_for_function(READY, timeout=60000)
    wait_until_quiet(page)
    page.on("request", lambda r: page.requests.append(r.url))
    return page


def wait_until_quiet(page, seconds: float = 1.0, limit: float = 30.0) -> None:
    """Wait until the page has made no request for `seconds` (its load-time requests are over)."""
    seen, start = [], time.monotonic()
    page.on("request", lambda r: seen.append(time.monotonic()))
    while time.monotonic() - max([start, *seen]) < seconds and time.monotonic() - start < limit:
        page.wait_for_timeout(100)


def canvas_centre(page) -> tuple[float, float, float]:
    box = page.locator("#sketchpad canvas").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, box["width"] / 400


def stroke(page, points, steps: int = 6) -> None:
    """A mouse stroke through `points`, given in the canvas's own pixels (400 a side) relative to its centre."""
    cx, cy, scale = canvas_centre(page)
    (x0, y0), *rest = points
    page.mouse.move(cx + x0 * scale, cy + y0 * scale)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(cx + x * scale, cy + y * scale, steps=steps)
    page.mouse.up()


SEVEN = [(-50, -90), (45, -90), (-15, 100)]


def frame(page) -> int:
    return page.evaluate("Number(document.querySelector('#reconstructions').dataset.frame)")


def message(page) -> str:
    return page.locator("#message").inner_text()


def wait_message(page, start: str, timeout: float = 30000) -> str:
    page.wait_for_function(f"document.querySelector('#message').innerText.startsWith({start!r})", timeout=timeout)
    return message(page)


def page_input(page) -> list[float] | None:
    """The 784 numbers the models see now (the page's copy of preprocess_sketch of its canvas, or a test digit)."""
    return page.evaluate(f"{ZOO_PAGE}.input()")
