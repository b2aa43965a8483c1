"""How the packages stand on each other (STYLE.md "Which way the arrows run"): no module imports
another that imports it back, however indirectly, and the JSON API reaches the features through
their queries, policies and operations, never through an HTML view.

Read from the source with ``ast``: imports inside functions count too, since a deferred import
that dodges a cycle is still a cycle.
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
