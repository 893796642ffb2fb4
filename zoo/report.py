"""`python -m zoo.report`: the lab report's command (the code is `zoo.lab.report`; `--help` says how)."""

import sys

from zoo.lab.report import main

if __name__ == "__main__":
    sys.exit(main())
