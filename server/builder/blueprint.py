"""A blueprint read once: its modules in the order they run, each with the modules that run before it on its path.

`read_blueprint` takes an object or JSON text and refuses, with one clear `BlueprintUnreadable`, what cannot be
checked within a call: text that is not JSON, too many modules, nesting too deep, values too long. `walk` places
every module: the main flow, each router route, each if-else branch, each error handler, with the IDs of the
modules whose output it may read (`before`). After an aggregator, the modules it aggregated are out of reach.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from make_mcp.server.errors import MakeMcpError

MAX_MODULES = 2000  # far beyond any scenario Make's editor can hold; a blueprint with more is refused at once
MAX_DEPTH = 40  # routes within routes, and JSON nesting of any value (x 4)
MAX_TEXT_CHARS = 5_000_000  # the blueprint as JSON text
MAX_VALUE_CHARS = 100_000  # one string value in a blueprint

ROUTER = "builtin:BasicRouter"
IF_ELSE = "builtin:BasicIfElse"
MERGE = "builtin:BasicMerge"


class BlueprintUnreadable(MakeMcpError):
    """The blueprint cannot be checked at all: the message says why and what to do; nothing was sent."""


@dataclass(frozen=True)
class Placed:
    module: dict[str, Any]
    id: int | None
    name: str  # "app:Module", "" when missing
    path: str  # where it is in the blueprint: flow[1].routes[0].flow[0]
    before: tuple[int, ...]  # IDs of the modules that run before it on its path, nearest last
    parent: int | None  # the router, if-else or failing module it hangs under
    role: str  # flow, route, branch, onerror
    first_of_route: bool = False

    @property
    def app(self) -> str:
        return self.name.split(":", 1)[0]

    @property
    def module_name(self) -> str:
        return self.name.split(":", 1)[1] if ":" in self.name else ""


def read_blueprint(value: Any) -> dict[str, Any]:
    """The blueprint object; BlueprintUnreadable for text that is not a JSON object or exceeds the limits."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise BlueprintUnreadable(f"The blueprint is longer than {MAX_TEXT_CHARS:,} characters; nothing was sent.")
        try:
            value = json.loads(value)
        except (ValueError, RecursionError) as error:
            where = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
            raise BlueprintUnreadable(f"The blueprint is not valid JSON{where}; send an object or JSON text.") from None
    if isinstance(value, dict) and isinstance(value.get("blueprint"), dict) and "flow" not in value:
        value = value["blueprint"]  # a template's or an export's wrapper
    if not isinstance(value, dict):
        raise BlueprintUnreadable("The blueprint must be a JSON object with a flow (a list of modules).")
    _check_size(value)
    return value


def _check_size(blueprint: dict[str, Any]) -> None:
    """Iterative, so no input can exhaust the stack; stops at the first limit passed."""
    stack: list[tuple[Any, int]] = [(blueprint, 0)]
    modules = 0
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH * 4:
            raise BlueprintUnreadable(f"The blueprint nests deeper than {MAX_DEPTH * 4} levels; flatten it.")
        if isinstance(value, str):
            if len(value) > MAX_VALUE_CHARS:
                raise BlueprintUnreadable(
                    f"A value of the blueprint is longer than {MAX_VALUE_CHARS:,} characters ({value[:40]!r}...); "
                    "Make's fields hold far less: shorten it or load it at run time."
                )
        elif isinstance(value, dict):
            if isinstance(value.get("module"), str) and "id" in value:
                modules += 1
                if modules > MAX_MODULES:
                    raise BlueprintUnreadable(f"The blueprint has more than {MAX_MODULES:,} modules; split it.")
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)


def walk(blueprint: dict[str, Any]) -> list[Placed]:
    """Every module of the blueprint in the order it appears, placed on its path."""
    flow = blueprint.get("flow")
    return list(_walk_flow(flow if isinstance(flow, list) else [], "flow", (), None, "flow", 0))


def _walk_flow(
    flow: list[Any], path: str, before: tuple[int, ...], parent: int | None, role: str, depth: int
) -> Iterator[Placed]:
    if depth > MAX_DEPTH:
        raise BlueprintUnreadable(f"Routes nest deeper than {MAX_DEPTH} levels; flatten the scenario.")
    reach = list(before)
    for index, module in enumerate(flow):
        where = f"{path}[{index}]"
        if not isinstance(module, dict):
            yield Placed({}, None, "", where, tuple(reach), parent, role, index == 0)
            continue
        module_id = module.get("id") if isinstance(module.get("id"), int) else None
        stated = module.get("module")
        name = stated if isinstance(stated, str) else ""
        yield Placed(module, module_id, name, where, tuple(reach), parent, role, index == 0 and role != "flow")
        yield from _walk_children(module, where, (*reach, *([module_id] if module_id is not None else [])), depth)
        reach = _after(module, module_id, reach)


def _walk_children(module: dict[str, Any], where: str, reach: tuple[int, ...], depth: int) -> Iterator[Placed]:
    module_id = module.get("id") if isinstance(module.get("id"), int) else None
    for key, role in (("routes", "route"), ("branches", "branch")):
        for number, route in enumerate(_list(module.get(key))):
            inner = route.get("flow") if isinstance(route, dict) else None
            yield from _walk_flow(_list(inner), f"{where}.{key}[{number}].flow", reach, module_id, role, depth + 1)
    onerror = module.get("onerror")
    if isinstance(onerror, list):
        yield from _walk_flow(onerror, f"{where}.onerror", reach, module_id, "onerror", depth + 1)


def _after(module: dict[str, Any], module_id: int | None, reach: list[int]) -> list[int]:
    """What the next module of the same flow may read: an aggregator closes its feeder's loop."""
    reach = [*reach, *([module_id] if module_id is not None else [])]
    parameters = module.get("parameters")
    feeder = parameters.get("feeder") if isinstance(parameters, dict) else None
    if isinstance(feeder, int) and feeder in reach:
        start = reach.index(feeder)
        return [*reach[:start], *([module_id] if module_id is not None else [])]
    if module.get("module") == IF_ELSE:  # what the branches produced is read after the merge
        for branch in _list(module.get("branches")):
            inner = branch.get("flow") if isinstance(branch, dict) else None
            reach.extend(m["id"] for m in _list(inner) if isinstance(m, dict) and isinstance(m.get("id"), int))
    return reach


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def split_module(name: str) -> tuple[str, str] | None:
    """("google-sheets", "addRow") of "google-sheets:addRow"; None when it is not of that form."""
    app, _, module = name.partition(":")
    return (app, module) if app and module else None
