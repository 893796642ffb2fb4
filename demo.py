"""`python demo.py`: the Gradio demo on http://127.0.0.1:7860 (the code is `zoo.demo`; `--help` says how)."""

import sys

from zoo.demo import main

if __name__ == "__main__":
    sys.exit(main())
