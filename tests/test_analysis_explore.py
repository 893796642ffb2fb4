"""zoo.analysis.explore on shipped models and real MNIST: ranges, neighbours, walks and the map agree with direct computation."""

import numpy as np
import pytest
import torch

import registry
from zoo.analysis import explore
from zoo.model import AutoEncoder, ModelConfig
from zoo.training import metrics
from zoo.variants import get_variant


@pytest.fixture(scope="module")
def test_codes(mnist_test):
    x, y = mnist_test
    return explore.TestCodes.build(registry.get("sparse", d=16), x[:3000], y[:3000])


def test_unit_ranges_skip_the_zeros_of_a_unit_that_rarely_fires():
    codes = torch.zeros(1000, 3)
    codes[:50, 0] = torch.linspace(5, 10, 50)  # fires on 5% of images: its 99th percentile over all is 0
    codes[:, 1] = torch.linspace(-2, 2, 1000)  # always nonzero: the plain percentiles
    low, high = explore.unit_ranges(codes)
    assert 5 <= low[0] < 5.2 and 9.8 < high[0] <= 10
    assert low[1] == pytest.approx(torch.quantile(codes[:, 1], 0.01)) and high[1] == pytest.approx(1.96, abs=0.01)
    assert low[2] == high[2] == 0  # never fires


def test_a_code_decodes_to_the_models_reconstruction_and_sliders_hold_it(test_codes, mnist_test):
    x = mnist_test[0][5]
    h = test_codes.encode(x)
    assert torch.allclose(test_codes.decode(h), metrics.reconstruct(test_codes.model, x.reshape(1, -1))[0], atol=1e-6)
    assert (h == 0).any()  # a sparse code has exact zeros, which the tab marks "off"
    for unit in range(test_codes.latent_dim):
        low, high = test_codes.slider_range(unit, float(h[unit]))
        assert low <= float(h[unit]) <= high and low < high and low <= 0


def test_a_unit_alone_is_one_nonzero_entry_at_its_firing_level(test_codes):
    unit = int(torch.argmax(test_codes.high))
    h = test_codes.alone(unit)
    assert torch.count_nonzero(h) == 1 and h[unit] == test_codes.high[unit] > 0
    assert not torch.equal(test_codes.decode(h), test_codes.decode(torch.zeros(test_codes.latent_dim)))


def test_neighbours_by_one_product_are_those_of_cdist(test_codes, mnist_test):
    x = mnist_test[0][7000]  # not among the test_codes's 3,000 test digits
    h = test_codes.encode(x)
    for (indices, distances), (points, query) in (
            (test_codes.neighbours(h, 8), (test_codes.codes, h)), (test_codes.pixel_neighbours(x, 8), (test_codes.test_x, x))):
        exact = torch.cdist(query.reshape(1, -1), points)[0]
        assert torch.equal(indices, torch.argsort(exact)[:8])
        assert torch.allclose(distances, exact[indices], atol=1e-3)
    index, distance = test_codes.neighbours(test_codes.codes[42], 1)
    assert int(index) == 42 and float(distance) < 1e-2  # a test digit's nearest code is its own


def test_walks_end_at_the_reconstructions_and_blends_at_the_images(test_codes, mnist_test):
    x_a, x_b = mnist_test[0][0], mnist_test[0][1]
    walked = explore.walk(test_codes.model, x_a, x_b, 7)
    assert walked.shape == (7, 784)
    assert torch.allclose(walked[[0, -1]], metrics.reconstruct(test_codes.model, torch.stack([x_a, x_b])), atol=1e-6)
    blended = explore.blend(x_a, x_b, 5)
    assert torch.equal(blended[0], x_a) and torch.allclose(blended[-1], x_b) and torch.allclose(blended[2], (x_a + x_b) / 2)


def test_the_map_puts_each_code_where_a_click_finds_it(test_codes):
    the_map = explore.draw_map(test_codes.points, test_codes.labels, "sparse d=16")
    assert the_map.image.shape == (explore.MAP_PIXELS, explore.MAP_PIXELS, 3)
    assert torch.allclose(test_codes.project(test_codes.codes[3]), test_codes.points[3], atol=1e-4)
    left, top, right, bottom = the_map.box
    inside = [i for i in range(200) if left < the_map.to_pixel(test_codes.points[i])[0] < right
              and top < the_map.to_pixel(test_codes.points[i])[1] < bottom]
    assert len(inside) > 190  # the view leaves out only the outliers
    for i in inside[:20]:
        pixel = the_map.to_pixel(test_codes.points[i])
        assert np.allclose(the_map.to_map(pixel), test_codes.points[i].numpy(), atol=1e-3)
        picked = the_map.nearest_point(the_map.to_map(pixel))
        assert torch.allclose(test_codes.points[picked], test_codes.points[i], atol=1e-3)
    marked = the_map.marked(test_codes.points[inside[0]])
    changed = np.argwhere((marked != the_map.image).any(axis=2))
    px, py = the_map.to_pixel(test_codes.points[inside[0]])
    assert len(changed) and np.abs(changed.mean(axis=0) - (py, px)).max() < 3  # a ring around the point


@pytest.mark.parametrize("hidden", [(), (64,)])  # the course's model; a deep encoder with a one-layer decoder
def test_unit_images_of_a_single_layer_decoder_are_its_columns(hidden):
    model = AutoEncoder(ModelConfig(latent_dim=5, hidden_dims=hidden, decoder_hidden_dims=()))
    images = explore.unit_images(model, torch.rand(10, 784))
    assert images.shape == (5, 28, 28)
    assert torch.equal(images[2].flatten(), model.decoder[-1].weight[:, 2])


def test_unit_images_of_a_deep_model_decode_one_unit_and_leave_dead_ones_blank(small):
    model = get_variant("sparse").build(8, seed=0).eval()
    with torch.no_grad():
        model.code_layer.bias[:] += 1.0  # units fire above the JumpReLU threshold on most images...
        model.code_layer.bias[3] = -1e6  # ...but unit 3, which never fires
    images = explore.unit_images(model, small[2][:500])
    assert images.shape == (8, 28, 28)
    assert torch.all(images[3] == 0) and images[0].abs().max() > 0
