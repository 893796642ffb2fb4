"""What the shipped zoo is and what it promises: its latent sizes and the quality each model must reach.

`python train_all.py` trains every variant at LATENT_DIMS; tests/test_shipped.py checks the
goals on real MNIST and benchmarks/time_to_quality.py reads from the cards when each was first met.
"""

from __future__ import annotations

LATENT_DIMS = (16, 32, 64)  # d, the code sizes the zoo ships

# Test MSE per pixel on the 10,000 MNIST test images, at most, by d.
PLAIN_MAX_MSE = {16: 0.0195, 32: 0.0085, 64: 0.0030}
SPARSE_MAX_MSE = {16: 0.030, 32: 0.016, 64: 0.010}
# Share of the sparse code's entries exactly zero on the test images, at least, by d.
SPARSE_MIN_ZEROS = {16: 0.50, 32: 0.60, 64: 0.70}
SPARSE_MAX_DEAD_SHARE = 0.10  # units never active on the test set, as a share of d
# The denoising model against plain at the same d: at noise amplitude DENOISING_AT, at most this share
# of plain's error; on clean images, at most this multiple of plain's error.
DENOISING_AT = "0.5"  # a key of the card's noisy_test_mse
DENOISING_MAX_SHARE_OF_PLAIN_NOISY = 0.5
DENOISING_MAX_TIMES_PLAIN_CLEAN = 1.5
# Every model beats PCA with the same d on test MSE; except these, which the shipped recipe misses
# (docs/TRAINING.md says why and what was tried). Keys: (goal, variant, d).
NOT_MET = {("beats PCA", "sparse", 64)}  # 0.00967 against PCA's 0.00905
