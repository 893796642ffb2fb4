"""AE Zoo: a zoo of autoencoders trained on MNIST.

Modules, one concern each:
    data      MNIST as tensors (torchvision, or the offline fallback in mnist_offline)
    idx       the IDX file format MNIST ships in
    noise     white noise for batches of images
    model     the AutoEncoder module and its parameter count
    engine    the one training loop every variant uses
    workers   models trained side by side: one one-thread worker process per core
    variants  plain, denoising and sparse autoencoders, registered by name
    checkpoint  safetensors weights + JSON model cards
    metrics   reconstruction error, sparsity, the PCA baseline
    analysis  the lab's questions as tables and figures (report writes them out)
    sketch    a drawing made to look like MNIST
    showcase  the Zoo tab's computation: noise, then every model's reconstruction
    explore   inside the codes: a code edited and decoded, walks between codes, the test codes on a map
    live      one model trained live (the Train tab's computation), kept in the user zoo
    ui, explore_ui, train_ui   the demo's tabs in Gradio (Zoo and Lab; Explore and its API; Train)
    runtime   device, seed and denormal flushing in one place
    seeds     numbers over several seeds (mean ± sd) and checking a report against a fresh run
    atomic    atomic file writes
    registry  trained models by name or id ("sparse-d32"): get, get_model, list_models, model_card
    modelcard a JSON model card as Markdown (Hugging Face front matter)
    paths     where a checkout's root is, if any
    train_all, demo, report   the commands (python train_all.py / ae-zoo-train, demo.py / ae-zoo-demo,
              python -m zoo.report / ae-zoo-report)
"""

__version__ = "0.1.0"
