"""AE Zoo: a zoo of autoencoders trained on MNIST. docs/ARCHITECTURE.md draws the rooms and how data flows.

The library, each module one concern; a module imports only those above it in this list
(tests/test_architecture.py checks it):
    paths, atomic, hardware   where things are; atomic writes; device, fast precision, denormal mode
    model, noise              the AutoEncoder module and its parameter count; white noise for a batch
    idx, mnist_offline, data  MNIST as tensors (torchvision's download, or the hash-checked offline copy)
    config                    TrainConfig: the settings the engine and the variants both import
    metrics                   reconstruction error, codes, decoding, sparsity, the PCA baseline
    engine                    the one training loop; trains any Trainable (name, loss, end-of-epoch hook)
    variants                  plain, denoising, sparse, deep: a Trainable each, registered by name; they build their models
    checkpoint, modelcard     safetensors weights + JSON model cards; a card as Markdown
    recipe                    what determines a zoo model, its id, train_and_save
    shipped                   the shipped zoo's models and their goals, with the margin each is met by
    sketch                    a drawing made to look like MNIST
    registry                  trained models by name or id ("sparse-d32"), load_zoo, model_label
    workers                   models trained side by side: one one-thread worker process per core
    seeds                     numbers over several seeds (mean ± sd); a report checked against a fresh run
    comparison, explore, live  the Zoo tab's computation (seeded noise, every model); inside the codes;
                               one model trained live
    maps, units               the test codes in 2-D by t-SNE (shipped in weights/maps/, tied to the weights); each
                              unit read off the test digits (firing, class selectivity, units alike across models)
The lab, a wing that only calls the library:
    lab/                      experiments, measures, probes, tables, figures, literature, report (docs/REPORT.md)
The demo (Gradio), a wing of its own: a module per tab, the page's scripts in app/static/:
    app/                      keys, checks, digits, pictures, page_models, zoo_tab, reconstruct_api, unit_dashboard,
                              explore_tab, train_tab, lab_tab (zoo/app/__init__.py says what each holds)
The commands:
    demo, train_all, report   python demo.py / ae-zoo-demo; python train_all.py / ae-zoo-train;
                              python -m zoo.report / ae-zoo-report
"""

__version__ = "0.1.0"
