"""How the packages stand on each other (STYLE.md "Which way the arrows run"): no module imports
another that imports it back, however indirectly, and the JSON API reaches the features through
their queries, policies and operations, never through an HTML view.

Read from the source with ``ast``: imports inside functions count too, since a deferred import
that dodges a cycle is still a cycle.

In tests/ no module imports from a test module (``tests.test_*``, ``tests.e2e.test_*``): what
several share lives in tests/helpers/ (plain functions) or tests/conftest.py (fixtures), so that
a test module can be renamed, split or deleted without breaking another.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _modules() -> dict[str, Path]:
    modules = {}
    for path in (ROOT / "tracker").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


MODULES = _modules()


def imports_of(name: str) -> set[str]:
    """The tracker modules ``name`` imports (at the top or inside a function)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in MODULES}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    # A feature's package registers its own modules in init_app: not a dependency on them.
    return {module for module in found
            if module in MODULES and not module.startswith(name + ".") and module != name}


def cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    graph = {name: imports_of(name) for name in MODULES}
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in graph:
        if name not in index:
            visit(name)
    return groups


def test_no_import_cycle():
    assert cycles() == []


def test_the_check_sees_a_cycle_hidden_in_a_function(tmp_path, monkeypatch):
    """The check itself: two modules that import each other, one inside a function."""
    (tmp_path / "a.py").write_text("from tracker.b import f\n")
    (tmp_path / "b.py").write_text("def f():\n    from tracker.a import g\n")
    monkeypatch.setitem(MODULES, "tracker.a", tmp_path / "a.py")
    monkeypatch.setitem(MODULES, "tracker.b", tmp_path / "b.py")
    assert ["tracker.a", "tracker.b"] in cycles()


def _is_view(module: str) -> bool:
    last = module.rpartition(".")[2]
    return last == "views" or last.endswith("_views")


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("tracker.api")))
def test_the_api_imports_no_html_view_of_another_feature(name):
    # The token pages on the password page are the API feature's own (tracker.api.token_views).
    borrowed = {m for m in imports_of(name) if _is_view(m) and not m.startswith("tracker.api.")}
    assert not borrowed, f"{name} imports {sorted(borrowed)}"


# --- tests/: no module imports a test module --------------------------------------------------

def _is_test_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "tests" and parts[-1].startswith("test_") \
        and ROOT.joinpath(*parts).with_suffix(".py").is_file()


def imported_test_modules(source: str, package: str) -> set[str]:
    """The test modules that ``source``, a module of ``package``, imports (at the top or inside
    a function): ``from tests.test_x import …``, ``import tests.test_x``, ``from tests import
    test_x`` and their relative spellings."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if _is_test_module(name)}


def test_no_module_under_tests_imports_a_test_module():
    borrowed = {}
    for path in sorted((ROOT / "tests").rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).parts[:-1])
        imported = imported_test_modules(path.read_text(encoding="utf-8"), package)
        if imported:
            borrowed[str(path.relative_to(ROOT))] = sorted(imported)
    assert not borrowed, "move what these share into tests/helpers/ (functions) or " \
                         f"tests/conftest.py (fixtures): {borrowed}"


@pytest.mark.parametrize("source", [
    "from tests.test_admin import add_unit\n",
    "import tests.test_admin\n",
    "import tests.test_admin as admin\n",
    "from tests import test_admin\n",
    "from .test_admin import add_unit\n",
    "from . import test_admin\n",
    "def helper():\n    from tests.test_admin import add_unit\n",
], ids=["from-import", "import", "import-as", "from-package", "relative", "relative-package",
        "inside-a-function"])
def test_the_check_sees_a_test_module_imported(source):
    """The check itself: every spelling, at the top or hidden in a function."""
    assert imported_test_modules(source, "tests") == {"tests.test_admin"}


def test_the_check_lets_helpers_and_fixtures_be_imported():
    source = ("from tests.conftest import shown\nfrom tests.helpers.places import party\n"
              "import tests.factories\nfrom tests import vote_factories\n"
              "from tests.matrix import TO_LOGIN\n")
    assert imported_test_modules(source, "tests") == set()
