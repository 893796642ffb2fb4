"""The machine's matrix-multiply peaks, float32 and bfloat16, measured in the calling run.

A figure is compared with the best path the hardware offers, not with float32 alone: on CPUs with
AVX512-BF16 or AMX (see the `bf16 units` line), bfloat16 matrix products run 2-6x faster.
"""

from __future__ import annotations

import time
from pathlib import Path

import torch

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def best_seconds(run, device: torch.device, repeats: int, warmups: int = 2) -> float:
    """The fastest of `repeats` timed calls of run() on `device`, after `warmups` untimed ones."""
    def timed() -> float:
        start = time.perf_counter()
        run()
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start
    for _ in range(warmups):
        timed()
    return min(timed() for _ in range(repeats))


def matmul_peak_gflops(device: torch.device, dtype: torch.dtype = torch.float32, n: int = 2048,
                       repeats: int = 10) -> float:
    """Best-of-`repeats` GFLOP/s of one n x n @ n x n product in `dtype` on `device`."""
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    return 2 * n ** 3 / best_seconds(lambda: a @ b, device, repeats) / 1e9


def products_alone_gflops(layers: list[tuple[int, int]], batch_size: int, dtype: torch.dtype = torch.bfloat16,
                          repeats: int = 20) -> float:
    """Best-of-`repeats` GFLOP/s of a training step's matrix products alone, on the CPU: for each (in, out) layer
    the forward x @ W.T, the backward grad @ W and grad.T @ x at `batch_size`, nothing else (the ceiling of
    these shapes: no bias, norm, activation, cast or optimiser)."""
    products = []
    for fan_in, fan_out in layers:
        x, w, grad = (torch.randn(*shape, dtype=dtype) for shape in
                      ((batch_size, fan_in), (fan_out, fan_in), (batch_size, fan_out)))
        products += [(x, w.t()), (grad, w), (grad.t(), x)]
    flops = sum(2 * a.shape[0] * a.shape[1] * b.shape[1] for a, b in products)

    def step():
        for a, b in products:
            a @ b
    return flops / best_seconds(step, torch.device("cpu"), repeats, warmups=3) / 1e9


def matmul_peaks(device: torch.device) -> dict[str, float]:
    """GFLOP/s by dtype name, float32 and bfloat16."""
    return {name: matmul_peak_gflops(device, dtype) for name, dtype in DTYPES.items()}


def bf16_units() -> str:
    """What the CPU offers for bfloat16 (from /proc/cpuinfo's flags), e.g. 'amx_bf16 avx512_bf16'."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), [])
    found = sorted({f for f in flags if f in ("amx_bf16", "amx_tile", "avx512_bf16", "avx512_fp16")})
    return " ".join(found) or "none (bfloat16 is emulated)"


def describe(device: torch.device, peaks: dict[str, float]) -> str:
    """One line: the peaks and which is the best path."""
    best = max(peaks, key=peaks.get)
    return (f"matmul peaks on {device} ({torch.get_num_threads()} threads): "
            + ", ".join(f"{name} {value:.0f} GFLOP/s" for name, value in peaks.items())
            + f"; best path {best}" + (f"; bf16 units: {bf16_units()}" if device.type == "cpu" else ""))
