"""A dashboard for each unit of a model's code (Explore's "Units" and the API's /unit), from `zoo.analysis.units`.

`dashboard` is the numbers, as the API returns them; `dashboard_html` the same drawn for the page:
what the unit draws, the test digits that drive it most and some near its median, its firing rate and
histogram, the classes that drive it, its flags, and the units of the other models that draw alike.
"""

from __future__ import annotations

import html

import numpy as np
import torch

from zoo.analysis import units
from zoo.app.keys import ModelKey
from zoo.app.pictures import digit_html, picture_html
from zoo.model import IMAGE_SIZE


def rows(table: units.UnitTable) -> list[dict]:
    """One row per unit for the page's sortable list."""
    return [{"unit": i, "firing": round(float(table.firing[i]), 4), "selectivity": round(float(table.selectivity[i]), 3),
             "top_class": int(table.top_class[i]), "dead": bool(table.dead[i]), "rare": bool(table.rare[i]),
             "dense": bool(table.dense[i]), "selective": bool(table.selective[i])}
            for i in range(table.latent_dim)]


def dashboard(tables: dict[ModelKey, units.UnitTable], key: ModelKey, unit: int, alone: torch.Tensor) -> dict:
    """Everything the dashboard shows of `unit` of model `key`, as numbers and test-set indices.

    `alone` (784,): the picture the model decodes with only this unit on (`TestCodes.alone`).
    """
    table = tables[key]
    edges, counts, zeros = table.histogram(unit)
    top, median = table.top(unit), table.near_median(unit)
    column = table.codes[:, unit]
    return {
        "model": key.id, "unit": unit, "firing_rate": float(table.firing[unit]), "dead": bool(table.dead[unit]),
        "rare": bool(table.rare[unit]), "dense": bool(table.dense[unit]), "selectivity": float(table.selectivity[unit]),
        "class_selective": bool(table.selective[unit]), "top_class": int(table.top_class[unit]),
        "class_drive": table.class_drive[unit].tolist(),
        "histogram": {"edges": edges, "counts": counts, "zeros": zeros},
        "top": {"indices": top.tolist(), "labels": table.labels[top].tolist(), "activations": column[top].tolist()},
        "near_median": {"indices": median.tolist(), "labels": table.labels[median].tolist(),
                        "activations": column[median].tolist()},
        "draws": table.drawings[unit].tolist(), "alone": alone.tolist(),
        "alike": [{"model": other.id, "unit": other_unit, "cosine": cosine}
                  for other, other_unit, cosine in units.most_alike(tables, key, unit)],
    }


def _bars(values, labels, width: int = 300, height: int = 80, title: str = "") -> str:
    """A small bar chart as inline SVG (no plotting library: the dashboard opens in milliseconds)."""
    values = np.asarray(values, dtype=float)
    top = values.max() if len(values) and values.max() > 0 else 1.0
    step = width / max(len(values), 1)
    bars = "".join(f'<rect x="{i * step + 1:.1f}" y="{height - 14 - (height - 18) * v / top:.1f}" width="{step - 2:.1f}" '
                   f'height="{(height - 18) * v / top:.1f}"><title>{html.escape(str(label))}: {v:.3g}</title></rect>'
                   for i, (v, label) in enumerate(zip(values, labels)))
    ticks = "".join(f'<text x="{i * step + step / 2:.1f}" y="{height - 2}">{html.escape(str(label))}</text>'
                    for i, label in enumerate(labels) if len(labels) <= 10)
    return (f'<svg class="zoo-dash-bars" viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">'
            f'{bars}{ticks}</svg>')


def _drawing(weights: list[float]) -> np.ndarray:
    """What a unit draws, signed, as grey: mid-grey 0, white its largest positive weight, black its most negative."""
    values = np.asarray(weights, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
    scale = np.abs(values).max() or 1.0
    return (127.5 + 127.5 * values / scale).round().astype(np.uint8)


def _digits(test_x: torch.Tensor, found: dict, caption: str) -> str:
    figures = "".join(f'<figure>{digit_html(test_x[i], f"test digit {i}")}<figcaption>#{i}: a {label}<br>'
                      f'{activation:.2f}</figcaption></figure>'
                      for i, label, activation in zip(found["indices"], found["labels"], found["activations"]))
    return f'<p class="zoo-label">{html.escape(caption)}</p><div class="zoo-dash-digits">{figures or "none"}</div>'


def dashboard_html(view: dict, test_x: torch.Tensor, label: str) -> str:
    """The dashboard (`dashboard`'s dict) of one unit of the model called `label`, as HTML for the page."""
    unit = view["unit"]
    flags = [name for name, on in (("dead", view["dead"]), ("rare", view["rare"]), ("dense", view["dense"]),
                                   ("class-selective", view["class_selective"])) if on]
    percent = 100 * view["firing_rate"]
    histogram = view["histogram"]
    centres = [f"{(a + b) / 2:.2g}" for a, b in zip(histogram["edges"], histogram["edges"][1:])]
    alike = "".join(f'<li>{html.escape(a["model"])} unit {a["unit"]}: cosine {a["cosine"]:+.2f}</li>' for a in view["alike"][:6])
    return f"""<div class="zoo-dash" data-unit="{unit}">
<h4>{html.escape(label)}, unit h{unit} {"".join(f'<span class="zoo-flag">{f}</span>' for f in flags)}</h4>
<p>Fires (is not zero) on <b>{percent:.{2 if 0 < percent < 1 else 1}f}%</b> of the 10,000 test digits; driven most by
<b>{view["top_class"]}s</b>; class selectivity {view["selectivity"]:.2f}.</p>
<div class="zoo-dash-row">
<figure>{picture_html(_drawing(view["draws"]), "what the unit draws")}<figcaption>What it draws (grey 0, white +, black −)</figcaption></figure>
<figure>{digit_html(torch.tensor(view["alone"]), "decoded with only this unit on")}<figcaption>Decoded with only this unit on</figcaption></figure>
<figure>{_bars(view["class_drive"], list(range(10)), title="mean drive per digit class")}<figcaption>Mean drive per digit class</figcaption></figure>
<figure>{_bars(histogram["counts"], centres, title="activation histogram")}<figcaption>Activation when it fires, from
{histogram["edges"][0] if histogram["edges"] else 0:.3g} to {histogram["edges"][-1] if histogram["edges"] else 0:.3g}
({histogram["zeros"]} digits at exactly 0 not shown)</figcaption></figure>
</div>
{_digits(test_x, view["top"], f"The {len(view['top']['indices'])} test digits that drive it most")}
{_digits(test_x, view["near_median"], "Test digits near its median activation (when it fires)")}
<p class="zoo-label">Units of the other models that draw most alike (cosine of what they draw)</p>
<ul class="zoo-dash-alike">{alike or "<li>no other model</li>"}</ul>
</div>"""
