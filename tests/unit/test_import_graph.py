"""The app's own packages import each other without circles, downward only, and no private names across.

The import graph is built with ``ast`` from the source (nothing is imported): an edge for every ``import``
and ``from … import`` of a module of calc_core, viz, ui or app_pages, at the top of a module or inside a
function (a function-level import is still a dependency, only a later one). Imports inside
``if TYPE_CHECKING:`` do not run and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("calc_core", "viz", "ui", "app_pages")
# Imports go downward only: a package may import those after it in this order.
LAYERS = ("app_pages", "ui", "viz", "calc_core")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
    }


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path, name: str, modules: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """(imported module, the names taken from it, line) for every import of one of ``modules``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if node.lineno in skipped if hasattr(node, "lineno") else False:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name in modules]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            names = [alias.name for alias in node.names]
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in modules]
            found += [(module, [], node.lineno) for module in submodules]
            if base in modules:
                found.append((base, [n for n in names if f"{base}.{n}" not in modules], node.lineno))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    return {
        name: {target for target, _, _ in imports_of(path, name, modules) if target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a list of modules (first = last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_sees_the_imports_it_should():
    graph = import_graph()
    assert "calc_core.parser" in graph["calc_core.steps"]
    assert "calc_core.tasks" in graph["calc_core.worker"]  # a function-level import counts
    assert len(graph) > 40


def test_the_cycle_finder_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_in_the_apps_packages():
    assert find_cycle(import_graph()) is None


def test_imports_go_downward_only():
    layer = {package: index for index, package in enumerate(LAYERS)}
    upward = [
        (source, target)
        for source, targets in import_graph().items()
        for target in targets
        if layer[target.split(".")[0]] < layer[source.split(".")[0]]
    ]
    assert upward == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_private_name_is_imported_across_modules(package):
    modules = source_modules()
    private = [
        f"{name}:{line} imports {target}.{taken}"
        for name, path in modules.items()
        if name.startswith(package)
        for target, names, line in imports_of(path, name, modules)
        for taken in names
        if taken.startswith("_") and target != name
    ]
    assert private == []
