"""Where things are, in one place: a checkout's root (if the package runs from one), the shipped zoo,
the user zoo, and the docs (the lab report)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # zoo/


def checkout_root() -> Path | None:
    """The repository's root when zoo/ is imported from a checkout (pyproject.toml beside it), else None
    (an installed wheel: site-packages is no place to look for weights/ or docs/)."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "zoo").is_dir() else None


def default_weights_dir() -> Path:
    """`$AE_ZOO_WEIGHTS`, else a checkout's `weights/`, else the zoo shipped inside the installed package."""
    if os.environ.get("AE_ZOO_WEIGHTS"):
        return Path(os.environ["AE_ZOO_WEIGHTS"]).expanduser()
    root = checkout_root()
    return root / "weights" if root is not None else PACKAGE_DIR / "weights"


def user_weights_dir() -> Path:
    """The user zoo, where the demo's Train tab keeps models: `$AE_ZOO_USER_WEIGHTS`, else
    ~/.cache/ae-zoo/user-weights (`$XDG_CACHE_HOME` if set). Never the shipped weights/."""
    if os.environ.get("AE_ZOO_USER_WEIGHTS"):
        return Path(os.environ["AE_ZOO_USER_WEIGHTS"]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ae-zoo" / "user-weights"


def docs_dir() -> Path:
    """A checkout's docs/ (the lab report: REPORT.md and figures/), else docs/ in the current directory."""
    return (checkout_root() or Path.cwd()) / "docs"
