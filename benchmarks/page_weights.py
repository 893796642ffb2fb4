"""What the page's weights could be, measured: each format's bytes and what it costs on the 10,000 test digits.

    python benchmarks/page_weights.py

For every shipped model, the float32 weights (the baseline) rounded four ways, then run in float32 by torch:
- float16: every tensor;
- int8 rows: every matrix as int8 with one scale per output row (vectors float16);
- int8 groups: every matrix as int8 with a float16 scale per 64 inputs of a row;
- page: what the demo ships (zoo.app.page_weights): int8 groups, but the two matrices beside the code float16.
Columns: megabytes for the ten models (raw and gzipped, as served), the largest change of a model's test MSE
against float32's (and which model), the largest pixel change, and for the sparse models the code entries
that land on the other side of the JumpReLU threshold. Last line: `RESULT page_mb=.. page_gzip_mb=..
page_worst_mse_pct=.. float32_mb=..`.
"""

from __future__ import annotations

import gzip
import sys

import numpy as np
import torch
from safetensors.numpy import save as save_numpy

from zoo import registry
from zoo.app.page_weights import GROUP, compact, int8_groups, rounded
from zoo.data import load_mnist


def candidate(model, how: str) -> dict[str, np.ndarray]:
    """The file's tensors for one format (`rounded` reads them back)."""
    if how == "page":
        return compact(model)
    tensors = {}
    for name, t in model.state_dict().items():
        if not t.is_floating_point():
            continue
        w = t.float().numpy()
        if how == "float16" or w.ndim == 1:
            tensors[name] = w.astype(np.float16)
        else:
            group = w.shape[1] if how == "int8 rows" else GROUP
            q, scales = int8_groups(w, group)
            tensors[name] = q
            # rounded() spreads scales GROUP inputs at a time; a per-row scale is repeated to match.
            tensors[name + ".scales"] = np.repeat(scales, -(-w.shape[1] // GROUP), axis=1) if how == "int8 rows" else scales
    return tensors


def main() -> int:
    torch.set_num_threads(2)
    x = load_mnist("test")[0]
    models = {(name, d): registry.get(name, d=d) for name, d in registry.available()}
    float32_bytes = sum(t.numel() * 4 for m in models.values() for t in m.state_dict().values() if t.is_floating_point())
    print(f"ten models, float32 (the baseline): {float32_bytes / 1e6:.2f} MB; 10,000 test digits, torch float32")
    print(f"{'format':<13} {'MB':>6} {'gzip MB':>8} {'x float32':>10} {'worst MSE change':>30} {'max pixel':>10} "
          f"{'sparse code entries flipped':>28}")
    result = {}
    for how in ("float16", "int8 rows", "int8 groups", "page"):
        raw = zipped = flipped = entries = 0
        worst, worst_model, pixel = 0.0, "", 0.0
        for (name, d), model in models.items():
            tensors = candidate(model, how)
            data = save_numpy(tensors)
            raw, zipped = raw + len(data), zipped + len(gzip.compress(data, 6))
            copy = registry.get(name, d=d)
            copy.load_state_dict({**copy.state_dict(), **{k: torch.from_numpy(v) for k, v in rounded(tensors).items()}})
            with torch.no_grad():
                exact, ours = model(x), copy(x)
                mse, mse_rounded = ((exact - x) ** 2).mean().item(), ((ours - x) ** 2).mean().item()
                if model.config.sparse_code:
                    h, h_rounded = model.encode(x), copy.encode(x)
                    flipped, entries = flipped + int(((h > 0) != (h_rounded > 0)).sum()), entries + h.numel()
            change = 100 * (mse_rounded / mse - 1)
            if abs(change) > abs(worst):
                worst, worst_model = change, f"{name} d={d}"
            pixel = max(pixel, (ours - exact).abs().max().item())
        print(f"{how:<13} {raw / 1e6:>6.2f} {zipped / 1e6:>8.2f} {raw / float32_bytes:>10.3f} "
              f"{f'{worst:+.3f}% ({worst_model})':>30} {pixel:>10.3f} {f'{flipped} of {entries}':>28}", flush=True)
        result[how] = (raw, zipped, worst)
    raw, zipped, worst = result["page"]
    print(f"RESULT page_mb={raw / 1e6:.2f} page_gzip_mb={zipped / 1e6:.2f} page_worst_mse_pct={worst:+.3f} "
          f"float32_mb={float32_bytes / 1e6:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
