"""Every tool of Make's official tool set is advertised here under its name, with every official argument name
(tools/spec/official-tools.json), read from tools/list of the full catalogue through a real MCP client.

The tools of tools/spec/official-mapping.json's `notYet.advertised` are strict expected failures: the drop-in
work is to empty that list, and one fixed without being taken off it fails the run.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import anyio
import pytest
from mcp import Client

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.engine.operations import build_request, validate_arguments
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.support.config import Settings
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.tools.official import facts, mapping, params

OFFICIAL_TOOLS: list[dict[str, Any]] = facts()["tools"]


@cache
def advertised() -> dict[str, dict[str, Any]]:
    """Each listed tool's input schema, from the built-in sandbox with every toolset."""

    async def listing() -> dict[str, dict[str, Any]]:
        settings = Settings(sandbox=True, toolsets="all", tool_mode="full", rate_limit=0)
        async with open_make_client(settings) as make:
            catalogue = await load_catalogue(settings, make)
            server = build_server(ToolRunner(settings, make, catalogue, Confirmations()))
            async with Client(server) as client:
                tools = (await client.list_tools()).tools
        return {tool.name: tool.input_schema for tool in tools}

    return anyio.run(listing)


@pytest.mark.parametrize(
    "tool", params(OFFICIAL_TOOLS, [t["name"] for t in OFFICIAL_TOOLS], mapping()["notYet"]["advertised"])
)
def test_the_official_tool_is_advertised_with_every_official_argument(tool: dict[str, Any]) -> None:
    schema = advertised().get(tool["name"])
    assert schema is not None, f"{tool['name']} is not listed"
    listed = set(schema.get("properties", {}))
    missing = [argument["name"] for argument in tool["arguments"] if argument["name"] not in listed]
    assert missing == [], f"{tool['name']} does not advertise {missing}"


def test_the_not_yet_list_names_only_official_tools() -> None:
    names = {tool["name"] for tool in OFFICIAL_TOOLS}
    assert sorted(set(mapping()["notYet"]["advertised"]) - names) == []


def test_an_official_tool_lists_the_official_name_and_still_takes_makes_name_unlisted() -> None:
    operation = next(op for op in ALL_OPERATIONS if op.name == "sdk-apps_get")
    listed = advertised()["sdk-apps_get"]["properties"]
    assert {"name", "version"} <= set(listed)
    assert not {"appName", "appVersion"} & set(listed)
    official = build_request(operation, validate_arguments(operation, {"name": "my-app", "version": 2}))
    makes = build_request(operation, validate_arguments(operation, {"appName": "my-app", "appVersion": 2}))
    assert official.path == makes.path == "/sdk/apps/my-app/2"


def test_a_tool_the_official_set_lacks_keeps_makes_names() -> None:
    assert "sdk-apps_commit" not in {tool["name"] for tool in OFFICIAL_TOOLS}
    assert {"appName", "appVersion"} <= set(advertised()["sdk-apps_commit"]["properties"])
