"""demo.py, the command: it refuses to start without a zoo, and serves every tab (the Lab tab's report checked here)."""

import os
import re
import subprocess
import sys

import pytest
from browsing import open_demo

from zoo.system.paths import checkout_root

ROOT = checkout_root()  # the tests and benchmarks run from a checkout
pytestmark = pytest.mark.slow


def test_demo_refuses_to_start_without_weights(tmp_path):
    env = {**os.environ, "AE_ZOO_WEIGHTS": str(tmp_path)}
    out = subprocess.run([sys.executable, "demo.py", "--no-browser"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.strip() == "error: no trained models in weights/; run: python train_all.py"


def test_the_lab_tab_shows_the_committed_report_with_every_figure(server, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    figures = len(re.findall(r"!\[[^\]]*\]\(figures/", (ROOT / "docs" / "REPORT.md").read_text()))
    with sync_playwright() as p:
        browser = chromium(p)
        page = open_demo(browser, server)
        page.get_by_role("tab", name="Lab").click()
        page.get_by_text("1. Which d reconstructs best").wait_for(timeout=30000)
        images = page.locator(".lab-figure img")
        assert images.count() == figures
        for i in range(figures):  # Gradio loads images lazily: bring each into view, then wait for it
            images.nth(i).scroll_into_view_if_needed()
            images.nth(i).evaluate("i => i.decode()")
        loaded = images.evaluate_all("all => all.filter(i => i.complete && i.naturalWidth > 200).length")
        lab_text = page.locator("body").inner_text()
        page.screenshot(path=str(tmp_path / "lab.png"), full_page=True)
        errors = page.errors
        browser.close()
    assert figures >= 10 and loaded == figures and "1569·d + 784" in lab_text and "linear classifier" in lab_text
    assert errors == []
