"""Dependencies are honest: what pyproject.toml declares is what src/ptst imports, and every pin satisfies its floor.

* every third-party top-level module imported anywhere under ``src/ptst`` (module level or inside a function) comes
  from a declared dependency, or from an optional extra, and then it is imported lazily (inside a function only);
* every declared dependency is imported somewhere, unless :data:`NOT_IMPORTED` says why ptst needs it anyway;
* every declared dependency has a floor and is pinned in ``requirements/constraints.txt`` (torch excepted: the
  setup script chooses its build), and the pin satisfies the floor.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "ptst"

#: declared but never imported by ptst, and why it is needed all the same (also said in pyproject.toml)
NOT_IMPORTED = {"gguf": "transformers reads the default model's GGUF file through it (ptst.models.convert_gguf)"}
#: chosen by scripts/setup.sh (CPU or the user's CUDA build), so not pinned in the constraints
UNPINNED = {"torch"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement(spec: str) -> tuple[str, str | None]:
    m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:>=\s*([0-9][^,;\s]*))?", spec)
    assert m, spec
    return _norm(m.group(1)), m.group(2)


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _declared() -> tuple[dict[str, str | None], dict[str, str | None]]:
    proj = _project()
    core = dict(_requirement(s) for s in proj["dependencies"])
    optional = {}
    for extra, specs in proj.get("optional-dependencies", {}).items():
        if extra != "dev":
            optional.update(_requirement(s) for s in specs)
    return core, optional


def _imports() -> dict[str, list[tuple[str, bool]]]:
    """Top-level third-party module -> [(file:line, imported at module level)]."""
    std = set(sys.stdlib_module_names) | {"__future__", "ptst"}
    out: dict[str, list[tuple[str, bool]]] = {}
    for f in sorted(SRC.rglob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"), str(f))
        top_level = {id(n) for n in tree.body}
        top_level |= {id(n) for t in tree.body if isinstance(t, (ast.Try, ast.If)) for n in ast.walk(t)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in std:
                    where = f"{f.relative_to(REPO)}:{node.lineno}"
                    out.setdefault(top, []).append((where, id(node) in top_level))
    return out


def _distributions(module: str) -> set[str]:
    """The distributions that provide a top-level module (the module's own name when it is not installed)."""
    return {_norm(d) for d in packages_distributions().get(module, [])} or {_norm(module)}


def test_every_import_is_declared_and_optional_ones_are_lazy():
    core, optional = _declared()
    problems = []
    for module, sites in sorted(_imports().items()):
        dists = _distributions(module)
        if dists & set(core):
            continue
        if dists & set(optional):
            eager = [w for w, at_top in sites if at_top]
            if eager:
                problems.append(f"{module} is an optional extra but imported at module level: {eager[0]}")
            continue
        problems.append(f"{module} (distribution {'/'.join(sorted(dists))}) is imported at {sites[0][0]} but not "
                        "declared in pyproject.toml")
    assert not problems, "\n".join(problems)


def test_every_declared_dependency_is_imported():
    core, optional = _declared()
    provided = {d for m in _imports() for d in _distributions(m)}
    unused = [d for d in sorted({**core, **optional}) if d not in provided and d not in NOT_IMPORTED]
    assert not unused, f"declared but imported nowhere under src/ptst: {unused} (drop them, or say in NOT_IMPORTED why)"
    assert set(NOT_IMPORTED) <= set(core)


def test_every_dependency_has_a_floor_that_its_pin_satisfies():
    from packaging.version import Version

    core, _ = _declared()
    pins = {}
    for line in (REPO / "requirements" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line.strip())
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    for dist, floor in core.items():
        assert floor, f"{dist}: no version floor in pyproject.toml"
        if dist in UNPINNED:
            continue
        assert dist in pins, f"{dist} is declared but not pinned in requirements/constraints.txt"
        assert Version(pins[dist]) >= Version(floor), f"{dist}: pinned {pins[dist]} is below the floor {floor}"


def test_the_checker_sees_function_local_and_module_level_imports():
    imports = _imports()
    assert any(w.startswith("src/ptst/cli/main.py") and at_top for w, at_top in imports["typer"])
    assert any(not at_top for _, at_top in imports["torch"])  # imported inside functions on the light paths
    assert _distributions("yaml") == {"pyyaml"}
