"""The sparse autoencoder: loss = reconstruction + l1_weight * ||h||_1 / d + l2_weight * ||W_dec||^2.

The L1 term is per code entry (||h||_1 / d, averaged over the batch), as the reconstruction term is
per pixel: the course's l1_weight * ||h||_1 with l1_weight / d as its weight. One l1_weight then asks
for about the same share of zeros at every d; with a plain sum, a weight sparse enough at d=32 costs
d=64 too much error (docs/TRAINING.md).

The code is a JumpReLU: h = z where z > code_threshold, else exactly 0, and the L1 term pushes it
there. With a plain ReLU (code_threshold 0) every small activation is kept, and the L1 term
shrinks all of them; above a threshold a firing unit keeps its full value, so the penalty makes
units fire less often instead of weaker (docs/TRAINING.md measures the difference).

Alone, the L1 term is dodged by shrinking h and growing the decoder's weights to match; the L2 term
on the decoder's weights closes that door. With hidden layers it covers every decoder weight matrix,
or the first one could take up the scale instead. l1_weight starts small and ramps up linearly, so
the code first learns to reconstruct and is then made sparse.

One L1 weight leaves the share of zeros to chance: over seeds and precisions it gave d=64 from 71.5%
to 74.7% zeros, and the error rose with them. So the L1 weight eases off in a batch whose code is
sparser than `max_zeros` (by exp(EASE_GAIN (max_zeros - zeros)), down to EASE_FLOOR), which holds the
code near that share; below it the weight is as ramped.

Units can die in training (never active again, so no gradient brings them back), or all but die
(fire on a handful of images, then on none of the test set). At the end of each of the first
`revive_until_epoch` epochs, a unit that fires on at most `revive_below` of the training set's first
`revive_sample` images has its bias raised until it fires on its top `revive_fraction` of them; its
weights keep their direction. This is a lighter form of the dead-neuron resampling of Bricken et al.
(2023), "Towards Monosemanticity"; the loss is unchanged.
"""

from dataclasses import dataclass, replace

import torch

from zoo.model import AutoEncoder, ModelConfig
from zoo.training.config import TrainConfig
from zoo.variants import register
from zoo.variants.base import Variant, hyperparameter

EASE_GAIN = 50.0  # 2 points of zeros over max_zeros: e^-1 of the weight; the zero share moves ~0.18 per e-fold of it
EASE_FLOOR = 1 / 3


@register("sparse")
@dataclass(frozen=True)
class Sparse(Variant):
    description = "JumpReLU code with an L1 penalty on h (ramped up) and L2 on the decoder's weights"
    default_train_config = TrainConfig(epochs=14)  # the L1 ramp (9 epochs) needs time to settle after it

    encoder_activation: str = "jumprelu"
    code_threshold: float = hyperparameter(0.6, "h = z above it, exactly 0 at or below it (0 makes the code a ReLU)")
    l1_weight: float = hyperparameter(3e-3, "the L1 penalty's final weight, on mean |h| over the batch and the d units "
                                              "(= ||h||_1 / d)")
    l1_start_weight: float = hyperparameter(5e-4, "the L1 weight at epoch 0")
    l1_warmup_epochs: float = hyperparameter(9.0, "epochs over which the L1 weight ramps linearly from start to final")
    max_zeros: float = hyperparameter(0.735, "above this share of zeros in a batch's code, the L1 weight eases off")
    l2_weight: float = hyperparameter(3e-6, "the weight of ||W_dec||^2, the squared Frobenius norm of the decoder's weights")

    revive_until_epoch: int = hyperparameter(13, "units that (all but) never fire are revived at the end of epochs 1 to "
                                                 "this one")
    revive_below: float = hyperparameter(0.001, "a unit firing on at most this share of the sample is revived (0: only "
                                                "units that never fire)")
    revive_fraction: float = hyperparameter(0.05, "a revived unit fires on this share of the training images")
    revive_sample: int = hyperparameter(10000, "how often a unit fires is judged on this many first training images")

    def model_config(self, latent_dim: int) -> ModelConfig:
        return replace(super().model_config(latent_dim), code_threshold=self.code_threshold)

    def l1_weight_at(self, epoch: float) -> float:
        """The L1 weight at a (fractional) epoch: linear from l1_start_weight to l1_weight, then flat."""
        if self.l1_warmup_epochs <= 0:
            return self.l1_weight
        t = min(max(epoch / self.l1_warmup_epochs, 0.0), 1.0)
        return self.l1_start_weight + t * (self.l1_weight - self.l1_start_weight)

    def ease(self, h: torch.Tensor) -> torch.Tensor:
        """The L1 weight's factor for a batch's code h: 1 up to max_zeros zeros, less above (a constant, no gradient)."""
        zeros = (h == 0).float().mean().detach()
        return torch.exp(EASE_GAIN * (self.max_zeros - zeros)).clamp(min=EASE_FLOOR, max=1.0)

    @torch.no_grad()
    def end_of_epoch(self, model: AutoEncoder, train_x: torch.Tensor, epoch: int) -> None:
        if epoch > self.revive_until_epoch:
            return
        z = model.code_preactivation(train_x[:self.revive_sample])  # (n, d); a sample: a pass over all 60k costs ~15% of an epoch
        revived = (z > self.code_threshold).float().mean(dim=0) <= self.revive_below
        if revived.any():
            level = torch.quantile(z[:, revived], 1.0 - self.revive_fraction, dim=0)  # z > level on that share
            model.code_layer.bias[revived] += self.code_threshold - level

    def penalty(self, model: AutoEncoder, h: torch.Tensor, epoch: float) -> dict[str, torch.Tensor]:
        return {
            "l1_code": self.l1_weight_at(epoch) * self.ease(h) * h.abs().mean(),  # mean over images and units: ||h||_1 / d
            "l2_decoder": self.l2_weight * sum(w.pow(2).sum() for w in model.decoder_weights()),
        }
