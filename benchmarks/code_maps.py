"""How well each shipped map keeps the digits apart, against the PCA view, and where a map's fit spends its time.

    python benchmarks/code_maps.py [--fit sparse:32]

1. Per shipped model, on the 10,000 test codes: the 10-nearest-neighbour digit vote in the full code (the
   baseline), on the t-SNE map (`weights/maps/`, as shipped) and on the codes' top two principal components
   (Explore's old map); the ratio map / full code; trustworthiness (scikit-learn, k=10) of each view; and the
   share of the 500 held-out digits, placed by openTSNE's transform, whose 10 nearest fitted points vote for
   their label. Goals: map vote >= 0.90 and >= 0.94x the full code's; trustworthiness >= 0.90; placement >= 0.85.
2. One model's map fitted again step by step (--fit): the nearest-neighbour affinities, the PCA start,
   the two optimisation phases (openTSNE's defaults: 250 exaggerated steps, then 500), the 500 placed;
   and placing one new code (the demo's drawing), cold (affinities rebuilt) and warm. Goal: a fit <= 60 s.
With --compare, only: the libraries side by side on the --fit model (umap-learn if importable; it is not a
dependency: `pip install --target DIR umap-learn` and PYTHONPATH=DIR to include it).
Last line: `RESULT worst_map_vote=.. worst_ratio=.. worst_trust=.. worst_placement=.. fit_s=..`.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from zoo import data
from zoo.analysis import maps
from zoo.store import checkpoint, shipped
from zoo.system import paths


def quality(weights_dir, test_x, labels) -> list[dict]:
    rows = []
    for variant, d in shipped.models():
        model, card = checkpoint.load(weights_dir, variant, d)
        codes = maps.test_codes(model, test_x)
        code_map = maps.load(maps.map_path(weights_dir, variant, d), card["weights_sha256"])
        pca = maps.pca_points(codes)
        full = maps.neighbour_vote_accuracy(codes, labels)
        vote = maps.neighbour_vote_accuracy(code_map.points, labels)
        rows.append({"model": f"{variant} d={d}", "full": full, "map": vote, "ratio": vote / full,
                     "trust": maps.trustworthiness(codes, code_map.points),
                     "placement": maps.placement_accuracy(code_map, labels),
                     "pca": maps.neighbour_vote_accuracy(pca, labels), "pca_trust": maps.trustworthiness(codes, pca),
                     "fit_s": code_map.seconds})
    return rows


def fit_steps(weights_dir, test_x, variant: str, d: int) -> list[tuple[str, float]]:
    from openTSNE import TSNEEmbedding, affinity, initialization

    model, card = checkpoint.load(weights_dir, variant, d)
    steps, start = [], time.perf_counter()

    def step(name):
        nonlocal start
        steps.append((name, time.perf_counter() - start))
        start = time.perf_counter()

    codes = maps.test_codes(model, test_x)
    step("encode 10,000 test digits")
    inside = maps.fitted_mask(len(codes), maps.held_out(len(codes)))
    threads = torch.get_num_threads()
    affinities = affinity.PerplexityBasedNN(codes[inside], perplexity=maps.PERPLEXITY, n_jobs=threads, random_state=maps.SEED)
    step("affinities (nearest neighbours, perplexity)")
    start_points = initialization.pca(codes[inside], random_state=maps.SEED)
    embedding = TSNEEmbedding(start_points, affinities, n_jobs=threads, random_state=maps.SEED)
    step("PCA start")
    embedding = embedding.optimize(n_iter=250, exaggeration=12)
    step("250 steps, exaggerated")
    embedding = embedding.optimize(n_iter=500)
    step("500 steps")
    embedding.transform(codes[~inside], n_iter=maps.TRANSFORM_ITERATIONS)
    step("place the 500 held out")
    code_map = maps.load(maps.map_path(weights_dir, variant, d), card["weights_sha256"])
    one = codes[:1]
    code_map.place(one, codes)
    step("place one code, cold (affinities rebuilt)")
    warm = []
    for i in range(20):
        begin = time.perf_counter()
        code_map.place(codes[i + 1:i + 2], codes)
        warm.append(time.perf_counter() - begin)
    steps.append(("place one code, warm (median of 20)", statistics.median(warm)))
    return steps


def compare_libraries(weights_dir, test_x, labels, variant: str, d: int) -> list[dict]:
    """The same fit (all but the held-out codes) and placement by each library that can do it: openTSNE (shipped),
    scikit-learn's TSNE (no transform: nothing placed) and umap-learn (when installed; not a dependency)."""
    import importlib

    model, _ = checkpoint.load(weights_dir, variant, d)
    codes = maps.test_codes(model, test_x)
    out = maps.held_out(len(codes))
    inside = maps.fitted_mask(len(codes), out)
    threads = torch.get_num_threads()

    def open_tsne():
        from openTSNE import TSNE
        embedding = TSNE(perplexity=maps.PERPLEXITY, n_jobs=threads, random_state=maps.SEED).fit(codes[inside])
        return np.asarray(embedding), lambda new: np.asarray(embedding.transform(new, n_iter=maps.TRANSFORM_ITERATIONS))

    def sklearn_tsne():
        from sklearn.manifold import TSNE
        return TSNE(perplexity=maps.PERPLEXITY, random_state=maps.SEED, n_jobs=threads).fit_transform(codes[inside]), None

    def umap_learn():
        import umap
        reducer = umap.UMAP(n_neighbors=15, random_state=maps.SEED, n_jobs=threads).fit(codes[inside])
        return reducer.embedding_, reducer.transform

    rows = []
    for name, module, run in (("openTSNE", "openTSNE", open_tsne), ("scikit-learn TSNE", "sklearn", sklearn_tsne),
                              ("umap-learn", "umap", umap_learn)):
        begin = time.perf_counter()
        try:
            importlib.import_module(module)
        except ImportError:
            rows.append({"library": name, "note": "not installed"})
            continue
        imported = time.perf_counter() - begin
        begin = time.perf_counter()
        fitted, transform = run()
        fit_s = time.perf_counter() - begin
        points = np.zeros((len(codes), 2), dtype=np.float32)
        points[inside] = fitted
        row = {"library": name, "version": version_of(module), "import_s": imported, "fit_s": fit_s,
               "vote": maps.neighbour_vote_accuracy(fitted, labels[inside]),
               "trust": maps.trustworthiness(codes[inside], fitted)}
        if transform is not None:
            begin = time.perf_counter()
            points[out] = transform(codes[out])
            row["place_s"] = time.perf_counter() - begin
            row["placement"] = maps.placement_accuracy(maps.TSNEMap(points, out, "", 0.0), labels)
        rows.append(row)
    return rows


def version_of(module: str) -> str:
    from importlib.metadata import version
    return version({"sklearn": "scikit-learn", "umap": "umap-learn"}.get(module, module))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", default="sparse:32", help="variant:d whose fit is timed step by step")
    parser.add_argument("--compare", action="store_true", help="only: openTSNE, scikit-learn and umap-learn on --fit")
    args = parser.parse_args()
    weights_dir = paths.default_weights_dir()
    test_x, labels = data.load_mnist("test")
    labels = labels.numpy()
    print(f"threads: {torch.get_num_threads()}")
    if args.compare:
        variant, d = args.fit.split(":")
        print(f"{variant} d={d}: fitted on {10_000 - maps.HELD_OUT:,} test codes, {maps.HELD_OUT} placed")
        print(f"{'library':<20} {'version':>8} {'import s':>8} {'fit s':>6} {'10-NN vote':>10} {'trust':>6} "
              f"{'place s':>7} {'placed':>7}")
        for r in compare_libraries(weights_dir, test_x, labels, variant, int(d)):
            if "note" in r:
                print(f"{r['library']:<20} {r['note']}")
                continue
            placed = f"{r['place_s']:>7.2f} {r['placement']:>7.3f}" if "placement" in r else f"{'no transform':>15}"
            print(f"{r['library']:<20} {r['version']:>8} {r['import_s']:>8.2f} {r['fit_s']:>6.1f} {r['vote']:>10.3f} "
                  f"{r['trust']:>6.3f} {placed}")
        return
    rows = quality(weights_dir, test_x, labels)
    print(f"{'model':<16} {'full 10-NN':>10} {'map 10-NN':>10} {'map/full':>9} {'map trust':>10} {'placed':>7} "
          f"{'PCA 10-NN':>10} {'PCA trust':>10} {'fit s':>6}")
    for r in rows:
        print(f"{r['model']:<16} {r['full']:>10.3f} {r['map']:>10.3f} {r['ratio']:>9.3f} {r['trust']:>10.3f} "
              f"{r['placement']:>7.3f} {r['pca']:>10.3f} {r['pca_trust']:>10.3f} {r['fit_s']:>6.1f}")
    variant, d = args.fit.split(":")
    steps = fit_steps(weights_dir, test_x, variant, int(d))
    print(f"\n{variant} d={d}, fitted again step by step:")
    fit_total = sum(seconds for name, seconds in steps[:6])
    for name, seconds in steps:
        print(f"  {name:<44} {seconds:7.2f} s")
    print(f"  {'total (encode to placing the 500)':<44} {fit_total:7.2f} s  (goal 60)")
    print(f"RESULT worst_map_vote={min(r['map'] for r in rows):.3f} worst_ratio={min(r['ratio'] for r in rows):.3f} "
          f"worst_trust={min(r['trust'] for r in rows):.3f} worst_placement={min(r['placement'] for r in rows):.3f} "
          f"fit_s={fit_total:.1f}")


if __name__ == "__main__":
    main()
