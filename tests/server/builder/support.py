"""Helpers for the builder's tests: an MCP client whose
server has a builder of its own (so each test sees its own manifest cache), and blueprint pieces."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import mcp_types as types
from mcp import Client

from make_mcp.server.builder.service import BuilderService
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.support.config import Settings
from tests.conftest import LoopbackSandbox

TEAM = 201  # the demo team: Google connection 901, Slack connection 902, webhook 801, data store 701
SLACK = 902
STORE = 701


@asynccontextmanager
async def builder_client(
    sandbox: LoopbackSandbox, *, mode: str = "auto", elicitation_callback: Any = None, **overrides: Any
) -> AsyncIterator[Client]:
    """Every toolset, fully listed, against the loopback sandbox; a fresh builder (its own manifest cache)."""
    overrides.setdefault("rate_limit", 0)
    overrides.setdefault("toolsets", "all")
    overrides.setdefault("tool_mode", "full")
    overrides.setdefault("confirm_destructive", False)
    settings = Settings(api_key=sandbox.token, zone=sandbox.url, allow_custom_zone=True, **overrides)
    async with open_make_client(settings) as make:
        catalogue = await load_catalogue(settings, make)
        runner = ToolRunner(settings, make, catalogue, Confirmations(), builder=BuilderService())
        async with Client(build_server(runner), mode=mode, elicitation_callback=elicitation_callback) as client:
            yield client


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def call(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(name, arguments)
    assert not result.is_error and result.structured_content is not None, text_of(result)
    return result.structured_content


async def refusal(client: Client, name: str, arguments: dict[str, Any]) -> str:
    result = await client.call_tool(name, arguments)
    assert result.is_error, text_of(result)
    return text_of(result)


def module(module_id: int, name: str, version: int = 1, **parts: Any) -> dict[str, Any]:
    return {"id": module_id, "module": name, "version": version, "parameters": {}, "mapper": {}, **parts}


def blueprint(*flow: dict[str, Any], name: str = "Test") -> dict[str, Any]:
    return {"name": name, "flow": list(flow), "metadata": {"version": 1, "scenario": {"roundtrips": 1}}}
