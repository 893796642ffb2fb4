"""Section 4: the course's three questions (why h, parameters against d, h's size)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from zoo.lab import figures, measures, probes, tables
from zoo.lab.report import markdown as md
from zoo.model import IMAGE_SIZE, INPUT_DIM
from zoo.registry import model_label


@dataclass(frozen=True)
class Questions:
    """The rows each of section 4's questions formats: probes, walks, parameter counts, code sizes."""

    probe_rows: list[dict]  # probes.probe_table
    walk_ends: tuple[int, int]  # the test digits the walk goes between (the first of each of config.walk_digits)
    walks: list[dict]  # tables.interpolation_rows: the pixel blend first
    parameter_rows: list[dict]  # tables.parameter_table
    code_size_rows: list[dict]  # tables.code_size_table
    png: list[int]  # each test digit's bytes as an 8-bit PNG


def compute(zoo, extra, train_x, train_y, test_x, test_y, config) -> Questions:
    c = config
    probe_rows = probes.probe_table(zoo, train_x, train_y, test_x, test_y, per_class=c.probe_labels_per_class,
                                    seed=c.seed, max_iter=c.probe_max_iter)
    a, b = (int((test_y == digit).nonzero()[0]) for digit in c.walk_digits)
    walked = {k: m for k, m in zoo.items() if k[1] == c.grid_latent_dim}
    walks = tables.interpolation_rows(walked, test_x[a], test_x[b], test_x, steps=c.interpolation_steps)
    return Questions(probe_rows, (a, b), walks, tables.parameter_table({**zoo, **extra}),  # counts: the same every seed
                     tables.code_size_table(zoo, train_x, test_x), measures.png_bytes(test_x))


def write(w: md.Writer, result: Questions, zoo, train_y, test_x, test_y) -> None:
    """Section 4 from `compute`'s rows: (a) why learn h, and the walk between two codes; (b) parameters against d;
    (c) h's size. The figures draw the best code in 2-D and the walks."""
    _why_h(w, result.probe_rows, zoo, train_y, test_x, test_y)
    _walk(w, result)
    _parameters(w, result.parameter_rows, zoo)
    _code_size(w, result.code_size_rows, result.png)


def _why_h(w: md.Writer, rows: list[dict], zoo, train_y, test_x, test_y) -> None:
    c = w.config
    w.add("## 4. The three questions")
    w.add("### (a) Why learn a representation h?")
    w.add(md.source(probes.probe_table, probes.linear_probe, figures.plot_codes_2d) + "\n\n"
          "An autoencoder learns h from images alone, without labels. If h keeps what matters about a digit in a "
          "form a simple model can use, a *linear* classifier on h should do well, best of all when labels are "
          f"scarce. Softmax regression on raw pixels, on PCA codes and on each model's h, trained with all "
          f"{len(train_y):,} training labels and with only {c.probe_labels_per_class} per class "
          f"({10 * c.probe_labels_per_class:,} labels, drawn with seed {c.seed}), accuracy on the {len(test_y):,} test "
          f"images. Features standardised; the L2 weight chosen on a {probes.VALIDATION_SHARE:.0%} validation split of the labelled "
          f"images from {', '.join(md.exponent(l2) for l2 in probes.L2_GRID)}; L-BFGS, {c.probe_max_iter} iterations.")
    w.add(md.table(["features", "numbers per image", "accuracy, all labels",
                  f"accuracy, {c.probe_labels_per_class} labels per class"],
                 [[r["features"], r["dim"], md.pct(r["accuracy_all"]), md.pct(r["accuracy_few"])] for r in rows]))
    raw = rows[0]
    learnt = [r for r in rows if r["model"] is not None]
    best_few = max(learnt, key=lambda r: r["accuracy_few"])
    best_all = max(learnt, key=lambda r: r["accuracy_all"])
    # Gains in points between the accuracies as printed, so the sentence agrees with the table to the digit.
    few_gain = md.points(best_few["accuracy_few"]) - md.points(raw["accuracy_few"])
    all_gain = md.points(best_all["accuracy_all"]) - md.points(raw["accuracy_all"])
    w.add(f"**Answer.** With {c.probe_labels_per_class} labels per class, the best h ({best_few['features']}, "
          f"{best_few['dim']} numbers) gives {md.pct(best_few['accuracy_few'])} against {md.pct(raw['accuracy_few'])} "
          f"on the {raw['dim']} raw pixels ({few_gain:+.1f} points); with all labels, the best h gives "
          f"{md.pct(best_all['accuracy_all'])} ({best_all['features']}) against {md.pct(raw['accuracy_all'])} "
          f"({all_gain:+.1f} points). "
          + ("So h, learnt without a single label, helps most where labels are scarce: " if few_gain > all_gain else
             "So h, learnt without a single label, does not help here: ")
          + f"a code {INPUT_DIM // best_few['dim']}x smaller than the image keeps what a linear classifier needs "
          "to tell the digits apart. "
          + (f"With all labels the {raw['dim']} pixels catch up: the classifier then has enough examples to weigh far more "
             "numbers. " if all_gain <= 0 else f"With all labels the gap shrinks to {all_gain:+.1f} points. ")
          + "A compact h is also what denoising (section 3) and compression "
          "(c) rest on: a representation is learnt to keep what matters about the data and drop the rest.")
    key = best_few["model"]
    shown = test_x[:5000], test_y[:5000]
    w.figure(figures.plot_codes_2d(zoo[key], model_label(*key), *shown), "codes_2d.png",
             "Test digits in 2-D: pixels against h")


def _walk(w: md.Writer, result: Questions) -> None:
    c, (a, b), walks = w.config, result.walk_ends, result.walks
    one, other = c.walk_digits
    blend, learnt = walks[0], walks[1:]
    closest = min(learnt, key=lambda r: r["midway"])
    w.add(f"**Walking between two codes** (`interpolation_rows`; the demo's Explore tab does it for any input). "
          f"From the first test {one} (#{a}) to the first test {other} (#{b}) in {c.interpolation_steps} steps: the straight "
          "line between the two images (a pixel blend), and between their codes h, decoded, for every model with "
          f"d={c.grid_latent_dim}. How far the middle image lies from the nearest other test digit (root mean "
          "squared pixel difference; smaller looks more like a real digit):")
    w.add(md.table(["path", "middle image to the nearest test digit"], [[r["label"], f"{r['midway']:.4f}"] for r in walks]))
    nearer = [r["label"] for r in learnt if r["midway"] < blend["midway"]]
    w.add(f"The blend's middle image is the {one} and the {other} superimposed, {blend['midway']:.4f} from the nearest real "
          f"digit. {len(nearer)} of {len(learnt)} models' middle images lie nearer a real digit than that"
          + (f" ({', '.join(nearer)})" if nearer else "") + f"; {closest['label']} nearest ({closest['midway']:.4f}). "
          "The figure shows each path, the blend on top.")
    w.figure(figures.plot_interpolation(walks), "interpolation.png", f"From a {one} to an {other}: pixels against codes")


def _parameters(w: md.Writer, prows: list[dict], zoo) -> None:
    w.add("### (b) The number of parameters as a function of d")
    w.add(md.source(measures.parameter_formula, tables.parameter_table) + "\n\n"
          "Each Linear(a, b) layer has a·b weights and b biases, so a model with layer widths n_0, ..., n_L has "
          "sum_i (n_i·n_{i+1} + n_{i+1}) parameters (`zoo.model.parameter_count`). d enters two layers, so the "
          f"count is linear in d. The course's model ({md.layers(md.course_config())}): "
          f"({INPUT_DIM}d + d) + ({INPUT_DIM}d + {INPUT_DIM}) = **{md.formula(md.course_config())}**. "
          + " ".join(f"The zoo's ({shape}): **{md.formula(config)}**."
                     for shape, config in sorted({md.layers(m.config): m.config for m in zoo.values()}.items())) + " "
          "*measured* is `sum(p.numel() for p in model.parameters())` on the loaded model.")
    w.add(md.table(["model", "layers", "formula", "formula at d", "measured", "equal"],
                 [[model_label(r["variant"], r["d"]), " -> ".join(map(str, r["layers"])),
                   f"{r['slope']}·d + {r['intercept']:,}", f"{r['formula']:,}", f"{r['measured']:,}",
                   "yes" if r["formula"] == r["measured"] else "**NO**"] for r in prows]))


def _code_size(w: md.Writer, crows: list[dict], png: list[int]) -> None:
    w.add(f"### (c) The size of h relative to the {IMAGE_SIZE}x{IMAGE_SIZE} image")
    w.add(md.source(tables.code_size_table, measures.quantise_uint8, measures.png_bytes) + "\n\n"
          f"An MNIST image is {INPUT_DIM} pixels of one byte: {INPUT_DIM} bytes; saved as an 8-bit PNG "
          f"(PIL, optimize) a test digit takes {statistics.mean(png):.0f} bytes on average (median "
          f"{statistics.median(png):.0f}, min {min(png)}, max {max(png)}). h is d numbers: as float32 (4 bytes each), "
          f"float16 (2) or one byte each, quantised to {2 ** 8} levels between each unit's min and max over the "
          "training codes. MSE is measured after the round trip (quantise, dequantise, decode).")
    w.add(md.table(["model", "float32 bytes", "float16 bytes", "1-byte bytes", "1-byte / image", "1-byte / PNG",
                  "MSE float32", "MSE float16", "MSE 1-byte", "non-zero entries"],
                 [[model_label(r["variant"], r["d"]), r["float32_bytes"], r["float16_bytes"], r["uint8_bytes"],
                   md.pct(r["uint8_bytes"] / INPUT_DIM), md.pct(r["uint8_bytes"] / statistics.mean(png)),
                   md.mse(r["mse_float32"]), md.mse(r["mse_float16"]), md.mse(r["mse_uint8"]), f"{r['active_per_image']:.1f}"]
                  for r in crows]))
    worst8 = max(r["mse_uint8"] / r["mse_float32"] - 1 for r in crows)
    worst16 = max(r["mse_float16"] / r["mse_float32"] - 1 for r in crows)
    dims = sorted({r["d"] for r in crows})
    d = dims[-1]
    w.add(f"**Answer.** h holds d numbers against the image's {INPUT_DIM}: "
          + ", ".join(f"{k / INPUT_DIM:.1%} (d={k})" for k in dims)
          + f". In bytes, d={d} as float32 is {4 * d} bytes, {4 * d / INPUT_DIM:.0%} of the raw image; at one byte "
          f"per number it is {d} bytes, {d / INPUT_DIM:.1%} of the image and {d / statistics.mean(png):.0%} of its "
          f"PNG. Rounding to one byte raises the MSE by at most {100 * worst8:.1f}%, to float16 by "
          + (f"at most {100 * worst16:.2f}%" if worst16 >= 1e-4 else "less than 0.01%")
          + ": the decoder does not need h's full precision. A sparse code could be stored in less still, as "
          "its non-zero entries and their positions.")
