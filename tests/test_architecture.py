"""The package's rooms import downwards only: no import cycle, the engine imports no variant, the library no lab or UI.

docs/ARCHITECTURE.md draws these rooms; this test keeps the picture true.
"""

import ast
from pathlib import Path

import pytest

import zoo

PACKAGE = Path(zoo.__file__).parent
FRONT_DOORS = {"zoo.demo", "zoo.train_all", "zoo.report"}  # the commands: they may import anything
UI = {"zoo.ui", "zoo.explore_ui", "zoo.train_ui"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The zoo modules a file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("zoo")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("zoo"):
            found |= {f"{node.module}.{a.name}" if (PACKAGE.parent / node.module.replace(".", "/") / f"{a.name}.py").exists()
                      or (PACKAGE.parent / node.module.replace(".", "/") / a.name).is_dir() else node.module
                      for a in node.names}
    return found


GRAPH = {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def room(module: str) -> str:
    """A subpackage is one room (its plugins register with it); every other module is its own."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 or module in ("zoo.variants", "zoo.lab") else module


def test_the_graph_was_read():
    assert {"zoo.engine", "zoo.variants.sparse", "zoo.lab.report", "zoo.registry"} <= set(GRAPH)
    assert "zoo.metrics" in GRAPH["zoo.engine"] and "zoo.lab.tables" in GRAPH["zoo.lab.report"]


def test_no_import_cycle_between_rooms():
    edges = {}
    for module, imported in GRAPH.items():
        edges.setdefault(room(module), set()).update(room(m) for m in imported if room(m) != room(module))
    done, path = set(), []

    def visit(node):
        if node in path:
            pytest.fail("import cycle: " + " -> ".join(path[path.index(node):] + [node]))
        if node in done:
            return
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            visit(nxt)
        path.pop()
        done.add(node)

    for node in sorted(edges):
        visit(node)


def test_the_engine_trains_what_it_is_given_and_imports_no_variant():
    assert not {m for m in GRAPH["zoo.engine"] if m.startswith("zoo.variants")}
    assert GRAPH["zoo.engine"] <= {"zoo.metrics", "zoo.config", "zoo.hardware", "zoo.model"}


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if room(m) != "zoo.lab" and m not in FRONT_DOORS | UI))
def test_the_library_imports_neither_the_lab_nor_the_ui(module):
    assert not {m for m in GRAPH[module] if room(m) == "zoo.lab" or m in UI | FRONT_DOORS}, module


def test_the_lab_imports_no_ui_and_no_command():
    for module in (m for m in GRAPH if room(m) == "zoo.lab"):
        assert not GRAPH[module] & (UI | FRONT_DOORS), module
