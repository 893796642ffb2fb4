"""Shared fixtures: real MNIST (loaded once per session from the user cache, built on first use), the demo's
server and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import torch

from zoo.data import load_mnist
from zoo.lab import experiments
from zoo.system.paths import checkout_root

ROOT = checkout_root()  # the tests and benchmarks run from a checkout

# Under pytest-xdist each worker gets its share of the cores: two workers with two OpenMP threads each on two
# cores wait on each other.
if os.environ.get("PYTEST_XDIST_WORKER_COUNT"):
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"])))


@pytest.fixture(scope="session")
def mnist_test():
    """The 10,000 real MNIST test images (N, 784) and labels."""
    return load_mnist("test")


@pytest.fixture(scope="session")
def mnist_train():
    """The 60,000 real MNIST training images (N, 784) and labels."""
    return load_mnist("train")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def small(mnist_train, mnist_test):
    """6,000 training and 2,000 test images (x, y, x, y): enough for a model that has learnt something, in seconds."""
    return mnist_train[0][:6000], mnist_train[1][:6000], mnist_test[0][:2000], mnist_test[1][:2000]


@pytest.fixture(scope="session")
def plain_model(small):
    """The plain variant at d=16, 10 epochs on `small` (the lab's own training path)."""
    train_x, _, test_x, _ = small
    return experiments.train_extra_model("plain", 16, train_x, test_x, epochs=10, seed=0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def user_zoo(tmp_path_factory):
    """The demo server's user zoo (where the Train tab keeps models): empty at the start, never the real one."""
    return tmp_path_factory.mktemp("user-zoo")


@pytest.fixture(scope="session")
def server(user_zoo):
    """demo.py on a free loopback port, serving the weights registry.available() sees; one for every test."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "demo.py", "--port", str(port), "--no-browser"], cwd=ROOT,
                            env={**os.environ, "AE_ZOO_USER_WEIGHTS": str(user_zoo)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, proc.stdout.read()
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline, "demo.py did not serve within 90 s"
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def chromium():
    """A launcher for Debian's Chromium, headless, with nothing that reaches for the network.

    Skips where it is not installed; fails in CI, which installs it (.ci/run).
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); the browser tests need Debian's Chromium")

    def launch(playwright):
        return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])

    return launch
