"""The AE Zoo demo: `python demo.py` (or `ae-zoo-demo` after an install) serves a Gradio app on http://127.0.0.1:7860.

Draw a digit, add noise, and watch every trained variant and d reconstruct it, run in the page as you draw.
"""

from __future__ import annotations

import argparse
import sys

from zoo.app import build_demo
from zoo.app.page_models import load_models


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (0.0.0.0 exposes it to the network)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args = parser.parse_args(argv)

    models = load_models(on_error=lambda e: print(f"warning: skipped a kept model: {e}", file=sys.stderr))
    if not any(not key.user for key in models):
        print("error: no trained models in weights/; run: python train_all.py", file=sys.stderr)
        return 1
    demo = build_demo(models)
    print(f"AE Zoo: {len(models)} models; serving on http://{args.host}:{args.port}", flush=True)
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, inbrowser=not args.no_browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
