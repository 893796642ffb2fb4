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
