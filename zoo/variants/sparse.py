"""The sparse autoencoder: loss = reconstruction + l1_weight * ||h||_1 + l2_weight * ||W_dec||^2.

A ReLU code can be exactly zero, and the L1 term pushes it there. Alone, the L1 term is dodged
by shrinking h and growing the decoder's weights to match; the L2 term on the decoder's weights
closes that door. With hidden layers it covers every decoder weight matrix, or the first one
could take up the scale instead. l1_weight starts small and ramps up linearly, so the code first learns to
reconstruct and is then made sparse.

ReLU units can die in training (never active again, so no gradient brings them back). In the
first `revive_until_epoch` epochs, a unit never active on the training set has its bias lowered
until it fires on its top `revive_fraction` of training images; its weights keep their direction.
This is a lighter form of the dead-neuron resampling of Bricken et al. (2023), "Towards
Monosemanticity"; the loss is unchanged.
"""

from dataclasses import dataclass

import torch

from zoo.model import AutoEncoder
from zoo.variants import register
from zoo.variants.base import Variant


@register("sparse")
@dataclass(frozen=True)
class Sparse(Variant):
    description = "ReLU code with an L1 penalty on h (ramped up) and L2 on the decoder's weights"

    encoder_activation: str = "relu"
    l1_weight: float = 7e-4  # final weight of mean_batch ||h||_1 (reconstruction is a per-pixel mean)
    l1_start_weight: float = 1e-5  # weight at epoch 0
    l1_warmup_epochs: float = 20.0  # linear ramp from start to final over this many epochs
    l2_weight: float = 1e-5  # weight of ||W_dec||^2, the squared Frobenius norm of the decoder's weights

    revive_until_epoch: int = 27  # revive dead units at the end of epochs 1..this (of 30)
    revive_fraction: float = 0.05  # a revived unit fires on this share of training images

    def l1_weight_at(self, epoch: float) -> float:
        """The L1 weight at a (fractional) epoch: linear from l1_start_weight to l1_weight, then flat."""
        if self.l1_warmup_epochs <= 0:
            return self.l1_weight
        t = min(max(epoch / self.l1_warmup_epochs, 0.0), 1.0)
        return self.l1_start_weight + t * (self.l1_weight - self.l1_start_weight)

    @torch.no_grad()
    def end_of_epoch(self, model: AutoEncoder, train_x: torch.Tensor, epoch: int) -> None:
        if epoch > self.revive_until_epoch:
            return
        z = torch.cat([model.code_preactivation(train_x[i:i + 10000]) for i in range(0, len(train_x), 10000)])  # (N, d)
        dead = (z <= 0).all(dim=0)
        if dead.any():
            threshold = torch.quantile(z[:, dead], 1.0 - self.revive_fraction, dim=0)  # z > threshold on that share
            model.code_layer.bias[dead] -= threshold

    def penalty(self, model: AutoEncoder, h: torch.Tensor, epoch: float) -> dict[str, torch.Tensor]:
        return {
            "l1_code": self.l1_weight_at(epoch) * h.abs().sum(dim=1).mean(),
            "l2_decoder": self.l2_weight * sum(w.pow(2).sum() for w in model.decoder_weights()),
        }
