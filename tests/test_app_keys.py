"""zoo.app.keys: a model is a key; every name people and the page see is made from it."""

from zoo.app.keys import ModelKey


def test_a_key_names_itself_for_people_and_for_the_page():
    shipped, kept = ModelKey("sparse", 32), ModelKey("sparse", 32, user=True)
    assert (shipped.label, shipped.id, shipped.row) == ("sparse d=32", "sparse-d32", "sparse")
    assert (kept.label, kept.id, kept.row) == ("sparse (yours) d=32", "yours/sparse-d32", "sparse (yours)")
    assert shipped != kept and len({shipped, kept}) == 2


def test_keys_sort_by_variant_then_shipped_before_kept_then_by_d():
    keys = [ModelKey("sparse", 8, True), ModelKey("plain", 64), ModelKey("sparse", 64), ModelKey("sparse", 16)]
    assert sorted(keys) == [ModelKey("plain", 64), ModelKey("sparse", 16), ModelKey("sparse", 64), ModelKey("sparse", 8, True)]


def test_names_are_unique_across_a_zoo_and_its_kept_models():
    keys = [ModelKey(v, d, u) for v in ("plain", "sparse", "denoising") for d in (8, 16, 32) for u in (False, True)]
    for name in ("label", "id"):
        assert len({getattr(k, name) for k in keys}) == len(keys), name
