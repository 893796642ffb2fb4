"""Where things are: a checkout's root, if the package runs from one (one home for that fact)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The repository's root when zoo/ is imported from a checkout (pyproject.toml beside it), else None
    (an installed wheel: site-packages is no place to look for weights/ or docs/)."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "zoo").is_dir() else None
