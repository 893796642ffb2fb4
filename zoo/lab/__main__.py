"""`python -m zoo.lab` is `python -m zoo.report`: write docs/REPORT.md and docs/figures/."""

import sys

from zoo.lab.report import main

sys.exit(main())
