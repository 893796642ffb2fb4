"""A map of a model's codes that keeps neighbours together: the 10,000 test codes in 2-D by t-SNE (openTSNE).

One map per model, fitted once (`python -m zoo.analysis.maps`, about 25 s a model on 2 cores) and shipped beside the
weights as `maps/<id>.safetensors`, tied to the weights' sha256: a retrained model never shows a stale map
(`load` refuses it, and the demo computes a fresh one on first use). A map is fitted on 9,500 test codes;
the other 500 (`held_out`, a seeded draw) are placed by the embedding's own transform, as a new drawing is,
so every map carries its own check of how well a new input lands among its class (`placement_accuracy`).

Why openTSNE: it has a `transform` for new points (scikit-learn's TSNE has none) and fits 9,500 codes in
~25 s here with nothing compiled at import (umap-learn's numba JIT); docs/BENCHMARKS.md has the figures.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.numpy import load as load_bytes
from safetensors.numpy import save as save_bytes
from tqdm import tqdm

from zoo import data
from zoo.analysis import explore
from zoo.model import AutoEncoder
from zoo.store import checkpoint, shipped
from zoo.system import atomic, paths

HELD_OUT = 500  # test codes left out of each fit and placed by the transform, the map's own placement check
PERPLEXITY = 30.0  # openTSNE's default
SEED = 0
NEIGHBOURS = 10  # k of the k-nearest-neighbour figures (the digit vote and trustworthiness)
# Optimisation steps when placing a new point: openTSNE's default is 100; 25 placed the 500 held-out digits as
# well (0.936 against 0.938 on sparse d=32) in 20 ms for one drawing.
TRANSFORM_ITERATIONS = 25
MAP_FORMAT = 1


class MapError(RuntimeError):
    """A map file is missing, unreadable or made for other weights."""


def held_out(count: int, seed: int = SEED) -> np.ndarray:
    """The sorted indices of the HELD_OUT test digits every map leaves out of its fit."""
    return np.sort(np.random.default_rng(seed).choice(count, HELD_OUT, replace=False))


def fitted_mask(count: int, out: np.ndarray) -> np.ndarray:
    """(count,) True but at the held-out indices `out`: the codes a map is fitted on."""
    mask = np.ones(count, dtype=bool)
    mask[out] = False
    return mask


@dataclass
class TSNEMap:
    """Where each test code lies on the map, and how to place a new code there."""

    points: np.ndarray  # (N, 2) float32, test-set order
    held_out: np.ndarray  # (HELD_OUT,) indices of the points placed by the transform, not fitted
    weights_sha256: str
    seconds: float  # the fit's time, as recorded when it was made
    _placer: object = field(default=None, repr=False)  # openTSNE's embedding that places new codes, once built
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def fitted(self) -> np.ndarray:
        """(N,) True for the points the embedding was fitted on."""
        return fitted_mask(len(self.points), self.held_out)

    def place(self, codes: np.ndarray, test_codes: np.ndarray) -> np.ndarray:
        """Map positions (k, 2) of new codes (k, d), by openTSNE's transform against this map.

        `test_codes` (N, d) are the model's codes of the test digits: the first call rebuilds the fit's
        nearest-neighbour affinities from them (~2.5 s), which openTSNE needs and which are not stored.
        """
        with self._lock:
            if self._placer is None:
                self._placer = _rebuilt(self.points[self.fitted], test_codes[self.fitted])
            placed = self._placer.transform(np.asarray(codes, dtype=np.float32).reshape(-1, test_codes.shape[1]),
                                            n_iter=TRANSFORM_ITERATIONS)
        return np.asarray(placed, dtype=np.float32)


def _rebuilt(points: np.ndarray, codes: np.ndarray):
    """The embedding that places new codes: the fitted points and the nearest-neighbour affinities of their codes."""
    from openTSNE import affinity  # imported when used: the demo starts without it

    return _placing(points, affinity.PerplexityBasedNN(codes.astype(np.float32), perplexity=PERPLEXITY,
                                                       n_jobs=torch.get_num_threads(), random_state=SEED, verbose=False))


def _placing(points: np.ndarray, affinities):
    from openTSNE import TSNEEmbedding

    # "fft" said outright: left to "auto", openTSNE takes Barnes-Hut for fewer than 10,000 new points, much slower
    # here (120 ms for one drawing against 20), and the held-out digits would be placed unlike a drawing.
    return TSNEEmbedding(np.asarray(points, dtype=np.float64), affinities, n_jobs=torch.get_num_threads(),
                         random_state=SEED, negative_gradient_method="fft")


def fit(codes: np.ndarray, weights_sha256: str) -> TSNEMap:
    """The map of test codes (N, d): t-SNE fitted on all but the held-out ones, which the transform then places."""
    from openTSNE import TSNE

    start = time.perf_counter()
    out = held_out(len(codes))
    inside = fitted_mask(len(codes), out)
    codes = np.asarray(codes, dtype=np.float32)
    embedding = TSNE(perplexity=PERPLEXITY, n_jobs=torch.get_num_threads(), random_state=SEED, verbose=False).fit(codes[inside])
    points = np.zeros((len(codes), 2), dtype=np.float32)
    points[inside] = np.asarray(embedding)
    placer = _placing(points[inside], embedding.affinities)
    points[out] = np.asarray(placer.transform(codes[out], n_iter=TRANSFORM_ITERATIONS))
    return TSNEMap(points, out, weights_sha256, time.perf_counter() - start, placer)


# ---------------------------------------------------------------------------------------------
# On disk: maps/<id>.safetensors beside the weights


def map_path(weights_dir: Path, variant: str, latent_dim: int) -> Path:
    return Path(weights_dir) / "maps" / checkpoint.paths(weights_dir, variant, latent_dim)[0].name


def save(code_map: TSNEMap, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, save_bytes(
        {"points": code_map.points, "held_out": code_map.held_out.astype(np.int64)},
        metadata={"map_format": str(MAP_FORMAT), "weights_sha256": code_map.weights_sha256,
                  "method": f"openTSNE {version('openTSNE')}", "perplexity": str(PERPLEXITY), "seed": str(SEED),
                  "transform_iterations": str(TRANSFORM_ITERATIONS), "data_sha256": data.DATA_SHA256,
                  "seconds": f"{code_map.seconds:.1f}"}))


def load(path: Path, weights_sha256: str) -> TSNEMap:
    """The map at `path`, if it was made for the weights with this sha256; MapError otherwise."""
    try:
        raw = Path(path).read_bytes()
        tensors, metadata = load_bytes(raw), _metadata(raw)
    except FileNotFoundError:
        raise MapError(f"no map at {path}; make it with: python -m zoo.analysis.maps") from None
    except (SafetensorError, OSError, ValueError) as e:
        raise MapError(f"{path} is not a readable map ({e}); make it again with: python -m zoo.analysis.maps --force") from e
    if metadata.get("weights_sha256") != weights_sha256:
        raise MapError(f"{path} was made for other weights; make it again with: python -m zoo.analysis.maps")
    return TSNEMap(tensors["points"], tensors["held_out"], weights_sha256, float(metadata.get("seconds", "nan")))


def _metadata(raw: bytes) -> dict:
    """A safetensors file's metadata (safetensors.numpy.load drops it): an 8-byte header size, then the JSON header."""
    (size,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8:8 + size]).get("__metadata__", {})


# ---------------------------------------------------------------------------------------------
# How good a map is


def neighbour_vote_accuracy(points: np.ndarray, labels: np.ndarray, k: int = NEIGHBOURS) -> float:
    """Share of points whose k nearest other points (Euclidean) vote for their own label (ties: the smallest label)."""
    from sklearn.neighbors import NearestNeighbors

    nearest = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points, return_distance=False)[:, 1:]
    return _vote_accuracy(labels[nearest], labels)


def placement_accuracy(code_map: TSNEMap, labels: np.ndarray, k: int = NEIGHBOURS) -> float:
    """Share of held-out digits whose k nearest fitted points, at their placed position, vote for their label."""
    from sklearn.neighbors import NearestNeighbors

    inside = code_map.fitted
    nearest = NearestNeighbors(n_neighbors=k).fit(code_map.points[inside]).kneighbors(
        code_map.points[code_map.held_out], return_distance=False)
    return _vote_accuracy(labels[inside][nearest], labels[code_map.held_out])


def _vote_accuracy(neighbour_labels: np.ndarray, labels: np.ndarray) -> float:
    votes = np.apply_along_axis(np.bincount, 1, neighbour_labels, minlength=10).argmax(axis=1)
    return float((votes == labels).mean())


def trustworthiness(codes: np.ndarray, points: np.ndarray, k: int = NEIGHBOURS) -> float:
    """scikit-learn's trustworthiness: 1 when every map neighbour is also a neighbour in the code (~9 s for 10,000)."""
    from sklearn.manifold import trustworthiness as measure

    return float(measure(codes, points, n_neighbors=k))


def pca_points(codes: np.ndarray) -> np.ndarray:
    """The codes on their top two principal components, (N, 2): the map Explore showed before, for comparison."""
    codes = torch.as_tensor(codes).float()
    centre, axes = explore.principal_plane(codes)
    return ((codes - centre) @ axes).numpy()


# ---------------------------------------------------------------------------------------------
# The command: python -m zoo.analysis.maps


def test_codes(model: AutoEncoder, test_x: torch.Tensor) -> np.ndarray:
    return explore.encode(model, test_x.reshape(len(test_x), -1)).numpy()


def make_maps(weights_dir: Path, models: list[tuple[str, int]], force: bool = False, log=tqdm.write) -> list[Path]:
    """Fit and write the map of every model in `models` whose map is missing or stale (all with `force`)."""
    test_x, _ = data.load_mnist("test")
    written = []
    for variant, d in tqdm(models, desc="maps", unit="model", file=sys.stderr):
        model, card = checkpoint.load(weights_dir, variant, d)
        path = map_path(weights_dir, variant, d)
        if not force:
            try:
                load(path, card["weights_sha256"])
                log(f"{variant} d={d}: {path} is up to date")
                continue
            except MapError:
                pass
        made = fit(test_codes(model, test_x), card["weights_sha256"])
        save(made, path)
        written.append(path)
        log(f"{variant} d={d}: fitted in {made.seconds:.1f} s -> {path}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo.analysis.maps", description=__doc__.splitlines()[0])
    parser.add_argument("--weights-dir", type=Path, default=None, help="default: the shipped zoo's weights/")
    parser.add_argument("--force", action="store_true", help="fit every map again, even those up to date")
    args = parser.parse_args(argv)
    weights_dir = args.weights_dir or paths.default_weights_dir()
    found = checkpoint.available(weights_dir)
    if not found:
        print(f"error: no trained models in {weights_dir}; train them with: python train_all.py", file=sys.stderr)
        return 2
    start = time.perf_counter()
    order = {key: i for i, key in enumerate(shipped.models())}
    make_maps(weights_dir, sorted(found, key=lambda key: order.get(key, len(order))), force=args.force)
    print(f"done in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
