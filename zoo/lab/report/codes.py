"""Section 7: reading the codes, their t-SNE maps and their units."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from zoo.analysis import maps, units
from zoo.lab import figures
from zoo.lab.report import markdown as md
from zoo.registry import model_label
from zoo.store import shipped


@dataclass(frozen=True)
class CodesRow:
    """One model's map and units, as section 7 reports them."""

    key: tuple[str, int]  # (variant, d)
    latent_dim: int
    selective: int  # class-selective units
    dead: int
    rare: int
    dense: int
    vote_code: float  # the k-NN vote in the full code h
    vote_map: float  # on the t-SNE map
    vote_pca: float  # on the codes' top two principal components
    placed: float  # the held-out digits' vote where the map's transform placed them
    points: np.ndarray  # (N, 2) the map, for the figure

    @property
    def selective_share(self) -> float:
        return self.selective / self.latent_dim


def compute(zoo, cards, test_x, test_y, weights_dir: Path) -> list[CodesRow]:
    """Each model's t-SNE map of the test codes (zoo.analysis.maps) and its units read off the test digits (zoo.analysis.units)."""
    labels, rows = test_y.numpy(), []
    for key in sorted(zoo):
        codes = maps.test_codes(zoo[key], test_x)
        try:
            code_map = maps.load(maps.map_path(weights_dir, *key), cards[key]["weights_sha256"])
        except maps.MapError:  # weights newer than their map: fitted here as the demo would
            code_map = maps.fit(codes, cards[key]["weights_sha256"])
        table = units.UnitTable.build(zoo[key], test_x, test_y, torch.from_numpy(codes))
        rows.append(CodesRow(key, table.latent_dim, int(table.selective.sum()), int(table.dead.sum()),
                             int(table.rare.sum()), int(table.dense.sum()), maps.neighbour_vote_accuracy(codes, labels),
                             maps.neighbour_vote_accuracy(code_map.points, labels),
                             maps.neighbour_vote_accuracy(maps.pca_points(codes), labels),
                             maps.placement_accuracy(code_map, labels), code_map.points))
    return rows


def write(w: md.Writer, rows: list[CodesRow], test_x, test_y) -> None:
    """Section 7 from `compute`'s rows: the definitions, the table, the maps' figure and the answer."""
    w.add("## 7. Reading the codes: maps and units")
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
    k = maps.NEIGHBOURS
    w.add(md.table(["model", "d", "class-selective units", "dead", "rare", "dense", f"{k}-NN vote, code h",
                    f"{k}-NN vote, t-SNE map", f"{k}-NN vote, PCA", "placed"],
                   [[model_label(*r.key), r.latent_dim, f"{r.selective} ({md.pct(r.selective_share)})", r.dead, r.rare,
                     r.dense, f"{r.vote_code:.3f}", f"{r.vote_map:.3f}", f"{r.vote_pca:.3f}", f"{r.placed:.3f}"]
                    for r in rows]))
    panels = sorted((r for r in rows if r.key[1] == w.config.grid_latent_dim or not shipped.on_grid(r.key[0])),
                    key=lambda r: (not shipped.on_grid(r.key[0]), r.key))
    w.figure(figures.plot_maps([(f"{model_label(*r.key)}: {k}-NN vote {r.vote_map:.3f}", r.points) for r in panels],
                               test_y.numpy()), "code_maps.png", "The test codes' t-SNE maps, by digit")
    pca = [r.vote_pca for r in rows]
    most = max(rows, key=lambda r: r.selective_share)
    text = (f"**Answer.** On every model's t-SNE map the {k} nearest neighbours vote for the right digit at least "
            f"{min(r.vote_map for r in rows):.3f} of the time, against {min(pca):.3f}-{max(pca):.3f} on the "
            "top two principal components: the codes keep the digits apart, and t-SNE shows it where PCA hid it. "
            f"{model_label(*most.key)} has the largest share of class-selective units ({md.pct(most.selective_share)}).")
    rare_ones = [f"{model_label(*r.key)} {r.rare} of {r.latent_dim}" for r in rows if r.rare]
    if rare_ones:
        text += (f" Units that fire on fewer than {md.pct(units.RARE_BELOW)} of the test digits (rare): "
                 f"{', '.join(rare_ones)}; a dead-unit count of 0 does not mean every unit is used.")
    w.add(text)
