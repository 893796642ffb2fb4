"""The package's rooms import downwards only: in the order zoo/__init__.py lists them, with no cycle; the engine
imports no variant; the library imports neither the lab nor the demo.

docs/ARCHITECTURE.md draws these rooms; this test keeps the picture and the list true.
"""

import ast
import re
from pathlib import Path

import pytest

import zoo

PACKAGE = Path(zoo.__file__).parent
WINGS = {"zoo.lab", "zoo.app"}  # the lab and the demo: the library imports neither
COMMANDS = {"zoo.demo", "zoo.train_all", "zoo.report"}  # they may import anything


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
    return ".".join(parts[:2]) if len(parts) > 2 or module in ("zoo.variants", "zoo.lab", "zoo.app") else module


def listed_order() -> list[str]:
    """The rooms in the order zoo/__init__.py's docstring lists them (indented lines: names, then what they hold)."""
    names = []
    for line in (zoo.__doc__ or "").splitlines():
        match = re.match(r"^ {4}([\w/]+(?:, [\w/]+)*) {2,}\S", line)
        if match:
            names += [f"zoo.{name.rstrip('/')}" for name in match.group(1).split(", ")]
    return names


def test_the_graph_and_the_list_were_read():
    assert {"zoo.engine", "zoo.variants.sparse", "zoo.lab.report", "zoo.registry", "zoo.app.zoo_tab"} <= set(GRAPH)
    assert "zoo.metrics" in GRAPH["zoo.engine"] and "zoo.lab.tables" in GRAPH["zoo.lab.report"]
    order = listed_order()
    assert order[:3] == ["zoo.paths", "zoo.atomic", "zoo.hardware"] and set(order[-3:]) == COMMANDS


def test_every_room_is_listed_once_in_zoo_init():
    order = listed_order()
    assert len(order) == len(set(order))
    assert {room(m) for m in GRAPH if m != "zoo"} == set(order)


def test_each_room_imports_only_rooms_listed_above_it():
    position = {name: i for i, name in enumerate(listed_order())}
    wrong = sorted(f"{module} imports {imported}" for module, imports in GRAPH.items() if module != "zoo"
                   for imported in imports if imported != "zoo" and room(imported) != room(module)
                   and position[room(imported)] > position[room(module)])
    assert not wrong


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


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if room(m) not in WINGS and m not in COMMANDS))
def test_the_library_imports_neither_the_lab_nor_the_demo(module):
    assert not {m for m in GRAPH[module] if room(m) in WINGS or m in COMMANDS}, module


def test_the_lab_and_the_demo_import_neither_each_other_nor_a_command():
    for module in (m for m in GRAPH if room(m) in WINGS):
        other = WINGS - {room(module)}
        assert not {m for m in GRAPH[module] if room(m) in other or m in COMMANDS}, module
