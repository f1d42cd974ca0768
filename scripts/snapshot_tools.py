"""The input schemas the server ships and the snapshot of every tool as MCP clients see it: a step of
scripts/generate.py, over the catalogue as the server loads it.

tools/input_schemas.json holds every tool's advertised input schema, `input_schema(model)`, keyed by tool name:
the server reads it instead of building every JSON schema at start-up.

The snapshot, tests/tools/snapshots/tools_list.json, holds the full catalogue with the shipped defaults
(destructive tools carry the confirmation field), one tool per entry, sorted by name: name, title, description,
inputSchema, outputSchema, annotations and _meta exactly as tools/list sends them. Its inputSchema values are
read from tools/input_schemas.json, so that file is written first.
"""

from __future__ import annotations

import json

SNAPSHOT = "tests/tools/snapshots/tools_list.json"
INPUT_SCHEMAS = "tools/input_schemas.json"


def input_schemas_text() -> str:
    """`input_schema(model)` of every tool by name: compact JSON, one tool a line, so a diff names the tools."""
    from make_mcp.server.engine.operations import input_schema
    from make_mcp.tools.registry import ALL_OPERATIONS

    def compact(value: object) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    lines = [
        f"{compact(operation.name)}:{compact(input_schema(operation.input_model))}"
        for operation in sorted(ALL_OPERATIONS, key=lambda operation: operation.name)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def snapshot_text() -> str:
    from make_mcp.server.protocol.listing import tool_definition
    from make_mcp.tools.registry import ALL_OPERATIONS

    tools = [
        tool_definition(operation, confirm=True).model_dump(mode="json", by_alias=True, exclude_none=True)
        for operation in sorted(ALL_OPERATIONS, key=lambda operation: operation.name)
    ]
    return json.dumps({"tools": tools}, indent=1, ensure_ascii=False) + "\n"
