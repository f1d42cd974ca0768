"""Input models build their validators on first use: listing tools builds none, and the first call to a
tool in a fresh server refuses bad arguments exactly as later calls do, hand-written validators included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mcp import Client

from tests.server.test_app import text_of
from tests.server.test_cli import stdio_params
from tests.tools.test_oauth_connections import CONNECTION

ROOT = Path(__file__).resolve().parents[2]

LIST_EVERY_TOOL = """
from make_mcp.server.protocol.listing import tool_definition
from make_mcp.tools.registry import ALL_OPERATIONS

for operation in ALL_OPERATIONS:
    tool_definition(operation, confirm=True)
built = sorted(op.name for op in ALL_OPERATIONS if op.input_model.__pydantic_complete__)
assert not built, f"input models built before their first call: {built}"
"""


def test_listing_every_tool_builds_no_input_model_before_its_first_call() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LIST_EVERY_TOOL], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr


async def test_a_fresh_servers_first_calls_name_the_bad_field_and_run_the_hand_written_validators() -> None:
    async with Client(stdio_params("serve", MAKE_SANDBOX="1", MAKE_TOOLSETS="all"), mode="legacy") as client:
        generated = await client.call_tool("data-stores_get", {"dataStoreId": "seven"})
        insecure = await client.call_tool(
            "connections_create-http-oauth2", {**CONNECTION, "authorizeUri": "http://auth.acme.example/authorize"}
        )
        reserved = await client.call_tool(
            "connections_create-http-oauth2",
            {**CONNECTION, "additionalAuthorizeParams": [{"name": "redirect_uri", "value": "https://evil.example"}]},
        )
        empty = await client.call_tool("sdk-connections_set-oauth2", {"connectionName": "acme-oauth2"})
        created = await client.call_tool(
            "connections_create-http-oauth2",
            {**CONNECTION, "additionalAuthorizeParams": [{"name": "access_type", "value": "offline"}]},
        )
    assert generated.is_error and "- dataStoreId:" in text_of(generated)
    assert insecure.is_error and "- authorizeUri:" in text_of(insecure) and "https://" in text_of(insecure)
    assert reserved.is_error and "- additionalAuthorizeParams:" in text_of(reserved)
    assert "redirect_uri" in text_of(reserved)
    assert empty.is_error and "the communication is empty" in text_of(empty)
    assert not created.is_error, text_of(created)
    assert created.structured_content is not None
    assert created.structured_content["connection"]["name"] == "Acme CRM"
