"""Variants as plugins: a dict from name to Variant class, filled by @register.

The built-in variants live one per file in this package and register on import. Other packages
add theirs through the entry-point group `ae_zoo.variants` (name = "package.module"); the module is
imported, and its @register calls do the rest.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Callable, TypeVar

from zoo.variants.base import Variant

ENTRY_POINT_GROUP = "ae_zoo.variants"
VARIANTS: dict[str, type[Variant]] = {}
_V = TypeVar("_V", bound=type[Variant])
_entry_points_loaded = False


class UnknownVariantError(KeyError):
    """No variant of that name; the message lists the registered ones."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return self.args[0]


def register(name: str) -> Callable[[_V], _V]:
    """Class decorator: make a Variant subclass available under `name`."""

    def decorate(cls: _V) -> _V:
        if name in VARIANTS and VARIANTS[name] is not cls:
            raise ValueError(f"variant {name!r} is already registered by {VARIANTS[name].__module__}")
        cls.name = name
        VARIANTS[name] = cls
        return cls

    return decorate


def _load_entry_points() -> None:
    global _entry_points_loaded
    if not _entry_points_loaded:
        _entry_points_loaded = True
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            ep.load()


def variant_names() -> list[str]:
    """Names of every registered variant, built-in and from entry points, sorted."""
    _load_entry_points()
    return sorted(VARIANTS)


def get_variant(name: str, **overrides) -> Variant:
    """An instance of the variant `name` with its default hyperparameters, changed by `overrides`."""
    names = variant_names()
    if name not in VARIANTS:
        raise UnknownVariantError(f"unknown variant {name!r}; registered variants: {', '.join(names)}")
    return VARIANTS[name](**overrides)


# The built-in variants register themselves on import.
from zoo.variants import deep, denoising, plain, sparse  # noqa: E402,F401
