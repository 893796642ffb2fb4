"""Shared fixtures: real MNIST, loaded once per session from the user cache (built on first use)."""

from __future__ import annotations

import pytest

from zoo.data import load_mnist


@pytest.fixture(scope="session")
def mnist_test():
    """The 10,000 real MNIST test images (N, 784) and labels."""
    return load_mnist("test")


@pytest.fixture(scope="session")
def mnist_train():
    """The 60,000 real MNIST training images (N, 784) and labels."""
    return load_mnist("train")
