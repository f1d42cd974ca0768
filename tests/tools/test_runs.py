"""The generated tools of several requests (tools/runs.py), through an MCP client against the sandbox."""

from __future__ import annotations

import json
import re
from typing import Any

from mcp import Client

from make_mcp.server.sandbox.faults import custom
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client, text_of

API = "/api/v2"


def sent(sandbox: LoopbackSandbox, before: int) -> list[tuple[str, str, list[tuple[str, str]], Any]]:
    return [(r.method, r.path, r.query, r.body) for r in sandbox.state.requests[before:]]


async def an_editable_connection(client: Client) -> int:
    # The demo connections use OAuth, whose data Make does not let the API edit.
    created = await client.call_tool("connections_create", {"teamId": 201, "name": "Shop API", "accountName": "http"})
    assert created.structured_content is not None, text_of(created)
    return created.structured_content["connection"]["id"]


async def test_scenarios_get_returns_the_scenario_with_its_blueprint_and_lists_both_requests(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox) as client:
        listed = next(tool for tool in (await client.list_tools()).tools if tool.name == "scenarios_get")
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool("scenarios_get", {"scenarioId": 401})
    assert not result.is_error, text_of(result)
    scenario = (result.structured_content or {})["scenario"]
    assert scenario["id"] == 401
    blueprint = loopback_sandbox.state.blueprints[401]
    assert scenario["blueprint"]["name"] == blueprint["name"]
    assert [module["id"] for module in scenario["blueprint"]["flow"]] == [module["id"] for module in blueprint["flow"]]
    assert [(method, path, query) for method, path, query, _ in sent(loopback_sandbox, before)] == [
        ("GET", f"{API}/scenarios/401", [("cols[]", "*")]),
        ("GET", f"{API}/scenarios/401/blueprint", []),
    ]
    assert (listed.meta or {})["make/operation"]["requests"] == [
        {"method": "GET", "path": "/scenarios/{scenarioId}"},
        {"method": "GET", "path": "/scenarios/{scenarioId}/blueprint"},
    ]


async def test_scenarios_get_whose_blueprint_cannot_be_read_says_the_scenario_was_read_and_what_to_do(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    refused = custom(403, {"detail": "Access denied.", "message": "Permission denied", "code": "SC403"})
    async with mcp_client(loopback_sandbox) as client:
        loopback_sandbox.state.faults.add(refused, method="GET", path="/scenarios/401/blueprint")
        result = await client.call_tool("scenarios_get", {"scenarioId": 401})
    assert result.is_error
    text = text_of(result)
    assert text.startswith("Scenario 401 was read, but its blueprint could not be"), text
    assert "blueprints_get" in text
    assert "Access denied" in text or "Permission denied" in text  # Make's own words follow


async def test_connections_update_with_only_a_name_sends_only_the_rename(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool("connections_update", {"connectionId": 901, "name": "Renamed"})
    assert not result.is_error, text_of(result)
    assert sent(loopback_sandbox, before) == [("PATCH", f"{API}/connections/901", [], {"name": "Renamed"})]
    assert (result.structured_content or {})["connection"]["name"] == "Renamed"


async def test_connections_update_with_only_data_sends_it_to_set_data(loopback_sandbox: LoopbackSandbox) -> None:
    data = {"baseUrl": "https://shop.example", "apiKey": "k-2"}
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        connection = await an_editable_connection(client)
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool("connections_update", {"connectionId": connection, "data": data})
    assert not result.is_error, text_of(result)
    assert sent(loopback_sandbox, before) == [("POST", f"{API}/connections/{connection}/set-data", [], data)]
    assert loopback_sandbox.state.connections[connection]["data"] == data
    assert (result.structured_content or {})["dataChanged"] is True


async def test_connections_update_with_a_name_and_data_renames_then_sets_the_data(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    data = {"baseUrl": "https://shop.example"}
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        connection = await an_editable_connection(client)
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool(
            "connections_update", {"connectionId": connection, "name": "Shop", "data": data}
        )
    assert not result.is_error, text_of(result)
    assert sent(loopback_sandbox, before) == [
        ("PATCH", f"{API}/connections/{connection}", [], {"name": "Shop"}),
        ("POST", f"{API}/connections/{connection}/set-data", [], data),
    ]
    assert loopback_sandbox.state.connections[connection]["data"] == data


async def test_connections_update_whose_data_is_refused_after_the_rename_says_it_was_renamed(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        # The demo's OAuth connection 901 cannot be edited by the API: set-data is refused.
        result = await client.call_tool(
            "connections_update", {"connectionId": 901, "name": "Renamed", "data": {"a": "b"}}
        )
    assert result.is_error
    text = text_of(result)
    assert text.startswith("Connection 901 was renamed, but its data could not be set"), text
    assert "Cannot edit this connection" in text


async def test_connections_update_with_neither_name_nor_data_is_refused_and_sends_nothing(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool("connections_update", {"connectionId": 901})
    assert result.is_error
    assert "name or data: give at least one of them" in text_of(result)
    assert "nothing was sent to Make" in text_of(result)
    assert sent(loopback_sandbox, before) == []


async def test_connections_update_asks_for_confirmation_as_it_may_replace_the_connection_s_data(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, toolsets="all", tool_mode="full") as client:
        listed = next(tool for tool in (await client.list_tools()).tools if tool.name == "connections_update")
        await client.call_tool("connections_update", {"connectionId": 901, "name": "Renamed"})
    assert [r.method for r in loopback_sandbox.state.requests if "/connections/901" in r.path] in ([], ["GET"])
    assert loopback_sandbox.state.connections[901]["name"] != "Renamed"
    assert listed.annotations is not None and listed.annotations.destructive_hint is True
    assert "data" in listed.input_schema["properties"]
    assert "name" not in listed.input_schema.get("required", [])


ON_DEMAND = {"type": "on-demand"}
CALLED = {
    "name": "Called",
    "flow": [{"id": 1, "module": "scenario-service:StartSubscenario", "version": 2, "parameters": {}, "mapper": {}}],
    "metadata": {"version": 1, "scenario": {"roundtrips": 1}},
}


async def test_scenarios_create_with_an_interface_creates_the_scenario_then_sets_its_interface(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    inputs = [{"name": "email", "type": "email", "required": True, "label": "Email"}]
    async with mcp_client(loopback_sandbox) as client:
        listed = next(tool for tool in (await client.list_tools()).tools if tool.name == "scenarios_create")
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool(
            "scenarios_create",
            {"teamId": 201, "blueprint": CALLED, "scheduling": ON_DEMAND, "interface": {"input": inputs}},
        )
    assert not result.is_error, text_of(result)
    scenario = (result.structured_content or {})["scenario"]
    assert scenario["interface"]["input"] == inputs
    writes = [(m, p, body) for m, p, _, body in sent(loopback_sandbox, before) if m != "GET"]
    assert [(m, p) for m, p, _ in writes] == [
        ("POST", f"{API}/scenarios"),
        ("PATCH", f"{API}/scenarios/{scenario['id']}/interface"),
    ]
    assert json.loads(writes[0][2]["scheduling"]) == ON_DEMAND and "interface" not in writes[0][2]
    assert writes[1][2] == {"interface": {"input": inputs, "output": []}}
    assert (listed.meta or {})["make/operation"]["requests"] == [
        {"method": "POST", "path": "/scenarios"},
        {"method": "PATCH", "path": "/scenarios/{scenarioId}/interface"},
    ]


async def test_scenarios_create_without_an_interface_sends_one_write_as_before(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    folder = next(key for key, folder in loopback_sandbox.state.folders.items() if folder["teamId"] == 201)
    async with mcp_client(loopback_sandbox) as client:
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool(
            "scenarios_create", {"teamId": 201, "blueprint": CALLED, "scheduling": ON_DEMAND, "folderId": folder}
        )
    assert not result.is_error, text_of(result)
    writes = [(m, p, q, body) for m, p, q, body in sent(loopback_sandbox, before) if m != "GET"]
    assert [(m, p, q) for m, p, q, _ in writes] == [("POST", f"{API}/scenarios", [("cols[]", "*")])]
    assert writes[0][3]["folderId"] == folder and writes[0][3]["teamId"] == 201
    assert json.loads(writes[0][3]["blueprint"]) == CALLED


async def test_scenarios_create_whose_interface_make_refuses_says_the_scenario_was_created_and_what_sets_it(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    arguments = {
        "teamId": 201,
        "blueprint": CALLED,
        "scheduling": {"type": "indefinitely", "interval": 900},
        "interface": {"input": [{"name": "email", "type": "email", "required": True}]},
        "skipValidation": True,  # the builder would refuse it first: Make's own refusal is what this test needs
    }
    async with mcp_client(loopback_sandbox) as client:
        count = len(loopback_sandbox.state.scenarios)
        result = await client.call_tool("scenarios_create", arguments)
    assert result.is_error
    text = text_of(result)
    assert re.match(r"Scenario \d+ was created, but its interface could not be set", text), text
    assert "scenarios_set-interface sets it alone" in text and "IM016" in text
    assert len(loopback_sandbox.state.scenarios) == count + 1


async def test_scenarios_create_with_an_interface_field_of_no_known_type_sends_nothing(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox) as client:
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool(
            "scenarios_create",
            {"teamId": 201, "blueprint": CALLED, "scheduling": ON_DEMAND, "interface": {"input": [{"name": "x"}]}},
        )
    assert result.is_error and "interface" in text_of(result), text_of(result)
    assert sent(loopback_sandbox, before) == []
