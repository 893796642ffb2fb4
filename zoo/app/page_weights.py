"""The page's copy of a model's weights: the float32 safetensors file, made about four times smaller for the browser.

A matrix is stored as int8 with a float16 scale per group of `GROUP` inputs of each row, except the two beside
the code (d rows or d columns: under a tenth of a model's bytes, and where rounding costs most), which are
float16, as are the vectors. The choice was measured on the 10,000 test digits (`python
benchmarks/page_weights.py`, docs/BENCHMARKS.md): every model's test MSE within 0.3% of float32's.

The page reads the file with its own reader (static/layers.js) and computes in float64 with the weights as
`rounded` gives them; `rounded_model` is that model in torch, for the parity tests. The registry and the
server keep the float32 file as the source of truth; these bytes are made from it at start-up, so a retrained
model never serves stale ones.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import torch
from safetensors.numpy import load as load_numpy
from safetensors.numpy import save as save_numpy

from zoo.model import AutoEncoder

GROUP = 64  # inputs per int8 scale
SCALES = ".scales"  # an int8 tensor's scales are the tensor named `<name>.scales`
INT8, FLOAT16 = "int8", "float16"
METADATA = "aezoo_page"  # the file's metadata: {"source_sha256", "group", "precision"} as JSON


def _formats(model: AutoEncoder, state: dict[str, torch.Tensor]) -> dict[str, str]:
    """Each float tensor's format on the page (see the module's docstring for why)."""
    d = model.config.latent_dim
    formats = {}
    for name, tensor in state.items():
        if not tensor.is_floating_point():
            continue
        beside_code = tensor.dim() == 2 and d in tensor.shape
        formats[name] = INT8 if tensor.dim() == 2 and not beside_code else FLOAT16
    return formats


def int8_groups(w: np.ndarray, group: int = GROUP) -> tuple[np.ndarray, np.ndarray]:
    """(q, scales): w ~ q * scales per `group` inputs of each row; q in [-127, 127], scales float16."""
    rows, inputs = w.shape
    groups = -(-inputs // group)
    padded = np.zeros((rows, groups * group), np.float32)
    padded[:, :inputs] = w
    padded = padded.reshape(rows, groups, group)
    scales = (np.abs(padded).max(axis=2) / 127).astype(np.float16)
    safe = np.where(scales > 0, scales, 1).astype(np.float32)[:, :, None]
    q = np.clip(np.rint(padded / safe), -127, 127).astype(np.int8)
    return q.reshape(rows, -1)[:, :inputs].copy(), scales


def compact(model: AutoEncoder) -> dict[str, np.ndarray]:
    """The page's tensors for `model`: int8 matrices with their scales, float16 elsewhere."""
    state = {name: t.detach().cpu() for name, t in model.state_dict().items()}
    tensors = {}
    for name, fmt in _formats(model, state).items():
        w = state[name].float().numpy()
        if fmt == INT8:
            tensors[name], tensors[name + SCALES] = int8_groups(w)
        else:
            tensors[name] = w.astype(np.float16)
    return tensors


def rounded(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The float32 weights the page computes with, from its file's tensors (what layers.js does on reading)."""
    out = {}
    for name, t in tensors.items():
        if name.endswith(SCALES):
            continue
        if t.dtype == np.int8:
            scales = np.repeat(tensors[name + SCALES].astype(np.float32), GROUP, axis=1)[:, :t.shape[1]]
            out[name] = t.astype(np.float32) * scales
        else:
            out[name] = t.astype(np.float32)
    return out


def rounded_model(model: AutoEncoder) -> AutoEncoder:
    """A copy of `model` with the page's weights: what the page computes, in torch."""
    copied = copy.deepcopy(model).eval()
    weights = {name: torch.from_numpy(w) for name, w in rounded(compact(model)).items()}
    copied.load_state_dict({**copied.state_dict(), **weights})
    return copied


def precision(tensors: dict[str, np.ndarray]) -> str:
    """The page's weights in words, e.g. "int8 and float16" (the page sums in float64)."""
    kinds = {INT8 if t.dtype == np.int8 else FLOAT16 for n, t in tensors.items() if not n.endswith(SCALES)}
    return " and ".join(k for k in (INT8, FLOAT16) if k in kinds)


@dataclass(frozen=True)
class PageWeights:
    """The page's file for one model: its bytes, their sha256 (the URL names it), and gzipped once for the link."""

    data: bytes
    sha256: str
    precision: str
    gzipped: bytes = field(repr=False)

    @classmethod
    def of(cls, model: AutoEncoder, source_sha256: str) -> PageWeights:
        tensors = compact(model)
        metadata = {"source_sha256": source_sha256, "group": GROUP, "precision": precision(tensors)}
        # One key: safetensors writes a metadata map in no set order, and the same weights must give the same bytes.
        data = save_numpy(tensors, metadata={METADATA: json.dumps(metadata, sort_keys=True)})
        # mtime=0: the same weights always give the same bytes.
        return cls(data, hashlib.sha256(data).hexdigest(), metadata["precision"], gzip.compress(data, 6, mtime=0))

    def tensors(self) -> dict[str, np.ndarray]:
        return load_numpy(self.data)

    def metadata(self) -> dict:
        header_length = int.from_bytes(self.data[:8], "little")
        return json.loads(json.loads(self.data[8:8 + header_length])["__metadata__"][METADATA])
