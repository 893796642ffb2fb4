"""zoo.training.augment: each image moved by its own whole-pixel offset, within the bound, content kept."""

import pytest
import torch

from zoo.training.augment import random_shift


def one_dot_per_image(n: int, row: int = 14, col: int = 14) -> torch.Tensor:
    x = torch.zeros(n, 784)
    x[:, row * 28 + col] = 1.0
    return x


def test_each_image_moves_by_its_own_offset_within_the_bound():
    moved = random_shift(one_dot_per_image(400), 2, torch.Generator().manual_seed(0)).view(400, 28, 28)
    where = moved.nonzero()[:, 1:] - 14  # (400, 2): each dot's offset (rows, columns)
    assert len(where) == 400 and where.abs().max().item() == 2  # every dot kept, none moved further than 2
    offsets = {tuple(o) for o in where.tolist()}
    assert len(offsets) == 25  # all 5 x 5 offsets occur: drawn per image and per axis, not once per batch


def test_content_moved_out_of_the_frame_is_lost_and_background_comes_in():
    x = one_dot_per_image(300, row=0, col=0)
    moved = random_shift(x, 1, torch.Generator().manual_seed(0))
    kept = moved.sum(dim=1)
    assert set(kept.tolist()) == {0.0, 1.0} and 0.3 < kept.mean().item() < 0.6  # 4 of the 9 offsets keep the corner


def test_reproducible_and_leaves_the_input_alone():
    x = torch.rand(64, 784)
    before = x.clone()
    a = random_shift(x, 1, torch.Generator().manual_seed(3))
    b = random_shift(x, 1, torch.Generator().manual_seed(3))
    assert torch.equal(a, b) and torch.equal(x, before) and not torch.equal(a, x)


def test_zero_is_the_identity_and_a_negative_bound_is_refused():
    x = torch.rand(4, 784)
    assert random_shift(x, 0, torch.Generator()) is x
    with pytest.raises(ValueError, match="max_pixels must be >= 0"):
        random_shift(x, -1, torch.Generator())
