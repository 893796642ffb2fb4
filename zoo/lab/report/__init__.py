"""`python -m zoo.report` writes docs/REPORT.md and docs/figures/: the course's questions answered from the zoo.

Everything is computed from the trained models in weights/ (never retrained) and real MNIST;
the few small extra models a question needs (the course's single-layer model, the sparse
trade-off) are trained here, once per seed, and kept apart from weights/. A number that comes from
them is written "mean ± sd" over the seeds (`zoo.lab.seeds`); every other number is exact, the same on
every run and machine. Files are written atomically.

    settings            ReportConfig (what the report trains and draws), quick_config
    markdown            number formats, tables, a section's source line, the Writer
    best_d              1. which d reconstructs best
    decoder_units       2. the decoder's weights as images
    denoising           3. denoising against noise amplitude
    questions           4. the three questions
    sparse              5. the sparse autoencoder
    against_literature  6. against the literature
    codes               7. maps and units
    build               build_report: every section in turn
    cli                 main: python -m zoo.report [--check]
"""

from zoo.lab.report.build import build_report
from zoo.lab.report.cli import default_out_dir, main
from zoo.lab.report.settings import COMMAND, ReportConfig, quick_config

__all__ = ["COMMAND", "ReportConfig", "build_report", "default_out_dir", "main", "quick_config"]
