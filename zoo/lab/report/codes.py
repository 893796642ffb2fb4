"""Section 7: reading the codes, their t-SNE maps and their units."""

from __future__ import annotations

from pathlib import Path

import torch

from zoo.analysis import maps, units
from zoo.lab import figures
from zoo.lab.report import markdown as md
from zoo.registry import model_label
from zoo.store import shipped


def write(w: md.Writer, zoo, cards, test_x, test_y, weights_dir: Path) -> None:
    """Each model's t-SNE map of the test codes (zoo.analysis.maps) and its units read off the test digits (zoo.analysis.units)."""
    w.add("## 7. Reading the codes: maps and units")
    labels = test_y.numpy()
    code_maps, rows, selective, votes, rare = {}, [], {}, {}, {}
    for key in sorted(zoo):
        codes = maps.test_codes(zoo[key], test_x)
        try:
            code_maps[key] = maps.load(maps.map_path(weights_dir, *key), cards[key]["weights_sha256"])
        except maps.MapError:  # weights newer than their map: fitted here as the demo would (~25 s each)
            code_maps[key] = maps.fit(codes, cards[key]["weights_sha256"])
        table = units.UnitTable.build(zoo[key], test_x, test_y, torch.from_numpy(codes))
        selective[key] = float(table.selective.float().mean())
        rare[key] = (int(table.rare.sum()), table.latent_dim)
        votes[key] = {"map": maps.neighbour_vote_accuracy(code_maps[key].points, labels),
                      "pca": maps.neighbour_vote_accuracy(maps.pca_points(codes), labels)}
        rows.append([model_label(*key), table.latent_dim, f"{int(table.selective.sum())} ({md.pct(selective[key])})",
                     int(table.dead.sum()), int(table.rare.sum()), int(table.dense.sum()),
                     f"{maps.neighbour_vote_accuracy(codes, labels):.3f}", f"{votes[key]['map']:.3f}",
                     f"{votes[key]['pca']:.3f}", f"{maps.placement_accuracy(code_maps[key], labels):.3f}"])
    w.add(md.source(maps.fit, maps.neighbour_vote_accuracy, maps.placement_accuracy, units.UnitTable) + "\n\n"
          f"**The map.** Each model's {len(test_x):,} test codes in two dimensions by t-SNE (openTSNE, perplexity "
          f"{maps.PERPLEXITY:g}, seed {maps.SEED}), fitted on all but {maps.HELD_OUT} of them, which the embedding's "
          f"own transform then places, as the demo's Explore tab places a drawing. Made by `python -m zoo.analysis.maps`, "
          "shipped in weights/maps/ and tied to the weights' sha256. A map is judged by the digit its "
          f"{maps.NEIGHBOURS} nearest neighbours vote for: in the full code h, on the map, and on the codes' top two "
          f"principal components (Explore's map before); *placed*: the {maps.HELD_OUT} held-out digits' vote among "
          "the fitted points at the place the transform gave them.\n\n"
          f"**The units.** A unit *fires* on an image when it is not exactly zero; *dead*: it fires on no test "
          f"digit; *rare*: on fewer than {md.pct(units.RARE_BELOW)} of them; *dense*: on at least "
          f"{md.pct(units.DENSE_FROM)} (every unit of a linear code is). Its *drive* is its activation above its median "
          "over the test digits; *class selectivity* (m_top - m_rest) / (m_top + m_rest), m_top the mean drive over "
          "its most driving class, m_rest the mean of the other nine classes' means; a unit neither dead nor rare is "
          f"*class-selective* from {units.SELECTIVE_FROM:g}: its top class drives it at least "
          f"{(1 + units.SELECTIVE_FROM) / (1 - units.SELECTIVE_FROM):g} times as much as the "
          "others on average.")
    w.add(md.table(["model", "d", "class-selective units", "dead", "rare", "dense", "10-NN vote, code h",
                  "10-NN vote, t-SNE map", "10-NN vote, PCA", "placed"], rows))
    panels = sorted((key for key in zoo if key[1] == w.config.grid_latent_dim or not shipped.on_grid(key[0])),
                    key=lambda key: (not shipped.on_grid(key[0]), key))
    w.figure(figures.plot_maps([(f"{model_label(*key)}: 10-NN vote {votes[key]['map']:.3f}", code_maps[key].points)
                                for key in panels], labels), "code_maps.png", "The test codes' t-SNE maps, by digit")
    pca = [vote["pca"] for vote in votes.values()]
    most = max(selective, key=selective.get)
    text = (f"**Answer.** On every model's t-SNE map the 10 nearest neighbours vote for the right digit at least "
            f"{min(vote['map'] for vote in votes.values()):.3f} of the time, against {min(pca):.3f}-{max(pca):.3f} on the "
            "top two principal components: the codes keep the digits apart, and t-SNE shows it where PCA hid it. "
            f"{model_label(*most)} has the largest share of class-selective units ({md.pct(selective[most])}).")
    rare_ones = [f"{model_label(*key)} {count} of {d}" for key, (count, d) in sorted(rare.items()) if count]
    if rare_ones:
        text += (f" Units that fire on fewer than {md.pct(units.RARE_BELOW)} of the test digits (rare): "
                 f"{', '.join(rare_ones)}; a dead-unit count of 0 does not mean every unit is used.")
    w.add(text)
