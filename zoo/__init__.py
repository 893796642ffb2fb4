"""AE Zoo: a zoo of autoencoders trained on MNIST. docs/ARCHITECTURE.md draws the rooms and how data flows.

The layers, top to bottom; a module imports only from layers below its own (import-linter's contract in
pyproject.toml says so as data, tests/test_architecture.py runs it and checks this list against it):
    demo, train_all, report   the commands: python demo.py, python train_all.py, python -m zoo.report
    app, lab                  the demo (Gradio, a module per tab) and the lab (docs/REPORT.md), side by side
    analysis                  what both compute from trained models: reconstructions, codes, maps, units, live
    registry                  trained models by name or id ("sparse-d32"), load_zoo, model_label
    store                     weights and cards on disk, recipes, the shipped zoo and its goals
    variants                  plain, denoising, sparse, deep: a plugin each, registered by name
    training                  TrainConfig, the one training loop, metrics, workers side by side
    data                      MNIST as tensors (online or the hash-checked offline copy); a drawing as MNIST
    model, noise              the AutoEncoder module; white noise for a batch
    system                    paths, atomic writes, the device and precision
"""

__version__ = "0.1.0"
