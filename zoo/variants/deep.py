"""The deep autoencoder of Hinton & Salakhutdinov (Science, 2006): 784-1000-500-250-30 and back, a linear code.

The paper pretrained each layer as a restricted Boltzmann machine, then fine-tuned the whole stack; here
the same sizes train end to end with the zoo's engine and recipe, from a random start. What makes that
work in three minutes: a batch norm after each hidden layer's Linear, SiLU after it, batches of 512 (steps cost
the same per image at half the steps), and against the gap between training and test error each training image
moved by up to one pixel (the papers trained on the images as they are) and AdamW's weight decay
(docs/TRAINING.md has the probes). The paper's code units were linear, as here.
"""

from dataclasses import dataclass

from zoo.training.config import TrainConfig
from zoo.variants import register
from zoo.variants.base import Variant


@register("deep")
@dataclass(frozen=True)
class Deep(Variant):
    description = "Hinton & Salakhutdinov's 2006 sizes (784-1000-500-250-d), batch norm and SiLU, no pretraining"
    latent_dims = (30,)  # the paper's code size
    default_train_config = TrainConfig(epochs=40, batch_size=512, learning_rate=0.017, weight_decay=0.05,
                                       shift_pixels=1)

    hidden_dims: tuple[int, ...] = (1000, 500, 250)
    hidden_norm: str = "batch"
