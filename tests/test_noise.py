import pytest
import torch

from zoo.noise import add_white_noise


def test_added_noise_has_the_asked_std_and_zero_mean():
    x = torch.full((200, 784), 0.5)
    noise = add_white_noise(x, 0.1, clip=False, generator=torch.Generator().manual_seed(0)) - x
    assert abs(noise.mean().item()) < 1e-3
    assert noise.std().item() == pytest.approx(0.1, rel=0.01)
    # independent per pixel: neighbouring pixels are uncorrelated
    assert abs(torch.corrcoef(torch.stack([noise[:, :-1].flatten(), noise[:, 1:].flatten()]))[0, 1].item()) < 0.01


def test_clipped_to_pixel_range_by_default():
    x = torch.rand(10, 784)
    noisy = add_white_noise(x, 1.0, generator=torch.Generator().manual_seed(0))
    assert noisy.min().item() == 0.0 and noisy.max().item() == 1.0
    unclipped = add_white_noise(x, 1.0, clip=False, generator=torch.Generator().manual_seed(0))
    assert unclipped.min().item() < 0 and unclipped.max().item() > 1


def test_returns_a_new_tensor_and_leaves_input_alone():
    x = torch.rand(4, 784)
    before = x.clone()
    noisy = add_white_noise(x, 0.3)
    assert noisy.data_ptr() != x.data_ptr() and torch.equal(x, before)


def test_reproducible_with_a_generator():
    x = torch.rand(4, 784)
    a = add_white_noise(x, 0.3, generator=torch.Generator().manual_seed(7))
    b = add_white_noise(x, 0.3, generator=torch.Generator().manual_seed(7))
    c = add_white_noise(x, 0.3, generator=torch.Generator().manual_seed(8))
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_zero_amplitude_is_identity():
    x = torch.rand(4, 784)
    assert torch.equal(add_white_noise(x, 0.0), x)


def test_per_image_amplitude():
    x = torch.full((2, 10000), 0.5)
    noisy = add_white_noise(x, torch.tensor([[0.0], [0.2]]), clip=False, generator=torch.Generator().manual_seed(0))
    assert torch.equal(noisy[0], x[0]) and noisy[1].std().item() == pytest.approx(0.2, rel=0.05)


@pytest.mark.parametrize("bad", [-0.1, float("nan")])
def test_negative_or_nan_amplitude_is_an_error(bad):
    with pytest.raises(ValueError, match="amplitude"):
        add_white_noise(torch.rand(2, 784), bad)
