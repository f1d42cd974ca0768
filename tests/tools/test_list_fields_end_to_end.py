"""The default fields of every list tool, called through a real MCP client against the sandbox: each is a field
real items carry, `cols: ["*"]` returns whole items, and no trim hides a field an agent needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client

from make_mcp.server.engine.operations import input_schema
from make_mcp.server.sandbox import SandboxState
from make_mcp.tools.registry import ALL_OPERATIONS, DEFAULT_FIELDS, TRIMMED_FIELDS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client
from tests.tools.test_every_tool_end_to_end import (
    SCHEMA_GAPS,
    SET_UP,
    STATE_NEEDS,
    a_retry_of_an_incomplete_execution,
    advertised_names,
    example_arguments,
    restore_demo,
    structured,
)

BY_NAME = {op.name: op for op in ALL_OPERATIONS}
DEFAULTS = {**DEFAULT_FIELDS, **{name: fields.default for name, fields in TRIMMED_FIELDS.items()}}
RECORDED = Path(__file__).resolve().parents[2] / "server" / "sandbox" / "recorded"

# Real answers recorded from Make (the public SDK's tests) of lists Make answers whole (no cols[]): every field
# Make sends is there, so each default field must be among them.
RECORDED_LISTS = {
    "credential-requests_list-app-modules-with-creds": "credential-requests/list-app-modules-with-credentials.json",
    "custom-property-structures_list": "custom-property-structures/list.json",
    "executions_list": "executions/list.json",
    "executions_list-for-incomp-exec": "executions/dlq-list.json",
    "hooks_list": "hooks/list.json",
    "incomplete-executions_list": "incomplete-executions/list.json",
    "keys_list-types": "keys/list-types.json",
    "on-prem-agent_list": "on-prem-agents/list.json",
    "sdk-connections_list": "sdk/connections/list.json",
    "sdk-functions_list": "sdk/functions/list.json",
    "sdk-modules_list": "sdk/modules/list.json",
    "sdk-webhooks_list": "sdk/webhooks/list.json",
}


async def a_retried_incomplete_execution(client: Client) -> dict[str, Any]:
    """An incomplete execution with a log to list: retried once."""
    return {"dlqId": (await a_retry_of_an_incomplete_execution(client))["dlqId"]}


# Lists empty in the demo account as seeded: the call that gives them an item first.
async def a_pending_credential_request(client: Client) -> dict[str, Any]:
    """The demo holds no credential request: one is made, as a person's agent would."""
    create = "credential-requests_create"
    schema = input_schema(BY_NAME[create].input_model)
    made = await client.call_tool(create, {**example_arguments(schema), **STATE_NEEDS[create]})
    structured(made)
    return {}


LIST_SET_UP = {
    **SET_UP,
    "executions_list-for-incomp-exec": a_retried_incomplete_execution,
    "credential-requests_list": a_pending_credential_request,
}
# Real answers of the items' own get, where the recorded list was asked for a few columns only.
RECORDED_ITEMS = {"sdk-apps_list": "sdk/apps/get.json"}


def items_of(name: str, payload: dict[str, Any]) -> list[dict[str, Any]]:
    key = BY_NAME[name].response_key
    assert key is not None
    items = payload.get(key)
    if items is None:  # a recorded body may wrap them otherwise (on-prem agents under "agents")
        items = next(value for value in payload.values() if isinstance(value, list))
    return [item for item in items if isinstance(item, dict)]


@pytest.mark.parametrize("name", sorted(RECORDED_LISTS))
def test_each_default_field_of_a_list_make_answers_whole_is_in_its_recorded_items(name: str) -> None:
    body = json.loads((RECORDED / RECORDED_LISTS[name]).read_text(encoding="utf-8"))
    carried = {field for item in items_of(name, body) for field in item}
    assert set(TRIMMED_FIELDS[name].default) <= carried, sorted(set(TRIMMED_FIELDS[name].default) - carried)


async def arguments_for(client: Client, name: str) -> dict[str, Any]:
    schema = next(op for op in ALL_OPERATIONS if op.name == name).input_model
    arguments = {
        **example_arguments(input_schema(schema)),
        **SCHEMA_GAPS.get(name, {}),
        **STATE_NEEDS.get(name, {}),
    }
    set_up = LIST_SET_UP.get(name)
    if set_up is not None:
        arguments |= advertised_names(name, await set_up(client))
    return arguments


async def listed(client: Client, state: SandboxState, name: str, **extra: Any) -> list[dict[str, Any]]:
    restore_demo(state)
    arguments = await arguments_for(client, name)
    return items_of(name, structured(await client.call_tool(name, {**arguments, **extra})))


def recorded_item_fields(name: str) -> set[str]:
    if name not in RECORDED_ITEMS:
        return set()
    body = json.loads((RECORDED / RECORDED_ITEMS[name]).read_text(encoding="utf-8"))
    return {field for value in body.values() if isinstance(value, dict) for field in value}


async def raw_whole_items(sandbox: LoopbackSandbox, name: str) -> list[dict[str, Any]]:
    """The items of Make's answer (the sandbox's) to the request the last call sent, with every column asked for
    and before the shape stage drops empty values: the fields real items carry."""
    sent = sandbox.state.requests[-1]
    query = [(key, value) for key, value in sent.query if not key.startswith("cols")] + [("cols[]", "*")]
    async with httpx2.AsyncClient() as client:
        answer = await client.get(
            f"{sandbox.url}{sent.path}", params=query, headers={"Authorization": f"Token {sandbox.token}"}
        )
    assert answer.status_code == 200, answer.text
    return items_of(name, answer.json())


async def test_each_default_field_is_present_in_a_real_item_and_star_returns_whole_items(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    problems: list[str] = []
    async with mcp_client(loopback_sandbox, toolsets="all", tool_mode="full", confirm_destructive=False) as client:
        for name in sorted(DEFAULTS):
            by_default = await listed(client, loopback_sandbox.state, name)
            raw = await raw_whole_items(loopback_sandbox, name)
            carried = {field for item in raw for field in item} | recorded_item_fields(name)
            valued = {field for item in raw for field, value in item.items() if value not in (None, "", [], {})}
            whole = await listed(client, loopback_sandbox.state, name, cols=["*"])
            unknown = [field for field in DEFAULTS[name] if field not in carried]
            if unknown:
                problems.append(f"{name}: default fields {unknown} are in no item of Make's answer")
            if not by_default or len(whole) != len(by_default):
                problems.append(f"{name}: {len(by_default)} items by default, {len(whole)} under cols ['*']")
            elif any(not set(full) >= set(trimmed) for full, trimmed in zip(whole, by_default, strict=True)):
                problems.append(f"{name}: cols ['*'] returned less than the defaults: {sorted(whole[0])}")
            elif not {field for item in whole for field in item} >= valued:
                lost = valued - {field for item in whole for field in item}
                problems.append(f"{name}: cols ['*'] lost {sorted(lost)}")
    assert not problems, "\n".join(problems)


async def test_who_holds_which_organization_role_comes_back_by_default_by_either_spelling_and_under_star(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    name = "organizations_list-user-roles"
    async with mcp_client(loopback_sandbox, toolsets="all", tool_mode="full") as client:
        for cols in (None, ["userId", "userRoleId"], ["userId", "usersRoleId"], ["*"]):
            items = await listed(client, loopback_sandbox.state, name, **({"cols": cols} if cols else {}))
            assert items and all("usersRoleId" in item and "userId" in item for item in items), (cols, items)
