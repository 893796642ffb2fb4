"""torch.hub entry points, one per variant: `torch.hub.load("<checkout>", "sparse", d=32, source="local")`.

Each returns the trained model in eval mode with its model card as `model.card` (pretrained=False:
the same architecture, freshly initialised). Weights are read from the checkout's weights/.
"""

dependencies = ["torch", "safetensors", "numpy", "PIL"]

from zoo.registry import get_model, model_id  # noqa: E402


def plain(d: int = 32, pretrained: bool = True):
    """Plain autoencoder (reconstruction loss only), d one of zoo.store.shipped.LATENT_DIMS."""
    return get_model(model_id("plain", d), pretrained=pretrained)


def denoising(d: int = 32, pretrained: bool = True):
    """Denoising autoencoder (white-noise inputs, clean targets), d one of zoo.store.shipped.LATENT_DIMS."""
    return get_model(model_id("denoising", d), pretrained=pretrained)


def sparse(d: int = 32, pretrained: bool = True):
    """Sparse autoencoder (JumpReLU code, L1 on h, L2 on the decoder), d one of zoo.store.shipped.LATENT_DIMS."""
    return get_model(model_id("sparse", d), pretrained=pretrained)


def deep(d: int = 30, pretrained: bool = True):
    """Hinton & Salakhutdinov's (2006) sizes, 784-1000-500-250-30 and back, batch norm, trained from scratch."""
    return get_model(model_id("deep", d), pretrained=pretrained)
