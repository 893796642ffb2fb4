"""The demo for everyone: axe-core (WCAG 2.0/2.1 A and AA) over the four tabs finds nothing beyond what it finds on a
bare Gradio page of the same components, and a keyboard reaches every control of the Zoo tab with a visible focus."""

import hashlib
import socket
from pathlib import Path

import numpy as np
import pytest
from browsing import READY

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # npm axe-core@4.14.1, axe.min.js
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Each violation's nodes, and whether a node is ours: inside a gr.HTML component, whose markup and style we write.
AUDIT = """async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => {
    const element = document.querySelector(n.target[0]);
    return {target: n.target.join(' '), ours: Boolean(element && element.closest('.html-container'))};
  })}));
}"""


def audit(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AUDIT, WCAG)


@pytest.fixture(scope="module")
def floor():
    """A bare Gradio page of the kinds of component the demo has: tabs, Markdown, gr.HTML, an image, a slider."""
    import gradio as gr

    with gr.Blocks() as app:
        with gr.Tab("One"):
            gr.Markdown("A bare page.")
            gr.HTML(html_template="<canvas width='28' height='28'></canvas>")
            gr.Image(value=np.zeros((28, 28, 3), np.uint8), label="An image")
            gr.Slider(0, 1, label="A slider", info="What it sets")
        with gr.Tab("Two"):
            gr.Markdown("Another tab.")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_the_vendored_axe_is_the_pinned_release():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


@pytest.mark.slow
def test_axe_finds_nothing_of_ours_and_nothing_gradios_bare_page_lacks(server, chromium, floor):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        page.goto(floor)
        page.wait_for_selector("canvas")
        floor_found = audit(page)
        for tab in ("Two", "One"):
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(300)
            floor_found += audit(page)
        page.goto(server)
        page.wait_for_function(READY, timeout=60000)
        found = {}
        for tab in ("Zoo", "Explore", "Train", "Lab"):
            page.get_by_role("tab", name=tab).click()
            if tab == "Explore":  # its code is in (until then Gradio shows the panel faded, as pending)
                page.wait_for_function("document.querySelector('#explore-code-note')?.innerText.includes('units')",
                                       timeout=60000)
            page.wait_for_timeout(500)
            found[tab] = audit(page)
        browser.close()

    floor_rules = {v["id"] for v in floor_found}
    ours = [(tab, v["id"], n["target"]) for tab, vs in found.items() for v in vs for n in v["nodes"] if n["ours"]]
    assert ours == []
    beyond = {(tab, v["id"]) for tab, vs in found.items() for v in vs if v["id"] not in floor_rules}
    assert beyond == set(), (beyond, floor_rules)
    print("Gradio's own, on its bare page too:", sorted(floor_rules))


KEYBOARD_STOP = """() => { const e = document.activeElement, style = getComputedStyle(e);
  return {what: e.getAttribute('aria-label') || e.id || e.closest('[id]')?.id || e.tagName, value: e.value ?? null,
          tag: e.tagName, type: e.type ?? null, inZoo: Boolean(e.closest('.zoo-page')),
          visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0}; }"""


@pytest.mark.slow
def test_a_keyboard_reaches_every_zoo_control_and_shows_where_it_is(server, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        page.goto(server)
        page.wait_for_function(READY, timeout=60000)
        stops = []
        for _ in range(60):
            page.keyboard.press("Tab")
            stops.append(page.evaluate(KEYBOARD_STOP))
        in_zoo = [s for s in stops if s["inZoo"]]
        # The random digit, from the keyboard: Enter on its button.
        page.locator("#random-digit").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#message').innerText.startsWith('Input: MNIST test digit')",
                               timeout=30000)
        browser.close()

    reached = {s["what"] for s in in_zoo}
    assert {"Undo", "Clear canvas", "random-digit", "noise", "seed"} <= reached, reached
    boxes = {s["value"] for s in in_zoo if s["type"] == "checkbox"}
    assert {"deep", "denoising", "plain", "sparse", "16", "30", "32", "64"} <= boxes, boxes
    assert all(s["visible"] for s in in_zoo), [s for s in in_zoo if not s["visible"]]
    print("Tab stops in the Zoo tab:", [s["value"] if s["type"] == "checkbox" else s["what"] for s in in_zoo])
