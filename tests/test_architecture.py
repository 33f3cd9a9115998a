"""The shape of the package: imports point one way.

Every ``import`` in ``src/ptst`` (module-level and function-local alike) is parsed. The test fails on an import
cycle among ptst's modules, and on an upward import: the lower layers (templates, data, judges, generate, train,
metrics, ...) never import ``ptst.study``, ``ptst.report``, ``ptst.bench`` or ``ptst.cli``; ``study`` never imports
``report``, ``bench`` or ``cli``; ``report`` never imports ``bench`` or ``cli``; nothing imports ``cli`` but ``cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Upper layers, highest first; every other ptst module is a lower layer (rank 0).
LAYERS = {"ptst.cli": 4, "ptst.bench": 3, "ptst.report": 2, "ptst.study": 1}
# The entry point sits above everything (it only starts the CLI). The package root itself is a lower module: it
# holds ``__version__`` and re-exports ``PtstError``.
ROOTS = {"ptst.__main__"}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def _imports(name: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """The ptst modules ``name`` imports anywhere in its source (submodule when one is named, else the package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # Imports only a type checker runs (``if TYPE_CHECKING:``) are not imports at run time.
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = [ast.Pass()]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = []
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append(sub if sub in mods else module)
        else:
            continue
        for target in targets:
            # `import ptst.a.b` names the deepest existing module.
            while target and target not in mods:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("ptst"):
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, mods) for name, path in mods.items()}


def _rank(module: str) -> int:
    if module in ROOTS:
        return 99
    for prefix, rank in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return 0


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles among ptst modules: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_upward_imports():
    upward = []
    for module, targets in sorted(_graph().items()):
        for target in sorted(targets):
            if target in ROOTS:
                if module not in ROOTS and _rank(module) < LAYERS["ptst.cli"]:
                    upward.append(f"{module} -> {target}")
            elif _rank(target) > _rank(module):
                upward.append(f"{module} -> {target}")
    assert not upward, "imports that point upward: " + ", ".join(upward)


def test_the_checker_sees_cycles_and_upward_imports():
    """The checks above are only worth something if they can fail."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    assert _rank("ptst.data.sources") < _rank("ptst.study.plan") < _rank("ptst.report.render") < _rank("ptst.cli.main")
    graph = _graph()
    # Function-local imports count: the CLI's verbs import the study lazily, and the parser still sees it.
    assert any(t.startswith("ptst.study") for t in graph["ptst.cli.run_cmd"])
    assert "ptst.errors" in graph["ptst.study.spec"]
