"""The AE Zoo demo: `python demo.py` (or `ae-zoo-demo` after an install) serves a Gradio app on http://127.0.0.1:7860.

Draw a digit, add noise, and compare the reconstructions of every trained variant and d.
"""

from __future__ import annotations

import argparse
import sys

from pathlib import Path

import gradio as gr

from zoo import live, registry
from zoo.explore_ui import build_explore_api, build_explore_tab
from zoo.model import AutoEncoder
from zoo.train_ui import Pickers, build_train_tab
from zoo.ui import CSS, DEFAULT_REPORT, MAX_FILE_SIZE, PAGE_JS, MnistDigits, build_lab_tab, build_zoo_tab


def build_app(models: dict[tuple[str, int], AutoEncoder], digits: MnistDigits | None = None,
              report: Path | None = None) -> gr.Blocks:
    """The demo for the given trained models, keyed by (variant, d): the Zoo, Explore, Train and Lab tabs."""
    digits = digits or MnistDigits()
    with gr.Blocks(title="AE Zoo", analytics_enabled=False) as app:  # no per-request analytics work (6% of an update)
        gr.Markdown("# AE Zoo\nDraw a digit (or take a real MNIST test digit), add noise, and see how each "
                    "autoencoder reconstructs it; MSE is against the clean input. Explore looks inside the codes; "
                    "Train trains your own; the Lab tab answers the course's questions with numbers and figures.")
        sketch, digit_index, zoo_variants, zoo_dims = build_zoo_tab(models, digits)
        atlases, explore_model, explore_walk = build_explore_tab(models, digits, sketch, digit_index)
        build_train_tab(models, digits, Pickers(zoo_variants, zoo_dims, explore_model, explore_walk))
        with gr.Tab("Lab", id="lab"):
            build_lab_tab(report or DEFAULT_REPORT)
        build_explore_api(models, atlases)
        app.load(None, js=PAGE_JS)  # the Zoo tab's noise slider, shown in the page (zoo.ui.PAGE_JS)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (0.0.0.0 exposes it to the network)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args = parser.parse_args(argv)

    models, _ = registry.load_zoo()
    if not models:
        print("error: no trained models in weights/; run: python train_all.py", file=sys.stderr)
        return 1
    # Models kept from the Train tab, beside the shipped ones as "<variant> (yours)".
    kept, _ = registry.load_zoo(user=True, on_error=lambda e: print(f"warning: skipped a kept model: {e}", file=sys.stderr))
    models.update({(live.user_label(name), d): model for (name, d), model in kept.items()})
    app = build_app(models)
    print(f"AE Zoo: {len(models)} models; serving on http://{args.host}:{args.port}", flush=True)
    app.launch(server_name=args.host, server_port=args.port, share=args.share, inbrowser=not args.no_browser,
               max_file_size=MAX_FILE_SIZE, css=CSS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
