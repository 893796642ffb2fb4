"""Inside the codes: a code edited and decoded, a walk from one code to another, the test set's codes on a map.

The computation behind the demo's Explore tab and its API (/decode, /interpolate, /neighbours);
no Gradio here. Everything that needs the 10,000 test digits' codes reads them from a `TestCodes`,
computed once per model.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import torch
from matplotlib.figure import Figure
from PIL import Image, ImageDraw

from zoo.model import IMAGE_SIZE, INPUT_DIM, AutoEncoder
from zoo.training import metrics

RANGE_QUANTILES = (0.01, 0.99)  # a unit's slider spans its test codes from the 1st to the 99th percentile
MAP_PIXELS = 480  # the map's width and height in pixels
DIGIT_COLOURS = "tab10"  # matplotlib's ten categorical colours, one per digit


@dataclass(frozen=True)
class TestCodes:
    """One model's codes of the test digits, with their ranges and a 2-D map (their top two principal components)."""

    model: AutoEncoder
    test_x: torch.Tensor  # (N, 784) the test images
    labels: torch.Tensor  # (N,) their digits
    codes: torch.Tensor  # (N, d) their codes h
    low: torch.Tensor  # (d,) each unit's 1st percentile over the test codes (`unit_ranges`)
    high: torch.Tensor  # (d,) and its 99th
    centre: torch.Tensor  # (d,) the codes' mean, the map's origin
    axes: torch.Tensor  # (d, 2) the codes' top two principal directions, the map's x and y
    points: torch.Tensor  # (N, 2) every test code on the map
    code_norms: torch.Tensor  # (N,) squared lengths of the codes, for nearest neighbours by one product
    pixel_norms: torch.Tensor  # (N,) and of the images

    @classmethod
    def build(cls, model: AutoEncoder, test_x: torch.Tensor, labels: torch.Tensor) -> "TestCodes":
        codes = encode(model, test_x)
        low, high = unit_ranges(codes)
        centre, axes = principal_plane(codes)
        test_x = test_x.float()
        return cls(model, test_x, labels, codes, low, high, centre, axes, (codes - centre) @ axes,
                   (codes ** 2).sum(dim=1), (test_x ** 2).sum(dim=1))

    @property
    def latent_dim(self) -> int:
        return self.codes.shape[1]

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code (d,) of one image (784,)."""
        return encode(self.model, x.reshape(1, INPUT_DIM))[0]

    def decode(self, h: torch.Tensor) -> torch.Tensor:
        """The image (784,) in [0, 1] that code h (d,) decodes to, or the images (k, 784) of codes (k, d)."""
        out = metrics.decode(self.model, h.reshape(-1, self.latent_dim).float())
        return out[0] if h.dim() == 1 else out

    def slider_range(self, unit: int, value: float = 0.0) -> tuple[float, float]:
        """(low, high) for a unit's slider: its 1st to 99th percentile, widened to hold `value` and 0."""
        low = min(float(self.low[unit]), value, 0.0)
        high = max(float(self.high[unit]), value, 0.0)
        return low, high if high > low else low + 1.0  # a unit that never varies still gets a usable slider

    def alone(self, unit: int) -> torch.Tensor:
        """A code with every unit 0 but `unit`, set to its 99th percentile when it fires (1 if it never does): what it draws."""
        h = torch.zeros(self.latent_dim)
        h[unit] = self.high[unit] if float(self.high[unit]) != 0.0 else 1.0
        return h

    def project(self, h: torch.Tensor) -> torch.Tensor:
        """Where code h (d,) lies on the map, (2,)."""
        return (h.float() - self.centre) @ self.axes

    def neighbours(self, h: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(indices, distances) of the k test digits whose codes lie nearest h, nearest first (Euclidean)."""
        return _nearest(self.codes, self.code_norms, h, k)

    def pixel_neighbours(self, x: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(indices, distances) of the k test digits nearest image x (784,) pixel by pixel."""
        return _nearest(self.test_x, self.pixel_norms, x.reshape(INPUT_DIM), k)


def principal_plane(codes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(centre (d,), axes (d, 2)): the codes' mean and their top two principal directions, the first as x."""
    centre, basis = metrics.pca_basis(codes, 2)  # ascending variance: flipped for the first component on x
    return centre.float(), basis.flip(1).float()


def unit_ranges(codes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(low, high), each (d,): every unit's 1st and 99th percentile over the codes where it is not exactly zero.

    A sparse unit is zero on most images: over all of them its 99th percentile is often 0, and its
    slider would never reach the values it takes when it fires. A unit that is never nonzero gets (0, 0).
    """
    quantiles = torch.tensor(RANGE_QUANTILES)
    low, high = torch.zeros(codes.shape[1]), torch.zeros(codes.shape[1])
    for unit in range(codes.shape[1]):
        fired = codes[:, unit][codes[:, unit] != 0]
        if len(fired):
            low[unit], high[unit] = torch.quantile(fired, quantiles)
    return low, high


def _nearest(points: torch.Tensor, norms: torch.Tensor, query: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The k rows of `points` nearest `query`, nearest first: |p - q|^2 = |p|^2 - 2 p.q + |q|^2, one product
    (torch.cdist took 57 ms for the 10,000 test images here, this 7)."""
    query = query.float()
    squared = (norms - 2 * (points @ query) + query @ query).clamp_(min=0)
    nearest = torch.topk(squared, min(k, len(squared)), largest=False)
    return nearest.indices, nearest.values.sqrt()


def encode(model: AutoEncoder, x: torch.Tensor) -> torch.Tensor:
    """Codes (N, d) on the CPU of images x (N, 784), in eval mode (the model's mode is kept)."""
    return metrics.codes(model, x.float()).float().cpu()


@torch.no_grad()
def unit_images(model: AutoEncoder, x: torch.Tensor) -> torch.Tensor:
    """What each code unit writes into the image: (d, 28, 28).

    A single-layer decoder (the course's model): column j of its weight matrix (784, d), the image
    unit j adds (in logits) per unit of h_j. With hidden layers there is no such matrix, so the
    decoded unit vector instead: decode(h0 + s_j e_j) - decode(h0), where h0 is the mean code of x
    and s_j the standard deviation of h_j over x: one typical step of unit j from the average code.
    """
    if len(model.config.decoder_layer_sizes) == 2:  # one Linear layer: d -> 784
        return model.decoder_weight.T.reshape(-1, IMAGE_SIZE, IMAGE_SIZE).clone()
    h = metrics.codes(model, x)
    base, step = h.mean(dim=0), h.std(dim=0)  # (d,), (d,)
    codes = base + torch.diag(step)  # (d, d): row j is the mean code moved along unit j
    images = metrics.decode(model, codes) - metrics.decode(model, base[None])  # (d, 784)
    images[step == 0] = 0  # a dead unit draws nothing (not the rounding noise between two matmuls)
    return images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE)


def walk(model: AutoEncoder, x_a: torch.Tensor, x_b: torch.Tensor, steps: int) -> torch.Tensor:
    """(steps, 784): the decoded images along the straight line from h(x_a) to h(x_b), ends included."""
    t = torch.linspace(0.0, 1.0, steps).reshape(-1, 1)
    h = encode(model, torch.stack([x_a.reshape(INPUT_DIM), x_b.reshape(INPUT_DIM)]))
    return metrics.decode(model, (1 - t) * h[0] + t * h[1])


def blend(x_a: torch.Tensor, x_b: torch.Tensor, steps: int) -> torch.Tensor:
    """(steps, 784): the same walk in pixel space, the two images cross-faded."""
    t = torch.linspace(0.0, 1.0, steps).reshape(-1, 1)
    return (1 - t) * x_a.reshape(1, INPUT_DIM).float() + t * x_b.reshape(1, INPUT_DIM).float()


@dataclass(frozen=True)
class MapPicture:
    """The test codes drawn once as a picture, with the mapping between map coordinates and its pixels."""

    points: np.ndarray  # (N, 2) every test code on the map, test-set order
    image: np.ndarray  # (MAP_PIXELS, MAP_PIXELS, 3) uint8
    x_range: tuple[float, float]  # map coordinates at the plotting area's left and right edges
    y_range: tuple[float, float]  # ... and at its bottom and top
    box: tuple[float, float, float, float]  # the plotting area in pixels: left, top, right, bottom

    def to_pixel(self, xy) -> tuple[float, float]:
        left, top, right, bottom = self.box
        fx = (float(xy[0]) - self.x_range[0]) / (self.x_range[1] - self.x_range[0])
        fy = (float(xy[1]) - self.y_range[0]) / (self.y_range[1] - self.y_range[0])
        return left + fx * (right - left), bottom - fy * (bottom - top)

    def to_map(self, pixel) -> tuple[float, float]:
        left, top, right, bottom = self.box
        fx = (float(pixel[0]) - left) / (right - left)
        fy = (bottom - float(pixel[1])) / (bottom - top)
        return (self.x_range[0] + fx * (self.x_range[1] - self.x_range[0]),
                self.y_range[0] + fy * (self.y_range[1] - self.y_range[0]))

    def nearest_point(self, xy) -> int:
        """The test digit whose map point lies nearest xy (map coordinates)."""
        return int(self.nearest_points(xy, 1)[0])

    def nearest_points(self, xy, k: int) -> np.ndarray:
        """The k test digits whose map points lie nearest xy, nearest first."""
        return np.argsort(((self.points - np.asarray(xy, dtype=np.float32)) ** 2).sum(axis=1))[:k]

    def marked(self, xy) -> np.ndarray:
        """The map with a ring drawn where map point xy lies (clipped to the plotting area)."""
        image = Image.fromarray(self.image)
        px, py = self.to_pixel(xy)
        left, top, right, bottom = self.box
        px, py = min(max(px, left), right), min(max(py, top), bottom)
        draw = ImageDraw.Draw(image)
        for radius, colour, width in ((11, "white", 6), (11, "black", 3)):
            draw.ellipse((px - radius, py - radius, px + radius, py + radius), outline=colour, width=width)
        return np.asarray(image)


PCA_AXES = ("1st principal component of h", "2nd")


def draw_map(points, labels, title: str, axes: tuple[str, str] = PCA_AXES) -> MapPicture:
    """Test codes' map points (N, 2), coloured by digit (labels, N), drawn once."""
    dpi = 100
    fig = Figure(figsize=(MAP_PIXELS / dpi, MAP_PIXELS / dpi), dpi=dpi)
    ax = fig.add_axes((0.06, 0.1, 0.8, 0.82))
    xy = np.asarray(points, dtype=np.float32)
    shown = ax.scatter(xy[:, 0], xy[:, 1], c=np.asarray(labels), cmap=DIGIT_COLOURS, s=2, vmin=-0.5, vmax=9.5,
                       linewidths=0)
    # A few codes lie far from the rest (sparse codes most): the view spans the 0.5th to 99.5th
    # percentile on each axis, so that the crowd is not squeezed into a line by its outliers.
    span = np.percentile(xy, [0.5, 99.5], axis=0)
    margin = 0.05 * (span[1] - span[0])
    ax.set(xlim=(span[0, 0] - margin[0], span[1, 0] + margin[0]), ylim=(span[0, 1] - margin[1], span[1, 1] + margin[1]),
           xticks=[], yticks=[], xlabel=axes[0], ylabel=axes[1])
    ax.set_title(title, fontsize=10)
    colourbar = fig.colorbar(shown, cax=fig.add_axes((0.89, 0.1, 0.03, 0.82)), ticks=range(10))
    colourbar.set_label("digit")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    image = np.asarray(Image.open(buffer).convert("RGB"))
    x0, y0, x1, y1 = ax.get_window_extent().extents  # display pixels, origin at the bottom left
    height = image.shape[0]
    return MapPicture(xy, image, ax.get_xlim(), ax.get_ylim(), (x0, height - y1, x1, height - y0))
