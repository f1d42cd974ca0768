"""A blueprint's structure: Make's blueprint JSON Schema, then our rules (IDs, routers and routes, if-else and
merge, error handlers, aggregator feeders, filters, designer metadata). Needs no manifest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from make_mcp.server.builder.blueprint import IF_ELSE, MERGE, ROUTER, Placed
from make_mcp.server.builder.findings import Finding

MAX_SCHEMA_FINDINGS = 20
# Modules that only make sense as error handlers (Make's directives).
DIRECTIVES = frozenset({"builtin:Break", "builtin:Resume", "builtin:Ignore", "builtin:Rollback", "builtin:Commit"})
FILTER_OPERATORS_WITHOUT_B = frozenset({"exist", "notexist"})


def schema_findings(blueprint: dict[str, Any], schema: dict[str, Any] | None) -> list[Finding]:
    """What Make's blueprint schema refuses, at most MAX_SCHEMA_FINDINGS, nearest the root first."""
    if not schema:
        return []
    import jsonschema  # on the first check, not at start-up

    try:
        validator = jsonschema.Draft7Validator(schema)
        errors = sorted(validator.iter_errors(blueprint), key=lambda e: (len(e.absolute_path), list(map(str, e.path))))
    except (jsonschema.SchemaError, RecursionError):
        return [Finding("warning", None, "", "Make's blueprint schema could not be read; structure not checked.", "")]
    findings = []
    for error in errors[:MAX_SCHEMA_FINDINGS]:
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path).lstrip(".")
        module_id = _module_id_at(blueprint, list(error.absolute_path))
        message = f"Make's blueprint schema: {error.message[:300]}"
        findings.append(Finding("error", module_id, path, message, "Give the value the schema asks for."))
    return findings


def _module_id_at(blueprint: dict[str, Any], path: list[Any]) -> int | None:
    node: Any = blueprint
    found = None
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), int) and "module" in node:
            found = node["id"]
    return found


def structure_findings(blueprint: dict[str, Any], placed: list[Placed]) -> list[Finding]:
    findings: list[Finding] = []
    if not isinstance(blueprint.get("flow"), list) or not blueprint["flow"]:
        findings.append(Finding("error", None, "flow", "The blueprint has no flow (a list of modules).", "Add flow."))
    findings.extend(_ids(placed))
    by_path = {item.path: item for item in placed}
    for item in placed:
        findings.extend(_module_shape(item))
        findings.extend(_routes(item))
        findings.extend(_if_else(item, by_path))
        findings.extend(_feeder(item))
        findings.extend(_filter(item))
        findings.extend(_designer(item))
    return findings


def _ids(placed: list[Placed]) -> Iterator[Finding]:
    seen: set[int] = set()
    for item in placed:
        raw = item.module.get("id")
        if item.id is None or item.id < 1 or isinstance(raw, bool):
            yield Finding(
                "error",
                None,
                f"{item.path}.id",
                f"Module ID {raw!r} is not a positive integer.",
                "Give each module a unique positive integer id.",
            )
        elif item.id in seen:
            yield Finding(
                "error",
                item.id,
                f"{item.path}.id",
                f"Module ID {item.id} is used twice.",
                "Give this module an ID no other module has, and update the {{id.field}} references to it.",
            )
        else:
            seen.add(item.id)


def _module_shape(item: Placed) -> Iterator[Finding]:
    if not item.module:
        yield Finding("error", None, item.path, "A flow item is not a module object.", "Remove it.")
        return
    if ":" not in item.name:
        yield Finding(
            "error",
            item.id,
            f"{item.path}.module",
            f"Module name {item.name!r} is not app:Module.",
            "Use the name app-modules_list gives, e.g. google-sheets:addRow.",
        )
    version = item.module.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        yield Finding(
            "error",
            item.id,
            f"{item.path}.version",
            f"Version {version!r} is not the app's major version.",
            "Set version to the app version app-modules_list was read with (e.g. 2).",
        )
    for key in ("parameters", "mapper"):
        if item.module.get(key) is not None and not isinstance(item.module[key], dict):
            yield Finding("error", item.id, f"{item.path}.{key}", f"{key} must be an object.", f"Make {key} an object.")
    if item.name in DIRECTIVES and item.role != "onerror":
        yield Finding(
            "error",
            item.id,
            item.path,
            f"{item.name} is an error handler directive outside onerror.",
            "Move it into the onerror list of the module whose errors it handles.",
        )
    if "onerror" in item.module and not isinstance(item.module["onerror"], list):
        yield Finding("error", item.id, f"{item.path}.onerror", "onerror must be a list of modules.", "Make it a list.")


def _routes(item: Placed) -> Iterator[Finding]:
    routes = item.module.get("routes")
    if item.name == ROUTER:
        if not isinstance(routes, list) or not routes:
            yield Finding(
                "error",
                item.id,
                f"{item.path}.routes",
                "The router has no routes.",
                'Give it routes: [{"flow": [...]}, ...], one per branch.',
            )
            return
        for number, route in enumerate(routes):
            where = f"{item.path}.routes[{number}]"
            if not isinstance(route, dict) or not isinstance(route.get("flow"), list):
                yield Finding("error", item.id, where, "A route must be an object with a flow list.", "Add flow.")
            elif not route["flow"]:
                yield Finding("warning", item.id, where, "This route has no modules.", "Add modules or remove it.")
            if isinstance(route, dict) and ("filter" in route or "conditions" in route):
                yield Finding(
                    "error",
                    item.id,
                    f"{where}.filter",
                    "A filter on the route itself is ignored by Make.",
                    "Put the filter on the first module of the route's flow.",
                )
    elif routes is not None:
        yield Finding(
            "error",
            item.id,
            f"{item.path}.routes",
            f"{item.name} is not a router but has routes.",
            "Put a builtin:BasicRouter before the routes.",
        )
    if item.name in (ROUTER, IF_ELSE) and item.module.get("mapper"):
        yield Finding("warning", item.id, f"{item.path}.mapper", f"{item.name} takes no mapper.", "Remove it.")


def _if_else(item: Placed, by_path: dict[str, Placed]) -> Iterator[Finding]:
    following = by_path.get(_sibling(item.path, +1))
    if item.name == IF_ELSE:
        branches = item.module.get("branches")
        if not isinstance(branches, list) or len(branches) < 2:
            yield Finding(
                "error",
                item.id,
                f"{item.path}.branches",
                "An if-else needs at least two branches.",
                'Give it branches: [{"flow": [...]}, ...]; the last one is the else branch.',
            )
        if following is not None and following.name != MERGE:
            yield Finding(
                "error",
                item.id,
                item.path,
                "Modules follow the if-else without a merge.",
                "Put a builtin:BasicMerge right after the if-else.",
            )
    if item.name == MERGE:
        preceding = by_path.get(_sibling(item.path, -1))
        if preceding is None or preceding.name != IF_ELSE:
            yield Finding(
                "error",
                item.id,
                item.path,
                "A merge must follow an if-else in the same flow.",
                "Put the merge right after its builtin:BasicIfElse, or remove it.",
            )
    elif item.module.get("branches") is not None and item.name != IF_ELSE:
        yield Finding(
            "error",
            item.id,
            f"{item.path}.branches",
            f"{item.name} is not an if-else but has branches.",
            "Use builtin:BasicIfElse for branches.",
        )
    if following is not None and item.name == ROUTER:
        yield Finding(
            "error",
            following.id,
            following.path,
            "A module follows a router in the same flow.",
            "Move it into one of the router's routes.",
        )


def _sibling(path: str, step: int) -> str:
    """The path of the module `step` places after (or before) this one in the same flow."""
    flow, _, index = path.rpartition("[")
    return f"{flow}[{int(index.rstrip(']')) + step}]"


def _feeder(item: Placed) -> Iterator[Finding]:
    parameters = item.module.get("parameters")
    feeder = parameters.get("feeder") if isinstance(parameters, dict) else None
    aggregates = "Aggregat" in item.module_name
    if feeder is None:
        if aggregates:
            yield Finding(
                "error",
                item.id,
                f"{item.path}.parameters.feeder",
                "The aggregator names no source module.",
                "Set parameters.feeder to the ID of the iterator or search whose bundles it collects.",
            )
        return
    if not isinstance(feeder, int) or isinstance(feeder, bool) or feeder not in item.before:
        yield Finding(
            "error",
            item.id,
            f"{item.path}.parameters.feeder",
            f"The feeder {feeder!r} is not a module that runs before this one on its path.",
            "Set feeder to the ID of the iterator or search before the aggregator.",
        )


def _filter(item: Placed) -> Iterator[Finding]:
    value = item.module.get("filter")
    if value is None:
        return
    where = f"{item.path}.filter"
    if item.path == "flow[0]":
        yield Finding(
            "error",
            item.id,
            where,
            "The first module has no link before it to filter.",
            "Remove the filter, or put it on the module after the trigger.",
        )
    conditions = value.get("conditions") if isinstance(value, dict) else None
    if not isinstance(conditions, list) or not all(isinstance(group, list) for group in conditions):
        yield Finding(
            "error",
            item.id,
            where,
            "A filter needs conditions: a list of AND groups (lists).",
            'Write {"name": "...", "conditions": [[{"a": "{{1.x}}", "o": "text:equal", "b": "y"}]]}.',
        )
        return
    for g, group in enumerate(conditions):
        for c, condition in enumerate(group):
            at = f"{where}.conditions[{g}][{c}]"
            operator = condition.get("o") if isinstance(condition, dict) else None
            if not isinstance(operator, str) or not (":" in operator or operator in FILTER_OPERATORS_WITHOUT_B):
                yield Finding(
                    "error",
                    item.id,
                    at,
                    f"Condition operator {operator!r} is not one of Make's.",
                    "Use e.g. text:equal, text:contain, number:greater, date:before, exist, notexist.",
                )
            elif "a" not in condition:
                yield Finding("error", item.id, at, "The condition has no operand a.", "Set a, e.g. {{1.status}}.")


def _designer(item: Placed) -> Iterator[Finding]:
    metadata = item.module.get("metadata")
    designer = metadata.get("designer") if isinstance(metadata, dict) else None
    if designer is None:
        return
    if not isinstance(designer, dict) or any(
        not isinstance(designer.get(axis), int | float) or isinstance(designer.get(axis), bool) for axis in ("x", "y")
    ):
        yield Finding(
            "error",
            item.id,
            f"{item.path}.metadata.designer",
            "designer must hold numbers x and y.",
            'Write {"x": 300, "y": 0}, or leave metadata.designer out.',
        )
