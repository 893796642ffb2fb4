"""Section 6: the zoo against the published figures, squared error per image."""

from __future__ import annotations

from dataclasses import dataclass

from zoo.lab import literature
from zoo.lab.literature import HINTON_2006, PUBLISHED
from zoo.lab.report import markdown as md
from zoo.model import INPUT_DIM
from zoo.registry import model_label
from zoo.store.modelcard import augmentation
from zoo.training import metrics


@dataclass(frozen=True)
class AgainstLiterature:
    """Squared error per test image: PCA at each d (here) and every shipped model, by its (variant, d) key."""

    pca: dict[int, float]  # d -> PCA's test MSE per pixel
    error: dict[tuple[str, int], float]  # per image
    training_error: dict[tuple[str, int], float]  # per training image (eval mode), for the models at a published d


def compute(zoo, train_x, test_x) -> AgainstLiterature:
    published_dims = {p.latent_dim for p in PUBLISHED}
    return AgainstLiterature(
        metrics.pca_mses(train_x, test_x, sorted(published_dims | {d for _, d in zoo})),
        {key: metrics.reconstruction_mse(model, test_x) * INPUT_DIM for key, model in zoo.items()},
        {key: metrics.reconstruction_mse(model, train_x) * INPUT_DIM for key, model in zoo.items()
         if key[1] in published_dims})


def write(w: md.Writer, result: AgainstLiterature, zoo, cards, test_x) -> None:
    """Every shipped model and PCA beside the published figures (zoo.lab.literature), in squared error per image."""
    pca, error = result.pca, result.error
    w.add("## 6. Against the literature")
    w.add(md.source(metrics.pca_mses) + "\n\n"
          f"The squared error per image: the sum over an image's {INPUT_DIM} pixels (in [0, 1]) of (reconstruction - "
          f"image)^2, averaged over the {len(test_x):,} test images, i.e. test MSE x {INPUT_DIM}: the measure of "
          f"{HINTON_2006}. The published rows cite their paper; the optimisation papers report the error on the 60,000 "
          "training images only, so the \"images\" column says which set each figure is on. Every other row is "
          "computed here from the shipped weights and MNIST, with the time its card says it took to train (the "
          "machine that wrote the card: `python train_all.py`, CPU).")
    published = [[f"{p.model} (published)", p.latent_dim, f"{p.error_per_image:.2f}", p.measured_on,
                  f"{p.training}; {p.source}"] for p in PUBLISHED]
    ours = [["PCA (here)", d, f"{pca[d] * INPUT_DIM:.2f}", "test", "none: the top d principal components"]
            for d in sorted({p.latent_dim for p in PUBLISHED})]
    for key in sorted(zoo, key=error.get):
        card = cards[key]
        how = (f"{card['training_seconds']:.0f} s, {card['epochs']} epochs, {card['precision']}, "
               f"{card['threads']} thread(s)" + (f", {augmentation(card)}" if augmentation(card) else ""))
        label = f"{model_label(*key)} ({md.layers(zoo[key].config)})"
        ours.append([label, key[1], f"{error[key]:.2f}", "test", how])
        if key in result.training_error:
            ours.append([label, key[1], f"{result.training_error[key]:.2f}", "training", "the same model"])
    w.add(md.table(["model", "d", "squared error per image", "images", "training"], published + ours))
    reference = PUBLISHED[0]
    same_d = sorted((k for k in zoo if k[1] <= reference.latent_dim), key=error.get)
    pca_here, pca_paper = pca[reference.latent_dim] * INPUT_DIM, next(p for p in PUBLISHED if p.model == "PCA")
    text = (f"**Answer.** PCA at d={reference.latent_dim} gives {pca_here:.2f} per image here and "
            f"{pca_paper.error_per_image:.2f} in the paper, so the two scales agree.")
    if same_d:
        best = same_d[0]
        ratio = error[best] / reference.error_per_image
        text += (f" The zoo's best model with d <= {reference.latent_dim} is {model_label(*best)} at {error[best]:.2f}: "
                 + (f"{md.pct(1 - ratio)} below" if ratio < 1 else f"{md.pct(ratio - 1)} above")
                 + f" the paper's {reference.error_per_image:.2f} for its {reference.model} (pretrained as RBMs),"
                 f" trained here from a random start in {cards[best]['training_seconds']:.0f} s on the card's CPU.")
    if same_d and best in result.training_error:
        top_test, top_training = literature.best("test"), literature.best("training")
        text += (f" Beside the best published figures for these sizes: {error[best]:.2f} on test images against "
                 f"{top_test.error_per_image:.2f} ({top_test.source.split(',')[0]}), and "
                 f"{result.training_error[best]:.2f} on training images against {top_training.error_per_image:.2f} "
                 f"({top_training.training}; {top_training.source.split(',')[0]}).")
        if augmentation(cards[best]):
            text += (f" Unlike the papers' models, {model_label(*best)} trained on moved copies of the training images"
                     f" ({augmentation(cards[best])}: data augmentation); the test images are MNIST's as published.")
    w.add(text)
