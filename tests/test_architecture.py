"""The layers: import-linter's contract (pyproject.toml) holds, can fail, and the docs list the same layers."""

import re
from pathlib import Path

import pytest
import tomllib
from importlinter.cli import EXIT_STATUS_ERROR, EXIT_STATUS_SUCCESS, lint_imports

import zoo
from zoo.system.paths import checkout_root

ROOT = checkout_root()
CONFIG = ROOT / "pyproject.toml"
LAYERS = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]["contracts"][0]["layers"]


def _names(layer: str) -> list[str]:
    return [name.strip() for name in layer.split("|")]


def test_the_layers_contract_is_kept():
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == EXIT_STATUS_SUCCESS


def test_the_contract_breaks_when_a_layer_imports_one_above_it(tmp_path):
    """The tool really checks: with data listed below system, data's imports of zoo.system break it."""
    text = CONFIG.read_text().replace('    "data",\n', "").replace('    "system",\n', '    "system",\n    "data",\n')
    assert text != CONFIG.read_text()
    (tmp_path / "pyproject.toml").write_text(text)
    assert lint_imports(config_filename=str(tmp_path / "pyproject.toml"), no_cache=True, no_logo=True) == EXIT_STATUS_ERROR


def test_zoo_init_lists_the_contracts_layers_in_order():
    listed = [re.match(r" {4}([\w, ]+?) {2,}\S", line) for line in zoo.__doc__.splitlines()]
    assert [m.group(1).split(", ") for m in listed if m] == [_names(layer) for layer in LAYERS]


def test_architecture_md_has_a_row_for_every_layer_in_order():
    rooms = (ROOT / "docs" / "ARCHITECTURE.md").read_text().split("## The rooms")[1].split("\n## ")[0]
    first_cells = re.findall(r"^\| (`[^|]+) \|", rooms, re.M)
    named = [name.rstrip("/") for cell in first_cells for name in re.findall(r"`([\w/]+)`", cell)]
    assert named == [name for layer in LAYERS for name in _names(layer)]


def test_zoos_root_holds_few_modules_and_every_package_is_a_layer():
    package = Path(zoo.__file__).parent
    modules = sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__")
    packages = sorted(p.name for p in package.iterdir() if (p / "__init__.py").is_file())
    assert len(modules) <= 10, modules
    assert sorted(modules + packages) == sorted(name for layer in LAYERS for name in _names(layer))


@pytest.mark.parametrize("package", ["system", "data", "training", "store", "analysis", "app", "lab", "lab.report"])
def test_each_package_says_what_each_of_its_modules_holds(package):
    """A package's docstring names every module in it (a new module is listed where a reader looks)."""
    module = __import__(f"zoo.{package}", fromlist=["_"])
    folder = Path(module.__file__).parent
    listed = {m.group(1) for m in re.finditer(r"^ {4}(\w+) ", module.__doc__, re.M)}
    assert {p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")} <= listed
