"""zoo.system.hardware: denormal flushing is scoped to the block and restores the caller's mode."""

import pytest
import torch

from zoo.system.hardware import denormals_flushed, flush_denormals


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


def test_auto_precision_is_bfloat16_only_where_the_hardware_runs_it_natively():
    import os
    import subprocess
    import sys

    from zoo.system.hardware import fast_bfloat16, resolve_precision

    cpu = torch.device("cpu")
    assert resolve_precision("auto", cpu) == ("bfloat16" if fast_bfloat16(cpu) else "float32")
    assert resolve_precision("float32", cpu) == "float32" and resolve_precision("bfloat16", cpu) == "bfloat16"
    # A CPU whose kernels stop at AVX2 emulates bfloat16 (11x slower here): "auto" must pick float32 there.
    code = "import torch; from zoo.system.hardware import resolve_precision; print(resolve_precision('auto', torch.device('cpu')))"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "ONEDNN_MAX_CPU_ISA": "AVX2"},
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "float32"
