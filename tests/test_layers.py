"""The house's rules, read from the source: every import (lazy ones inside functions and `if TYPE_CHECKING:` ones
included) points down the layers, no module imports itself round a cycle, the MCP SDK is imported only by the
protocol and HTTP layers, and neither tools/ nor the sandbox imports anything else of server/."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "make_mcp"
# The layers of server/, lowest first: a module may import its own layer and those before it, never one after.
LAYERS = (
    "errors",
    "support",
    "make_api",
    "engine",
    "builder",
    "scenario_tools",
    "protocol",
    "http",
    "runtime",
    "cli",
)
SDK_PACKAGES = ("mcp", "mcp_types")
SDK_LAYERS = ("protocol", "http")
# Sealed off: they import nothing of server/ outside themselves (anything may import them).
SEALED = ("tools", "server.sandbox")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (the deepest one that is a module of ours), or an outside package
    where: str  # file:line


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def our_modules() -> dict[str, Path]:
    files = [*(ROOT / "server").rglob("*.py"), *(ROOT / "tools").rglob("*.py")]
    return {module_name(path): path for path in files if "recorded" not in path.parts}


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if is_package(path) else name.rpartition(".")[0]
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, ours(alias.name, modules), where)
        elif isinstance(node, ast.ImportFrom):
            base = absolute(node, package)
            for alias in node.names:
                dotted = f"{base}.{alias.name}"
                yield Import(name, ours(dotted if our(dotted) in modules else base, modules), where)


def absolute(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{PACKAGE}.{base}.{node.module}" if node.module else f"{PACKAGE}.{base}"


def our(dotted: str) -> str:
    """`make_mcp.server.errors` -> `server.errors`; anything else unchanged."""
    return dotted.removeprefix(f"{PACKAGE}.") if dotted.startswith(f"{PACKAGE}.") else dotted


def ours(dotted: str, modules: dict[str, Path]) -> str:
    """The deepest module of ours the dotted name reaches, else the name as it is (an outside package)."""
    name = our(dotted)
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in modules:
            return ".".join(parts[:end])
    return name


@cache
def all_imports() -> tuple[Import, ...]:
    modules = our_modules()
    return tuple(found for name, path in modules.items() for found in imports_of(name, path, modules))


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "server" and len(parts) > 1 and parts[1] in LAYERS else None


def sealed_in(module: str) -> str | None:
    return next((seal for seal in SEALED if module == seal or module.startswith(f"{seal}.")), None)


def test_every_module_of_server_is_in_a_layer_or_the_sandbox() -> None:
    loose = [
        name
        for name in our_modules()
        if name.startswith("server.") and layer_of(name) is None and sealed_in(name) is None
    ]
    assert loose == [], f"modules outside every layer (add them to a layer package): {loose}"


def test_imports_point_down_the_layers_only() -> None:
    upward = []
    for found in all_imports():
        source, target = layer_of(found.source), layer_of(found.target)
        if source is not None and target is not None and LAYERS.index(target) > LAYERS.index(source):
            upward.append(f"{found.where}: {found.source} ({source}) imports {found.target} ({target})")
    assert upward == [], "imports pointing up the layers:\n" + "\n".join(upward)


def test_the_mcp_sdk_is_imported_only_by_the_protocol_and_http_layers() -> None:
    outside = [
        f"{found.where}: {found.source} imports {found.target}"
        for found in all_imports()
        if found.target.split(".")[0] in SDK_PACKAGES and layer_of(found.source) not in SDK_LAYERS
    ]
    assert outside == [], "the MCP SDK imported outside server/protocol and server/http:\n" + "\n".join(outside)


def test_tools_and_the_sandbox_import_nothing_else_of_server() -> None:
    crossing = [
        f"{found.where}: {found.source} imports {found.target}"
        for found in all_imports()
        if sealed_in(found.source) is not None
        and found.target.split(".")[0] == "server"
        and sealed_in(found.target) != sealed_in(found.source)
    ]
    assert crossing == [], "tools/ or server/sandbox/ reaching into the rest of server/:\n" + "\n".join(crossing)


def test_our_code_is_imported_through_the_make_mcp_namespace_everywhere() -> None:
    # An installed make-mcp has no top-level `server` or `tools` (see pyproject.toml): a bare import works only
    # in a checkout.
    files = [path for folder in ("server", "tools", "tests", "scripts") for path in (ROOT / folder).rglob("*.py")]
    bare = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in files
        if "recorded" not in path.parts and "editable" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for name in _imported_names(node)
        if name.split(".")[0] in ("server", "tools")
    ]
    assert bare == [], "imports of `server` / `tools` outside the make_mcp namespace:\n" + "\n".join(bare)


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        return [node.module or ""]
    return []


def test_no_module_imports_itself_round_a_cycle() -> None:
    graph: dict[str, dict[str, str]] = {}
    for found in all_imports():
        if found.target != found.source and found.target in our_modules():
            graph.setdefault(found.source, {}).setdefault(found.target, found.where)
    cycles = [" -> ".join(cycle) for cycle in _cycles(graph)]
    assert cycles == [], "import cycles (each edge's first import is named):\n" + "\n".join(cycles)


def _cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module, as `where` steps."""
    found: list[list[str]] = []
    for component in _components(graph):
        if len(component) < 2:
            continue
        start = min(component)
        path, seen = [start], {start}
        while True:
            here = path[-1]
            step = next(t for t in sorted(graph.get(here, {})) if t in component and (t not in seen or t == start))
            if step == start or step in seen:
                break
            path.append(step)
            seen.add(step)
        found.append([f"{graph[a][b]} ({a} imports {b})" for a, b in zip(path, [*path[1:], start], strict=True)])
    return found


def _components(graph: dict[str, dict[str, str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, {}))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, {})))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components
