"""The apps import one another one way: ``newsroom/`` knows no app, and no app or module imports itself
back through another. Read from the source (``ast``), so an import inside a function counts too."""

import ast
import importlib.util
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("newsroom", "media", "articles", "accounts", "audit", "interchange", "jobs")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    return {_module_name(path): path for app in APPS for path in (ROOT / app).rglob("*.py")}


def _imports(path: Path, modules: dict[str, Path], *, top_level_only: bool) -> set[str]:
    """The project's modules ``path`` imports (``from a import b`` names a.b when b is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}
    return {imported for imported in found if imported in modules and imported != name}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle in ``graph`` as the path around it, or [] when there is none."""
    state, path = {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for following in sorted(graph.get(node, ())):
            if state.get(following) == "open":
                return path[path.index(following) :] + [following]
            if following not in state and (found := visit(following)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def _app_graph() -> dict[str, set[str]]:
    modules = _sources()
    graph = {app: set() for app in APPS}
    for name, path in modules.items():
        if ".migrations." in name:
            continue  # a migration names other apps' migrations, not their code
        app = name.split(".")[0]
        graph[app] |= {imported.split(".")[0] for imported in _imports(path, modules, top_level_only=False)} - {app}
    return graph


def test_the_cycle_finder_finds_a_cycle_and_passes_a_layered_graph():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_newsroom_imports_no_app():
    assert _app_graph()["newsroom"] == set()


def test_media_does_not_import_articles():
    assert "articles" not in _app_graph()["media"]


def test_no_app_imports_itself_back_through_another():
    assert _cycle(_app_graph()) == []


def test_no_module_imports_itself_back_when_it_is_loaded():
    modules = _sources()
    graph = {name: _imports(path, modules, top_level_only=True) for name, path in modules.items()}
    assert _cycle(graph) == []
