"""Input models build their validators on first use: listing tools builds none, and the first call to a
tool in a fresh server refuses bad arguments exactly as later calls do, hand-written validators included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from make_mcp.server.engine.operations import build_request, input_schema, validate_arguments
from make_mcp.server.errors import InvalidArguments
from make_mcp.tools.registry import ALL_OPERATIONS
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


# --- a run's status, as the official tool set's prompts send it ---

EXECUTIONS_LIST = next(op for op in ALL_OPERATIONS if op.name == "executions_list")


@pytest.mark.parametrize(("given", "sent"), [(3, "3"), ("3", "3"), ("error", "3"), ("1", "1"), ("warning", "2")])
def test_a_run_status_is_taken_as_a_number_its_text_or_its_word_and_sent_as_makes_integer(
    given: Any, sent: str
) -> None:
    arguments = validate_arguments(EXECUTIONS_LIST, {"scenarioId": 401, "status": given})
    assert ("status", sent) in build_request(EXECUTIONS_LIST, arguments).query


@pytest.mark.parametrize("given", ["4", "failed", 0, "3.0"])
def test_a_run_status_make_does_not_know_is_refused_before_sending(given: Any) -> None:
    with pytest.raises(InvalidArguments, match="status"):
        validate_arguments(EXECUTIONS_LIST, {"scenarioId": 401, "status": given})


def test_the_run_status_is_advertised_as_the_integers_and_their_texts_so_strict_clients_can_send_either() -> None:
    status = input_schema(EXECUTIONS_LIST.input_model)["properties"]["status"]
    texts = [branch for branch in status["anyOf"] if branch.get("type") == "string"]
    assert texts == [{"type": "string", "enum": ["1", "2", "3", "success", "warning", "error"]}]
    assert any(branch.get("type") == "integer" for branch in status["anyOf"])
