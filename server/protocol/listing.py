"""How the selected tools are advertised: their tools/list definitions, in the order and mode chosen."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import mcp_types as types

from make_mcp import tools
from make_mcp.server.engine.confirmation import CONFIRMATION_FIELD
from make_mcp.server.engine.discovery import DISCOVERY_TOOLS
from make_mcp.server.engine.operations import input_schema
from make_mcp.server.engine.selection import Catalogue, required_scopes
from make_mcp.server.engine.shaping import COLS
from make_mcp.server.protocol.icons import server_icons, toolset_icons
from make_mcp.tools.builder import SKIP_VALIDATION
from make_mcp.tools.catalogue import Operation, TrimmedFields
from make_mcp.tools.conventions import CORE_MAX_TOOLS, CORE_SCENARIO_TOOLS_BYTES
from make_mcp.tools.registry import CORE_TOOLS
from make_mcp.tools.result_fields import ALL_FIELDS

INPUT_SCHEMAS_PATH = Path(tools.__file__).with_name("input_schemas.json")


@cache
def _shipped_input_schemas() -> dict[str, dict[str, Any]]:
    """`input_schema(model)` of every tool, written by scripts/snapshot_tools.py: reading it beats building 380."""
    return json.loads(INPUT_SCHEMAS_PATH.read_text(encoding="utf-8"))


def listing(catalogue: Catalogue, *, mode: str, confirm: bool) -> types.ListToolsResult:
    """tools/list of a catalogue, most useful first.

    full: every tool, the caller's own first, then the everyday CORE_TOOLS, then the others. discovery: the
    caller's own tools and the three tools that reach the others. core (the default): at most CORE_MAX_TOOLS,
    those of its own that fit, the everyday CORE_TOOLS the catalogue holds, then the three discovery tools, which
    reach every other tool of the catalogue.
    """
    everyday = [catalogue.by_name[name] for name in CORE_TOOLS if name in catalogue.by_name]
    if mode == "full":
        firsts = {op.name for op in (*catalogue.own, *everyday)}
        ordered = [*catalogue.own, *everyday, *(op for op in catalogue.operations if op.name not in firsts)]
        return types.ListToolsResult(tools=[tool_definition(op, confirm=confirm) for op in ordered])
    if mode == "discovery":
        own = [tool_definition(op, confirm=confirm) for op in catalogue.own]
        return types.ListToolsResult(tools=[*own, *discovery_tool_definitions()])
    places = CORE_MAX_TOOLS - len(CORE_TOOLS) - len(DISCOVERY_TOOLS)
    own = _own_that_fit(catalogue.own, places=places, confirm=confirm)
    core = [tool_definition(op, confirm=confirm) for op in everyday]
    return types.ListToolsResult(tools=[*own, *core, *discovery_tool_definitions()])


def _own_that_fit(operations: tuple[Operation, ...], *, places: int, confirm: bool) -> list[types.Tool]:
    """The first of a caller's own tools, in their order, within `places` and CORE_SCENARIO_TOOLS_BYTES."""
    listed: list[types.Tool] = []
    size = 0
    for operation in operations[:places]:
        tool = tool_definition(operation, confirm=confirm)
        size += len(model_visible_json(tool).encode())
        if size > CORE_SCENARIO_TOOLS_BYTES:
            break
        listed.append(tool)
    return listed


def model_visible_json(tool: types.Tool) -> str:
    """What clients hand the model of a tool: compact JSON of its name, description and input schema."""
    visible = {"name": tool.name, "description": tool.description, "inputSchema": tool.input_schema}
    return json.dumps(visible, separators=(",", ":"), ensure_ascii=False)


def tool_definition(operation: Operation, *, confirm: bool) -> types.Tool:
    # A tool built at run time (a caller's own) has no shipped schema.
    schema = _shipped_input_schemas().get(operation.name) or input_schema(operation.input_model)
    if operation.trimmed_fields is not None:
        schema = _with_trimmed_fields(schema, operation.trimmed_fields)
    if confirm and operation.destructive:
        schema = _with_confirmation_field(schema)
    if operation.checks_blueprint:
        schema = {**schema, "properties": {**schema["properties"], SKIP_VALIDATION: _SKIP_VALIDATION_PROPERTY}}
    described: dict[str, Any] = {
        "method": operation.method,
        "path": operation.path,
        "scopes": list(required_scopes(operation)),
        "toolset": operation.toolset,
    }
    if operation.steps:  # a tool of several requests: every request it may send
        requests = dict.fromkeys((request.method, request.path) for request in (operation, *operation.steps))
        described["requests"] = [{"method": method, "path": path} for method, path in requests]
    return types.Tool(
        name=operation.name,
        title=operation.title,
        description=operation.description,
        input_schema=schema,
        output_schema=_advertised_output_schema(operation),
        annotations=types.ToolAnnotations(
            read_only_hint=operation.read_only,
            destructive_hint=operation.destructive,
            idempotent_hint=operation.idempotent,
            open_world_hint=operation.open_world,
        ),
        # 2025-11-25 clients read here that a run may be asked for as a task (2026-era ones ask per call).
        execution=types.ToolExecution(task_support="optional") if operation.runs_as_task else None,
        icons=toolset_icons(operation.toolset),
        _meta={"make/operation": described, **(operation.meta or {})},
    )


def _advertised_output_schema(operation: Operation) -> dict[str, Any] | None:
    """The documented shape, narrowed to the payload key when there is one: it is all a client needs to check."""
    schema = operation.output_schema
    if schema is None or operation.response_key is None:
        return schema
    payload = schema.get("properties", {}).get(operation.response_key)
    if payload is None:
        return schema
    return {"type": "object", "properties": {operation.response_key: payload}}


_SKIP_VALIDATION_PROPERTY = {
    "anyOf": [{"type": "boolean"}, {"type": "null"}],
    "description": "Send despite blueprint errors.",
}


@cache
def _confirmation_property() -> dict[str, Any]:
    return {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": "Token of this tool's preview; omit on the first call.",
    }


def _with_confirmation_field(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "properties": {**schema["properties"], CONFIRMATION_FIELD: _confirmation_property()}}


def _with_trimmed_fields(schema: dict[str, Any], fields: TrimmedFields) -> dict[str, Any]:
    """`cols` of a list tool whose Make operation has none: the shape stage keeps those fields of each item."""
    names = {"items": {"enum": [*fields.documented, ALL_FIELDS], "type": "string"}, "type": "array"}
    cols = {"anyOf": [names, {"type": "null"}], "description": "Fields to return."}
    return {**schema, "properties": {**schema["properties"], COLS: cols}}


def discovery_tool_definitions() -> list[types.Tool]:
    return [
        types.Tool(
            name=name,
            title=title,
            description=description,
            input_schema=input_schema(model),  # pyright: ignore[reportArgumentType]
            annotations=types.ToolAnnotations(
                title=title,
                read_only_hint=read_only,
                destructive_hint=not read_only,
                idempotent_hint=read_only,
                open_world_hint=not read_only,
            ),
            icons=server_icons(),
        )
        for name, (title, description, model, read_only) in DISCOVERY_TOOLS.items()
    ]
