"""Everything Explore computes per model, once: its test codes, its t-SNE map, its units, its maps drawn.

Built in the background after the test digits load (the default model first), or on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import gradio as gr
import numpy as np
import torch

from zoo.analysis import explore, maps, units
from zoo.app.digits import MnistDigits
from zoo.app.keys import ModelKey
from zoo.app.page_models import DemoModels
from zoo.system import paths


@dataclass(frozen=True)
class MapView:
    """One way to draw the test codes in 2-D."""

    name: str  # as a sentence names it
    choice: str  # the picker's label
    axes: tuple[str, str]


# t-SNE first (it keeps each digit's codes together: zoo.analysis.maps), PCA as it was.
MAP_VIEWS = {"tsne": MapView("t-SNE", "t-SNE (openTSNE): codes near in d dimensions stay near", ("t-SNE 1", "t-SNE 2")),
             "pca": MapView("PCA", "PCA: the codes' top two principal components", explore.PCA_AXES)}


class ExploreCache:
    """Per model: a `TestCodes`, its t-SNE map (`zoo.analysis.maps`), its units (`zoo.analysis.units`) and the maps drawn.

    Built in the background after the test digits load (the default model first), or on first use.
    """

    def __init__(self, models: DemoModels, digits: MnistDigits, background: bool = True):
        self.models = models
        self.digits = digits
        self._test_codes: dict[ModelKey, explore.TestCodes] = {}
        self._code_maps: dict[ModelKey, maps.TSNEMap] = {}
        self._pictures: dict[tuple[ModelKey, str], explore.MapPicture] = {}
        self._units: dict[ModelKey, units.UnitTable] = {}
        self._lock = threading.Lock()
        self._map_lock = threading.Lock()  # a fit takes ~25 s: the cache stay available meanwhile
        if background:
            threading.Thread(target=self._build_all, daemon=True).start()

    def _build_all(self) -> None:
        try:
            keys = sorted(self.models, key=lambda k: (k.variant != "sparse", k.latent_dim != 32))  # the default first
            self.place(keys[0], "tsne", self.test_codes(keys[0]).codes[0])  # openTSNE's affinities for the first drawing
            for key in keys:
                self.map_picture(key, "tsne")
            self.unit_tables()  # the first dashboard compares a unit with every model's (~3 s if left to it)
        except gr.Error:  # MNIST unavailable: the person is told on first use
            pass

    def test_codes(self, key: ModelKey) -> explore.TestCodes:
        with self._lock:
            if key not in self._test_codes:
                test_x, labels = self.digits.all()
                self._test_codes[key] = explore.TestCodes.build(self.models[key], test_x, labels)
            return self._test_codes[key]

    def tsne_map(self, key: ModelKey) -> maps.TSNEMap:
        """The model's t-SNE map: the one beside its weights if made for them, else fitted now and kept there."""
        test_codes = self.test_codes(key)
        with self._map_lock:
            if key not in self._code_maps:
                sha256 = self.models.sha256(key)
                path = maps.map_path(paths.user_weights_dir() if key.user else paths.default_weights_dir(),
                                     key.variant, key.latent_dim)
                try:
                    self._code_maps[key] = maps.load(path, sha256)
                except maps.MapError:
                    self._code_maps[key] = maps.fit(test_codes.codes.numpy(), sha256)
                    try:
                        maps.save(self._code_maps[key], path)
                    except OSError:  # a read-only install: this run keeps it in memory
                        pass
            return self._code_maps[key]

    def points(self, key: ModelKey, view: str) -> np.ndarray:
        """Every test code's place (N, 2) on the model's map in `view` ("tsne" or "pca")."""
        return self.tsne_map(key).points if view == "tsne" else self.test_codes(key).points.numpy()

    def place(self, key: ModelKey, view: str, h: torch.Tensor) -> np.ndarray:
        """Where code h (d,) lies on the model's map in `view`: openTSNE's transform, or the PCA projection."""
        if view == "tsne":
            return self.tsne_map(key).place(h.numpy()[None], self.test_codes(key).codes.numpy())[0]
        return self.test_codes(key).project(h).numpy()

    def map_picture(self, key: ModelKey, view: str) -> explore.MapPicture:
        """The model's map in `view`, drawn once."""
        points = self.points(key, view)
        with self._lock:
            if (key, view) not in self._pictures:
                self._pictures[(key, view)] = explore.draw_map(
                    points, self.digits.all()[1].numpy(), f"{key.label}: the 10,000 test codes, {MAP_VIEWS[view].name}",
                    MAP_VIEWS[view].axes)
            return self._pictures[(key, view)]

    def unit_table(self, key: ModelKey) -> units.UnitTable:
        test_codes = self.test_codes(key)
        with self._lock:
            if key not in self._units:
                self._units[key] = units.UnitTable.build(test_codes.model, test_codes.test_x, test_codes.labels, test_codes.codes)
            return self._units[key]

    def unit_tables(self) -> dict[ModelKey, units.UnitTable]:
        """Every model's units (those alike are looked for across the zoo)."""
        return {key: self.unit_table(key) for key in self.models}
