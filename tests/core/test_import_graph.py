"""The modules of coordinator/ import each other without a cycle.

The graph is built from the source (every ``import`` and ``from ... import``,
also those inside functions, which are often a cycle in disguise), so a new
module that imports back into one that imports it fails here.
"""
import ast
from pathlib import Path

import coordinator

PACKAGE_DIR = Path(coordinator.__file__).parent


def _module_name(path):
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(module, node, is_package, known):
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
    return {name for name in names if name in known}


def import_graph():
    paths = {_module_name(p): p for p in PACKAGE_DIR.rglob("*.py")}
    graph = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                deps |= _targets(module, node, path.name == "__init__.py", paths)
        # A package's own __init__ is where its modules live: not an edge.
        graph[module] = {d for d in deps if d != module and not module.startswith(d + ".")}
    return graph


def find_cycle(graph):
    """One cycle as a list of modules, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                return stack[stack.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_sees_the_packages_modules():
    graph = import_graph()
    assert "coordinator.consultations.services" in graph
    assert "coordinator.audit.services" in graph["coordinator.consultations.services"]


def test_find_cycle_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_coordinator():
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle)
