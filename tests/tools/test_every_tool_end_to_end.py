"""Every tool, called once through a real MCP client against the sandbox served on loopback, succeeds, in both
protocol eras the client speaks (2025's initialize handshake and 2026's).

Arguments come from each tool's advertised input schema: its required properties only, IDs taken from the
demo account by parameter name, other values the simplest the schema allows. A few tools need more than
their required properties, or an ID made by another call first; the tables below say which and why.
Each call meets the demo account as seeded, so no call can break another.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Awaitable, Callable
from typing import Any

import mcp_types as types
import pytest
from jsonschema import Draft202012Validator
from mcp import Client
from pydantic import AliasChoices

from make_mcp.server.sandbox import SandboxState, demo_state
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client, text_of

# The demo account's IDs (server/sandbox/demo.py), by the parameter names tools give them.
DEMO_IDS: dict[str, int | str] = {
    "organizationId": 101,
    "teamId": 201,
    "userId": 301,
    "scenarioId": 401,
    "folderId": 501,
    "dataStructureId": 601,
    "datastructureId": 601,
    "dataStoreId": 701,
    "hookId": 801,
    "connectionId": 901,
    "dataStoreKeyRecord": "a1b2c3d4e500",
    "key": "a1b2c3d4e500",  # dataStoreKeyRecord under the official tools' name
}

CUSTOMER = {"name": "Frank Ode", "email": "frank.ode@example.com"}  # the fields the demo data structure requires

# Arguments the advertised schema cannot express: these tools check them beyond it (tools/oauth_connections.py):
# real https endpoints, a non-empty communication.
SCHEMA_GAPS: dict[str, dict[str, Any]] = {
    "connections_create-http-oauth2": {
        "authorizeUri": "https://provider.example/oauth/authorize",
        "tokenUri": "https://provider.example/oauth/token",
    },
    "sdk-connections_set-oauth2": {"token": {"url": "https://provider.example/token", "condition": True}},
    # Exactly one of teamId and organizationId (the schema can say it only in words).
    "scenarios_list": {"teamId": 201},
    "users_list": {"organizationId": 101},
    # At least one of name and data (each optional alone).
    "connections_update": {"name": "Renamed"},
    "blueprints_audit": {"scenarioId": 401},
}

# Arguments these calls need in the demo account's state, as they would in Make's.
STATE_NEEDS: dict[str, dict[str, Any]] = {
    # Connection 901 is used by scenario 402, hook 801 by scenario 401, a team holds resources, data store 701
    # is used by scenarios, and deleting records always asks: Make wants confirmation first. Bulk deletes
    # must also name what to delete (or say all).
    "connections_delete": {"confirmed": True},
    "hooks_delete": {"confirmed": True},
    "teams_delete": {"confirmed": True},
    "data-store-records_delete": {"keys": ["a1b2c3d4e500"], "confirmed": True},
    "data-stores_delete-many": {"ids": [701], "confirmed": True},
    "data-stores_delete": {"confirmed": True},
    # The demo store's data structure is strict: each record needs a name and an email.
    "data-store-records_create": {"data": CUSTOMER},
    "data-store-records_replace": {"data": CUSTOMER},
    # Bulk changes of incomplete executions name them, or say all (a delete of all is confirmed).
    "incomplete-executions_delete": {"all": True, "confirmed": True},
    "incomplete-executions_retry-many": {"all": True},
    "incomplete-executions_update": {"blueprint": {"name": "Fixed", "flow": [{"id": 1, "module": "json:ParseJSON"}]}},
    # App endpoints answer for the catalogue's apps; an RPC needs a connection of its type (902: the demo's Slack).
    "credential-requests_list-app-modules-with-creds": {"appName": "slack", "appVersion": 4},
    "credential-requests_create": {"connection": {"teamId": 201, "accountName": "google"}},
    "rpcs_call": {"appName": "slack", "appVersion": "4", "rpcName": "listChannels", "data": {"__IMTCONN__": 902}},
    # A scenario needs a blueprint with a flow, and a scheduling type.
    "scenarios_create": {
        "blueprint": {
            "name": "Parse JSON",
            "flow": [{"id": 1, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "{}"}}],
            "metadata": {"version": 1},
        },
        "scheduling": {"type": "on-demand"},
    },
    # The builder tools read apps the sandbox's catalogue has, and a saved scenario.
    **{
        name: {"appName": "json", "appVersion": 1, "moduleName": "ParseJSON"}
        for name in ("app-module_get", "validate_module_configuration", "extract_module_components")
    },
    "app-modules_list": {"appName": "json", "appVersion": 1},
    "rpc_execute": {"appName": "slack", "appVersion": 4, "rpcName": "listChannels", "data": {"__IMTCONN__": 902}},
}


def structured(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error and result.structured_content is not None, text_of(result)
    return result.structured_content


async def an_execution(client: Client) -> dict[str, Any]:
    ran = structured(await client.call_tool("scenarios_run", {"scenarioId": 401}))
    return {"executionId": ran["executionId"]}


async def a_running_execution(client: Client) -> dict[str, Any]:
    # The demo's weekly report (405) outlasts Make's responsive window: its run is still going.
    ran = structured(
        await client.call_tool(
            "scenarios_run", {"scenarioId": 405, "responsive": False, "data": {"weekStart": "2025-03-03"}}
        )
    )
    return {"scenarioId": 405, "executionId": ran["executionId"]}


async def an_editable_connection(client: Client) -> dict[str, Any]:
    # The demo connections use OAuth, whose data Make does not let the API edit.
    created = await client.call_tool("connections_create", {"teamId": 201, "name": "Shop API", "accountName": "http"})
    return {"connectionId": structured(created)["connection"]["id"]}


async def an_incomplete_execution(client: Client) -> dict[str, Any]:
    listed = structured(await client.call_tool("incomplete-executions_list", {"scenarioId": 401}))
    return {"dlqId": listed["dlqs"][0]["id"]}


async def a_retry_of_an_incomplete_execution(client: Client) -> dict[str, Any]:
    chosen = await an_incomplete_execution(client)
    structured(await client.call_tool("incomplete-executions_retry", chosen))
    logs = structured(await client.call_tool("executions_list-for-incomp-exec", chosen))
    return {**chosen, "executionDlqId": logs["dlqLogs"][0]["id"]}


async def a_connected_system(client: Client) -> dict[str, Any]:
    created = await client.call_tool(
        "connected-system_create",
        {"organizationId": 101, "name": "Plant", "agentId": "agent-1", "appName": "example", "inputs": {}},
    )
    return {"connectedSystemId": structured(created)["connectedSystem"]["id"]}


async def an_app_endpoint(client: Client) -> dict[str, Any]:
    # The endpoint of the app the drawn arguments name ("example", version 1).
    arguments = {"appName": "example", "appVersion": 1, "name": "getEntity", "label": "Get entity"}
    structured(await client.call_tool("sdk-endpoints_create", arguments))
    return {"endpointName": "getEntity"}


async def a_credential_request(client: Client) -> dict[str, Any]:
    arguments = {
        "teamId": 201,
        "name": "Slack for the lead flow",
        "provider": {"name": "Ops", "email": "ops@example.com"},
        "credentials": [{"appName": "slack", "appModules": ["CreateMessage"]}],
    }
    created = structured(await client.call_tool("credential-requests_create-request-v2", arguments))
    return {"requestId": created["request"]["id"]}


async def a_private_space(client: Client) -> dict[str, Any]:
    listed = structured(await client.call_tool("private-spaces_list", {"organizationId": 101}))
    return {"privateSpaceId": listed["privateSpaces"][0]["id"]}


async def a_custom_role(client: Client) -> dict[str, Any]:
    arguments = {"name": "Viewer", "category": "organization", "organizationId": 101}
    return {"id": structured(await client.call_tool("custom-roles_create", arguments))["role"]["id"]}


# Tools that need an ID made by another call first: the call, and the arguments it gives.
SET_UP: dict[str, Callable[[Client], Awaitable[dict[str, Any]]]] = {
    **dict.fromkeys(
        [
            "executions_list-for-incomp-exec",
            "incomplete-executions_delete-one",
            "incomplete-executions_get",
            "incomplete-executions_get-blueprint",
            "incomplete-executions_get-bundle",
            "incomplete-executions_retry",
            "incomplete-executions_update",
        ],
        an_incomplete_execution,
    ),
    "executions_get-for-incomp-exec": a_retry_of_an_incomplete_execution,
    "executions_get": an_execution,
    "executions_get-detail": an_execution,
    "executions_stop": a_running_execution,
    "connections_set-data": an_editable_connection,
    **dict.fromkeys(["connected-system_delete", "connected-system_get", "connected-system_update"], a_connected_system),
    **dict.fromkeys(
        [
            "sdk-endpoints_delete",
            "sdk-endpoints_get",
            "sdk-endpoints_get-section",
            "sdk-endpoints_set-private",
            "sdk-endpoints_set-public",
            "sdk-endpoints_set-section",
            "sdk-endpoints_update",
        ],
        an_app_endpoint,
    ),
    **dict.fromkeys(
        ["credential-requests_delete", "credential-requests_get", "credential-requests_get-request"],
        a_credential_request,
    ),
    **dict.fromkeys(["private-spaces_get", "private-spaces_update"], a_private_space),
    **dict.fromkeys(["custom-roles_delete", "custom-roles_update"], a_custom_role),
}


def advertised_names(tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The arguments under the names the tool advertises: an official tool lists the official name for a field
    that the set-ups give under Make's (dlqId is incompleteExecutionId there)."""
    fields = next(op for op in ALL_OPERATIONS if op.name == tool).input_model.model_fields
    advertised = {
        choice: choices.choices[0]
        for info in fields.values()
        if isinstance(choices := info.validation_alias, AliasChoices)
        for choice in choices.choices[1:]
    }
    return {advertised.get(name, name): value for name, value in arguments.items()}


def example_arguments(schema: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    return {name: example_value(name, properties.get(name, {})) for name in schema.get("required", [])}


def example_value(name: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if name in DEMO_IDS:
        return str(DEMO_IDS[name]) if kind == "string" else DEMO_IDS[name]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return example_value(name, schema["anyOf"][0])
    if kind == "integer":
        return smallest_integer(schema)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "string":
        return example_string(name, schema)
    if kind == "array":
        return [example_value(name, schema.get("items", {})) for _ in range(schema.get("minItems", 0))]
    if kind == "object" or "properties" in schema:
        return example_arguments(schema)
    return "example"  # a property of any JSON type


def smallest_integer(schema: dict[str, Any]) -> int:
    value = max(1, schema.get("minimum", 1))
    if "exclusiveMinimum" in schema:
        value = max(value, schema["exclusiveMinimum"] + 1)
    return min(value, schema["maximum"]) if "maximum" in schema else value


def example_string(name: str, schema: dict[str, Any]) -> str:
    if "base64" in schema.get("description", "").lower():
        return base64.b64encode(b"example").decode()
    if "json text" in schema.get("description", "").lower():
        return '{"example": true}'
    text = "example".ljust(schema.get("minLength", 0), "x")[: schema.get("maxLength")]
    pattern = schema.get("pattern")
    assert pattern is None or re.search(pattern, text), f"no example for {name} fits the pattern {pattern}"
    return text


def restore_demo(state: SandboxState) -> None:
    """Puts the served sandbox back to the demo account, in place: the running app holds this object."""
    fresh = demo_state()
    for field in dataclasses.fields(SandboxState):
        setattr(state, field.name, getattr(fresh, field.name))


def output_problem(tool: types.Tool, result: types.CallToolResult) -> str | None:
    """Why a successful result breaks the tool's output schema, or None when it fits (or there is none)."""
    if tool.output_schema is None:
        return None
    if result.structured_content is None:
        return "no structured content although the tool has an output schema"
    error = next(iter(Draft202012Validator(tool.output_schema).iter_errors(result.structured_content)), None)
    if error is not None:
        return f"output schema: {error.message} at {list(error.absolute_path)}"
    # The advertised schemas require no property, so an answer of quite another shape would still validate.
    described = set(tool.output_schema.get("properties", {}))
    if described and not described & set(result.structured_content):
        return f"output schema: the result holds none of {sorted(described)}"
    return None


async def call_once(client: Client, tool: types.Tool, state: SandboxState) -> str | None:
    """Calls the tool on a freshly seeded sandbox; None when it succeeds, else why not."""
    restore_demo(state)
    try:
        arguments = {
            **example_arguments(tool.input_schema),
            **SCHEMA_GAPS.get(tool.name, {}),
            **STATE_NEEDS.get(tool.name, {}),
        }
        set_up = SET_UP.get(tool.name)
        if set_up is not None:
            arguments |= advertised_names(tool.name, await set_up(client))
        result = await client.call_tool(tool.name, arguments)
    except Exception as error:  # e.g. no example fits, or the client's own output-schema check
        return f"{type(error).__name__}: {error}"
    if result.is_error:
        return text_of(result).replace("\n", " | ")
    return output_problem(tool, result)


# The client's mode and the protocol era it connects in: every tool runs once in each.
ERAS = {"legacy": "2025-", "auto": "2026-"}


@pytest.mark.parametrize("mode", sorted(ERAS))
async def test_every_tool_succeeds_once_with_arguments_drawn_from_its_input_schema(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    async with mcp_client(
        loopback_sandbox, mode=mode, toolsets="all", tool_mode="full", confirm_destructive=False
    ) as client:
        assert (client.protocol_version or "").startswith(ERAS[mode])
        tools = (await client.list_tools()).tools
        failures = [
            f"{tool.name}: {problem}"
            for tool in tools
            if (problem := await call_once(client, tool, loopback_sandbox.state)) is not None
        ]
    assert sorted(tool.name for tool in tools) == sorted(op.name for op in ALL_OPERATIONS)
    assert not failures, f"{len(failures)} of {len(tools)} tools failed:\n" + "\n".join(failures)


def test_the_tables_name_only_existing_tools() -> None:
    names = {op.name for op in ALL_OPERATIONS}
    assert set(SCHEMA_GAPS) <= names
    assert set(STATE_NEEDS) <= names
    assert set(SET_UP) <= names


def test_a_result_that_breaks_the_output_schema_is_a_failure() -> None:
    # Shaped like the advertised schemas: the payload key's schema, nothing required.
    tool = types.Tool(
        name="things_get",
        input_schema={"type": "object", "properties": {}},
        output_schema={"type": "object", "properties": {"thing": {"type": "object"}}},
    )

    def problem(structured: dict[str, Any] | None) -> str | None:
        return output_problem(tool, types.CallToolResult(content=[], structured_content=structured))

    assert "output schema" in (problem({"thing": "not an object"}) or "")
    assert "output schema" in (problem({"result": [1, 2]}) or "")
    assert problem(None) is not None
    assert problem({"thing": {"id": 1}}) is None


def test_example_values_respect_types_enums_minimums_and_patterns() -> None:
    schema = {
        "type": "object",
        "properties": {
            "teamId": {"type": "integer"},
            "appName": {"type": "string", "minLength": 3, "pattern": "^[a-z][0-9a-z-]+$"},
            "count": {"type": "integer", "exclusiveMinimum": 4},
            "size": {"anyOf": [{"type": "integer", "minimum": 2}, {"const": "latest"}]},
            "mode": {"type": "string", "enum": ["api", "parameters"]},
            "options": {"type": "object", "properties": {"x": {"type": "boolean"}}, "required": ["x"]},
            "optional": {"type": "string"},
        },
        "required": ["teamId", "appName", "count", "size", "mode", "options"],
    }
    assert example_arguments(schema) == {
        "teamId": 201,
        "appName": "example",
        "count": 5,
        "size": 2,
        "mode": "api",
        "options": {"x": False},
    }
