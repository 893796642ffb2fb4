"""Real MNIST test digits for the demo, loaded in the background so the app starts at once."""

from __future__ import annotations

import threading

import torch

from zoo.app.checks import refuse


class MnistDigits:
    """The 10,000 test digits; a person asking before they have loaded waits, and hears of a failure in one line."""

    def __init__(self):
        self._data: tuple[torch.Tensor, torch.Tensor] | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            from zoo.data import load_mnist

            self._data = load_mnist("test")
        except Exception as e:  # shown to the person on first use
            self._error = e

    def all(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(images (N, 784), labels (N,)): every test digit."""
        self._thread.join()
        if self._error is not None:
            raise refuse(f"MNIST test digits are unavailable: {self._error}")
        return self._data

    def get(self, index: int) -> tuple[torch.Tensor, int]:
        """(image (784,), label) of test digit `index` (taken modulo their number)."""
        x, y = self.all()
        return x[index % len(x)], int(y[index % len(y)])
