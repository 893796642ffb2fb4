"""Trained models on disk: weights and cards, what determines a model, and which models the zoo ships.

    checkpoint  safetensors weights + JSON model cards, checked by sha256, written atomically
    modelcard   a JSON card as Markdown (the Hugging Face convention)
    recipe      what determines a zoo model (its recipe id) and train_and_save
    shipped     the shipped zoo's models, their goals, and the margin each is met by
"""
