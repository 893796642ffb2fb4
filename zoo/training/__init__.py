"""Training, for any variant: the settings, the data's augmentation, the one loop, how a model is scored, and processes side by side.

    config   TrainConfig: the settings the engine and the variants both import
    augment  data augmentation: each training image moved by a few whole pixels
    metrics  reconstruction error, codes, decoding, sparsity, the PCA baseline
    engine   the one training loop: trains any Trainable (a name, a loss, an end-of-epoch hook)
    workers  jobs trained side by side, one one-thread worker process per core
"""
