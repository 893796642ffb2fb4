"""zoo.store.modelcard: a card as Markdown, Hugging Face style, with the JSON card's own numbers."""

from zoo import registry


def test_the_markdown_card_has_front_matter_and_the_card_s_numbers():
    text = registry.model_card("sparse-d32")
    card = registry.card("sparse", 32)
    front, body = text.split("\n---\n", 1)
    assert front.startswith("---\nlibrary_name: pytorch\n")
    assert "datasets:\n- mnist" in front and "- name: sparse-d32" in front
    assert f"value: {card['metrics']['test_mse']:.6g}" in front
    assert f"| test MSE per pixel | {card['metrics']['test_mse']:.5f} |" in body
    assert 'registry.get_model("sparse-d32")' in body and card["recipe_id"] in body
    assert f"matrix products in\n{card['precision']}" in body  # the shipped card says its precision


def test_the_card_says_how_the_hidden_layers_and_the_training_were_set_up():
    """The text follows the JSON card (hidden activation and norm, decay, augmentation), not a fixed sentence."""
    deep, plain = registry.card("deep", 30), registry.card("plain", 16)
    deep_text, plain_text = registry.model_card("deep-d30"), registry.model_card("plain-d16")
    assert f"{deep['model_config']['hidden_norm']} norm, then {deep['model_config']['hidden_activation']}" in deep_text
    assert f"; {plain['model_config']['hidden_activation']} after each hidden layer" in plain_text
    assert f"AdamW (weight decay {deep['train_config']['weight_decay']:g})" in deep_text
    assert "\nAdam with a one-cycle" in plain_text and "data augmentation" not in plain_text
    assert (f"up to {deep['train_config'].get('shift_pixels')} pixel(s)" in deep_text) == bool(
        deep["train_config"].get("shift_pixels"))
