"""Section 2: the decoder's weights as 28x28 images, and which of them look like digits."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import torch

from zoo.analysis import explore
from zoo.lab import figures, measures
from zoo.lab.experiments import COURSE
from zoo.lab.report import markdown as md
from zoo.lab.report.settings import DIGIT_LIKE, SETTINGS
from zoo.lab.seeds import over_seeds
from zoo.model import INPUT_DIM
from zoo.registry import model_label


def _unit_rows(models, test_x, class_means) -> tuple[list[dict], dict[int, dict[str, torch.Tensor]]]:
    """One row of unit-image statistics per model, and the unit images by d and model label."""
    rows, images_by_d = [], {}
    for d in sorted({d for _, d in models}):
        keys = [key for key in sorted(models) if key[1] == d]
        images = {model_label(*key): explore.unit_images(models[key], test_x) for key in keys}
        for (variant, _), (label, unit_imgs) in zip(keys, images.items()):
            stats = measures.unit_image_stats(unit_imgs, class_means)
            live = [c for c in stats["digit_correlation"] if not math.isnan(c)]
            areas = [a for a in stats["area_80"] if not math.isnan(a)]
            rows.append({"model": label, "variant": variant, "d": d, "units": len(unit_imgs),
                         "digit_like": sum(c >= DIGIT_LIKE for c in live), "median_corr": statistics.median(live),
                         "median_area": statistics.median(areas)})
        images_by_d[d] = images
    return rows, images_by_d


def _unit_summary(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per variant, all d together: the share of digit-like units and the median of the models' median areas."""
    by_variant = {v: [r for r in rows if r["variant"] == v] for v in sorted({r["variant"] for r in rows})}
    return {v: {"share": sum(r["digit_like"] for r in rs) / sum(r["units"] for r in rs),
                "area": statistics.median(r["median_area"] for r in rs)} for v, rs in by_variant.items()}


@dataclass(frozen=True)
class DecoderUnits:
    """Unit-image statistics per model (`rows`, over seeds for the extra models), the images to draw by d and model
    label (the first seed's extra models), and per variant the share of digit-like units and the median area."""

    rows: list[dict]
    images_by_d: dict[int, dict[str, torch.Tensor]]
    share: dict[str, float]
    area: dict[str, float]


def compute(zoo, extra_by_seed, test_x, test_y) -> DecoderUnits:
    class_means = torch.stack([test_x[test_y == c].mean(dim=0) for c in range(10)])
    zoo_rows, zoo_images = _unit_rows(zoo, test_x, class_means)
    extra = [_unit_rows(models, test_x, class_means) for models in extra_by_seed]
    extra_rows = [r for r, _ in extra]
    images_by_d = {d: dict(sorted({**zoo_images.get(d, {}), **extra[0][1].get(d, {})}.items()))
                   for d in sorted(set(zoo_images) | set(extra[0][1]))}
    rows = sorted(zoo_rows + over_seeds(extra_rows, fixed=SETTINGS + ("model",)), key=lambda r: (r["d"], r["model"]))
    summary = {**_unit_summary(zoo_rows), **over_seeds([_unit_summary(r) for r in extra_rows])}
    return DecoderUnits(rows, images_by_d, {v: s["share"] for v, s in summary.items()},
                        {v: s["area"] for v, s in summary.items()})


def write(w: md.Writer, result: DecoderUnits) -> None:
    """Section 2 from `compute`'s result: the definitions, a figure per d, the table and what they show."""
    w.add("## 2. The decoder's weights as 28x28 images")
    w.add(md.source(explore.unit_images, measures.unit_image_stats) + "\n\n"
          f"For the course's single-layer model, column j of the decoder's weight matrix ({INPUT_DIM} x d) is the image "
          "unit j writes (in logits, before the sigmoid). The zoo's models have a hidden layer, so each unit is "
          "shown by its decoded unit vector: decode(h0 + s_j e_j) - decode(h0), h0 the mean test code and s_j "
          "the standard deviation of h_j, i.e. what one typical step of unit j adds to the average digit. Red "
          "adds ink, blue removes it; each unit is scaled to its own largest value. To say which look like "
          "digits without guessing: a unit's *digit correlation* is its largest Pearson correlation with the "
          f"mean test image of a class (>= {DIGIT_LIKE} counts as digit-like); its *area* is the share of the "
          f"{INPUT_DIM} pixels that carries {md.pct(measures.AREA_SHARE, 0)} of its absolute weight (a stroke is local: a small area).")
    for d, images in result.images_by_d.items():
        w.figure(figures.plot_unit_images(images), f"decoder_units_d{d}.png", f"What each code unit draws, d={d}")
    w.add(md.table(["model", "units", f"digit-like (corr >= {DIGIT_LIKE})", "median digit correlation",
                    f"median area ({md.pct(measures.AREA_SHARE, 0)} of weight)"],
                   [[r["model"], r["units"], f"{r['digit_like']} ({md.pct(r['digit_like'] / r['units'])})",
                     f"{r['median_corr']:.2f}", md.pct(r["median_area"])] for r in result.rows]))
    share, area = result.share, result.area
    most = max(share, key=share.get)
    ordered = ", ".join(f"{v} {md.pct(s)}" for v, s in sorted(share.items(), key=lambda item: -item[1]))
    text = (f"**What they show.** Digit-like units, all d together: {ordered}; {most}'s units look most like "
            "whole digits.")
    if "sparse" in share and "plain" in share:
        relation = "more" if share["sparse"] > share["plain"] else "less"
        text += (f" Sparse units are {relation} often digit-like than plain ones ({md.pct(share['sparse'])} against "
                 f"{md.pct(share['plain'])}; median area {md.pct(area['sparse'])} against {md.pct(area['plain'])}). In the "
                 "figures, plain units draw signed, partial strokes that only make a digit in combination, while "
                 "many sparse units, one of few active at a time, draw a whole stroke or a digit-like shape by "
                 "themselves.")
    if COURSE in area:
        text += (f" The course model's raw weight columns are noisy and spread (median area {md.pct(area[COURSE])}): "
                 "a pixel that is (nearly) always 0 in MNIST gives its weights almost no gradient, so they keep "
                 "much of their random initial values; and a code is only defined up to an invertible map, so "
                 "nothing makes one column draw one digit.")
    w.add(text)
