"""Consent to a destructive call: previews read through declared operations, effects bound, one preview per ask."""

from __future__ import annotations

from typing import Any

import mcp_types as types
import pytest
from mcp import Client

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.engine.consent import (
    _target_request,  # pyright: ignore[reportPrivateUsage]
    effect,
    planned_requests,
)
from make_mcp.server.engine.operations import validate_arguments
from make_mcp.server.engine.pipeline import build
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.support.config import Settings
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client

BY_NAME = {op.name: op for op in ALL_OPERATIONS}


def plan_of(name: str, arguments: dict[str, Any]) -> Any:
    operation = BY_NAME[name]
    return build(operation, validate_arguments(operation, arguments))


def test_the_preview_reads_the_resource_through_its_declared_get_operation() -> None:
    request = _target_request(plan_of("scenarios_delete", {"scenarioId": 402}))
    assert request is not None
    assert (request.method, request.path, request.operation, request.query) == (
        "GET",
        "/scenarios/402",
        "scenarios_get",
        [("cols[]", "*")],  # scenarios_get's default, as the official tool asks: every column
    )


def test_the_preview_of_a_nested_resource_reads_the_nearest_resource_the_path_names() -> None:
    request = _target_request(plan_of("data-store-records_delete", {"dataStoreId": 5, "keys": ["a"]}))
    assert request is not None and request.path == "/data-stores/5" and request.operation == "data-stores_get"


@pytest.mark.parametrize(
    ("arguments", "requests"),
    [
        ({"name": "Shop"}, ["PATCH /connections/901"]),
        ({"data": {"apiKey": "k"}}, ["POST /connections/901/set-data"]),
        ({"name": "Shop", "data": {"apiKey": "k"}}, ["PATCH /connections/901", "POST /connections/901/set-data"]),
    ],
)
async def test_the_preview_of_a_tool_of_several_requests_names_exactly_those_this_input_sends(
    arguments: dict[str, Any], requests: list[str]
) -> None:
    plan = plan_of("connections_update", {"connectionId": 901, **arguments})
    assert await planned_requests(plan) == requests


async def test_the_confirmation_question_names_the_requests_with_their_real_paths(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox) as client:
        before = len(loopback_sandbox.state.requests)
        asked = await client.call_tool("connections_update", {"connectionId": 901, "name": "Shop"})
        sent = [(r.method, r.path) for r in loopback_sandbox.state.requests[before:]]
    preview = (asked.structured_content or {})["preview"]
    assert "(PATCH /connections/901)" in preview and "{connectionId}" not in preview and "set-data" not in preview
    assert all(method == "GET" for method, _ in sent)  # the preview read the connection's name; nothing changed


def test_a_confirmation_is_bound_to_what_is_sent_however_the_arguments_are_spelled() -> None:
    assert effect(plan_of("scenarios_delete", {"scenarioId": 402})) == effect(
        plan_of("scenarios_delete", {"scenarioId": "402"})
    )
    assert effect(plan_of("scenarios_delete", {"scenarioId": 402})) != effect(
        plan_of("scenarios_delete", {"scenarioId": 403})
    )


async def test_the_answer_of_a_modern_elicitation_round_acts_without_a_second_preview(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    prompts: list[str] = []

    async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        prompts.append(params.message)
        return types.ElicitResult(action="accept")

    settings = Settings(api_key=loopback_sandbox.token, zone=loopback_sandbox.url, allow_custom_zone=True, rate_limit=0)
    async with open_make_client(settings) as make:
        catalogue = await load_catalogue(settings, make)
        server = build_server(ToolRunner(settings, make, catalogue, Confirmations()))
        async with Client(server, mode="auto", elicitation_callback=accept) as client:
            before = len(loopback_sandbox.state.requests)
            result = await client.call_tool("scenarios_delete", {"scenarioId": 402})
    assert not result.is_error
    sent = [(r.method, r.path) for r in loopback_sandbox.state.requests[before:]]
    assert sent == [("GET", "/api/v2/scenarios/402"), ("DELETE", "/api/v2/scenarios/402")]
    assert len(prompts) == 1 and "Daily MRR digest" in prompts[0]


async def test_a_rename_or_move_is_done_at_once_while_a_new_blueprint_asks_to_confirm(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    module = {"id": 1, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "{}"}}
    blueprint = {"name": "New", "flow": [module], "metadata": {"version": 1, "scenario": {}}}
    async with mcp_client(loopback_sandbox) as client:
        renamed = await client.call_tool("scenarios_update", {"scenarioId": 402, "name": "Weekly", "folderId": 501})
        replaced = await client.call_tool("scenarios_update", {"scenarioId": 402, "blueprint": blueprint})
    assert not renamed.is_error and "confirmationRequired" not in (renamed.structured_content or {})
    assert loopback_sandbox.state.scenarios[402]["name"] == "Weekly"
    assert (replaced.structured_content or {}).get("confirmationRequired") is True
    assert loopback_sandbox.state.blueprints[402] != blueprint
