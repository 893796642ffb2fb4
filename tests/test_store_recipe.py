"""zoo.store.recipe: the id names exactly what determines the weights; a trained model is recognised by it."""

import dataclasses

import pytest

from zoo.store import checkpoint, recipe
from zoo.training.config import TrainConfig
from zoo.variants import get_variant


def test_the_id_changes_with_anything_that_changes_the_weights_and_only_then():
    base = recipe.spec(get_variant("sparse"), 32, TrainConfig())
    assert recipe.recipe_id(base) == recipe.recipe_id(recipe.spec(get_variant("sparse"), 32, TrainConfig()))
    changed = [recipe.spec(get_variant("sparse", l1_weight=1e-3), 32, TrainConfig()),
               recipe.spec(get_variant("sparse"), 16, TrainConfig()),
               recipe.spec(get_variant("sparse"), 32, TrainConfig(seed=1)),
               recipe.spec(get_variant("plain"), 32, TrainConfig())]
    ids = {recipe.recipe_id(s) for s in changed}
    assert len(ids) == len(changed) and recipe.recipe_id(base) not in ids
    assert len(recipe.recipe_id(base)) == 16


def test_train_and_save_writes_a_card_that_is_trained_for_its_recipe_only(tmp_path, mnist_test):
    x = mnist_test[0]
    variant, config = get_variant("plain", hidden_dims=()), TrainConfig(epochs=1, batch_size=500)
    card = recipe.train_and_save(variant, 4, config, x[:2000], x[2000:2500], tmp_path, progress=False, command="test")
    assert card["recipe_id"] == recipe.recipe_id(recipe.spec(variant, 4, config))
    assert card["epochs"] == 1 and len(card["history"]) == 1 and card["metrics"]["test_mse"] > 0
    assert card["versions"]["torch"] and card["data_sha256"] and card["command"] == "test"
    model, saved = checkpoint.load(tmp_path, "plain", 4)
    assert saved["recipe_id"] == card["recipe_id"] and saved["parameter_count"] == sum(p.numel() for p in model.parameters())
    assert recipe.is_trained(tmp_path, recipe.spec(variant, 4, config))
    assert not recipe.is_trained(tmp_path, recipe.spec(variant, 4, dataclasses.replace(config, epochs=2)))
    assert not recipe.is_trained(tmp_path, recipe.spec(variant, 8, config))  # no such file


def test_a_corrupt_card_is_not_trained(tmp_path, mnist_test):
    x = mnist_test[0]
    variant, config = get_variant("plain", hidden_dims=()), TrainConfig(epochs=1, batch_size=500)
    recipe.train_and_save(variant, 4, config, x[:1000], x[1000:1200], tmp_path, progress=False)
    checkpoint.paths(tmp_path, "plain", 4)[1].write_text("{ not json")
    assert not recipe.is_trained(tmp_path, recipe.spec(variant, 4, config))
    with pytest.raises(checkpoint.CheckpointError, match="unreadable"):
        checkpoint.load(tmp_path, "plain", 4)
