"""The committed tools/list snapshot holds every tool with all a client is sent, and the input schemas the
server ships are exactly those its models give (that both are up to date: tests/scripts/test_generate.py)."""

from __future__ import annotations

import json
from pathlib import Path

from make_mcp.server.engine.operations import input_schema
from make_mcp.tools.registry import ALL_OPERATIONS

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "tools" / "snapshots" / "tools_list.json"
INPUT_SCHEMAS = ROOT / "tools" / "input_schemas.json"


def test_the_snapshot_holds_every_tool_once_with_everything_a_client_is_sent() -> None:
    tools = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["tools"]
    assert [tool["name"] for tool in tools] == sorted(operation.name for operation in ALL_OPERATIONS)
    for tool in tools:
        assert {"name", "title", "description", "inputSchema", "annotations", "icons", "_meta"} <= tool.keys(), tool[
            "name"
        ]
        for icon in tool["icons"]:  # what the 2025-11-25 schema's Icon holds: MCP Inspector --strict takes it
            assert icon["src"].startswith("data:image/svg+xml,") and icon["mimeType"] == "image/svg+xml", tool["name"]
            assert icon["sizes"] == ["any"], tool["name"]


def test_the_shipped_input_schemas_are_those_the_input_models_give() -> None:
    shipped = json.loads(INPUT_SCHEMAS.read_text(encoding="utf-8"))
    assert sorted(shipped) == sorted(operation.name for operation in ALL_OPERATIONS)
    stale = [op.name for op in ALL_OPERATIONS if shipped[op.name] != input_schema(op.input_model)]
    assert not stale, f"run `python scripts/generate.py`: the shipped input schemas of {stale} are out of date"
