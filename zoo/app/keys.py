"""Which model: a key of (variant, d, shipped or yours), from which every name a person or the page sees is made."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from zoo.registry import model_id, model_label

USER_TAG = "yours"  # a model kept from the Train tab shows as "sparse (yours) d=32" beside the shipped ones


@functools.total_ordering
@dataclass(frozen=True)
class ModelKey:
    """A model the demo shows: the shipped zoo's, or one kept from the Train tab (`user`).

    Sorting puts each variant's shipped models before the kept ones, smallest d first.
    """

    variant: str
    latent_dim: int
    user: bool = False

    def __lt__(self, other: "ModelKey") -> bool:
        return (self.variant, self.user, self.latent_dim) < (other.variant, other.user, other.latent_dim)

    @property
    def row(self) -> str:
        """The Zoo tab's row for it: "sparse", or "sparse (yours)" for a kept model."""
        return f"{self.variant} ({USER_TAG})" if self.user else self.variant

    @property
    def label(self) -> str:
        """How a person sees it: "sparse d=32", "sparse (yours) d=32"."""
        return model_label(self.row, self.latent_dim)

    @property
    def id(self) -> str:
        """How the page and the pickers name it: its file's stem, "sparse-d32", or "yours/sparse-d32"."""
        return f"{USER_TAG}/{model_id(self.variant, self.latent_dim)}" if self.user else model_id(self.variant, self.latent_dim)
