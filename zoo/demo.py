"""The AE Zoo demo: `python demo.py` (or `ae-zoo-demo` after an install) serves a Gradio app on http://127.0.0.1:7860.

Draw a digit, add noise, and compare the reconstructions of every trained variant and d.
"""

from __future__ import annotations

import argparse
import sys

from zoo import registry
from zoo.ui import CSS, MAX_FILE_SIZE, build_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (0.0.0.0 exposes it to the network)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args = parser.parse_args(argv)

    pairs = registry.available()
    if not pairs:
        print("error: no trained models in weights/; run: python train_all.py", file=sys.stderr)
        return 1
    models = {(name, d): registry.get(name, d=d) for name, d in pairs}
    app = build_app(models)
    print(f"AE Zoo: {len(models)} models; serving on http://{args.host}:{args.port}", flush=True)
    app.launch(server_name=args.host, server_port=args.port, share=args.share, inbrowser=not args.no_browser,
               max_file_size=MAX_FILE_SIZE, css=CSS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
