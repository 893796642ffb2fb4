"""`python train_all.py`: train every variant x d into weights/ (the code is `zoo.train_all`; `--help` says how)."""

import sys

from zoo.train_all import main

if __name__ == "__main__":
    sys.exit(main())
