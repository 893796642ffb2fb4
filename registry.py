"""Trained models by name: `registry.get("sparse", d=32)` returns the shipped sparse autoencoder at d=32.

The front door in a checkout; the registry itself is `zoo.registry` (installed with the package):
`list_models`, `get_model("sparse-d32")`, `model_card`, `preprocess`, `get`, `card`, `available`; every
variant `zoo.variants.variant_names()` lists, at the sizes `zoo.store.shipped.models()` gives.
"""

from zoo.registry import *  # noqa: F401,F403
from zoo.registry import __all__  # noqa: F401
