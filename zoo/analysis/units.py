"""Every unit of a model's code, read off the 10,000 test digits: how often it fires, which digits drive it,
which classes it prefers, and which units of the other models draw alike.

The numbers behind Explore's unit dashboards and the API's /unit, in the spirit of the dashboards built for
sparse autoencoders (SAELens, sae_vis): no Gradio here.

Definitions (one home for each):
- a unit *fires* on an image when its activation is not exactly zero; its firing rate is the share of test
  digits it fires on. *Dead*: it fires on none; *rare*: on some but fewer than RARE_BELOW of them; *dense*: on at
  least DENSE_FROM of them.
- its *drive* on an image: the activation above the unit's median over the test digits (0 below it), so a
  linear code's unit is read the same way as a ReLU code's (whose median is usually 0).
- *class selectivity*: (m_top - m_rest) / (m_top + m_rest), m_top the mean drive over the digits of the class
  that drives it most, m_rest the mean of the other nine classes' means (Morcos et al., 2018). A unit that is
  neither dead nor rare is *class-selective* from SELECTIVE_FROM: its top class drives it at least three times as
  much as the others do (a unit that fires on a handful of digits is selective by accident, so rare ones are not).
- two units *draw alike* when the cosine of what they draw (`zoo.analysis.explore.unit_images`, flattened) is near ±1.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from zoo.analysis import explore
from zoo.model import AutoEncoder

DENSE_FROM = 0.9
RARE_BELOW = 0.01  # a unit that fires, but on fewer than 1% of the test digits, is flagged rare
SELECTIVE_FROM = 0.5
TOP = 16  # test digits shown that drive a unit most
NEAR_MEDIAN = 8  # and near its median activation when it fires
BINS = 20  # the activation histogram's bars (over the images it fires on)
CLASSES = 10


@dataclass(frozen=True)
class UnitTable:
    """One model's units over the test digits."""

    codes: torch.Tensor  # (N, d) the test digits' codes
    labels: torch.Tensor  # (N,) their digits
    firing: torch.Tensor  # (d,) firing rate
    class_drive: torch.Tensor  # (d, 10) mean drive over each class's test digits
    selectivity: torch.Tensor  # (d,)
    drawings: torch.Tensor  # (d, 784) what each unit draws, scaled to length 1 (a dead unit's: zeros)

    @classmethod
    def build(cls, model: AutoEncoder, test_x: torch.Tensor, labels: torch.Tensor, codes: torch.Tensor | None = None
              ) -> "UnitTable":
        codes = explore.encode(model, test_x) if codes is None else codes
        drive = (codes - codes.median(dim=0).values).clamp(min=0)
        onehot = torch.nn.functional.one_hot(labels.long(), CLASSES).float()  # (N, 10)
        class_drive = (drive.T @ onehot) / onehot.sum(dim=0)  # (d, 10)
        top = class_drive.max(dim=1).values
        rest = (class_drive.sum(dim=1) - top) / (CLASSES - 1)
        selectivity = torch.where(top + rest > 0, (top - rest) / (top + rest).clamp(min=1e-12), torch.zeros_like(top))
        drawings = explore.unit_images(model, test_x.float()).reshape(codes.shape[1], -1)
        drawings = drawings / drawings.norm(dim=1, keepdim=True).clamp(min=1e-12)
        return cls(codes, labels, (codes != 0).float().mean(dim=0), class_drive, selectivity, drawings)

    @property
    def latent_dim(self) -> int:
        return self.codes.shape[1]

    @property
    def dead(self) -> torch.Tensor:
        return self.firing == 0

    @property
    def rare(self) -> torch.Tensor:
        return (self.firing > 0) & (self.firing < RARE_BELOW)

    @property
    def dense(self) -> torch.Tensor:
        return self.firing >= DENSE_FROM

    @property
    def selective(self) -> torch.Tensor:
        return (self.selectivity >= SELECTIVE_FROM) & (self.firing >= RARE_BELOW)

    @property
    def top_class(self) -> torch.Tensor:
        return self.class_drive.argmax(dim=1)

    def top(self, unit: int, k: int = TOP) -> torch.Tensor:
        """Indices of the k test digits with the largest activation of `unit`, largest first."""
        return torch.topk(self.codes[:, unit], k).indices

    def near_median(self, unit: int, k: int = NEAR_MEDIAN) -> torch.Tensor:
        """Indices of the k test digits whose activation lies nearest the unit's median over the digits it fires on."""
        column = self.codes[:, unit]
        fired = column[column != 0]
        if not len(fired):
            return torch.zeros(0, dtype=torch.long)
        distance = torch.where(column != 0, (column - fired.median()).abs(), torch.full_like(column, float("inf")))
        return torch.topk(distance, min(k, len(fired)), largest=False).indices

    def histogram(self, unit: int, bins: int = BINS) -> tuple[list[float], list[int], int]:
        """(bin edges, counts) of the unit's activation over the test digits it fires on, and how many it does not."""
        column = self.codes[:, unit]
        fired = column[column != 0]
        if not len(fired):
            return [], [], len(column)
        low, high = float(fired.min()), float(fired.max())
        high = high if high > low else low + 1.0
        counts = torch.histc(fired, bins=bins, min=low, max=high)
        return torch.linspace(low, high, bins + 1).tolist(), counts.long().tolist(), int((column == 0).sum())

    def order(self, by: str) -> list[int]:
        """Units sorted by "unit" (number), "firing" (rate, highest first) or "selectivity" (highest first)."""
        keys = {"unit": lambda i: i, "firing": lambda i: -float(self.firing[i]),
                "selectivity": lambda i: -float(self.selectivity[i])}
        return sorted(range(self.latent_dim), key=keys[by])


def most_alike(tables: dict, key, unit: int) -> list[tuple[object, int, float]]:
    """For each other model in `tables` (key -> UnitTable), its unit that draws most like `unit` of model `key`:
    (that model's key, its unit, the cosine), most alike first (by |cosine|: a unit's sign is arbitrary)."""
    drawing = tables[key].drawings[unit]
    found = []
    for other, table in tables.items():
        if other == key or table.drawings.shape[1] != drawing.shape[0]:
            continue
        cosines = table.drawings @ drawing
        best = int(cosines.abs().argmax())
        found.append((other, best, float(cosines[best])))
    return sorted(found, key=lambda item: -abs(item[2]))
