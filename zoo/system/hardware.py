"""The hardware, decided in one place: which device, which precision is fast on it, the CPU's denormal mode.

No global seed here: every run passes its own seeded torch.Generator (zoo.training.engine, zoo.noise).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """"auto" -> CUDA if present, else CPU; anything else is passed to torch.device and checked."""
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for but no CUDA device is available; use --device auto or cpu")
    return device


def fast_bfloat16(device: torch.device) -> bool:
    """True where bfloat16 matrix products run natively: CUDA with bf16, or a CPU with AVX512-BF16 or AMX
    that oneDNN may use (ONEDNN_MAX_CPU_ISA can forbid it). Elsewhere bfloat16 is emulated, and slow."""
    try:
        if device.type == "cuda":
            return torch.cuda.is_bf16_supported()
        return device.type == "cpu" and torch.ops.mkldnn._is_mkldnn_bf16_supported() and (
            torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):  # private helpers: absent in some builds
        return False


def resolve_precision(precision: str, device: torch.device) -> str:
    """"auto" -> "bfloat16" where it is fast on `device`, else "float32"; anything else unchanged."""
    if precision != "auto":
        return precision
    return "bfloat16" if fast_bfloat16(device) else "float32"


@contextlib.contextmanager
def flush_denormals() -> Iterator[None]:
    """Treat denormal floats as zero inside the block (CPU only; restored on exit).

    Why: Adam's second-moment estimate of a weight that stops getting gradients (a dead sparse
    unit) decays geometrically into the denormal range, and some CPUs take a slow path for every
    denormal operand: sparse training ran 5.7x slower on a Xeon with AMX (68.6 s against 12.0 s
    flushed, same test MSE to 5 digits). Values below ~1e-38 are far below anything training
    resolves, so flushing changes no printed metric.
    """
    was_on = denormals_flushed()
    torch.set_flush_denormal(True)  # a no-op returning False where the CPU has no such mode
    try:
        yield
    finally:
        torch.set_flush_denormal(was_on)


def denormals_flushed() -> bool:
    """True if the CPU currently treats denormal floats as zero (torch has no getter for the mode)."""
    return (torch.tensor(1e-30) * 1e-10).item() == 0.0  # 1e-40 is denormal in float32
