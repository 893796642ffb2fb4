"""Why learn h: linear classifiers (softmax regression by L-BFGS) on raw pixels, PCA codes and each model's h."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from zoo.lab.measures import labelled_subset
from zoo.model import AutoEncoder
from zoo.registry import model_label
from zoo.training import metrics

Models = dict[tuple[str, int], AutoEncoder]
L2_GRID = (1e-4, 1e-3, 1e-2)  # the classifier's L2 weights tried, one chosen on a validation split
VALIDATION_SHARE = 0.2  # of the labelled training images, held out to choose the L2 weight


def _fit_logistic(x: torch.Tensor, y: torch.Tensor, l2_weight: float,
                  max_iter: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Multinomial logistic regression by full-batch L-BFGS: cross-entropy + l2_weight/2 * ||W||^2."""
    weight = torch.zeros(x.shape[1], int(y.max()) + 1, dtype=x.dtype, requires_grad=True)
    bias = torch.zeros(weight.shape[1], dtype=x.dtype, requires_grad=True)
    optimizer = torch.optim.LBFGS([weight, bias], max_iter=max_iter, history_size=20, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(x @ weight + bias, y) + l2_weight / 2 * weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return weight.detach(), bias.detach()


def linear_probe(train_features: torch.Tensor, train_y: torch.Tensor, test_features: torch.Tensor,
                 test_y: torch.Tensor, *, l2_grid=L2_GRID, max_iter: int = 40, seed: int = 0) -> dict:
    """Test accuracy of a linear classifier (softmax regression) on the given features.

    Features are standardised with the training set's statistics. The L2 weight is chosen from
    `l2_grid` on a seeded validation split (VALIDATION_SHARE) of the training set; the classifier is then
    refitted on the whole training set with it. All in float64: in float32, 40 L-BFGS iterations
    amplify rounding differently on another CPU (with AVX2 kernels instead of AVX-512, one printed
    accuracy moved by 0.1 point); in float64 the same features give the same accuracy.
    """
    train_features, test_features = train_features.double(), test_features.double()
    mean, std = train_features.mean(dim=0), train_features.std(dim=0) + 1e-3  # + 1e-3: constant pixels and dead units
    x, test = (train_features - mean) / std, (test_features - mean) / std
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    held_out = int(len(x) * VALIDATION_SHARE)
    valid, fit = order[:held_out], order[held_out:]

    def accuracy(params, features, labels):
        weight, bias = params
        return ((features @ weight + bias).argmax(dim=1) == labels).float().mean().item()

    x_fit, y_fit = x[fit], train_y[fit]  # one copy for the whole grid
    scores = {l2: accuracy(_fit_logistic(x_fit, y_fit, l2, max_iter), x[valid], train_y[valid]) for l2 in l2_grid}
    chosen = max(l2_grid, key=lambda l2: (scores[l2], l2))  # ties: the stronger penalty
    return {"accuracy": accuracy(_fit_logistic(x, train_y, chosen, max_iter), test, test_y), "l2_weight": chosen}


def probe_table(models: Models, train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor,
                test_y: torch.Tensor, *, per_class: int = 100, seed: int = 0, max_iter: int = 40) -> list[dict]:
    """Accuracy of a linear classifier on raw pixels, on PCA codes and on each model's h.

    With all 60,000 training labels and with only `per_class` labels per class; the features of
    every model come from training without labels, so the few-label column is where h can help. A row's
    "model" is the zoo model's (variant, d) key, None for raw pixels and PCA.
    """
    few = labelled_subset(train_y, per_class, seed)
    # name -> (the zoo model's key or None for pixels and PCA, training features, test features)
    feature_sets = {"raw pixels": (None, train_x, test_x)}
    for d in sorted({d for _, d in models}):
        feature_sets[f"PCA d={d}"] = (None, *_pca_features(train_x, test_x, d))
    for key, model in sorted(models.items()):
        feature_sets[model_label(*key)] = (key, metrics.codes(model, train_x), metrics.codes(model, test_x))
    rows = []
    for name, (key, train_f, test_f) in feature_sets.items():
        full = linear_probe(train_f, train_y, test_f, test_y, max_iter=max_iter, seed=seed)
        part = linear_probe(train_f[few], train_y[few], test_f, test_y, max_iter=max_iter, seed=seed)
        rows.append({"features": name, "model": key, "dim": train_f.shape[1], "accuracy_all": full["accuracy"],
                     "accuracy_few": part["accuracy"]})
    return rows


def _pca_features(train_x: torch.Tensor, test_x: torch.Tensor, latent_dim: int) -> tuple[torch.Tensor, torch.Tensor]:
    mean, basis = metrics.pca_basis(train_x, latent_dim)  # the PCA of the reconstruction table
    return ((train_x - mean) @ basis).float(), ((test_x - mean) @ basis).float()
