"""zoo.runtime: denormal flushing is scoped to the block and restores the caller's mode."""

import pytest
import torch

from zoo.runtime import denormals_flushed, flush_denormals


def test_flush_denormals_is_on_inside_and_restored_after():
    if not torch.set_flush_denormal(False):
        pytest.skip("this CPU has no flush-to-zero mode")
    assert not denormals_flushed()
    with flush_denormals():
        assert denormals_flushed()
        assert (torch.tensor(1e-30) * 1e-10).item() == 0.0
    assert not denormals_flushed()
    assert (torch.tensor(1e-30) * 1e-10).item() > 0.0


def test_flush_denormals_leaves_a_caller_who_flushes_flushing():
    if not torch.set_flush_denormal(True):
        pytest.skip("this CPU has no flush-to-zero mode")
    try:
        with flush_denormals():
            pass
        assert denormals_flushed()
    finally:
        torch.set_flush_denormal(False)
