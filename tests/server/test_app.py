"""The MCP server end to end: a real mcp Client, in memory, against the sandbox served on loopback."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.client._memory import InMemoryTransport  # the SDK's JSON-RPC-over-memory transport
from mcp.server._otel import OpenTelemetryMiddleware
from opentelemetry import trace

from make_mcp.server.engine.call import HEARTBEAT_SECONDS
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.engine.selection import Catalogue, selected_toolsets
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.support.config import Settings
from make_mcp.tools.registry import ALL_OPERATIONS, TOOLSETS
from tests.conftest import LoopbackSandbox

MODES = ["legacy", "auto"]


@asynccontextmanager
async def mcp_client(
    sandbox: LoopbackSandbox,
    *,
    mode: str = "auto",
    token: str | None = None,
    elicitation_callback: Any = None,
    **overrides: Any,
) -> AsyncIterator[Client]:
    # The demo organization is on the 60-per-minute plan: tests that are not about the rate budget switch it off.
    overrides.setdefault("rate_limit", 0)
    settings = Settings(api_key=token or sandbox.token, zone=sandbox.url, allow_custom_zone=True, **overrides)
    async with open_make_client(settings) as make:
        catalogue = await load_catalogue(settings, make)
        server = build_server(ToolRunner(settings, make, catalogue, Confirmations()))
        async with Client(server, mode=mode, elicitation_callback=elicitation_callback) as client:
            yield client


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


@pytest.mark.parametrize("mode", MODES)
async def test_tools_list_carries_annotations_scopes_and_the_make_operation(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    async with mcp_client(loopback_sandbox, mode=mode, tool_mode="full") as client:
        listing = await client.list_tools()
    tools = {tool.name: tool for tool in listing.tools}
    scenarios_list = tools["scenarios_list"]
    assert scenarios_list.annotations is not None
    assert scenarios_list.annotations.read_only_hint is True
    assert scenarios_list.input_schema["type"] == "object"
    assert scenarios_list.meta is not None
    assert scenarios_list.meta["make/operation"] == {
        "method": "GET",
        "path": "/scenarios",
        "scopes": ["scenarios:read"],
        "toolset": "scenarios",
    }
    assert tools["executions_list"].meta["make/operation"]["toolset"] == "scenarios"  # not the name's prefix
    assert tools["scenarios_delete"].annotations.destructive_hint is True  # type: ignore[union-attr]


@pytest.mark.parametrize("mode", MODES)
async def test_scenarios_list_returns_the_sandbox_scenarios(loopback_sandbox: LoopbackSandbox, mode: str) -> None:
    async with mcp_client(loopback_sandbox, mode=mode) as client:
        result = await client.call_tool("scenarios_list", {"teamId": 201, "cols": ["id", "name"]})
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    scenarios = result.structured_content["scenarios"]
    assert sorted(s["id"] for s in scenarios) == [401, 402, 404, 405, 406, 407]
    assert all(set(s) == {"id", "name"} for s in scenarios)
    assert '"scenarios"' in text_of(result)


async def test_invalid_arguments_name_each_field_and_send_nothing_to_make(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox) as client:
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool("scenarios_get", {"scenarioId": "not-a-number", "colour": "red"})
        after = len(loopback_sandbox.state.requests)
    assert result.is_error
    message = text_of(result)
    assert "scenarioId" in message and "colour" in message
    assert "nothing was sent to Make" in message
    assert after == before


async def test_missing_required_argument_is_reported_before_any_request(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox) as client:
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool("scenarios_get", {})
        assert len(loopback_sandbox.state.requests) == before
    assert result.is_error
    assert "scenarioId" in text_of(result)


@pytest.mark.parametrize("mode", MODES)
async def test_make_error_becomes_an_error_result_with_status_code_and_hint(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    async with mcp_client(loopback_sandbox, mode=mode) as client:
        result = await client.call_tool("scenarios_get", {"scenarioId": 999999})
    assert result.is_error
    message = text_of(result)
    assert "404" in message and "scenarios_get" in message
    assert "Traceback" not in message


async def test_created_scenario_takes_blueprint_as_an_object_and_appears_in_the_list(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    flow = [{"id": 1, "module": "json:ParseJSON", "version": 1}]
    blueprint = {"name": "From the agent", "flow": flow, "metadata": {"version": 1}}
    async with mcp_client(loopback_sandbox) as client:
        created = await client.call_tool(
            "scenarios_create", {"teamId": 202, "blueprint": blueprint, "scheduling": {"type": "on-demand"}}
        )
        assert not created.is_error, text_of(created)
        listed = await client.call_tool("scenarios_list", {"teamId": 202})
    sent = [r for r in loopback_sandbox.state.requests if r.method == "POST" and r.path.endswith("/scenarios")][-1]
    assert isinstance(sent.body, dict) and isinstance(sent.body["blueprint"], str)
    assert created.structured_content is not None
    new_id = created.structured_content["scenario"]["id"]
    assert listed.structured_content is not None
    assert new_id in [s["id"] for s in listed.structured_content["scenarios"]]


async def test_an_unknown_tool_name_is_answered_with_the_closest_tools(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox) as client:
        typo = await client.call_tool("scenario_list", {"teamId": 201})
        nothing_like = await client.call_tool("make_coffee", {})
    assert typo.is_error and "Did you mean scenarios_list" in text_of(typo)
    assert nothing_like.is_error and "Did you mean" not in text_of(nothing_like)
    assert text_of(nothing_like) == "There is no tool named 'make_coffee'. tools_search finds tools by words."


async def test_the_instructions_name_the_defaults_the_mode_and_the_confirmation_flow(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, mode="legacy", team=202, tool_mode="full") as client:
        with_team = client.instructions or ""
    async with mcp_client(loopback_sandbox, mode="legacy") as client:
        core = client.instructions or ""
    async with mcp_client(loopback_sandbox, mode="legacy", tool_mode="discovery", confirm_destructive=False) as client:
        discovery = client.instructions or ""
    assert "teamId defaults to 202" in with_team and "preview" in with_team and "tools_search" not in with_team
    assert "tools/list holds the everyday tools" in core and "tools_call" in core
    assert "tools_search" in discovery and "organizations_list, then teams_list" in discovery
    assert "preview" not in discovery


async def test_default_team_fills_a_missing_team_id(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox, team=202) as client:
        result = await client.call_tool("scenarios_list", {})
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    assert {s["teamId"] for s in result.structured_content["scenarios"]} == {202}


async def test_with_both_defaults_set_a_list_taking_team_or_organization_gets_only_the_team(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, team=202, organization=101) as client:
        by_default = await client.call_tool("scenarios_list", {"cols": ["id", "teamId"]})
        organization_wide = await client.call_tool("scenarios_list", {"organizationId": 101, "cols": ["id", "teamId"]})
        folders = await client.call_tool("folders_list", {})
    for result in (by_default, organization_wide, folders):
        assert not result.is_error, text_of(result)
    assert by_default.structured_content is not None and organization_wide.structured_content is not None
    assert {s["teamId"] for s in by_default.structured_content["scenarios"]} == {202}
    assert {s["teamId"] for s in organization_wide.structured_content["scenarios"]} == {201, 202}
    sent = [dict(r.query) for r in loopback_sandbox.state.requests if r.path.endswith(("/scenarios", "-folders"))]
    assert [("teamId" in query, "organizationId" in query) for query in sent] == [
        (True, False),
        (False, True),
        (True, False),
    ]


async def test_token_without_a_scope_sees_fewer_tools_and_is_refused_by_name(loopback_sandbox: LoopbackSandbox) -> None:
    limited = "0b7f7f0e-1111-4222-8333-444455556666"
    loopback_sandbox.state.add_token(limited, ["scenarios:read", "organizations:read"])
    async with mcp_client(loopback_sandbox, token=limited, toolsets="all") as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        before = len(loopback_sandbox.state.requests)
        refused = await client.call_tool("scenarios_create", {"teamId": 201, "blueprint": {}, "scheduling": {}})
        assert len(loopback_sandbox.state.requests) == before
    assert "scenarios_list" in names
    assert "scenarios_create" not in names and "hooks_list" not in names
    assert refused.is_error
    assert "scenarios:write" in text_of(refused)


async def test_read_only_mode_lists_and_allows_only_tools_that_change_nothing(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, read_only=True, tool_mode="full") as client:
        tools = (await client.list_tools()).tools
        refused = await client.call_tool("scenarios_delete", {"scenarioId": 401})
    assert tools and all(tool.annotations and tool.annotations.read_only_hint for tool in tools)
    assert refused.is_error and "read-only" in text_of(refused)
    assert 401 in loopback_sandbox.state.scenarios


async def test_toolsets_select_which_tools_are_listed(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox, toolsets="hooks", tool_mode="full") as client:
        tools = (await client.list_tools()).tools
    assert tools
    toolset_of = {operation.name: operation.toolset for operation in ALL_OPERATIONS}
    assert {toolset_of[tool.name] for tool in tools} == {"hooks"}


async def test_destructive_call_acts_only_with_the_confirmation_issued_for_the_same_arguments(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox) as client:
        preview = await client.call_tool("scenarios_delete", {"scenarioId": 402})
        assert not preview.is_error, text_of(preview)
        assert preview.structured_content is not None
        assert preview.structured_content["confirmationRequired"] is True
        assert "Daily" in preview.structured_content["preview"] or "402" in preview.structured_content["preview"]
        assert 402 in loopback_sandbox.state.scenarios
        token = preview.structured_content["confirmation"]
        wrong = await client.call_tool("scenarios_delete", {"scenarioId": 401, "confirmation": token})
        assert wrong.is_error and 401 in loopback_sandbox.state.scenarios
        done = await client.call_tool("scenarios_delete", {"scenarioId": 402, "confirmation": token})
    assert not done.is_error, text_of(done)
    assert 402 not in loopback_sandbox.state.scenarios


async def test_a_confirmation_holds_for_the_same_call_however_its_arguments_are_spelled(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox) as client:
        keys = ["a1b2c3d4e500"]
        preview = await client.call_tool(
            "data-store-records_delete", {"dataStoreId": 701, "keys": keys, "confirmed": True}
        )
        assert preview.structured_content is not None, text_of(preview)
        token = preview.structured_content["confirmation"]
        other_keys = {"dataStoreId": 701, "keys": '["a1b2c3d4e501"]', "confirmed": True, "confirmation": token}
        refused = await client.call_tool("data-store-records_delete", other_keys)
        same_as_text = {"dataStoreId": "701", "keys": json.dumps(keys), "confirmed": "true", "confirmation": token}
        done = await client.call_tool("data-store-records_delete", same_as_text)
    assert refused.is_error and "another tool or other arguments" in text_of(refused)
    assert not done.is_error, text_of(done)
    assert set(loopback_sandbox.state.records[701]) == {f"a1b2c3d4e50{n}" for n in range(1, 5)}


async def test_a_preview_names_the_resource_and_what_the_call_would_send(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox) as client:
        renamed = await client.call_tool(
            "scenarios_update", {"scenarioId": 402, "name": "Weekly MRR digest", "scheduling": {"type": "on-demand"}}
        )
        run = await client.call_tool("scenarios_run", {"scenarioId": 402})
        records = await client.call_tool("data-store-records_delete", {"dataStoreId": 701, "keys": ["k1"]})
    previews = [result.structured_content["preview"] for result in (renamed, run, records) if result.structured_content]
    assert len(previews) == 3, [text_of(result) for result in (renamed, run, records)]
    assert "'Daily MRR digest'" in previews[0] and 'name="Weekly MRR digest"' in previews[0]
    assert "'Daily MRR digest'" in previews[1]  # the run's path ends in /run; the name comes from its scenario
    assert 'keys=["k1"]' in previews[2]
    assert loopback_sandbox.state.scenarios[402]["name"] == "Daily MRR digest"


async def test_a_preview_never_repeats_a_password_or_secret(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox, toolsets="all") as client:
        result = await client.call_tool(
            "users_update-password",
            {
                "userId": 301,
                "currentPassword": "old-Secret-1",
                "newPassword1": "n3w-Secret-2",
                "newPassword2": "n3w-Secret-2",
            },
        )
    assert result.structured_content is not None, text_of(result)
    preview = result.structured_content["preview"]
    assert "Secret" not in preview and "(hidden)" in preview


async def test_no_confirm_setting_lets_destructive_calls_act_at_once(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        result = await client.call_tool("scenarios_delete", {"scenarioId": 402})
    assert not result.is_error, text_of(result)
    assert 402 not in loopback_sandbox.state.scenarios


@pytest.mark.parametrize("mode", MODES)
async def test_discovery_mode_lists_three_tools_that_reach_every_operation(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    async with mcp_client(loopback_sandbox, mode=mode, tool_mode="discovery", toolsets="all") as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        found = await client.call_tool("tools_search", {"query": "list scenarios"})
        described = await client.call_tool("tools_describe", {"name": "data-stores_list"})
        called = await client.call_tool("tools_call", {"name": "scenarios_get", "arguments": {"scenarioId": 401}})
        invalid = await client.call_tool("tools_call", {"name": "scenarios_get", "arguments": {"scenarioId": "x"}})
        as_text = await client.call_tool("tools_call", {"name": "scenarios_get", "arguments": '{"scenarioId": 401}'})
    assert sorted(names) == ["tools_call", "tools_describe", "tools_search"]
    assert found.structured_content is not None
    assert "scenarios_list" in list(found.structured_content["tools"])[:3]
    assert found.structured_content["tools"]["scenarios_list"].startswith("List the scenarios")
    assert described.structured_content is not None
    assert described.structured_content["inputSchema"]["type"] == "object"
    assert called.structured_content is not None and called.structured_content["scenario"]["id"] == 401
    assert invalid.is_error and "scenarioId" in text_of(invalid)
    assert as_text.structured_content == called.structured_content  # arguments sent as JSON text count too


@pytest.mark.parametrize("mode", MODES)
async def test_the_default_mode_lists_the_everyday_tools_and_reaches_the_others_with_the_same_checks(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    async with mcp_client(loopback_sandbox, mode=mode, team=201) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        direct = await client.call_tool("scenarios_get", {"scenarioId": 401})
        found = await client.call_tool("tools_search", {"query": "list data structures"})
        structures = await client.call_tool("tools_call", {"name": "data-structures_list", "arguments": {}})
        invalid = await client.call_tool("tools_call", {"name": "data-structures_list", "arguments": {"teamId": "x"}})
        before = len(loopback_sandbox.state.requests)
        preview = await client.call_tool("tools_call", {"name": "scenarios_delete", "arguments": {"scenarioId": 402}})
        assert 402 in loopback_sandbox.state.scenarios
        assert preview.structured_content is not None and preview.structured_content["confirmationRequired"]
        token = preview.structured_content["confirmation"]
        deleted = await client.call_tool(
            "tools_call", {"name": "scenarios_delete", "arguments": {"scenarioId": 402, "confirmation": token}}
        )
    assert names[0] == "scenarios_list" and names[-3:] == ["tools_search", "tools_describe", "tools_call"]
    assert len(names) <= 40 and "data-structures_list" not in names and "scenarios_delete" not in names
    assert not direct.is_error and not structures.is_error, text_of(structures)
    listed = list(found.structured_content["tools"])[:3] if found.structured_content else []
    assert "data-structures_list" in listed
    assert structures.structured_content is not None and structures.structured_content["dataStructures"]
    assert invalid.is_error and "teamId" in text_of(invalid)
    assert not deleted.is_error, text_of(deleted)
    assert 402 not in loopback_sandbox.state.scenarios
    assert [r.method for r in loopback_sandbox.state.requests[before:]].count("DELETE") == 1


async def test_tools_describe_gives_name_description_and_input_schema_as_tools_list_advertises_them(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, toolsets="all", tool_mode="full") as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    async with mcp_client(loopback_sandbox, tool_mode="discovery", toolsets="all") as client:
        described = await client.call_tool("tools_describe", {"name": "scenarios_delete"})
    advertised = listed["scenarios_delete"].model_dump(by_alias=True, exclude_none=True, mode="json")
    assert described.structured_content == {key: advertised[key] for key in ("name", "description", "inputSchema")}


async def test_a_large_result_is_cut_at_a_record_boundary_with_the_next_offset(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, result_max_chars=1_200) as client:
        result = await client.call_tool("scenarios_list", {"organizationId": 101, "cols": ["*"]})
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    cut = result.structured_content["truncated"]
    kept = result.structured_content["scenarios"]
    assert cut["returned"] == len(kept) < cut["inResponse"]
    assert f"pg.offset={len(kept)}" in cut["next"]
    assert len(text_of(result)) <= 1_200


class UserAtTheClient:
    """Stands in for the person answering the client's elicitation prompt."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.prompts: list[str] = []

    async def __call__(self, context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        self.prompts.append(params.message)
        return types.ElicitResult(action=self.action)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", MODES)
async def test_destructive_call_asks_the_user_through_elicitation_and_acts_on_accept(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    user = UserAtTheClient("accept")
    async with mcp_client(loopback_sandbox, mode=mode, elicitation_callback=user) as client:
        result = await client.call_tool("scenarios_delete", {"scenarioId": 402})
    assert not result.is_error, text_of(result)
    assert len(user.prompts) == 1 and "Daily MRR digest" in user.prompts[0]
    assert 402 not in loopback_sandbox.state.scenarios


@pytest.mark.parametrize("mode", MODES)
async def test_destructive_call_declined_by_the_user_changes_nothing(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    user = UserAtTheClient("decline")
    async with mcp_client(loopback_sandbox, mode=mode, elicitation_callback=user) as client:
        before = [r.method for r in loopback_sandbox.state.requests]
        result = await client.call_tool("scenarios_delete", {"scenarioId": 402})
        after = [r.method for r in loopback_sandbox.state.requests]
    assert result.is_error and "did not confirm" in text_of(result)
    assert "DELETE" not in after[len(before) :]
    assert 402 in loopback_sandbox.state.scenarios


async def test_discovery_mode_listing_stays_under_two_thousand_tokens_with_every_toolset(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    import bpe_openai

    async with mcp_client(loopback_sandbox, tool_mode="discovery", toolsets="all") as client:
        listing = await client.list_tools()
    payload = listing.model_dump_json(by_alias=True, exclude_none=True)
    assert len(bpe_openai.get_encoding("cl100k_base").encode(payload)) < 2_000


def test_billing_is_a_toolset_of_its_own_left_out_of_the_defaults_and_reachable_by_name() -> None:
    billing = [op for op in ALL_OPERATIONS if op.name.startswith("subscriptions_")]
    assert billing and {op.toolset for op in billing} == {"subscriptions"}
    assert "subscriptions" not in selected_toolsets("default", TOOLSETS)
    assert "subscriptions" in selected_toolsets("default,subscriptions", TOOLSETS)


async def test_each_call_logs_one_line_with_tool_outcome_and_duration_but_no_arguments_or_token(
    loopback_sandbox: LoopbackSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="make_mcp.app")
    async with mcp_client(loopback_sandbox, tool_mode="discovery") as client:
        await client.call_tool("tools_call", {"name": "scenarios_get", "arguments": {"scenarioId": 401}})
        await client.call_tool("tools_call", {"name": "scenarios_get", "arguments": {"scenarioId": "secret-ish"}})
        await client.call_tool("tools_call", {"name": "scenarios_delete", "arguments": {"scenarioId": 402}})
        await client.call_tool("tools_call", {"name": {"not": "a name"}, "arguments": {}})
    lines = [record.getMessage() for record in caplog.records if record.name == "make_mcp.app"]
    outcomes = [re.sub(r" ms=[0-9.]+$", "", line) for line in lines]
    assert outcomes == [
        "call tool=scenarios_get via=tools_call outcome=ok",
        "call tool=scenarios_get via=tools_call outcome=error",
        "call tool=scenarios_delete via=tools_call outcome=confirmation-required",
        "call tool=tools_call outcome=error",
    ]
    assert not any("secret-ish" in line or loopback_sandbox.token in line for line in lines)


class SlowMake:
    """Make that holds every answer until the test lets it go."""

    def __init__(self) -> None:
        self.answer = anyio.Event()
        self.requests = 0

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        await self.answer.wait()
        return httpx2.Response(200, json={"scenarios": [{"id": 401, "name": "Capture new leads"}]})


class InstantSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await anyio.lowlevel.checkpoint()


@asynccontextmanager
async def slow_make_client(make: SlowMake, sleep: InstantSleep, mode: str) -> AsyncIterator[Client]:
    """Over the SDK's in-memory JSON-RPC streams in both eras: a progress token travels as it does on stdio."""
    settings = Settings(api_key="test-token", rate_limit=0)
    catalogue = Catalogue.select(
        ALL_OPERATIONS, toolsets=frozenset({"scenarios"}), read_only=False, granted_scopes=None
    )
    api = MakeClient(settings.base_url, authorization="Token test-token", transport=httpx2.MockTransport(make))
    try:
        server = build_server(ToolRunner(settings, api, catalogue, Confirmations(), sleep=sleep))
        async with Client(InMemoryTransport(server), mode=mode) as client:
            yield client
    finally:
        await api.aclose()


@pytest.mark.parametrize("mode", MODES)
async def test_a_slow_answer_is_reported_as_progress_every_heartbeat_until_it_comes(mode: str) -> None:
    make, sleep = SlowMake(), InstantSleep()
    heard: list[tuple[float, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        heard.append((progress, message))
        if len(heard) == 3:
            make.answer.set()

    async with slow_make_client(make, sleep, mode) as client:
        with anyio.fail_after(10):
            result = await client.call_tool("scenarios_list", {"teamId": 201}, progress_callback=on_progress)
    assert not result.is_error, text_of(result)
    assert make.requests == 1
    assert heard[:3] == [
        (1, f"still waiting for Make ({HEARTBEAT_SECONDS:.0f} s)"),
        (2, f"still waiting for Make ({2 * HEARTBEAT_SECONDS:.0f} s)"),
        (3, f"still waiting for Make ({3 * HEARTBEAT_SECONDS:.0f} s)"),
    ]
    assert set(sleep.waits) == {HEARTBEAT_SECONDS}


@pytest.mark.parametrize("mode", MODES)
async def test_a_call_that_asks_no_progress_gets_no_heartbeat(mode: str) -> None:
    make, sleep = SlowMake(), InstantSleep()
    make.answer.set()
    async with slow_make_client(make, sleep, mode) as client:
        result = await client.call_tool("scenarios_list", {"teamId": 201})
    assert not result.is_error, text_of(result)
    assert sleep.waits == []


async def _no_runner(ctx: Any) -> ToolRunner:
    raise AssertionError("not called: the server is only built")


def test_without_a_tracer_provider_the_server_opens_no_span_per_message() -> None:
    server = build_server(None, runner_for=_no_runner)
    assert not any(isinstance(middleware, OpenTelemetryMiddleware) for middleware in server.middleware)


def test_with_a_tracer_provider_configured_the_server_keeps_the_sdk_s_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    class Configured(trace.TracerProvider):  # what opentelemetry-instrument or an application would set
        def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
            return trace.NoOpTracer()

    monkeypatch.setattr(trace, "get_tracer_provider", Configured)
    server = build_server(None, runner_for=_no_runner)
    assert any(isinstance(middleware, OpenTelemetryMiddleware) for middleware in server.middleware)


def test_only_a_schema_declaring_an_mcp_header_is_given_to_the_sdk_to_check_headers_against() -> None:
    from make_mcp.server.protocol.app import declares_param_headers

    declared = {"type": "object", "properties": {"teamId": {"type": "integer", "x-mcp-header": "Team"}}}
    in_a_list = {"anyOf": [{"type": "object"}, {"properties": {"id": {"type": "string", "x-mcp-header": "Id"}}}]}
    assert declares_param_headers(declared) and declares_param_headers(in_a_list)
    assert not declares_param_headers({"type": "object", "properties": {"teamId": {"type": "integer"}}})
    assert not any(declares_param_headers(operation.input_model.model_json_schema()) for operation in ALL_OPERATIONS)
